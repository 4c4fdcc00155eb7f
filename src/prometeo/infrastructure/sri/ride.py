"""The RIDE (Representación Impresa del Documento Electrónico): the PDF of a factura or a
nota de crédito 1.1.0 that the buyer receives (layout: ../shared/SRI-ELECTRONICO.md §4).

Everything printed is read from the comprobante's XML exactly as the SRI gets it, so the
RIDE shows what was signed; only the SRI's answer (estado, authorization) comes from the
caller. Amounts print as the SRI's XML writes them, with a decimal point, plus thousands
commas: 1,234.56."""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, NamedTuple
from xml.sax.saxutils import escape

from lxml import etree
from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from prometeo.domain.value_objects.forma_pago import FormaPago
from prometeo.domain.value_objects.tarifa_iva import CODIGO_IMPUESTO_IVA, TARIFAS_IVA

ESTADO_AUTORIZADO = "AUTORIZADO"

_Elemento = etree._Element


class _Tipo(NamedTuple):
    titulo: str
    info: str  # the element holding the document's own data
    codigo_principal: str  # the detalle's two codes, named differently per document
    codigo_auxiliar: str


_TIPOS = {
    "factura": _Tipo("FACTURA", "infoFactura", "codigoPrincipal", "codigoAuxiliar"),
    "notaCredito": _Tipo("NOTA DE CRÉDITO", "infoNotaCredito", "codigoInterno", "codigoAdicional"),
}
_DOCUMENTOS_MODIFICADOS = {"01": "FACTURA", "04": "NOTA DE CRÉDITO", "05": "NOTA DE DÉBITO"}
_AMBIENTES = {"1": "PRUEBAS", "2": "PRODUCCIÓN"}
_FORMAS_PAGO = {
    FormaPago.SIN_SISTEMA_FINANCIERO: "SIN UTILIZACIÓN DEL SISTEMA FINANCIERO",
    FormaPago.COMPENSACION_DEUDAS: "COMPENSACIÓN DE DEUDAS",
    FormaPago.TARJETA_DEBITO: "TARJETA DE DÉBITO",
    FormaPago.DINERO_ELECTRONICO: "DINERO ELECTRÓNICO",
    FormaPago.TARJETA_PREPAGO: "TARJETA PREPAGO",
    FormaPago.TARJETA_CREDITO: "TARJETA DE CRÉDITO",
    FormaPago.OTROS_CON_SISTEMA_FINANCIERO: "OTROS CON UTILIZACIÓN DEL SISTEMA FINANCIERO",
    FormaPago.ENDOSO_TITULOS: "ENDOSO DE TÍTULOS",
}
# IVA codes at 0 % that the ficha totals under their own name, not under "SUBTOTAL 0%".
_SUBTOTALES_CERO = {
    "0": "SUBTOTAL 0%",
    "6": "SUBTOTAL NO OBJETO DE IVA",
    "7": "SUBTOTAL EXENTO DE IVA",
}
_CODIGO_IVA_GENERAL = "4"
_CODIGO_ICE, _CODIGO_IRBPNR = "3", "5"

# The frame's inner size: page less margins, less the frame's own 6 pt padding each side.
_MARGEN = 10 * mm
_ANCHO = A4[0] - 2 * _MARGEN - 12
_ALTO = A4[1] - 12 * mm - 16 * mm - 12
_GRIS, _LINEA = colors.HexColor("#EEF1F4"), colors.HexColor("#8A94A0")
_ROJO = colors.HexColor("#C0392B")
_RADIO = 2 * mm


def _estilo(nombre: str, tamano: float = 8, **opciones: Any) -> ParagraphStyle:
    valores: dict[str, Any] = {"fontName": "Helvetica", "leading": tamano * 1.25, **opciones}
    return ParagraphStyle(nombre, fontSize=tamano, **valores)


_NORMAL = _estilo("normal")
_NEGRITA = _estilo("negrita", fontName="Helvetica-Bold")
_CELDA = _estilo("celda", 7.5, wordWrap="CJK")  # codes have no spaces: break them anywhere
_DETALLE = _estilo("detalle", 7.5)
_TITULO = _estilo("titulo", 12, fontName="Helvetica-Bold", spaceAfter=2)
_CENTRO = _estilo("centro", 7.5, alignment=TA_CENTER)
_DERECHA = _estilo("derecha", 7.5, alignment=TA_RIGHT)


def generar_ride(
    xml: bytes,
    *,
    estado: str,
    numero_autorizacion: str | None = None,
    fecha_autorizacion: datetime | None = None,
) -> bytes:
    """The RIDE of a signed or unsigned factura or nota de crédito, as PDF bytes. Until
    `estado` is AUTORIZADO every page carries a mark saying it has no SRI authorization.
    The same arguments always give the same bytes (fixed dates and ids in the PDF)."""
    comprobante = _Comprobante.leer(xml)
    titulo, numero = comprobante.tipo.titulo, comprobante.numero
    autorizado = estado.strip().upper() == ESTADO_AUTORIZADO
    marcas: list[str] = [] if autorizado else ["DOCUMENTO SIN AUTORIZACIÓN DEL SRI", "NO VÁLIDO"]
    if _texto(comprobante.trib, "ambiente") == "1":
        marcas.append("AMBIENTE DE PRUEBAS")
    salida = io.BytesIO()
    documento = SimpleDocTemplate(
        salida,
        pagesize=A4,
        leftMargin=_MARGEN,
        rightMargin=_MARGEN,
        topMargin=12 * mm,
        bottomMargin=16 * mm,
        title=f"{titulo} {numero}",
        author=_texto(comprobante.trib, "razonSocial"),
        creator="prometeo",
        invariant=1,
    )
    documento.build(
        [
            _cabecera(comprobante, estado, autorizado, numero_autorizacion, fecha_autorizacion),
            Spacer(0, 3 * mm),
            _comprador(comprobante),
            Spacer(0, 3 * mm),
            _detalles(comprobante),
            Spacer(0, 3 * mm),
            *_pie(comprobante),
        ],
        canvasmaker=lambda *a, **k: _Lienzo(*a, pie=f"{titulo} No. {numero}", marcas=marcas, **k),
    )
    return salida.getvalue()


@dataclass(frozen=True, slots=True)
class _Comprobante:
    """The parsed XML: its root, infoTributaria and info element, and what kind it is."""

    raiz: _Elemento
    trib: _Elemento
    info: _Elemento
    tipo: _Tipo

    @classmethod
    def leer(cls, xml: bytes) -> _Comprobante:
        # No entities, no network: the XML may come from outside (a re-sent comprobante).
        parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
        raiz = etree.fromstring(xml, parser)
        tipo = _TIPOS.get(raiz.tag) if isinstance(raiz.tag, str) else None
        if tipo is None:
            raise ValueError(
                f"El XML no es una factura ni una nota de crédito: <{etree.QName(raiz).localname}>"
            )
        trib, info = raiz.find("infoTributaria"), raiz.find(tipo.info)
        if trib is None or info is None:
            raise ValueError(f"El XML no tiene infoTributaria o {tipo.info}")
        return cls(raiz, trib, info, tipo)

    @property
    def es_factura(self) -> bool:
        return self.tipo is _TIPOS["factura"]

    @property
    def numero(self) -> str:
        """estab-ptoEmi-secuencial: 001-001-000000123."""
        return "-".join(_texto(self.trib, e) for e in ("estab", "ptoEmi", "secuencial"))


def _texto(elemento: _Elemento, ruta: str) -> str:
    # The SRI's elements carry no namespace: plain paths never reach ds:Signature.
    return (elemento.findtext(ruta) or "").strip()


def _p(texto: str, estilo: ParagraphStyle = _NORMAL) -> Paragraph:
    return Paragraph(escape(texto), estilo)


def _campo(etiqueta: str, valor: str, estilo: ParagraphStyle = _NORMAL) -> Paragraph:
    return Paragraph(f"<b>{escape(etiqueta)}</b> {escape(valor)}", estilo)


# --- Numbers ---------------------------------------------------------------------------


def importe(valor: str | Decimal) -> str:
    """A money amount: 2 decimals, point, thousands commas (1,234.56); '' stays ''."""
    return f"{Decimal(valor):,.2f}" if valor != "" else ""


def cantidad(texto: str, minimo_decimales: int = 0) -> str:
    """A quantity or unit price without pointless trailing zeros, but every significant
    digit kept (the XML allows 6): 2.000000 → 2, 8.123456 → 8.123456; prices keep 2."""
    if not texto:
        return ""
    valor = Decimal(texto)
    exponente = valor.normalize().as_tuple().exponent
    decimales = max(minimo_decimales, -exponente if isinstance(exponente, int) else 0)
    return f"{valor:,.{decimales}f}"


# --- Blocks ----------------------------------------------------------------------------


def _caja(
    filas: list[list[Any]],
    anchos: Sequence[float],
    alto: float | None = None,
    estilos: Sequence[tuple[Any, ...]] = (),
    centrar: bool = False,
) -> Table:
    """A rounded box of rows; `alto` stretches it with empty rows below, or around when
    `centrar` (the header's two boxes match heights)."""
    alturas: list[float | None] = [None] * len(filas)
    if alto is not None:
        # An empty row takes over the box's end padding (6) from the content's last (1.5).
        propia = _caja(filas, anchos, None, estilos).wrap(sum(anchos), alto)[1]
        vacia = [""] * len(anchos)
        if centrar:
            mitad = max(alto - propia + 9, 0) / 2
            filas, alturas = [vacia, *filas, vacia], [mitad, *alturas, mitad]
            estilos = [_desplazar(e) for e in estilos]
        else:
            filas, alturas = [*filas, vacia], [*alturas, max(alto - propia + 4.5, 0)]
    tabla = Table(filas, colWidths=list(anchos), rowHeights=alturas, cornerRadii=[_RADIO] * 4)
    tabla.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.8, _LINEA),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ("TOPPADDING", (0, 0), (-1, 0), 6),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 6),
                *estilos,
            ]
        )
    )
    return tabla


def _desplazar(estilo: tuple[Any, ...]) -> tuple[Any, ...]:
    """A table style command moved one row down (a row was put above)."""
    orden, (c0, f0), (c1, f1), *resto = estilo
    return (orden, (c0, f0 + 1 if f0 >= 0 else f0), (c1, f1 + 1 if f1 >= 0 else f1), *resto)


def _cabecera(
    comprobante: _Comprobante,
    estado: str,
    autorizado: bool,
    numero_autorizacion: str | None,
    fecha_autorizacion: datetime | None,
) -> Table:
    """Issuer left, the document's box right, both the same height."""
    trib, info = comprobante.trib, comprobante.info
    emisor = [_p(_texto(trib, "razonSocial"), _TITULO)]
    if nombre := _texto(trib, "nombreComercial"):
        emisor.append(_p(nombre, _estilo("comercial", 10, spaceAfter=4)))
    emisor.append(_campo("Dir. Matriz:", _texto(trib, "dirMatriz")))
    if sucursal := _texto(info, "dirEstablecimiento"):
        emisor.append(_campo("Dir. Sucursal:", sucursal))
    if especial := _texto(info, "contribuyenteEspecial"):
        emisor.append(_campo("Contribuyente Especial Nro.", especial))
    if obligado := _texto(info, "obligadoContabilidad"):
        emisor.append(_campo("OBLIGADO A LLEVAR CONTABILIDAD:", obligado))
    if agente := _texto(trib, "agenteRetencion"):
        emisor.append(_campo("Agente de Retención Resolución No.", agente))
    if rimpe := _texto(trib, "contribuyenteRimpe"):
        emisor.append(_p(rimpe, _NEGRITA))

    titulo = comprobante.tipo.titulo
    clave = _texto(trib, "claveAcceso")
    ambiente = _texto(trib, "ambiente")
    numero = comprobante.numero
    rojo = _estilo("rojo", 8, fontName="Helvetica-Bold", textColor=_ROJO)
    caja = [
        _campo("R.U.C.:", _texto(trib, "ruc"), _estilo("ruc", 11, leading=15)),
        _p(titulo, _estilo("tipo", 13, fontName="Helvetica-Bold", leading=17)),
        _campo("No.", numero, _estilo("numero", 10, leading=14, spaceAfter=3)),
        _p("NÚMERO DE AUTORIZACIÓN", _NEGRITA),
        _p(numero_autorizacion or clave, _estilo("autorizacion", 7.5, spaceAfter=3)),
    ]
    if fecha_autorizacion is not None:
        fecha = fecha_autorizacion.strftime("%d/%m/%Y %H:%M:%S")
        caja.append(_campo("FECHA Y HORA DE AUTORIZACIÓN:", fecha))
    nombre_ambiente = _AMBIENTES.get(ambiente, ambiente)
    caja.append(_campo("AMBIENTE:", nombre_ambiente, rojo if ambiente == "1" else _NORMAL))
    caja.append(
        _campo("EMISIÓN:", "NORMAL" if _texto(trib, "tipoEmision") == "1" else "INDISPONIBILIDAD")
    )
    if not autorizado:
        caja.append(_campo("ESTADO:", estado.strip().upper() or "SIN ESTADO", rojo))
    caja.append(
        _p("CLAVE DE ACCESO", _estilo("clave", 8, fontName="Helvetica-Bold", spaceBefore=3))
    )
    barras = Code128(clave, barWidth=0.68, barHeight=11 * mm, humanReadable=False, quiet=False)
    caja += [barras, _p(clave, _estilo("digitos", 7.5, alignment=TA_CENTER))]

    ancho_izq, espacio = _ANCHO * 0.47, 3 * mm
    ancho_der = _ANCHO - ancho_izq - espacio
    izq = [[f] for f in emisor]
    der: list[list[Any]] = [[f] for f in caja]
    alto = max(
        _caja(izq, [ancho_izq]).wrap(ancho_izq, A4[1])[1],
        _caja(der, [ancho_der]).wrap(ancho_der, A4[1])[1],
    )
    barras_al_centro = [("ALIGN", (0, len(der) - 2), (0, len(der) - 2), "CENTER")]
    tabla = Table(
        [
            [
                _caja(izq, [ancho_izq], alto, centrar=True),
                "",
                _caja(der, [ancho_der], alto, barras_al_centro),
            ]
        ],
        colWidths=[ancho_izq, espacio, ancho_der],
    )
    tabla.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), *_SIN_MARGEN]))
    return tabla


_SIN_MARGEN = [
    ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ("TOPPADDING", (0, 0), (-1, -1), 0),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
]


def _comprador(comprobante: _Comprobante) -> Table:
    info = comprobante.info
    filas: list[list[Any]] = [
        [
            _p("Razón Social / Nombres y Apellidos:", _NEGRITA),
            _p(_texto(info, "razonSocialComprador")),
            "",
            "",
        ],
        [
            _p("Identificación:", _NEGRITA),
            _p(_texto(info, "identificacionComprador")),
            _p("Fecha Emisión:", _NEGRITA),
            _p(_texto(info, "fechaEmision")),
        ],
    ]
    if direccion := _texto(info, "direccionComprador"):
        filas.append([_p("Dirección:", _NEGRITA), _p(direccion), "", ""])
    if guia := _texto(info, "guiaRemision"):
        filas.append([_p("Guía de Remisión:", _NEGRITA), _p(guia), "", ""])
    estilos: list[tuple[Any, ...]] = [
        ("SPAN", (1, i), (3, i)) for i, fila in enumerate(filas) if fila[2] == ""
    ]
    if not comprobante.es_factura:
        tipo = _texto(info, "codDocModificado")
        modificado = f"{_DOCUMENTOS_MODIFICADOS.get(tipo, tipo)} {_texto(info, 'numDocModificado')}"
        inicio = len(filas)
        filas += [
            [
                _p("Comprobante que se modifica:", _NEGRITA),
                _p(modificado),
                _p("Fecha Emisión (comprobante a modificar):", _NEGRITA),
                _p(_texto(info, "fechaEmisionDocSustento")),
            ],
            [_p("Razón de Modificación:", _NEGRITA), _p(_texto(info, "motivo")), "", ""],
        ]
        estilos += [
            ("SPAN", (1, inicio + 1), (3, inicio + 1)),
            ("LINEABOVE", (0, inicio), (-1, inicio), 0.5, _LINEA),
            ("TOPPADDING", (0, inicio), (-1, inicio), 4),
        ]
    return _caja(filas, [_ANCHO * p for p in (0.3, 0.33, 0.22, 0.15)], estilos=estilos)


def _detalles(comprobante: _Comprobante) -> Table:
    principal, auxiliar = comprobante.tipo.codigo_principal, comprobante.tipo.codigo_auxiliar
    encabezado = [
        "Cód. Principal",
        "Cód. Auxiliar",
        "Cant.",
        "Descripción",
        "P. Unitario",
        "Descuento",
        "Precio Total",
    ]
    filas: list[list[Any]] = [
        [
            _p(t, _estilo("th", 7.5, fontName="Helvetica-Bold", alignment=TA_CENTER))
            for t in encabezado
        ]
    ]
    for detalle in comprobante.raiz.iterfind("detalles/detalle"):
        descripcion = escape(_texto(detalle, "descripcion"))
        for adicional in detalle.iterfind("detallesAdicionales/detAdicional"):
            nombre, valor = escape(adicional.get("nombre", "")), escape(adicional.get("valor", ""))
            descripcion += f'<br/><font size="6.5" color="#555555">{nombre}: {valor}</font>'
        filas.append(
            [
                _p(_texto(detalle, principal), _CELDA),
                _p(_texto(detalle, auxiliar), _CELDA),
                cantidad(_texto(detalle, "cantidad")),
                Paragraph(descripcion, _DETALLE),
                cantidad(_texto(detalle, "precioUnitario"), 2),
                importe(_decimal(detalle, "descuento")),
                importe(_texto(detalle, "precioTotalSinImpuesto")),
            ]
        )
    proporciones = (0.12, 0.12, 0.07, 0.37, 0.11, 0.095, 0.115)
    return _rejilla(
        filas,
        [_ANCHO * p for p in proporciones],
        ("BACKGROUND", (0, 0), (-1, 0), _GRIS),
        ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
        ("ALIGN", (2, 1), (2, -1), "RIGHT"),
        ("ALIGN", (4, 1), (-1, -1), "RIGHT"),
        repetir_encabezado=True,
    )


def _rejilla(
    filas: list[list[Any]],
    anchos: Sequence[float],
    *estilos: tuple[Any, ...],
    repetir_encabezado: bool = False,
) -> Table:
    """A plain grid: the lines, payments and totals tables."""
    tabla = Table(filas, colWidths=list(anchos), repeatRows=1 if repetir_encabezado else 0)
    tabla.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), "Helvetica", 7.5),
                ("GRID", (0, 0), (-1, -1), 0.4, _LINEA),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                *estilos,
            ]
        )
    )
    return tabla


def _pie(comprobante: _Comprobante) -> list[Any]:
    """Información adicional and formas de pago left, the totals right; one under the
    other when side by side they would not fit on a page (a table row never splits)."""
    ancho_izq, espacio = _ANCHO * 0.58, 4 * mm
    ancho_der = _ANCHO - ancho_izq - espacio
    izquierda: list[Any] = []
    campos = [
        [_p(c.get("nombre", ""), _NEGRITA), _p((c.text or "").strip())]
        for c in comprobante.raiz.iterfind("infoAdicional/campoAdicional")
    ]
    if campos:
        cabeza = [_p("Información Adicional", _estilo("ia", 8.5, fontName="Helvetica-Bold")), ""]
        izquierda += [
            _caja(
                [cabeza, *campos],
                [ancho_izq * 0.3, ancho_izq * 0.7],
                estilos=[("SPAN", (0, 0), (1, 0)), ("BOTTOMPADDING", (0, 0), (-1, 0), 4)],
            ),
            Spacer(0, 3 * mm),
        ]
    pagos = list(comprobante.info.iterfind("pagos/pago"))
    if pagos:
        izquierda.append(_formas_pago(pagos, ancho_izq))
    tabla_totales = _rejilla(
        _totales(comprobante),
        [ancho_der * 0.64, ancho_der * 0.36],
        ("FONT", (0, -1), (-1, -1), "Helvetica-Bold", 8.5),
        ("BACKGROUND", (0, -1), (-1, -1), _GRIS),
        ("ALIGN", (1, 0), (1, -1), "RIGHT"),
    )
    tabla = Table([[izquierda, "", tabla_totales]], colWidths=[ancho_izq, espacio, ancho_der])
    tabla.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), *_SIN_MARGEN]))
    if tabla.wrap(_ANCHO, _ALTO)[1] <= _ALTO:
        return [tabla]
    tabla_totales.hAlign = "RIGHT"
    for bloque in izquierda:
        bloque.hAlign = "LEFT"
    return [tabla_totales, Spacer(0, 3 * mm), *izquierda]


def _formas_pago(pagos: list[_Elemento], ancho: float) -> Table:
    filas: list[list[Any]] = [["Forma de pago", "Valor", "Plazo", "Tiempo"]]
    for pago in pagos:
        codigo = _texto(pago, "formaPago")
        try:
            nombre = _FORMAS_PAGO[FormaPago(codigo)]
        except (ValueError, KeyError):  # a code retired from the table: print it alone
            nombre = ""
        filas.append(
            [
                _p(f"{codigo} - {nombre}" if nombre else codigo, _DETALLE),
                importe(_texto(pago, "total")),
                cantidad(_texto(pago, "plazo")),
                _texto(pago, "unidadTiempo"),
            ]
        )
    return _rejilla(
        filas,
        [ancho * p for p in (0.64, 0.15, 0.09, 0.12)],
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 7.5),
        ("BACKGROUND", (0, 0), (-1, 0), _GRIS),
        ("ALIGN", (1, 0), (2, -1), "RIGHT"),
    )


def _totales(comprobante: _Comprobante) -> list[list[str]]:
    """The ficha's order (Tabla 21): subtotals by IVA rate, then sin impuestos, descuento,
    ICE, IVA by rate, IRBPNR, propina and the total. A rate other than 15 % shows only when
    used; 15 % and the 0 % groups show even at zero, as RIDEs customarily do."""
    info = comprobante.info
    bases: defaultdict[str, Decimal] = defaultdict(Decimal)
    ivas: defaultdict[str, Decimal] = defaultdict(Decimal)
    otros: defaultdict[str, Decimal] = defaultdict(Decimal)
    for total in info.iterfind("totalConImpuestos/totalImpuesto"):
        codigo, valor = _texto(total, "codigo"), _decimal(total, "valor")
        if codigo == CODIGO_IMPUESTO_IVA:
            porcentaje = _texto(total, "codigoPorcentaje")
            bases[porcentaje] += _decimal(total, "baseImponible")
            ivas[porcentaje] += valor
        else:
            otros[codigo] += valor
    gravadas = sorted(
        (c for c in bases if c not in _SUBTOTALES_CERO),
        key=lambda c: (c != _CODIGO_IVA_GENERAL, -_porcentaje(c, info)),
    ) or [_CODIGO_IVA_GENERAL]
    filas = [[f"SUBTOTAL {_tasa(c, info)}", importe(bases[c])] for c in gravadas]
    filas += [[nombre, importe(bases[c])] for c, nombre in _SUBTOTALES_CERO.items()]
    if comprobante.es_factura:
        descuento = _decimal(info, "totalDescuento")
    else:  # a nota has no totalDescuento: its lines' discounts are the total
        descuento = sum(
            (_decimal(d, ".") for d in comprobante.raiz.iterfind("detalles/detalle/descuento")),
            Decimal(0),
        )
    filas += [
        ["SUBTOTAL SIN IMPUESTOS", importe(_decimal(info, "totalSinImpuestos"))],
        ["TOTAL DESCUENTO", importe(descuento)],
        ["ICE", importe(otros[_CODIGO_ICE])],
    ]
    filas += [[f"IVA {_tasa(c, info)}", importe(ivas[c])] for c in gravadas]
    if _CODIGO_IRBPNR in otros:
        filas.append(["IRBPNR", importe(otros[_CODIGO_IRBPNR])])
    if comprobante.es_factura:
        filas.append(["PROPINA", importe(_decimal(info, "propina"))])
    valor_total = "importeTotal" if comprobante.es_factura else "valorModificacion"
    filas.append(["VALOR TOTAL", importe(_decimal(info, valor_total))])
    return filas


def _decimal(elemento: _Elemento, ruta: str) -> Decimal:
    """An amount of the XML; an optional one left out (propina) is zero."""
    return Decimal(_texto(elemento, ruta) or "0")


def _porcentaje(codigo: str, info: _Elemento) -> Decimal:
    """The rate of a codigoPorcentaje: the table's, else the XML's own tarifa."""
    if (tarifa := TARIFAS_IVA.get(codigo)) is not None:
        return tarifa.porcentaje
    for total in info.iterfind("totalConImpuestos/totalImpuesto"):
        if _texto(total, "codigoPorcentaje") == codigo and _texto(total, "tarifa"):
            return Decimal(_texto(total, "tarifa"))
    return Decimal(0)


def _tasa(codigo: str, info: _Elemento) -> str:
    return f"{cantidad(str(_porcentaje(codigo, info)))}%"


# --- Pages -----------------------------------------------------------------------------


class _Lienzo(Canvas):  # type: ignore[misc]  # reportlab ships no type information
    """Holds each page until the end, so that every page can say "Página N de M" and carry
    the no-authorization mark over its content."""

    def __init__(self, *args: Any, pie: str, marcas: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._paginas: list[dict[str, Any]] = []
        self._pie, self._marcas = pie, marcas

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        self._paginas.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._paginas)
        for numero, pagina in enumerate(self._paginas, start=1):
            self.__dict__.update(pagina)
            self._marcar()
            self.setFont("Helvetica", 7)
            self.setFillColor(colors.HexColor("#555555"))
            self.drawString(_MARGEN + 6, 9 * mm, self._pie)
            self.drawRightString(A4[0] - _MARGEN - 6, 9 * mm, f"Página {numero} de {total}")
            super().showPage()
        super().save()

    def _marcar(self) -> None:
        if not self._marcas:
            return
        self.saveState()
        self.translate(A4[0] / 2, A4[1] / 2)
        self.rotate(54)
        self.setFillColor(colors.Color(0.78, 0.1, 0.1, alpha=0.2))
        for i, linea in enumerate(self._marcas):  # the block of lines centred on the page
            self.setFont("Helvetica-Bold", 32 if i == 0 else 26)
            self.drawCentredString(0, (len(self._marcas) - 1) * 20 - i * 40 - 10, linea)
        self.restoreState()


class GeneradorRidePdf:
    """The GeneradorRide port: generar_ride."""

    def ride(
        self,
        xml: bytes,
        *,
        estado: str,
        numero_autorizacion: str | None,
        fecha_autorizacion: datetime | None,
    ) -> bytes:
        return generar_ride(
            xml,
            estado=estado,
            numero_autorizacion=numero_autorizacion,
            fecha_autorizacion=fecha_autorizacion,
        )
