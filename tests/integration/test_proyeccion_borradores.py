"""Drafts in the factura read model: every change a cajero makes (a line added or taken
off, the buyer, the discount, the pagos, the propina, discarding it) shows in the live read
model, and a rebuild from the log yields exactly the same rows, whatever the batch size."""

from __future__ import annotations

from decimal import Decimal

import pytest
from apoyo_proyecciones import CLIENTE, abrir, al_dia, sembrar, volcar

from bases_de_datos import todos_los_backends
from prometeo.application.comandos import (
    AgregarLinea,
    CambiarLinea,
    CrearFactura,
    DescartarBorrador,
    DescuentoGlobalCmd,
    EmitirFactura,
    LineaFacturaCmd,
    ModificarBorrador,
    PagoCmd,
    ProductoEscaneado,
    QuitarLinea,
    RegistrarIngreso,
    SumarAlBorrador,
)
from prometeo.bootstrap import Aplicacion
from prometeo.infrastructure.proyecciones import reconstruir


def _borradores(aplicacion: Aplicacion) -> None:
    """D1 changed in every way and left a draft; D2 loses its first line and is emitted;
    D3 gets a line and is discarded."""
    sembrar(aplicacion)
    aplicacion.inventario.registrar_ingreso(
        RegistrarIngreso("CAFE", "B1", 20, "4.00", None, "FC-1", "L1")
    )
    aplicacion.inventario.registrar_ingreso(
        RegistrarIngreso("PAN", "B1", 50, "0.50", None, "FC-2", "L2")
    )
    fac = aplicacion.facturas
    for id_ in ("D1", "D2", "D3"):
        fac.crear_factura(
            CrearFactura(
                "P1",
                "B1",
                (LineaFacturaCmd("PAN", 2), LineaFacturaCmd("CAFE", 1)),
                borrador=True,
                factura_id=id_,
            )
        )
    fac.agregar_linea(AgregarLinea("D1", "TE", 3))
    fac.quitar_linea(QuitarLinea("D1", 1))  # PAN off: CAFE is 1, TE is 2
    fac.modificar_borrador(
        ModificarBorrador(
            "D1",
            cambiar_cliente=True,
            cliente_id=CLIENTE,
            descuento_global=DescuentoGlobalCmd("PORCENTAJE", "10"),
            propina="1.00",
        )
    )
    fac.modificar_borrador(ModificarBorrador("D1", pagos=(PagoCmd("19", "17.97"),)))
    fac.quitar_linea(QuitarLinea("D2", 1))
    fac.emitir_factura(EmitirFactura("D2", pagos=(PagoCmd("16", "11.50"),)))
    fac.agregar_linea(AgregarLinea("D3", "TE", 1))
    # Scanned at the till: PAN onto its line (LineaCambiada), then its line corrected.
    fac.sumar_al_borrador(SumarAlBorrador((ProductoEscaneado("PAN", 3),), factura_id="D3"))
    fac.cambiar_linea(CambiarLinea("D3", 2, 2, descuento="1.00"))
    fac.descartar_borrador(DescartarBorrador("D3"))


@todos_los_backends
def test_los_borradores_reconstruidos_desde_el_historial_son_los_mismos(url_base: str) -> None:
    aplicacion = abrir(url_base)
    try:
        _borradores(aplicacion)
        d1 = aplicacion.consultas.factura("D1")
        assert [(ln.numero_linea, ln.producto_id) for ln in d1.lineas] == [(1, "CAFE"), (2, "TE")]
        assert (d1.estado, d1.cliente_id, d1.cliente.identificacion) == (
            "BORRADOR",
            CLIENTE,
            "0602910945",
        )
        # 10.00 + round2(6.999999) = 17.00 − 10 % = 15.30; IVA 15 % of 9.00 = 1.35, 5 % of 6.30 =
        # 0.32 (0.315 rounded half up); propina 1.00.
        assert d1.totales.importe_total == Decimal("17.97")
        assert [(p.forma_pago, p.total) for p in d1.pagos] == [("19", Decimal("17.97"))]
        d2 = aplicacion.consultas.factura("D2")
        assert (d2.estado, [ln.producto_id for ln in d2.lineas]) == ("EMITIDA", ["CAFE"])
        assert [(p.forma_pago, p.total) for p in d2.pagos] == [("16", Decimal("11.50"))]
        d3 = aplicacion.consultas.factura("D3")
        assert (d3.estado, d3.numero, len(d3.lineas)) == ("DESCARTADA", None, 3)
        assert [(ln.producto_id, ln.cantidad, ln.descuento) for ln in d3.lineas] == [
            ("PAN", Decimal(5), Decimal(0)),
            ("CAFE", Decimal(2), Decimal("1.00")),
            ("TE", Decimal(1), Decimal(0)),
        ]
        # PAN 5 × 1.50, CAFE 2 × 10.00 − 1.00, TE round2(2.333333).
        assert d3.totales.subtotal_sin_impuestos == Decimal("28.83")
        borradores = aplicacion.consultas.facturas(estado="BORRADOR")
        assert [f.id for f in borradores] == ["D1"]

        al_dia(aplicacion)
        vivo = volcar(aplicacion.engine)
        for lote in (1, 2, 1000):
            reconstruir(aplicacion.engine, lote=lote)
            assert volcar(aplicacion.engine) == vivo, f"lote de {lote}"
    finally:
        aplicacion.cerrar()


@pytest.mark.parametrize("lote", [1, 4])
def test_quitar_lineas_de_un_borrador_guardado_borra_sus_ultimas_filas(
    url_base: str, lote: int
) -> None:
    """A draft stored in earlier batches that loses lines: the rows past its new last line
    are deleted, the others rewritten under their new numbers."""
    aplicacion = abrir(url_base)
    try:
        sembrar(aplicacion)
        fac = aplicacion.facturas
        lineas = tuple(LineaFacturaCmd(p, 1) for p in ("PAN", "CAFE", "TE", "PAN"))
        fac.crear_factura(CrearFactura("P1", "B1", lineas, borrador=True, factura_id="D9"))
        fac.quitar_linea(QuitarLinea("D9", 2))
        fac.quitar_linea(QuitarLinea("D9", 3))
        d9 = aplicacion.consultas.factura("D9")
        assert [(ln.numero_linea, ln.producto_id) for ln in d9.lineas] == [(1, "PAN"), (2, "TE")]
        assert d9.totales.importe_total == Decimal("1.50") + Decimal("2.45")
        al_dia(aplicacion)
        vivo = volcar(aplicacion.engine)
        reconstruir(aplicacion.engine, lote=lote)
        assert volcar(aplicacion.engine) == vivo
    finally:
        aplicacion.cerrar()
