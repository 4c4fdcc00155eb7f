"""Indexes for looking documents up as the screens do (issue 19): a factura by number or
by its buyer's identification, a punto's parked drafts, a nota by number.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

_INDICES = (
    ("ix_vista_facturas_numero", "vista_facturas", ["numero"]),
    ("ix_vista_facturas_identificacion", "vista_facturas", ["identificacion"]),
    ("ix_vista_facturas_punto_emision_id_estado", "vista_facturas", ["punto_emision_id", "estado"]),
    ("ix_vista_notas_credito_numero", "vista_notas_credito", ["numero"]),
)


def upgrade() -> None:
    for nombre, tabla, columnas in _INDICES:
        op.create_index(nombre, tabla, columnas)


def downgrade() -> None:
    for nombre, tabla, _ in reversed(_INDICES):
        op.drop_index(nombre, table_name=tabla)
