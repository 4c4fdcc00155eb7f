"""People who sign in on the web screens (issue 19): `usuarios` (argon2 password hashes,
one of the four roles) and their `sesiones` (only the SHA-256 of each cookie's secret).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "usuarios",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("nombre", sa.String(50), nullable=False),
        sa.Column("nombre_unico", sa.String(50), nullable=False),
        sa.Column("rol", sa.String(20), nullable=False),
        sa.Column("hash_clave", sa.String(200), nullable=False),
        sa.Column("activo", sa.Boolean(), nullable=False),
        sa.Column("creado_en", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_usuarios"),
        sa.UniqueConstraint("nombre_unico", name="uq_usuarios_nombre_unico"),
    )
    op.create_table(
        "sesiones",
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("usuario_id", sa.String(36), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("creada_en", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expira_en", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ultima_actividad", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("hash", name="pk_sesiones"),
        sa.ForeignKeyConstraint(
            ["usuario_id"], ["usuarios.id"], name="fk_sesiones_usuario_id_usuarios"
        ),
    )
    op.create_index("ix_sesiones_usuario_id", "sesiones", ["usuario_id"])


def downgrade() -> None:
    # The table takes its index with it: MariaDB refuses to drop alone an index that its
    # foreign key to usuarios needs.
    op.drop_table("sesiones")
    op.drop_table("usuarios")
