"""The dashboard's SVG charts: well-formed and escaped for any data, accessible, exact."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prometeo.entrypoints.web.formato import cantidad, dinero
from prometeo.entrypoints.web.graficos import (
    Serie,
    Tabla,
    grafico_agrupado,
    grafico_barras,
    tabla_agrupada,
    tabla_barras,
)

SVG = "{http://www.w3.org/2000/svg}"
valores = st.decimals(min_value=Decimal("-99999999.99"), max_value=Decimal("99999999.99"), places=2)
etiquetas = st.text(max_size=30)
datos = st.lists(st.tuples(etiquetas, valores), max_size=40)


def _barras(svg: str) -> list[ET.Element]:
    """The bars: the rects that carry a tooltip (the legend's squares do not)."""
    return [r for r in ET.fromstring(svg).iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]


def _linea_cero(svg: str) -> Decimal:
    raiz = ET.fromstring(svg)
    (cero,) = [x for x in raiz.iter(f"{SVG}line") if x.get("stroke") == "#333333"]
    return Decimal(cero.get("y1", ""))


@given(datos)
def test_cualquier_dato_da_un_svg_bien_formado_y_accesible(
    serie: list[tuple[str, Decimal]],
) -> None:
    svg = grafico_barras(serie, titulo="Ventas <del> día", descripcion="Netas & brutas")
    raiz = ET.fromstring(svg)  # raises on anything that is not well-formed XML
    assert raiz.tag == f"{SVG}svg"
    assert raiz.get("role") == "img"
    titulo, desc = raiz.find(f"{SVG}title"), raiz.find(f"{SVG}desc")
    assert titulo is not None
    assert desc is not None
    assert titulo.text == "Ventas <del> día"
    assert raiz.get("aria-labelledby") == f"{titulo.get('id')} {desc.get('id')}"
    barras = _barras(svg)
    assert len(barras) == len(serie)
    for barra, (etiqueta, valor) in zip(barras, serie, strict=True):
        tooltip = barra.find(f"{SVG}title")
        assert tooltip is not None
        assert tooltip.text is not None
        # What an XML parser gives back: unencodable characters as U+FFFD, line ends as \n.
        leida = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", "\ufffd", etiqueta)
        leida = leida.replace("\r\n", "\n").replace("\r", "\n")
        assert tooltip.text == f"{leida}: {dinero(valor)}"
    assert not list(raiz.iter(f"{SVG}script"))


@given(
    st.lists(etiquetas, max_size=12).flatmap(
        lambda es: st.tuples(
            st.just(es),
            st.lists(
                st.builds(
                    Serie,
                    etiquetas,
                    st.lists(valores, min_size=len(es), max_size=len(es)).map(tuple),
                ),
                min_size=2,
                max_size=4,
            ),
        )
    )
)
def test_el_agrupado_es_svg_bien_formado_para_cualquier_serie(
    datos_agrupados: tuple[list[str], list[Serie]],
) -> None:
    categorias, series = datos_agrupados
    raiz = ET.fromstring(grafico_agrupado(categorias, series, titulo="t"))
    rects = list(raiz.iter(f"{SVG}rect"))
    assert len(rects) == len(categorias) * len(series) + len(series)  # bars and the legend
    assert not list(raiz.iter(f"{SVG}script"))


@given(datos)
def test_solo_se_escriben_numeros_exactos_de_dos_decimales(
    serie: list[tuple[str, Decimal]],
) -> None:
    raiz = ET.fromstring(grafico_barras(serie, titulo="t"))
    for elemento in raiz.iter():
        for nombre in ("x", "y", "width", "height", "x1", "x2", "y1", "y2"):
            valor = elemento.get(nombre)
            if valor is not None:
                assert re.fullmatch(r"-?[0-9]+(\.[0-9]{2})?", valor), (nombre, valor)


@given(
    st.lists(
        st.decimals(min_value=Decimal("-9999999"), max_value=Decimal("9999999"), places=2),
        min_size=1,
        max_size=31,
    ).filter(lambda vs: any(vs))
)
def test_las_alturas_son_proporcionales_y_los_negativos_bajan_del_cero(
    vs: list[Decimal],
) -> None:
    svg = grafico_barras([(str(i), v) for i, v in enumerate(vs)], titulo="t")
    barras, cero = _barras(svg), _linea_cero(svg)
    alturas = [Decimal(b.get("height", "")) for b in barras]
    mayor = max(range(len(vs)), key=lambda i: abs(vs[i]))
    escala = alturas[mayor] / abs(vs[mayor])
    for barra, altura, valor in zip(barras, alturas, vs, strict=True):
        # Each end is rounded to 0.01 px: at most that much off, each way.
        assert abs(altura - abs(valor) * escala) <= Decimal("0.011")
        y = Decimal(barra.get("y", ""))
        if valor < 0:
            assert y == cero
        elif valor > 0:
            assert abs(y + altura - cero) <= Decimal("0.011")


def test_una_etiqueta_no_inyecta_marcado() -> None:
    svg = grafico_barras(
        [('<script>alert("x")</script>', Decimal(5)), ("Café & \x00pan\ud800", Decimal(1))],
        titulo="</title><script>",
    )
    assert "<script" not in svg
    assert "&lt;script&gt;" in svg
    tooltips = [b.find(f"{SVG}title") for b in _barras(svg)]
    assert [t.text for t in tooltips if t is not None] == [
        '<script>alert("x")</script>: $5,00',
        "Café & \ufffdpan\ufffd: $1,00",
    ]


def test_sin_datos_o_todo_en_cero_no_falla() -> None:
    vacio = grafico_barras([], titulo="Hoy", descripcion="Ventas de hoy.")
    desc = ET.fromstring(vacio).find(f"{SVG}desc")
    assert desc is not None
    assert desc.text == "Ventas de hoy. Sin datos para mostrar."
    assert _barras(vacio) == []
    assert [t.text for t in ET.fromstring(vacio).iter(f"{SVG}text")] == ["Sin datos"]
    ceros = grafico_barras([("a", Decimal(0)), ("b", Decimal("0.00"))], titulo="Hoy")
    assert [b.get("height") for b in _barras(ceros)] == ["0.00", "0.00"]
    marcas = [
        t.text for t in ET.fromstring(ceros).iter(f"{SVG}text") if t.get("text-anchor") == "end"
    ]
    assert marcas == ["$0,00", "$1,00"]


def test_la_descripcion_resume_el_menor_y_el_mayor() -> None:
    svg = grafico_barras(
        [("01/12", Decimal("1234.5")), ("02/12", Decimal("-20")), ("03/12", Decimal(7))],
        titulo="t",
    )
    desc = ET.fromstring(svg).find(f"{SVG}desc")
    assert desc is not None
    assert desc.text == "3 valores, de $-20,00 (02/12) a $1.234,50 (01/12)."


def test_la_salida_es_determinista_y_los_ids_unicos_por_grafico() -> None:
    serie = [("a", Decimal("1.5")), ("b", Decimal(3))]
    assert grafico_barras(serie, titulo="t") == grafico_barras(serie, titulo="t")
    uno = ET.fromstring(grafico_barras(serie, titulo="Día")).get("aria-labelledby")
    otro = ET.fromstring(grafico_barras(serie, titulo="Mes")).get("aria-labelledby")
    assert uno != otro
    propio = grafico_barras(serie, titulo="t", identificador='ventas "dia"')
    assert 'id="ventas--dia--titulo"' in propio


def _rotulos(svg: str) -> list[str | None]:
    """The category axis's labels (written under the plot, centred)."""
    raiz = ET.fromstring(svg)
    return [t.text for t in raiz.iter(f"{SVG}text") if t.get("text-anchor") == "middle"]


def test_las_etiquetas_se_acortan_o_se_espacian_para_no_encimarse() -> None:
    mes = [(f"{d:02d}/12", Decimal(d)) for d in range(1, 32)]
    rotulos = _rotulos(grafico_barras(mes, titulo="Diciembre"))
    assert rotulos == [f"{d:02d}/12" for d in range(1, 32, 3)]  # 5 characters need 3 bars
    assert _rotulos(grafico_barras(mes[:7], titulo="Semana")) == [e for e, _ in mes[:7]]
    productos = [
        ("Arroz Flor 2 kg", Decimal(1)),
        ("Aceite de girasol 1 litro", Decimal(2)),
        ("Sal", Decimal(3)),
    ]
    assert _rotulos(grafico_barras(productos, titulo="Productos")) == [
        "Arroz Flor 2 kg",
        "Aceite de giras…",  # the whole name is in the tooltip and the table
        "Sal",
    ]
    # 24 bars of 22 px: six characters (50 px) need three bars each.
    apretados = _rotulos(grafico_barras(productos * 8, titulo="Productos"))
    assert apretados == ["Arroz…"] * 8


def test_un_lienzo_demasiado_chico_se_rechaza() -> None:
    with pytest.raises(ValueError, match="al menos 240"):
        grafico_barras([("a", Decimal(1))], titulo="t", ancho=100)


def test_agrupado_una_barra_por_serie_y_una_leyenda() -> None:
    svg = grafico_agrupado(
        ["Matriz", "Norte"],
        [
            Serie("IVA 15 %", (Decimal(100), Decimal(-5))),
            Serie("IVA 0 %", (Decimal(40), Decimal(0))),
        ],
        titulo="Mes",
        formato=cantidad,
    )
    tooltips = [b.find(f"{SVG}title") for b in _barras(svg)]
    assert [t.text for t in tooltips if t is not None] == [
        "Matriz · IVA 15 %: 100",
        "Matriz · IVA 0 %: 40",
        "Norte · IVA 15 %: -5",
        "Norte · IVA 0 %: 0",
    ]
    textos = [t.text for t in ET.fromstring(svg).iter(f"{SVG}text")]
    assert "IVA 15 %" in textos
    assert "IVA 0 %" in textos


def test_datos_inexactos_o_incompletos_se_rechazan() -> None:
    with pytest.raises(TypeError):
        grafico_barras([("a", 1.5)], titulo="t")  # type: ignore[list-item]
    with pytest.raises(ValueError, match="un valor por etiqueta"):
        grafico_agrupado(["a", "b"], [Serie("s", (Decimal(1),))], titulo="t")
    with pytest.raises(ValueError, match="un valor por etiqueta"):
        tabla_agrupada(["a"], [Serie("s", (Decimal(1), Decimal(2)))], titulo="t", encabezado="e")


def test_la_tabla_lleva_los_mismos_datos_formateados() -> None:
    assert tabla_barras(
        [("01/12", Decimal("1234.5")), ("<b>", Decimal(-2))],
        titulo="Ventas por día",
        encabezado="Día",
        encabezado_valor="Ventas",
    ) == Tabla(
        "Ventas por día",
        ("Día", "Ventas"),
        (("01/12", "$1.234,50"), ("<b>", "$-2,00")),  # the template escapes it
    )
    assert tabla_agrupada(
        ["Matriz"],
        [Serie("IVA 15 %", (Decimal(3),)), Serie("IVA 0 %", (Decimal("0.5"),))],
        titulo="Mes",
        encabezado="Sucursal",
    ).filas == (("Matriz", "$3,00", "$0,50"),)
