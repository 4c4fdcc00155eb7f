"""Every list of the API comes in pages, as the facturas do: `limite` (1 to 1000, 100 by
default) and `desplazamiento`, documented in the OpenAPI document. A big shop's kardex
never comes back as one answer."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from apoyo_http import API, TiendaHttp, exigir

PAGINADAS = [
    "/facturas",
    "/comprobantes",
    "/notas-credito",
    "/inventario/kardex",
    "/inventario/lotes",
    "/inventario/stock",
    "/productos",
    "/clientes",
]


def test_cada_lista_documenta_su_paginacion(anonimo: TestClient) -> None:
    documento = exigir(anonimo.get("/openapi.json"), 200)
    for ruta in PAGINADAS:
        operacion = documento["paths"][API + ruta]["get"]
        parametros = {p["name"]: p for p in operacion["parameters"]}
        limite = parametros["limite"]["schema"]
        assert (limite["minimum"], limite["maximum"], limite["default"]) == (1, 1000, 100), ruta
        assert parametros["limite"]["description"], ruta
        desplazamiento = parametros["desplazamiento"]["schema"]
        assert (desplazamiento["minimum"], desplazamiento["default"]) == (0, 0), ruta
        assert "limite" in operacion["description"], ruta


def _ids(tienda: TiendaHttp, ruta: str, campo: str = "id", **params: Any) -> list[Any]:
    return [item[campo] for item in tienda.get(ruta, **params)["items"]]


def _por_paginas(
    tienda: TiendaHttp, ruta: str, campo: str, tamano: int, **params: Any
) -> list[Any]:
    """Every item of a list, read `tamano` at a time."""
    todos: list[Any] = []
    while True:
        pagina = _ids(tienda, ruta, campo, limite=tamano, desplazamiento=len(todos), **params)
        todos += pagina
        if len(pagina) < tamano:
            return todos


def test_kardex_y_lotes_de_un_producto_con_muchos_movimientos(tienda: TiendaHttp) -> None:
    for i in range(101):
        tienda.ingresar("cafe", "1", f"{2 + i / 100:.2f}")
    filtro = {"producto_id": tienda.ids["cafe"], "bodega_id": tienda.ids["bodega"]}
    for ruta, campo in (("/inventario/kardex", "costo_unitario"), ("/inventario/lotes", "lote_id")):
        todos = _ids(tienda, ruta, campo, limite=1000, **filtro)
        assert len(todos) == 101, ruta
        assert _ids(tienda, ruta, campo, **filtro) == todos[:100], ruta
        assert _por_paginas(tienda, ruta, campo, 40, **filtro) == todos, ruta
        assert _ids(tienda, ruta, campo, desplazamiento=101, **filtro) == [], ruta
    # The kardex keeps its running balance on every page.
    ultimo = tienda.get("/inventario/kardex", limite=1, desplazamiento=100, **filtro)["items"]
    assert ultimo[0]["saldo_cantidad"] == "101"


def test_productos_clientes_stock_y_notas_por_paginas(tienda: TiendaHttp) -> None:
    tienda.post(
        "/clientes",
        {"tipo_identificacion": "05", "identificacion": "0910005917", "razon_social": "Ana"},
    )
    tienda.ingresar("cafe", "5", "2.00")
    tienda.ingresar("pan", "5", "1.00")
    factura = tienda.facturar(("cafe", "3"))
    notas = [tienda.devolver(factura)["id"] for _ in range(3)]

    assert _ids(tienda, "/productos", "codigo", limite=1) == ["CAF"]
    assert _ids(tienda, "/productos", "codigo", limite=1, desplazamiento=1) == ["PAN"]
    assert _ids(tienda, "/clientes", "razon_social") == ["Ana", "María Pérez"]
    assert _ids(tienda, "/clientes", "razon_social", limite=1, desplazamiento=1) == ["María Pérez"]
    stock = _ids(tienda, "/inventario/stock", "producto_id")
    assert len(stock) == 2
    assert _por_paginas(tienda, "/inventario/stock", "producto_id", 1) == stock
    assert _ids(tienda, "/notas-credito") == notas
    assert _por_paginas(tienda, "/notas-credito", "id", 2) == notas
    assert _ids(tienda, "/notas-credito", factura_id=factura["id"], desplazamiento=2) == notas[2:]


@pytest.mark.parametrize("ruta", PAGINADAS)
@pytest.mark.parametrize(
    "params", [{"limite": 0}, {"limite": 1001}, {"desplazamiento": -1}, {"limite": "x"}]
)
def test_paginas_fuera_de_rango(cliente: TestClient, ruta: str, params: dict[str, Any]) -> None:
    if ruta == "/inventario/kardex":
        params = {**params, "producto_id": "p", "bodega_id": "b"}
    respuesta = cliente.get(API + ruta, params=params)
    assert respuesta.status_code == 422, respuesta.text
