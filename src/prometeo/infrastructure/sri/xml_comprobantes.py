"""The SRI's XML of an emitted factura (1.1.0) or nota de crédito (1.1.0), built from the
aggregate with lxml and checked against the vendored XSD before anyone signs it.

Everything printed was fixed at emission and stored in its events (emisor, establecimiento,
clave de acceso, each line's base and IVA at the percentage charged), so the same document
always gives the same XML. The amounts add up the way the SRI recomputes them: every
detalle keeps precioTotalSinImpuesto = round2(cantidad × precioUnitario) − descuento = the
line's base (a global discount travels in each detalle's descuento as that line's share),
each tarifa's totalImpuesto is the sum of its detalles, and importeTotal (valorModificacion)
is totalSinImpuestos + IVA (+ propina)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources

from lxml import etree

from prometeo.application.sri import XmlNoValido
from prometeo.domain.aggregates.factura import Factura, LineaFactura
from prometeo.domain.aggregates.nota_credito import NotaCredito, importes_de_lineas
from prometeo.domain.events.comprobante import DatosComprador, DatosEmisor, DatosEstablecimiento
from prometeo.domain.events.nota_credito import LineaNotaCredito
from prometeo.domain.services.totales import prorratear
from prometeo.domain.value_objects.comprador import Comprador
from prometeo.domain.value_objects.dinero import redondear2
from prometeo.domain.value_objects.numero_comprobante import TipoComprobante
from prometeo.domain.value_objects.tarifa_iva import CODIGO_IMPUESTO_IVA

VERSION = "1.1.0"
_CENTAVO = Decimal("0.01")
_MICRO = Decimal("0.000001")

# contribuyenteRimpe: the only two texts the XSD's pattern admits.
_LEYENDA_RIMPE = {
    "RIMPE_EMPRENDEDOR": "CONTRIBUYENTE RÉGIMEN RIMPE",
    "RIMPE_NEGOCIO_POPULAR": "CONTRIBUYENTE NEGOCIO POPULAR - RÉGIMEN RIMPE",
}


class ComprobanteNoValido(XmlNoValido):
    """The XML of a document breaks the SRI's schema: a bug to fix, never a document to
    send. `errores` are the schema validator's messages (no secrets in them)."""

    def __init__(self, tipo: str, numero: str, errores: Sequence[str]) -> None:
        super().__init__(
            f"El XML del comprobante {tipo} {numero} no cumple el esquema del SRI: "
            + "; ".join(errores),
            errores,
        )


@dataclass(frozen=True, slots=True)
class ComprobanteXml:
    """A document's unsigned XML and what identifies it."""

    tipo: str  # "01" factura, "04" nota de crédito
    numero: str
    clave_acceso: str
    contenido: bytes


# -- formats ----------------------------------------------------------------------------------


def _monto(valor: Decimal) -> str:
    """Exactly 2 decimals; an amount that has more is a bug upstream, not something to round."""
    texto = valor.quantize(_CENTAVO)
    if texto != valor:
        raise ValueError(f"El monto {valor} tiene más de 2 decimales")
    return f"{texto:f}"


def _seis(valor: Decimal) -> str:
    """A quantity or unit price: up to 6 decimals, at least 2 ("3.00", "0.333333")."""
    texto = valor.quantize(_MICRO)
    if texto != valor:
        raise ValueError(f"La cantidad o precio {valor} tiene más de 6 decimales")
    recortado = texto.normalize()
    if recortado.as_tuple().exponent > -2:  # type: ignore[operator]
        recortado = recortado.quantize(_CENTAVO)
    return f"{recortado:f}"


def _tarifa(porcentaje: Decimal) -> str:
    """tarifa: totalDigits 4, fractionDigits 2 ("15", "12", "0", "13.5")."""
    valor = porcentaje.quantize(_CENTAVO).normalize()
    return f"{valor.quantize(Decimal(1)) if valor == valor.to_integral_value() else valor:f}"


def _fecha(dia: object) -> str:
    return dia.strftime("%d/%m/%Y")  # type: ignore[attr-defined,no-any-return]


def _hijo(padre: etree._Element, nombre: str, texto: str | None = None) -> etree._Element:
    elemento = etree.SubElement(padre, nombre)
    if texto is not None:
        elemento.text = texto
    return elemento


def _opcional(padre: etree._Element, nombre: str, texto: str | None) -> None:
    if texto:
        _hijo(padre, nombre, texto)


# -- common blocks ------------------------------------------------------------------------------


def _info_tributaria(
    raiz: etree._Element,
    emisor: DatosEmisor,
    establecimiento: DatosEstablecimiento,
    clave_acceso: str,
    tipo: TipoComprobante,
    numero: str,
) -> None:
    info = _hijo(raiz, "infoTributaria")
    _hijo(info, "ambiente", emisor.ambiente)
    # The clave de acceso's 48th digit is the tipo de emisión it was generated with.
    _hijo(info, "tipoEmision", clave_acceso[47])
    _hijo(info, "razonSocial", emisor.razon_social)
    _opcional(info, "nombreComercial", emisor.nombre_comercial)
    _hijo(info, "ruc", emisor.ruc)
    _hijo(info, "claveAcceso", clave_acceso)
    _hijo(info, "codDoc", tipo.value)
    estab, punto, secuencial = numero.split("-")
    _hijo(info, "estab", estab)
    _hijo(info, "ptoEmi", punto)
    _hijo(info, "secuencial", secuencial)
    _hijo(info, "dirMatriz", emisor.direccion_matriz)
    _opcional(info, "agenteRetencion", emisor.agente_retencion)
    _opcional(info, "contribuyenteRimpe", _LEYENDA_RIMPE.get(emisor.regimen))


def _impuesto(
    padre: etree._Element,
    nombre: str,
    codigo_porcentaje: str,
    base: Decimal,
    valor: Decimal,
    porcentaje: Decimal | None,
) -> None:
    """An IVA entry: codigo, codigoPorcentaje, baseImponible, [tarifa], valor (tarifa goes
    between base and valor, and only where the schema has it: pass None to leave it out)."""
    impuesto = _hijo(padre, nombre)
    _hijo(impuesto, "codigo", CODIGO_IMPUESTO_IVA)
    _hijo(impuesto, "codigoPorcentaje", codigo_porcentaje)
    if nombre == "impuesto" and porcentaje is not None:
        _hijo(impuesto, "tarifa", _tarifa(porcentaje))
    _hijo(impuesto, "baseImponible", _monto(base))
    if nombre == "totalImpuesto" and porcentaje is not None:
        _hijo(impuesto, "tarifa", _tarifa(porcentaje))
    _hijo(impuesto, "valor", _monto(valor))


def _info_adicional(raiz: etree._Element, comprador: DatosComprador | Comprador) -> None:
    campos = [
        ("Dirección", comprador.direccion),
        ("Email", comprador.email),
        ("Teléfono", comprador.telefono),
    ]
    presentes = [(nombre, valor) for nombre, valor in campos if valor]
    if not presentes:
        return
    info = _hijo(raiz, "infoAdicional")
    for nombre, valor in presentes:
        campo = _hijo(info, "campoAdicional", valor)
        campo.set("nombre", nombre)


def _por_tarifa(
    filas: Iterable[tuple[str, Decimal | None, Decimal, Decimal]],
) -> list[tuple[str, Decimal | None, Decimal, Decimal]]:
    """(codigoPorcentaje, porcentaje, base, IVA) summed per tarifa, in code order."""
    sumas: dict[str, tuple[Decimal | None, Decimal, Decimal]] = {}
    for codigo, porcentaje, base, iva in filas:
        _, b, i = sumas.get(codigo, (porcentaje, Decimal("0.00"), Decimal("0.00")))
        sumas[codigo] = (porcentaje, b + base, i + iva)
    return [(c, *sumas[c]) for c in sorted(sumas, key=int)]


# -- factura --------------------------------------------------------------------------------------


def _datos_emitidos(
    documento: Factura | NotaCredito,
) -> tuple[DatosEmisor, DatosEstablecimiento, str, str]:
    """The emisor, establecimiento, número and clave fixed at emission."""
    if (
        documento.emisor is None
        or documento.establecimiento is None
        or documento.clave_acceso is None
        or documento.numero is None
    ):
        raise ValueError(f"El documento {documento.id} no está emitido: no tiene XML")
    return documento.emisor, documento.establecimiento, documento.numero, documento.clave_acceso


def _detalle_factura(detalles: etree._Element, linea: LineaFactura) -> None:
    base = linea.base_imponible or Decimal("0.00")
    detalle = _hijo(detalles, "detalle")
    _hijo(detalle, "codigoPrincipal", linea.codigo)
    _opcional(detalle, "codigoAuxiliar", linea.codigo_auxiliar)
    _hijo(detalle, "descripcion", linea.descripcion)
    _opcional(detalle, "unidadMedida", linea.unidad_medida)
    _hijo(detalle, "cantidad", _seis(linea.cantidad))
    _hijo(detalle, "precioUnitario", _seis(linea.precio_unitario))
    # The line's own discount plus its share of the global one.
    _hijo(detalle, "descuento", _monto(redondear2(linea.cantidad * linea.precio_unitario) - base))
    _hijo(detalle, "precioTotalSinImpuesto", _monto(base))
    impuestos = _hijo(detalle, "impuestos")
    _impuesto(
        impuestos,
        "impuesto",
        linea.tarifa_iva,
        base,
        linea.iva or Decimal("0.00"),
        linea.porcentaje_iva or Decimal(0),
    )


def xml_factura(factura: Factura) -> ComprobanteXml:
    """The factura 1.1.0 of an emitted factura, checked against the XSD."""
    emisor, establecimiento, numero, clave = _datos_emitidos(factura)
    raiz = etree.Element("factura", id="comprobante", version=VERSION)
    _info_tributaria(raiz, emisor, establecimiento, clave, TipoComprobante.FACTURA, numero)
    info = _hijo(raiz, "infoFactura")
    _hijo(info, "fechaEmision", _fecha(factura.fecha_emision))
    _opcional(info, "dirEstablecimiento", establecimiento.direccion)
    _opcional(info, "contribuyenteEspecial", emisor.contribuyente_especial)
    _hijo(info, "obligadoContabilidad", "SI" if emisor.obligado_contabilidad else "NO")
    c = factura.comprador
    _hijo(info, "tipoIdentificacionComprador", c.tipo_identificacion)
    _hijo(info, "razonSocialComprador", c.razon_social)
    _hijo(info, "identificacionComprador", c.identificacion)
    _opcional(info, "direccionComprador", c.direccion)
    lineas = factura.lineas
    total_sin_impuestos = sum((ln.base_imponible or Decimal(0) for ln in lineas), Decimal("0.00"))
    total_descuento = sum(
        (redondear2(ln.cantidad * ln.precio_unitario) - (ln.base_imponible or 0) for ln in lineas),
        Decimal("0.00"),
    )
    _hijo(info, "totalSinImpuestos", _monto(total_sin_impuestos))
    _hijo(info, "totalDescuento", _monto(total_descuento))
    totales = _hijo(info, "totalConImpuestos")
    tarifas = _por_tarifa(
        (ln.tarifa_iva, ln.porcentaje_iva, ln.base_imponible or Decimal(0), ln.iva or Decimal(0))
        for ln in lineas
    )
    for codigo, porcentaje, base, iva in tarifas:
        _impuesto(totales, "totalImpuesto", codigo, base, iva, porcentaje or Decimal(0))
    _hijo(info, "propina", _monto(factura.propina))
    iva_total = sum((iva for *_, iva in tarifas), Decimal("0.00"))
    importe_total = total_sin_impuestos + iva_total + factura.propina
    if factura.importe_total is not None and importe_total != factura.importe_total:
        raise ValueError(
            f"La factura {factura.numero} suma {importe_total} en su XML y "
            f"{factura.importe_total} emitida"
        )
    _hijo(info, "importeTotal", _monto(importe_total))
    _hijo(info, "moneda", "DOLAR")
    if factura.pagos:
        pagos = _hijo(info, "pagos")
        for p in factura.pagos:
            pago = _hijo(pagos, "pago")
            _hijo(pago, "formaPago", p.forma_pago)
            _hijo(pago, "total", _monto(p.total))
            if p.plazo is not None:
                _hijo(pago, "plazo", str(p.plazo))
            _opcional(pago, "unidadTiempo", p.unidad_tiempo)
    detalles = _hijo(raiz, "detalles")
    for linea in lineas:
        _detalle_factura(detalles, linea)
    _info_adicional(raiz, factura.comprador)
    return _validado(raiz, TipoComprobante.FACTURA, numero, clave)


# -- nota de crédito ----------------------------------------------------------------------------


def _ivas_de_lineas(lineas: Sequence[LineaNotaCredito]) -> list[Decimal]:
    """Each line's IVA; lines stored before they carried it get their tarifa's IVA (as
    the nota computed it then) spread by base, largest remainders."""
    if all(ln.iva is not None for ln in lineas):
        return [ln.iva for ln in lineas if ln.iva is not None]
    ivas = [Decimal("0.00")] * len(lineas)
    for importe in importes_de_lineas(lineas):
        indices = [i for i, ln in enumerate(lineas) if ln.tarifa_iva == importe.tarifa_iva]
        for i, parte in zip(
            indices, prorratear(importe.iva, [lineas[i].valor for i in indices]), strict=True
        ):
            ivas[i] = parte
    return ivas


def xml_nota_credito(nota: NotaCredito) -> ComprobanteXml:
    """The notaCredito 1.1.0 of an emitted nota de crédito, checked against the XSD."""
    emisor, establecimiento, numero, clave = _datos_emitidos(nota)
    if nota.comprador is None:
        raise ValueError(f"La nota de crédito {numero} no tiene comprador")
    raiz = etree.Element("notaCredito", id="comprobante", version=VERSION)
    _info_tributaria(raiz, emisor, establecimiento, clave, TipoComprobante.NOTA_CREDITO, numero)
    info = _hijo(raiz, "infoNotaCredito")
    _hijo(info, "fechaEmision", _fecha(nota.fecha_emision))
    _opcional(info, "dirEstablecimiento", establecimiento.direccion)
    c = nota.comprador
    _hijo(info, "tipoIdentificacionComprador", c.tipo_identificacion)
    _hijo(info, "razonSocialComprador", c.razon_social)
    _hijo(info, "identificacionComprador", c.identificacion)
    _opcional(info, "contribuyenteEspecial", emisor.contribuyente_especial)
    _hijo(info, "obligadoContabilidad", "SI" if emisor.obligado_contabilidad else "NO")
    _hijo(info, "codDocModificado", TipoComprobante.FACTURA.value)
    _hijo(info, "numDocModificado", nota.numero_factura)
    _hijo(info, "fechaEmisionDocSustento", _fecha(nota.fecha_emision_factura))
    ivas = _ivas_de_lineas(nota.lineas)
    porcentajes = {i.tarifa_iva: i.porcentaje for i in importes_de_lineas(nota.lineas)}
    tarifas = _por_tarifa(
        (ln.tarifa_iva, porcentajes.get(ln.tarifa_iva), ln.valor, iva)
        for ln, iva in zip(nota.lineas, ivas, strict=True)
    )
    total_sin_impuestos = sum((ln.valor for ln in nota.lineas), Decimal("0.00"))
    valor_modificacion = total_sin_impuestos + sum((iva for *_, iva in tarifas), Decimal("0.00"))
    if nota.valor_modificacion is not None and valor_modificacion != nota.valor_modificacion:
        raise ValueError(
            f"La nota de crédito {nota.numero} suma {valor_modificacion} en su XML y "
            f"{nota.valor_modificacion} emitida"
        )
    _hijo(info, "totalSinImpuestos", _monto(total_sin_impuestos))
    _hijo(info, "valorModificacion", _monto(valor_modificacion))
    _hijo(info, "moneda", "DOLAR")
    totales = _hijo(info, "totalConImpuestos")
    for codigo, _porcentaje, base, iva in tarifas:
        _impuesto(totales, "totalImpuesto", codigo, base, iva, None)
    _hijo(info, "motivo", nota.motivo)
    detalles = _hijo(raiz, "detalles")
    for linea, iva in zip(nota.lineas, ivas, strict=True):
        # A value-only line (cantidad 0) reads as one unit at its value.
        cantidad = linea.cantidad or Decimal(1)
        precio = linea.precio_unitario if linea.precio_unitario is not None else linea.valor
        descuento = redondear2(cantidad * precio) - linea.valor
        detalle = _hijo(detalles, "detalle")
        _opcional(detalle, "codigoInterno", linea.codigo)
        _opcional(detalle, "codigoAdicional", linea.codigo_auxiliar)
        _hijo(detalle, "descripcion", linea.descripcion or linea.codigo or linea.producto_id)
        _hijo(detalle, "cantidad", _seis(cantidad))
        _hijo(detalle, "precioUnitario", _seis(precio))
        _hijo(detalle, "descuento", _monto(descuento))
        _hijo(detalle, "precioTotalSinImpuesto", _monto(linea.valor))
        impuestos = _hijo(detalle, "impuestos")
        _impuesto(
            impuestos,
            "impuesto",
            linea.tarifa_iva,
            linea.valor,
            iva,
            porcentajes.get(linea.tarifa_iva) or Decimal(0),
        )
    _info_adicional(raiz, c)
    return _validado(raiz, TipoComprobante.NOTA_CREDITO, numero, clave)


# -- schema -------------------------------------------------------------------------------------


@cache
def esquema(tipo: TipoComprobante) -> etree.XMLSchema:
    """The vendored XSD (loaded once; lxml resolves it without xmldsig-core-schema.xsd,
    which only the signature would need and the unsigned document never has)."""
    nombre = "factura_V1.1.0.xsd" if tipo is TipoComprobante.FACTURA else "NotaCredito_V1.1.0.xsd"
    with resources.files("prometeo.infrastructure.sri").joinpath("xsd", nombre).open("rb") as f:
        return etree.XMLSchema(etree.parse(f))


def errores_de_esquema(raiz: etree._Element, tipo: TipoComprobante) -> list[str]:
    validador = esquema(tipo)
    if validador.validate(raiz):
        return []
    return [f"línea {e.line}: {e.message}" for e in validador.error_log]


def _validado(
    raiz: etree._Element, tipo: TipoComprobante, numero: str, clave_acceso: str
) -> ComprobanteXml:
    errores = errores_de_esquema(raiz, tipo)
    if errores:
        raise ComprobanteNoValido(tipo.value, numero, errores)
    contenido = etree.tostring(raiz, xml_declaration=True, encoding="UTF-8")
    return ComprobanteXml(tipo.value, numero, clave_acceso, contenido)


def xml_de(documento: Factura | NotaCredito) -> ComprobanteXml:
    """The XML of an emitted factura or nota de crédito."""
    if isinstance(documento, Factura):
        return xml_factura(documento)
    return xml_nota_credito(documento)


class GeneradorXmlSri:
    """The GeneradorXml port: the SRI XML of an emitted document, schema-checked."""

    def xml(self, documento: Factura | NotaCredito) -> bytes:
        return xml_de(documento).contenido
