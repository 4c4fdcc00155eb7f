"""ServicioFacturas: create and emit in one transaction, drafts, emission, anulación."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from escenario import BODEGA, CAFE, CLIENTE, HOY, PAN, PUNTO, Escenario, borrador, reglas

from prometeo.application.comandos import (
    AgregarLinea,
    AnularFactura,
    AplicarDescuento,
    CrearFactura,
    DescuentoGlobalCmd,
    EmitirFactura,
    LineaFacturaCmd,
    PagoCmd,
)
from prometeo.application.config import Configuracion
from prometeo.domain.aggregates.factura import EstadoFactura
from prometeo.domain.errores import (
    Duplicado,
    NoEncontrado,
    OperacionNoPermitida,
    ReglasIncumplidas,
    ValorInvalido,
)
from prometeo.domain.reloj import RelojFijo


def test_crear_factura_la_emite_en_una_sola_transaccion(tienda: Escenario) -> None:
    tienda.ingresar(CAFE, "10", "4.00")
    transacciones = len(tienda.almacen.transacciones)

    emitida = tienda.vender((CAFE, "3"))

    assert emitida.numero == "001-001-000000001"
    assert len(tienda.almacen.transacciones) == transacciones + 1
    # The draft's lines travel in FacturaCreada: one event per aggregate touched, plus
    # the emission.
    assert tienda.tipos() == [
        "FacturaCreada",
        "FacturaEmitida",
        "StockReducido",
        "SecuencialAsignado",
    ]
    streams = [c.stream_id for c in tienda.almacen.transacciones[-1]]
    assert streams == sorted(streams)
    (uow,) = tienda.uows[-1:]
    assert uow.commits == 1
    assert uow.confirmados == tienda.almacen.transacciones[-1]
    factura = tienda.factura(emitida.id)
    assert factura.estado is EstadoFactura.EMITIDA
    assert factura.importe_total == Decimal("34.50")
    assert factura.fecha_emision == HOY
    assert factura.lineas[0].costo == Decimal("12.00")
    assert tienda.stock(CAFE) == 7


def test_precios_descuentos_pagos_y_propina(tienda: Escenario) -> None:
    tienda.ingresar(CAFE, "10", "4.00")
    tienda.ingresar(PAN, "10", "0.50")
    cmd = CrearFactura(
        PUNTO,
        BODEGA,
        (
            LineaFacturaCmd(CAFE, "2", descuento="1.00"),  # list price 10.00
            LineaFacturaCmd(PAN, 4, precio_unitario="1.25"),
        ),
        cliente_id=CLIENTE,
        descuento_global=DescuentoGlobalCmd("porcentaje", "10"),
        pagos=(PagoCmd("19", "20.00", 30, "dias"), PagoCmd("01", Decimal("5.17"))),
        propina="1.00",
        fecha_emision=HOY,
    )

    emitida = tienda.facturas.crear_factura(cmd)

    factura = tienda.factura(emitida.id)
    totales = factura.totales()
    assert [linea.precio_unitario for linea in factura.lineas] == [Decimal(10), Decimal("1.25")]
    assert totales.descuento_global == Decimal("2.40")
    assert totales.subtotal_sin_impuestos == Decimal("21.60")
    assert totales.iva == Decimal("2.57")
    assert factura.importe_total == Decimal("25.17")
    assert [p.forma_pago for p in factura.pagos] == ["19", "01"]
    assert factura.fecha_emision == HOY


def test_el_comprador_es_una_copia_del_cliente(tienda: Escenario) -> None:
    tienda.ingresar(CAFE, "10", "4.00")
    factura = tienda.factura(tienda.vender((CAFE, "1")).id)

    assert factura.cliente_id == CLIENTE
    assert factura.comprador.tipo_identificacion == "05"
    assert factura.comprador.razon_social == "María Pérez"
    assert factura.comprador.direccion == "Riobamba"


def test_sin_cliente_es_consumidor_final_hasta_50_dolares(tienda: Escenario) -> None:
    tienda.ingresar(CAFE, "10", "4.00")
    pequena = tienda.vender((CAFE, "4"), cliente_id=None)  # 46.00

    assert tienda.factura(pequena.id).comprador.es_consumidor_final
    with pytest.raises(ReglasIncumplidas) as error:
        tienda.vender((CAFE, "5"), cliente_id=None)  # 57.50

    assert reglas(error.value) == {"ConsumidorFinalDentroDelLimite"}
    assert tienda.stock(CAFE) == 6


def test_una_factura_rechazada_no_guarda_nada_y_lista_cada_regla(tienda: Escenario) -> None:
    tienda.ingresar(CAFE, "2", "4.00")
    antes = len(tienda.almacen.transacciones)

    with pytest.raises(ReglasIncumplidas) as error:
        tienda.vender((CAFE, "2"), (CAFE, "1"), fecha_emision=HOY - timedelta(days=1))

    assert reglas(error.value) == {"StockSuficienteParaFactura", "FechaEmisionValida"}
    assert len(tienda.almacen.transacciones) == antes
    assert not any(s.startswith(("factura-", "secuencia-")) for s in tienda.almacen.streams)
    assert tienda.uows[-1].commits == 0
    assert tienda.uows[-1].rollbacks == 1


@pytest.mark.parametrize(
    ("cambios", "que"),
    [
        ({"punto_emision_id": "x"}, "punto de emisión"),
        ({"bodega_id": "x"}, "bodega"),
        ({"cliente_id": "x"}, "cliente"),
        ({"lineas": (LineaFacturaCmd("x", "1"),)}, "producto"),
    ],
)
def test_ids_desconocidos_son_no_encontrado(
    tienda: Escenario, cambios: dict[str, object], que: str
) -> None:
    datos: dict[str, object] = {
        "punto_emision_id": PUNTO,
        "bodega_id": BODEGA,
        "lineas": (LineaFacturaCmd(CAFE, "1"),),
        **cambios,
    }
    with pytest.raises(NoEncontrado) as error:
        tienda.facturas.crear_factura(CrearFactura(**datos))  # type: ignore[arg-type]

    assert (error.value.que, error.value.id) == (que, "x")
    assert tienda.almacen.transacciones == []


@pytest.mark.parametrize(
    ("cambios", "regla"),
    [
        ({"descuento_global": DescuentoGlobalCmd("REGALO", "1")}, "DescuentoGlobalValido"),
        ({"descuento_global": DescuentoGlobalCmd("MONTO", "99.00")}, "DescuentoGlobalValido"),
        ({"pagos": (PagoCmd("99", "11.50"),)}, "FormaPagoValida"),
        ({"pagos": (PagoCmd("01", "10.00"),)}, "PagosCuadranConTotal"),
        ({"propina": "-1.00"}, "PropinaValida"),
        ({"lineas": (LineaFacturaCmd(CAFE, "0"),)}, "CantidadPositiva"),
        ({"lineas": (LineaFacturaCmd(CAFE, "1", descuento="11.00"),)}, "DescuentoLineaValido"),
        ({"lineas": ()}, "FacturaTieneLineas"),
        ({"fecha_caducidad": HOY}, "FechaCaducidadValida"),
        ({"fecha_autorizacion": HOY + timedelta(days=1)}, "FechaAutorizacionValida"),
    ],
)
def test_reglas_incumplidas_no_guardan_nada(
    tienda: Escenario, cambios: dict[str, object], regla: str
) -> None:
    tienda.ingresar(CAFE, "10", "4.00")
    datos: dict[str, object] = {
        "punto_emision_id": PUNTO,
        "bodega_id": BODEGA,
        "cliente_id": CLIENTE,
        "lineas": (LineaFacturaCmd(CAFE, "1"),),
        **cambios,
    }
    with pytest.raises(ReglasIncumplidas) as error:
        tienda.facturas.crear_factura(CrearFactura(**datos))  # type: ignore[arg-type]

    assert regla in reglas(error.value)
    assert len(tienda.almacen.transacciones) == 1  # only the ingreso
    assert tienda.stock(CAFE) == 10


def test_borrador_luego_linea_descuento_y_emision(tienda: Escenario) -> None:
    tienda.ingresar(CAFE, "10", "4.00")
    tienda.ingresar(PAN, "10", "0.50")
    factura_id = borrador(tienda, LineaFacturaCmd(CAFE, "1"), cliente_id=CLIENTE)

    assert tienda.factura(factura_id).estado is EstadoFactura.BORRADOR
    assert tienda.stock(CAFE) == 10
    numero = tienda.facturas.agregar_linea(AgregarLinea(factura_id, PAN, "2", "2.00", "0.50"))
    tienda.facturas.aplicar_descuento(AplicarDescuento(factura_id, "MONTO", "1.00"))
    emitida = tienda.facturas.emitir_factura(EmitirFactura(factura_id))

    assert numero == 2
    assert emitida.numero == "001-001-000000001"
    factura = tienda.factura(factura_id)
    assert factura.estado is EstadoFactura.EMITIDA
    assert factura.totales().subtotal_sin_impuestos == Decimal("12.50")
    assert (tienda.stock(CAFE), tienda.stock(PAN)) == (Decimal(9), Decimal(8))
    assert tienda.tipos() == [
        "FacturaEmitida",
        "StockReducido",
        "StockReducido",
        "SecuencialAsignado",
    ]


def test_un_borrador_no_emitido_no_toma_numero(tienda: Escenario) -> None:
    tienda.ingresar(CAFE, "10", "4.00")
    creado = tienda.facturas.crear_factura(
        CrearFactura(PUNTO, BODEGA, (LineaFacturaCmd(CAFE, "1"),), borrador=True)
    )

    assert creado.numero is None
    assert tienda.vender((CAFE, "1")).numero == "001-001-000000001"


def test_una_factura_emitida_no_se_modifica_ni_se_reemite(tienda: Escenario) -> None:
    tienda.ingresar(CAFE, "10", "4.00")
    factura_id = tienda.vender((CAFE, "1")).id

    with pytest.raises(OperacionNoPermitida) as linea:
        tienda.facturas.agregar_linea(AgregarLinea(factura_id, CAFE, "1"))
    with pytest.raises(OperacionNoPermitida) as descuento:
        tienda.facturas.aplicar_descuento(AplicarDescuento(factura_id, "MONTO", "1.00"))
    with pytest.raises(ReglasIncumplidas) as emision:
        tienda.facturas.emitir_factura(EmitirFactura(factura_id))

    assert reglas(linea.value) == reglas(descuento.value) == {"FacturaBorrador"}
    assert "FacturaEnBorrador" in reglas(emision.value)
    assert tienda.stock(CAFE) == 9


def test_comandos_sobre_una_factura_inexistente(tienda: Escenario) -> None:
    for ejecutar in (
        lambda: tienda.facturas.agregar_linea(AgregarLinea("x", CAFE, "1")),
        lambda: tienda.facturas.emitir_factura(EmitirFactura("x")),
        lambda: tienda.facturas.anular_factura(AnularFactura("x", "Error")),
    ):
        with pytest.raises(NoEncontrado):
            ejecutar()


def test_el_id_elegido_por_quien_llama_no_se_repite(tienda: Escenario) -> None:
    tienda.ingresar(CAFE, "10", "4.00")
    assert tienda.vender((CAFE, "1"), factura_id="F-1").id == "F-1"

    with pytest.raises(Duplicado) as error:
        tienda.vender((CAFE, "1"), factura_id="F-1")

    assert error.value.regla == "FacturaUnica"
    assert tienda.stock(CAFE) == 9


def test_numeros_consecutivos(tienda: Escenario) -> None:
    tienda.ingresar(CAFE, "10", "4.00")
    numeros = [tienda.vender((CAFE, "1")).numero for _ in range(3)]

    assert numeros == ["001-001-000000001", "001-001-000000002", "001-001-000000003"]


def test_anular_devuelve_a_los_mismos_lotes_y_el_numero_no_se_reusa(tienda: Escenario) -> None:
    viejo = tienda.ingresar(CAFE, "2", "4.00")
    nuevo = tienda.ingresar(CAFE, "5", "5.00")
    factura_id = tienda.vender((CAFE, "3")).id
    valor_antes = tienda.inventario(CAFE).valor

    tienda.facturas.anular_factura(AnularFactura(factura_id, "  Error de digitación "))

    factura = tienda.factura(factura_id)
    assert factura.estado is EstadoFactura.ANULADA
    assert factura.motivo_anulacion == "Error de digitación"
    lotes = {lote.lote_id: lote.cantidad_disponible for lote in tienda.inventario(CAFE).lotes}
    assert lotes == {viejo: 2, nuevo: 5}
    assert tienda.inventario(CAFE).valor == valor_antes + Decimal("13.00")
    assert tienda.tipos() == ["FacturaAnulada", "StockIncrementado"]
    assert tienda.vender((CAFE, "1")).numero == "001-001-000000002"


def test_solo_se_anula_una_factura_emitida(tienda: Escenario) -> None:
    factura_id = borrador(tienda, LineaFacturaCmd(CAFE, "1"))

    with pytest.raises(OperacionNoPermitida) as error:
        tienda.facturas.anular_factura(AnularFactura(factura_id, "Error"))

    assert reglas(error.value) == {"FacturaEmitida"}


def test_anular_exige_un_motivo(tienda: Escenario) -> None:
    with pytest.raises(ValorInvalido) as error:
        tienda.facturas.anular_factura(AnularFactura("cualquiera", "   "))

    assert reglas(error.value) == {"MotivoModificacionValido"}
    assert tienda.uows == []


def test_el_dia_limite_de_anulacion_viene_de_la_configuracion(tienda: Escenario) -> None:
    tienda.ingresar(CAFE, "5", "4.00")
    factura_id = tienda.vender((CAFE, "1")).id
    tienda.reloj = RelojFijo(date(2026, 12, 9))

    with pytest.raises(OperacionNoPermitida) as error:
        tienda.facturas.anular_factura(AnularFactura(factura_id, "Error"))

    assert reglas(error.value) == {"AnulacionDentroDelPlazo"}
    tienda.config = Configuracion(dia_limite_anulacion=9, espera_maxima_segundos=0)
    tienda.facturas.anular_factura(AnularFactura(factura_id, "Error"))
    assert tienda.factura(factura_id).estado is EstadoFactura.ANULADA


@pytest.mark.parametrize("dia", [0, 29])
def test_el_dia_limite_de_anulacion_existe_en_todo_mes(dia: int) -> None:
    with pytest.raises(ValueError, match="día límite de anulación"):
        Configuracion(dia_limite_anulacion=dia)
