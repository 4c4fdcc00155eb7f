"""Factura: lines, discounts, payments, emission rules and anulación."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from negocio import HOY, Negocio

from prometeo.domain.aggregates.factura import EstadoFactura, Factura, NuevaLinea
from prometeo.domain.errores import OperacionNoPermitida, ReglasIncumplidas, ValorInvalido
from prometeo.domain.services.emision import anular_factura
from prometeo.domain.services.totales import DescuentoGlobal
from prometeo.domain.value_objects.comprador import Comprador
from prometeo.domain.value_objects.dinero import Cantidad, Dinero, Precio
from prometeo.domain.value_objects.forma_pago import FormaPago, Pago
from prometeo.domain.value_objects.motivo import MotivoModificacion
from prometeo.domain.value_objects.tarifa_iva import TarifaIva


def reglas(excinfo: pytest.ExceptionInfo[ReglasIncumplidas]) -> set[str]:
    return set(excinfo.value.reglas)


def test_una_factura_nueva_es_borrador_sin_numero(negocio: Negocio) -> None:
    factura = negocio.borrador([("a", "1", "1.00")])
    assert factura.estado is EstadoFactura.BORRADOR
    assert factura.numero is None
    assert factura.stream_id == f"factura-{factura.id}"


def test_descuento_de_linea_no_excede_su_valor_bruto(negocio: Negocio) -> None:
    factura = negocio.borrador([])
    argumentos = dict(
        producto_id="a",
        codigo="A",
        descripcion="A",
        cantidad=Cantidad("2"),
        precio_unitario=Precio("1.50"),
        tarifa_iva=TarifaIva.de_codigo("4"),
    )
    factura.agregar_linea(**argumentos, descuento=Dinero("3.00"))  # type: ignore[arg-type]
    with pytest.raises(ValorInvalido) as error:
        factura.agregar_linea(**argumentos, descuento=Dinero("3.01"))  # type: ignore[arg-type]
    assert error.value.reglas == ("DescuentoLineaValido",)
    with pytest.raises(ValorInvalido):
        factura.agregar_linea(**argumentos, descuento=Dinero("-0.01"))  # type: ignore[arg-type]
    assert len(factura.lineas) == 1


def test_subtotal_de_linea_redondea_una_vez(negocio: Negocio) -> None:
    factura = negocio.borrador([("a", "3", "0.333333"), ("b", "1", "10.005")], tarifa="2")
    totales = factura.totales()
    assert [t.subtotal for t in totales.lineas] == [Decimal("1.00"), Decimal("10.01")]
    assert totales.iva == Decimal("1.32")  # round2(11.01 × 12 %)


def test_iva_por_grupo_de_tarifa(negocio: Negocio) -> None:
    factura = negocio.borrador([])
    for producto, precio, tarifa in [("a", "10.00", "4"), ("b", "5.00", "0"), ("c", "3.33", "4")]:
        factura.agregar_linea(
            producto_id=producto,
            codigo=producto,
            descripcion=producto,
            cantidad=Cantidad(1),
            precio_unitario=Precio(precio),
            tarifa_iva=TarifaIva.de_codigo(tarifa),
        )
    t = factura.totales()
    assert t.bases_por_tarifa == (("0", Decimal("5.00")), ("4", Decimal("13.33")))
    assert t.iva_por_tarifa == (("0", Decimal("0.00")), ("4", Decimal("2.00")))
    assert t.importe_total == Decimal("20.33")


def test_descuento_global_porcentaje_se_prorratea_exacto(negocio: Negocio) -> None:
    factura = negocio.borrador([("a", "1", "10.00"), ("b", "1", "10.00"), ("c", "1", "10.00")])
    factura.aplicar_descuento(DescuentoGlobal("MONTO", Decimal("10.00")))
    t = factura.totales()
    assert [x.descuento_global for x in t.lineas] == [
        Decimal("3.34"),
        Decimal("3.33"),
        Decimal("3.33"),
    ]
    assert t.subtotal_sin_impuestos == Decimal("20.00")
    factura.aplicar_descuento(DescuentoGlobal("PORCENTAJE", Decimal("10")))
    t = factura.totales()
    assert t.descuento_global == Decimal("3.00")
    assert t.total_descuento == Decimal("3.00")
    assert sum(x.descuento_global for x in t.lineas) == Decimal("3.00")


def test_descuento_global_invalido() -> None:
    with pytest.raises(ValorInvalido):
        DescuentoGlobal("PORCENTAJE", Decimal("100.01"))
    with pytest.raises(ValorInvalido):
        DescuentoGlobal("MONTO", Decimal("-1"))
    with pytest.raises(ValorInvalido):
        DescuentoGlobal("MONTO", Decimal("1.001"))
    with pytest.raises(ValorInvalido):
        DescuentoGlobal("OTRO", Decimal(1))  # type: ignore[arg-type]


def test_descuento_global_mayor_al_subtotal_se_rechaza_al_emitir(negocio: Negocio) -> None:
    negocio.ingresar("a", "5", "1.00")
    factura = negocio.borrador([("a", "1", "10.00")])
    factura.aplicar_descuento(DescuentoGlobal("MONTO", Decimal("10.01")))
    with pytest.raises(ReglasIncumplidas) as error:
        negocio.emitir(factura)
    assert reglas(error) == {"DescuentoGlobalValido"}
    factura.aplicar_descuento(DescuentoGlobal("MONTO", Decimal("10.00")))
    emitida = negocio.emitir(factura)
    assert emitida.importe_total == Decimal("0.00")


def test_emitir_asigna_numeros_consecutivos_y_reduce_stock(negocio: Negocio) -> None:
    negocio.ingresar("a", "10", "1.00")
    numeros = []
    for _ in range(3):
        factura = negocio.borrador([("a", "2", "5.00")])
        numeros.append(negocio.emitir(factura).numero)
        assert factura.estado is EstadoFactura.EMITIDA
    assert numeros == ["001-001-000000001", "001-001-000000002", "001-001-000000003"]
    assert negocio.inventario("a").stock == Decimal(4)


def test_emitir_una_factura_emitida_se_rechaza(negocio: Negocio) -> None:
    negocio.ingresar("a", "10", "1.00")
    factura = negocio.borrador([("a", "1", "5.00")])
    negocio.emitir(factura)
    with pytest.raises(ReglasIncumplidas) as error:
        negocio.emitir(factura)
    assert "FacturaEnBorrador" in reglas(error)
    with pytest.raises(OperacionNoPermitida) as error2:
        factura.agregar_linea(
            producto_id="a",
            codigo="A",
            descripcion="A",
            cantidad=Cantidad(1),
            precio_unitario=Precio(1),
            tarifa_iva=TarifaIva.de_codigo("0"),
        )
    assert error2.value.reglas == ("FacturaBorrador",)


def test_todas_las_reglas_fallidas_se_reportan_juntas(negocio: Negocio) -> None:
    negocio.ingresar("a", "1", "1.00")
    factura = negocio.borrador(
        [("a", "2", "30.00")],
        comprador=Comprador.consumidor_final(),
        fecha_emision=HOY - timedelta(days=1),
        fecha_caducidad=HOY - timedelta(days=1),
        fecha_autorizacion=HOY + timedelta(days=1),
        pagos=(Pago(FormaPago.TARJETA_CREDITO, Dinero("1.00")),),
    )
    with pytest.raises(ReglasIncumplidas) as error:
        negocio.emitir(factura)
    assert reglas(error) == {
        "FechaEmisionValida",
        "FechaCaducidadValida",
        "FechaAutorizacionValida",
        "ConsumidorFinalDentroDelLimite",
        "PagosCuadranConTotal",
        "StockSuficienteParaFactura",
    }
    assert all(e.mensaje for e in error.value.errores)
    # Nothing was recorded anywhere: no number taken, no stock moved.
    assert negocio.punto().version == 0
    assert negocio.inventario("a").stock == Decimal(1)
    assert factura.estado is EstadoFactura.BORRADOR


def test_factura_sin_lineas_no_se_emite(negocio: Negocio) -> None:
    with pytest.raises(ReglasIncumplidas) as error:
        negocio.emitir(negocio.borrador([]))
    assert reglas(error) == {"FacturaTieneLineas"}


def test_stock_se_suma_entre_lineas_del_mismo_producto(negocio: Negocio) -> None:
    negocio.ingresar("a", "3", "1.00")
    factura = negocio.borrador([("a", "2", "1.00"), ("a", "2", "1.00")])
    with pytest.raises(ReglasIncumplidas) as error:
        negocio.emitir(factura)
    assert reglas(error) == {"StockSuficienteParaFactura"}
    assert "se piden 4, hay 3" in error.value.errores[0].mensaje


def test_producto_sin_inventario_no_tiene_stock(negocio: Negocio) -> None:
    factura = negocio.borrador([("nuevo", "1", "1.00")])
    with pytest.raises(ReglasIncumplidas) as error:
        negocio.emitir(factura)
    assert reglas(error) == {"StockSuficienteParaFactura"}


def test_consumidor_final_hasta_50_dolares(negocio: Negocio) -> None:
    negocio.ingresar("a", "10", "1.00")
    justo = negocio.borrador(
        [("a", "1", "43.478261")], comprador=Comprador.consumidor_final(), tarifa="4"
    )
    assert justo.totales().importe_total == Decimal("50.00")
    negocio.emitir(justo)
    excede = negocio.borrador(
        [("a", "1", "43.49")], comprador=Comprador.consumidor_final(), tarifa="4"
    )
    with pytest.raises(ReglasIncumplidas) as error:
        negocio.emitir(excede)
    assert reglas(error) == {"ConsumidorFinalDentroDelLimite"}
    identificado = negocio.borrador([("a", "1", "43.49")])
    assert negocio.emitir(identificado).importe_total == Decimal("50.01")


def test_pagos_por_defecto_y_pagos_que_cuadran(negocio: Negocio) -> None:
    negocio.ingresar("a", "10", "1.00")
    sin_pagos = negocio.emitir(negocio.borrador([("a", "1", "10.00")]))
    assert [(p.forma_pago, p.total) for p in sin_pagos.pagos] == [("01", Decimal("11.50"))]
    pagos = (
        Pago(FormaPago.TARJETA_CREDITO, Dinero("10.00"), plazo=30, unidad_tiempo="dias"),
        Pago(FormaPago.SIN_SISTEMA_FINANCIERO, Dinero("1.50")),
    )
    con_pagos = negocio.emitir(negocio.borrador([("a", "1", "10.00")], pagos=pagos))
    assert [p.forma_pago for p in con_pagos.pagos] == ["19", "01"]
    assert con_pagos.pagos[0].plazo == 30


def test_propina_se_suma_al_total(negocio: Negocio) -> None:
    negocio.ingresar("a", "10", "1.00")
    emitida = negocio.emitir(negocio.borrador([("a", "1", "10.00")], propina=Dinero("1.00")))
    assert emitida.importe_total == Decimal("12.50")
    with pytest.raises(ValorInvalido):
        negocio.borrador([], propina=Dinero("-1.00"))


def test_fechas_validas_se_aceptan(negocio: Negocio) -> None:
    negocio.ingresar("a", "10", "1.00")
    factura = negocio.borrador(
        [("a", "1", "1.00")],
        fecha_emision=HOY,
        fecha_autorizacion=HOY,
        fecha_caducidad=HOY + timedelta(days=30),
    )
    assert negocio.emitir(factura).fecha_emision == HOY


def test_anulacion_devuelve_los_lotes_exactos(negocio: Negocio) -> None:
    negocio.ingresar("a", "2", "1.00")
    negocio.ingresar("a", "5", "1.50")
    antes = [(lote.lote_id, lote.cantidad_disponible) for lote in negocio.inventario("a").lotes]
    factura = negocio.borrador([("a", "3", "4.00"), ("a", "1", "4.00")])
    negocio.emitir(factura)
    assert negocio.inventario("a").stock == Decimal(3)

    anular_factura(
        factura, negocio.inventarios, MotivoModificacion("Error de digitación"), negocio.reloj
    )

    assert factura.estado is EstadoFactura.ANULADA
    assert factura.motivo_anulacion == "Error de digitación"
    inventario = negocio.inventario("a")
    assert [(lote.lote_id, lote.cantidad_disponible) for lote in inventario.lotes] == antes
    assert inventario.valor == Decimal("9.50")
    # The number stays used: the next factura gets the next one.
    siguiente = negocio.borrador([("a", "1", "4.00")])
    assert negocio.emitir(siguiente).numero == "001-001-000000002"


def test_no_se_anula_un_borrador_ni_dos_veces(negocio: Negocio) -> None:
    negocio.ingresar("a", "2", "1.00")
    factura = negocio.borrador([("a", "1", "4.00")])
    motivo = MotivoModificacion("x")
    with pytest.raises(OperacionNoPermitida) as error:
        anular_factura(factura, negocio.inventarios, motivo, negocio.reloj)
    assert error.value.reglas == ("FacturaEmitida",)
    negocio.emitir(factura)
    anular_factura(factura, negocio.inventarios, motivo, negocio.reloj)
    with pytest.raises(OperacionNoPermitida):
        anular_factura(factura, negocio.inventarios, motivo, negocio.reloj)
    assert negocio.inventario("a").stock == Decimal(2)


def test_no_se_anula_una_factura_con_notas_de_credito(negocio: Negocio) -> None:
    negocio.ingresar("a", "2", "1.00")
    factura = negocio.borrador([("a", "2", "4.00")])
    negocio.emitir(factura)
    negocio.nota(factura, [("a", "1")])
    with pytest.raises(OperacionNoPermitida) as error:
        anular_factura(factura, negocio.inventarios, MotivoModificacion("x"), negocio.reloj)
    assert error.value.reglas == ("FacturaSinNotasCredito",)
    assert factura.estado is EstadoFactura.EMITIDA


def test_factura_reconstruida_igual_a_la_viva(negocio: Negocio) -> None:
    negocio.ingresar("a", "10", "1.25")
    factura = negocio.borrador([("a", "3", "4.00"), ("a", "1", "2.50")], propina=Dinero("0.50"))
    factura.aplicar_descuento(DescuentoGlobal("PORCENTAJE", Decimal("7.5")))
    negocio.emitir(factura)
    negocio.nota(factura, [("a", "2")])
    eventos = factura.recolectar_eventos()
    assert [e.tipo for e in eventos] == [
        "FacturaCreada",
        "LineaAgregada",
        "LineaAgregada",
        "DescuentoAplicado",
        "FacturaEmitida",
        "CreditoAplicado",
    ]
    assert factura.recolectar_eventos() == []
    reconstruida = Factura.reconstruir(factura.id, eventos)
    assert reconstruida == factura
    assert reconstruida.version == 6
    assert reconstruida != Factura(factura.id)


def _nuevas(*lineas: tuple[str, str, str, str]) -> list[NuevaLinea]:
    return [
        NuevaLinea(
            producto_id=producto,
            codigo=producto.upper(),
            descripcion=f"Producto {producto}",
            cantidad=Cantidad(cantidad),
            precio_unitario=Precio(precio),
            tarifa_iva=TarifaIva.de_codigo("4"),
            descuento=Dinero(descuento),
        )
        for producto, cantidad, precio, descuento in lineas
    ]


def _crear(**kwargs: object) -> Factura:
    return Factura.crear(
        "f-1",
        punto_emision_id="punto-1",
        sucursal_id="sucursal-1",
        bodega_id="bodega-1",
        comprador=Comprador.consumidor_final(),
        fecha_emision=HOY,
        **kwargs,  # type: ignore[arg-type]
    )


def test_crear_con_lineas_y_descuento_registra_un_solo_evento(negocio: Negocio) -> None:
    """A factura created with its lines carries them in FacturaCreada: the same draft as
    adding them one by one, in one event instead of one per line."""
    descuento = DescuentoGlobal("MONTO", Decimal("1.00"))
    lineas = _nuevas(("a", "3", "4.00", "0.50"), ("b", "1", "2.50", "0.00"))
    de_una_vez = _crear(lineas=lineas, descuento_global=descuento)
    por_partes = _crear()
    for linea in lineas:
        por_partes.agregar(linea)
    por_partes.aplicar_descuento(descuento)

    eventos = de_una_vez.recolectar_eventos()
    assert [e.tipo for e in eventos] == ["FacturaCreada"]
    assert [e.tipo for e in por_partes.recolectar_eventos()] == [
        "FacturaCreada",
        "LineaAgregada",
        "LineaAgregada",
        "DescuentoAplicado",
    ]
    assert de_una_vez.lineas == por_partes.lineas
    assert [ln.numero_linea for ln in de_una_vez.lineas] == [1, 2]
    assert de_una_vez.descuento_global == descuento
    assert de_una_vez.totales() == por_partes.totales()
    assert Factura.reconstruir("f-1", eventos) == de_una_vez


def test_crear_con_una_linea_invalida_no_crea_nada() -> None:
    with pytest.raises(ValorInvalido) as error:
        _crear(lineas=_nuevas(("a", "1", "1.00", "0.00"), ("b", "2", "1.50", "3.01")))
    assert error.value.reglas == ("DescuentoLineaValido",)
    assert "B" in str(error.value)
