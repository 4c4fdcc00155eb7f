"""Facturas over HTTP: the worked example with FIFO costs and exact totals, drafts,
discounts, anulación, listing, and the business rules as problem+json."""

from __future__ import annotations

from entorno_api import HOY

from apoyo_http import TiendaHttp, exigir, reglas


def test_ejemplo_trabajado_costo_fifo_y_totales_exactos(tienda: TiendaHttp) -> None:
    tienda.ingresar("cafe", "5", "2.00")
    tienda.ingresar("cafe", "5", "3.00")

    factura = tienda.facturar(("cafe", 7))

    assert factura["estado"] == "EMITIDA"
    assert factura["numero"] == "001-001-000000001"
    assert factura["fecha_emision"] == HOY.isoformat()
    assert factura["cliente"]["identificacion"] == "0602910945"
    (linea,) = factura["lineas"]
    assert linea["producto_id"] == tienda.ids["cafe"]
    assert linea["cantidad"] == "7"
    assert linea["precio_unitario"] == "8.00"
    assert linea["descuento"] == "0.00"
    assert linea["subtotal"] == "56.00"
    assert linea["tarifa_iva"] == "4"
    assert linea["costo"] == "16.00"
    assert factura["totales"] == {
        "subtotal_sin_impuestos": "56.00",
        "subtotales_por_tarifa": {"4": "56.00"},
        "total_descuento": "0.00",
        "iva": "8.40",
        "propina": "0.00",
        "importe_total": "64.40",
    }
    assert factura["pagos"] == [
        {"forma_pago": "01", "total": "64.40", "plazo": None, "unidad_tiempo": None}
    ]
    assert tienda.stock("cafe")["cantidad"] == "3"
    assert tienda.stock("cafe")["valor"] == "9.00"
    assert [(lt["cantidad_disponible"], lt["costo_unitario"]) for lt in tienda.lotes("cafe")] == [
        ("3", "3.00")
    ]
    assert tienda.get(f"/facturas/{factura['id']}") == factura


def test_borrador_sin_numero_luego_emitido(tienda: TiendaHttp) -> None:
    tienda.ingresar("cafe", "10", "2.00")
    borrador = tienda.facturar(("cafe", "1"), borrador=True)
    assert borrador["estado"] == "BORRADOR"
    assert borrador["numero"] is None
    assert tienda.stock("cafe")["cantidad"] == "10"

    emitida = exigir(tienda.http.post(f"/api/v1/facturas/{borrador['id']}/emitir"), 200)

    assert emitida["estado"] == "EMITIDA"
    assert emitida["numero"] == "001-001-000000001"
    assert tienda.stock("cafe")["cantidad"] == "9"
    otra_vez = tienda.http.post(f"/api/v1/facturas/{borrador['id']}/emitir")
    assert otra_vez.status_code == 422


def test_descuento_global_porcentaje_y_monto_precios_numericos(tienda: TiendaHttp) -> None:
    tienda.ingresar("cafe", "10", "2.00")
    tienda.ingresar("pan", "10", "0.50")
    lineas = [
        {"producto_id": tienda.ids["cafe"], "cantidad": 2, "precio_unitario": 10},
        {"producto_id": tienda.ids["pan"], "cantidad": "4", "descuento": 1.0},
    ]
    factura = tienda.facturar(lineas=lineas, descuento_global={"porcentaje": "10"})

    totales = factura["totales"]
    # 20.00 + 5.00 = 25.00; 10 % off prorated: 2.00 and 0.50.
    assert totales["subtotal_sin_impuestos"] == "22.50"
    assert totales["subtotales_por_tarifa"] == {"4": "18.00", "0": "4.50"}
    assert totales["total_descuento"] == "3.50"
    assert totales["iva"] == "2.70"
    assert totales["importe_total"] == "25.20"

    por_monto = tienda.facturar(("cafe", "1"), descuento_global={"monto": 0.5})
    assert por_monto["totales"]["subtotal_sin_impuestos"] == "7.50"


def test_pagos_que_no_cuadran_se_rechazan(tienda: TiendaHttp) -> None:
    tienda.ingresar("cafe", "10", "2.00")
    respuesta = tienda.intentar_factura(
        ("cafe", "1"), pagos=[{"forma_pago": "19", "total": "5.00"}]
    )
    assert respuesta.status_code == 422
    assert reglas(respuesta) == {"PagosCuadranConTotal"}
    bien = tienda.facturar(("cafe", "1"), pagos=[{"forma_pago": "19", "total": "9.20"}])
    assert bien["pagos"][0]["forma_pago"] == "19"


def test_sobreventa_rechazada_sin_cambiar_nada(tienda: TiendaHttp) -> None:
    tienda.ingresar("cafe", "3", "2.00")
    antes = tienda.ultima_posicion()

    respuesta = tienda.intentar_factura(("cafe", "2"), ("cafe", "2"))

    assert respuesta.status_code == 422
    cuerpo = respuesta.json()
    assert cuerpo["status"] == 422
    assert cuerpo["title"]
    assert cuerpo["detail"]
    assert reglas(respuesta) == {"StockSuficienteParaFactura"}
    assert tienda.ultima_posicion() == antes
    assert tienda.stock("cafe")["cantidad"] == "3"
    assert tienda.get("/facturas")["items"] == []


def test_consumidor_final_sobre_50_y_sobreventa_a_la_vez(tienda: TiendaHttp) -> None:
    tienda.ingresar("cafe", "5", "2.00")
    antes = tienda.ultima_posicion()

    respuesta = tienda.intentar_factura(("cafe", "7"), cliente_id=None)

    assert respuesta.status_code == 422
    assert reglas(respuesta) == {"StockSuficienteParaFactura", "ConsumidorFinalDentroDelLimite"}
    assert all(e["mensaje"] for e in respuesta.json()["errores"])
    assert tienda.ultima_posicion() == antes

    pequena = tienda.facturar(("cafe", "5"), cliente_id=None)
    assert pequena["cliente"]["identificacion"] == "9999999999999"
    assert pequena["cliente_id"] is None


def test_anulacion_devuelve_el_stock_a_sus_lotes(tienda: TiendaHttp) -> None:
    tienda.ingresar("cafe", "5", "2.00")
    tienda.ingresar("cafe", "5", "3.00")
    factura = tienda.facturar(("cafe", "7"))

    anulada = exigir(
        tienda.http.post(
            f"/api/v1/facturas/{factura['id']}/anular", json={"motivo": "Cliente equivocado"}
        ),
        200,
    )

    assert anulada["estado"] == "ANULADA"
    assert anulada["motivo_anulacion"] == "Cliente equivocado"
    stock = tienda.stock("cafe")
    assert (stock["cantidad"], stock["valor"]) == ("10", "25.00")
    assert [lt["costo_unitario"] for lt in tienda.lotes("cafe")] == ["2.00", "3.00"]
    otra = tienda.http.post(f"/api/v1/facturas/{factura['id']}/anular", json={"motivo": "x"})
    assert otra.status_code == 422


def test_listado_por_estado_y_fechas(tienda: TiendaHttp) -> None:
    tienda.ingresar("cafe", "10", "2.00")
    emitida = tienda.facturar(("cafe", "1"))
    borrador = tienda.facturar(("cafe", "1"), borrador=True)

    def ids(**filtros: str) -> list[str]:
        return [f["id"] for f in tienda.get("/facturas", **filtros)["items"]]

    assert set(ids()) == {emitida["id"], borrador["id"]}
    assert ids(estado="EMITIDA") == [emitida["id"]]
    assert ids(estado="BORRADOR") == [borrador["id"]]
    assert set(ids(desde=HOY.isoformat(), hasta=HOY.isoformat())) == {
        emitida["id"],
        borrador["id"],
    }
    assert ids(desde="2030-01-01") == []
    assert tienda.http.get("/api/v1/facturas", params={"estado": "PERDIDA"}).status_code == 422


def test_fecha_de_emision_pasada_y_caducidad_invalidas(tienda: TiendaHttp) -> None:
    tienda.ingresar("cafe", "10", "2.00")
    respuesta = tienda.intentar_factura(
        ("cafe", "1"), fecha_emision="2026-11-01", fecha_caducidad="2026-10-01"
    )
    assert respuesta.status_code == 422
    assert {"FechaEmisionValida", "FechaCaducidadValida"} <= reglas(respuesta)
