"""The sale screen in process (TestClient): where the till sells from, scans onto the
cart, rules shown beside it with nothing changed, a second tab refused, the buyer checked
as typed, an emission done once for a double submit, the receipt; CSRF and roles."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from test_web_ingreso import CLAVE, csrf_de, ingresar

from apoyo_http import CEDULA, TiendaHttp
from prometeo.application.acceso import Rol
from prometeo.bootstrap import Aplicacion
from prometeo.infrastructure.db.usuarios import AlmacenUsuarios

_VENTA = re.compile(r'id="venta" data-venta="([^"]*)"\s+data-version="(\d+)"')
_EMISION = re.compile(r'data-clave-emision="([^"]*)"')
_FILA = re.compile(r'<tr data-linea="(\d+)" data-cantidad="([^"]+)"')
HX = {"HX-Request": "true"}


@pytest.fixture
def caja(aplicacion: Aplicacion, app_http: FastAPI, tienda: TiendaHttp) -> Iterator[TestClient]:
    """A cajero signed in at the matriz's punto and bodega B1, with CAF and PAN in stock."""
    almacen = AlmacenUsuarios(aplicacion.engine)
    for rol in Rol:
        almacen.crear(rol.value, rol, CLAVE)
    tienda.ingresar("cafe", "10", "3.00")
    tienda.ingresar("pan", "20", "0.50")
    with TestClient(app_http, follow_redirects=False) as cliente:
        ingresar(cliente, "cajero")
        eleccion = cliente.get("/caja")
        # Two bodegas in the sucursal: the till is asked once where it sells from.
        assert eleccion.status_code == 200
        assert '<label for="puesto">Punto de emisión y bodega</label>' in eleccion.text
        elegido = cliente.post(
            "/caja/puesto",
            data={
                "csrf": csrf_de(eleccion),
                "puesto": f"{tienda.ids['punto']},{tienda.ids['bodega']}",
            },
        )
        assert elegido.status_code == 303
        yield cliente


def _estado(respuesta: Response) -> tuple[str, int]:
    encontrado = _VENTA.search(respuesta.text)
    assert encontrado is not None, respuesta.text
    return encontrado.group(1), int(encontrado.group(2))


def _csrf(cliente: TestClient) -> str:
    return csrf_de(cliente.get("/caja"))


def _enviar(
    cliente: TestClient, ruta: str, venta: tuple[str, int] | None, **campos: str
) -> Response:
    datos = {"csrf": _csrf(cliente), **campos}
    if venta is not None:
        datos.update(factura_id=venta[0], version=str(venta[1]))
    return cliente.post(ruta, data=datos, headers=HX)


def _lineas(respuesta: Response) -> list[tuple[str, str]]:
    return _FILA.findall(respuesta.text)


def test_la_caja_tiene_lo_que_api_md_promete(caja: TestClient) -> None:
    pagina = caja.get("/caja")
    assert pagina.status_code == 200
    for texto in (
        '<label for="producto">Producto</label>',
        '<label for="identificacion">Identificación del cliente</label>',
        'aria-label="Total"',
        ">Emitir factura</button>",
        'src="/estaticos/caja.js"',
    ):
        assert texto in pagina.text


def test_escanear_suma_en_su_linea_y_muestra_el_total(caja: TestClient, tienda: TiendaHttp) -> None:
    respuesta = _enviar(caja, "/caja/escanear", None, escaneos="CAF\nCAF\n2*PAN\n")
    assert respuesta.status_code == 200
    venta = _estado(respuesta)
    assert venta[0]
    assert _lineas(respuesta) == [("1", "2"), ("2", "2")]
    # 2 × 8.00 + 15 % + 2 × 1.50
    assert "$21,40</output>" in respuesta.text
    assert respuesta.headers["x-caja-venta"] == venta[0]
    # A reload of the sale's address shows the same draft, from the server.
    recargada = caja.get(f"/caja/venta/{venta[0]}")
    assert _lineas(recargada) == [("1", "2"), ("2", "2")]
    # "*5" sets the last line's quantity.
    cambiada = _enviar(caja, "/caja/escanear", venta, escaneos="*5")
    assert _lineas(cambiada) == [("1", "2"), ("2", "5")]
    borrador = tienda.get(f"/facturas/{venta[0]}")
    assert [ln["cantidad"] for ln in borrador["lineas"]] == ["2", "5"]


def test_otra_pestana_recibe_un_mensaje_y_no_pisa_nada(caja: TestClient) -> None:
    venta = _estado(_enviar(caja, "/caja/escanear", None, escaneos="CAF"))
    _enviar(caja, "/caja/escanear", venta, escaneos="PAN")  # the other tab
    vieja = _enviar(caja, "/caja/escanear", venta, escaneos="CAF")
    assert vieja.status_code == 422
    assert 'data-regla="BorradorSinCambiosAjenos"' in vieja.text
    assert "otra pestaña" in vieja.text
    assert _lineas(vieja) == [("1", "1"), ("2", "1")]


def test_lo_que_no_existe_se_nombra_y_lo_demas_entra(caja: TestClient) -> None:
    respuesta = _enviar(caja, "/caja/escanear", None, escaneos="CAF\nNOEXISTE\nPAN")
    assert respuesta.status_code == 422
    assert "«NOEXISTE»" in respuesta.text
    assert _lineas(respuesta) == [("1", "1"), ("2", "1")]
    solo = _enviar(caja, "/caja/escanear", None, escaneos="NADA")
    assert solo.status_code == 422
    assert _estado(solo)[0] == ""


def test_un_nombre_con_varios_productos_los_ofrece(caja: TestClient) -> None:
    respuesta = _enviar(caja, "/caja/escanear", None, escaneos="producto")
    assert respuesta.status_code == 200
    assert 'data-escanear="CAF"' in respuesta.text
    assert 'data-escanear="PAN"' in respuesta.text
    unico = _enviar(caja, "/caja/escanear", None, escaneos="producto pan")
    assert _lineas(unico) == [("1", "1")]


def test_las_reglas_se_ven_antes_de_emitir_y_al_emitir(caja: TestClient) -> None:
    respuesta = _enviar(caja, "/caja/escanear", None, escaneos="11*CAF")
    assert 'data-regla="StockSuficienteParaFactura"' in respuesta.text
    venta = _estado(respuesta)
    emision = _enviar(caja, "/caja/emitir", venta, idempotencia="emitir-sin-stock")
    assert emision.status_code == 422
    assert "StockSuficienteParaFactura" in emision.text
    assert "emitida" not in emision.text


def test_cambiar_quitar_y_descontar(caja: TestClient) -> None:
    venta = _estado(_enviar(caja, "/caja/escanear", None, escaneos="CAF\nPAN"))
    r = _enviar(caja, "/caja/linea", venta, numero="1", cantidad="3", descuento="1,50")
    assert r.status_code == 200, r.text
    assert _lineas(r) == [("1", "3"), ("2", "1")]
    # A cajero may not give more than the discount anyone may give (as in the API).
    venta = _estado(r)
    grande = _enviar(caja, "/caja/linea", venta, numero="1", cantidad="3", descuento="20")
    assert grande.status_code == 422
    r = _enviar(caja, "/caja/descuento", venta, tipo="PORCENTAJE", valor="5")
    assert r.status_code == 200, r.text
    assert "5 %" in r.text
    r = _enviar(caja, "/caja/quitar", _estado(r), numero="1")
    assert _lineas(r) == [("1", "1")]
    mal = _enviar(caja, "/caja/linea", _estado(r), numero="1", cantidad="dos")
    assert mal.status_code == 422
    assert 'data-regla="CantidadValida"' in mal.text


def test_el_cliente_se_revisa_al_escribir_y_se_registra(
    caja: TestClient, tienda: TiendaHttp
) -> None:
    revision = caja.get("/caja/identificacion", params={"identificacion": "0602910944"})
    assert 'role="alert"' in revision.text
    conocida = caja.get("/caja/identificacion", params={"identificacion": CEDULA})
    assert "María Pérez" in conocida.text
    venta = _estado(_enviar(caja, "/caja/escanear", None, escaneos="PAN"))
    mala = _enviar(caja, "/caja/cliente", venta, identificacion="12345")
    assert mala.status_code == 422
    assert "Lleva 5 dígitos" in mala.text
    nueva = "1710034065"
    sin_nombre = _enviar(caja, "/caja/cliente", venta, identificacion=nueva)
    assert 'data-regla="RazonSocialRequerida"' in sin_nombre.text
    hecha = _enviar(caja, "/caja/cliente", venta, identificacion=nueva, razon_social="Ana Torres")
    assert hecha.status_code == 200, hecha.text
    assert "Ana Torres" in hecha.text
    assert [c["razon_social"] for c in tienda.get("/clientes", identificacion=nueva)["items"]] == [
        "Ana Torres"
    ]
    final = _enviar(caja, "/caja/cliente", _estado(hecha), identificacion="")
    assert "Consumidor final" in final.text


def test_emitir_dos_veces_hace_una_factura(caja: TestClient, tienda: TiendaHttp) -> None:
    respuesta = _enviar(caja, "/caja/escanear", None, escaneos="CAF\nPAN")
    venta = _estado(respuesta)
    clave = _EMISION.search(respuesta.text)
    assert clave is not None
    assert clave.group(1)
    pago = _enviar(caja, "/caja/pago", venta, forma_pago="01", recibido="20")
    assert "Cambio $9,30" in pago.text
    venta = _estado(pago)
    primera = _enviar(caja, "/caja/emitir", venta, idempotencia=clave.group(1), recibido="20")
    segunda = _enviar(caja, "/caja/emitir", venta, idempotencia=clave.group(1), recibido="20")
    for emision in (primera, segunda):
        assert emision.status_code == 200, emision.text
        assert "Factura 001-001-000000001 emitida" in emision.text
        assert _estado(emision)[0] == ""  # the next scan starts a new sale
    emitidas = tienda.get("/facturas", estado="EMITIDA")["items"]
    assert [f["numero"] for f in emitidas] == ["001-001-000000001"]
    factura_id = emitidas[0]["id"]
    for ancho in (80, 58):
        recibo = caja.get(f"/caja/recibo/{factura_id}", params={"ancho": ancho})
        assert recibo.status_code == 200
        assert "FACTURA 001-001-000000001" in recibo.text
        assert f"/estaticos/recibo-{ancho}.css" in recibo.text
    assert caja.get(f"/caja/recibo/{factura_id}", params={"ancho": 70}).status_code == 404
    sri = caja.get(f"/caja/sri/{factura_id}", headers=HX)
    assert "Estado en el SRI" in sri.text


def test_en_espera_lista_las_ventas_sin_emitir(caja: TestClient) -> None:
    una = _estado(_enviar(caja, "/caja/escanear", None, escaneos="CAF"))
    otra = _estado(_enviar(caja, "/caja/escanear", None, escaneos="PAN"))
    lista = caja.get("/caja/en-espera", params={"actual": otra[0]}, headers=HX)
    assert f'href="/caja/venta/{una[0]}"' in lista.text
    assert f'href="/caja/venta/{otra[0]}" aria-current="true"' in lista.text
    descartada = _enviar(caja, "/caja/descartar", una)
    assert descartada.headers["hx-redirect"] == "/caja"
    assert f"/caja/venta/{una[0]}" not in caja.get("/caja/en-espera", headers=HX).text
    # Its address, opened again, starts a new sale and says why.
    vuelta = caja.get(f"/caja/venta/{una[0]}")
    assert vuelta.status_code == 200
    assert 'data-regla="VentaAbierta"' in vuelta.text
    assert caja.get("/caja/venta/no-existe").status_code == 404
    assert _estado(vuelta)[0] == ""


def test_sin_csrf_y_sin_rol(caja: TestClient) -> None:
    sin = caja.post("/caja/escanear", data={"escaneos": "CAF"}, headers=HX)
    assert sin.status_code == 403
    ingresar(caja, "bodeguero")
    assert caja.get("/caja").status_code == 403
    assert caja.post("/caja/escanear", data={"escaneos": "CAF"}).status_code == 403


def test_un_cambio_repetido_se_hace_una_vez(caja: TestClient) -> None:
    """A retry of a change of the draft (same version) finds it moved on: done once."""
    venta = _estado(_enviar(caja, "/caja/escanear", None, escaneos="CAF"))
    for _ in range(2):
        ultima = _enviar(caja, "/caja/escanear", venta, escaneos="PAN", idempotencia="una")
    assert ultima.status_code == 422
    assert _lineas(ultima) == [("1", "1"), ("2", "1")]
    # The scan that opens a sale has no version: its idempotency key stands in for it.
    nuevas = [
        _estado(_enviar(caja, "/caja/escanear", None, escaneos="PAN", idempotencia="abre"))
        for _ in range(2)
    ]
    assert nuevas[0] == nuevas[1]


def test_un_puesto_que_no_es_par_se_rechaza(caja: TestClient, tienda: TiendaHttp) -> None:
    caja.cookies.delete("prometeo_caja")
    eleccion = caja.get("/caja")
    for puesto in (f"{tienda.ids['punto']},no-existe", "", f"{tienda.ids['bodega']},x"):
        mal = caja.post("/caja/puesto", data={"csrf": csrf_de(eleccion), "puesto": puesto})
        assert mal.status_code == 422
        assert "Elija un punto de emisión con una bodega de su sucursal" in mal.text
        assert "prometeo_caja" not in mal.headers.get("set-cookie", "")


def test_la_historia_de_la_factura_cuenta_los_escaneos(caja: TestClient) -> None:
    venta = _estado(_enviar(caja, "/caja/escanear", None, escaneos="PAN\nPAN"))
    venta = _estado(_enviar(caja, "/caja/linea", venta, numero="1", cantidad="3", descuento="0,15"))
    _enviar(caja, "/caja/emitir", venta, idempotencia="emitir-historia")
    ingresar(caja, "contador")
    historia = caja.get(f"/dueno/documento/01/{venta[0]}")
    assert historia.status_code == 200
    assert "Línea cambiada" in historia.text
    assert "Línea 1: cantidad 2" in historia.text
    assert "Línea 1: cantidad 3, descuento $0,15" in historia.text
