"""The warehouse screens in process: the stock of a bodega with what is below its minimum
and the lots near expiry, an ingreso and a transferencia written once whatever the
retries, each refusal shown with the API's message (422) and nothing changed, the lots a
transfer would move shown before it is confirmed, the kardex as the API's, and only
bodeguero and admin let in."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from entorno_api import HOY, ajustes
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from test_web_ingreso import CLAVE, csrf_de, ingresar

from apoyo_http import TiendaHttp
from prometeo.application.acceso import Rol
from prometeo.bootstrap import Aplicacion, bootstrap
from prometeo.entrypoints.api.app import crear_app
from prometeo.entrypoints.web.formato import cantidad, dinero, fecha, precio
from prometeo.infrastructure.db.usuarios import AlmacenUsuarios

_CLAVE_ENVIO = re.compile(r'name="idempotencia" value="([^"]+)"')
_FILA = re.compile(r"<tr[^>]*>\s*<th scope=\"row\">(.*?)</th>(.*?)</tr>", re.S)
_CELDA = re.compile(r"<td[^>]*>(.*?)</td>", re.S)
_ETIQUETA = re.compile(r"<[^>]+>")


@pytest.fixture
def web(aplicacion: Aplicacion, app_http: FastAPI) -> Iterator[TestClient]:
    almacen = AlmacenUsuarios(aplicacion.engine)
    for rol in Rol:
        almacen.crear(rol.value, rol, CLAVE)
    with TestClient(app_http, follow_redirects=False) as cliente:
        yield cliente


def _texto(html: str) -> str:
    return " ".join(_ETIQUETA.sub(" ", html).split())


def _tabla(html: str, ident: str) -> dict[str, list[str]]:
    """The rows (row header's text → cells' text) of the table with id `ident`."""
    inicio = html.index(f'id="{ident}"')
    cuerpo = html[inicio : html.index("</table>", inicio)]
    return {_texto(m[1]): [_texto(c) for c in _CELDA.findall(m[2])] for m in _FILA.finditer(cuerpo)}


def _formulario(web: TestClient, ruta: str) -> dict[str, str]:
    """The hidden fields (CSRF and a fresh idempotency key) of the write form at `ruta`."""
    pagina = web.get(ruta)
    assert pagina.status_code == 200, pagina.text
    clave = _CLAVE_ENVIO.search(pagina.text)
    assert clave is not None
    return {"csrf": csrf_de(pagina), "idempotencia": clave.group(1)}


def _ingreso(web: TestClient, tienda: TiendaHttp, **campos: str) -> Response:
    datos = {
        **_formulario(web, "/bodega/ingresos"),
        "producto": "CAF",
        "bodega_id": tienda.ids["bodega"],
        "cantidad": "10",
        "costo": "3,25",
        "caducidad": "",
        "referencia": "",
    }
    datos.update(campos)
    return web.post("/bodega/ingresos", data=datos)


def test_stock_marca_lo_que_esta_bajo_el_minimo(tienda: TiendaHttp, web: TestClient) -> None:
    tienda.ingresar("cafe", "1", "3.00")  # minimum 2
    tienda.ingresar("pan", "10", "0.50")
    tienda.ingresar("pan", "4", "0.60", caducidad="2026-12-04")
    ingresar(web, "bodeguero")
    # Two bodegas: the person chooses one first.
    sin_elegir = web.get("/bodega")
    assert sin_elegir.status_code == 200
    assert "Elija la bodega cuyo stock quiere ver." in sin_elegir.text
    html = web.get("/bodega", params={"bodega_id": tienda.ids["bodega"]}).text
    filas = _tabla(html, "stock")
    cafe, pan = tienda.stock("cafe"), tienda.stock("pan")
    assert filas["CAF"] == [
        "Producto CAF",
        cantidad(Decimal(cafe["cantidad"])),
        dinero(Decimal(cafe["valor"])),
        "2",
        "Bajo el mínimo",
    ]
    assert filas["PAN"] == [
        "Producto PAN",
        "14",
        dinero(Decimal(pan["valor"])),
        "0",
        "Lote por vencer",
    ]
    assert "1 bajo el mínimo" in _texto(html)
    vencer = _tabla(html, "por-vencer")
    assert vencer["PAN — Producto PAN"][1:] == ["04/12/2026", "4", "$2,40", "Vence en 5 días"]
    solo = web.get("/bodega", params={"bodega_id": tienda.ids["bodega"], "bajo_minimo": "1"}).text
    assert list(_tabla(solo, "stock")) == ["CAF"]
    assert "Solo bajo el mínimo" in solo
    otra = web.get("/bodega", params={"bodega_id": tienda.ids["bodega2"]}).text
    assert "Esta bodega no tiene stock todavía." in otra


def test_un_ingreso_crea_un_lote_una_vez(tienda: TiendaHttp, web: TestClient) -> None:
    ingresar(web, "bodeguero")
    datos = {
        **_formulario(web, "/bodega/ingresos"),
        "producto": "caf",
        "bodega_id": tienda.ids["bodega"],
        "cantidad": "10,5",
        "costo": "3.25",
        "caducidad": "31/12/2027",
        "referencia": "FAC-001-123",
    }
    respuesta = web.post("/bodega/ingresos", data=datos)
    assert respuesta.status_code == 303, respuesta.text
    destino = respuesta.headers["location"]
    assert destino.startswith("/bodega/ingresos?lote=")
    # The same form again (a double submit, a retry): the same answer, one lot.
    otra = web.post("/bodega/ingresos", data=datos)
    assert otra.status_code == 303
    assert otra.headers["location"] == destino
    (lote,) = tienda.lotes("cafe")
    assert lote["cantidad_inicial"] == "10.5"
    assert Decimal(lote["costo_unitario"]) == Decimal("3.25")
    assert lote["fecha_caducidad"] == "2027-12-31"
    assert tienda.kardex("cafe")[0]["documento"] == "FAC-001-123"
    hecho = web.get(destino).text
    estado = hecho[
        hecho.index('role="status"') : hecho.index("</div>", hecho.index('role="status"'))
    ]
    assert lote["lote_id"] in estado
    assert "10,5 de CAF — Producto CAF en B1 — B1" in _texto(estado)
    assert "$3,25" in estado
    assert "31/12/2027" in estado
    # The date as a date input sends it is read as well.
    iso = _ingreso(web, tienda, caducidad="2027-01-15")
    assert iso.status_code == 303
    assert tienda.lotes("cafe")[1]["fecha_caducidad"] == "2027-01-15"


@pytest.mark.parametrize(
    ("campos", "campo", "mensaje"),
    [
        ({"costo": "-1"}, "costo", "El costo unitario"),
        ({"costo": "tres"}, "costo", "no es un número"),
        ({"cantidad": "0"}, "cantidad", "mayor que cero"),
        ({"cantidad": "1,2345678"}, "cantidad", "admite hasta 6"),
        ({"caducidad": "31/02/2027"}, "caducidad", "no existe en el calendario"),
        ({"caducidad": "01/11/2026"}, "caducidad", "es anterior al ingreso"),
        ({"producto": "NOEXISTE"}, "producto", "Ningún producto tiene el código"),
        ({"producto": ""}, "producto", "Escriba el código"),
        ({"bodega_id": ""}, "bodega", "Elija la bodega"),
    ],
)
def test_un_ingreso_rechazado_no_cambia_nada(
    tienda: TiendaHttp, web: TestClient, campos: dict[str, str], campo: str, mensaje: str
) -> None:
    ingresar(web, "bodeguero")
    antes = tienda.ultima_posicion()
    respuesta = _ingreso(web, tienda, **campos)
    assert respuesta.status_code == 422, respuesta.text
    alerta = re.search(rf'role="alert" id="error-{campo}"[^>]*>([^<]*)<', respuesta.text)
    assert alerta is not None, respuesta.text
    assert mensaje in alerta.group(1)
    assert 'aria-invalid="true"' in respuesta.text
    # The focus goes to the field to fix, and only there.
    control = "bodega_id" if campo == "bodega" else campo
    assert respuesta.text.count(" autofocus") == 1
    assert re.search(rf'id="{control}"[^>]* autofocus', respuesta.text), respuesta.text
    if campo != "producto":  # the product typed stays chosen
        assert f'value="{tienda.ids["cafe"]}" checked' in respuesta.text
    assert tienda.ultima_posicion() == antes
    assert tienda.lotes("cafe") == []
    # What was typed stays in the form.
    for valor in campos.values():
        if valor and campo != "bodega":
            assert f'value="{valor}"' in respuesta.text


def test_el_mismo_mensaje_que_el_api(tienda: TiendaHttp, web: TestClient) -> None:
    """A broken rule reads as the API's message for the same command."""
    api = tienda.http.post(
        "/api/v1/inventario/ingresos",
        json={
            "producto_id": tienda.ids["cafe"],
            "bodega_id": tienda.ids["bodega"],
            "cantidad": "0",
            "costo_unitario": "1",
        },
    )
    assert api.status_code == 422
    (error,) = api.json()["errores"]
    ingresar(web, "admin")
    pantalla = _ingreso(web, tienda, cantidad="0")
    assert f'data-regla="{error["regla"]}">{error["mensaje"]}<' in pantalla.text


def test_un_nombre_que_coincide_con_varios_pide_elegir(tienda: TiendaHttp, web: TestClient) -> None:
    ingresar(web, "bodeguero")
    varios = _ingreso(web, tienda, producto="producto")
    assert varios.status_code == 422
    assert "Varios productos coinciden con «producto»" in varios.text
    assert varios.text.count('name="producto_id"') == 2
    elegido = _ingreso(web, tienda, producto="producto", producto_id=tienda.ids["pan"])
    assert elegido.status_code == 303
    assert len(tienda.lotes("pan")) == 1


def test_la_busqueda_ofrece_productos_sin_cargar_el_catalogo(
    tienda: TiendaHttp, web: TestClient
) -> None:
    ingresar(web, "bodeguero")
    varios = web.get("/bodega/buscar", params={"producto": "prod"}, headers={"HX-Request": "true"})
    assert varios.status_code == 200
    assert "<html" not in varios.text
    assert varios.text.count('type="radio"') == 2
    assert "checked" not in varios.text
    uno = web.get("/bodega/buscar", params={"producto": "CAF"}).text
    assert f'value="{tienda.ids["cafe"]}" checked' in uno
    assert (
        "Ningún producto coincide con «zzz»"
        in web.get("/bodega/buscar", params={"producto": "zzz"}).text
    )
    # The form itself lists no product until something is typed.
    assert 'type="radio"' not in web.get("/bodega/ingresos").text


def test_sin_csrf_no_se_escribe(tienda: TiendaHttp, web: TestClient) -> None:
    ingresar(web, "bodeguero")
    antes = tienda.ultima_posicion()
    respuesta = _ingreso(web, tienda, csrf="otra-marca")
    assert respuesta.status_code == 403
    assert "Formulario no válido" in respuesta.text
    sin_nada = web.post(
        "/bodega/transferencias",
        data={
            "producto_id": tienda.ids["cafe"],
            "origen": tienda.ids["bodega"],
            "destino": tienda.ids["bodega2"],
            "cantidad": "1",
        },
    )
    assert sin_nada.status_code == 403
    assert tienda.ultima_posicion() == antes


@pytest.mark.parametrize("usuario", ["cajero", "contador"])
def test_otros_roles_no_entran(tienda: TiendaHttp, web: TestClient, usuario: str) -> None:
    ingresar(web, usuario)
    for ruta in ("/bodega", "/bodega/ingresos", "/bodega/transferencias", "/bodega/kardex"):
        respuesta = web.get(ruta)
        assert respuesta.status_code == 403, ruta
        assert "Su rol no puede abrir Bodega" in respuesta.text
    antes = tienda.ultima_posicion()
    token = csrf_de(web.get("/inicio"))
    escrito = web.post(
        "/bodega/ingresos",
        data={"csrf": token, "idempotencia": "k", "producto": "CAF", "cantidad": "1"},
    )
    assert escrito.status_code == 403
    assert tienda.ultima_posicion() == antes


def test_sin_sesion_va_a_ingresar(web: TestClient) -> None:
    respuesta = web.get("/bodega/kardex")
    assert respuesta.headers["location"] == "/ingresar?siguiente=%2Fbodega%2Fkardex"


def _pedido(tienda: TiendaHttp, cantidad_: str = "5", **otros: str) -> dict[str, str]:
    pedido = {
        "vista": "1",
        "producto": "CAF",
        "origen": tienda.ids["bodega"],
        "destino": tienda.ids["bodega2"],
        "cantidad": cantidad_,
    }
    pedido.update(otros)
    return pedido


def _confirmacion(html: str) -> dict[str, str]:
    """The fields of the confirmation form under a preview."""
    inicio = html.index('<form class="confirmar"')
    formulario = html[inicio : html.index("</form>", inicio)]
    return dict(re.findall(r'name="([^"]+)" value="([^"]*)"', formulario))


def test_una_transferencia_muestra_los_lotes_y_se_hace_una_vez(
    tienda: TiendaHttp, web: TestClient
) -> None:
    primero = tienda.ingresar("cafe", "3", "2.00")
    segundo = tienda.ingresar("cafe", "10", "3.00")
    ingresar(web, "bodeguero")
    vista = web.get("/bodega/transferencias", params=_pedido(tienda, "5"))
    assert vista.status_code == 200
    lotes = _tabla(vista.text, "lotes-a-mover")
    assert lotes[primero[:8]] == [fecha(HOY), "Sin caducidad", "3", "$2,00", "$6,00"]
    assert lotes[segundo[:8]] == [fecha(HOY), "Sin caducidad", "2", "$3,00", "$6,00"]
    assert lotes["Total"] == ["", "", "5", "", "$12,00"]
    # Previewing wrote nothing; with htmx only the preview comes back.
    assert tienda.stock("cafe")["cantidad"] == "13"
    parcial = web.get(
        "/bodega/transferencias", params=_pedido(tienda, "5"), headers={"HX-Request": "true"}
    )
    assert parcial.text.lstrip().startswith('<section id="vista"')
    campos = _confirmacion(vista.text)
    assert campos["cantidad"] == "5"
    hecha = web.post("/bodega/transferencias", data=campos)
    assert hecha.status_code == 303, hecha.text
    otra = web.post("/bodega/transferencias", data=campos)
    assert otra.headers["location"] == hecha.headers["location"]
    assert tienda.stock("cafe")["cantidad"] == "8"
    destino = tienda.stock("cafe", "bodega2")
    assert (destino["cantidad"], destino["valor"]) == ("5", "12.00")
    pagina = web.get(hecha.headers["location"])
    assert pagina.status_code == 200
    assert "Se transfirió CAF — Producto CAF de B1 — B1 a B2 — B2" in _texto(pagina.text)
    movidos = _tabla(pagina.text, "lotes-movidos")
    assert sorted(f[1:] for f in movidos.values()) == [
        ["2", "$3,00", "$6,00"],
        ["3", "$2,00", "$6,00"],
    ]


@pytest.mark.parametrize(
    ("pedido", "mensaje"),
    [
        ({"cantidad": "0"}, "mayor que cero"),
        ({"cantidad": "50"}, "no alcanza"),
        ({"destino": "B1"}, "distinta de la de origen"),
        ({"producto": "NOEXISTE"}, "Ningún producto tiene el código"),
    ],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_una_vista_previa_con_problemas_los_dice(
    tienda: TiendaHttp, web: TestClient, pedido: dict[str, str], mensaje: str, htmx: bool
) -> None:
    tienda.ingresar("cafe", "3", "2.00")
    ingresar(web, "bodeguero")
    if pedido.get("destino") == "B1":
        pedido = {"destino": tienda.ids["bodega"]}
    cabeceras = {"HX-Request": "true"} if htmx else {}
    vista = web.get("/bodega/transferencias", params=_pedido(tienda, **pedido), headers=cabeceras)
    # A read: answered 200 (htmx swaps only those), the problem said once, with role=alert.
    assert vista.status_code == 200
    assert 'role="alert"' in vista.text
    assert vista.text.count(mensaje) == 1
    assert "Confirmar transferencia" not in vista.text


def test_una_transferencia_rechazada_no_cambia_nada(tienda: TiendaHttp, web: TestClient) -> None:
    tienda.ingresar("cafe", "10", "2.00")
    ingresar(web, "bodeguero")
    campos = _confirmacion(web.get("/bodega/transferencias", params=_pedido(tienda, "6")).text)
    # Meanwhile the cashier sells: the origin no longer has 6.
    tienda.facturar(("cafe", "7"))
    antes = tienda.ultima_posicion()
    respuesta = web.post("/bodega/transferencias", data=campos)
    assert respuesta.status_code == 422, respuesta.text
    api = tienda.http.post(
        "/api/v1/inventario/transferencias",
        json={
            "producto_id": tienda.ids["cafe"],
            "bodega_origen_id": tienda.ids["bodega"],
            "bodega_destino_id": tienda.ids["bodega2"],
            "cantidad": "6",
        },
    )
    (error,) = api.json()["errores"]
    assert f'data-regla="{error["regla"]}">{error["mensaje"]}<' in respuesta.text
    assert tienda.ultima_posicion() == antes
    assert tienda.stock("cafe")["cantidad"] == "3"


def _kardex(web: TestClient, tienda: TiendaHttp, bodega: str = "bodega") -> str:
    pagina = web.get(
        "/bodega/kardex",
        params={"producto_id": tienda.ids["cafe"], "bodega_id": tienda.ids[bodega]},
    )
    assert pagina.status_code == 200
    return pagina.text


def test_el_kardex_es_el_del_api_con_sus_lotes(tienda: TiendaHttp, web: TestClient) -> None:
    tienda.ingresar("cafe", "3", "2.00")
    tienda.ingresar("cafe", "10", "3.333333")
    tienda.facturar(("cafe", "4"))
    tienda.post(
        "/inventario/transferencias",
        {
            "producto_id": tienda.ids["cafe"],
            "bodega_origen_id": tienda.ids["bodega"],
            "bodega_destino_id": tienda.ids["bodega2"],
            "cantidad": "2",
        },
    )
    ingresar(web, "admin")
    html = _kardex(web, tienda)
    inicio = html.index('id="kardex"')
    cuerpo = html[inicio : html.index("</table>", inicio)]
    filas = [[_texto(c) for c in _CELDA.findall(m[2])] for m in _FILA.finditer(cuerpo)]
    api = tienda.kardex("cafe")
    assert len(filas) == len(api) == 5
    for fila, mov in zip(filas, api, strict=True):
        assert fila[0].startswith(mov["tipo"])
        assert fila[3:] == [
            cantidad(Decimal(mov["cantidad"])),
            precio(Decimal(mov["costo_unitario"])),
            dinero(Decimal(mov["costo_total"])),
            cantidad(Decimal(mov["saldo_cantidad"])),
            dinero(Decimal(mov["saldo_valor"])),
        ]
    ultimo = api[-1]
    assert (
        f"Saldo: {cantidad(Decimal(ultimo['saldo_cantidad']))} unidades, valor "
        f"{dinero(Decimal(ultimo['saldo_valor']))}" in _texto(html)
    )
    lotes = _tabla(html, "lotes")
    esperados = {
        lote["lote_id"][:8]: [
            fecha(HOY),
            cantidad(Decimal(lote["cantidad_inicial"])),
            cantidad(Decimal(lote["cantidad_disponible"])),
            precio(Decimal(lote["costo_unitario"])),
            "Sin caducidad",
            "Vigente",
        ]
        for lote in tienda.lotes("cafe")
    }
    assert lotes == esperados
    # Each movement of a lot still held links to it.
    for lote in tienda.lotes("cafe"):
        assert f'href="#lote-{lote["lote_id"]}"' in html
    assert "TRANSFERENCIA" in _kardex(web, tienda, "bodega2")
    # The product it is about stays chosen in the form.
    assert f'value="{tienda.ids["cafe"]}" checked' in html
    assert "Ningún producto coincide" not in html


def test_el_kardex_por_codigo_y_sin_movimientos(tienda: TiendaHttp, web: TestClient) -> None:
    ingresar(web, "bodeguero")
    vacio = web.get("/bodega/kardex", params={"producto": "PAN", "bodega_id": tienda.ids["bodega"]})
    assert "Este producto no tiene movimientos en esta bodega." in vacio.text
    assert "No quedan lotes con existencias" in vacio.text
    nada = web.get("/bodega/kardex", params={"producto": "XX", "bodega_id": tienda.ids["bodega"]})
    assert "Ningún producto tiene el código o el nombre «XX»" in nada.text


def test_un_lote_vencido_se_marca_y_no_se_transfiere(
    url_api: str, tienda: TiendaHttp, web: TestClient
) -> None:
    vencera = tienda.ingresar("cafe", "3", "2.00", caducidad="2026-11-30")
    vigente = tienda.ingresar("cafe", "5", "3.00")
    # The same shop three days later: the first lot expired on the 30th.
    despues = bootstrap(ajustes(url_api, hoy=date(2026, 12, 2)))
    try:
        with TestClient(crear_app(despues), follow_redirects=False) as otro:
            ingresar(otro, "bodeguero")
            vista = otro.get("/bodega/transferencias", params=_pedido(tienda, "4")).text
            assert list(_tabla(vista, "lotes-a-mover")) == [vigente[:8], "Total"]
            mas = otro.get("/bodega/transferencias", params=_pedido(tienda, "6")).text
            assert "hay 5 sin vencer de CAF — Producto CAF: no alcanza para 6" in mas
            stock = otro.get("/bodega", params={"bodega_id": tienda.ids["bodega"]}).text
            assert _tabla(stock, "stock")["CAF"][-1] == "Lote vencido"
            assert _tabla(stock, "por-vencer")["CAF — Producto CAF"][-1] == "Vencido"
            kardex = otro.get(
                "/bodega/kardex",
                params={"producto_id": tienda.ids["cafe"], "bodega_id": tienda.ids["bodega"]},
            ).text
            lotes = _tabla(kardex, "lotes")
            assert lotes[vencera[:8]][-2:] == ["30/11/2026", "Vencido"]
            assert lotes[vigente[:8]][-2:] == ["Sin caducidad", "Vigente"]
    finally:
        despues.cerrar()


def test_con_una_sola_bodega_no_se_pregunta(cliente: TestClient, web: TestClient) -> None:
    tienda = TiendaHttp(cliente)
    sucursal = tienda.post("/sucursales", {"codigo": "001", "nombre": "Matriz", "direccion": "X"})
    tienda.post("/bodegas", {"sucursal_id": sucursal["id"], "codigo": "BP", "nombre": "Principal"})
    tienda.post(
        "/productos",
        {
            "codigo": "ARR",
            "nombre": "Arroz",
            "precio": "1.00",
            "tarifa_iva": "0",
            "stock_minimo": "1",
        },
    )
    ingresar(web, "bodeguero")
    stock = web.get("/bodega").text
    assert "<select" not in stock
    assert "Stock de BP — Principal" in stock
    assert "Esta bodega no tiene stock todavía." in stock
    formulario = web.get("/bodega/ingresos").text
    assert "<select" not in formulario
    assert "Bodega que recibe:</span> BP — Principal" in formulario
    datos = {**_formulario(web, "/bodega/ingresos"), "producto": "ARR", "cantidad": "2"}
    (bodega,) = re.findall(r'name="bodega_id" value="([^"]+)"', formulario)
    hecho = web.post("/bodega/ingresos", data={**datos, "bodega_id": bodega, "costo": "0,8"})
    assert hecho.status_code == 303
    assert "ARR" in _tabla(web.get("/bodega").text, "stock")
    # Transfers need two bodegas: the screen says so.
    assert "hacen falta al menos dos bodegas" in web.get("/bodega/transferencias").text
