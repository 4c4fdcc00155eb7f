"""The reports' read model (migration 0017): every sales document with its tarifa groups
and its lines, on the same `metadata` as the rest of the schema.

As in tablas.py: amounts are BIGINT cents and quantities BIGINT micro-units, so that the
database adds them up exactly on every backend. The figures of a nota de crédito are
stored NEGATIVE: a report is a plain SUM over the documents it selects, and a nota takes
from its month what its factura gave (what formulario 104 declares)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Date, Index, Integer, String, Table

from prometeo.infrastructure.db.tablas import metadata

Id = String(100)

vista_reporte_documentos = Table(
    "vista_reporte_documentos",
    metadata,
    Column("documento_id", Id, primary_key=True),
    Column("tipo", String(12), nullable=False),  # FACTURA or NOTA_CREDITO
    # BORRADOR until emitted; a factura may end ANULADA. Reports read only EMITIDA.
    Column("estado", String(10), nullable=False),
    Column("sucursal_id", Id, nullable=False),
    # A nota's is its factura's; None for consumidor final.
    Column("cliente_id", Id),
    Column("factura_id", Id),  # a nota's factura
    Column("numero", String(17)),
    Column("fecha", Date, nullable=False),
    Column("mes", String(7), nullable=False),  # YYYY-MM of `fecha`: no date functions in SQL
    # Signed cents (negative on a nota): subtotal sin impuestos, IVA, importe total, and
    # the FIFO cost of goods (a nota's: what its devolución put back in stock).
    Column("subtotal", BigInteger, nullable=False),
    Column("iva", BigInteger, nullable=False),
    Column("total", BigInteger, nullable=False),
    Column("costo", BigInteger, nullable=False),
    Index(None, "estado", "fecha"),
    Index(None, "cliente_id", "fecha"),
)

# A document's base and IVA per codigoPorcentaje, as the document itself states them.
vista_reporte_tarifas = Table(
    "vista_reporte_tarifas",
    metadata,
    Column("documento_id", Id, primary_key=True),
    Column("codigo_porcentaje", String(2), primary_key=True),
    Column("base", BigInteger, nullable=False),  # signed cents
    Column("iva", BigInteger, nullable=False),  # signed cents
)

# A document's lines: what each product sold (or gave back) and at what FIFO cost.
vista_reporte_lineas = Table(
    "vista_reporte_lineas",
    metadata,
    Column("documento_id", Id, primary_key=True),
    Column("renglon", Integer, primary_key=True, autoincrement=False),
    Column("producto_id", Id, nullable=False, index=True),
    # Signed: units that left stock (a nota's: those its devolución brought back).
    Column("cantidad", BigInteger, nullable=False),  # micro-units
    Column("base", BigInteger, nullable=False),  # cents, after every discount
    Column("costo", BigInteger, nullable=False),  # cents
)
