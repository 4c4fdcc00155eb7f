"""Selling for less needs authority: below the list price, or a discount (line or global)
beyond the share a seller may give alone, only with `rebajas_autorizadas` (the API gives it
to admin); and a factura is sold from a bodega of its punto's sucursal."""

from __future__ import annotations

from decimal import Decimal

import pytest
from escenario import BODEGA, CAFE, PAN, PUNTO, SUCURSAL, Escenario, reglas

from prometeo.application.comandos import (
    AgregarLinea,
    AplicarDescuento,
    CrearBodega,
    CrearFactura,
    CrearSucursal,
    DescuentoGlobalCmd,
    LineaFacturaCmd,
    PagoCmd,
)
from prometeo.application.config import Configuracion
from prometeo.domain.errores import ReglasIncumplidas, ValorInvalido

DESCUENTO = "DescuentoAutorizado"


def _factura(*lineas: LineaFacturaCmd, **extra: object) -> CrearFactura:
    return CrearFactura(PUNTO, BODEGA, lineas, cliente_id="cliente-1", **extra)  # type: ignore[arg-type]


@pytest.fixture
def surtida(tienda: Escenario) -> Escenario:
    tienda.ingresar(CAFE, "50", "4.00")  # list price 10.00
    tienda.ingresar(PAN, "50", "0.50")  # list price 1.50
    return tienda


@pytest.mark.parametrize(
    ("linea", "global_", "incumplidas"),
    [
        (LineaFacturaCmd(CAFE, "2", "9.99"), None, {"PrecioDeListaAutorizado"}),
        (LineaFacturaCmd(CAFE, "2", None, "2.01"), None, {"DescuentoAutorizado"}),
        (
            LineaFacturaCmd(CAFE, "2"),
            DescuentoGlobalCmd("PORCENTAJE", "10.5"),
            {"DescuentoAutorizado"},
        ),
        (LineaFacturaCmd(CAFE, "2"), DescuentoGlobalCmd("MONTO", "2.01"), {"DescuentoAutorizado"}),
        (
            LineaFacturaCmd(CAFE, "2", "5", "3"),
            None,
            {"PrecioDeListaAutorizado", "DescuentoAutorizado"},
        ),
    ],
)
def test_sin_autoridad_una_rebaja_no_se_vende(
    surtida: Escenario,
    linea: LineaFacturaCmd,
    global_: DescuentoGlobalCmd | None,
    incumplidas: set[str],
) -> None:
    cmd = _factura(linea, descuento_global=global_, rebajas_autorizadas=False)
    with pytest.raises(ReglasIncumplidas) as error:
        surtida.facturas.crear_factura(cmd)
    assert reglas(error.value) == incumplidas
    assert surtida.stock(CAFE) == 50  # nothing sold
    # With authority, the same sale goes through.
    autorizada = _factura(linea, descuento_global=global_, rebajas_autorizadas=True)
    assert surtida.facturas.crear_factura(autorizada).numero is not None


@pytest.mark.parametrize(
    ("linea", "global_"),
    [
        (LineaFacturaCmd(CAFE, "2"), None),
        (LineaFacturaCmd(CAFE, "2", "10.50"), None),  # above list price: fine
        (LineaFacturaCmd(CAFE, "2", None, "2.00"), None),  # exactly 10 %
        (LineaFacturaCmd(CAFE, "2"), DescuentoGlobalCmd("PORCENTAJE", "10")),
        (LineaFacturaCmd(CAFE, "2", None, "1.00"), DescuentoGlobalCmd("MONTO", "1.90")),
    ],
)
def test_sin_autoridad_se_vende_al_precio_de_lista_con_el_descuento_permitido(
    surtida: Escenario, linea: LineaFacturaCmd, global_: DescuentoGlobalCmd | None
) -> None:
    cmd = _factura(linea, descuento_global=global_, rebajas_autorizadas=False)
    assert surtida.facturas.crear_factura(cmd).numero is not None


def test_el_descuento_permitido_se_configura(surtida: Escenario) -> None:
    surtida.config = Configuracion(
        espera_maxima_segundos=0, descuento_maximo_sin_autorizacion=Decimal(0)
    )
    cmd = _factura(LineaFacturaCmd(CAFE, "1", None, "0.01"), rebajas_autorizadas=False)
    with pytest.raises(ReglasIncumplidas) as error:
        surtida.facturas.crear_factura(cmd)
    assert reglas(error.value) == {"DescuentoAutorizado"}


def test_en_un_borrador_tambien(surtida: Escenario) -> None:
    borrador = surtida.facturas.crear_factura(
        _factura(LineaFacturaCmd(CAFE, "1"), borrador=True, rebajas_autorizadas=False)
    )
    with pytest.raises(ReglasIncumplidas) as error:
        surtida.facturas.agregar_linea(
            AgregarLinea(borrador.id, PAN, "1", "1.00", rebajas_autorizadas=False)
        )
    assert reglas(error.value) == {"PrecioDeListaAutorizado"}
    with pytest.raises(ReglasIncumplidas):
        surtida.facturas.aplicar_descuento(
            AplicarDescuento(borrador.id, "MONTO", "1.01", rebajas_autorizadas=False)
        )
    surtida.facturas.aplicar_descuento(
        AplicarDescuento(borrador.id, "MONTO", "1.00", rebajas_autorizadas=False)
    )
    assert len(surtida.factura(borrador.id).lineas) == 1


def test_se_vende_desde_una_bodega_de_la_sucursal_del_punto(surtida: Escenario) -> None:
    catalogo = surtida.catalogo_service
    catalogo.crear_sucursal(CrearSucursal("002", "Norte", "Av. Prensa", sucursal_id="s2"))
    catalogo.crear_bodega(CrearBodega("s2", "N1", "Norte", bodega_id="bodega-norte"))
    surtida.ingresar(CAFE, "5", "4.00", bodega="bodega-norte")
    cmd = CrearFactura(PUNTO, "bodega-norte", (LineaFacturaCmd(CAFE, "1"),), cliente_id="cliente-1")
    with pytest.raises(ValorInvalido) as error:
        surtida.facturas.crear_factura(cmd)
    assert reglas(error.value) == {"BodegaDeLaSucursal"}
    assert surtida.stock(CAFE, "bodega-norte") == 5
    assert SUCURSAL != "s2"  # the punto is the first sucursal's


def test_una_factura_con_varios_errores_los_nombra_todos(surtida: Escenario) -> None:
    cmd = CrearFactura(
        PUNTO,
        BODEGA,
        (LineaFacturaCmd(CAFE, "-1"), LineaFacturaCmd(PAN, "0.0000001")),
        cliente_id="cliente-1",
        pagos=(PagoCmd("99", "1.00"),),
        propina="mucho",
    )
    with pytest.raises(ReglasIncumplidas) as error:
        surtida.facturas.crear_factura(cmd)
    mensajes = [e.mensaje for e in error.value.errores]
    assert len(mensajes) == 4, mensajes  # both lines, the pago and the propina
    assert surtida.stock(CAFE) == 50
