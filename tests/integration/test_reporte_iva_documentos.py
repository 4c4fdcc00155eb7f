"""Sales per tarifa de IVA (formulario 104) equal the documents' own figures, for random
facturas (mixed tarifas, line and global discounts, two months) and notas de crédito
(devolución or value only), some facturas annulled, all through the application services:
per month and codigoPorcentaje, the report is the facturas' base and IVA of that tarifa
(from their own lines and totals, read back from the facturas' read model) less the
notas' of that month."""

from __future__ import annotations

import contextlib
import itertools
import shutil
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from apoyo_proyecciones import CLIENTE, HOY, PRODUCTOS, abrir, sembrar
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prometeo.application.comandos import (
    AnularFactura,
    CrearFactura,
    DescuentoGlobalCmd,
    EmitirNotaCredito,
    LineaFacturaCmd,
    LineaNotaCreditoCmd,
    RegistrarIngreso,
)
from prometeo.application.reportes import FiltroReporte
from prometeo.bootstrap import Aplicacion
from prometeo.domain.errores import ErrorDeDominio

CERO = Decimal("0.00")
_lineas = st.lists(
    st.tuples(
        st.sampled_from(list(PRODUCTOS)),  # IVA 15 %, 0 % and 5 %
        st.sampled_from(["1", "2.5", "0.333333", "7", "3"]),
        st.sampled_from([None, "0.99", "12.345678", "3.333333"]),
        st.sampled_from([None, "0.37", "1.00"]),
    ),
    min_size=1,
    max_size=4,
)
_descuento = st.none() | st.tuples(
    st.sampled_from(["PORCENTAJE", "MONTO"]), st.sampled_from(["3", "12.5", "0.50", "2.00"])
)
_factura = st.tuples(_lineas, _descuento, st.sampled_from([0, 4]))  # 29 Nov or 3 Dec
_nota = st.tuples(
    st.integers(0, 9),
    st.booleans(),  # devolución
    st.lists(
        st.tuples(
            st.integers(0, 3), st.sampled_from(["1", "0.5"]), st.sampled_from([None, "0.40"])
        ),
        min_size=1,
        max_size=2,
    ),
    st.sampled_from([0, 2]),  # days after its factura
)
_historia = st.tuples(
    st.lists(_factura, min_size=1, max_size=6),
    st.lists(_nota, max_size=5),
    st.lists(st.integers(0, 9), max_size=2),  # facturas to annul
)


def _jugar(aplicacion: Aplicacion, historia: tuple[Any, ...]) -> None:
    facturas, notas, anuladas = historia
    for producto in PRODUCTOS:
        aplicacion.inventario.registrar_ingreso(RegistrarIngreso(producto, "B1", 1000, "1.25"))
    emitidas: list[tuple[str, date, list[str]]] = []
    for lineas, descuento, dias in facturas:
        fecha = HOY + timedelta(days=dias)
        comando = CrearFactura(
            "P1",
            "B1",
            tuple(LineaFacturaCmd(p, c, precio, desc) for p, c, precio, desc in lineas),
            CLIENTE,
            fecha_emision=fecha,
            descuento_global=None if descuento is None else DescuentoGlobalCmd(*descuento),
        )
        with contextlib.suppress(ErrorDeDominio):  # e.g. a discount above its line
            hecha = aplicacion.facturas.crear_factura(comando)
            emitidas.append((hecha.id, fecha, [p for p, *_ in lineas]))
    for indice, devolucion, lineas_nota, dias in notas:
        if not emitidas:
            break
        factura_id, fecha, productos = emitidas[indice % len(emitidas)]
        credito = tuple(
            LineaNotaCreditoCmd(productos[i % len(productos)], cantidad=c)
            if valor is None or devolucion
            else LineaNotaCreditoCmd(productos[i % len(productos)], valor=valor)
            for i, c, valor in lineas_nota
        )
        comando_nota = EmitirNotaCredito(
            factura_id, "Ajuste", devolucion, credito, fecha + timedelta(days=dias)
        )
        with contextlib.suppress(ErrorDeDominio):  # e.g. more than the line had left
            aplicacion.notas_credito.emitir_nota_credito(comando_nota)
    for indice in anuladas:
        if emitidas:
            factura_id = emitidas[indice % len(emitidas)][0]
            with contextlib.suppress(ErrorDeDominio):  # one with notas cannot be annulled
                aplicacion.facturas.anular_factura(AnularFactura(factura_id, "Error"))


def _de_los_documentos(aplicacion: Aplicacion) -> dict[tuple[str, str], list[Decimal]]:
    """Per month and tarifa: base and IVA of the facturas not annulled less the notas'."""
    consultas = aplicacion.consultas
    esperado: dict[tuple[str, str], list[Decimal]] = defaultdict(lambda: [CERO, CERO])
    for factura in consultas.facturas(limite=1000):
        if factura.estado != "EMITIDA":
            continue
        mes = factura.fecha_emision.isoformat()[:7]
        for tarifa, base in factura.totales.subtotales_por_tarifa.items():
            esperado[mes, tarifa][0] += base
        for linea in factura.lineas:
            assert linea.iva is not None
            esperado[mes, linea.tarifa_iva][1] += linea.iva
    for nota in consultas.notas_credito(limite=1000):
        mes = nota.fecha_emision.isoformat()[:7]
        for tarifa, base in nota.subtotales_por_tarifa.items():
            esperado[mes, tarifa][0] -= base
        for linea_nota in nota.lineas:
            assert linea_nota.iva is not None
            esperado[mes, linea_nota.tarifa_iva][1] -= linea_nota.iva
    return esperado


def _sin_ceros(
    cifras: dict[tuple[str, str], list[Decimal]],
) -> dict[tuple[str, str], list[Decimal]]:
    return {clave: valores for clave, valores in cifras.items() if any(valores)}


def test_ventas_por_tarifa_igual_a_la_suma_de_los_documentos(tmp_path: Path) -> None:
    plantilla = tmp_path / "plantilla.db"
    abrir(f"sqlite:///{plantilla}").cerrar()  # migrated once, copied for every example
    ejemplos = itertools.count()

    @given(_historia)
    @settings(
        max_examples=30,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    def probar(historia: tuple[Any, ...]) -> None:
        # A database and a prometeo of its own: nothing cached outlives an example.
        ruta = tmp_path / f"iva-{next(ejemplos)}.db"
        shutil.copyfile(plantilla, ruta)
        aplicacion = abrir(f"sqlite:///{ruta}")
        try:
            sembrar(aplicacion)
            _jugar(aplicacion, historia)
            _comprobar(aplicacion)
        finally:
            aplicacion.cerrar()
            ruta.unlink()

    probar()


def _comprobar(aplicacion: Aplicacion) -> None:
    reporte = aplicacion.reportes.ventas_por_tarifa(FiltroReporte())
    obtenido = {(v.mes, v.codigo_porcentaje): [v.base, v.iva] for v in reporte}
    assert _sin_ceros(obtenido) == _sin_ceros(_de_los_documentos(aplicacion))
    # The totals too, from the documents' own totals only.
    facturas = [f for f in aplicacion.consultas.facturas(limite=1000) if f.estado == "EMITIDA"]
    notas = aplicacion.consultas.notas_credito(limite=1000)
    vendido = sum((f.totales.importe_total - f.totales.propina for f in facturas), CERO)
    acreditado = sum((n.valor_modificacion for n in notas), CERO)
    assert sum((v.total for v in reporte), CERO) == vendido - acreditado
    diciembre = aplicacion.reportes.ventas_por_tarifa(FiltroReporte(desde=date(2026, 12, 1)))
    assert diciembre == [v for v in reporte if v.mes == "2026-12"]
