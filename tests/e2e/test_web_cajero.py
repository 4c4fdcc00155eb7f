"""The sale screen on the real `prometeo serve`, in Debian's chromium, driven from the
keyboard as a cajero would: a whole sale without the mouse, a flood of scans typed as
fast as the browser can, a parked sale picked up again, a second tab refused, a
double-submitted emission that makes one factura. axe-core finds nothing serious;
captured as capturas/caja-*.png."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from navegador import capturar, chromium, violaciones_graves
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect
from servidor_real import Servidor, crear_usuario, servidor

from apoyo_http import CEDULA, TiendaHttp

CLAVE = "clave-del-cajero-1"


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Servidor, TiendaHttp]]:
    carpeta = tmp_path_factory.mktemp("caja")
    url = f"sqlite:///{carpeta / 'caja.db'}"
    crear_usuario(url, "cajero", "cajero", CLAVE)
    with servidor(url, carpeta, PROMETEO_SRI_ENVIO="apagado") as activo, activo.cliente() as http:
        tienda = TiendaHttp(http).sembrar()
        tienda.ingresar("cafe", "100", "3.00")
        tienda.ingresar("pan", "200", "0.50")
        yield activo, tienda


@pytest.fixture(scope="module")
def navegador() -> Iterator[Browser]:
    with chromium() as abierto:
        yield abierto


@pytest.fixture
def contexto(web: tuple[Servidor, TiendaHttp], navegador: Browser) -> Iterator[BrowserContext]:
    """A cajero signed in whose device sells from the matriz's punto and bodega B1."""
    servidor_activo, tienda = web
    abierto = navegador.new_context(base_url=servidor_activo.base, locale="es-EC")
    pagina = abierto.new_page()
    pagina.goto("/ingresar?siguiente=/caja")
    pagina.get_by_label("Usuario").fill("cajero")
    pagina.get_by_label("Contraseña").fill(CLAVE)
    pagina.get_by_label("Contraseña").press("Enter")
    # Two bodegas in the sucursal: asked once, from the keyboard.
    eleccion = pagina.get_by_label("Punto de emisión y bodega")
    expect(eleccion).to_be_visible()
    eleccion.focus()
    eleccion.select_option(f"{tienda.ids['punto']},{tienda.ids['bodega']}")
    pagina.keyboard.press("Tab")
    expect(pagina.get_by_role("button", name="Vender desde aquí")).to_be_focused()
    pagina.keyboard.press("Enter")
    expect(pagina.get_by_label("Producto")).to_be_focused()
    pagina.close()
    yield abierto
    abierto.close()


def _errores_de_consola(pagina: Page) -> list[str]:
    errores: list[str] = []
    pagina.on("console", lambda m: errores.append(m.text) if m.type == "error" else None)
    pagina.on("pageerror", lambda e: errores.append(str(e)))
    return errores


def _escanear(pagina: Page, *textos: str) -> None:
    for texto in textos:
        pagina.keyboard.type(texto)
        pagina.keyboard.press("Enter")


def _sin_graves(pagina: Page) -> None:
    graves = violaciones_graves(pagina)
    assert not graves, [(v["id"], v["help"], len(v["nodes"])) for v in graves]


def _fila(pagina: Page, nombre: str) -> Locator:
    return pagina.locator("#venta tbody tr").filter(has_text=nombre)


def test_una_venta_entera_con_el_teclado(
    contexto: BrowserContext, web: tuple[Servidor, TiendaHttp]
) -> None:
    _, tienda = web
    pagina = contexto.new_page()
    errores = _errores_de_consola(pagina)
    pagina.goto("/caja")
    expect(pagina.get_by_label("Producto")).to_be_focused()
    _escanear(pagina, "CAF", "2*PAN")
    expect(_fila(pagina, "Producto PAN")).to_contain_text("2")
    expect(pagina.get_by_role("status", name="Total")).to_have_text("$12,20")
    # F4 on the selected line (the last one): PAN to 3.
    pagina.keyboard.press("F4")
    expect(pagina.get_by_label("Cantidad")).to_be_focused()
    pagina.keyboard.type("3")
    pagina.keyboard.press("Enter")
    expect(_fila(pagina, "Producto PAN").locator("td").nth(1)).to_have_text("3")
    expect(pagina.get_by_label("Producto")).to_be_focused()
    # ↑ picks CAF; F6 gives it a small line discount.
    pagina.keyboard.press("ArrowUp")
    pagina.keyboard.press("F6")
    expect(pagina.get_by_label("Descuento de la línea (USD)")).to_be_focused()
    pagina.keyboard.type("0,40")
    pagina.keyboard.press("Enter")
    expect(_fila(pagina, "Producto CAF")).to_contain_text("$0,40")
    # F3: the buyer, checked as typed, assigned with Enter.
    pagina.keyboard.press("F3")
    expect(pagina.get_by_label("Identificación del cliente")).to_be_focused()
    pagina.keyboard.type(CEDULA)
    expect(pagina.locator("#identificacion-estado")).to_contain_text("María Pérez")
    pagina.keyboard.press("Enter")
    expect(pagina.locator(".cliente-actual")).to_contain_text("María Pérez")
    expect(pagina.get_by_label("Producto")).to_be_focused()
    # Enter alone never emits.
    pagina.keyboard.press("Enter")
    # F9: pay in cash, the change shown.
    pagina.keyboard.press("F9")
    expect(pagina.get_by_label("Recibido (USD)")).to_be_focused()
    pagina.keyboard.type("20")
    pagina.keyboard.press("Enter")
    # CAF 8.00 − 0.40 = 7.60 + 15 % = 8.74; PAN 3 × 1.50 = 4.50: 13.24.
    expect(pagina.get_by_role("status", name="Total")).to_have_text("$13,24")
    expect(pagina.locator(".pagos")).to_contain_text("Cambio $6,76")
    assert tienda.get("/facturas", estado="EMITIDA")["items"] == []
    capturar(pagina, "caja-venta")
    _sin_graves(pagina)
    pagina.keyboard.press("F1")
    expect(pagina.get_by_role("dialog", name="Atajos de teclado")).to_be_visible()
    capturar(pagina, "caja-atajos")
    pagina.keyboard.press("Escape")
    expect(pagina.get_by_label("Producto")).to_be_focused()
    # Ctrl+Enter emits: the number in a status region, as the API has it.
    pagina.keyboard.press("Control+Enter")
    resultado = pagina.locator("#resultado")
    expect(resultado).to_contain_text("emitida")
    emitidas = tienda.get("/facturas", estado="EMITIDA")["items"]
    assert len(emitidas) == 1
    expect(pagina.get_by_role("status").filter(has_text=emitidas[0]["numero"])).to_be_visible()
    assert emitidas[0]["cliente"]["razon_social"] == "María Pérez"
    assert emitidas[0]["totales"]["importe_total"] == "13.24"
    expect(resultado).to_contain_text("Cambio $6,76")
    expect(pagina.locator("#sri")).to_contain_text("PENDIENTE")
    capturar(pagina, "caja-emitida")
    _sin_graves(pagina)
    # The receipt, at 80 mm, as printed.
    recibo = contexto.new_page()
    recibo.goto(f"/caja/recibo/{emitidas[0]['id']}?ancho=80")
    expect(recibo.get_by_text(f"FACTURA {emitidas[0]['numero']}")).to_be_visible()
    _sin_graves(recibo)
    recibo.emulate_media(media="print")
    capturar(recibo, "caja-recibo-80")
    recibo.close()
    assert errores == []
    pagina.close()


def test_una_rafaga_de_escaneos_no_pierde_ninguno(
    contexto: BrowserContext, web: tuple[Servidor, TiendaHttp]
) -> None:
    _, tienda = web
    pagina = contexto.new_page()
    errores = _errores_de_consola(pagina)
    pagina.goto("/caja")
    expect(pagina.get_by_label("Producto")).to_be_focused()
    # 30 scans typed as fast as the browser can, none awaited.
    _escanear(pagina, *["CAF", "PAN"] * 15)
    expect(_fila(pagina, "Producto CAF").locator("td").nth(1)).to_have_text("15")
    expect(_fila(pagina, "Producto PAN").locator("td").nth(1)).to_have_text("15")
    expect(pagina.get_by_label("Producto")).to_have_value("")
    venta_id = pagina.url.rsplit("/", 1)[-1]
    borrador = tienda.get(f"/facturas/{venta_id}")
    assert [(ln["producto_id"], ln["cantidad"]) for ln in borrador["lineas"]] == [
        (tienda.ids["cafe"], "15"),
        (tienda.ids["pan"], "15"),
    ]
    assert errores == []
    pagina.close()


def test_una_venta_en_espera_se_retoma_y_otra_pestana_no_la_pisa(
    contexto: BrowserContext, web: tuple[Servidor, TiendaHttp]
) -> None:
    _, tienda = web
    pagina = contexto.new_page()
    pagina.goto("/caja")
    _escanear(pagina, "CAF")
    expect(_fila(pagina, "Producto CAF")).to_be_visible()
    primera = pagina.url
    assert "/caja/venta/" in primera
    # F2: a new sale; the first one stays parked.
    pagina.keyboard.press("F2")
    expect(pagina).to_have_url(f"{web[0].base}/caja")
    expect(pagina.get_by_label("Producto")).to_be_focused()
    _escanear(pagina, "PAN")
    expect(_fila(pagina, "Producto PAN")).to_be_visible()
    # F8: the parked sales; the first is picked up from the keyboard.
    pagina.keyboard.press("F8")
    dialogo = pagina.get_by_role("dialog", name="Ventas en espera")
    expect(dialogo).to_be_visible()
    enlace = dialogo.locator(f'a[href="{primera.removeprefix(web[0].base)}"]')
    expect(enlace).to_be_visible()
    capturar(pagina, "caja-en-espera")
    _sin_graves(pagina)
    enlace.focus()
    pagina.keyboard.press("Enter")
    expect(pagina).to_have_url(primera)
    expect(_fila(pagina, "Producto CAF")).to_be_visible()
    # The same sale in a second tab: its change goes first, this tab's is refused, said.
    otra = contexto.new_page()
    otra.goto(primera)
    otra.get_by_label("Producto").press_sequentially("PAN")
    otra.get_by_label("Producto").press("Enter")
    expect(_fila(otra, "Producto PAN")).to_be_visible()
    _escanear(pagina, "CAF")
    expect(pagina.get_by_role("alert")).to_contain_text("otra pestaña")
    expect(_fila(pagina, "Producto PAN")).to_be_visible()  # shown as it is now
    expect(_fila(pagina, "Producto CAF").locator("td").nth(1)).to_have_text("1")
    venta_id = primera.rsplit("/", 1)[-1]
    lineas = tienda.get(f"/facturas/{venta_id}")["lineas"]
    assert [ln["cantidad"] for ln in lineas] == ["1", "1"]
    otra.close()
    pagina.close()


def test_emitir_dos_veces_hace_una_sola_factura(
    contexto: BrowserContext, web: tuple[Servidor, TiendaHttp]
) -> None:
    _, tienda = web
    antes = len(tienda.get("/facturas", estado="EMITIDA")["items"])
    pagina = contexto.new_page()
    pagina.goto("/caja")
    _escanear(pagina, "PAN")
    expect(_fila(pagina, "Producto PAN")).to_be_visible()
    # A double Ctrl+Enter and a click on the button, before any answer arrives.
    pagina.keyboard.press("Control+Enter")
    pagina.keyboard.press("Control+Enter")
    pagina.get_by_role("button", name="Emitir factura").click()
    expect(pagina.locator("#resultado")).to_contain_text("emitida")
    pagina.wait_for_load_state("networkidle")
    emitidas = tienda.get("/facturas", estado="EMITIDA")["items"]
    assert len(emitidas) == antes + 1
    # The repeats were replays of the same request: no refusal shown.
    expect(pagina.locator("#avisos-venta")).to_have_count(0)
    # The next scan starts a new sale.
    _escanear(pagina, "PAN")
    expect(pagina.locator("#resultado")).to_have_count(0)
    expect(_fila(pagina, "Producto PAN")).to_be_visible()
    assert len(tienda.get("/facturas", estado="EMITIDA")["items"]) == antes + 1
    pagina.close()
