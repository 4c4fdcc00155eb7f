"""The projections' batched writes on every backend: prebuilt statements run through the
driver, PostgreSQL's one statement per batch (column arrays) and the kardex's running
balances computed by the database write what one statement per row wrote."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.exc import DBAPIError

from bases_de_datos import todos_los_backends
from prometeo.domain.events.inventario import ConsumoLote, LoteIngresado, StockReducido
from prometeo.infrastructure.proyecciones.base import EventoProyectado
from prometeo.infrastructure.proyecciones.escritura import (
    actualizar_por_clave,
    insertar,
    sumar_por_clave,
)
from prometeo.infrastructure.proyecciones.kardex import (
    _POR_CONSULTA,
    ProyeccionKardex,
    _ultimos_saldos,
)
from prometeo.infrastructure.proyecciones.tablas import (
    vista_facturas,
    vista_kardex,
    vista_lotes,
    vista_stock,
)

HOY = date(2026, 11, 29)


def _lote(producto: str, lote: str, caducidad: date | None = None) -> dict[str, Any]:
    return {
        "producto_id": producto,
        "bodega_id": "B1",
        "lote_id": lote,
        "orden": 1,
        "fecha_ingreso": HOY,
        "fecha_caducidad": caducidad,
        "cantidad_inicial": 10_000_000,
        "cantidad_disponible": 10_000_000,
        "costo_unitario": "1.25",
        "valor_disponible": 1250,
    }


def _filas(engine: Engine, tabla: Any) -> list[tuple[Any, ...]]:
    with engine.connect() as conexion:
        consulta = select(tabla).order_by(*tabla.primary_key.columns)
        return [tuple(fila) for fila in conexion.execute(consulta)]


@todos_los_backends
def test_insertar_y_actualizar_varias_filas(engine: Engine) -> None:
    """NULLs, dates and text round-trip; an UPDATE by key whose batch names a key twice
    applies both rows in order, as one statement per row does (summing twice, the last
    value set winning)."""
    with engine.begin() as conexion:
        insertar(
            conexion, vista_lotes, [_lote("CAFE", "L1", date(2027, 1, 31)), _lote("PAN", "L2")]
        )
        actualizar_por_clave(
            conexion,
            vista_lotes,
            ("producto_id", "bodega_id", "lote_id"),
            [
                {
                    "producto_id": "CAFE",
                    "bodega_id": "B1",
                    "lote_id": "L1",
                    "cantidad_disponible": -1,
                },
                {
                    "producto_id": "CAFE",
                    "bodega_id": "B1",
                    "lote_id": "L1",
                    "cantidad_disponible": -2,
                },
                {
                    "producto_id": "PAN",
                    "bodega_id": "B1",
                    "lote_id": "L2",
                    "cantidad_disponible": -5,
                },
            ],
            sumar=("cantidad_disponible",),
        )
        actualizar_por_clave(
            conexion,
            vista_lotes,
            ("producto_id", "bodega_id", "lote_id"),
            [
                {"producto_id": "PAN", "bodega_id": "B1", "lote_id": "L2", "orden": 7},
                {"producto_id": "PAN", "bodega_id": "B1", "lote_id": "L2", "orden": 9},
                {"producto_id": "CAFE", "bodega_id": "B1", "lote_id": "L1", "orden": -3},
            ],
        )
        actualizar_por_clave(  # distinct keys: one statement on PostgreSQL
            conexion,
            vista_lotes,
            ("producto_id", "bodega_id", "lote_id"),
            [
                {
                    "producto_id": "CAFE",
                    "bodega_id": "B1",
                    "lote_id": "L1",
                    "valor_disponible": -50,
                },
                {"producto_id": "PAN", "bodega_id": "B1", "lote_id": "L2", "valor_disponible": -25},
            ],
            sumar=("valor_disponible",),
        )
    assert [(f[0], f[3], f[5], f[7], f[8], f[9]) for f in _filas(engine, vista_lotes)] == [
        ("CAFE", -3, date(2027, 1, 31), 9_999_997, "1.25", 1200),
        ("PAN", 9, None, 9_999_995, "1.25", 1225),
    ]


@todos_los_backends
def test_sumar_por_clave_inserta_o_suma(engine: Engine) -> None:
    claves, sumandos = ("producto_id", "bodega_id"), ("cantidad", "valor")
    for _ in range(2):
        with engine.begin() as conexion:
            sumar_por_clave(
                conexion,
                vista_stock,
                claves,
                sumandos,
                [
                    {"producto_id": "CAFE", "bodega_id": "B1", "cantidad": 3, "valor": 2**40},
                    {"producto_id": "PAN", "bodega_id": "B1", "cantidad": -1, "valor": -7},
                ],
            )
    assert _filas(engine, vista_stock) == [("CAFE", "B1", 6, 2**41), ("PAN", "B1", -2, -14)]


@pytest.mark.parametrize("url_base", ["sqlite", "postgresql"], indirect=True)
def test_un_texto_mas_largo_que_su_columna_no_se_corta(engine: Engine) -> None:
    """PostgreSQL's arrays go as VARCHAR[] without a length: a cast to VARCHAR(17) would
    cut a longer number silently, where the column refuses it (SQLite keeps it whole)."""
    largo = "001-001-0000000001"  # 18 characters in a String(17)
    filas = [
        {"id": f"F{i}", "posicion": i, "numero": largo, "estado": "EMITIDA",
         "fecha_emision": HOY, "punto_emision_id": "P1", "sucursal_id": "S1",
         "bodega_id": "B1", "tipo_identificacion": "07", "identificacion": "9999999999999",
         "razon_social": "CONSUMIDOR FINAL", "subtotal_sin_impuestos": "0.00",
         "importes_por_tarifa": "[]", "total_descuento": "0.00", "iva": "0.00",
         "propina": "0.00", "importe_total": "0.00", "pagos": "[]", "valor_acreditado": 0}
        for i in (1, 2)
    ]  # fmt: skip
    if engine.dialect.name == "postgresql":
        with pytest.raises(DBAPIError), engine.begin() as conexion:
            insertar(conexion, vista_facturas, filas)
        assert _filas(engine, vista_facturas) == []
    else:
        with engine.begin() as conexion:
            insertar(conexion, vista_facturas, filas)
        assert [f[2] for f in _filas(engine, vista_facturas)] == [largo, largo]


def _ingreso(
    posicion: int, producto: str, bodega: str, cantidad: str, costo: str, valor: str
) -> Any:
    evento = LoteIngresado(
        producto_id=producto,
        bodega_id=bodega,
        lote_id=f"L{posicion}",
        fecha=HOY,
        cantidad=Decimal(cantidad),
        costo_unitario=Decimal(costo),
        valor=Decimal(valor),
        documento=f"FC-{posicion}",
    )
    return EventoProyectado(posicion, f"inventario-{producto}-{bodega}", posicion, evento)


def _venta(posicion: int, producto: str, bodega: str, *consumos: tuple[str, str, str, str]) -> Any:
    lotes = tuple(
        ConsumoLote(lote, Decimal(c), Decimal(u), Decimal(v)) for lote, c, u, v in consumos
    )
    evento = StockReducido(
        producto_id=producto,
        bodega_id=bodega,
        fecha=HOY,
        documento=f"001-001-{posicion:09d}",
        documento_id=f"F{posicion}",
        cantidad=sum((lt.cantidad for lt in lotes), Decimal(0)),
        costo=sum((lt.costo for lt in lotes), Decimal(0)),
        consumos=lotes,
    )
    return EventoProyectado(posicion, f"inventario-{producto}-{bodega}", posicion, evento)


@todos_los_backends
def test_el_kardex_da_lo_mismo_en_un_lote_que_evento_a_evento(engine: Engine) -> None:
    """Several pairs interleaved in one batch, exits over several lots, a pair that
    already had movements: secuencia and balances continue from each pair's last row."""
    eventos = [
        _ingreso(1, "CAFE", "B1", "10", "4.00", "40.00"),
        _ingreso(2, "PAN", "B1", "100", "0.50", "50.00"),
        _ingreso(3, "CAFE", "B1", "10", "5.00", "50.00"),
        _venta(4, "CAFE", "B1", ("L1", "10", "4.00", "40.00"), ("L3", "2", "5.00", "10.00")),
        _ingreso(5, "CAFE", "B2", "2.5", "2.333333", "5.83"),
        _venta(6, "PAN", "B1", ("L2", "3", "0.50", "1.50")),
        _venta(7, "CAFE", "B1", ("L3", "1", "5.00", "5.00")),
        _venta(8, "CAFE", "B2", ("L5", "0.5", "2.333333", "1.17")),
    ]
    kardex = ProyeccionKardex()
    resultados = []
    for lotes in ([eventos[:2], eventos[2:]], [[e] for e in eventos]):
        with engine.begin() as conexion:
            conexion.execute(vista_kardex.delete())
        for lote in lotes:
            with engine.begin() as conexion:
                kardex.aplicar(conexion, lote)
        resultados.append(_filas(engine, vista_kardex))
    assert resultados[0] == resultados[1]
    saldos = [(f[0], f[1], f[2], f[12], f[13]) for f in resultados[0]]
    assert saldos == [
        ("CAFE", "B1", 1, 10_000_000, 4000),
        ("CAFE", "B1", 2, 20_000_000, 9000),
        ("CAFE", "B1", 3, 10_000_000, 5000),
        ("CAFE", "B1", 4, 8_000_000, 4000),
        ("CAFE", "B1", 5, 7_000_000, 3500),
        ("CAFE", "B2", 1, 2_500_000, 583),
        ("CAFE", "B2", 2, 2_000_000, 466),
        ("PAN", "B1", 1, 100_000_000, 5000),
        ("PAN", "B1", 2, 97_000_000, 4850),
    ]


@pytest.mark.parametrize("url_base", ["postgresql", "mariadb"], indirect=True)
def test_los_ultimos_saldos_de_mas_pares_que_una_consulta(engine: Engine) -> None:
    """The query MariaDB's kardex uses (SQLite has no ORDER BY/LIMIT inside a UNION),
    over several chunks, pairs without movements included."""
    pares = [(f"P{i:03d}", f"B{i % 2}") for i in range(_POR_CONSULTA + 30)]
    filas = [
        {"producto_id": p, "bodega_id": b, "secuencia": s, "posicion": s, "fecha": HOY,
         "tipo": "ENTRADA", "motivo": "INGRESO", "documento": "", "lote_id": "L",
         "cantidad": 1, "costo_unitario": "1", "costo_total": 1,
         "saldo_cantidad": 10 * s + i, "saldo_valor": 100 * s + i}
        for i, (p, b) in enumerate(pares)
        for s in range(1, 1 + i % 4)
    ]  # fmt: skip
    with engine.begin() as conexion:
        insertar(conexion, vista_kardex, filas)
    esperado = {
        (p, b): (i % 4, 10 * (i % 4) + i, 100 * (i % 4) + i)
        for i, (p, b) in enumerate(pares)
        if i % 4
    }
    with engine.connect() as conexion:
        assert _ultimos_saldos(conexion, {*pares, ("NADA", "B0")}) == esperado
