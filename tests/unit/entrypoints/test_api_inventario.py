"""Inventario over HTTP: entries as FIFO lots, transfers that keep the cost, stock
values, lots in FIFO order and the kardex with its running balance."""

from __future__ import annotations

from entorno_api import HOY

from apoyo_http import TiendaHttp, exigir, reglas


def test_ingreso_crea_un_lote(tienda: TiendaHttp) -> None:
    cuerpo = {
        "producto_id": tienda.ids["cafe"],
        "bodega_id": tienda.ids["bodega"],
        "cantidad": 5,
        "costo_unitario": "2.125",
        "fecha_caducidad": "2027-06-30",
        "referencia": "Factura proveedor 001-002-000004512",
    }
    ingreso = tienda.post("/inventario/ingresos", cuerpo)

    assert ingreso["lote_id"]
    assert ingreso["cantidad"] == "5"
    assert ingreso["costo_unitario"] == "2.125"
    (lote,) = tienda.lotes("cafe")
    assert lote == {
        "lote_id": ingreso["lote_id"],
        "producto_id": tienda.ids["cafe"],
        "producto_codigo": "CAF",
        "producto_nombre": "Producto CAF",
        "bodega_id": tienda.ids["bodega"],
        "fecha_ingreso": HOY.isoformat(),
        "cantidad_inicial": "5",
        "cantidad_disponible": "5",
        "costo_unitario": "2.125",
        "fecha_caducidad": "2027-06-30",
        "vencido": False,
    }
    assert tienda.stock("cafe") == {
        "producto_id": tienda.ids["cafe"],
        "producto_codigo": "CAF",
        "producto_nombre": "Producto CAF",
        "bodega_id": tienda.ids["bodega"],
        "cantidad": "5",
        "valor": "10.63",
        "stock_minimo": "2",
        "bajo_minimo": False,
    }


def test_kardex_con_saldo_corrido(tienda: TiendaHttp) -> None:
    tienda.ingresar("cafe", "5", "2.00")
    tienda.ingresar("cafe", "5", "3.00")
    factura = tienda.facturar(("cafe", "7"))

    kardex = tienda.kardex("cafe")

    resumen = [
        (
            m["tipo"],
            m["cantidad"],
            m["costo_unitario"],
            m["costo_total"],
            m["saldo_cantidad"],
            m["saldo_valor"],
        )
        for m in kardex
    ]
    assert resumen == [
        ("ENTRADA", "5", "2.00", "10.00", "5", "10.00"),
        ("ENTRADA", "5", "3.00", "15.00", "10", "25.00"),
        ("SALIDA", "5", "2.00", "10.00", "5", "15.00"),
        ("SALIDA", "2", "3.00", "6.00", "3", "9.00"),
    ]
    assert all(m["fecha"] == HOY.isoformat() for m in kardex)
    assert {(m["producto_codigo"], m["producto_nombre"]) for m in kardex} == {
        ("CAF", "Producto CAF")
    }
    assert factura["numero"] in kardex[-1]["documento"]
    assert tienda.stock("cafe")["bajo_minimo"] is False


def test_transferencia_conserva_el_costo(tienda: TiendaHttp) -> None:
    tienda.ingresar("cafe", "5", "2.00")
    tienda.ingresar("cafe", "5", "3.00")
    cuerpo = {
        "producto_id": tienda.ids["cafe"],
        "bodega_origen_id": tienda.ids["bodega"],
        "bodega_destino_id": tienda.ids["bodega2"],
        "cantidad": "6",
    }
    hecha = tienda.post("/inventario/transferencias", cuerpo)

    assert hecha["transferencia_id"]
    assert (hecha["cantidad"], hecha["costo"]) == ("6", "13.00")
    destino = tienda.lotes("cafe", "bodega2")
    assert [(lt["cantidad_disponible"], lt["costo_unitario"]) for lt in destino] == [
        ("5", "2.00"),
        ("1", "3.00"),
    ]
    origen = tienda.stock("cafe")
    assert (origen["cantidad"], origen["valor"], origen["bajo_minimo"]) == ("4", "12.00", False)
    todos = tienda.get("/inventario/stock", producto_id=tienda.ids["cafe"])["items"]
    assert {s["bodega_id"] for s in todos} == {tienda.ids["bodega"], tienda.ids["bodega2"]}

    demasiado = tienda.http.post("/api/v1/inventario/transferencias", json=dict(cuerpo, cantidad=5))
    assert demasiado.status_code == 422
    assert "StockSuficiente" in reglas(demasiado)
    misma = dict(cuerpo, bodega_destino_id=tienda.ids["bodega"], cantidad=1)
    assert "TransferenciaEntreBodegasDistintas" in reglas(
        tienda.http.post("/api/v1/inventario/transferencias", json=misma)
    )


def test_bajo_minimo(tienda: TiendaHttp) -> None:
    tienda.ingresar("cafe", "3", "2.00")
    tienda.facturar(("cafe", "1"))
    assert tienda.stock("cafe")["bajo_minimo"] is True


def test_ingreso_de_producto_o_bodega_desconocidos(tienda: TiendaHttp) -> None:
    cuerpo = {
        "producto_id": "no-existe",
        "bodega_id": tienda.ids["bodega"],
        "cantidad": "1",
        "costo_unitario": "1",
    }
    respuesta = tienda.http.post("/api/v1/inventario/ingresos", json=cuerpo)
    assert respuesta.status_code == 404
    assert respuesta.json()["errores"][0]["regla"] == "ExisteRecurso"


def test_kardex_exige_producto_y_bodega(tienda: TiendaHttp) -> None:
    respuesta = tienda.http.get("/api/v1/inventario/kardex")
    cuerpo = exigir(respuesta, 422)
    mensajes = " ".join(e["mensaje"] for e in cuerpo["errores"])
    assert "producto_id" in mensajes
    assert "bodega_id" in mensajes
