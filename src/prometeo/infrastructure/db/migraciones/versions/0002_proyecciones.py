"""Proyecciones (modelos de lectura): checkpoints, stock, lotes, kardex, facturas, notas de
crédito y ventas diarias.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29

Tablas derivadas del registro de eventos: `prometeo projections rebuild` las vacía y las
vuelve a llenar. Cantidades que se suman en SQL: BIGINT en millonésimas; montos: BIGINT
en centavos; cifras copiadas de un documento: texto decimal exacto.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

Id = sa.String(100)
Decimal_ = sa.String(40)


def _no_nulo(nombre: str, tipo: Any) -> sa.Column[Any]:
    return sa.Column(nombre, tipo, nullable=False)


def upgrade() -> None:
    op.create_table(
        "checkpoints_proyeccion",
        _no_nulo("nombre", sa.String(60)),
        _no_nulo("posicion", sa.BigInteger()),
        sa.PrimaryKeyConstraint("nombre", name="pk_checkpoints_proyeccion"),
    )
    op.create_table(
        "vista_stock",
        _no_nulo("producto_id", Id),
        _no_nulo("bodega_id", Id),
        _no_nulo("cantidad", sa.BigInteger()),
        _no_nulo("valor", sa.BigInteger()),
        sa.PrimaryKeyConstraint("producto_id", "bodega_id", name="pk_vista_stock"),
    )
    op.create_table(
        "vista_lotes",
        _no_nulo("producto_id", Id),
        _no_nulo("bodega_id", Id),
        _no_nulo("lote_id", Id),
        _no_nulo("orden", sa.BigInteger()),
        _no_nulo("fecha_ingreso", sa.Date()),
        sa.Column("fecha_caducidad", sa.Date(), nullable=True),
        _no_nulo("cantidad_inicial", sa.BigInteger()),
        _no_nulo("cantidad_disponible", sa.BigInteger()),
        _no_nulo("costo_unitario", Decimal_),
        _no_nulo("valor_disponible", sa.BigInteger()),
        sa.PrimaryKeyConstraint("producto_id", "bodega_id", "lote_id", name="pk_vista_lotes"),
    )
    op.create_index(
        "ix_vista_lotes_producto_id_bodega_id_orden",
        "vista_lotes",
        ["producto_id", "bodega_id", "orden"],
    )
    op.create_table(
        "vista_kardex",
        _no_nulo("producto_id", Id),
        _no_nulo("bodega_id", Id),
        sa.Column("secuencia", sa.Integer(), autoincrement=False, nullable=False),
        _no_nulo("posicion", sa.BigInteger()),
        _no_nulo("fecha", sa.Date()),
        _no_nulo("tipo", sa.String(7)),
        _no_nulo("motivo", sa.String(20)),
        _no_nulo("documento", sa.Text()),
        _no_nulo("lote_id", Id),
        _no_nulo("cantidad", sa.BigInteger()),
        _no_nulo("costo_unitario", Decimal_),
        _no_nulo("costo_total", sa.BigInteger()),
        _no_nulo("saldo_cantidad", sa.BigInteger()),
        _no_nulo("saldo_valor", sa.BigInteger()),
        sa.PrimaryKeyConstraint("producto_id", "bodega_id", "secuencia", name="pk_vista_kardex"),
    )
    op.create_table(
        "vista_facturas",
        _no_nulo("id", Id),
        _no_nulo("posicion", sa.BigInteger()),
        sa.Column("numero", sa.String(17), nullable=True),
        _no_nulo("estado", sa.String(10)),
        _no_nulo("fecha_emision", sa.Date()),
        _no_nulo("punto_emision_id", Id),
        _no_nulo("sucursal_id", Id),
        _no_nulo("bodega_id", Id),
        sa.Column("cliente_id", Id, nullable=True),
        _no_nulo("tipo_identificacion", sa.String(2)),
        _no_nulo("identificacion", sa.String(20)),
        _no_nulo("razon_social", sa.String(300)),
        sa.Column("direccion", sa.String(300), nullable=True),
        sa.Column("email", sa.String(254), nullable=True),
        sa.Column("descuento_tipo", sa.String(10), nullable=True),
        sa.Column("descuento_valor", Decimal_, nullable=True),
        _no_nulo("subtotal_sin_impuestos", Decimal_),
        _no_nulo("importes_por_tarifa", sa.Text()),
        _no_nulo("total_descuento", Decimal_),
        _no_nulo("iva", Decimal_),
        _no_nulo("propina", Decimal_),
        _no_nulo("importe_total", Decimal_),
        _no_nulo("pagos", sa.Text()),
        sa.Column("costo_total", Decimal_, nullable=True),
        _no_nulo("valor_acreditado", sa.BigInteger()),
        sa.Column("motivo_anulacion", sa.Text(), nullable=True),
        sa.Column("fecha_anulacion", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_vista_facturas"),
    )
    op.create_index(
        "ix_vista_facturas_fecha_emision_posicion", "vista_facturas", ["fecha_emision", "posicion"]
    )
    op.create_table(
        "vista_lineas_factura",
        _no_nulo("factura_id", Id),
        sa.Column("numero_linea", sa.Integer(), autoincrement=False, nullable=False),
        _no_nulo("producto_id", Id),
        _no_nulo("codigo", sa.String(25)),
        _no_nulo("descripcion", sa.String(300)),
        _no_nulo("cantidad", Decimal_),
        _no_nulo("precio_unitario", Decimal_),
        _no_nulo("descuento", Decimal_),
        _no_nulo("subtotal", Decimal_),
        _no_nulo("descuento_global", Decimal_),
        _no_nulo("base_imponible", Decimal_),
        _no_nulo("tarifa_iva", sa.String(2)),
        sa.Column("costo", Decimal_, nullable=True),
        _no_nulo("cantidad_acreditada", sa.BigInteger()),
        _no_nulo("valor_acreditado", sa.BigInteger()),
        sa.PrimaryKeyConstraint("factura_id", "numero_linea", name="pk_vista_lineas_factura"),
    )
    op.create_table(
        "vista_notas_factura",
        _no_nulo("factura_id", Id),
        _no_nulo("nota_credito_id", Id),
        _no_nulo("posicion", sa.BigInteger()),
        _no_nulo("numero_nota_credito", sa.String(17)),
        _no_nulo("valor_total", Decimal_),
        sa.PrimaryKeyConstraint("factura_id", "nota_credito_id", name="pk_vista_notas_factura"),
    )
    op.create_table(
        "vista_notas_credito",
        _no_nulo("id", Id),
        _no_nulo("posicion", sa.BigInteger()),
        sa.Column("numero", sa.String(17), nullable=True),
        _no_nulo("factura_id", Id),
        _no_nulo("numero_factura", sa.String(17)),
        _no_nulo("estado", sa.String(10)),
        _no_nulo("fecha_emision", sa.Date()),
        _no_nulo("punto_emision_id", Id),
        _no_nulo("sucursal_id", Id),
        _no_nulo("bodega_id", Id),
        _no_nulo("motivo", sa.Text()),
        _no_nulo("devolucion_inventario", sa.Boolean()),
        _no_nulo("subtotal_sin_impuestos", Decimal_),
        _no_nulo("importes_por_tarifa", sa.Text()),
        _no_nulo("iva", Decimal_),
        _no_nulo("valor_modificacion", Decimal_),
        sa.PrimaryKeyConstraint("id", name="pk_vista_notas_credito"),
    )
    op.create_index("ix_vista_notas_credito_factura_id", "vista_notas_credito", ["factura_id"])
    op.create_table(
        "vista_lineas_nota_credito",
        _no_nulo("nota_credito_id", Id),
        sa.Column("renglon", sa.Integer(), autoincrement=False, nullable=False),
        _no_nulo("numero_linea_factura", sa.Integer()),
        _no_nulo("producto_id", Id),
        _no_nulo("cantidad", Decimal_),
        _no_nulo("valor", Decimal_),
        _no_nulo("tarifa_iva", sa.String(2)),
        _no_nulo("costo_unitario", Decimal_),
        sa.PrimaryKeyConstraint("nota_credito_id", "renglon", name="pk_vista_lineas_nota_credito"),
    )
    op.create_table(
        "vista_ventas_diarias",
        _no_nulo("fecha", sa.Date()),
        _no_nulo("sucursal_id", Id),
        _no_nulo("facturas", sa.Integer()),
        _no_nulo("subtotal", sa.BigInteger()),
        _no_nulo("iva", sa.BigInteger()),
        _no_nulo("total", sa.BigInteger()),
        _no_nulo("costo", sa.BigInteger()),
        _no_nulo("notas_credito", sa.Integer()),
        _no_nulo("subtotal_notas", sa.BigInteger()),
        _no_nulo("iva_notas", sa.BigInteger()),
        _no_nulo("total_notas", sa.BigInteger()),
        _no_nulo("costo_notas", sa.BigInteger()),
        sa.PrimaryKeyConstraint("fecha", "sucursal_id", name="pk_vista_ventas_diarias"),
    )
    op.create_table(
        "vista_ventas_documentos",
        _no_nulo("documento_id", Id),
        _no_nulo("tipo", sa.String(12)),
        _no_nulo("estado", sa.String(10)),
        _no_nulo("sucursal_id", Id),
        _no_nulo("fecha", sa.Date()),
        _no_nulo("subtotal", sa.BigInteger()),
        _no_nulo("iva", sa.BigInteger()),
        _no_nulo("total", sa.BigInteger()),
        _no_nulo("costo", sa.BigInteger()),
        sa.PrimaryKeyConstraint("documento_id", name="pk_vista_ventas_documentos"),
    )


def downgrade() -> None:
    op.drop_index("ix_vista_notas_credito_factura_id", table_name="vista_notas_credito")
    op.drop_index("ix_vista_facturas_fecha_emision_posicion", table_name="vista_facturas")
    op.drop_index("ix_vista_lotes_producto_id_bodega_id_orden", table_name="vista_lotes")
    for tabla in (
        "vista_ventas_documentos",
        "vista_ventas_diarias",
        "vista_lineas_nota_credito",
        "vista_notas_credito",
        "vista_notas_factura",
        "vista_lineas_factura",
        "vista_facturas",
        "vista_kardex",
        "vista_lotes",
        "vista_stock",
        "checkpoints_proyeccion",
    ):
        op.drop_table(tabla)
