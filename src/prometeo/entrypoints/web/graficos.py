"""Server-side SVG bar charts for the owner's dashboard, and the same data as a table.

A chart is a string of SVG markup, already escaped (a template shows it as it is, marked
safe); the page puts `tabla_*`'s table beside it, which is where a screen reader and a
person who wants the exact figure read the values.

Invariants:
- No float anywhere: scales and pixel coordinates are Decimal arithmetic, each coordinate
  rounded half up to 0.01 px when written, so the same data gives the same bytes.
- Every text that came from data (labels, series, titles) is XML-escaped, and characters
  XML 1.0 cannot hold become U+FFFD: any label gives well-formed SVG.
- Bars start at zero: a negative value (a day with more credit notes than sales) goes
  below the zero line, with a height proportional to its absolute value like any other.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import TypedDict, Unpack
from xml.sax.saxutils import escape

from prometeo.entrypoints.web.formato import dinero, exacto

Formato = Callable[[Decimal], str]

# Okabe-Ito: told apart by people with every common colour-vision deficiency.
COLORES = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
_ANCHO_LETRA = Decimal(7)  # average width of a 12 px sans-serif glyph, for the layout
_MAXIMO_ETIQUETA = 16  # longer labels are cut on the axis (whole in tooltip and table)
_MINIMO_ETIQUETA = 6  # labels are cut to fit under their bars, never below this
_PASO_MINIMO = Decimal("0.01")  # no axis step below a cent: its labels would repeat
_NO_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NO_ID = re.compile(r"[^A-Za-z0-9_-]")


@dataclass(frozen=True, slots=True)
class Serie:
    """One series of a grouped chart: its name (the legend) and a value per category."""

    nombre: str
    valores: tuple[Decimal, ...]


class Opciones(TypedDict, total=False):
    """The optional keywords of a chart (see `grafico_agrupado`)."""

    descripcion: str
    formato: Formato
    ancho: int
    alto: int
    identificador: str | None


@dataclass(frozen=True, slots=True)
class Tabla:
    """A chart's data as text to show beside it: a caption, the column headings and the
    rows, values already formatted es-EC (every column after the first is a number)."""

    titulo: str
    encabezados: tuple[str, ...]
    filas: tuple[tuple[str, ...], ...]


def _texto(valor: str) -> str:
    """`valor` safe as XML text or as a double-quoted attribute."""
    return escape(_NO_XML.sub("\ufffd", valor), {'"': "&quot;"})


def _px(valor: Decimal) -> str:
    return f"{valor.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):f}"


def _paso(bruto: Decimal) -> Decimal:
    """The smallest 1, 2 or 5 × 10ⁿ at least `bruto` (and at least a cent); 1 when every
    value is zero (an axis from 0 to 1 rather than to a cent)."""
    if bruto == 0:
        return Decimal(1)
    if bruto <= _PASO_MINIMO:
        return _PASO_MINIMO
    base = Decimal(1).scaleb(bruto.adjusted())
    return next(base * m for m in (1, 2, 5, 10) if base * m >= bruto)


def _eje(valores: Sequence[Decimal]) -> tuple[Decimal, Decimal, Decimal]:
    """(bottom, top, step) of the value axis: zero always inside, ends on step multiples,
    about five steps from end to end."""
    piso, techo = min((*valores, Decimal(0))), max((*valores, Decimal(0)))
    paso = _paso((techo - piso) / 5)
    abajo = (piso / paso).to_integral_value(ROUND_FLOOR) * paso
    arriba = (techo / paso).to_integral_value(ROUND_CEILING) * paso
    return abajo, (arriba if arriba > abajo else abajo + paso), paso


def _rotulos(etiquetas: Sequence[str], franja: Decimal) -> tuple[int, int]:
    """(characters kept, one label shown every `cada`) for the category axis: labels are
    cut to fit under their bars, down to _MINIMO_ETIQUETA characters; when even that
    would overlap, only every `cada`-th label is written (from the first)."""
    largo = max(len(e) for e in etiquetas)
    cabe = int((franja - 8) / _ANCHO_LETRA)
    corte = max(min(largo, cabe, _MAXIMO_ETIQUETA), min(largo, _MINIMO_ETIQUETA))
    cada = int(((_ANCHO_LETRA * corte + 8) / franja).to_integral_value(ROUND_CEILING))
    return corte, max(cada, 1)


def _valores(etiquetas: Sequence[str], series: Sequence[Serie]) -> list[Decimal]:
    """Every value, exact (a float is a TypeError), each series one per category."""
    for serie in series:
        if len(serie.valores) != len(etiquetas):
            raise ValueError(f"La serie {serie.nombre!r} no tiene un valor por etiqueta")
    return [exacto(v) for s in series for v in s.valores]


def _resumen(etiquetas: Sequence[str], series: Sequence[Serie], formato: Formato) -> str:
    """A sentence for <desc>: how many values, the lowest and the highest."""
    pares = [(v, e) for s in series for e, v in zip(etiquetas, s.valores, strict=True)]
    if not pares:
        return "Sin datos para mostrar."
    menor = min(pares, key=lambda p: p[0])
    mayor = max(pares, key=lambda p: p[0])
    return (
        f"{len(pares)} valores, de {formato(menor[0])} ({menor[1]}) "
        f"a {formato(mayor[0])} ({mayor[1]})."
    )


def grafico_agrupado(
    etiquetas: Sequence[str],
    series: Sequence[Serie],
    *,
    titulo: str,
    descripcion: str = "",
    formato: Formato = dinero,
    ancho: int = 640,
    alto: int = 320,
    identificador: str | None = None,
) -> str:
    """Bars per category (`etiquetas`), one per series side by side, as an accessible SVG
    (role="img", <title>, <desc> with `descripcion` and a summary, a <title> tooltip on
    each bar with its value written by `formato`). `identificador` makes the ids unique
    on a page; by default it is derived from the content, so it is deterministic."""
    valores = _valores(etiquetas, series)
    if ancho < 240 or alto < 160:
        raise ValueError(f"Un gráfico necesita al menos 240 × 160 px, no {ancho} × {alto}")
    base = (
        identificador
        or "grafico-"
        + hashlib.sha256(repr((titulo, tuple(etiquetas), tuple(series))).encode()).hexdigest()[:10]
    )
    ident = _NO_ID.sub("-", base)
    abajo, arriba, paso = _eje(valores)
    marcas = [abajo + paso * i for i in range(int((arriba - abajo) / paso) + 1)]
    varias = len(series) > 1
    izquierda = 12 + _ANCHO_LETRA * max(len(formato(m)) for m in marcas)
    x0, x1 = izquierda, Decimal(ancho - 16)
    y0, y1 = Decimal(16), Decimal(alto - (60 if varias else 36))

    def y(valor: Decimal) -> Decimal:
        return y0 + (arriba - valor) * (y1 - y0) / (arriba - abajo)

    partes = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{ancho}" '
        f'height="{alto}" viewBox="0 0 {ancho} {alto}" '
        f'aria-labelledby="{ident}-titulo {ident}-desc" '
        'font-family="sans-serif" font-size="12">',
        f'<title id="{ident}-titulo">{_texto(titulo)}</title>',
        f'<desc id="{ident}-desc">'
        f"{_texto((descripcion + ' ' + _resumen(etiquetas, series, formato)).strip())}</desc>",
    ]
    if not valores:  # nothing to scale: say so where the bars would be
        partes.append(
            f'<text x="{_px((x0 + x1) / 2)}" y="{_px((y0 + y1) / 2)}" text-anchor="middle">'
            "Sin datos</text>"
        )
        marcas = []
    for marca in marcas:  # the grid and the value axis's labels
        partes.append(
            f'<line x1="{_px(x0)}" y1="{_px(y(marca))}" x2="{_px(x1)}" y2="{_px(y(marca))}" '
            f'stroke="{"#333333" if marca == 0 else "#dddddd"}"/>'
            f'<text x="{_px(x0 - 6)}" y="{_px(y(marca) + 4)}" text-anchor="end">'
            f"{_texto(formato(marca))}</text>"
        )
    if etiquetas:
        franja = (x1 - x0) / len(etiquetas)
        barra = franja * Decimal("0.8") / max(len(series), 1)
        corte, cada = _rotulos(etiquetas, franja)
        for i, etiqueta in enumerate(etiquetas):
            centro = x0 + franja * i + franja / 2
            for j, serie in enumerate(series):
                valor = exacto(serie.valores[i])
                tope, cero = y(valor), y(Decimal(0))
                nombre = f"{etiqueta} · {serie.nombre}" if varias else etiqueta
                partes.append(
                    f'<rect x="{_px(x0 + franja * i + franja / 10 + barra * j)}" '
                    f'y="{_px(min(tope, cero))}" width="{_px(barra)}" '
                    f'height="{_px(abs(cero - tope))}" fill="{COLORES[j % len(COLORES)]}">'
                    f"<title>{_texto(f'{nombre}: {formato(valor)}')}</title></rect>"
                )
            if i % cada == 0:
                corta = etiqueta if len(etiqueta) <= corte else etiqueta[: corte - 1] + "…"
                partes.append(
                    f'<text x="{_px(centro)}" y="{_px(y1 + 18)}" text-anchor="middle">'
                    f"{_texto(corta)}</text>"
                )
    if varias:  # the legend, under the category labels
        for j, serie in enumerate(series):
            x = x0 + 140 * j
            partes.append(
                f'<rect x="{_px(x)}" y="{_px(y1 + 32)}" width="12" height="12" '
                f'fill="{COLORES[j % len(COLORES)]}"/>'
                f'<text x="{_px(x + 18)}" y="{_px(y1 + 42)}">{_texto(serie.nombre)}</text>'
            )
    partes.append("</svg>")
    return "\n".join(partes)


def grafico_barras(
    datos: Sequence[tuple[str, Decimal]], *, titulo: str, **opciones: Unpack[Opciones]
) -> str:
    """One bar per (etiqueta, valor), e.g. the sales of each day or of each tarifa de IVA;
    the options are `grafico_agrupado`'s."""
    return grafico_agrupado(
        [etiqueta for etiqueta, _ in datos],
        [Serie(titulo, tuple(valor for _, valor in datos))],
        titulo=titulo,
        **opciones,
    )


def tabla_agrupada(
    etiquetas: Sequence[str],
    series: Sequence[Serie],
    *,
    titulo: str,
    encabezado: str,
    formato: Formato = dinero,
) -> Tabla:
    """The grouped chart's data: a row per category, a column per series."""
    _valores(etiquetas, series)
    return Tabla(
        titulo=titulo,
        encabezados=(encabezado, *(s.nombre for s in series)),
        filas=tuple(
            (etiqueta, *(formato(exacto(s.valores[i])) for s in series))
            for i, etiqueta in enumerate(etiquetas)
        ),
    )


def tabla_barras(
    datos: Sequence[tuple[str, Decimal]],
    *,
    titulo: str,
    encabezado: str,
    encabezado_valor: str,
    formato: Formato = dinero,
) -> Tabla:
    """The bar chart's data: a row per (etiqueta, valor), the value formatted es-EC."""
    return tabla_agrupada(
        [etiqueta for etiqueta, _ in datos],
        [Serie(encabezado_valor, tuple(valor for _, valor in datos))],
        titulo=titulo,
        encabezado=encabezado,
        formato=formato,
    )
