"""A whole business day against the real `prometeo serve` process, over HTTP: catalog,
stock at different costs, facturas with FIFO costs and exact totals, notas de crédito,
refusals, roles and the event log; then a restart and a projections rebuild must leave
every read exactly as it was."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from servidor_real import Servidor, ejecutar, servidor

from apoyo_http import API, TiendaHttp, exigir, reglas


@pytest.mark.parametrize("url_base", ["sqlite", "postgresql"], indirect=True)
def test_dia_de_negocio(url_base: str, tmp_path: Path) -> None:
    with servidor(url_base, tmp_path) as srv, srv.cliente() as http:
        tienda = TiendaHttp(http).sembrar()
        tokens = {
            rol: tienda.post("/tokens", {"nombre": f"{rol} del día", "rol": rol})["token"]
            for rol in ("cajero", "bodeguero", "contador")
        }
        with srv.cliente(tokens["bodeguero"]) as bodega, srv.cliente(tokens["cajero"]) as caja:
            _manana_en_bodega(TiendaHttp(bodega, tienda.ids))
            _ventas(TiendaHttp(caja, tienda.ids))
        with srv.cliente(tokens["contador"]) as contador:
            _roles(srv, tokens, TiendaHttp(contador, tienda.ids))
            _cierre(TiendaHttp(contador, tienda.ids))
            antes = lecturas(TiendaHttp(contador, tienda.ids))

    # Stop, start again on the same database: everything is still there, tokens too.
    with servidor(url_base, tmp_path) as srv, srv.cliente(tokens["contador"]) as contador:
        assert lecturas(TiendaHttp(contador, tienda.ids)) == antes

    reconstruccion = ejecutar(url_base, "projections", "rebuild")
    assert reconstruccion.returncode == 0, reconstruccion.stdout + reconstruccion.stderr
    with servidor(url_base, tmp_path) as srv, srv.cliente(tokens["contador"]) as contador:
        assert lecturas(TiendaHttp(contador, tienda.ids)) == antes


def _manana_en_bodega(bodega: TiendaHttp) -> None:
    """Stock arrives at different costs; a transfer keeps its cost."""
    bodega.ingresar("cafe", "5", "2.00")
    bodega.ingresar("cafe", "5", "3.00")
    bodega.ingresar("pan", "30", "0.50")
    transferido = bodega.post(
        "/inventario/transferencias",
        {
            "producto_id": bodega.ids["pan"],
            "bodega_origen_id": bodega.ids["bodega"],
            "bodega_destino_id": bodega.ids["bodega2"],
            "cantidad": "10",
        },
    )
    assert transferido["costo"] == "5.00"


def _ventas(caja: TiendaHttp) -> None:
    # The worked example: 7 units take the 5 @ 2.00 lot and 2 of the 5 @ 3.00 lot.
    factura = caja.facturar(("cafe", "7"))
    assert factura["numero"] == "001-001-000000001"
    assert factura["lineas"][0]["costo"] == "16.00"
    assert factura["totales"]["subtotal_sin_impuestos"] == "56.00"
    assert factura["totales"]["subtotales_por_tarifa"] == {"4": "56.00"}
    assert factura["totales"]["iva"] == "8.40"
    assert factura["totales"]["importe_total"] == "64.40"
    stock = caja.stock("cafe")
    assert (stock["cantidad"], stock["valor"]) == ("3", "9.00")

    # Refusals change nothing.
    antes = caja.ultima_posicion()
    sobreventa = caja.intentar_factura(("cafe", "4"))
    assert sobreventa.status_code == 422
    assert reglas(sobreventa) == {"StockSuficienteParaFactura"}
    caro = caja.intentar_factura(
        lineas=[{"producto_id": caja.ids["cafe"], "cantidad": "3", "precio_unitario": "20"}],
        cliente_id=None,
    )
    assert reglas(caro) == {"ConsumidorFinalDentroDelLimite"}
    assert caja.ultima_posicion() == antes

    # A global discount, to consumidor final: never annulled (SRI). To a cliente, annulled
    # within the month: the bread goes back.
    final = caja.facturar(("pan", "1"), cliente_id=None)
    rechazo = caja.http.post(f"{API}/facturas/{final['id']}/anular", json={"motivo": "Error"})
    assert reglas(rechazo) == {"AnulacionNoConsumidorFinal"}
    pan = caja.facturar(("pan", "10"), descuento_global={"porcentaje": "10"})
    assert pan["totales"]["subtotal_sin_impuestos"] == "13.50"
    assert pan["totales"]["total_descuento"] == "1.50"
    assert pan["totales"]["importe_total"] == "13.50"
    assert caja.stock("pan")["cantidad"] == "9"
    anulada = exigir(
        caja.http.post(f"{API}/facturas/{pan['id']}/anular", json={"motivo": "Pedido duplicado"}),
        200,
    )
    assert anulada["estado"] == "ANULADA"
    assert caja.stock("pan")["cantidad"] == "19"

    # Notas de crédito: 4 back at 16.00 / 7 = 2.285714, another 4 too many, then 3.
    def nota(cantidad: str) -> Any:
        return caja.http.post(
            f"{API}/notas-credito",
            json={
                "factura_id": factura["id"],
                "motivo": "Devolución",
                "devolucion_inventario": True,
                "lineas": [{"producto_id": caja.ids["cafe"], "cantidad": cantidad}],
            },
        )

    exigir(nota("4"), 201)
    nuevo = caja.lotes("cafe")[-1]
    assert (nuevo["cantidad_disponible"], nuevo["costo_unitario"]) == ("4", "2.285714")
    assert reglas(nota("4")) == {"LineasValidasContraFactura"}
    assert exigir(nota("3"), 201)["numero"] == "001-001-000000002"
    stock = caja.stock("cafe")
    assert stock["cantidad"] == "10"


def _roles(srv: Servidor, tokens: dict[str, str], contador: TiendaHttp) -> None:
    assert contador.get("/productos")["items"]
    assert contador.intentar_factura(("cafe", "1")).status_code == 403
    with srv.cliente(tokens["bodeguero"]) as bodega:
        assert bodega.post(f"{API}/facturas", json={}).status_code == 403
    with srv.cliente(tokens["cajero"]) as caja:
        assert caja.post(f"{API}/inventario/ingresos", json={}).status_code == 403
        assert caja.post(f"{API}/productos", json={}).status_code == 403
    with srv.cliente("token-inventado") as nadie:
        assert nadie.get(f"{API}/productos").status_code == 401


def _cierre(contador: TiendaHttp) -> None:
    kardex = contador.kardex("cafe")
    assert [m["tipo"] for m in kardex[:4]] == ["ENTRADA", "ENTRADA", "SALIDA", "SALIDA"]
    assert kardex[-1]["saldo_cantidad"] == "10"
    assert contador.stock("cafe")["valor"] == kardex[-1]["saldo_valor"]
    facturas = contador.get("/facturas")["items"]
    assert {f["estado"] for f in facturas} == {"EMITIDA", "ANULADA"}
    eventos = contador.get("/eventos", limite=1000)["items"]
    posiciones = [e["posicion"] for e in eventos]
    assert posiciones == sorted(set(posiciones))
    tipos = {e["tipo"] for e in eventos}
    assert {
        "LoteIngresado",
        "StockReducido",
        "FacturaEmitida",
        "FacturaAnulada",
        "NotaCreditoEmitida",
        "CreditoAplicado",
        "SecuencialAsignado",
    } <= tipos


def lecturas(lector: TiendaHttp) -> dict[str, Any]:
    """Every read the API offers, for comparison."""
    facturas = lector.get("/facturas")["items"]
    resultado: dict[str, Any] = {
        "productos": lector.get("/productos"),
        "clientes": lector.get("/clientes"),
        "emisor": lector.get("/emisor"),
        "facturas": facturas,
        "notas": lector.get("/notas-credito"),
        "stock": lector.get("/inventario/stock"),
        "lotes": lector.get("/inventario/lotes"),
        "eventos": lector.get("/eventos", limite=1000),
    }
    for producto in ("cafe", "pan"):
        for bodega in ("bodega", "bodega2"):
            resultado[f"kardex {producto} {bodega}"] = lector.kardex(producto, bodega)
    for factura in facturas:
        resultado[factura["id"]] = lector.get(f"/facturas/{factura['id']}")
    return resultado
