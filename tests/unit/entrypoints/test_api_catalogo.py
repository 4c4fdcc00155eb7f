"""The catalog over HTTP: emisor, sucursales, puntos, bodegas, productos, clientes."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from apoyo_http import API, TiendaHttp, exigir, reglas


def test_emisor_se_registra_y_se_reemplaza(cliente: TestClient) -> None:
    assert cliente.get(API + "/emisor").status_code == 404
    emisor = {
        "ruc": "1793189906001",
        "razon_social": "Comercial Andina S.A.",
        "nombre_comercial": "Andina",
        "direccion_matriz": "Quito",
        "obligado_contabilidad": False,
        "ambiente": "2",
    }
    registrado = exigir(cliente.put(API + "/emisor", json=emisor), 200)
    # A company RUC whose check digit fails: accepted, with a warning (SRI.md).
    assert registrado["advertencias"]
    assert {k: registrado[k] for k in emisor} == emisor
    otro = dict(emisor, ruc="1790011674001", razon_social="  Andina Cía. Ltda.  ")
    reemplazado = exigir(cliente.put(API + "/emisor", json=otro), 200)
    assert reemplazado["razon_social"] == "Andina Cía. Ltda."
    assert reemplazado["advertencias"] == []
    assert exigir(cliente.get(API + "/emisor"), 200) == reemplazado


def test_sucursal_punto_y_bodega(cliente: TestClient) -> None:
    sucursal = exigir(
        cliente.post(
            API + "/sucursales", json={"codigo": "002", "nombre": "Norte", "direccion": "Quito"}
        ),
        201,
    )
    assert set(sucursal) == {"id", "codigo", "nombre", "direccion", "activo"}
    assert sucursal["activo"] is True
    punto = exigir(
        cliente.post(API + f"/sucursales/{sucursal['id']}/puntos-emision", json={"codigo": "003"}),
        201,
    )
    assert punto == {
        "id": punto["id"],
        "codigo": "003",
        "sucursal_id": sucursal["id"],
        "siguiente_secuencial": {"01": 1, "04": 1},
        "activo": True,
    }
    bodega = exigir(
        cliente.post(
            API + "/bodegas",
            json={"sucursal_id": sucursal["id"], "codigo": "N1", "nombre": "Bodega Norte"},
        ),
        201,
    )
    assert bodega["sucursal_id"] == sucursal["id"]
    assert exigir(cliente.get(API + f"/bodegas/{bodega['id']}"), 200) == bodega
    assert exigir(cliente.get(API + f"/sucursales/{sucursal['id']}"), 200) == sucursal
    assert exigir(cliente.get(API + f"/puntos-emision/{punto['id']}"), 200) == punto
    assert sucursal in exigir(cliente.get(API + "/sucursales"), 200)["items"]
    puntos = exigir(cliente.get(API + f"/sucursales/{sucursal['id']}/puntos-emision"), 200)
    assert puntos == {"items": [punto]}
    assert exigir(cliente.get(API + f"/bodegas?sucursal_id={sucursal['id']}"), 200) == {
        "items": [bodega]
    }
    assert bodega in exigir(cliente.get(API + "/bodegas"), 200)["items"]
    assert cliente.get(API + "/sucursales/no-existe/puntos-emision").status_code == 404

    repetido = cliente.post(
        API + f"/sucursales/{sucursal['id']}/puntos-emision", json={"codigo": "003"}
    )
    assert repetido.status_code == 409
    assert reglas(repetido) == {"PuntoEmisionUnico"}
    huerfano = cliente.post(API + "/sucursales/no-existe/puntos-emision", json={"codigo": "001"})
    assert huerfano.status_code == 404
    malo = cliente.post(API + "/sucursales", json={"codigo": "1", "nombre": "X", "direccion": "Y"})
    assert reglas(malo) == {"CodigoValido"}


def test_productos(tienda: TiendaHttp) -> None:
    creado = tienda.post(
        "/productos",
        {"codigo": "ARR", "nombre": "Arroz 2 kg", "precio": 2.6, "tarifa_iva": "0"},
    )
    assert creado["precio"] == "2.60"
    assert creado["stock_minimo"] == "0"
    assert tienda.get(f"/productos/{creado['id']}") == creado
    codigos = [p["codigo"] for p in tienda.get("/productos")["items"]]
    assert codigos == ["ARR", "CAF", "PAN"]
    duplicado = tienda.http.post(
        API + "/productos",
        json={"codigo": "ARR", "nombre": "Otro", "precio": "1", "tarifa_iva": "0"},
    )
    assert duplicado.status_code == 409
    assert reglas(duplicado) == {"ProductoUnico"}
    mala_tarifa = tienda.http.post(
        API + "/productos",
        json={"codigo": "X", "nombre": "X", "precio": "1", "tarifa_iva": "9"},
    )
    assert mala_tarifa.status_code == 422
    assert reglas(mala_tarifa) == {"TarifaIvaValida"}


@pytest.mark.parametrize(
    ("tipo", "identificacion"),
    [("05", "0910005917"), ("04", "1102755442001"), ("04", "1760001550001"), ("06", "AB12345")],
)
def test_clientes_validos(cliente: TestClient, tipo: str, identificacion: str) -> None:
    creado = exigir(
        cliente.post(
            API + "/clientes",
            json={
                "tipo_identificacion": tipo,
                "identificacion": identificacion,
                "razon_social": "Cliente de prueba",
                "email": "cliente@example.com",
            },
        ),
        201,
    )
    assert creado["advertencias"] == []
    assert creado["identificacion"] == identificacion
    encontrados = exigir(
        cliente.get(API + "/clientes", params={"identificacion": identificacion}), 200
    )
    assert encontrados["items"] == [creado]
    assert exigir(cliente.get(API + f"/clientes/{creado['id']}"), 200) == creado


@pytest.mark.parametrize(
    ("tipo", "identificacion", "regla"),
    [
        ("05", "0602910946", "CedulaValida"),
        ("05", "171430710", "CedulaValida"),
        ("04", "0101016904001", "RucValido"),
        ("04", "8810034069001", "RucValido"),
        ("09", "0602910945", "TipoIdentificacionValido"),
    ],
)
def test_clientes_invalidos(
    cliente: TestClient, tipo: str, identificacion: str, regla: str
) -> None:
    respuesta = cliente.post(
        API + "/clientes",
        json={"tipo_identificacion": tipo, "identificacion": identificacion, "razon_social": "X"},
    )
    assert respuesta.status_code == 422
    assert reglas(respuesta) == {regla}
    assert exigir(cliente.get(API + "/clientes"), 200)["items"] == []


def test_ruc_de_sociedad_con_digito_errado_se_acepta_con_advertencia(cliente: TestClient) -> None:
    creado = exigir(
        cliente.post(
            API + "/clientes",
            json={
                "tipo_identificacion": "04",
                "identificacion": "0993370026001",
                "razon_social": "Empresa Real S.A.",
            },
        ),
        201,
    )
    assert len(creado["advertencias"]) == 1
    assert "verificador" in creado["advertencias"][0]


def test_un_producto_con_varios_errores_los_nombra_todos(cliente: TestClient) -> None:
    respuesta = cliente.post(
        API + "/productos",
        json={"codigo": "X", "nombre": " ", "precio": "-1", "tarifa_iva": "12"},
    )
    assert respuesta.status_code == 422
    assert reglas(respuesta) == {"PrecioValido", "TarifaIvaValida", "NombreValido"}
    assert exigir(cliente.get(API + "/productos"), 200)["items"] == []


def test_un_cliente_con_varios_errores_los_nombra_todos(cliente: TestClient) -> None:
    respuesta = cliente.post(
        API + "/clientes",
        json={
            "tipo_identificacion": "05",
            "identificacion": "0602910946",
            "razon_social": "   ",
            "email": "no-es-un-correo",
            "direccion": "   ",
        },
    )
    assert respuesta.status_code == 422
    assert reglas(respuesta) == {"CedulaValida", "NombreValido", "EmailValido", "DireccionValida"}
    assert exigir(cliente.get(API + "/clientes"), 200)["items"] == []


def test_una_sucursal_con_varios_errores_los_nombra_todos(cliente: TestClient) -> None:
    respuesta = cliente.post(
        API + "/sucursales", json={"codigo": "000", "nombre": " ", "direccion": " "}
    )
    assert respuesta.status_code == 422
    assert reglas(respuesta) == {"CodigoValido", "NombreValido", "DireccionValida"}
    assert exigir(cliente.get(API + "/sucursales"), 200)["items"] == []
