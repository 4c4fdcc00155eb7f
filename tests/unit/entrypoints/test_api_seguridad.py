"""Tokens and roles: 401 without a valid token, 403 when the role may not, and tokens
that are random, shown once and stored only as a SHA-256 hash."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from entorno_api import TOKEN_ADMIN
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from apoyo_http import API, TiendaHttp, exigir, reglas
from prometeo.bootstrap import Aplicacion
from prometeo.entrypoints.api.intentos import FALLOS_PERMITIDOS
from prometeo.entrypoints.cli import app as cli
from prometeo.infrastructure.db.tablas import eventos, tokens
from prometeo.infrastructure.db.tokens import Rol

ADMIN, CAJERO, BODEGUERO, CONTADOR = Rol.ADMIN, Rol.CAJERO, Rol.BODEGUERO, Rol.CONTADOR
TODOS = {ADMIN, CAJERO, BODEGUERO, CONTADOR}

# método, ruta, cuerpo, roles permitidos
OPERACIONES: list[tuple[str, str, Any, set[Rol]]] = [
    ("PUT", "/emisor", {}, {ADMIN}),
    ("POST", "/sucursales", {}, {ADMIN}),
    ("POST", "/sucursales/x/puntos-emision", {}, {ADMIN}),
    ("POST", "/bodegas", {}, {ADMIN}),
    ("POST", "/productos", {}, {ADMIN}),
    ("POST", "/clientes", {}, {ADMIN}),
    ("POST", "/tokens", {}, {ADMIN}),
    ("GET", "/tokens", None, {ADMIN}),
    ("DELETE", "/tokens/x", None, {ADMIN}),
    ("POST", "/inventario/ingresos", {}, {ADMIN, BODEGUERO}),
    ("POST", "/inventario/transferencias", {}, {ADMIN, BODEGUERO}),
    ("POST", "/inventario/conteos", {}, {ADMIN, BODEGUERO}),
    ("POST", "/inventario/bajas", {}, {ADMIN, BODEGUERO}),
    ("POST", "/facturas", {}, {ADMIN, CAJERO}),
    ("POST", "/facturas/x/emitir", None, {ADMIN, CAJERO}),
    ("POST", "/facturas/x/anular", {}, {ADMIN, CAJERO}),
    ("POST", "/notas-credito", {}, {ADMIN, CAJERO}),
    ("POST", "/facturas/x/correccion", {}, {ADMIN}),
    ("POST", "/notas-credito/x/correccion", {}, {ADMIN}),
    ("GET", "/emisor", None, TODOS),
    ("GET", "/productos", None, TODOS),
    ("GET", "/clientes", None, TODOS),
    ("GET", "/inventario/stock", None, TODOS),
    ("GET", "/inventario/lotes", None, TODOS),
    ("GET", "/inventario/por-vencer", None, TODOS),
    ("GET", "/facturas", None, TODOS),
    ("GET", "/notas-credito", None, TODOS),
    ("GET", "/eventos", None, TODOS),
]


@pytest.mark.parametrize(("metodo", "ruta", "cuerpo", "permitidos"), OPERACIONES)
def test_roles(
    anonimo: TestClient,
    token_de: dict[Rol, str],
    metodo: str,
    ruta: str,
    cuerpo: Any,
    permitidos: set[Rol],
) -> None:
    sin_token = anonimo.request(metodo, API + ruta, json=cuerpo)
    assert sin_token.status_code == 401
    assert sin_token.headers["www-authenticate"] == "Bearer"
    assert reglas(sin_token) == {"TokenPresente"}
    for rol, token in token_de.items():
        respuesta = anonimo.request(
            metodo, API + ruta, json=cuerpo, headers={"Authorization": f"Bearer {token}"}
        )
        if rol in permitidos:
            # Past the door: whatever the empty body or unknown id makes of it, not 401/403.
            assert respuesta.status_code not in (401, 403), (rol, respuesta.text)
        else:
            assert respuesta.status_code == 403, (rol, respuesta.text)
            assert reglas(respuesta) == {"RolAutorizado"}


@pytest.mark.parametrize(
    "cabecera",
    ["Bearer otro-token", "Bearer ", "Basic dXN1YXJpbzpjbGF2ZQ==", f"Bearer {'x' * 5000}", "x"],
)
def test_token_invalido_da_401(anonimo: TestClient, cabecera: str) -> None:
    respuesta = anonimo.get(API + "/productos", headers={"Authorization": cabecera})
    assert respuesta.status_code == 401
    assert respuesta.headers["content-type"].startswith("application/problem+json")


def test_salud_metricas_y_documentacion_sin_token(anonimo: TestClient) -> None:
    for ruta in ("/health", "/metrics", "/openapi.json", "/docs"):
        assert anonimo.get(ruta).status_code == 200, ruta


def test_crear_token_y_usarlo(cliente: TestClient, aplicacion: Aplicacion) -> None:
    creado = exigir(cliente.post(API + "/tokens", json={"nombre": "Caja 1", "rol": "cajero"}), 201)
    assert set(creado) == {"id", "token", "nombre", "rol", "creado_en", "expira_en"}
    assert (creado["nombre"], creado["rol"]) == ("Caja 1", "cajero")
    assert len(creado["token"]) >= 43  # 32 random bytes, urlsafe base64

    propio = {"Authorization": f"Bearer {creado['token']}"}
    assert cliente.get(API + "/productos", headers=propio).status_code == 200
    assert cliente.post(API + "/productos", json={}, headers=propio).status_code == 403

    with aplicacion.engine.connect() as conexion:
        filas = conexion.execute(select(tokens)).all()
    assert [f.hash for f in filas] == [hashlib.sha256(creado["token"].encode()).hexdigest()]
    assert creado["token"] not in str(filas)


def test_el_usuario_del_token_queda_en_los_eventos(
    tienda: TiendaHttp, token_de: dict[Rol, str], aplicacion: Aplicacion
) -> None:
    cuerpo = {
        "producto_id": tienda.ids["cafe"],
        "bodega_id": tienda.ids["bodega"],
        "cantidad": "1",
        "costo_unitario": "1",
    }
    respuesta = tienda.http.post(
        API + "/inventario/ingresos",
        json=cuerpo,
        headers={"Authorization": f"Bearer {token_de[BODEGUERO]}", "X-Correlation-ID": "abc-1"},
    )
    exigir(respuesta, 201)
    with aplicacion.engine.connect() as conexion:
        metadatos = (
            conexion.execute(select(eventos.c.metadatos).order_by(eventos.c.posicion.desc()))
            .scalars()
            .first()
        )
    assert '"usuario":"prueba bodeguero"' in metadatos
    assert '"correlation_id":"abc-1"' in metadatos
    # The token's id too: names are for people and a revoked one's may be issued again.
    (bodeguero,) = [t for t in tienda.get("/tokens")["items"] if t["rol"] == "bodeguero"]
    assert f'"token_id":"{bodeguero["id"]}"' in metadatos


@pytest.mark.parametrize(
    "cuerpo",
    [
        {"nombre": "x", "rol": "jefe"},
        {"nombre": "", "rol": "cajero"},
        {"nombre": "a\nb", "rol": "cajero"},
        {"nombre": "x" * 101, "rol": "cajero"},
        {"nombre": "Admin", "rol": "cajero"},
        {"nombre": "x", "rol": "cajero", "expira_en": "2026-12-31T00:00:00"},  # no zone
        {"rol": "cajero"},
    ],
)
def test_token_con_datos_invalidos(cliente: TestClient, cuerpo: dict[str, str]) -> None:
    respuesta = cliente.post(API + "/tokens", json=cuerpo)
    assert respuesta.status_code == 422
    assert reglas(respuesta) == {"EntradaValida"}


def test_token_por_linea_de_comandos(
    aplicacion: Aplicacion, anonimo: TestClient, url_api: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROMETEO_DATABASE_URL", url_api)
    resultado = CliRunner().invoke(cli, ["token", "--rol", "contador", "--nombre", "Auditoría"])
    assert resultado.exit_code == 0, resultado.output
    token = resultado.stdout.strip().splitlines()[-1]
    cabeceras = {"Authorization": f"Bearer {token}"}
    assert anonimo.get(API + "/productos", headers=cabeceras).status_code == 200
    assert anonimo.post(API + "/productos", json={}, headers=cabeceras).status_code == 403
    assert CliRunner().invoke(cli, ["token", "--rol", "jefe", "--nombre", "x"]).exit_code != 0


def test_token_de_administrador_de_la_configuracion(anonimo: TestClient) -> None:
    cabeceras = {"Authorization": f"Bearer {TOKEN_ADMIN}"}
    creado = anonimo.post(API + "/tokens", json={"nombre": "a", "rol": "admin"}, headers=cabeceras)
    assert creado.status_code == 201
    casi = {"Authorization": f"Bearer {TOKEN_ADMIN[:-1]}"}
    assert anonimo.get(API + "/productos", headers=casi).status_code == 401


def test_tokens_listados_revocados_y_vencidos(cliente: TestClient) -> None:
    manana = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    caja = exigir(cliente.post(API + "/tokens", json={"nombre": "Caja 1", "rol": "cajero"}), 201)
    temporal = exigir(
        cliente.post(
            API + "/tokens", json={"nombre": "Auditor", "rol": "contador", "expira_en": manana}
        ),
        201,
    )
    assert temporal["expira_en"] is not None
    propio = {"Authorization": f"Bearer {caja['token']}"}
    assert cliente.get(API + "/productos", headers=propio).status_code == 200
    listados = exigir(cliente.get(API + "/tokens"), 200)["items"]
    assert [(t["nombre"], t["vigente"]) for t in listados] == [("Caja 1", True), ("Auditor", True)]
    assert caja["token"] not in str(listados)
    assert listados[0]["ultimo_uso"] is not None
    # A name is unique, ignoring case.
    repetido = cliente.post(API + "/tokens", json={"nombre": "CAJA 1", "rol": "cajero"})
    assert repetido.status_code == 409
    assert reglas(repetido) == {"NombreTokenUnico"}
    # An expiry in the past is refused.
    ayer = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    pasado = cliente.post(API + "/tokens", json={"nombre": "x", "rol": "cajero", "expira_en": ayer})
    assert pasado.status_code == 422
    assert reglas(pasado) == {"ExpiracionFutura"}

    revocado = exigir(cliente.delete(f"{API}/tokens/{caja['id']}"), 200)
    assert (revocado["vigente"], revocado["revocado_en"] is not None) == (False, True)
    despues = cliente.get(API + "/productos", headers=propio)
    assert despues.status_code == 401
    assert reglas(despues) == {"TokenValido"}
    assert cliente.delete(f"{API}/tokens/no-existe").status_code == 404


def test_muchos_tokens_invalidos_desde_una_direccion_se_frenan(
    anonimo: TestClient, token_de: dict[Rol, str]
) -> None:
    malo = {"Authorization": "Bearer adivinando-0123456789"}
    for _ in range(FALLOS_PERMITIDOS):
        assert anonimo.get(API + "/productos", headers=malo).status_code == 401
    frenado = anonimo.get(API + "/productos", headers=malo)
    assert frenado.status_code == 429
    assert reglas(frenado) == {"IntentosDeTokenLimitados"}
    assert 0 < int(frenado.headers["retry-after"]) <= 60
    # Even a good token from there waits: guessing is slowed, not just failing.
    bueno = {"Authorization": f"Bearer {token_de[CAJERO]}"}
    assert anonimo.get(API + "/productos", headers=bueno).status_code == 429


def test_el_token_admin_corto_no_arranca(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROMETEO_ADMIN_TOKEN", "corto-de-31-caracteres-01234567")
    resultado = CliRunner().invoke(cli, ["db", "upgrade"])
    assert resultado.exit_code == 2
    assert "al menos 32 caracteres" in resultado.output
    assert "corto-de-31" not in resultado.output  # never the secret


def test_tokens_por_linea_de_comandos_listar_y_revocar(
    aplicacion: Aplicacion, anonimo: TestClient, url_api: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROMETEO_DATABASE_URL", url_api)
    creado = CliRunner().invoke(
        cli, ["token", "--rol", "cajero", "--nombre", "Caja 9", "--dias", "2"]
    )
    assert creado.exit_code == 0, creado.output
    token = creado.stdout.strip().splitlines()[-1]
    cabeceras = {"Authorization": f"Bearer {token}"}
    assert anonimo.get(API + "/productos", headers=cabeceras).status_code == 200
    listado = CliRunner().invoke(cli, ["token", "listar"], env={"COLUMNS": "200"})
    assert "Caja 9" in listado.output
    assert token not in listado.output
    revocado = CliRunner().invoke(cli, ["token", "revocar", "caja 9"])
    assert revocado.exit_code == 0, revocado.output
    assert anonimo.get(API + "/productos", headers=cabeceras).status_code == 401
    assert CliRunner().invoke(cli, ["token", "revocar", "nadie"]).exit_code == 1


def test_solo_admin_vende_bajo_el_precio_de_lista(
    tienda: TiendaHttp, token_de: dict[Rol, str]
) -> None:
    tienda.ingresar("cafe", "10", "4.00")
    rebajada = tienda.cuerpo_factura(("cafe", "1"))
    rebajada["lineas"][0]["precio_unitario"] = "7.00"  # list price 8.00
    cajero = {"Authorization": f"Bearer {token_de[CAJERO]}"}
    negada = tienda.http.post(API + "/facturas", json=rebajada, headers=cajero)
    assert negada.status_code == 422
    assert reglas(negada) == {"PrecioDeListaAutorizado"}
    assert exigir(tienda.http.post(API + "/facturas", json=rebajada), 201)["numero"]
