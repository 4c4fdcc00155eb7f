"""The reports over HTTP: JSON with amounts as strings, the whole report as CSV
(`?formato=csv` or `Accept: text/csv`) and XLSX (opened again with openpyxl), pages,
every role allowed to read, and bad parameters answered with a 4xx naming the rule."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from entorno_api import HOY
from fastapi.testclient import TestClient

from apoyo_http import API, TiendaHttp, exigir, reglas
from prometeo.infrastructure.db.tokens import Rol

TIPO_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def ventas(tienda: TiendaHttp) -> TiendaHttp:
    """F1: 2 CAF (8.00, IVA 15 %) and 4 PAN (1.50, IVA 0 %) less 10 %; one CAF comes back
    with a nota; F2 (2 PAN) is annulled."""
    tienda.ingresar("cafe", "10", "3.00")
    tienda.ingresar("pan", "20", "0.50")
    f1 = tienda.facturar(("cafe", "2"), ("pan", "4"), descuento_global={"porcentaje": "10"})
    tienda.ids["f1"] = f1["id"]
    tienda.ids["nota"] = tienda.devolver(f1)["id"]
    f2 = tienda.facturar(("pan", "2"))
    tienda.post(f"/facturas/{f2['id']}/anular", {"motivo": "Error"}, status=200)
    tienda.ids["f2"] = f2["id"]
    return tienda


def test_ventas_por_tarifa_netas_de_la_nota_del_mes(ventas: TiendaHttp) -> None:
    # CAF 16.00 − 10 % = 14.40 (IVA 2.16) less the nota's 7.20 (IVA 1.08); PAN 6.00 − 10 %.
    mes = {"mes": "2026-11"}
    assert ventas.get("/reportes/ventas-por-tarifa")["items"] == [
        {**mes, "codigo_porcentaje": "0", "base": "5.40", "iva": "0.00", "total": "5.40"},
        {**mes, "codigo_porcentaje": "4", "base": "7.20", "iva": "1.08", "total": "8.28"},
    ]
    otro_mes = ventas.get("/reportes/ventas-por-tarifa", desde="2026-12-01")
    assert otro_mes["items"] == []
    sucursal = ventas.get("/reportes/ventas-por-tarifa", sucursal_id=ventas.ids["sucursal"])
    assert len(sucursal["items"]) == 2


def test_ventas_por_producto_con_costo_y_margen(ventas: TiendaHttp) -> None:
    items = ventas.get("/reportes/ventas-por-producto")["items"]
    assert items == [
        {
            "producto_id": ventas.ids["cafe"],
            "producto_codigo": "CAF",
            "producto_nombre": "Producto CAF",
            "cantidad": "1",
            "ventas": "7.20",
            "costo": "3.00",
            "margen": "4.20",
            "margen_porcentaje": "58.33",
        },
        {
            "producto_id": ventas.ids["pan"],
            "producto_codigo": "PAN",
            "producto_nombre": "Producto PAN",
            "cantidad": "4",
            "ventas": "5.40",
            "costo": "2.00",
            "margen": "3.40",
            "margen_porcentaje": "62.96",
        },
    ]
    pagina = ventas.get("/reportes/ventas-por-producto", limite=1, desplazamiento=1)["items"]
    assert [i["producto_codigo"] for i in pagina] == ["PAN"]


def test_compras_y_creditos_de_un_cliente(ventas: TiendaHttp) -> None:
    reporte = ventas.get(f"/reportes/cliente/{ventas.ids['cliente']}")
    assert reporte["cliente"]["razon_social"] == "María Pérez"
    assert [(d["tipo"], d["id"], d["estado"], d["total"]) for d in reporte["items"]] == [
        ("FACTURA", ventas.ids["f1"], "EMITIDA", "21.96"),
        ("FACTURA", ventas.ids["f2"], "ANULADA", "3.00"),
        ("NOTA_CREDITO", ventas.ids["nota"], "EMITIDA", "8.28"),
    ]
    assert reporte["totales"] == {"compras": "21.96", "creditos": "8.28", "neto": "13.68"}
    pagina = ventas.get(f"/reportes/cliente/{ventas.ids['cliente']}", limite=1)
    assert len(pagina["items"]) == 1
    assert pagina["totales"] == reporte["totales"]


def test_valoracion_del_stock_por_bodega(ventas: TiendaHttp) -> None:
    reporte = ventas.get("/reportes/valoracion-stock", fecha=HOY.isoformat())
    assert reporte["fecha"] == HOY.isoformat()
    # CAF: 10 − 2 + 1 back at 3.00; PAN: 20 − 4 − 2 + 2 (the anulación) at 0.50.
    assert [(i["producto_codigo"], i["cantidad"], i["valor"]) for i in reporte["items"]] == [
        ("CAF", "9", "27.00"),
        ("PAN", "16", "8.00"),
    ]
    assert [(b["bodega_codigo"], b["valor"]) for b in reporte["bodegas"]] == [("B1", "35.00")]
    assert reporte["total"] == "35.00"
    vacia = ventas.get("/reportes/valoracion-stock", bodega_id=ventas.ids["bodega2"])
    assert (vacia["items"], vacia["bodegas"], vacia["total"]) == ([], [], "0.00")
    antes = ventas.get("/reportes/valoracion-stock", fecha="2026-01-01")
    assert antes["total"] == "0.00"


def test_ventas_diarias(ventas: TiendaHttp) -> None:
    (dia,) = ventas.get("/reportes/ventas-diarias")["items"]
    assert dia["fecha"] == HOY.isoformat()
    assert (dia["sucursal_id"], dia["sucursal_codigo"]) == (ventas.ids["sucursal"], "001")
    assert (dia["facturas"], dia["total"], dia["total_notas"], dia["total_neto"]) == (
        1,
        "21.96",
        "8.28",
        "13.68",
    )
    assert ventas.get("/reportes/ventas-diarias", desde="2026-11-30")["items"] == []


def test_csv_por_parametro_o_por_accept(ventas: TiendaHttp) -> None:
    esperado = (
        "mes,codigo_porcentaje,base,iva,total\r\n"
        "2026-11,0,5.40,0.00,5.40\r\n"
        "2026-11,4,7.20,1.08,8.28\r\n"
    )
    por_parametro = ventas.http.get(API + "/reportes/ventas-por-tarifa?formato=csv")
    por_accept = ventas.http.get(
        API + "/reportes/ventas-por-tarifa", headers={"Accept": "text/csv"}
    )
    for respuesta in (por_parametro, por_accept):
        assert respuesta.status_code == 200, respuesta.text
        assert respuesta.headers["content-type"] == "text/csv; charset=utf-8"
        assert 'filename="ventas-por-tarifa.csv"' in respuesta.headers["content-disposition"]
        assert respuesta.text == esperado
    # A file is the whole report, whatever page was asked for.
    productos = ventas.http.get(
        API + "/reportes/ventas-por-producto", params={"formato": "csv", "limite": 1}
    )
    assert productos.text.splitlines() == [
        "producto_codigo,producto_nombre,cantidad,ventas,costo,margen,margen_porcentaje",
        "CAF,Producto CAF,1,7.20,3.00,4.20,58.33",
        "PAN,Producto PAN,4,5.40,2.00,3.40,62.96",
    ]
    cliente = ventas.http.get(API + f"/reportes/cliente/{ventas.ids['cliente']}?formato=csv")
    assert cliente.text.splitlines()[1:] == [
        "FACTURA,001-001-000000001,2026-11-29,EMITIDA,19.80,2.16,21.96",
        "FACTURA,001-001-000000002,2026-11-29,ANULADA,3.00,0.00,3.00",
        "NOTA_CREDITO,001-001-000000001,2026-11-29,EMITIDA,7.20,1.08,8.28",
    ]


def _xlsx(tienda: TiendaHttp, ruta: str, **params: Any) -> tuple[Any, bytes]:
    respuesta = tienda.http.get(API + ruta, params={"formato": "xlsx", **params})
    assert respuesta.status_code == 200, respuesta.text
    assert respuesta.headers["content-type"] == TIPO_XLSX
    libro = openpyxl.load_workbook(io.BytesIO(respuesta.content))
    return libro.active, respuesta.content


def test_xlsx_con_numeros_exactos_y_formato_de_dinero(ventas: TiendaHttp) -> None:
    hoja, contenido = _xlsx(ventas, "/reportes/ventas-por-producto")
    filas = [[c.value for c in fila] for fila in hoja.iter_rows()]
    assert filas[0] == [
        "Código", "Producto", "Cantidad", "Ventas", "Costo", "Margen", "Margen %",
    ]  # fmt: skip
    assert filas[1][:2] == ["CAF", "Producto CAF"]
    # Numbers, not text; read back by openpyxl as its own numbers.
    assert [Decimal(str(v)) for v in filas[1][2:]] == [
        Decimal(1), Decimal("7.20"), Decimal("3.00"), Decimal("4.20"), Decimal("58.33"),
    ]  # fmt: skip
    assert hoja["D2"].number_format == "0.00"
    assert hoja["D2"].data_type == "n"
    assert hoja["C2"].number_format == "General"
    # The amounts' own digits are in the file, not a float's rendering.
    with zipfile.ZipFile(io.BytesIO(contenido)) as archivo:
        xml = archivo.read("xl/worksheets/sheet1.xml").decode()
    assert "<v>7.20</v>" in xml
    assert "<v>58.33</v>" in xml

    por_accept = ventas.http.get(
        API + "/reportes/ventas-por-producto", headers={"Accept": TIPO_XLSX}
    )
    assert por_accept.headers["content-type"] == TIPO_XLSX
    assert por_accept.content[:2] == b"PK"  # a zip, as every XLSX

    diarias, _ = _xlsx(ventas, "/reportes/ventas-diarias")
    assert diarias["A2"].is_date
    assert diarias["A2"].value.date() == HOY
    assert diarias["A2"].number_format == "yyyy-mm-dd"
    valoracion, _ = _xlsx(ventas, "/reportes/valoracion-stock")
    assert valoracion.title == f"Valoración del stock al {HOY.isoformat()}"[:31]
    assert [c.value for c in valoracion[3]][2:] == ["PAN", "Producto PAN", 16, 8]


def test_todos_los_roles_leen_los_reportes(app_http: Any, token_de: dict[Rol, str]) -> None:
    for rol in Rol:
        with TestClient(app_http, headers={"Authorization": f"Bearer {token_de[rol]}"}) as http:
            for ruta in ("ventas-por-tarifa", "ventas-por-producto", "ventas-diarias"):
                exigir(http.get(f"{API}/reportes/{ruta}"), 200)
            archivo = http.get(f"{API}/reportes/valoracion-stock?formato=csv")
            assert archivo.status_code == 200, (rol, archivo.text)


@pytest.mark.parametrize(
    ("ruta", "params", "status", "regla"),
    [
        ("ventas-por-tarifa", {"desde": "2026-12-01", "hasta": "2026-11-01"}, 422, "EntradaValida"),
        ("ventas-por-producto", {"desde": "2026-13-01"}, 422, "EntradaValida"),
        ("ventas-diarias", {"hasta": "ayer"}, 422, "EntradaValida"),
        ("valoracion-stock", {"fecha": "2026-02-30"}, 422, "EntradaValida"),
        ("ventas-por-tarifa", {"formato": "pdf"}, 422, "EntradaValida"),
        ("ventas-por-producto", {"limite": 1001}, 422, "EntradaValida"),
        ("ventas-por-tarifa", {"sucursal_id": "no-existe"}, 404, None),
        ("valoracion-stock", {"bodega_id": "no-existe"}, 404, None),
        ("cliente/no-existe", {}, 404, None),
        ("cliente/no-existe", {"formato": "csv"}, 404, None),
    ],
)
def test_parametros_malos_son_un_4xx_que_nombra_la_regla(
    tienda: TiendaHttp, ruta: str, params: dict[str, Any], status: int, regla: str | None
) -> None:
    respuesta = tienda.http.get(f"{API}/reportes/{ruta}", params=params)
    assert respuesta.status_code == status, respuesta.text
    assert respuesta.headers["content-type"].startswith("application/problem+json")
    if regla is not None:
        assert reglas(respuesta) == {regla}
        assert next(iter(params)) in respuesta.json()["errores"][0]["mensaje"]
    else:
        assert "no-existe" in respuesta.json()["detail"]


def test_las_listas_largas_documentan_su_paginacion(anonimo: TestClient) -> None:
    documento = exigir(anonimo.get("/openapi.json"), 200)
    for ruta in ("ventas-por-producto", "ventas-diarias", "valoracion-stock"):
        operacion = documento["paths"][f"{API}/reportes/{ruta}"]["get"]
        limite = {p["name"]: p for p in operacion["parameters"]}["limite"]["schema"]
        assert (limite["maximum"], limite["default"]) == (1000, 100)
        assert set(operacion["responses"]["200"]["content"]) >= {
            "text/csv; charset=utf-8",
            TIPO_XLSX,
        }
