"""Many processes emitting facturas for the same few products and one punto de emisión:
no oversell, no negative stock, gapless unique numbers, nothing half-written."""

from __future__ import annotations

import multiprocessing
from collections import Counter
from decimal import Decimal

import pytest
from facturacion_concurrente import HOY, PRODUCTOS, emitir_facturas, preparar_tienda

from prometeo.bootstrap import bootstrap
from prometeo.domain.aggregates.inventario import Inventario
from prometeo.domain.events.base import EventoDominio
from prometeo.domain.events.factura import FacturaCreada, FacturaEmitida
from prometeo.domain.events.inventario import LoteIngresado, StockIncrementado, StockReducido
from prometeo.domain.events.secuencia import SecuencialAsignado
from prometeo.infrastructure.db.almacen_eventos import almacen_eventos
from prometeo.infrastructure.serializacion import CodecEventos
from prometeo.infrastructure.settings import Settings

PROCESOS = 8
FACTURAS_POR_PROCESO = 10


def preparar(url: str) -> None:
    aplicacion = bootstrap(Settings(database_url=url, hoy=HOY))
    try:
        preparar_tienda(aplicacion)
    finally:
        aplicacion.cerrar()


def eventos_decodificados(url: str) -> list[tuple[str, EventoDominio]]:
    aplicacion = bootstrap(Settings(database_url=url), migrar_esquema=False)
    codec = CodecEventos()
    try:
        with aplicacion.engine.connect() as conexion:
            return [
                (e.stream_id, codec.decodificar(e.tipo, e.version_esquema, e.datos))
                for e in almacen_eventos(conexion).recorrer()
            ]
    finally:
        aplicacion.cerrar()


@pytest.mark.parametrize("url_base", ["sqlite", "postgresql", "mariadb"], indirect=True)
def test_facturas_concurrentes_no_sobrevenden_ni_repiten_numeros(url_base: str) -> None:
    preparar(url_base)
    contexto = multiprocessing.get_context("spawn")
    with contexto.Pool(PROCESOS) as pool:
        resultados = pool.starmap(
            emitir_facturas,
            [(url_base, semilla, FACTURAS_POR_PROCESO) for semilla in range(PROCESOS)],
        )
    emitidas = [f for r in resultados for f in r["emitidas"]]  # type: ignore[union-attr]
    fallidas = [f for r in resultados for f in (*r["rechazadas"], *r["conflictos"])]  # type: ignore[misc]
    assert len(emitidas) + len(fallidas) == PROCESOS * FACTURAS_POR_PROCESO
    assert emitidas, "ninguna factura se emitió"

    eventos = eventos_decodificados(url_base)
    secuenciales = [e.secuencial for _, e in eventos if isinstance(e, SecuencialAsignado)]
    assert sorted(secuenciales) == list(range(1, len(emitidas) + 1))
    emitidas_en_log = [e for _, e in eventos if isinstance(e, FacturaEmitida)]
    assert sorted(e.factura_id for e in emitidas_en_log) == sorted(emitidas)
    assert len({e.numero for e in emitidas_en_log}) == len(emitidas)
    # A failed attempt left nothing behind: no factura was even created.
    creadas = {e.factura_id for _, e in eventos if isinstance(e, FacturaCreada)}
    assert creadas == set(emitidas)
    assert not creadas & set(fallidas)

    por_stream: dict[str, list[EventoDominio]] = {}
    for stream_id, evento in eventos:
        por_stream.setdefault(stream_id, []).append(evento)
    vendido: Counter[str] = Counter()
    for evento in emitidas_en_log:
        for linea in evento.lineas:
            vendido[linea.producto_id] += linea.cantidad
    for producto in PRODUCTOS:
        historia = por_stream[f"inventario-{Inventario.id_para(producto, 'bodega')}"]
        inventario = Inventario.reconstruir(Inventario.id_para(producto, "bodega"), historia)
        entradas = sum(
            (e.cantidad for e in historia if isinstance(e, LoteIngresado | StockIncrementado)),
            Decimal(0),
        )
        salidas = sum((e.cantidad for e in historia if isinstance(e, StockReducido)), Decimal(0))
        assert inventario.stock >= 0
        assert inventario.stock == entradas - salidas
        assert salidas == vendido[producto]
        assert all(lote.cantidad_disponible >= 0 for lote in inventario.lotes)
