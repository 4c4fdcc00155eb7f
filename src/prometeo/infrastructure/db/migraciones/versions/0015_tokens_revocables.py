"""Tokens get an id (what a revocation or an event's audit names), an optional expiry, a
revocation time and when they were last used; their names become unique (ignoring case):
earlier tokens that shared a name get " (2)", " (3)"... in creation order.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

_LARGO_NOMBRE = 100


def upgrade() -> None:
    with op.batch_alter_table("tokens") as tabla:
        tabla.add_column(sa.Column("id", sa.String(36)))
        tabla.add_column(sa.Column("nombre_unico", sa.String(_LARGO_NOMBRE)))
        tabla.add_column(sa.Column("expira_en", sa.DateTime(timezone=True)))
        tabla.add_column(sa.Column("revocado_en", sa.DateTime(timezone=True)))
        tabla.add_column(sa.Column("ultimo_uso", sa.DateTime(timezone=True)))
    conexion = op.get_bind()
    filas = conexion.execute(
        sa.text("SELECT hash, nombre FROM tokens ORDER BY creado_en, hash")
    ).all()
    vistos: set[str] = set()
    for hash_, nombre in filas:
        nuevo, n = nombre, 2
        while nuevo.casefold() in vistos:
            sufijo = f" ({n})"
            nuevo = nombre[: _LARGO_NOMBRE - len(sufijo)] + sufijo
            n += 1
        vistos.add(nuevo.casefold())
        conexion.execute(
            sa.text(
                "UPDATE tokens SET id = :id, nombre = :nombre, nombre_unico = :unico "
                "WHERE hash = :hash"
            ),
            {"id": str(uuid.uuid4()), "nombre": nuevo, "unico": nuevo.casefold(), "hash": hash_},
        )
    with op.batch_alter_table("tokens") as tabla:
        tabla.alter_column("id", existing_type=sa.String(36), nullable=False)
        tabla.alter_column("nombre_unico", existing_type=sa.String(_LARGO_NOMBRE), nullable=False)
        tabla.create_unique_constraint("uq_tokens_id", ["id"])
        tabla.create_unique_constraint("uq_tokens_nombre_unico", ["nombre_unico"])


def downgrade() -> None:
    with op.batch_alter_table("tokens") as tabla:
        tabla.drop_constraint("uq_tokens_nombre_unico", type_="unique")
        tabla.drop_constraint("uq_tokens_id", type_="unique")
        tabla.drop_column("ultimo_uso")
        tabla.drop_column("revocado_en")
        tabla.drop_column("expira_en")
        tabla.drop_column("nombre_unico")
        tabla.drop_column("id")
