"""The owner's screen in process: the figures it shows are the reports' (the JSON API's
for the same period), the documents by SRI state are the API's, and only contador and
admin open it."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from test_web_ingreso import CLAVE, ingresar

from apoyo_http import TiendaHttp
from prometeo.application.acceso import Rol
from prometeo.bootstrap import Aplicacion
from prometeo.entrypoints.web.formato import dinero
from prometeo.infrastructure.db.usuarios import AlmacenUsuarios

_FILA = re.compile(
    r'<tr><th scope="row">(?:<a href="[^"]*">)?([^<]+)(?:</a>)?</th>'
    r"((?:<td[^>]*>(?:<a [^>]*>)?[^<]*(?:</a>)?</td>)+)</tr>"
)
_RIDE = re.compile(r'<a href="(/dueno/ride/[^"]+)">')
_CELDA = re.compile(r"<td[^>]*>([^<]*)</td>")


@pytest.fixture
def ventas(tienda: TiendaHttp) -> TiendaHttp:
    """Two facturas today (CAF at 15 %, PAN at 0 %), one CAF back with a nota."""
    tienda.ingresar("cafe", "10", "3.00")
    tienda.ingresar("pan", "20", "0.50")
    f1 = tienda.facturar(("cafe", "2"), ("pan", "4"))
    tienda.facturar(("pan", "2"))
    tienda.devolver(f1)
    return tienda


@pytest.fixture
def web(aplicacion: Aplicacion, app_http: FastAPI) -> Iterator[TestClient]:
    almacen = AlmacenUsuarios(aplicacion.engine)
    for rol in Rol:
        almacen.crear(rol.value, rol, CLAVE)
    with TestClient(app_http, follow_redirects=False) as cliente:
        yield cliente


def _tabla(html: str, caption: str) -> dict[str, list[str]]:
    """The rows (row header → cells) of the table captioned `caption`."""
    inicio = html.index(f"<caption>{caption}</caption>")
    cuerpo = html[inicio : html.index("</table>", inicio)]
    return {m[1]: _CELDA.findall(m[2]) for m in _FILA.finditer(cuerpo)}


def test_las_cifras_son_las_de_los_reportes(ventas: TiendaHttp, web: TestClient) -> None:
    ingresar(web, "contador")
    pagina = web.get("/dueno")
    assert pagina.status_code == 200
    html = pagina.text
    diarias = ventas.get("/reportes/ventas-diarias", desde="2026-11-01", hasta="2026-11-30")
    (dia,) = diarias["items"]
    neto = dinero(Decimal(dia["total"]) - Decimal(dia["total_notas"]))
    fila = [
        str(dia["facturas"]),
        dinero(Decimal(dia["total"])),
        dinero(Decimal(dia["total_notas"])),
        neto,
    ]
    assert _tabla(html, "Ventas de hoy, 29/11/2026, por sucursal")["Sucursal 001"] == fila
    mes = _tabla(html, "Ventas de noviembre de 2026 por sucursal")
    assert mes["Sucursal 001"] == fila
    assert mes["Total"] == fila
    tarifas = ventas.get("/reportes/ventas-por-tarifa", desde="2026-11-01", hasta="2026-11-30")
    esperadas = {
        f"IVA {'15' if t['codigo_porcentaje'] == '4' else '0'} %": [
            dinero(Decimal(t[k])) for k in ("base", "iva", "total")
        ]
        for t in tarifas["items"]
    }
    mostradas = _tabla(html, "Ventas de noviembre de 2026 por tarifa de IVA")
    assert mostradas.pop("Total") == [
        dinero(sum(Decimal(t[k]) for t in tarifas["items"])) for k in ("base", "iva", "total")
    ]
    assert mostradas == esperadas
    # Each table has its chart: role=img with a title.
    for titulo in (
        "Ventas de hoy, 29/11/2026, por sucursal",
        "Ventas de noviembre de 2026 por tarifa de IVA",
    ):
        assert f'-titulo">{titulo}</title>' in html
    assert html.count('role="img"') == 3


def test_los_comprobantes_por_estado_son_los_del_api(ventas: TiendaHttp, web: TestClient) -> None:
    ingresar(web, "admin")
    html = web.get("/dueno", params={"mes": "2026-11"}).text
    todos = ventas.get("/comprobantes", limite=500)["items"]
    por_estado = Counter(c["sri"]["estado"] for c in todos)
    estados = _tabla(html, "Comprobantes emitidos en noviembre de 2026 por estado en el SRI")
    assert {e: int(c[0]) for e, c in estados.items() if int(c[0])} == dict(por_estado)
    assert len(estados) == 7
    pendientes = _tabla(html, "Comprobantes que el SRI no ha autorizado (de cualquier fecha)")
    tipos = {"01": "Factura", "04": "Nota de crédito"}
    assert set(pendientes) == {
        f"{tipos[c['tipo']]} {c['numero']}" for c in todos if c["sri"]["estado"] != "AUTORIZADO"
    }
    assert len(pendientes) == 3  # two facturas and the nota share a series' first number
    # Each opens its RIDE under the session; a cajero may not, nor does a made-up type.
    enlaces = _RIDE.findall(html)
    assert len(enlaces) == 3
    for enlace in enlaces:
        pdf = web.get(enlace)
        assert pdf.status_code == 200, pdf.text
        assert pdf.headers["content-type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF")
    assert web.get("/dueno/ride/07/x").status_code == 404
    ingresar(web, "cajero")
    assert web.get(enlaces[0]).status_code == 403
    ingresar(web, "admin")
    # Another month: no sales, every count zero, yet the pending list stays (any date).
    otro = web.get("/dueno", params={"mes": "2026-10"}).text
    assert "Sin ventas en este período." in otro
    assert set(
        _tabla(otro, "Comprobantes que el SRI no ha autorizado (de cualquier fecha)")
    ) == set(pendientes)


def test_con_htmx_solo_el_panel(ventas: TiendaHttp, web: TestClient) -> None:
    ingresar(web, "contador")
    parcial = web.get("/dueno", params={"mes": "2026-11"}, headers={"HX-Request": "true"})
    assert parcial.text.lstrip().startswith('<div id="panel"')
    assert "<html" not in parcial.text


@pytest.mark.parametrize("usuario", ["cajero", "bodeguero"])
def test_otros_roles_no_entran(web: TestClient, usuario: str) -> None:
    ingresar(web, usuario)
    respuesta = web.get("/dueno")
    assert respuesta.status_code == 403
    assert "Su rol no puede abrir Dueño" in respuesta.text


def test_sin_sesion_va_a_ingresar(web: TestClient) -> None:
    assert web.get("/dueno").headers["location"] == "/ingresar?siguiente=%2Fdueno"
