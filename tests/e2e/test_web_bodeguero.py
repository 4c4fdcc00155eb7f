"""The warehouse screens on the real `prometeo serve`, in Debian's chromium: a bodeguero
receives coffee (typing its code, a quantity, a cost with a decimal comma and an expiry
date, Enter to send), moves part of it to the other bodega after seeing the lots that
move, then reads the kardex and the stock, which the API confirms. A refused ingreso
says why beside the field. axe-core finds nothing serious on any screen; captured as
capturas/bodega-*.png."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from navegador import capturar, chromium, violaciones_graves
from playwright.sync_api import Page, expect
from servidor_real import Servidor, crear_usuario, servidor

from apoyo_http import API, TiendaHttp, exigir
from prometeo.entrypoints.web.formato import dinero

CLAVE = "clave-del-bodeguero-1"


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Servidor, TiendaHttp]]:
    carpeta = tmp_path_factory.mktemp("bodega")
    url = f"sqlite:///{carpeta / 'bodega.db'}"
    crear_usuario(url, "bodeguero", "bodeguero", CLAVE)
    with servidor(url, carpeta, PROMETEO_SRI_ENVIO="apagado") as activo, activo.cliente() as http:
        tienda = TiendaHttp(http).sembrar()
        tienda.ingresar("cafe", "3", "2.00")
        # Bread below its minimum, in a lot that expires in four days.
        exigir(http.patch(f"{API}/productos/{tienda.ids['pan']}", json={"stock_minimo": "5"}), 200)
        tienda.ingresar("pan", "3", "0.40", caducidad="2026-12-03")
        yield activo, tienda


def _sin_violaciones(pagina: Page) -> None:
    graves = violaciones_graves(pagina)
    assert not graves, [(v["id"], v["help"], len(v["nodes"])) for v in graves]


def test_ingreso_transferencia_kardex_y_stock(web: tuple[Servidor, TiendaHttp]) -> None:
    activo, tienda = web
    with chromium() as navegador:
        contexto = navegador.new_context(base_url=activo.base, locale="es-EC")
        pagina: Page = contexto.new_page()
        errores: list[str] = []
        pagina.on("console", lambda m: errores.append(m.text) if m.type == "error" else None)
        pagina.goto("/ingresar?siguiente=/bodega/ingresos")
        pagina.get_by_label("Usuario").fill("bodeguero")
        pagina.get_by_label("Contraseña").fill(CLAVE)
        pagina.get_by_role("button", name="Ingresar").click()
        expect(pagina).to_have_url(f"{activo.base}/bodega/ingresos")

        # Ingreso, from the keyboard: the focus starts in Producto.
        expect(pagina.get_by_label("Producto", exact=True)).to_be_focused()
        pagina.keyboard.type("CAF")
        expect(pagina.get_by_role("radio", name="CAF — Producto CAF")).to_be_checked()
        pagina.get_by_label("Bodega que recibe").select_option(label="B1 — B1")
        pagina.get_by_label("Cantidad").click()
        pagina.keyboard.type("12")
        pagina.keyboard.press("Tab")
        pagina.keyboard.type("2,50")
        pagina.keyboard.press("Tab")
        pagina.keyboard.type("31/02/2027")
        pagina.keyboard.press("Tab")
        pagina.keyboard.type("FAC-001-777")
        pagina.keyboard.press("Enter")
        # A day that does not exist: said beside the field, nothing received.
        caducidad = pagina.get_by_label("Fecha de caducidad (opcional)")
        expect(caducidad).to_have_attribute("aria-invalid", "true")
        expect(pagina.locator("#error-caducidad")).to_have_text(
            "La fecha «31/02/2027» no existe en el calendario"
        )
        assert len(tienda.lotes("cafe")) == 1
        capturar(pagina, "bodega-ingreso-rechazado")
        _sin_violaciones(pagina)
        caducidad.fill("31/12/2027")
        caducidad.press("Enter")
        estado = pagina.get_by_role("status")
        expect(estado).to_contain_text("ingresado: 12 de CAF — Producto CAF en B1 — B1")
        expect(estado).to_contain_text("$2,50")
        lote = next(x for x in tienda.lotes("cafe") if x["fecha_caducidad"] == "2027-12-31")
        expect(estado).to_contain_text(lote["lote_id"])
        assert Decimal(lote["costo_unitario"]) == Decimal("2.50")
        capturar(pagina, "bodega-ingreso")
        _sin_violaciones(pagina)

        # Transferencia: the lots that would move are shown before confirming.
        pagina.get_by_role("navigation", name="Bodega").get_by_role(
            "link", name="Transferencias"
        ).click()
        pagina.get_by_label("Producto", exact=True).fill("caf")
        expect(pagina.get_by_role("radio", name="CAF — Producto CAF")).to_be_checked()
        pagina.get_by_label("Bodega de origen").select_option(label="B1 — B1")
        pagina.get_by_label("Bodega de destino").select_option(label="B2 — B2")
        pagina.get_by_label("Cantidad").fill("5")
        pagina.get_by_role("button", name="Ver lotes que se moverán").click()
        tabla = pagina.get_by_role("table", name="Saldrán de B1 — B1 hacia B2 — B2")
        expect(tabla).to_be_visible()
        filas = tabla.locator("tbody tr")
        expect(filas).to_have_count(2)
        expect(filas.nth(0)).to_contain_text("3")
        expect(filas.nth(0)).to_contain_text("$6,00")
        expect(filas.nth(1)).to_contain_text("$5,00")
        expect(tabla.locator("tfoot")).to_contain_text("$11,00")
        assert tienda.stock("cafe")["cantidad"] == "15"  # a preview writes nothing
        capturar(pagina, "bodega-transferencia")
        _sin_violaciones(pagina)
        pagina.get_by_role("button", name="Confirmar transferencia").click()
        expect(pagina.get_by_role("status")).to_contain_text(
            "Se transfirió CAF — Producto CAF de B1 — B1 a B2 — B2"
        )
        movidos = pagina.get_by_role("table", name="Lotes que llegaron a B2 — B2")
        expect(movidos.locator("tbody tr")).to_have_count(2)
        capturar(pagina, "bodega-transferencia-hecha")
        _sin_violaciones(pagina)
        destino = tienda.stock("cafe", "bodega2")
        assert (destino["cantidad"], destino["valor"]) == ("5", "11.00")

        # The kardex of the destination, then of the origin, with its lots.
        pagina.get_by_role("link", name="Kardex en B2 — B2").click()
        kardex = pagina.get_by_role("table", name="Movimientos de CAF — Producto CAF en B2")
        expect(kardex.locator("tbody tr")).to_have_count(len(tienda.kardex("cafe", "bodega2")))
        pagina.get_by_role("combobox", name="Bodega", exact=True).select_option(label="B1 — B1")
        pagina.get_by_role("button", name="Ver kardex").click()
        kardex = pagina.get_by_role("table", name="Movimientos de CAF — Producto CAF en B1")
        movimientos = tienda.kardex("cafe")
        expect(kardex.locator("tbody tr")).to_have_count(len(movimientos))
        ultimo = movimientos[-1]
        expect(kardex.locator("tbody tr").last).to_contain_text(
            dinero(Decimal(ultimo["saldo_valor"]))
        )
        expect(pagina.get_by_role("status")).to_contain_text(
            f"Saldo: 10 unidades, valor {dinero(Decimal(ultimo['saldo_valor']))}"
        )
        lotes = pagina.get_by_role("table", name="Lotes de CAF — Producto CAF en B1")
        expect(lotes.locator("tbody tr")).to_have_count(len(tienda.lotes("cafe")))
        expect(lotes).to_contain_text("31/12/2027")
        capturar(pagina, "bodega-kardex")
        _sin_violaciones(pagina)

        # The stock of B1: coffee as the API says it; bread below its minimum, expiring.
        pagina.get_by_role("navigation", name="Bodega").get_by_role("link", name="Stock").click()
        pagina.get_by_role("combobox", name="Bodega", exact=True).select_option(label="B1 — B1")
        pagina.get_by_role("button", name="Ver stock").click()
        stock = pagina.get_by_role("table", name="Stock de B1 — B1")
        cafe = tienda.stock("cafe")
        fila_cafe = stock.get_by_role("row", name="CAF")
        expect(fila_cafe).to_contain_text(dinero(Decimal(cafe["valor"])))
        expect(fila_cafe).to_contain_text("Normal")
        expect(stock.get_by_role("row", name="PAN")).to_contain_text("Bajo el mínimo")
        expect(stock.get_by_role("row", name="PAN")).to_contain_text("Lote por vencer")
        expect(pagina.get_by_role("table", name="Lotes de B1")).to_contain_text("Vence en 4 días")
        capturar(pagina, "bodega-stock")
        _sin_violaciones(pagina)
        pagina.get_by_label("Solo bajo el mínimo").check()
        pagina.get_by_role("button", name="Ver stock").click()
        stock = pagina.get_by_role("table", name="Stock de B1 — B1: solo productos bajo")
        expect(stock.locator("tbody tr")).to_have_count(1)
        expect(stock.get_by_role("row", name="PAN")).to_be_visible()
        # The one refused form answered 422, as it must; nothing else failed.
        assert errores == [
            "Failed to load resource: the server responded with a status of 422 "
            "(Unprocessable Entity)"
        ]
        contexto.close()
