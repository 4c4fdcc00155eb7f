"""The SRI XML of facturas and notas de crédito: valid against the vendored XSD for every
shape of document, and adding up exactly the way the SRI recomputes it."""

from __future__ import annotations

import contextlib
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from prometeo.domain.aggregates.factura import Factura, NuevaLinea
from prometeo.domain.aggregates.nota_credito import NotaCredito
from prometeo.domain.errores import ReglasIncumplidas
from prometeo.domain.events.comprobante import DatosEmisor
from prometeo.domain.services.totales import DescuentoGlobal
from prometeo.domain.value_objects.comprador import Comprador
from prometeo.domain.value_objects.dinero import Cantidad, Dinero, Precio, redondear2
from prometeo.domain.value_objects.forma_pago import FormaPago, Pago
from prometeo.domain.value_objects.numero_comprobante import TipoComprobante
from prometeo.domain.value_objects.tarifa_iva import TarifaIva
from prometeo.infrastructure.sri.xml_comprobantes import (
    ComprobanteNoValido,
    errores_de_esquema,
    xml_de,
)
from unit.domain.negocio import EMISOR, Negocio, unidades, valor

D = Decimal
CENTAVO = D("0.01")

COMPRADORES = [
    Comprador.consumidor_final(),
    Comprador("04", "1790011674001", "Importadora del Pacífico S.A. & Cía.", "Guayaquil"),
    Comprador("05", "0602910945", "María Pérez", "Riobamba", "maria@example.com"),
    Comprador("06", "AB123456", "John O'Neill", None, "john@example.org"),
    Comprador("08", "X-99887766", "Comercio Exterior <GmbH>"),
]
EMISORES = [
    EMISOR,
    DatosEmisor(
        "0992345678001", "Ferretería Núñez", "", "Av. 9 de Octubre 100", False, "2",
        "5368", "12345678", "RIMPE_EMPRENDEDOR",
    ),
    DatosEmisor(
        "1712345678001", "Tienda Doña Rosa", "Doña Rosa", "Loja", False, "1",
        None, None, "RIMPE_NEGOCIO_POPULAR",
    ),
]  # fmt: skip
TARIFAS = ["0", "4", "5", "6", "7"]
unidades6 = st.integers(1, 50 * 10**6).map(lambda c: D(c).scaleb(-6))
precios6 = st.integers(0, 200 * 10**6).map(lambda c: D(c).scaleb(-6))


@st.composite
def facturas(draw: st.DrawFn) -> tuple[Negocio, Factura]:
    """An emitted factura of any shape: mixed tarifas, line and global discounts, 6-decimal
    quantities and prices, propina, one to three payments, each buyer and emisor type."""
    negocio = Negocio(emisor=draw(st.sampled_from(EMISORES)))
    nuevas: list[NuevaLinea] = []
    for n in range(1, draw(st.integers(1, 6)) + 1):
        cantidad, precio = draw(unidades6), draw(precios6)
        bruto = int(cantidad * precio * 100)
        descuento = D(draw(st.integers(0, bruto))).scaleb(-2) if draw(st.booleans()) else D(0)
        negocio.ingresar(f"p{n}", str(cantidad), "1.00")
        nuevas.append(
            NuevaLinea(
                producto_id=f"p{n}",
                codigo=f"P-{n}",
                descripcion=f"Producto {n} – café «especial»",
                cantidad=Cantidad(cantidad),
                precio_unitario=Precio(precio),
                tarifa_iva=TarifaIva.de_codigo(draw(st.sampled_from(TARIFAS))),
                descuento=Dinero(descuento),
            )
        )
    descuento_global = draw(
        st.one_of(
            st.none(),
            st.integers(0, 10_000).map(lambda c: DescuentoGlobal("PORCENTAJE", D(c).scaleb(-2))),
        )
    )

    comprador = draw(st.sampled_from(COMPRADORES))

    def borrador(propina: Dinero, pagos: tuple[Pago, ...]) -> Factura:
        factura = negocio.borrador([], comprador=comprador, propina=propina, pagos=pagos)
        for nueva in nuevas:
            factura.agregar(nueva)
        if descuento_global is not None:
            factura.aplicar_descuento(descuento_global)
        return factura

    previa = borrador(Dinero.cero(), ())
    tope = int(previa.totales().subtotal_sin_impuestos * 10)
    propina = Dinero(D(draw(st.integers(0, min(500, tope)))).scaleb(-2))
    total = borrador(propina, ()).totales().importe_total
    if comprador.es_consumidor_final and total > 50:  # ConsumidorFinalDentroDelLimite
        comprador = COMPRADORES[2]
    pagos: tuple[Pago, ...] = ()
    if draw(st.booleans()):
        partes = draw(st.integers(1, 3))
        centavos = int(total * 100)
        cortes = sorted(
            draw(st.lists(st.integers(0, centavos), min_size=partes - 1, max_size=partes - 1))
        )
        montos = [b - a for a, b in zip([0, *cortes], [*cortes, centavos], strict=True)]
        formas = [FormaPago.SIN_SISTEMA_FINANCIERO, FormaPago.TARJETA_CREDITO, FormaPago("20")]
        pagos = tuple(
            Pago(forma, Dinero(D(m).scaleb(-2)), 30, "dias") if forma == "20" else
            Pago(forma, Dinero(D(m).scaleb(-2)))
            for forma, m in zip(formas, montos, strict=False)
        )  # fmt: skip
    final = borrador(propina, pagos)
    negocio.emitir(final)
    return negocio, final


def _d(elemento: etree._Element, ruta: str) -> Decimal:
    return D(elemento.findtext(ruta) or "x")


def _dos_decimales(texto: str | None) -> bool:
    return texto is not None and len(texto.split(".")[-1]) == 2 and "." in texto


def _comprobar_como_el_sri(raiz: etree._Element, *, factura: bool) -> None:
    """The SRI's recomputation: each detalle's total = round2(cantidad × precio) −
    descuento, its IVA within a cent of base × tarifa; the header sums the detalles; the
    total is base + IVA (+ propina); every amount has exactly 2 decimals."""
    info = raiz.find("infoFactura" if factura else "infoNotaCredito")
    assert info is not None
    detalles = raiz.findall("detalles/detalle")
    por_tarifa: dict[str, tuple[Decimal, Decimal]] = {}
    descuentos = D(0)
    for detalle in detalles:
        cantidad, precio = _d(detalle, "cantidad"), _d(detalle, "precioUnitario")
        descuento, total = _d(detalle, "descuento"), _d(detalle, "precioTotalSinImpuesto")
        assert descuento >= 0
        assert total == redondear2(cantidad * precio) - descuento
        descuentos += descuento
        for ruta in ("descuento", "precioTotalSinImpuesto"):
            assert _dos_decimales(detalle.findtext(ruta))
        (impuesto,) = detalle.findall("impuestos/impuesto")
        base, iva = _d(impuesto, "baseImponible"), _d(impuesto, "valor")
        assert base == total
        assert abs(iva - base * _d(impuesto, "tarifa") / 100) <= CENTAVO
        codigo = impuesto.findtext("codigoPorcentaje") or ""
        b, i = por_tarifa.get(codigo, (D(0), D(0)))
        por_tarifa[codigo] = (b + base, i + iva)
    totales = info.findall("totalConImpuestos/totalImpuesto")
    assert {
        t.findtext("codigoPorcentaje"): (_d(t, "baseImponible"), _d(t, "valor")) for t in totales
    } == por_tarifa
    for t in totales:
        codigo = t.findtext("codigoPorcentaje") or ""
        exacto = redondear2(_d(t, "baseImponible") * TarifaIva.de_codigo(codigo).porcentaje / 100)
        if factura:
            assert _d(t, "valor") == exacto
        else:
            # A nota credits each line's share of the factura's IVA (so all the notas add up
            # to it exactly): within a cent per detalle of its own recomputation.
            lineas = sum(
                1 for d in detalles if d.findtext("impuestos/impuesto/codigoPorcentaje") == codigo
            )
            assert abs(_d(t, "valor") - exacto) <= CENTAVO * lineas
        assert _dos_decimales(t.findtext("valor"))
    sin_impuestos = _d(info, "totalSinImpuestos")
    assert sin_impuestos == sum((b for b, _ in por_tarifa.values()), D(0))
    iva = sum((i for _, i in por_tarifa.values()), D(0))
    if factura:
        assert _d(info, "totalDescuento") == descuentos
        total = _d(info, "importeTotal")
        assert total == sin_impuestos + iva + _d(info, "propina")
        pagos = info.findall("pagos/pago")
        assert pagos
        assert sum((_d(p, "total") for p in pagos), D(0)) == total
    else:
        assert _d(info, "valorModificacion") == sin_impuestos + iva


@settings(max_examples=120, suppress_health_check=[HealthCheck.too_slow])
@given(datos=facturas(), data=st.data())
def test_toda_factura_y_nota_valida_contra_el_xsd_y_suma_como_el_sri(
    datos: tuple[Negocio, Factura], data: st.DataObject
) -> None:
    negocio, factura = datos
    xml = xml_de(factura)
    raiz = etree.fromstring(xml.contenido)
    assert errores_de_esquema(raiz, TipoComprobante.FACTURA) == []
    assert raiz.get("id") == "comprobante"
    assert raiz.findtext("infoTributaria/claveAcceso") == factura.clave_acceso == xml.clave_acceso
    assert _d(raiz, "infoFactura/importeTotal") == factura.importe_total
    _comprobar_como_el_sri(raiz, factura=True)
    for linea, detalle in zip(factura.lineas, raiz.findall("detalles/detalle"), strict=True):
        assert _d(detalle, "precioTotalSinImpuesto") == linea.base_imponible
        assert _d(detalle, "impuestos/impuesto/valor") == linea.iva
    if factura.comprador.es_consumidor_final:
        return  # no notas de crédito for a consumidor final
    for _ in range(data.draw(st.integers(1, 3))):
        linea = factura.linea(data.draw(st.integers(1, len(factura.lineas))))
        if data.draw(st.booleans()):
            pedido = unidades(
                linea.producto_id,
                str(max(linea.cantidad / 2, D("0.000001")).quantize(D("0.000001"))),
            )
        else:
            pedido = valor(
                linea.producto_id,
                str(max((linea.base_imponible or D(0)) / 3, CENTAVO).quantize(CENTAVO)),
            )
        with contextlib.suppress(ReglasIncumplidas):
            nota = negocio.nota(factura, [pedido], devolucion=False)
            _comprobar_nota(nota)


def _comprobar_nota(nota: NotaCredito) -> None:
    xml = xml_de(nota)
    raiz = etree.fromstring(xml.contenido)
    assert errores_de_esquema(raiz, TipoComprobante.NOTA_CREDITO) == []
    assert raiz.findtext("infoNotaCredito/codDocModificado") == "01"
    assert raiz.findtext("infoNotaCredito/numDocModificado") == nota.numero_factura
    assert _d(raiz, "infoNotaCredito/valorModificacion") == nota.valor_modificacion
    _comprobar_como_el_sri(raiz, factura=False)


def test_los_textos_se_escapan_y_los_opcionales_del_emisor_aparecen() -> None:
    negocio = Negocio(emisor=EMISORES[1])
    negocio.ingresar("a", "5", "1.00")
    factura = negocio.borrador([("a", "2", "3.50")], comprador=COMPRADORES[1])
    negocio.emitir(factura)
    contenido = xml_de(factura).contenido
    assert b"Importadora del Pac\xc3\xadfico S.A. &amp; C\xc3\xada." in contenido
    raiz = etree.fromstring(contenido)
    assert raiz.findtext("infoTributaria/ambiente") == "2"
    assert raiz.findtext("infoTributaria/agenteRetencion") == "12345678"
    assert raiz.findtext("infoTributaria/contribuyenteRimpe") == "CONTRIBUYENTE RÉGIMEN RIMPE"
    assert raiz.find("infoTributaria/nombreComercial") is None
    assert raiz.findtext("infoFactura/contribuyenteEspecial") == "5368"
    assert raiz.findtext("infoFactura/obligadoContabilidad") == "NO"
    assert [c.get("nombre") for c in raiz.iterfind("infoAdicional/campoAdicional")] == ["Dirección"]


def test_un_documento_que_rompe_el_esquema_no_sale(monkeypatch: pytest.MonkeyPatch) -> None:
    """A document the XSD refuses raises, naming the element, instead of reaching a signer."""
    negocio = Negocio()
    negocio.ingresar("a", "5", "1.00")
    factura = negocio.borrador([("a", "1", "3.50")])
    negocio.emitir(factura)
    factura.numero = "001-001-12345"  # a secuencial of 5 digits breaks [0-9]{9}
    with pytest.raises(ComprobanteNoValido, match="secuencial"):
        xml_de(factura)


def test_una_linea_solo_de_valor_es_una_unidad_a_su_valor() -> None:
    negocio = Negocio()
    negocio.ingresar("a", "5", "1.00")
    factura = negocio.borrador([("a", "2", "10.00")])
    negocio.emitir(factura)
    nota = negocio.nota(factura, [valor("a", "3.00")], devolucion=False)
    raiz = etree.fromstring(xml_de(nota).contenido)
    detalle = raiz.find("detalles/detalle")
    assert detalle is not None
    assert (detalle.findtext("cantidad"), detalle.findtext("precioUnitario")) == ("1.00", "3.00")
    assert detalle.findtext("precioTotalSinImpuesto") == "3.00"
    _comprobar_como_el_sri(raiz, factura=False)
