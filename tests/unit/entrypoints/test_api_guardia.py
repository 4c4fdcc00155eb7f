"""The door of the HTTP API, in process: a request under /api without a valid token is
refused before a byte of its body is read, a body beyond PROMETEO_LIMITE_CUERPO is refused
with 413 (declared or streamed in chunks), and every answer says nosniff. The app is
called as an ASGI application, so that the test sees exactly which body messages it asked
for."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import anyio
import pytest
from entorno_api import TOKEN_ADMIN, ajustes
from fastapi import FastAPI
from fastapi.testclient import TestClient

from apoyo_http import API, exigir, reglas
from prometeo.application.acceso import Portador, Rol
from prometeo.bootstrap import bootstrap
from prometeo.entrypoints.api.app import crear_app
from prometeo.infrastructure.db.tokens import AlmacenTokens

MIB = 1024 * 1024
TROZO = 64 * 1024


@dataclass
class Llamada:
    """What an ASGI call answered, and how many body messages the app read."""

    status: int = 0
    cabeceras: dict[str, str] = field(default_factory=dict)
    cuerpo: bytes = b""
    leidos: int = 0

    def json(self) -> Any:
        return json.loads(self.cuerpo)


def llamar(
    app: FastAPI,
    metodo: str,
    ruta: str,
    cabeceras: dict[str, str],
    trozos: int,
    tamano: int = TROZO,
) -> Llamada:
    """Call `app` with a body of `trozos` messages of `tamano` bytes, handed over only
    when the app asks for them."""
    llamada = Llamada()

    async def recibir() -> dict[str, Any]:
        if llamada.leidos >= trozos:
            return {"type": "http.disconnect"}
        llamada.leidos += 1
        return {
            "type": "http.request",
            "body": b"x" * tamano,
            "more_body": llamada.leidos < trozos,
        }

    async def enviar(mensaje: dict[str, Any]) -> None:
        if mensaje["type"] == "http.response.start":
            llamada.status = mensaje["status"]
            llamada.cabeceras = {k.decode(): v.decode() for k, v in mensaje["headers"]}
        elif mensaje["type"] == "http.response.body":
            llamada.cuerpo += mensaje.get("body", b"")

    alcance = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": metodo,
        "scheme": "http",
        "path": ruta,
        "raw_path": ruta.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in cabeceras.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
        "state": {},
    }
    anyio.run(app, alcance, recibir, enviar)
    return llamada


def problema(llamada: Llamada, status: int) -> set[str]:
    assert llamada.status == status, llamada.cuerpo
    assert llamada.cabeceras["content-type"].startswith("application/problem+json")
    cuerpo = llamada.json()
    assert cuerpo["status"] == status
    return {e["regla"] for e in cuerpo["errores"]}


VEINTE_MIB = {"Content-Type": "application/json", "Content-Length": str(20 * MIB)}
# An admin's body in chunks, without Content-Length.
TROCEADO = {
    "Content-Type": "application/json",
    "Transfer-Encoding": "chunked",
    "Authorization": f"Bearer {TOKEN_ADMIN}",
}


@pytest.mark.parametrize(
    ("autorizacion", "regla"),
    [
        (None, "TokenPresente"),
        ("Bearer otro-token", "TokenValido"),
        ("Basic eDp5", "EsquemaBearer"),
        ("Token otro-token", "EsquemaBearer"),
        ("Bearer", "TokenPresente"),
    ],
)
def test_sin_token_valido_se_rechaza_sin_leer_el_cuerpo(
    app_http: FastAPI, autorizacion: str | None, regla: str
) -> None:
    cabeceras = dict(VEINTE_MIB)
    if autorizacion is not None:
        cabeceras["Authorization"] = autorizacion
    llamada = llamar(app_http, "POST", API + "/facturas", cabeceras, trozos=20 * 16)
    assert problema(llamada, 401) == {regla}
    assert llamada.leidos == 0
    assert llamada.cabeceras["www-authenticate"] == "Bearer"
    # The body is still on its way: the connection is not worth keeping.
    assert llamada.cabeceras["connection"] == "close"


def test_sin_token_ni_una_ruta_desconocida_de_la_api_se_revela(anonimo: TestClient) -> None:
    respuesta = anonimo.get(API + "/no-existe")
    assert respuesta.status_code == 401
    assert reglas(respuesta) == {"TokenPresente"}
    # Nothing left unread: the connection stays open for the next request.
    assert "connection" not in respuesta.headers


def test_cuerpo_declarado_mayor_que_el_limite_da_413_sin_leerlo(app_http: FastAPI) -> None:
    cabeceras = {**VEINTE_MIB, "Authorization": f"Bearer {TOKEN_ADMIN}"}
    llamada = llamar(app_http, "POST", API + "/facturas", cabeceras, trozos=20 * 16)
    assert problema(llamada, 413) == {"CuerpoDentroDelLimite"}
    assert llamada.leidos == 0
    assert "1048576 bytes" in llamada.json()["detail"]
    assert "PROMETEO_LIMITE_CUERPO" in llamada.json()["detail"]
    assert llamada.cabeceras["connection"] == "close"


def test_cuerpo_troceado_sin_content_length_se_corta_al_pasar_el_limite(
    app_http: FastAPI,
) -> None:
    cabeceras = TROCEADO
    llamada = llamar(app_http, "POST", API + "/facturas", cabeceras, trozos=20 * 16)
    assert problema(llamada, 413) == {"CuerpoDentroDelLimite"}
    # Read until the limit was passed, not one message more.
    assert llamada.leidos == MIB // TROZO + 1
    assert llamada.cabeceras["connection"] == "close"


def test_cuerpo_troceado_dentro_del_limite_pasa(app_http: FastAPI) -> None:
    cabeceras = TROCEADO
    llamada = llamar(app_http, "POST", API + "/facturas", cabeceras, trozos=MIB // TROZO)
    # Exactly at the limit: read whole, then refused as the JSON it is not.
    assert llamada.leidos == MIB // TROZO
    assert problema(llamada, 400) == {"JsonValido"}


@pytest.fixture
def limitado(url_api: str) -> Iterator[TestClient]:
    wired = bootstrap(ajustes(url_api, limite_cuerpo=2048))
    cabeceras = {"Authorization": f"Bearer {TOKEN_ADMIN}"}
    with TestClient(crear_app(wired), raise_server_exceptions=False, headers=cabeceras) as http:
        yield http
    wired.cerrar()


def test_el_limite_se_configura(limitado: TestClient) -> None:
    grande = limitado.post(API + "/tokens", json={"nombre": "x" * 3000, "rol": "cajero"})
    assert grande.status_code == 413
    assert "2048 bytes" in grande.json()["detail"]
    pequeno = limitado.post(API + "/tokens", json={"nombre": "x" * 1000, "rol": "cajero"})
    assert pequeno.status_code == 422  # past the door: the name is too long


def test_cada_respuesta_dice_nosniff(
    anonimo: TestClient, cliente: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    respuestas = [
        cliente.get(API + "/eventos"),
        cliente.get(API + "/productos/no-existe"),
        cliente.get(API + "/eventos", params={"limite": 0}),
        cliente.post(API + "/facturas", content=b"{", headers={"Content-Type": "application/json"}),
        anonimo.get(API + "/productos"),
        anonimo.get("/health"),
        anonimo.get("/metrics"),
        anonimo.get("/openapi.json"),
        anonimo.get("/docs"),
        anonimo.get("/no-existe"),
    ]

    def falla(*_: Any, **__: Any) -> None:
        raise RuntimeError("falla interna")

    monkeypatch.setattr(
        "prometeo.infrastructure.db.catalogo.RepositorioCatalogoSql.productos", falla
    )
    respuestas.append(cliente.get(API + "/productos"))
    assert {r.status_code for r in respuestas} == {200, 400, 401, 404, 422, 500}
    for respuesta in respuestas:
        assert respuesta.headers["x-content-type-options"] == "nosniff", respuesta.request.url


def test_el_token_creado_no_se_guarda_en_cache(cliente: TestClient) -> None:
    respuesta = cliente.post(API + "/tokens", json={"nombre": "Caja 9", "rol": "cajero"})
    exigir(respuesta, 201)
    assert respuesta.headers["cache-control"] == "no-store"


def test_el_token_se_busca_una_sola_vez_por_solicitud(
    cliente: TestClient, token_de: dict[Rol, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    buscados: list[str] = []
    original = AlmacenTokens.portador

    def portador(self: AlmacenTokens, token: str) -> Portador | None:
        buscados.append(token)
        return original(self, token)

    monkeypatch.setattr(AlmacenTokens, "portador", portador)
    propio = {"Authorization": f"Bearer {token_de[Rol.CONTADOR]}"}
    exigir(cliente.get(API + "/productos", headers=propio), 200)
    assert buscados == [token_de[Rol.CONTADOR]]


def test_un_cuerpo_troceado_con_idempotency_key_tambien_se_corta(app_http: FastAPI) -> None:
    # The idempotency middleware reads a write's body itself, outside FastAPI's handlers.
    cabeceras = {**TROCEADO, "Idempotency-Key": "clave-de-un-cuerpo-enorme"}
    llamada = llamar(app_http, "POST", API + "/facturas", cabeceras, trozos=20 * 16)
    assert problema(llamada, 413) == {"CuerpoDentroDelLimite"}
    assert llamada.leidos == MIB // TROZO + 1
    assert llamada.cabeceras["x-content-type-options"] == "nosniff"


def test_un_content_length_junto_a_un_cuerpo_troceado_no_cuenta(app_http: FastAPI) -> None:
    cabeceras = {**TROCEADO, "Content-Length": "10"}
    llamada = llamar(app_http, "POST", API + "/facturas", cabeceras, trozos=20 * 16)
    assert problema(llamada, 413) == {"CuerpoDentroDelLimite"}
    assert llamada.leidos == MIB // TROZO + 1


def test_un_token_con_otro_esquema_dice_que_el_esquema_esta_mal(anonimo: TestClient) -> None:
    respuesta = anonimo.get(API + "/productos", headers={"Authorization": "Token x"})
    assert respuesta.status_code == 401
    [error] = respuesta.json()["errores"]
    assert error["regla"] == "EsquemaBearer"
    assert "«Token»" in error["mensaje"]
    assert "Bearer <token>" in error["mensaje"]
    assert "Falta" not in error["mensaje"]
