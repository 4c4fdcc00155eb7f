"""The owner's screen on the real `prometeo serve`, in Debian's chromium: a contador with
a few facturas of the day signs in, opens Dueño, sees the month's sales per tarifa as the
report states them and the documents the SRI has not authorized; changing the month swaps
the panel (htmx) and keeps the address. axe-core finds nothing serious; captured as
capturas/duenio.png."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from navegador import capturar, chromium, violaciones_graves
from playwright.sync_api import Page, expect
from servidor_real import Servidor, crear_usuario, servidor

from apoyo_http import TiendaHttp
from prometeo.entrypoints.web.formato import dinero

CLAVE = "clave-del-contador-1"


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Servidor, TiendaHttp]]:
    carpeta = tmp_path_factory.mktemp("duenio")
    url = f"sqlite:///{carpeta / 'duenio.db'}"
    crear_usuario(url, "contador", "contador", CLAVE)
    with servidor(url, carpeta, PROMETEO_SRI_ENVIO="apagado") as activo, activo.cliente() as http:
        tienda = TiendaHttp(http).sembrar()
        tienda.ingresar("cafe", "20", "3.00")
        tienda.ingresar("pan", "40", "0.50")
        factura = tienda.facturar(("cafe", "2"), ("pan", "4"))
        tienda.facturar(("cafe", "1"))
        tienda.facturar(("pan", "6"))
        tienda.devolver(factura)
        yield activo, tienda


def test_el_duenio_ve_su_dia(web: tuple[Servidor, TiendaHttp]) -> None:
    servidor_activo, tienda = web
    tarifas = tienda.get("/reportes/ventas-por-tarifa")["items"]
    tipos = {"01": "Factura", "04": "Nota de crédito"}
    pendientes = [f"{tipos[c['tipo']]} {c['numero']}" for c in tienda.get("/comprobantes")["items"]]
    with chromium() as navegador:
        contexto = navegador.new_context(base_url=servidor_activo.base, locale="es-EC")
        pagina: Page = contexto.new_page()
        errores: list[str] = []
        pagina.on("console", lambda m: errores.append(m.text) if m.type == "error" else None)
        pagina.goto("/ingresar?siguiente=/dueno")
        pagina.get_by_label("Usuario").fill("contador")
        pagina.get_by_label("Contraseña").fill(CLAVE)
        pagina.get_by_role("button", name="Ingresar").click()
        expect(pagina).to_have_url(f"{servidor_activo.base}/dueno")
        expect(pagina.get_by_role("heading", level=1)).to_have_text("Dueño")
        for titulo in ("Ventas de hoy", "Ventas de noviembre de 2026 por tarifa de IVA"):
            expect(pagina.get_by_role("img", name=titulo).first).to_be_visible()
        tabla = pagina.get_by_role("table", name="Ventas de noviembre de 2026 por tarifa de IVA")
        total = sum(Decimal(t["total"]) for t in tarifas)
        expect(tabla.get_by_role("row").last).to_contain_text(dinero(total))
        sin_autorizar = pagina.get_by_role("table", name="Comprobantes que el SRI no ha")
        for numero in pendientes:
            expect(sin_autorizar.get_by_role("rowheader", name=numero, exact=True)).to_be_visible()
        capturar(pagina, "duenio")
        graves = violaciones_graves(pagina)
        assert not graves, [(v["id"], v["help"], len(v["nodes"])) for v in graves]
        # Another month, with htmx: the panel changes, the address follows.
        pagina.get_by_label("Mes").fill("2026-10")
        pagina.get_by_role("button", name="Ver mes").click()
        expect(pagina).to_have_url(f"{servidor_activo.base}/dueno?mes=2026-10")
        expect(pagina.get_by_role("heading", name="IVA de octubre de 2026")).to_be_visible()
        assert errores == []
        contexto.close()
