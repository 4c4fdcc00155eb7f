"""Messages name things the way a person knows them: by their codes, never by UUID."""

from __future__ import annotations

from typing import Any

from apoyo_http import TiendaHttp


def mensajes(respuesta: Any) -> str:
    assert respuesta.status_code == 422, respuesta.text
    return " ".join(e["mensaje"] for e in respuesta.json()["errores"])


def sin_ids(tienda: TiendaHttp, texto: str) -> None:
    for clave, id in tienda.ids.items():
        assert id not in texto, (clave, texto)


def test_el_stock_insuficiente_de_una_factura_nombra_producto_y_bodega_por_su_codigo(
    tienda: TiendaHttp,
) -> None:
    tienda.ingresar("cafe", "1", "2.00")
    texto = mensajes(tienda.intentar_factura(("cafe", "3"), ("pan", "1")))

    assert "Stock insuficiente en la bodega B1" in texto
    assert "producto CAF: se piden 3, hay 1" in texto
    assert "producto PAN: se piden 1, hay 0" in texto
    sin_ids(tienda, texto)


def test_una_transferencia_rechazada_nombra_producto_y_bodega_por_su_codigo(
    tienda: TiendaHttp,
) -> None:
    tienda.ingresar("cafe", "2", "2.00")
    cuerpo = {
        "producto_id": tienda.ids["cafe"],
        "bodega_origen_id": tienda.ids["bodega"],
        "bodega_destino_id": tienda.ids["bodega2"],
        "cantidad": "5",
    }
    ruta = "/api/v1/inventario/transferencias"
    insuficiente = mensajes(tienda.http.post(ruta, json=cuerpo))
    misma = mensajes(
        tienda.http.post(ruta, json=dict(cuerpo, bodega_destino_id=tienda.ids["bodega"]))
    )

    assert "Stock insuficiente del producto CAF en la bodega B1" in insuficiente
    assert "origen y destino son la misma bodega B1" in misma
    sin_ids(tienda, insuficiente + misma)


def test_una_linea_de_nota_mal_escrita_se_nombra_por_su_numero(tienda: TiendaHttp) -> None:
    tienda.ingresar("cafe", "2", "2.00")
    factura = tienda.facturar(("cafe", "2"))
    cafe = tienda.ids["cafe"]
    respuesta = tienda.http.post(
        "/api/v1/notas-credito",
        json={
            "factura_id": factura["id"],
            "motivo": "Devolución",
            "devolucion_inventario": False,
            "lineas": [
                {"producto_id": cafe, "cantidad": "1"},
                {"producto_id": cafe, "cantidad": "1", "valor": "1.00"},
                {"producto_id": cafe, "valor": "0.00"},
            ],
        },
    )
    texto = mensajes(respuesta)

    assert "La línea 2 de la nota de crédito debe indicar una cantidad o un valor" in texto
    assert "La línea 3 de la nota de crédito debe acreditar un valor mayor que cero" in texto
    sin_ids(tienda, texto)
