"""The catalog data the SRI documents print (issue 14): each product's barcodes (the
first is its lines' codigoAuxiliar) and unit of measure (unidadMedida), each cliente's
phone; and the same as copied into the document views (the factura's buyer's phone, its
lines' codigo_auxiliar and unidad_medida, the nota's lines' codigo_auxiliar).

Every new column is nullable and the barcode table starts empty: existing products have
no barcode nor unit, existing clientes no phone, and existing view rows stay null (the
documents they show never copied them; a rebuild gives the same).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "codigos_barra",
        sa.Column("producto_id", sa.String(100), nullable=False),
        sa.Column("posicion", sa.Integer, nullable=False, autoincrement=False),
        sa.Column("codigo", sa.String(25), nullable=False),
        sa.ForeignKeyConstraint(
            ["producto_id"], ["productos.id"], name="fk_codigos_barra_producto_id_productos"
        ),
        sa.PrimaryKeyConstraint("producto_id", "posicion", name="pk_codigos_barra"),
        sa.UniqueConstraint("codigo", name="uq_codigos_barra_codigo"),
    )
    with op.batch_alter_table("productos") as tabla:
        tabla.add_column(sa.Column("unidad_medida", sa.String(50)))
    with op.batch_alter_table("clientes") as tabla:
        tabla.add_column(sa.Column("telefono", sa.String(20)))
    with op.batch_alter_table("vista_facturas") as tabla:
        tabla.add_column(sa.Column("telefono", sa.String(20)))
    with op.batch_alter_table("vista_lineas_factura") as tabla:
        tabla.add_column(sa.Column("codigo_auxiliar", sa.String(25)))
        tabla.add_column(sa.Column("unidad_medida", sa.String(50)))
    with op.batch_alter_table("vista_lineas_nota_credito") as tabla:
        tabla.add_column(sa.Column("codigo_auxiliar", sa.String(25)))


def downgrade() -> None:
    with op.batch_alter_table("vista_lineas_nota_credito") as tabla:
        tabla.drop_column("codigo_auxiliar")
    with op.batch_alter_table("vista_lineas_factura") as tabla:
        tabla.drop_column("unidad_medida")
        tabla.drop_column("codigo_auxiliar")
    with op.batch_alter_table("vista_facturas") as tabla:
        tabla.drop_column("telefono")
    with op.batch_alter_table("clientes") as tabla:
        tabla.drop_column("telefono")
    with op.batch_alter_table("productos") as tabla:
        tabla.drop_column("unidad_medida")
    op.drop_table("codigos_barra")
