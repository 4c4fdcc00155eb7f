"""What the till does with a draft: products scanned added onto their line or opening
one (a new draft on the first scan), a line's quantity and discount changed in place, a
draft another tab changed refused instead of overwritten, and the draft reviewed from its
own events with every rule that would stop its emission."""

from __future__ import annotations

from decimal import Decimal

import pytest
from escenario import BODEGA, CAFE, PAN, PUNTO, Escenario, borrador, reglas

from prometeo.application.comandos import (
    CambiarLinea,
    EmitirFactura,
    LineaFacturaCmd,
    ModificarBorrador,
    ProductoEscaneado,
    QuitarLinea,
    SumarAlBorrador,
)
from prometeo.domain.aggregates.factura import EstadoFactura
from prometeo.domain.errores import NoEncontrado, ReglasIncumplidas


def _escanear(
    tienda: Escenario,
    *productos: tuple[str, str],
    factura_id: str | None = None,
    version: int | None = None,
) -> str:
    return tienda.facturas.sumar_al_borrador(
        SumarAlBorrador(
            tuple(ProductoEscaneado(p, c) for p, c in productos),
            factura_id=factura_id,
            punto_emision_id=PUNTO,
            bodega_id=BODEGA,
            version_esperada=version,
        )
    )


def test_el_primer_escaneo_crea_el_borrador_y_los_repetidos_suman(tienda: Escenario) -> None:
    fid = _escanear(tienda, (CAFE, "1"), (PAN, "2"), (CAFE, "1"))
    factura = tienda.factura(fid)
    assert factura.estado is EstadoFactura.BORRADOR
    assert [(ln.numero_linea, ln.producto_id, ln.cantidad) for ln in factura.lineas] == [
        (1, CAFE, Decimal(2)),
        (2, PAN, Decimal(2)),
    ]
    # One transaction: created, two lines, the repeated café onto its line.
    assert tienda.tipos() == ["FacturaCreada", "LineaAgregada", "LineaAgregada", "LineaCambiada"]
    _escanear(tienda, (PAN, "3"), factura_id=fid)
    assert tienda.tipos() == ["LineaCambiada"]
    assert tienda.factura(fid).linea(2).cantidad == Decimal(5)


def test_una_linea_con_descuento_no_recibe_los_escaneos(tienda: Escenario) -> None:
    fid = borrador(tienda, LineaFacturaCmd(CAFE, 1, descuento="1.00"))
    _escanear(tienda, (CAFE, "1"), factura_id=fid)
    assert [(ln.cantidad, ln.descuento) for ln in tienda.factura(fid).lineas] == [
        (Decimal(1), Decimal("1.00")),
        (Decimal(1), Decimal(0)),
    ]


def test_un_producto_que_no_existe_rechaza_todo_el_escaneo(tienda: Escenario) -> None:
    fid = _escanear(tienda, (CAFE, "1"))
    antes = len(tienda.almacen.transacciones)
    with pytest.raises(NoEncontrado):
        _escanear(tienda, (PAN, "1"), ("no-existe", "1"), factura_id=fid)
    assert len(tienda.almacen.transacciones) == antes
    assert len(tienda.factura(fid).lineas) == 1


def test_cambiar_una_linea_la_deja_en_su_lugar(tienda: Escenario) -> None:
    fid = borrador(tienda, LineaFacturaCmd(CAFE, 1), LineaFacturaCmd(PAN, 1))
    tienda.facturas.cambiar_linea(CambiarLinea(fid, 1, "3", descuento="2.50"))
    linea = tienda.factura(fid).linea(1)
    assert (linea.producto_id, linea.cantidad, linea.descuento) == (CAFE, 3, Decimal("2.50"))
    assert linea.precio_unitario == Decimal("10.00")
    assert tienda.factura(fid).totales().importe_total == Decimal("33.13")  # 27.50 + 15 % + 1.50
    with pytest.raises(ReglasIncumplidas) as error:
        tienda.facturas.cambiar_linea(CambiarLinea(fid, 2, "1", descuento="2.00"))
    assert reglas(error.value) == {"DescuentoLineaValido"}
    with pytest.raises(ReglasIncumplidas) as error:
        tienda.facturas.cambiar_linea(CambiarLinea(fid, 3, "1"))
    assert reglas(error.value) == {"LineaExistente"}


def test_una_rebaja_sin_autorizacion_se_rechaza_al_cambiar_la_linea(tienda: Escenario) -> None:
    fid = borrador(tienda, LineaFacturaCmd(CAFE, 1))
    with pytest.raises(ReglasIncumplidas) as error:
        tienda.facturas.cambiar_linea(
            CambiarLinea(fid, 1, "1", descuento="9.00", rebajas_autorizadas=False)
        )
    assert len(reglas(error.value)) == 1
    assert tienda.factura(fid).linea(1).descuento == 0


def test_otra_pestana_no_pisa_el_borrador(tienda: Escenario) -> None:
    fid = _escanear(tienda, (CAFE, "1"))
    vista = tienda.facturas.revisar_borrador(fid).version
    # The other tab scans first...
    _escanear(tienda, (PAN, "1"), factura_id=fid, version=vista)
    antes = len(tienda.almacen.transacciones)
    # ...so every change this tab makes from what it saw is refused, nothing written.
    cambios = [
        lambda: _escanear(tienda, (CAFE, "1"), factura_id=fid, version=vista),
        lambda: tienda.facturas.cambiar_linea(CambiarLinea(fid, 1, "5", version_esperada=vista)),
        lambda: tienda.facturas.quitar_linea(QuitarLinea(fid, 1, version_esperada=vista)),
        lambda: tienda.facturas.modificar_borrador(
            ModificarBorrador(fid, propina="1.00", version_esperada=vista)
        ),
        lambda: tienda.facturas.emitir_factura(EmitirFactura(fid, version_esperada=vista)),
    ]
    for cambio in cambios:
        with pytest.raises(ReglasIncumplidas) as error:
            cambio()
        assert reglas(error.value) == {"BorradorSinCambiosAjenos"}
    assert len(tienda.almacen.transacciones) == antes
    actual = tienda.facturas.revisar_borrador(fid).version
    assert actual == vista + 1
    tienda.facturas.cambiar_linea(CambiarLinea(fid, 1, "5", version_esperada=actual))


def test_la_revision_dice_lo_que_impide_emitir(tienda: Escenario) -> None:
    tienda.ingresar(CAFE, "2", "4.00")
    fid = _escanear(tienda, (CAFE, "3"), (PAN, "1"))
    revision = tienda.facturas.revisar_borrador(fid)
    assert revision.version == len(tienda.tipos())
    assert revision.totales.importe_total == Decimal("36.00")
    assert {e.regla for e in revision.errores} == {"StockSuficienteParaFactura"}
    antes = len(tienda.almacen.transacciones)
    tienda.facturas.cambiar_linea(CambiarLinea(fid, 1, "2"))
    tienda.ingresar(PAN, "5", "0.50")
    assert tienda.facturas.revisar_borrador(fid).errores == ()
    assert len(tienda.almacen.transacciones) == antes + 2
    tienda.facturas.emitir_factura(EmitirFactura(fid))
    emitida = tienda.facturas.revisar_borrador(fid)
    assert emitida.factura.estado is EstadoFactura.EMITIDA
    assert emitida.errores == ()
