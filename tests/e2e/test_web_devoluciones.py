"""Returns on the real `prometeo serve`, in Debian's chromium: a cajero finds a factura by
its number and by its customer, is refused crediting more than was sold, returns part of
a line, reads the nota's number in the status region, opens its RIDE, sees what remains
of the line, and the API shows the units back in stock. axe-core finds nothing serious on
any screen; captured as capturas/devoluciones-buscar.png, devoluciones-factura.png and
devoluciones-nota.png."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from navegador import capturar, chromium, violaciones_graves
from playwright.sync_api import Page, expect
from servidor_real import Servidor, crear_usuario, servidor

from apoyo_http import TiendaHttp

CLAVE = "clave-del-cajero-1"


@pytest.fixture(scope="module")
def web(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Servidor, TiendaHttp, list[dict[str, Any]]]]:
    carpeta = tmp_path_factory.mktemp("devoluciones")
    url = f"sqlite:///{carpeta / 'devoluciones.db'}"
    crear_usuario(url, "cajero", "cajero", CLAVE)
    with servidor(url, carpeta, PROMETEO_SRI_ENVIO="apagado") as activo, activo.cliente() as http:
        tienda = TiendaHttp(http).sembrar()
        tienda.ingresar("cafe", "20", "3.00")
        tienda.ingresar("pan", "40", "0.50")
        facturas = [tienda.facturar(("cafe", "3"), ("pan", "4")), tienda.facturar(("pan", "2"))]
        yield activo, tienda, facturas


def _sin_violaciones(pagina: Page) -> None:
    graves = violaciones_graves(pagina)
    assert not graves, [(v["id"], v["help"], len(v["nodes"])) for v in graves]


def test_el_cajero_devuelve_parte_de_una_factura(
    web: tuple[Servidor, TiendaHttp, list[dict[str, Any]]],
) -> None:
    servidor_activo, tienda, (factura, otra) = web
    stock = Decimal(tienda.stock("cafe")["cantidad"])
    with chromium() as navegador:
        contexto = navegador.new_context(base_url=servidor_activo.base, locale="es-EC")
        pagina: Page = contexto.new_page()
        errores: list[str] = []
        pagina.on("console", lambda m: errores.append(m.text) if m.type == "error" else None)
        pagina.goto("/ingresar?siguiente=/devoluciones")
        pagina.get_by_label("Usuario").fill("cajero")
        pagina.get_by_label("Contraseña").fill(CLAVE)
        pagina.get_by_role("button", name="Ingresar").click()
        expect(pagina).to_have_url(f"{servidor_activo.base}/devoluciones")
        expect(pagina.get_by_role("heading", level=1)).to_have_text("Devoluciones")
        _sin_violaciones(pagina)

        # By number: the focus starts there, Enter searches.
        expect(pagina.get_by_label("Número de factura")).to_be_focused()
        pagina.keyboard.type(factura["numero"])
        pagina.keyboard.press("Enter")
        resultados = pagina.get_by_role("table", name="Facturas encontradas")
        expect(resultados.get_by_role("rowheader")).to_have_text([factura["numero"]])
        # By customer: both of hers, the most recent first.
        pagina.get_by_label("Número de factura").fill("")
        pagina.get_by_label("Cliente").fill("maría")
        pagina.get_by_label("Cliente").press("Enter")
        expect(resultados.get_by_role("rowheader")).to_have_text(
            [otra["numero"], factura["numero"]]
        )
        expect(pagina.get_by_role("status")).to_have_text("2 facturas.")
        _sin_violaciones(pagina)
        capturar(pagina, "devoluciones-buscar")

        resultados.get_by_role("link", name=factura["numero"]).click()
        expect(pagina.get_by_role("heading", level=1)).to_have_text(f"Factura {factura['numero']}")
        cafe = pagina.get_by_role("row", name="CAF Producto CAF")
        expect(cafe.get_by_role("cell").nth(2)).to_have_text("3")  # quedan
        unidades = pagina.get_by_label("Unidades a devolver de CAF")
        expect(unidades).to_be_focused()
        expect(unidades).to_have_attribute("inputmode", "decimal")
        expect(unidades).to_have_value("0")
        # More than was sold: refused beside the form with the domain's words, nothing made.
        unidades.fill("5")
        unidades.press("Tab")
        expect(pagina.locator("#prevista")).to_contain_text("Así no se podría emitir")
        pagina.get_by_label("Motivo").fill("Producto defectuoso")
        pagina.get_by_role("button", name="Emitir nota de crédito").click()
        expect(pagina.get_by_role("alert")).to_contain_text("más de lo que queda por acreditar")
        assert tienda.get("/notas-credito", factura_id=factura["id"])["items"] == []
        _sin_violaciones(pagina)

        # Afresh: one unit back; leaving the field shows what the nota would credit.
        pagina.goto(f"/devoluciones/factura/{factura['id']}")
        unidades = pagina.get_by_label("Unidades a devolver de CAF")
        unidades.fill("1")
        unidades.press("Tab")
        prevista = pagina.get_by_role("table", name="Lo que acreditaría la nota")
        expect(prevista.get_by_role("row").last).to_contain_text("$9,20")
        expect(pagina.get_by_label("Rebaja de valor de CAF")).to_be_focused()
        # Enter in a field only reviews the totals: it never emits.
        unidades.fill("2")
        unidades.press("Enter")
        expect(prevista.get_by_role("row").last).to_contain_text("$18,40")
        assert tienda.get("/notas-credito", factura_id=factura["id"])["items"] == []
        unidades.fill("1")
        unidades.press("Tab")
        expect(prevista.get_by_role("row").last).to_contain_text("$9,20")
        pagina.get_by_label("Motivo").fill("Producto defectuoso")
        _sin_violaciones(pagina)
        capturar(pagina, "devoluciones-factura")
        pagina.get_by_role("button", name="Emitir nota de crédito").click()
        estado = pagina.get_by_role("status")
        expect(estado).to_contain_text("emitida sobre la factura")
        (nota,) = tienda.get("/notas-credito", factura_id=factura["id"])["items"]
        expect(estado).to_contain_text(f"Nota de crédito {nota['numero']}")
        expect(estado).to_contain_text(nota["sri"]["estado"])
        assert Decimal(tienda.stock("cafe")["cantidad"]) == stock + 1
        _sin_violaciones(pagina)
        capturar(pagina, "devoluciones-nota")
        ride = pagina.get_by_role("link", name="Abrir el RIDE (PDF)").get_attribute("href")
        assert ride == f"/devoluciones/ride/nota/{nota['id']}"
        pdf = pagina.request.get(ride)
        assert pdf.status == 200
        assert pdf.body().startswith(b"%PDF")

        pagina.get_by_role("link", name="Ver lo que queda por acreditar").click()
        cafe = pagina.get_by_role("row", name="CAF Producto CAF")
        expect(cafe.get_by_role("cell").nth(1)).to_have_text("1")  # acreditadas
        expect(cafe.get_by_role("cell").nth(2)).to_have_text("2")  # quedan
        notas = pagina.get_by_role("table", name="Notas de crédito emitidas")
        expect(notas.get_by_role("rowheader")).to_have_text([nota["numero"]])
        # The refusal's own 422 is the only failed load chromium reports.
        assert [e for e in errores if "status of 422" not in e] == []
        contexto.close()
