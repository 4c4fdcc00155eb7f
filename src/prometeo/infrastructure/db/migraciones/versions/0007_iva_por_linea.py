"""IVA per line (issue 13): each factura line's IVA and tarifa percentage, and each nota
de crédito line's own code, description, unit price, descuento, percentage and IVA.

The columns are nullable: rows written before them stay null until
`prometeo projections rebuild`, which fills them from the events (old events included).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

Decimal_ = sa.String(40)

_LINEAS_FACTURA = (
    ("iva", Decimal_),
    ("porcentaje_iva", Decimal_),
)
_LINEAS_NOTA = (
    ("codigo", sa.String(25)),
    ("descripcion", sa.String(300)),
    ("precio_unitario", Decimal_),
    ("descuento", Decimal_),
    ("porcentaje_iva", Decimal_),
    ("iva", Decimal_),
)


def upgrade() -> None:
    with op.batch_alter_table("vista_lineas_factura") as tabla:
        for nombre, tipo in _LINEAS_FACTURA:
            tabla.add_column(sa.Column(nombre, tipo, nullable=True))
    with op.batch_alter_table("vista_lineas_nota_credito") as tabla:
        for nombre, tipo in _LINEAS_NOTA:
            tabla.add_column(sa.Column(nombre, tipo, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("vista_lineas_nota_credito") as tabla:
        for nombre, _ in reversed(_LINEAS_NOTA):
            tabla.drop_column(nombre)
    with op.batch_alter_table("vista_lineas_factura") as tabla:
        for nombre, _ in reversed(_LINEAS_FACTURA):
            tabla.drop_column(nombre)
