"""One checkpoint table for every event follower, and the parked events.

`relay_checkpoint` becomes `checkpoints_seguidor` (the relay is one follower among
others), its rows moved as they are, so an upgraded relay continues where it was.
`eventos_aparcados` keeps the events a follower gave up on, with their error.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _checkpoints(nombre: str) -> sa.TableClause:
    return sa.table(nombre, sa.column("nombre", sa.String(100)), sa.column("posicion"))


def _mover(desde: str, hacia: str) -> None:
    origen, destino = _checkpoints(desde), _checkpoints(hacia)
    op.execute(
        destino.insert().from_select(
            ["nombre", "posicion"], sa.select(origen.c.nombre, origen.c.posicion)
        )
    )


def _crear_checkpoints(nombre: str) -> None:
    op.create_table(
        nombre,
        sa.Column("nombre", sa.String(100), nullable=False),
        sa.Column("posicion", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("nombre", name=f"pk_{nombre}"),
    )


def upgrade() -> None:
    _crear_checkpoints("checkpoints_seguidor")
    _mover("relay_checkpoint", "checkpoints_seguidor")
    op.drop_table("relay_checkpoint")
    op.create_table(
        "eventos_aparcados",
        sa.Column("seguidor", sa.String(100), nullable=False),
        sa.Column("posicion", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("evento_id", sa.String(36), nullable=False),
        sa.Column("tipo", sa.String(80), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("aparcado_en", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("seguidor", "posicion", name="pk_eventos_aparcados"),
    )


def downgrade() -> None:
    op.drop_table("eventos_aparcados")
    _crear_checkpoints("relay_checkpoint")
    _mover("checkpoints_seguidor", "relay_checkpoint")
    op.drop_table("checkpoints_seguidor")
