"""Bad input never yields a 500 and never changes anything: 400 for what is not JSON,
422 with every invalid field named, 404 for unknown ids and routes, all as problem+json."""

from __future__ import annotations

from typing import Any

import pytest
from entorno_api import TOKEN_ADMIN, ajustes
from fastapi.testclient import TestClient

from apoyo_http import API, TiendaHttp, exigir, reglas
from prometeo.application.servicios import ServicioFacturas
from prometeo.bootstrap import bootstrap
from prometeo.domain.errores import ErrorDeConcurrencia
from prometeo.entrypoints.api.app import crear_app

PROBLEMA = "application/problem+json"


def es_problema(respuesta: Any, status: int) -> dict[str, Any]:
    assert respuesta.status_code == status, respuesta.text
    assert respuesta.headers["content-type"].startswith(PROBLEMA)
    cuerpo: dict[str, Any] = respuesta.json()
    assert set(cuerpo) == {"type", "title", "status", "detail", "errores"}
    assert cuerpo["status"] == status
    assert "Traceback" not in respuesta.text
    return cuerpo


@pytest.mark.parametrize(
    ("contenido", "tipo"),
    [
        (b"{no es json", "application/json"),
        (b"hola", "text/plain"),
        (b'{"codigo": "X"}', "text/plain"),
        (b"\xff\xfe\x00", "application/json"),
        (b'{"a": ' + b"[" * 50_000 + b"]" * 50_000 + b"}", "application/json"),
        (b'{"precio": ' + b"9" * 5000 + b"}", "application/json"),
    ],
)
def test_cuerpo_que_no_es_json_da_400(tienda: TiendaHttp, contenido: bytes, tipo: str) -> None:
    antes = tienda.ultima_posicion()
    respuesta = tienda.http.post(
        API + "/productos", content=contenido, headers={"content-type": tipo}
    )
    cuerpo = es_problema(respuesta, 400)
    assert cuerpo["errores"][0]["regla"] == "JsonValido"
    assert tienda.ultima_posicion() == antes


def test_json_que_no_es_objeto_da_422(cliente: TestClient) -> None:
    cuerpo = es_problema(cliente.post(API + "/productos", json=[1, 2]), 422)
    assert cuerpo["errores"][0]["regla"] == "EntradaValida"


def test_cada_campo_faltante_o_sobrante_se_nombra(cliente: TestClient) -> None:
    respuesta = cliente.post(API + "/productos", json={"codigo": 7, "precioo": "1"})
    cuerpo = es_problema(respuesta, 422)
    mensajes = {e["mensaje"] for e in cuerpo["errores"]}
    assert {e["regla"] for e in cuerpo["errores"]} == {"EntradaValida"}
    assert "El campo «codigo» debe ser un texto" in mensajes
    assert "El campo «nombre» es obligatorio" in mensajes
    assert "El campo «precio» es obligatorio" in mensajes
    assert "El campo «tarifa_iva» es obligatorio" in mensajes
    assert "El campo «precioo» no es un campo admitido" in mensajes


@pytest.mark.parametrize(
    ("cantidad", "regla"),
    [
        ("1e30", "EntradaValida"),
        (1e30, "EntradaValida"),
        ("1e3", "EntradaValida"),
        (10**40, "EntradaValida"),
        ("abc", "EntradaValida"),
        ("", "EntradaValida"),
        (True, "EntradaValida"),
        (None, "EntradaValida"),
        ([1], "EntradaValida"),
        ({"valor": 1}, "EntradaValida"),
        ("NaN", "EntradaValida"),
        ("Infinity", "EntradaValida"),
        (-1, "CantidadPositiva"),
        ("0", "CantidadPositiva"),
        ("0.0000001", "CantidadConHasta6Decimales"),
        ("6", "StockSuficienteParaFactura"),
        ("999999999999", None),
    ],
)
def test_cantidades_absurdas_dan_422_sin_cambiar_nada(
    tienda: TiendaHttp, cantidad: Any, regla: str | None
) -> None:
    tienda.ingresar("cafe", "5", "2.00")
    antes = tienda.ultima_posicion()
    respuesta = tienda.intentar_factura(("cafe", cantidad))
    cuerpo = es_problema(respuesta, 422)
    assert regla is None or regla in {e["regla"] for e in cuerpo["errores"]}
    if regla == "EntradaValida":
        assert any("lineas[0].cantidad" in e["mensaje"] for e in cuerpo["errores"])
    assert tienda.ultima_posicion() == antes
    assert tienda.stock("cafe")["cantidad"] == "5"


def test_nan_e_infinito_como_numeros_json(tienda: TiendaHttp) -> None:
    for literal in (b"NaN", b"Infinity", b"-Infinity"):
        contenido = (
            b'{"producto_id": "x", "bodega_id": "y", "cantidad": '
            + literal
            + b', "costo_unitario": 1}'
        )
        respuesta = tienda.http.post(
            API + "/inventario/ingresos",
            content=contenido,
            headers={"content-type": "application/json"},
        )
        assert es_problema(respuesta, 422)["errores"][0]["regla"] == "EntradaValida"


@pytest.mark.parametrize(
    ("campo", "valor", "regla"),
    [
        ("precio", "-1", "PrecioValido"),
        ("precio", "1.0000001", "PrecioValido"),
        ("precio", 1e12, "EntradaValida"),
        ("stock_minimo", "-2", "StockMinimoValido"),
        ("nombre", "", "NombreValido"),
        ("nombre", "a\x00b", "EntradaValida"),
        ("nombre", "línea 1\nlínea 2", "NombreValido"),
        ("nombre", "x" * 5000, "EntradaValida"),
        ("tarifa_iva", 4, "EntradaValida"),
    ],
)
def test_valores_de_producto_invalidos(
    cliente: TestClient, campo: str, valor: Any, regla: str
) -> None:
    cuerpo = {"codigo": "X", "nombre": "X", "precio": "1", "tarifa_iva": "4"}
    cuerpo[campo] = valor
    assert regla in reglas(cliente.post(API + "/productos", json=cuerpo))
    assert exigir(cliente.get(API + "/productos"), 200)["items"] == []


def test_id_con_caracteres_de_control(cliente: TestClient) -> None:
    es_problema(cliente.get(API + "/facturas/a%00b"), 422)
    es_problema(cliente.get(API + "/inventario/stock", params={"producto_id": "\x00"}), 422)


@pytest.mark.parametrize(
    "ruta",
    [
        "/facturas/no-existe",
        "/notas-credito/no-existe",
        "/productos/no-existe",
        "/clientes/no-existe",
        "/bodegas/no-existe",
        "/sucursales/no-existe",
        "/puntos-emision/no-existe",
    ],
)
def test_ids_desconocidos_dan_404(cliente: TestClient, ruta: str) -> None:
    cuerpo = es_problema(cliente.get(API + ruta), 404)
    assert cuerpo["errores"][0]["regla"] == "ExisteRecurso"
    assert "no-existe" in cuerpo["detail"]


def test_comandos_sobre_ids_desconocidos_dan_404(tienda: TiendaHttp) -> None:
    antes = tienda.ultima_posicion()
    es_problema(tienda.http.post(API + "/facturas/no-existe/emitir"), 404)
    es_problema(tienda.http.post(API + "/facturas/no-existe/anular", json={"motivo": "x"}), 404)
    es_problema(tienda.intentar_factura(("cafe", "1"), punto_emision_id="no-existe"), 404)
    assert tienda.ultima_posicion() == antes


def test_ruta_y_metodo_desconocidos(cliente: TestClient) -> None:
    es_problema(cliente.get(API + "/no-existe"), 404)
    es_problema(cliente.delete(API + "/productos"), 405)


def test_error_inesperado_sin_traza(cliente: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    def falla(*_: Any, **__: Any) -> None:
        raise RuntimeError("detalle interno secreto")

    monkeypatch.setattr(
        "prometeo.infrastructure.db.catalogo.RepositorioCatalogoSql.productos", falla
    )
    respuesta = cliente.get(API + "/productos")
    cuerpo = es_problema(respuesta, 500)
    assert "secreto" not in respuesta.text
    assert cuerpo["title"] == "Error interno"


@pytest.mark.parametrize(
    ("campo", "valor"),
    [
        ("fecha_emision", "9999-12-31"),
        ("fecha_emision", "0001-01-01"),
        ("fecha_emision", "2026-02-30"),
        ("fecha_emision", "29/11/2026"),
        ("fecha_emision", 20261129),
        ("fecha_caducidad", "2026-11-29T10:00:00"),
    ],
)
def test_fechas_fuera_de_rango_o_de_formato(tienda: TiendaHttp, campo: str, valor: Any) -> None:
    tienda.ingresar("cafe", "5", "2.00")
    respuesta = tienda.intentar_factura(("cafe", "1"), **{campo: valor})
    cuerpo = es_problema(respuesta, 422)
    assert any(campo in e["mensaje"] for e in cuerpo["errores"])


@pytest.mark.parametrize(
    ("ruta", "params", "mensaje"),
    [
        ("/api/v1/inventario/stock", {"producto": "x"}, "El parámetro «producto» no es un"),
        ("/api/v1/eventos", [("limite", "1"), ("limite", "2")], "aparece más de una vez"),
        ("/health", {"x": "1"}, "El parámetro «x» no es un parámetro admitido"),
    ],
)
def test_parametros_desconocidos_o_repetidos(
    cliente: TestClient, ruta: str, params: Any, mensaje: str
) -> None:
    cuerpo = es_problema(cliente.get(ruta, params=params), 422)
    assert mensaje in cuerpo["errores"][0]["mensaje"]


def test_conflicto_de_concurrencia_tras_reintentos_da_409(
    tienda: TiendaHttp, monkeypatch: pytest.MonkeyPatch
) -> None:
    def siempre_en_conflicto(*_: Any, **__: Any) -> None:
        raise ErrorDeConcurrencia("otro escritor llegó antes")

    monkeypatch.setattr(ServicioFacturas, "crear_factura", siempre_en_conflicto)
    cuerpo = es_problema(tienda.intentar_factura(("cafe", "1")), 409)
    assert [e["regla"] for e in cuerpo["errores"]] == ["SinConflictoDeConcurrencia"]


@pytest.mark.parametrize("ruta", ["/facturas", "/comprobantes"])
def test_desde_despues_de_hasta_es_un_422(tienda: TiendaHttp, ruta: str) -> None:
    respuesta = tienda.http.get(API + ruta, params={"desde": "2026-12-31", "hasta": "2026-12-01"})
    assert respuesta.status_code == 422
    assert "posterior a `hasta`" in respuesta.text
    bien = tienda.http.get(API + ruta, params={"desde": "2026-12-01", "hasta": "2026-12-01"})
    assert bien.status_code == 200


def test_con_modelos_distribuidos_un_404_dice_por_que_puede_ser(url_api: str) -> None:
    wired = bootstrap(ajustes(url_api, proyecciones="distribuidas"))
    try:
        with TestClient(
            crear_app(wired), headers={"Authorization": f"Bearer {TOKEN_ADMIN}"}
        ) as http:
            respuesta = http.get(API + "/facturas/no-existe")
    finally:
        wired.cerrar()
    assert respuesta.status_code == 404
    assert "prometeo worker" in respuesta.json()["detail"]


def test_las_opciones_de_un_parametro_se_enumeran_en_espanol(cliente: TestClient) -> None:
    cuerpo = es_problema(cliente.get(API + "/facturas", params={"estado": "PAGADA"}), 422)
    mensaje = cuerpo["errores"][0]["mensaje"]
    assert "'BORRADOR', 'EMITIDA', 'ANULADA' o 'DESCARTADA'" in mensaje
    assert " or " not in mensaje
