"""The FIFO index of vista_lotes holds only the lots with stock left (PostgreSQL, SQLite).

With every emptied lot in it, PostgreSQL's planner used it for the UPDATE of one lot by
its key (equality on producto_id and bodega_id, lote_id as a filter), so each sale walked
all the emptied lots of its product: emission slowed down as the history grew. A partial
index cannot serve that UPDATE, which is left to the primary key. MariaDB has no partial
indexes: there it stays a full index (under the new name).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_CON_STOCK = sa.text("cantidad_disponible > 0")


def upgrade() -> None:
    op.drop_index("ix_vista_lotes_producto_id_bodega_id_orden", table_name="vista_lotes")
    op.create_index(
        "ix_vista_lotes_con_stock",
        "vista_lotes",
        ["producto_id", "bodega_id", "orden"],
        postgresql_where=_CON_STOCK,
        sqlite_where=_CON_STOCK,
    )


def downgrade() -> None:
    op.drop_index("ix_vista_lotes_con_stock", table_name="vista_lotes")
    op.create_index(
        "ix_vista_lotes_producto_id_bodega_id_orden",
        "vista_lotes",
        ["producto_id", "bodega_id", "orden"],
    )
