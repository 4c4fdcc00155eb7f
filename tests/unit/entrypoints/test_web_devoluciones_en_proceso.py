"""The returns screens in process: finding a factura (number, secuencial, customer, date),
what remains to credit per line, a nota emitted with the API's command, refusals with the
domain's messages and nothing written, one nota for a double submit, CSRF, role limits."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from test_web_ingreso import CLAVE, csrf_de, ingresar

from apoyo_http import CEDULA, TiendaHttp
from prometeo.application.acceso import Rol
from prometeo.bootstrap import Aplicacion
from prometeo.entrypoints.web.devoluciones_busqueda import leer_numero_factura
from prometeo.entrypoints.web.formato import dinero
from prometeo.infrastructure.db.usuarios import AlmacenUsuarios

_CLAVE_ENVIO = re.compile(r'name="idempotencia" value="([^"]+)"')
_FILA = re.compile(r'<tr[^>]*>\s*<th scope="row"[^>]*>(.*?)</th>(.*?)</tr>', re.S)
_CELDA = re.compile(r"<td[^>]*>(.*?)</td>", re.S)
_ETIQUETA = re.compile(r"<[^>]+>")


@pytest.fixture
def web(aplicacion: Aplicacion, app_http: FastAPI) -> Iterator[TestClient]:
    almacen = AlmacenUsuarios(aplicacion.engine)
    for rol in Rol:
        almacen.crear(rol.value, rol, CLAVE)
    with TestClient(app_http, follow_redirects=False) as cliente:
        yield cliente


@pytest.fixture
def facturas(tienda: TiendaHttp) -> list[dict[str, Any]]:
    """Two facturas to María Pérez on 29/11/2026: 3 CAF + 4 PAN, then 2 PAN."""
    tienda.ingresar("cafe", "10", "3.00")
    tienda.ingresar("pan", "20", "0.50")
    return [tienda.facturar(("cafe", "3"), ("pan", "4")), tienda.facturar(("pan", "2"))]


def _texto(html: str) -> str:
    return " ".join(_ETIQUETA.sub(" ", html).split())


def _tabla(html: str, id_: str) -> dict[str, list[str]]:
    """The rows (row header's text → cells' text) of the table with id `id_`."""
    inicio = html.index(f'id="{id_}"')
    cuerpo = html[inicio : html.index("</table>", inicio)]
    return {_texto(m[1]): [_texto(c) for c in _CELDA.findall(m[2])] for m in _FILA.finditer(cuerpo)}


def _numeros(pagina: Response) -> list[str]:
    assert pagina.status_code == 200, pagina.text
    if 'id="resultados"' not in pagina.text:
        return []
    return list(_tabla(pagina.text, "resultados"))


def test_lee_el_numero_entero_o_el_secuencial() -> None:
    assert leer_numero_factura("001-001-000000123") == "001-001-000000123"
    assert leer_numero_factura(" 1-1-123 ") == "001-001-000000123"
    assert leer_numero_factura("001001000000123") == "001-001-000000123"
    assert leer_numero_factura("123") == "000000123"


def test_busca_por_numero_cliente_y_fecha(
    facturas: list[dict[str, Any]], tienda: TiendaHttp, web: TestClient
) -> None:
    ingresar(web, "cajero")
    primera, segunda = (f["numero"] for f in facturas)
    tienda.facturar(("pan", "1"), borrador=True)  # a parked sale is no factura to credit
    # Without criteria: the most recent first.
    assert _numeros(web.get("/devoluciones")) == [segunda, primera]
    assert _numeros(web.get("/devoluciones", params={"numero": primera})) == [primera]
    secuencial = str(int(segunda.rsplit("-", 1)[1]))
    assert _numeros(web.get("/devoluciones", params={"numero": secuencial})) == [segunda]
    assert _numeros(web.get("/devoluciones", params={"cliente": CEDULA})) == [segunda, primera]
    assert _numeros(web.get("/devoluciones", params={"cliente": "pérez"})) == [segunda, primera]
    assert _numeros(web.get("/devoluciones", params={"cliente": "Nadie"})) == []
    assert _numeros(web.get("/devoluciones", params={"fecha": "29/11/2026"})) == [segunda, primera]
    periodo = {"fecha": "01/11/2026 - 28/11/2026"}
    assert _numeros(web.get("/devoluciones", params=periodo)) == []
    # The table shows the factura as the API has it.
    fila = _tabla(web.get("/devoluciones").text, "resultados")[primera]
    assert fila[0] == "29/11/2026"
    assert fila[1] == f"María Pérez {CEDULA}"
    assert fila[2].startswith("$")
    assert "," in fila[2]
    assert fila[3:] == ["Emitida", tienda.get(f"/facturas/{facturas[0]['id']}")["sri"]["estado"]]
    # A date that cannot be read is told beside its field; nothing is searched.
    mala = web.get("/devoluciones", params={"fecha": "31/02/2026"})
    assert mala.status_code == 422
    assert 'role="alert" id="aviso-fecha">La fecha «31/02/2026» no existe' in mala.text
    assert 'id="resultados"' not in mala.text


def _formulario(web: TestClient, factura_id: str) -> dict[str, str]:
    pagina = web.get(f"/devoluciones/factura/{factura_id}")
    assert pagina.status_code == 200, pagina.text
    encontrada = _CLAVE_ENVIO.search(pagina.text)
    assert encontrada is not None
    return {"csrf": csrf_de(pagina), "idempotencia": encontrada.group(1)}


def _devolver(web: TestClient, factura_id: str, ocultos: dict[str, str], **campos: str) -> Response:
    datos = {"motivo": "Producto defectuoso", "devolucion": "si", **ocultos, **campos}
    return web.post(f"/devoluciones/factura/{factura_id}", data=datos)


def test_una_nota_devuelve_parte_y_muestra_lo_que_queda(
    facturas: list[dict[str, Any]], tienda: TiendaHttp, web: TestClient
) -> None:
    factura = facturas[0]
    tienda.devolver(factura, "1")  # an earlier nota over the API
    ingresar(web, "cajero")
    html = web.get(f"/devoluciones/factura/{factura['id']}").text
    lineas = _tabla(html, "lineas")
    assert lineas["CAF Producto CAF"][:3] == ["3", "1", "2"]
    assert lineas["PAN Producto PAN"][:3] == ["4", "0", "4"]
    assert 'inputmode="decimal"' in html
    stock = Decimal(tienda.stock("cafe")["cantidad"])

    respuesta = _devolver(
        web, factura["id"], _formulario(web, factura["id"]), **{"cantidad-1": "1,0"}
    )
    assert respuesta.status_code == 303, respuesta.text
    destino = respuesta.headers["location"]
    assert destino.startswith("/devoluciones/nota/")
    notas = tienda.get("/notas-credito", factura_id=factura["id"])["items"]
    assert len(notas) == 2
    nota = notas[-1]
    assert destino == f"/devoluciones/nota/{nota['id']}"
    assert [(ln["producto_id"], ln["cantidad"]) for ln in nota["lineas"]] == [
        (tienda.ids["cafe"], "1")
    ]
    assert nota["devolucion_inventario"] is True
    assert Decimal(tienda.stock("cafe")["cantidad"]) == stock + 1

    pagina = web.get(destino)
    assert pagina.status_code == 200
    estado = pagina.text[pagina.text.index('role="status"') :]
    assert nota["numero"] in estado[: estado.index("</div>")]
    assert nota["sri"]["estado"] in estado
    pdf = web.get(f"/devoluciones/ride/nota/{nota['id']}")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")

    lineas = _tabla(web.get(f"/devoluciones/factura/{factura['id']}").text, "lineas")
    assert lineas["CAF Producto CAF"][:3] == ["3", "2", "1"]
    resumen = _tabla(web.get(f"/devoluciones/factura/{factura['id']}").text, "resumen")
    total = Decimal(factura["totales"]["importe_total"])
    acreditado = sum(Decimal(n["totales"]["valor_modificacion"]) for n in notas)
    assert resumen["Total"][1:] == [dinero(acreditado), dinero(total - acreditado)]


def _sin_cambios(tienda: TiendaHttp, factura: dict[str, Any], respuesta: Response) -> str:
    assert respuesta.status_code == 422, respuesta.text
    assert tienda.get("/notas-credito", factura_id=factura["id"])["items"] == []
    return respuesta.text


def test_rechazos_con_el_mensaje_del_dominio_y_nada_cambiado(
    facturas: list[dict[str, Any]], tienda: TiendaHttp, web: TestClient
) -> None:
    factura = facturas[0]
    ingresar(web, "admin")
    ocultos = _formulario(web, factura["id"])
    html = _sin_cambios(
        tienda, factura, _devolver(web, factura["id"], ocultos, **{"cantidad-1": "4"})
    )
    assert "se piden acreditar 1 unidades más de lo que queda por acreditar" in html
    assert 'role="alert" id="rechazos"' in html
    # The typed values are kept.
    assert 'value="4"' in html
    html = _sin_cambios(tienda, factura, _devolver(web, factura["id"], ocultos))
    assert "La nota de crédito debe tener al menos una línea" in html
    html = _sin_cambios(
        tienda, factura, _devolver(web, factura["id"], ocultos, motivo=" ", **{"cantidad-1": "1"})
    )
    assert 'id="aviso-motivo"' in html
    assert "El motivo" in html
    html = _sin_cambios(
        tienda, factura, _devolver(web, factura["id"], ocultos, **{"valor-1": "2.50"})
    )
    assert 'id="aviso-devolucion">Una línea por valor no devuelve mercadería' in html
    html = _sin_cambios(
        tienda, factura, _devolver(web, factura["id"], ocultos, **{"cantidad-2": "dos"})
    )
    assert 'id="aviso-cantidad-2">La cantidad «dos» no es un número' in html
    # An annulled factura says so, and the domain refuses it.
    anulada = facturas[1]
    tienda.post(f"/facturas/{anulada['id']}/anular", {"motivo": "Error"}, status=200)
    pagina = web.get(f"/devoluciones/factura/{anulada['id']}").text
    assert "Esta factura está anulada" in pagina
    html = _sin_cambios(
        tienda,
        anulada,
        _devolver(web, anulada["id"], _formulario(web, anulada["id"]), **{"cantidad-1": "1"}),
    )
    assert "está ANULADA; debe estar EMITIDA" in html
    assert web.get("/devoluciones/factura/no-existe").status_code == 404


def test_un_valor_sin_devolucion_rebaja_sin_tocar_el_stock(
    facturas: list[dict[str, Any]], tienda: TiendaHttp, web: TestClient
) -> None:
    factura = facturas[0]
    ingresar(web, "cajero")
    stock = tienda.stock("cafe")["cantidad"]
    respuesta = _devolver(
        web, factura["id"], _formulario(web, factura["id"]), devolucion="no", **{"valor-1": "2,50"}
    )
    assert respuesta.status_code == 303, respuesta.text
    (nota,) = tienda.get("/notas-credito", factura_id=factura["id"])["items"]
    assert nota["devolucion_inventario"] is False
    assert nota["totales"]["subtotal_sin_impuestos"] == "2.50"
    assert tienda.stock("cafe")["cantidad"] == stock


def test_un_doble_envio_hace_una_nota(
    facturas: list[dict[str, Any]], tienda: TiendaHttp, web: TestClient
) -> None:
    factura = facturas[0]
    ingresar(web, "cajero")
    ocultos = _formulario(web, factura["id"])
    primera = _devolver(web, factura["id"], ocultos, **{"cantidad-1": "1"})
    segunda = _devolver(web, factura["id"], ocultos, **{"cantidad-1": "1"})
    assert primera.status_code == segunda.status_code == 303
    assert primera.headers["location"] == segunda.headers["location"]
    assert len(tienda.get("/notas-credito", factura_id=factura["id"])["items"]) == 1
    # The same key with other fields is another form: refused, nothing written.
    otra = _devolver(web, factura["id"], ocultos, **{"cantidad-1": "2"})
    assert otra.status_code == 422
    assert len(tienda.get("/notas-credito", factura_id=factura["id"])["items"]) == 1


def test_sin_csrf_no_se_emite(
    facturas: list[dict[str, Any]], tienda: TiendaHttp, web: TestClient
) -> None:
    factura = facturas[0]
    ingresar(web, "cajero")
    ocultos = _formulario(web, factura["id"])
    for csrf in ("", "otro"):
        respuesta = _devolver(web, factura["id"], {**ocultos, "csrf": csrf}, **{"cantidad-1": "1"})
        assert respuesta.status_code == 403
        assert "Formulario no válido" in respuesta.text
    assert tienda.get("/notas-credito", factura_id=factura["id"])["items"] == []


def test_solo_cajero_y_admin(facturas: list[dict[str, Any]], web: TestClient) -> None:
    factura = facturas[0]
    rutas = ("/devoluciones", f"/devoluciones/factura/{factura['id']}")
    assert web.get(rutas[0]).headers["location"] == "/ingresar?siguiente=%2Fdevoluciones"
    for usuario in ("bodeguero", "contador"):
        ingresar(web, usuario)
        for ruta in rutas:
            assert web.get(ruta).status_code == 403
        respuesta = web.post(rutas[1], data={"cantidad-1": "1", "motivo": "x"})
        assert respuesta.status_code == 403
        assert web.get(f"/devoluciones/ride/factura/{factura['id']}").status_code == 403
    for usuario in ("cajero", "admin"):
        ingresar(web, usuario)
        for ruta in rutas:
            assert web.get(ruta).status_code == 200
        html = web.get(rutas[0]).text
        assert 'href="/devoluciones" aria-current="page"' in html


def test_revisar_muestra_los_totales_del_dominio_sin_escribir(
    facturas: list[dict[str, Any]], tienda: TiendaHttp, web: TestClient
) -> None:
    factura = facturas[0]
    ingresar(web, "cajero")
    ocultos = _formulario(web, factura["id"])
    ruta = f"/devoluciones/factura/{factura['id']}/revisar"
    datos = {**ocultos, "motivo": "", "devolucion": "si", "cantidad-1": "1"}
    htmx = {"HX-Request": "true"}
    parcial = web.post(ruta, data=datos, headers=htmx)
    assert parcial.status_code == 200
    assert parcial.text.lstrip().startswith('<section id="prevista"')
    assert "<html" not in parcial.text
    total = _tabla(parcial.text, "tabla-prevista")
    assert total["CAF Producto CAF"] == ["1", "$8,00", "$1,20"]
    assert total["Total"] == ["", "", "$9,20"]
    # A refusal is told in the preview (200, so that htmx swaps it in).
    demasiado = web.post(ruta, data={**datos, "cantidad-1": "9"}, headers=htmx)
    assert demasiado.status_code == 200
    assert "más de lo que queda por acreditar" in demasiado.text
    ilegible = web.post(ruta, data={**datos, "cantidad-1": "1,2,3"}, headers=htmx)
    assert "es ambiguo" in ilegible.text
    # Without htmx, the whole form again, with the preview.
    completa = web.post(ruta, data={**datos, "cantidad-1": "9"})
    assert completa.status_code == 422
    assert 'id="prevista"' in completa.text
    assert 'value="9"' in completa.text
    assert web.post(ruta, data={**datos, "csrf": "otro"}, headers=htmx).status_code == 403
    assert tienda.get("/notas-credito", factura_id=factura["id"])["items"] == []
    # Nothing moved: the form's key still makes the nota, the one foreseen.
    emitida = _devolver(web, factura["id"], ocultos, **{"cantidad-1": "1"})
    assert emitida.status_code == 303
    (nota,) = tienda.get("/notas-credito", factura_id=factura["id"])["items"]
    assert nota["totales"]["valor_modificacion"] == "9.20"
