"""Settings and a document's history on the real `prometeo serve`, in Debian's chromium:
the admin creates a sucursal (after a code the domain refuses), a punto de emisión in it,
a bodega and a user through the screens, deactivates the bodega and the user, then opens
a factura's history from the owner's screen, from its list and by its number. axe-core
finds nothing serious on any of them; captured as capturas/ajustes*.png and
capturas/documento-historia.png."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from navegador import capturar, chromium, violaciones_graves
from playwright.sync_api import Page, expect
from servidor_real import Servidor, crear_usuario, servidor

from apoyo_http import TiendaHttp

CLAVE = "clave-del-admin-1"


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Servidor, TiendaHttp]]:
    carpeta = tmp_path_factory.mktemp("ajustes")
    url = f"sqlite:///{carpeta / 'ajustes.db'}"
    crear_usuario(url, "admin", "admin", CLAVE)
    with servidor(url, carpeta, PROMETEO_SRI_ENVIO="apagado") as activo, activo.cliente() as http:
        tienda = TiendaHttp(http).sembrar()
        tienda.ingresar("cafe", "20", "3.00")
        tienda.ingresar("pan", "20", "0.50")
        tienda.facturar(("cafe", "2"), ("pan", "1"))
        yield activo, tienda


def _sin_violaciones(pagina: Page) -> None:
    graves = violaciones_graves(pagina)
    assert not graves, [(v["id"], v["help"], len(v["nodes"])) for v in graves]


def test_el_admin_configura_y_revisa_un_documento(web: tuple[Servidor, TiendaHttp]) -> None:
    servidor_activo, tienda = web
    (factura,) = tienda.get("/facturas")["items"]
    with chromium() as navegador:
        contexto = navegador.new_context(base_url=servidor_activo.base, locale="es-EC")
        pagina: Page = contexto.new_page()
        # A refused form (422) and an unknown number (404) are pages the test asks for;
        # any other error (a script, the CSP, a missing file) is not.
        errores: list[str] = []
        pagina.on(
            "console",
            lambda m: (
                errores.append(m.text)
                if m.type == "error" and not m.text.startswith("Failed to load resource")
                else None
            ),
        )
        pagina.on(
            "response",
            lambda r: (
                errores.append(f"{r.status} {r.url}")
                if r.status >= 400 and r.request.resource_type != "document"
                else None
            ),
        )
        pagina.goto("/ingresar?siguiente=/ajustes")
        pagina.get_by_label("Usuario").fill("admin")
        pagina.get_by_label("Contraseña").fill(CLAVE)
        pagina.get_by_role("button", name="Ingresar").click()
        expect(pagina).to_have_url(f"{servidor_activo.base}/ajustes")
        expect(pagina.get_by_role("heading", level=1)).to_have_text("Ajustes")
        expect(pagina.get_by_label("Razón social")).to_have_value("Comercial Andina S.A.")
        _sin_violaciones(pagina)
        capturar(pagina, "ajustes")

        # A sucursal: first a code the domain refuses, then a good one.
        sucursal = pagina.locator("form[action='/ajustes/sucursales']")
        sucursal.get_by_label("Código de establecimiento").fill("12")
        sucursal.get_by_label("Nombre", exact=True).fill("Norte")
        sucursal.get_by_label("Dirección").fill("Av. 6 de Diciembre, Quito")
        sucursal.get_by_role("button", name="Crear sucursal").click()
        alerta = pagina.locator("#errores-sucursal")
        expect(alerta).to_contain_text("debe tener 3 dígitos, de 001 a 999")
        expect(alerta).to_have_attribute("role", "alert")
        _sin_violaciones(pagina)
        capturar(pagina, "ajustes-error")
        sucursal = pagina.locator("form[action='/ajustes/sucursales']")
        expect(sucursal.get_by_label("Nombre", exact=True)).to_have_value("Norte")
        # The refused form's first field has the focus, its messages describe it.
        codigo = sucursal.get_by_label("Código de establecimiento")
        expect(codigo).to_be_focused()
        expect(codigo).to_have_accessible_description(re.compile("debe tener 3 dígitos"))
        sucursal.get_by_label("Código de establecimiento").fill("002")
        sucursal.get_by_role("button", name="Crear sucursal").click()
        expect(pagina.get_by_role("status")).to_have_text("Sucursal creada.")
        sucursales = pagina.get_by_role("table", name="Sucursales (establecimientos)")
        expect(sucursales.get_by_role("row", name="002 Norte")).to_be_visible()

        # A punto de emisión in it.
        punto = pagina.get_by_role("form", name="Nuevo punto de emisión en la sucursal 002")
        punto.get_by_label("Código del nuevo punto").fill("003")
        punto.get_by_label("Primera factura").fill("1500")
        punto.get_by_role("button", name="Crear punto en 002").click()
        expect(pagina.get_by_role("status")).to_have_text("Punto de emisión creado.")
        puntos = pagina.get_by_role("table", name="Puntos de emisión de la sucursal 002")
        expect(puntos.get_by_role("row", name="003 002-003")).to_contain_text("1500")

        # A bodega of it, then deactivated.
        bodega = pagina.locator("form[action='/ajustes/bodegas']")
        bodega.get_by_label("Sucursal").select_option(label="002 · Norte")
        bodega.get_by_label("Código", exact=True).fill("B3")
        bodega.get_by_label("Nombre", exact=True).fill("Bodega norte")
        bodega.get_by_role("button", name="Crear bodega").click()
        expect(pagina.get_by_role("status")).to_have_text("Bodega creada.")
        bodegas = pagina.get_by_role("table", name="Bodegas")
        fila = bodegas.get_by_role("row", name="B3 Bodega norte")
        expect(fila).to_contain_text("002 · Norte")
        pagina.get_by_role("button", name="Desactivar la bodega B3").click()
        expect(pagina.get_by_role("status")).to_contain_text("Bodega desactivada")
        expect(bodegas.get_by_role("row", name="B3 Bodega norte")).to_contain_text("Inactivo")
        expect(pagina.get_by_role("button", name="Activar la bodega B3")).to_be_visible()
        _sin_violaciones(pagina)
        capturar(pagina, "ajustes-creados")

        # A user, created with the password typed twice, then deactivated.
        pagina.get_by_role("link", name="Usuarios").last.click()
        expect(pagina).to_have_url(f"{servidor_activo.base}/ajustes/usuarios")
        pagina.get_by_label("Nombre de usuario").fill("eva")
        pagina.get_by_label("Rol").select_option(label="Bodeguero")
        pagina.get_by_label("Contraseña", exact=True).fill("secreto-de-eva-1")
        pagina.get_by_label("Repita la contraseña").fill("secreto-de-eva-1")
        pagina.get_by_role("button", name="Crear usuario").click()
        expect(pagina.get_by_role("status")).to_contain_text("Usuario creado.")
        usuarios = pagina.get_by_role("table", name="Usuarios")
        expect(usuarios.get_by_role("row", name="eva")).to_contain_text("Bodeguero")
        expect(pagina.get_by_role("button", name="Desactivar a admin")).to_have_count(0)
        _sin_violaciones(pagina)
        capturar(pagina, "ajustes-usuarios")
        pagina.get_by_role("button", name="Desactivar a eva").click()
        expect(usuarios.get_by_role("row", name="eva")).to_contain_text("Inactivo")
        assert "secreto-de-eva" not in pagina.content()
        # A deactivated user is offered to be reactivated.
        expect(pagina.get_by_role("button", name="Reactivar a eva")).to_be_visible()
        _sin_violaciones(pagina)
        capturar(pagina, "ajustes-usuario-inactivo")

        # A factura's history, from the owner's list and by its number.
        pagina.get_by_role("link", name="Dueño").click()
        pagina.get_by_role("link", name=f"Historia de Factura {factura['numero']}").click()
        titulo = f"Historia de Factura {factura['numero']}"
        expect(pagina.get_by_role("heading", level=1)).to_have_text(titulo)
        historia = pagina.get_by_role("table", name="Lo que pasó con")
        expect(historia.get_by_role("rowheader", name="Factura creada")).to_be_visible()
        expect(historia.get_by_role("rowheader", name="Factura emitida")).to_be_visible()
        expect(historia).to_contain_text("total $19,90")
        expect(pagina.get_by_role("link", name="Ver el RIDE")).to_be_visible()
        _sin_violaciones(pagina)
        capturar(pagina, "documento-historia")
        pagina.get_by_role("link", name="Abrir otro documento").click()
        pagina.get_by_label("Número").fill("1-1-999")
        pagina.get_by_role("button", name="Ver historia").click()
        expect(pagina.get_by_role("alert")).to_contain_text(
            "No hay una factura emitida con el número 001-001-000000999"
        )
        _sin_violaciones(pagina)
        capturar(pagina, "documento-no-encontrado")
        pagina.get_by_label("Número").fill("1-1-1")
        pagina.get_by_role("button", name="Ver historia").click()
        expect(pagina.get_by_role("heading", level=1)).to_have_text(titulo)
        assert errores == []
        contexto.close()
