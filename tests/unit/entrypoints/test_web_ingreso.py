"""The screens' door in process (TestClient): sign-in, sessions, CSRF, the pause after
failures, role limits, and the API's door unchanged beside them."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from entorno_api import ajustes
from fastapi.testclient import TestClient
from httpx import Response

from prometeo.application.acceso import Rol
from prometeo.bootstrap import Aplicacion, bootstrap
from prometeo.entrypoints.api.app import crear_app
from prometeo.entrypoints.web import formularios
from prometeo.entrypoints.web.bloqueo import FALLOS_POR_USUARIO
from prometeo.entrypoints.web.rutas_ingreso import destino_seguro
from prometeo.infrastructure.db.usuarios import AlmacenUsuarios

CLAVE = "clave-de-prueba-1"
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture
def web(aplicacion: Aplicacion) -> Iterator[TestClient]:
    almacen = AlmacenUsuarios(aplicacion.engine)
    for rol in Rol:
        almacen.crear(rol.value, rol, CLAVE)
    with TestClient(crear_app(aplicacion), follow_redirects=False) as cliente:
        yield cliente


def csrf_de(respuesta: Response) -> str:
    encontrado = _CSRF.search(respuesta.text)
    assert encontrado is not None, respuesta.text
    return encontrado.group(1)


def ingresar(cliente: TestClient, usuario: str, clave: str = CLAVE) -> Response:
    """Sign in afresh (any earlier session's cookie forgotten)."""
    cliente.cookies.clear()
    token = csrf_de(cliente.get("/ingresar"))
    datos = {"csrf": token, "usuario": usuario, "clave": clave, "siguiente": "/inicio"}
    return cliente.post("/ingresar", data=datos)


def test_sin_sesion_todo_va_a_ingresar(web: TestClient) -> None:
    assert web.get("/").headers["location"] == "/ingresar"
    assert web.get("/caja").headers["location"] == "/ingresar?siguiente=%2Fcaja"
    pagina = web.get("/ingresar")
    assert pagina.status_code == 200
    assert 'lang="es-EC"' in pagina.text
    for texto in ('<label for="usuario">Usuario</label>', ">Contraseña</label>", ">Ingresar<"):
        assert texto in pagina.text
    assert "default-src 'self'" in pagina.headers["content-security-policy"]


def test_ingreso_correcto_abre_una_sesion_con_cookie_estricta(web: TestClient) -> None:
    respuesta = ingresar(web, "cajero")
    assert respuesta.status_code == 303
    assert respuesta.headers["location"] == "/inicio"
    cookie = next(
        c for c in respuesta.headers.get_list("set-cookie") if c.startswith("prometeo_sesion=")
    )
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    assert "Max-Age=" in cookie
    assert "Secure" not in cookie  # plain http, PROMETEO_COOKIE_SEGURA unset
    inicio = web.get("/inicio")
    assert inicio.status_code == 200
    assert "Hola, cajero" in inicio.text
    assert 'href="/caja"' in inicio.text
    assert 'href="/ajustes"' not in inicio.text
    assert web.get("/").headers["location"] == "/inicio"


def test_cookie_segura_por_https_o_cuando_se_configura(
    aplicacion: Aplicacion, url_api: str
) -> None:
    AlmacenUsuarios(aplicacion.engine).crear("ana", Rol.CAJERO, CLAVE)
    with TestClient(
        crear_app(aplicacion), base_url="https://testserver", follow_redirects=False
    ) as cliente:
        respuesta = ingresar(cliente, "ana")
    assert respuesta.status_code == 303
    assert "Secure" in respuesta.headers["set-cookie"]
    forzada = bootstrap(ajustes(url_api, cookie_segura=True))
    try:
        with TestClient(crear_app(forzada)) as cliente:
            assert "Secure" in cliente.get("/ingresar").headers["set-cookie"]
    finally:
        forzada.cerrar()


def test_clave_incorrecta_no_abre_sesion_y_lo_dice(web: TestClient) -> None:
    respuesta = ingresar(web, "cajero", "otra-clave-99")
    assert respuesta.status_code == 401
    assert 'role="alert"' in respuesta.text
    assert "Usuario o contraseña incorrectos." in respuesta.text
    assert "otra-clave-99" not in respuesta.text
    assert "prometeo_sesion" not in web.cookies
    assert web.get("/inicio").status_code == 303


def test_ingreso_sin_la_marca_csrf_se_rechaza(web: TestClient) -> None:
    web.get("/ingresar")
    datos = {"usuario": "cajero", "clave": CLAVE}
    respuesta = web.post("/ingresar", data=datos)
    assert respuesta.status_code == 403
    assert 'role="alert"' in respuesta.text
    assert web.post("/ingresar", data={**datos, "csrf": "inventada"}).status_code == 403


def test_pausa_tras_fallos_repetidos(web: TestClient) -> None:
    for _ in range(FALLOS_POR_USUARIO - 1):
        assert ingresar(web, "bodeguero", "equivocada1").status_code == 401
    ultima = ingresar(web, "bodeguero", "equivocada1")
    assert ultima.status_code == 429
    assert "espere 15 minutos" in ultima.text
    assert int(ultima.headers["retry-after"]) > 800
    # Paused even with the right password; another user is not.
    assert ingresar(web, "bodeguero").status_code == 429
    assert ingresar(web, "contador").status_code == 303


def test_limites_de_rol(web: TestClient) -> None:
    ingresar(web, "cajero")
    assert web.get("/caja").status_code == 200
    negado = web.get("/ajustes")
    assert negado.status_code == 403
    assert 'role="alert"' in negado.text
    assert web.get("/bodega").status_code == 403
    ingresar(web, "admin")
    for ruta in ("/caja", "/bodega", "/dueno", "/ajustes"):
        assert web.get(ruta).status_code == 200, ruta


def test_salir_exige_csrf_y_termina_la_sesion(web: TestClient) -> None:
    ingresar(web, "contador")
    marca = csrf_de(web.get("/inicio"))
    vieja = web.cookies["prometeo_sesion"]
    assert web.post("/salir").status_code == 403
    assert web.post("/salir", data={"csrf": "otra"}).status_code == 403
    assert web.post("/salir", headers={"X-CSRF-Token": "otra"}).status_code == 403
    salida = web.post("/salir", data={"csrf": marca})
    assert salida.status_code == 303
    assert salida.headers["location"] == "/ingresar"
    web.cookies.set("prometeo_sesion", vieja)
    assert web.get("/inicio").status_code == 303


def test_la_puerta_de_la_api_no_cambia(web: TestClient) -> None:
    assert web.get("/health").status_code == 200
    assert web.get("/api/v1/productos").status_code == 401
    ingresar(web, "admin")
    assert web.get("/api/v1/productos").status_code == 401  # a session is not a token


def test_htmx_se_sirve_local_e_intacto(web: TestClient) -> None:
    carpeta = Path(formularios.__file__).parent / "estaticos" / "vendor" / "htmx-2.0.11"
    suma = hashlib.sha256((carpeta / "htmx.min.js").read_bytes()).hexdigest()
    assert suma in (carpeta / "VERSION").read_text()
    servido = web.get("/estaticos/vendor/htmx-2.0.11/htmx.min.js")
    assert servido.status_code == 200
    assert hashlib.sha256(servido.content).hexdigest() == suma


def test_clave_de_idempotencia_de_un_formulario() -> None:
    clave = formularios.nueva_clave_idempotencia()
    assert clave != formularios.nueva_clave_idempotencia()

    class Pedido:
        headers: dict[str, str] = {}  # noqa: RUF012

    assert formularios.clave_idempotencia(Pedido(), {"idempotencia": clave}) == clave  # type: ignore[arg-type]
    assert formularios.clave_idempotencia(Pedido(), {}) is None  # type: ignore[arg-type]
    assert formularios.clave_idempotencia(Pedido(), {"idempotencia": "ñ"}) is None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("siguiente", "destino"),
    [
        ("/caja?x=1", "/caja?x=1"),
        ("//otro.example/robo", "/inicio"),
        ("/\\otro.example", "/inicio"),
        ("https://otro.example/", "/inicio"),
        ("", "/inicio"),
        (None, "/inicio"),
    ],
)
def test_tras_ingresar_solo_se_va_a_este_sitio(siguiente: str | None, destino: str) -> None:
    assert destino_seguro(siguiente) == destino


def test_ingresar_lleva_a_la_pantalla_pedida(web: TestClient) -> None:
    assert web.get("/bodega").headers["location"] == "/ingresar?siguiente=%2Fbodega"
    pagina = web.get("/ingresar", params={"siguiente": "/bodega", "otro": "se ignora"})
    assert pagina.status_code == 200
    assert 'name="siguiente" value="/bodega"' in pagina.text
    datos = {
        "csrf": csrf_de(pagina),
        "usuario": "bodeguero",
        "clave": CLAVE,
        "siguiente": "/bodega",
    }
    assert web.post("/ingresar", data=datos).headers["location"] == "/bodega"


def test_una_pagina_que_no_existe_es_una_pagina(web: TestClient) -> None:
    navegador = {"Accept": "text/html,application/xhtml+xml"}
    respuesta = web.get("/no-existe", headers=navegador)
    assert respuesta.status_code == 404
    assert 'role="alert"' in respuesta.text
    assert "No existe esta página" in respuesta.text
    # Programs, and everything under /api, keep the API's problem+json.
    assert web.get("/no-existe").headers["content-type"] == "application/problem+json"
    api = web.get("/api/v1/no-existe", headers={**navegador, "Authorization": "Bearer x"})
    assert api.headers["content-type"] == "application/problem+json"
