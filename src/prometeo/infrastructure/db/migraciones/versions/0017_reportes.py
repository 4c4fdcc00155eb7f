"""The reports' read model (issue 18): every sales document with its tarifa groups and its
lines (see infrastructure/proyecciones/tablas_reportes.py).

The tables start empty: the `reportes` projection has no checkpoint yet, so it replays the
whole event log the next time prometeo starts (as any projection that lags behind).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

_ID = sa.String(100)


def upgrade() -> None:
    op.create_table(
        "vista_reporte_documentos",
        sa.Column("documento_id", _ID, primary_key=True),
        sa.Column("tipo", sa.String(12), nullable=False),
        sa.Column("estado", sa.String(10), nullable=False),
        sa.Column("sucursal_id", _ID, nullable=False),
        sa.Column("cliente_id", _ID),
        sa.Column("factura_id", _ID),
        sa.Column("numero", sa.String(17)),
        sa.Column("fecha", sa.Date(), nullable=False),
        sa.Column("mes", sa.String(7), nullable=False),
        sa.Column("subtotal", sa.BigInteger(), nullable=False),
        sa.Column("iva", sa.BigInteger(), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("costo", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("documento_id", name="pk_vista_reporte_documentos"),
    )
    op.create_index(
        "ix_vista_reporte_documentos_estado_fecha",
        "vista_reporte_documentos",
        ["estado", "fecha"],
    )
    op.create_index(
        "ix_vista_reporte_documentos_cliente_id_fecha",
        "vista_reporte_documentos",
        ["cliente_id", "fecha"],
    )
    op.create_table(
        "vista_reporte_tarifas",
        sa.Column("documento_id", _ID, nullable=False),
        sa.Column("codigo_porcentaje", sa.String(2), nullable=False),
        sa.Column("base", sa.BigInteger(), nullable=False),
        sa.Column("iva", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "documento_id", "codigo_porcentaje", name="pk_vista_reporte_tarifas"
        ),
    )
    op.create_table(
        "vista_reporte_lineas",
        sa.Column("documento_id", _ID, nullable=False),
        sa.Column("renglon", sa.Integer(), nullable=False, autoincrement=False),
        sa.Column("producto_id", _ID, nullable=False),
        sa.Column("cantidad", sa.BigInteger(), nullable=False),
        sa.Column("base", sa.BigInteger(), nullable=False),
        sa.Column("costo", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("documento_id", "renglon", name="pk_vista_reporte_lineas"),
    )
    op.create_index("ix_vista_reporte_lineas_producto_id", "vista_reporte_lineas", ["producto_id"])


def downgrade() -> None:
    op.drop_index("ix_vista_reporte_lineas_producto_id", table_name="vista_reporte_lineas")
    op.drop_table("vista_reporte_lineas")
    op.drop_table("vista_reporte_tarifas")
    op.drop_index(
        "ix_vista_reporte_documentos_cliente_id_fecha", table_name="vista_reporte_documentos"
    )
    op.drop_index("ix_vista_reporte_documentos_estado_fecha", table_name="vista_reporte_documentos")
    op.drop_table("vista_reporte_documentos")
