"""The read models' tables (migration 0002), on the same `metadata` as the rest of the
schema so that the migrated database is checked against all of it.

Exact numbers on every backend: quantities the database adds up are BIGINT micro-units
(× 10^6), amounts it adds up BIGINT cents (× 100); figures copied from a document and
never computed in SQL are decimal text. No floats anywhere. The tables hold no foreign
keys: they are derived data, truncated and rebuilt from the event log at will."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Date, Index, Integer, String, Table, Text
from sqlalchemy.dialects import mysql

from prometeo.infrastructure.db.tablas import Decimal_, metadata

Id = String(100)

checkpoints_proyeccion = Table(
    "checkpoints_proyeccion",
    metadata,
    # The global position of the last event each projection has applied.
    Column("nombre", String(60), primary_key=True),
    Column("posicion", BigInteger, nullable=False),
)

# -- inventario ---------------------------------------------------------------------------

vista_stock = Table(
    "vista_stock",
    metadata,
    Column("producto_id", Id, primary_key=True),
    Column("bodega_id", Id, primary_key=True),
    Column("cantidad", BigInteger, nullable=False),  # micro-units
    Column("valor", BigInteger, nullable=False),  # cents
)

vista_lotes = Table(
    "vista_lotes",
    metadata,
    Column("producto_id", Id, primary_key=True),
    Column("bodega_id", Id, primary_key=True),
    Column("lote_id", Id, primary_key=True),
    # FIFO order, ascending: see ProyeccionLotes (a lot re-created by an anulación goes
    # back to the head of the queue, as in the Inventario aggregate).
    Column("orden", BigInteger, nullable=False),
    Column("fecha_ingreso", Date, nullable=False),
    Column("fecha_caducidad", Date),
    Column("cantidad_inicial", BigInteger, nullable=False),
    Column("cantidad_disponible", BigInteger, nullable=False),
    Column("costo_unitario", Decimal_, nullable=False),
    Column("valor_disponible", BigInteger, nullable=False),
)
# The FIFO queue of each producto × bodega: only the lots with stock left (migration 0005).
# Emptied lots stay in the table forever, and an index that also held them was a trap on
# PostgreSQL: its planner took it for the UPDATE of a lot by its key (equality on the first
# two columns, lote_id filtered), walking every emptied lot of the product on each sale.
# A partial index cannot serve a query that does not say `cantidad_disponible > 0`, so
# the key's UPDATE can only use the primary key. MariaDB has no partial indexes: there the
# index holds every lot (its optimizer reads a full primary key match as a constant).
con_stock = vista_lotes.c.cantidad_disponible > 0
Index(
    "ix_vista_lotes_con_stock",
    vista_lotes.c.producto_id,
    vista_lotes.c.bodega_id,
    vista_lotes.c.orden,
    postgresql_where=con_stock,
    sqlite_where=con_stock,
)

vista_kardex = Table(
    "vista_kardex",
    metadata,
    Column("producto_id", Id, primary_key=True),
    Column("bodega_id", Id, primary_key=True),
    # 1, 2, 3... per producto × bodega: the order of the movements and of their balances.
    Column("secuencia", Integer, primary_key=True, autoincrement=False),
    Column("posicion", BigInteger, nullable=False),
    Column("fecha", Date, nullable=False),
    Column("tipo", String(7), nullable=False),
    Column("motivo", String(20), nullable=False),
    Column("documento", Text, nullable=False),
    Column("lote_id", Id, nullable=False),
    Column("cantidad", BigInteger, nullable=False),
    Column("costo_unitario", Decimal_, nullable=False),
    Column("costo_total", BigInteger, nullable=False),
    Column("saldo_cantidad", BigInteger, nullable=False),
    Column("saldo_valor", BigInteger, nullable=False),
)

# -- facturas -----------------------------------------------------------------------------

vista_facturas = Table(
    "vista_facturas",
    metadata,
    Column("id", Id, primary_key=True),
    Column("posicion", BigInteger, nullable=False),  # of FacturaCreada: the listing order
    Column("numero", String(17)),
    Column("estado", String(10), nullable=False),
    Column("fecha_emision", Date, nullable=False),
    Column("punto_emision_id", Id, nullable=False),
    Column("sucursal_id", Id, nullable=False),
    Column("bodega_id", Id, nullable=False),
    Column("cliente_id", Id),
    Column("tipo_identificacion", String(2), nullable=False),
    Column("identificacion", String(20), nullable=False),
    Column("razon_social", String(300), nullable=False),
    Column("direccion", String(300)),
    Column("email", String(254)),
    Column("telefono", String(20)),  # migration 0010
    Column("descuento_tipo", String(10)),
    Column("descuento_valor", Decimal_),
    Column("subtotal_sin_impuestos", Decimal_, nullable=False),
    Column("importes_por_tarifa", Text, nullable=False),  # JSON
    Column("total_descuento", Decimal_, nullable=False),
    Column("iva", Decimal_, nullable=False),
    Column("propina", Decimal_, nullable=False),
    Column("importe_total", Decimal_, nullable=False),
    Column("pagos", Text, nullable=False),  # JSON
    Column("costo_total", Decimal_),
    Column("valor_acreditado", BigInteger, nullable=False),  # cents
    Column("motivo_anulacion", Text),
    Column("fecha_anulacion", Date),
    Column("clave_acceso", String(49)),
    # The electronic document (migration 0009): its SRI state once emitted (null while a
    # draft), the SRI's or the schema's messages (JSON), the authorization when given.
    Column("estado_sri", String(15)),
    Column("mensajes_sri", Text),
    Column("numero_autorizacion", String(49)),
    Column("fecha_autorizacion", String(40)),  # ISO date-time with its offset
    Index(None, "fecha_emision", "posicion"),
    Index(None, "estado_sri"),
    # A factura looked up by number or by its buyer's identification (returns, a
    # document's history), and a punto's parked drafts (the till's F8).
    Index(None, "numero"),
    Index(None, "identificacion"),
    Index(None, "punto_emision_id", "estado"),
)

vista_lineas_factura = Table(
    "vista_lineas_factura",
    metadata,
    Column("factura_id", Id, primary_key=True),
    Column("numero_linea", Integer, primary_key=True, autoincrement=False),
    Column("producto_id", Id, nullable=False),
    Column("codigo", String(25), nullable=False),
    Column("descripcion", String(300), nullable=False),
    Column("cantidad", Decimal_, nullable=False),
    Column("precio_unitario", Decimal_, nullable=False),
    Column("descuento", Decimal_, nullable=False),
    Column("subtotal", Decimal_, nullable=False),
    Column("descuento_global", Decimal_, nullable=False),
    Column("base_imponible", Decimal_, nullable=False),
    Column("tarifa_iva", String(2), nullable=False),
    Column("costo", Decimal_),
    Column("cantidad_acreditada", BigInteger, nullable=False),  # micro-units
    Column("valor_acreditado", BigInteger, nullable=False),  # cents
    # The line's IVA (its share of its tarifa's) and that tarifa's percentage: null only
    # on rows written before they existed, until the projection is rebuilt.
    Column("iva", Decimal_),
    Column("porcentaje_iva", Decimal_),
    # The product's first barcode and unit of measure as copied (migration 0010).
    Column("codigo_auxiliar", String(25)),
    Column("unidad_medida", String(50)),
)

vista_notas_factura = Table(
    "vista_notas_factura",
    metadata,
    Column("factura_id", Id, primary_key=True),
    Column("nota_credito_id", Id, primary_key=True),
    Column("posicion", BigInteger, nullable=False),
    Column("numero_nota_credito", String(17), nullable=False),
    Column("valor_total", Decimal_, nullable=False),
)

# -- notas de crédito ---------------------------------------------------------------------

vista_notas_credito = Table(
    "vista_notas_credito",
    metadata,
    Column("id", Id, primary_key=True),
    Column("posicion", BigInteger, nullable=False),
    Column("numero", String(17)),
    Column("factura_id", Id, nullable=False, index=True),
    Column("numero_factura", String(17), nullable=False),
    Column("estado", String(10), nullable=False),
    Column("fecha_emision", Date, nullable=False),
    Column("punto_emision_id", Id, nullable=False),
    Column("sucursal_id", Id, nullable=False),
    Column("bodega_id", Id, nullable=False),
    Column("motivo", Text, nullable=False),
    Column("devolucion_inventario", Boolean, nullable=False),
    Column("subtotal_sin_impuestos", Decimal_, nullable=False),
    Column("importes_por_tarifa", Text, nullable=False),  # JSON
    Column("iva", Decimal_, nullable=False),
    Column("valor_modificacion", Decimal_, nullable=False),
    Column("clave_acceso", String(49)),
    # The electronic document (migration 0009): its SRI state once emitted (null while a
    # draft), the SRI's or the schema's messages (JSON), the authorization when given.
    Column("estado_sri", String(15)),
    Column("mensajes_sri", Text),
    Column("numero_autorizacion", String(49)),
    Column("fecha_autorizacion", String(40)),  # ISO date-time with its offset
    Index(None, "numero"),  # a nota looked up by number (a document's history)
    Index(None, "estado_sri"),
)

# The signed XML of every comprobante (migration 0009), byte for byte as signed: kept
# apart from the document views so that listing documents never reads it.
vista_xml_comprobantes = Table(
    "vista_xml_comprobantes",
    metadata,
    Column("documento_id", Id, primary_key=True),
    Column("tipo_comprobante", String(2), nullable=False),
    Column("clave_acceso", String(49), nullable=False),
    Column("firmado_en", String(40), nullable=False),
    Column("xml", Text().with_variant(mysql.MEDIUMTEXT(), "mysql", "mariadb"), nullable=False),
    # The SRI's <autorizacion> document once AUTORIZADO (migration 0011).
    Column("autorizacion", Text().with_variant(mysql.MEDIUMTEXT(), "mysql", "mariadb")),
)

vista_lineas_nota_credito = Table(
    "vista_lineas_nota_credito",
    metadata,
    Column("nota_credito_id", Id, primary_key=True),
    Column("renglon", Integer, primary_key=True, autoincrement=False),
    Column("numero_linea_factura", Integer, nullable=False),
    Column("producto_id", Id, nullable=False),
    Column("cantidad", Decimal_, nullable=False),
    Column("valor", Decimal_, nullable=False),
    Column("tarifa_iva", String(2), nullable=False),
    Column("costo_unitario", Decimal_, nullable=False),
    # The line as the nota states it (null on rows and events from before they existed).
    Column("codigo", String(25)),
    Column("descripcion", String(300)),
    Column("precio_unitario", Decimal_),
    Column("descuento", Decimal_),
    Column("porcentaje_iva", Decimal_),
    Column("iva", Decimal_),
    Column("codigo_auxiliar", String(25)),  # migration 0010
)

# -- ventas diarias -----------------------------------------------------------------------

vista_ventas_diarias = Table(
    "vista_ventas_diarias",
    metadata,
    Column("fecha", Date, primary_key=True),
    Column("sucursal_id", Id, primary_key=True),
    # Facturas emitted that day and not annulled (an anulación takes its factura back out
    # of the day it was emitted), in cents.
    Column("facturas", Integer, nullable=False),
    Column("subtotal", BigInteger, nullable=False),
    Column("iva", BigInteger, nullable=False),
    Column("total", BigInteger, nullable=False),
    Column("costo", BigInteger, nullable=False),
    # Notas de crédito emitted that day, apart: the net sale is the difference.
    Column("notas_credito", Integer, nullable=False),
    Column("subtotal_notas", BigInteger, nullable=False),
    Column("iva_notas", BigInteger, nullable=False),
    Column("total_notas", BigInteger, nullable=False),
    Column("costo_notas", BigInteger, nullable=False),  # goods back in stock (devolución)
)

# What the daily sales must remember of a document: a factura's day, branch and amounts
# (to take it back out when annulled); a nota de crédito only until it is emitted.
vista_ventas_documentos = Table(
    "vista_ventas_documentos",
    metadata,
    Column("documento_id", Id, primary_key=True),
    Column("tipo", String(12), nullable=False),
    Column("estado", String(10), nullable=False),
    Column("sucursal_id", Id, nullable=False),
    Column("fecha", Date, nullable=False),
    Column("subtotal", BigInteger, nullable=False),
    Column("iva", BigInteger, nullable=False),
    Column("total", BigInteger, nullable=False),
    Column("costo", BigInteger, nullable=False),
)
