"""Esquema inicial: eventos, posición global, snapshots y catálogo.

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TextoLargo = sa.Text().with_variant(mysql.LONGTEXT(), "mysql", "mariadb")


def upgrade() -> None:
    op.create_table(
        "eventos",
        sa.Column("posicion", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("evento_id", sa.String(36), nullable=False),
        sa.Column("stream_id", sa.String(200), nullable=False),
        sa.Column("tipo_stream", sa.String(40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("tipo", sa.String(80), nullable=False),
        sa.Column("version_esquema", sa.Integer(), nullable=False),
        sa.Column("datos", TextoLargo, nullable=False),
        sa.Column("metadatos", sa.Text(), nullable=False),
        sa.Column("ocurrido_en", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("posicion", name="pk_eventos"),
        sa.UniqueConstraint("evento_id", name="uq_eventos_evento_id"),
        sa.UniqueConstraint("stream_id", "version", name="uq_eventos_stream_id_version"),
    )
    posicion = op.create_table(
        "posicion_global",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("ultima", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_posicion_global"),
    )
    op.bulk_insert(posicion, [{"id": 1, "ultima": 0}])
    op.create_table(
        "snapshots",
        sa.Column("stream_id", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("version_esquema", sa.Integer(), nullable=False),
        sa.Column("datos", TextoLargo, nullable=False),
        sa.Column("tomado_en", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("stream_id", name="pk_snapshots"),
    )
    op.create_table(
        "emisor",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("ruc", sa.String(13), nullable=False),
        sa.Column("razon_social", sa.String(300), nullable=False),
        sa.Column("nombre_comercial", sa.String(300), nullable=False),
        sa.Column("direccion_matriz", sa.String(300), nullable=False),
        sa.Column("obligado_contabilidad", sa.Boolean(), nullable=False),
        sa.Column("ambiente", sa.String(1), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_emisor"),
    )
    op.create_table(
        "sucursales",
        sa.Column("id", sa.String(100), nullable=False),
        sa.Column("codigo", sa.String(3), nullable=False),
        sa.Column("nombre", sa.String(300), nullable=False),
        sa.Column("direccion", sa.String(300), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sucursales"),
        sa.UniqueConstraint("codigo", name="uq_sucursales_codigo"),
    )
    op.create_table(
        "puntos_emision",
        sa.Column("id", sa.String(100), nullable=False),
        sa.Column("sucursal_id", sa.String(100), nullable=False),
        sa.Column("codigo", sa.String(3), nullable=False),
        sa.ForeignKeyConstraint(
            ["sucursal_id"], ["sucursales.id"], name="fk_puntos_emision_sucursal_id_sucursales"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_puntos_emision"),
        sa.UniqueConstraint("sucursal_id", "codigo", name="uq_puntos_emision_sucursal_id_codigo"),
    )
    op.create_table(
        "bodegas",
        sa.Column("id", sa.String(100), nullable=False),
        sa.Column("sucursal_id", sa.String(100), nullable=False),
        sa.Column("codigo", sa.String(20), nullable=False),
        sa.Column("nombre", sa.String(300), nullable=False),
        sa.ForeignKeyConstraint(
            ["sucursal_id"], ["sucursales.id"], name="fk_bodegas_sucursal_id_sucursales"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_bodegas"),
        sa.UniqueConstraint("codigo", name="uq_bodegas_codigo"),
    )
    op.create_table(
        "productos",
        sa.Column("id", sa.String(100), nullable=False),
        sa.Column("codigo", sa.String(25), nullable=False),
        sa.Column("nombre", sa.String(300), nullable=False),
        sa.Column("precio", sa.String(40), nullable=False),
        sa.Column("tarifa_iva", sa.String(2), nullable=False),
        sa.Column("stock_minimo", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_productos"),
        sa.UniqueConstraint("codigo", name="uq_productos_codigo"),
    )
    op.create_table(
        "clientes",
        sa.Column("id", sa.String(100), nullable=False),
        sa.Column("tipo_identificacion", sa.String(2), nullable=False),
        sa.Column("identificacion", sa.String(20), nullable=False),
        sa.Column("razon_social", sa.String(300), nullable=False),
        sa.Column("direccion", sa.String(300), nullable=True),
        sa.Column("email", sa.String(254), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_clientes"),
        sa.UniqueConstraint("identificacion", name="uq_clientes_identificacion"),
    )


def downgrade() -> None:
    for tabla in (
        "clientes",
        "productos",
        "bodegas",
        "puntos_emision",
        "sucursales",
        "emisor",
        "snapshots",
        "posicion_global",
        "eventos",
    ):
        op.drop_table(tabla)
