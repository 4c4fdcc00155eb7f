"""A catalog that changes (issue 18): products, sucursales, puntos and bodegas can be
deactivated; a product's tarifa can be announced for a later day; every creation and
change is kept in `historial_catalogo`, numbered by `generacion_catalogo` (which also
tells each process when the catalog rows it keeps in memory are stale); products are
found by the words of `palabras_producto`.

Everything existing stays active, with no programmed tarifa and no history (it was
created before history was kept); the words of every existing product are filled in.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from prometeo.infrastructure.db.busqueda import palabras_de
from prometeo.infrastructure.db.tablas import PalabraBinaria

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for tabla in ("sucursales", "puntos_emision", "bodegas", "productos"):
        with op.batch_alter_table(tabla) as alterada:
            # A constant default, not an expression (sa.true()): SQLite adds such a column
            # in place, while for an expression Alembic rebuilds the table, and dropping the
            # old one fails on the foreign keys of the rows that point at it (a sucursal's
            # puntos, a product's barcodes).
            alterada.add_column(sa.Column("activo", sa.Boolean, nullable=False, server_default="1"))
    with op.batch_alter_table("productos") as alterada:
        alterada.add_column(sa.Column("tarifa_programada", sa.String(2)))
        alterada.add_column(sa.Column("tarifa_vigente_desde", sa.Date))
    op.create_table(
        "historial_catalogo",
        sa.Column("numero", sa.BigInteger, nullable=False, autoincrement=False),
        sa.Column("entidad", sa.String(20), nullable=False),
        sa.Column("entidad_id", sa.String(100), nullable=False),
        sa.Column("ocurrido_en", sa.DateTime(timezone=True), nullable=False),
        sa.Column("usuario", sa.String(100), nullable=False),
        sa.Column("token_id", sa.String(36)),
        sa.Column("campos", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("numero", name="pk_historial_catalogo"),
    )
    op.create_index(
        "ix_historial_catalogo_entidad",
        "historial_catalogo",
        ["entidad", "entidad_id", "numero"],
    )
    generacion = op.create_table(
        "generacion_catalogo",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=False),
        sa.Column("generacion", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_generacion_catalogo"),
    )
    op.bulk_insert(generacion, [{"id": 1, "generacion": 0}])
    palabras = op.create_table(
        "palabras_producto",
        sa.Column("palabra", PalabraBinaria, nullable=False),
        sa.Column("producto_id", sa.String(100), nullable=False),
        sa.ForeignKeyConstraint(
            ["producto_id"], ["productos.id"], name="fk_palabras_producto_producto_id_productos"
        ),
        sa.PrimaryKeyConstraint("palabra", "producto_id", name="pk_palabras_producto"),
    )
    conexion = op.get_bind()
    codigos: dict[str, list[str]] = {}
    for producto_id, codigo in conexion.execute(
        sa.text("SELECT producto_id, codigo FROM codigos_barra ORDER BY producto_id, posicion")
    ):
        codigos.setdefault(producto_id, []).append(codigo)
    filas = [
        {"palabra": palabra, "producto_id": producto_id}
        for producto_id, codigo, nombre in conexion.execute(
            sa.text("SELECT id, codigo, nombre FROM productos")
        )
        for palabra in sorted(palabras_de(codigo, nombre, codigos.get(producto_id, ())))
    ]
    if filas:
        op.bulk_insert(palabras, filas)


def downgrade() -> None:
    op.drop_table("palabras_producto")
    op.drop_table("generacion_catalogo")
    op.drop_index("ix_historial_catalogo_entidad", table_name="historial_catalogo")
    op.drop_table("historial_catalogo")
    # In place on every database (SQLite 3.35+ drops a column itself): rebuilding the
    # table, as a batch does on SQLite, fails on the foreign keys of the rows pointing at
    # it (a product's barcodes, a sucursal's puntos).
    op.drop_column("productos", "tarifa_vigente_desde")
    op.drop_column("productos", "tarifa_programada")
    for tabla in ("productos", "bodegas", "puntos_emision", "sucursales"):
        op.drop_column(tabla, "activo")
