"""Drafts a cajero can use: lines added and taken off, buyer, discount, pagos and propina
changed, discarded, emitted with its pagos, and a preview that stores nothing. Every
change leaves a draft that satisfies the draft rules, or is refused whole."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from escenario import BODEGA, CAFE, CLIENTE, HOY, PAN, PUNTO, Escenario, borrador, reglas

from prometeo.application.comandos import (
    AgregarLinea,
    CrearFactura,
    DescartarBorrador,
    DescuentoGlobalCmd,
    EmitirFactura,
    LineaFacturaCmd,
    ModificarBorrador,
    PagoCmd,
    QuitarLinea,
)
from prometeo.domain.aggregates.factura import EstadoFactura
from prometeo.domain.errores import OperacionNoPermitida, ReglasIncumplidas
from prometeo.domain.reloj import RelojFijo


def _eventos(tienda: Escenario) -> int:
    return sum(len(t) for t in tienda.almacen.transacciones)


def test_quitar_una_linea_corre_las_siguientes(tienda: Escenario) -> None:
    fid = borrador(
        tienda, LineaFacturaCmd(PAN, 1), LineaFacturaCmd(CAFE, 1), LineaFacturaCmd(PAN, 3)
    )
    tienda.facturas.quitar_linea(QuitarLinea(fid, 1))
    factura = tienda.factura(fid)
    assert [(ln.numero_linea, ln.producto_id, ln.cantidad) for ln in factura.lineas] == [
        (1, CAFE, Decimal(1)),
        (2, PAN, Decimal(3)),
    ]
    assert tienda.tipos() == ["LineaEliminada"]
    assert factura.totales().importe_total == Decimal("16.00")
    with pytest.raises(ReglasIncumplidas) as error:
        tienda.facturas.quitar_linea(QuitarLinea(fid, 3))
    assert reglas(error.value) == {"LineaExistente"}


def test_un_borrador_modificado_se_emite_con_lo_que_se_le_cambio(tienda: Escenario) -> None:
    tienda.ingresar(CAFE, "10", "4.00")
    fid = borrador(tienda, LineaFacturaCmd(CAFE, 2))
    tienda.facturas.modificar_borrador(
        ModificarBorrador(
            fid,
            cambiar_cliente=True,
            cliente_id=CLIENTE,
            descuento_global=DescuentoGlobalCmd("PORCENTAJE", "10"),
            propina="1.00",
            pagos=(PagoCmd("19", "21.70"),),
        )
    )
    assert tienda.tipos() == [
        "ClienteAsignado",
        "DescuentoAplicado",
        "PropinaDefinida",
        "PagosDefinidos",
    ]
    emitida = tienda.facturas.emitir_factura(EmitirFactura(fid))
    factura = tienda.factura(emitida.id)
    assert (factura.estado, factura.cliente_id) == (EstadoFactura.EMITIDA, CLIENTE)
    # 20.00 − 10 % = 18.00; IVA 15 % = 2.70; propina 1.00.
    assert factura.importe_total == Decimal("21.70")
    assert [(p.forma_pago, p.total) for p in factura.pagos] == [("19", Decimal("21.70"))]


def test_volver_a_consumidor_final(tienda: Escenario) -> None:
    fid = borrador(tienda, LineaFacturaCmd(PAN, 1), cliente_id=CLIENTE)
    tienda.facturas.modificar_borrador(ModificarBorrador(fid, cambiar_cliente=True))
    factura = tienda.factura(fid)
    assert (factura.cliente_id, factura.comprador.es_consumidor_final) == (None, True)


def test_pagos_que_no_cuadran_se_rechazan_y_no_cambian_nada(tienda: Escenario) -> None:
    fid = borrador(tienda, LineaFacturaCmd(CAFE, 1))
    antes = _eventos(tienda)
    with pytest.raises(ReglasIncumplidas) as error:
        tienda.facturas.modificar_borrador(
            ModificarBorrador(fid, propina="0.50", pagos=(PagoCmd("01", "5.00"),))
        )
    assert reglas(error.value) == {"PagosCuadranConTotal"}
    assert _eventos(tienda) == antes
    assert tienda.factura(fid).propina == Decimal("0.00")


def test_un_borrador_se_crea_solo_con_pagos_que_cuadran(tienda: Escenario) -> None:
    with pytest.raises(ReglasIncumplidas) as error:
        borrador(tienda, LineaFacturaCmd(CAFE, 1), pagos=(PagoCmd("01", "1.00"),))
    assert reglas(error.value) == {"PagosCuadranConTotal"}
    assert tienda.almacen.transacciones == []


def test_con_pagos_definidos_agregar_una_linea_se_rechaza(tienda: Escenario) -> None:
    """A draft is never left with pagos that no longer add up: the cajero changes them
    (or clears them) with the change, or first."""
    fid = borrador(tienda, LineaFacturaCmd(CAFE, 1), pagos=(PagoCmd("01", "11.50"),))
    with pytest.raises(ReglasIncumplidas) as error:
        tienda.facturas.agregar_linea(AgregarLinea(fid, PAN, 1))
    assert reglas(error.value) == {"PagosCuadranConTotal"}
    assert len(tienda.factura(fid).lineas) == 1
    tienda.facturas.modificar_borrador(ModificarBorrador(fid, pagos=()))
    tienda.facturas.agregar_linea(AgregarLinea(fid, PAN, 1))
    assert len(tienda.factura(fid).lineas) == 2


def test_un_importe_absurdo_se_rechaza_al_cambiar_el_borrador(tienda: Escenario) -> None:
    with pytest.raises(ReglasIncumplidas) as error:
        borrador(tienda, LineaFacturaCmd(CAFE, "999999999999", "999999999999"))
    assert reglas(error.value) == {"SubtotalLineaDentroDelLimite"}
    # Each line is below the limit, with its IVA too; two of them are not.
    fid = borrador(tienda, LineaFacturaCmd(CAFE, "500000000", "1000"))
    with pytest.raises(ReglasIncumplidas) as error:
        tienda.facturas.agregar_linea(AgregarLinea(fid, CAFE, "500000000", "1000"))
    assert reglas(error.value) == {"ImporteTotalDentroDelLimite"}
    assert len(tienda.factura(fid).lineas) == 1


def test_la_propina_y_el_descuento_se_comprueban_en_el_borrador(tienda: Escenario) -> None:
    fid = borrador(tienda, LineaFacturaCmd(CAFE, 1), LineaFacturaCmd(PAN, 2))
    with pytest.raises(ReglasIncumplidas) as error:
        tienda.facturas.modificar_borrador(
            ModificarBorrador(
                fid, propina="5.00", descuento_global=DescuentoGlobalCmd("MONTO", "20.00")
            )
        )
    assert reglas(error.value) == {"DescuentoGlobalValido", "PropinaDentroDelLimite"}
    tienda.facturas.modificar_borrador(ModificarBorrador(fid, propina="1.30"))
    with pytest.raises(ReglasIncumplidas) as error:
        tienda.facturas.quitar_linea(QuitarLinea(fid, 1))  # the propina would exceed 10 %
    assert reglas(error.value) == {"PropinaDentroDelLimite"}


def test_un_cajero_no_da_descuentos_grandes_al_modificar(tienda: Escenario) -> None:
    fid = borrador(tienda, LineaFacturaCmd(CAFE, 1))
    with pytest.raises(ReglasIncumplidas) as error:
        tienda.facturas.modificar_borrador(
            ModificarBorrador(
                fid,
                descuento_global=DescuentoGlobalCmd("PORCENTAJE", "30"),
                rebajas_autorizadas=False,
            )
        )
    assert reglas(error.value) == {"DescuentoAutorizado"}


def test_descartar_un_borrador(tienda: Escenario) -> None:
    fid = borrador(tienda, LineaFacturaCmd(CAFE, 1))
    tienda.facturas.descartar_borrador(DescartarBorrador(fid))
    assert tienda.factura(fid).estado is EstadoFactura.DESCARTADA
    for cambio in (
        lambda: tienda.facturas.agregar_linea(AgregarLinea(fid, PAN, 1)),
        lambda: tienda.facturas.descartar_borrador(DescartarBorrador(fid)),
    ):
        with pytest.raises(OperacionNoPermitida) as error:
            cambio()
        assert reglas(error.value) == {"FacturaBorrador"}
    with pytest.raises(ReglasIncumplidas) as error:
        tienda.facturas.emitir_factura(EmitirFactura(fid))
    assert "FacturaEnBorrador" in reglas(error.value)


def test_una_emitida_no_se_descarta_ni_se_modifica(tienda: Escenario) -> None:
    tienda.ingresar(CAFE, "10", "4.00")
    emitida = tienda.vender((CAFE, "1"))
    for cambio in (
        lambda: tienda.facturas.descartar_borrador(DescartarBorrador(emitida.id)),
        lambda: tienda.facturas.quitar_linea(QuitarLinea(emitida.id, 1)),
        lambda: tienda.facturas.modificar_borrador(ModificarBorrador(emitida.id, propina="0")),
        lambda: tienda.facturas.modificar_borrador(ModificarBorrador(emitida.id)),
    ):
        with pytest.raises(OperacionNoPermitida):
            cambio()


def test_emitir_con_pagos_los_reemplaza_en_la_misma_transaccion(tienda: Escenario) -> None:
    tienda.ingresar(CAFE, "10", "4.00")
    fid = borrador(tienda, LineaFacturaCmd(CAFE, 1), cliente_id=CLIENTE)
    with pytest.raises(ReglasIncumplidas) as error:
        tienda.facturas.emitir_factura(EmitirFactura(fid, pagos=(PagoCmd("19", "1.00"),)))
    assert reglas(error.value) == {"PagosCuadranConTotal"}
    assert tienda.factura(fid).pagos == ()
    tienda.facturas.emitir_factura(
        EmitirFactura(fid, pagos=(PagoCmd("19", "10.00"), PagoCmd("01", "1.50")))
    )
    assert tienda.tipos()[:2] == ["PagosDefinidos", "FacturaEmitida"]
    assert [p.forma_pago for p in tienda.factura(fid).pagos] == ["19", "01"]


def test_previsualizar_informa_cada_regla_y_no_guarda_nada(tienda: Escenario) -> None:
    tienda.ingresar(CAFE, "2", "4.00")
    tienda.uows.clear()
    antes = _eventos(tienda)
    cmd = CrearFactura(
        PUNTO,
        BODEGA,
        (LineaFacturaCmd(CAFE, 5, "9.00"),),
        pagos=(PagoCmd("01", "1.00"),),
        rebajas_autorizadas=False,
    )
    vista = tienda.facturas.previsualizar(cmd)
    assert {e.regla for e in vista.errores} == {
        "PrecioDeListaAutorizado",
        "ConsumidorFinalDentroDelLimite",
        "PagosCuadranConTotal",
        "StockSuficienteParaFactura",
    }
    assert vista.documento.numero is None
    assert [e.tipo for e in vista.documento.eventos] == ["FacturaCreada"]
    assert _eventos(tienda) == antes
    assert all(uow.commits == 0 for uow in tienda.uows)
    sin_errores = tienda.facturas.previsualizar(
        CrearFactura(PUNTO, BODEGA, (LineaFacturaCmd(CAFE, 1),), cliente_id=CLIENTE)
    )
    assert sin_errores.errores == ()


def test_un_borrador_aparcado_de_ayer_se_emite_con_la_fecha_de_hoy(tienda: Escenario) -> None:
    """Else it could be neither emitted (FechaEmisionValida) nor annulled: only discarded."""
    tienda.ingresar(CAFE, "10", "4.00")
    fid = borrador(tienda, LineaFacturaCmd(CAFE, 1), cliente_id=CLIENTE)
    manana = HOY + timedelta(days=1)
    tienda.reloj = RelojFijo(manana)
    tienda.facturas.emitir_factura(EmitirFactura(fid))
    factura = tienda.factura(fid)
    assert (factura.estado, factura.fecha_emision) == (EstadoFactura.EMITIDA, manana)
    assert str(factura.clave_acceso).startswith(manana.strftime("%d%m%Y"))
    (emitida,) = [
        c.evento for c in tienda.almacen.transacciones[-1] if c.evento.tipo == "FacturaEmitida"
    ]
    assert emitida.fecha_emision == manana  # type: ignore[attr-defined]
    assert tienda.inventario(CAFE).stock == Decimal(9)


def test_un_borrador_con_fecha_futura_sigue_esperando_su_dia(tienda: Escenario) -> None:
    tienda.ingresar(CAFE, "10", "4.00")
    pasado_manana = HOY + timedelta(days=2)
    fid = borrador(
        tienda, LineaFacturaCmd(CAFE, 1), cliente_id=CLIENTE, fecha_emision=pasado_manana
    )
    with pytest.raises(ReglasIncumplidas) as error:
        tienda.facturas.emitir_factura(EmitirFactura(fid))
    assert reglas(error.value) == {"FechaEmisionNoFutura"}
    tienda.reloj = RelojFijo(pasado_manana)
    tienda.facturas.emitir_factura(EmitirFactura(fid))
    assert tienda.factura(fid).fecha_emision == pasado_manana


def test_crear_y_emitir_con_fecha_pasada_se_sigue_rechazando(tienda: Escenario) -> None:
    tienda.ingresar(CAFE, "10", "4.00")
    with pytest.raises(ReglasIncumplidas) as error:
        tienda.vender((CAFE, "1"), fecha_emision=HOY - timedelta(days=1))
    assert reglas(error.value) == {"FechaEmisionValida"}
