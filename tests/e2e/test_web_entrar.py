"""Signing in on the real `prometeo serve`, in Debian's chromium: each role lands on its
home, a wrong password is said and signs nobody in, repeated failures pause the name, a
cajero cannot open the settings, a POST without the session's CSRF token is refused,
signing out ends the session for good, and the cookie is HttpOnly and SameSite=Strict.
axe-core finds nothing serious on any page; every page is captured (capturas/)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from navegador import capturar, chromium, violaciones_graves
from playwright.sync_api import Browser, BrowserContext, Page, expect
from servidor_real import Servidor, crear_usuario, servidor

from prometeo.entrypoints.web.bloqueo import FALLOS_POR_USUARIO

CLAVES = {
    "cajero": "clave-del-cajero-1",
    "bodeguero": "clave-del-bodeguero-1",
    "contador": "clave-del-contador-1",
    "admin": "clave-del-admin-1",
    "olvidadizo": "clave-del-olvidadizo-1",
}
ROLES = {"olvidadizo": "cajero"}
TITULOS_INICIO = {
    "cajero": ["Caja", "Devoluciones"],
    "bodeguero": ["Bodega"],
    "contador": ["Dueño"],
    "admin": ["Caja", "Devoluciones", "Bodega", "Dueño", "Ajustes"],
}


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servidor]:
    carpeta = tmp_path_factory.mktemp("web")
    url = f"sqlite:///{carpeta / 'web.db'}"
    for nombre, clave in CLAVES.items():
        crear_usuario(url, nombre, ROLES.get(nombre, nombre), clave)
    with servidor(url, carpeta, PROMETEO_SRI_ENVIO="apagado") as activo:
        yield activo


@pytest.fixture(scope="module")
def navegador() -> Iterator[Browser]:
    with chromium() as abierto:
        yield abierto


@pytest.fixture
def contexto(navegador: Browser, web: Servidor) -> Iterator[BrowserContext]:
    nuevo = navegador.new_context(base_url=web.base, locale="es-EC")
    try:
        yield nuevo
    finally:
        nuevo.close()


@pytest.fixture
def pagina(contexto: BrowserContext) -> Page:
    return contexto.new_page()


def ingresar(pagina: Page, usuario: str, clave: str) -> None:
    pagina.goto("/ingresar")
    pagina.get_by_label("Usuario").fill(usuario)
    pagina.get_by_label("Contraseña").fill(clave)
    pagina.get_by_role("button", name="Ingresar").click()


def sin_violaciones(pagina: Page) -> None:
    graves = violaciones_graves(pagina)
    assert not graves, [(v["id"], v["help"], len(v["nodes"])) for v in graves]


def test_la_pagina_de_ingreso(pagina: Page, web: Servidor) -> None:
    # Console errors: a file not found, or anything the Content-Security-Policy blocked.
    errores: list[str] = []
    pagina.on("console", lambda m: errores.append(m.text) if m.type == "error" else None)
    pagina.goto("/")
    expect(pagina).to_have_url(f"{web.base}/ingresar")
    expect(pagina.locator("html")).to_have_attribute("lang", "es-EC")
    expect(pagina.get_by_label("Usuario")).to_be_focused()
    expect(pagina.get_by_label("Contraseña")).to_have_attribute("type", "password")
    # htmx, served from this server, loaded and running (nothing from a CDN).
    assert pagina.evaluate("window.htmx && htmx.version") == "2.0.11"
    assert errores == []
    capturar(pagina, "ingresar")
    sin_violaciones(pagina)


@pytest.mark.parametrize("usuario", ["cajero", "bodeguero", "contador", "admin"])
def test_cada_rol_llega_a_su_inicio(pagina: Page, web: Servidor, usuario: str) -> None:
    ingresar(pagina, usuario, CLAVES[usuario])
    expect(pagina).to_have_url(f"{web.base}/inicio")
    expect(pagina.get_by_role("heading", level=1)).to_have_text(f"Hola, {usuario}")
    areas = pagina.get_by_role("list").filter(has=pagina.get_by_role("heading", level=2))
    expect(areas.get_by_role("heading", level=2)).to_have_text(TITULOS_INICIO[usuario])
    navegacion = pagina.get_by_role("navigation", name="Principal")
    expect(navegacion.get_by_role("link")).to_have_text(["Inicio", *TITULOS_INICIO[usuario]])
    capturar(pagina, f"inicio-{usuario}")
    # The focus is visible: an outline where the keyboard lands.
    pagina.keyboard.press("Tab")
    contorno = pagina.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert contorno not in ("none", "")
    sin_violaciones(pagina)


def test_clave_incorrecta(pagina: Page, contexto: BrowserContext, web: Servidor) -> None:
    ingresar(pagina, "cajero", "no-es-la-clave")
    alerta = pagina.get_by_role("alert")
    expect(alerta).to_have_text("Usuario o contraseña incorrectos.")
    expect(pagina).to_have_url(f"{web.base}/ingresar")
    expect(pagina.get_by_label("Usuario")).to_have_value("cajero")
    assert not [c for c in contexto.cookies() if c["name"] == "prometeo_sesion"]
    capturar(pagina, "ingresar-error")
    sin_violaciones(pagina)
    pagina.goto("/caja")
    expect(pagina).to_have_url(f"{web.base}/ingresar?siguiente=%2Fcaja")
    expect(pagina.get_by_role("button", name="Ingresar")).to_be_visible()


def test_pausa_tras_fallos_repetidos(pagina: Page) -> None:
    for _ in range(FALLOS_POR_USUARIO - 1):
        ingresar(pagina, "olvidadizo", "equivocada-1")
        expect(pagina.get_by_role("alert")).to_have_text("Usuario o contraseña incorrectos.")
    ingresar(pagina, "olvidadizo", "equivocada-1")
    expect(pagina.get_by_role("alert")).to_contain_text("espere 15 minutos")
    # Now even the right password waits.
    ingresar(pagina, "olvidadizo", CLAVES["olvidadizo"])
    expect(pagina.get_by_role("alert")).to_contain_text("Demasiados intentos fallidos")
    capturar(pagina, "ingresar-pausa")
    sin_violaciones(pagina)


def test_un_cajero_no_abre_ajustes(pagina: Page) -> None:
    ingresar(pagina, "cajero", CLAVES["cajero"])
    respuesta = pagina.goto("/ajustes")
    assert respuesta is not None
    assert respuesta.status == 403
    expect(pagina.get_by_role("alert")).to_contain_text("Su rol no puede abrir Ajustes")
    capturar(pagina, "ajustes-prohibido-cajero")
    sin_violaciones(pagina)
    # A shop with no punto de emisión and bodega yet: the till says what is missing.
    assert pagina.goto("/caja").status == 200  # type: ignore[union-attr]
    expect(pagina.get_by_role("alert")).to_contain_text("No hay un punto de emisión")
    capturar(pagina, "caja-sin-puesto")
    sin_violaciones(pagina)
    assert pagina.goto("/no-existe").status == 404  # type: ignore[union-attr]
    expect(pagina.get_by_role("heading", level=1)).to_have_text("No existe esta página")
    capturar(pagina, "no-existe")
    sin_violaciones(pagina)


def test_post_sin_csrf_se_rechaza(pagina: Page, contexto: BrowserContext) -> None:
    ingresar(pagina, "contador", CLAVES["contador"])
    sin_marca = contexto.request.post("/salir", form={})
    assert sin_marca.status == 403
    otra = contexto.request.post("/salir", form={"csrf": "inventada"})
    assert otra.status == 403
    assert "marca de seguridad" in otra.text()
    # The session is still open: nothing was done.
    assert pagina.goto("/inicio").status == 200  # type: ignore[union-attr]
    pagina.set_content(otra.text())
    capturar(pagina, "csrf-rechazado")


def test_salir_termina_la_sesion(pagina: Page, contexto: BrowserContext, web: Servidor) -> None:
    ingresar(pagina, "bodeguero", CLAVES["bodeguero"])
    cookie = next(c for c in contexto.cookies() if c["name"] == "prometeo_sesion")
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Strict"
    assert cookie["secure"] is False  # plain http on 127.0.0.1
    assert pagina.evaluate("document.cookie") == ""  # no script reads it
    pagina.get_by_role("button", name="Salir").click()
    expect(pagina).to_have_url(f"{web.base}/ingresar")
    # The old cookie, put back, opens nothing: the session ended on the server.
    contexto.add_cookies([{**cookie}])  # type: ignore[list-item]
    pagina.goto("/bodega")
    expect(pagina).to_have_url(f"{web.base}/ingresar?siguiente=%2Fbodega")
    # Signing in again leads to the screen that was asked for.
    pagina.get_by_label("Usuario").fill("bodeguero")
    pagina.get_by_label("Contraseña").fill(CLAVES["bodeguero"])
    pagina.get_by_role("button", name="Ingresar").click()
    expect(pagina).to_have_url(f"{web.base}/bodega")
    expect(pagina.get_by_role("heading", level=1)).to_have_text("Bodega")


def test_la_api_sigue_igual(contexto: BrowserContext, web: Servidor) -> None:
    assert contexto.request.get("/health").status == 200
    assert contexto.request.get("/api/v1/productos").status == 401
    with web.cliente() as cliente:
        assert cliente.get("/api/v1/productos").status_code == 200
