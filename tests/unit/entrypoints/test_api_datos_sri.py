"""The catalog's SRI data over HTTP (issue 14): a product's barcodes and unit of measure,
a cliente's phone; the documents created from them carry a copy."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from apoyo_http import API, TiendaHttp, exigir, reglas

ARROZ = {
    "codigo": "ARR",
    "nombre": "Arroz",
    "precio": "1.20",
    "tarifa_iva": "0",
    "codigos_barra": ["7861234567890", " 0012345678905 "],
    "unidad_medida": "kg",
}


@pytest.fixture
def con_datos(tienda: TiendaHttp) -> TiendaHttp:
    arroz = tienda.post("/productos", ARROZ)
    tienda.ids["arroz"] = arroz["id"]
    vecino = tienda.post(
        "/clientes",
        {
            "tipo_identificacion": "05",
            "identificacion": "0910005917",
            "razon_social": "Juan Torres",
            "telefono": "+593 99 123 4567",
        },
    )
    tienda.ids["vecino"] = vecino["id"]
    tienda.ingresar("arroz", "10", "0.80")
    tienda.ingresar("cafe", "10", "2.00")
    return tienda


def test_productos_y_clientes_devuelven_sus_datos_sri(con_datos: TiendaHttp) -> None:
    arroz = con_datos.get(f"/productos/{con_datos.ids['arroz']}")
    assert arroz["codigos_barra"] == ["7861234567890", "0012345678905"]
    assert arroz["unidad_medida"] == "kg"
    assert arroz in con_datos.get("/productos")["items"]
    cafe = con_datos.get(f"/productos/{con_datos.ids['cafe']}")
    assert (cafe["codigos_barra"], cafe["unidad_medida"]) == ([], None)
    (vecino,) = con_datos.get("/clientes", identificacion="0910005917")["items"]
    assert vecino["telefono"] == "+593 99 123 4567"
    assert con_datos.get(f"/clientes/{con_datos.ids['cliente']}")["telefono"] is None


def test_la_factura_y_su_nota_llevan_la_copia(con_datos: TiendaHttp) -> None:
    factura = con_datos.facturar(("arroz", "2"), ("cafe", "1"), cliente_id=con_datos.ids["vecino"])

    arroz, cafe = factura["lineas"]
    assert (arroz["codigo_auxiliar"], arroz["unidad_medida"]) == ("7861234567890", "kg")
    assert (cafe["codigo_auxiliar"], cafe["unidad_medida"]) == (None, None)
    assert factura["cliente"]["telefono"] == "+593 99 123 4567"
    assert con_datos.get(f"/facturas/{factura['id']}") == factura

    nota = con_datos.post(
        "/notas-credito",
        {
            "factura_id": factura["id"],
            "motivo": "Devolución",
            "devolucion_inventario": True,
            "lineas": [{"producto_id": con_datos.ids["arroz"], "cantidad": "1"}],
        },
    )
    assert [ln["codigo_auxiliar"] for ln in nota["lineas"]] == ["7861234567890"]
    assert con_datos.get(f"/notas-credito/{nota['id']}") == nota


@pytest.mark.parametrize(
    ("cambios", "regla"),
    [
        ({"codigos_barra": ["1" * 26]}, "CodigoBarraValido"),
        ({"codigos_barra": ["786\n123"]}, "CodigoBarraValido"),
        ({"codigos_barra": ["7861234567890", "7861234567890 "]}, "CodigoBarraUnico"),
        ({"unidad_medida": "k" * 51}, "UnidadMedidaValida"),
        ({"unidad_medida": "kilo\ngramo"}, "UnidadMedidaValida"),
    ],
)
def test_datos_sri_de_un_producto_rechazados(
    cliente: TestClient, cambios: dict[str, Any], regla: str
) -> None:
    cuerpo = {"codigo": "TE", "nombre": "Té", "precio": "2.00", "tarifa_iva": "4", **cambios}
    respuesta = cliente.post(API + "/productos", json=cuerpo)

    assert respuesta.status_code == 422, respuesta.text
    assert reglas(respuesta) == {regla}
    assert exigir(cliente.get(API + "/productos"), 200)["items"] == []


def test_un_codigo_de_barras_de_otro_producto_es_conflicto(con_datos: TiendaHttp) -> None:
    cuerpo = {"codigo": "TE", "nombre": "Té", "precio": "2.00", "tarifa_iva": "4"}
    respuesta = con_datos.http.post(
        API + "/productos", json={**cuerpo, "codigos_barra": ["0012345678905"]}
    )

    assert respuesta.status_code == 409, respuesta.text
    assert reglas(respuesta) == {"CodigoBarraUnico"}
    assert "TE" not in [p["codigo"] for p in con_datos.get("/productos")["items"]]


@pytest.mark.parametrize("telefono", ["099 123 ABC", "12345", "0991234567\n0991234568"])
def test_un_telefono_invalido_se_rechaza(cliente: TestClient, telefono: str) -> None:
    cuerpo = {
        "tipo_identificacion": "05",
        "identificacion": "0910005917",
        "razon_social": "Juan Torres",
        "telefono": telefono,
    }
    respuesta = cliente.post(API + "/clientes", json=cuerpo)

    assert respuesta.status_code == 422, respuesta.text
    assert reglas(respuesta) == {"TelefonoValido"}
