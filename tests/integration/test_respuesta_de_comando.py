"""A factura or nota de crédito created by a command is answered from the events that
command committed (`ServicioConsultas.factura_de`, `nota_credito_de`), built by the
projections' own functions: it must be exactly what reading the read model back gives,
for every shape of document, and it must not need the read model at all."""

from __future__ import annotations

import contextlib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from apoyo_proyecciones import BODEGAS, CLIENTE, HOY, PUNTOS, abrir, sembrar
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bases_de_datos import todos_los_backends
from prometeo.application.comandos import (
    CrearFactura,
    DescuentoGlobalCmd,
    EmitirFactura,
    EmitirNotaCredito,
    LineaFacturaCmd,
    LineaNotaCreditoCmd,
    RegistrarIngreso,
)
from prometeo.application.resultados import DocumentoRegistrado
from prometeo.bootstrap import Aplicacion, bootstrap
from prometeo.domain.errores import ErrorDeDominio, NoEncontrado
from prometeo.infrastructure.proyecciones import notas_credito
from prometeo.infrastructure.proyecciones.facturas import filas_de_creacion
from prometeo.infrastructure.settings import Settings


def _tienda(aplicacion: Aplicacion) -> None:
    """The shop, with stock in three lots at different costs for every product."""
    sembrar(aplicacion)
    for producto in ("CAFE", "PAN", "TE"):
        for costo in ("1.10", "2.345678", "0.75"):
            aplicacion.inventario.registrar_ingreso(
                RegistrarIngreso(producto, BODEGAS[0], 400, costo)
            )


def _vender(
    aplicacion: Aplicacion, *lineas: LineaFacturaCmd, **opciones: Any
) -> DocumentoRegistrado:
    """A factura of the first punto de emisión, out of the bodega with stock."""
    return aplicacion.facturas.crear_factura(
        CrearFactura(PUNTOS[0], BODEGAS[0], lineas, **opciones)
    )


def _iguales(aplicacion: Aplicacion, comprobante: DocumentoRegistrado) -> None:
    assert filas_de_creacion(comprobante.eventos) is not None  # built, not read back
    assert aplicacion.consultas.factura_de(comprobante) == aplicacion.consultas.factura(
        comprobante.id
    )


@todos_los_backends
def test_la_factura_creada_es_la_que_se_lee_del_modelo(url_base: str) -> None:
    """Emitted over two lots, with a cliente, a global discount, a line discount, a price
    of six decimals, three IVA tarifas and a propina; and a draft with a discount."""
    aplicacion = abrir(url_base)
    try:
        _tienda(aplicacion)
        emitida = _vender(
            aplicacion,
            LineaFacturaCmd("CAFE", 450, descuento="3.00"),
            LineaFacturaCmd("TE", "2.5"),
            LineaFacturaCmd("PAN", 3, precio_unitario="1.25"),
            cliente_id=CLIENTE,
            descuento_global=DescuentoGlobalCmd("PORCENTAJE", "12.5"),
            propina="1.10",
        )
        _iguales(aplicacion, emitida)
        vista = aplicacion.consultas.factura_de(emitida)
        assert vista.estado == "EMITIDA"
        assert vista.numero == "001-001-000000001"
        # 450 units over two lots: 400 at 1.10 and 50 at 2.345678.
        assert vista.lineas[0].costo == Decimal("557.28")
        borrador = _vender(
            aplicacion,
            LineaFacturaCmd("PAN", 2),
            LineaFacturaCmd("CAFE", 1),
            descuento_global=DescuentoGlobalCmd("MONTO", "1.30"),
            borrador=True,
        )
        _iguales(aplicacion, borrador)
        assert aplicacion.consultas.factura_de(borrador).estado == "BORRADOR"
    finally:
        aplicacion.cerrar()


@todos_los_backends
def test_la_nota_de_credito_emitida_es_la_que_se_lee_del_modelo(url_base: str) -> None:
    """With devolución over two tarifas, and in value only."""
    aplicacion = abrir(url_base)
    try:
        _tienda(aplicacion)
        factura = _vender(
            aplicacion,
            LineaFacturaCmd("CAFE", 3),
            LineaFacturaCmd("TE", "2.5"),
            cliente_id=CLIENTE,
            descuento_global=DescuentoGlobalCmd("PORCENTAJE", "10"),
        )
        for devolucion, lineas in (
            (True, (LineaNotaCreditoCmd("CAFE", cantidad=1), LineaNotaCreditoCmd("TE", "0.5"))),
            (False, (LineaNotaCreditoCmd("CAFE", valor="1.00"),)),
        ):
            nota = aplicacion.notas_credito.emitir_nota_credito(
                EmitirNotaCredito(factura.id, "Devolución", devolucion, lineas)
            )
            assert notas_credito.filas_de_creacion(nota.eventos) is not None
            vista = aplicacion.consultas.nota_credito_de(nota)
            assert vista == aplicacion.consultas.nota_credito(nota.id)
            assert (vista.estado, vista.devolucion_inventario) == ("EMITIDA", devolucion)
        assert notas_credito.filas_de_creacion(nota.eventos[1:]) is None
        assert notas_credito.filas_de_creacion(factura.eventos) is None
    finally:
        aplicacion.cerrar()


def test_sin_los_eventos_de_su_creacion_la_factura_se_lee(tmp_path: Path) -> None:
    """Emitting a draft records only FacturaEmitida: the factura must be read back."""
    aplicacion = abrir(f"sqlite:///{tmp_path / 'lectura.db'}")
    try:
        _tienda(aplicacion)
        borrador = _vender(aplicacion, LineaFacturaCmd("PAN", 2), borrador=True)
        aplicacion.facturas.emitir_factura(EmitirFactura(borrador.id))
        emitida = DocumentoRegistrado(borrador.id, None, borrador.eventos[1:])
        assert filas_de_creacion(emitida.eventos) is None
        assert aplicacion.consultas.factura_de(emitida).estado == "EMITIDA"
        # The creation of one factura with an event of another: not one factura's story.
        otra = _vender(aplicacion, LineaFacturaCmd("PAN", 1))
        assert filas_de_creacion(borrador.eventos + otra.eventos[1:]) is None
        assert filas_de_creacion(()) is None
    finally:
        aplicacion.cerrar()


def test_con_proyecciones_distribuidas_responde_sin_esperar_al_modelo(tmp_path: Path) -> None:
    """Commands only store events there: the read model knows nothing of the factura yet,
    and the command's answer does not depend on it."""
    url = f"sqlite:///{tmp_path / 'distribuida.db'}"
    aplicacion = bootstrap(Settings(database_url=url, hoy=HOY, proyecciones="distribuidas"))
    try:
        _tienda(aplicacion)
        comprobante = _vender(aplicacion, LineaFacturaCmd("CAFE", 2), cliente_id=CLIENTE)
        with pytest.raises(NoEncontrado):
            aplicacion.consultas.factura(comprobante.id)
        vista = aplicacion.consultas.factura_de(comprobante)
        assert (vista.id, vista.numero, vista.estado) == (
            comprobante.id,
            "001-001-000000001",
            "EMITIDA",
        )
        assert vista.totales.importe_total == Decimal("23.00")
        nota = aplicacion.notas_credito.emitir_nota_credito(
            EmitirNotaCredito(
                comprobante.id, "Rebaja", False, (LineaNotaCreditoCmd("CAFE", valor="2.00"),)
            )
        )
        with pytest.raises(NoEncontrado):
            aplicacion.consultas.nota_credito(nota.id)
        assert aplicacion.consultas.nota_credito_de(nota).valor_modificacion == Decimal("2.30")
    finally:
        aplicacion.cerrar()


_precios = st.none() | st.sampled_from(["0.01", "1.25", "2.333333", "99.99"])
_descuentos_linea = st.none() | st.sampled_from(["0.00", "0.10", "1.00"])
_lineas = st.lists(
    st.builds(
        LineaFacturaCmd,
        st.sampled_from(["CAFE", "PAN", "TE"]),
        st.sampled_from(["1", "2", "0.5", "3.25", "2.000001", "150"]),
        _precios,
        _descuentos_linea,
    ),
    min_size=1,
    max_size=5,
)
_facturas = st.builds(
    CrearFactura,
    st.sampled_from(PUNTOS),
    st.just(BODEGAS[0]),
    _lineas.map(tuple),
    st.none() | st.just(CLIENTE),
    descuento_global=st.none()
    | st.builds(
        DescuentoGlobalCmd,
        st.sampled_from(["PORCENTAJE", "MONTO"]),
        st.sampled_from(["0", "5", "12.5", "0.50"]),
    ),
    propina=st.none() | st.sampled_from(["0.00", "0.35", "2.00"]),
    borrador=st.booleans(),
)


@pytest.mark.parametrize("url_base", ["sqlite", "postgresql"], indirect=True)
def test_cualquier_factura_creada_es_la_que_se_lee_del_modelo(url_base: str) -> None:
    aplicacion = abrir(url_base)
    _tienda(aplicacion)

    @given(_facturas)
    @settings(
        max_examples=60,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    def probar(comando: CrearFactura) -> None:
        comprobante = None
        with contextlib.suppress(ErrorDeDominio):
            comprobante = aplicacion.facturas.crear_factura(comando)
        assume(comprobante is not None)
        assert comprobante is not None
        _iguales(aplicacion, comprobante)

    try:
        probar()
    finally:
        aplicacion.cerrar()
