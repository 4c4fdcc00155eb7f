"""The RIDE prints what the XML says: its text, read back with pypdf, holds the
comprobante's data, its totals in the RIDE's number format, and the no-authorization mark
exactly while the SRI has not authorized it. The samples in muestras/ are hand-written
and must stay valid against the vendored XSDs."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader

from prometeo.domain.value_objects.clave_acceso import ClaveAcceso, digito_verificador
from prometeo.infrastructure.sri.ride import cantidad, generar_ride, importe
from prometeo.infrastructure.sri.xml_comprobantes import xml_de
from unit.domain.negocio import Negocio
from unit.domain.negocio import valor as linea_de_valor

MUESTRAS = Path(__file__).parent / "muestras"
XSD = Path(__file__).parents[4] / "src/prometeo/infrastructure/sri/xsd"
FACTURA = "factura_tarifas_mixtas.xml"
CONSUMIDOR_FINAL = "factura_consumidor_final.xml"
NOTA = "nota_credito.xml"
SIN_AUTORIZACION = "DOCUMENTO SIN AUTORIZACIÓN DEL SRI"
ECUADOR = timezone(timedelta(hours=-5))


def muestra(nombre: str) -> bytes:
    return (MUESTRAS / nombre).read_bytes()


def texto_de(pdf: bytes) -> list[str]:
    """Each page's text, spaces collapsed."""
    paginas = PdfReader(io.BytesIO(pdf)).pages
    return [re.sub(r"\s+", " ", p.extract_text() or "") for p in paginas]


def factura_larga(lineas: int = 120) -> bytes:
    """A valid factura of `lineas` lines at 15 %, with totals that add up."""
    raiz = etree.fromstring(muestra(CONSUMIDOR_FINAL))
    trib = raiz.find("infoTributaria")
    base48 = "02122025" + "01" + "1792060346001" + "2" + "001001" + "000000777" + "556677881"
    for nombre, valor in [
        ("ambiente", "2"),
        ("secuencial", "000000777"),
        ("claveAcceso", base48 + digito_verificador(base48)),
    ]:
        trib.find(nombre).text = valor
    detalles = raiz.find("detalles")
    detalles.clear()
    subtotal = Decimal(0)
    for i in range(1, lineas + 1):
        precio = Decimal(i) + Decimal("0.25")
        subtotal += precio
        detalle = etree.SubElement(detalles, "detalle")
        for nombre, valor in [
            ("codigoPrincipal", f"ART-{i:04d}"),
            ("descripcion", f"Artículo número {i} del catálogo de repuestos"),
            ("cantidad", "1"),
            ("precioUnitario", f"{precio}"),
            ("descuento", "0.00"),
            ("precioTotalSinImpuesto", f"{precio:.2f}"),
        ]:
            etree.SubElement(detalle, nombre).text = valor
        impuesto = etree.SubElement(etree.SubElement(detalle, "impuestos"), "impuesto")
        iva = (precio * Decimal("0.15")).quantize(Decimal("0.01"))
        for nombre, valor in [
            ("codigo", "2"),
            ("codigoPorcentaje", "4"),
            ("tarifa", "15"),
            ("baseImponible", f"{precio:.2f}"),
            ("valor", f"{iva}"),
        ]:
            etree.SubElement(impuesto, nombre).text = valor
    iva_total = (subtotal * Decimal("0.15")).quantize(Decimal("0.01"))
    info = raiz.find("infoFactura")
    info.find("razonSocialComprador").text = "FERRETERÍA EL PERNO S.A."
    info.find("tipoIdentificacionComprador").text = "04"
    info.find("identificacionComprador").text = "1790011674001"
    for ruta, valor in [
        ("totalSinImpuestos", subtotal),
        ("totalConImpuestos/totalImpuesto/baseImponible", subtotal),
        ("totalConImpuestos/totalImpuesto/valor", iva_total),
        ("importeTotal", subtotal + iva_total),
        ("pagos/pago/total", subtotal + iva_total),
    ]:
        info.find(ruta).text = f"{valor:.2f}"
    return etree.tostring(raiz, xml_declaration=True, encoding="UTF-8")


def firmado(xml: bytes) -> bytes:
    """The XML with a (dummy) enveloped ds:Signature as its last child, as the SRI gets it."""
    raiz = etree.fromstring(xml)
    ds = "http://www.w3.org/2000/09/xmldsig#"
    firma = etree.SubElement(raiz, f"{{{ds}}}Signature", nsmap={"ds": ds}, Id="Signature1")
    etree.SubElement(firma, f"{{{ds}}}SignatureValue").text = "bm8gZXMgdW5hIGZpcm1h"
    return etree.tostring(raiz, xml_declaration=True, encoding="UTF-8")


@pytest.mark.parametrize(
    ("xml", "esquema"),
    [
        (muestra(FACTURA), "factura_V1.1.0.xsd"),
        (muestra(CONSUMIDOR_FINAL), "factura_V1.1.0.xsd"),
        (muestra(NOTA), "NotaCredito_V1.1.0.xsd"),
        (factura_larga(), "factura_V1.1.0.xsd"),
    ],
    ids=["factura", "consumidor_final", "nota", "larga"],
)
def test_las_muestras_cumplen_el_xsd_del_sri(xml: bytes, esquema: str) -> None:
    xsd = etree.XMLSchema(etree.parse(XSD / esquema))
    documento = etree.fromstring(xml)
    assert xsd.validate(documento), xsd.error_log
    ClaveAcceso(documento.findtext("infoTributaria/claveAcceso"))  # check digit is right


def test_la_factura_imprime_emisor_documento_y_comprador() -> None:
    fecha = datetime(2025, 12, 1, 10, 15, 32, tzinfo=ECUADOR)
    (pagina,) = texto_de(
        generar_ride(muestra(FACTURA), estado="AUTORIZADO", fecha_autorizacion=fecha)
    )
    for esperado in [
        "COMERCIAL ANDINA & ASOCIADOS S.A.",
        "Andina Tecnología",
        "R.U.C.: 1792060346001",
        "FACTURA",
        "No. 001-001-000000123",
        "0112202501179206034600120010010000001231234567818",
        "FECHA Y HORA DE AUTORIZACIÓN: 01/12/2025 10:15:32",
        "AMBIENTE: PRODUCCIÓN",
        "EMISIÓN: NORMAL",
        "Contribuyente Especial Nro. 5368",
        "OBLIGADO A LLEVAR CONTABILIDAD: SI",
        "Agente de Retención Resolución No. 1",
        "Dir. Sucursal: Av. 6 de Diciembre N24-253",
        "DISTRIBUIDORA <EL SOL> & CÍA. LTDA.",
        "0990138850001",
        "01/12/2025",
        "Av. 9 de Octubre 1911 y Los Ríos, Guayaquil",
        "Serie: PF4XK21A, PF4XK21B",
        "compras@elsol.com.ec",
        "04-2345678",
        "19 - TARJETA DE CRÉDITO",
        "20 - OTROS CON UTILIZACIÓN DEL SISTEMA FINANCIERO",
        "990.17 30 dias",
        "Página 1 de 1",
    ]:
        assert esperado in pagina, esperado
    assert "ESTADO" not in pagina


def test_las_lineas_imprimen_cantidades_sin_ceros_de_mas_e_importes_con_dos_decimales() -> None:
    (pagina,) = texto_de(generar_ride(muestra(FACTURA), estado="AUTORIZADO"))
    assert "LAP-E14-G5" in pagina
    assert "7501031311309" in pagina.replace(" ", "")  # the code may wrap in its cell
    assert " 2 Laptop Lenovo" in pagina
    assert "850.00 85.00 1,615.00" in pagina
    assert "3 Mouse inalámbrico Logitech M185 12.50 0.00 37.50" in pagina
    assert "2.375 Café molido de Loja (kg) 8.123456 0.00 19.29" in pagina


def test_los_totales_siguen_el_orden_de_la_ficha() -> None:
    (pagina,) = texto_de(generar_ride(muestra(FACTURA), estado="AUTORIZADO"))
    totales = [
        "SUBTOTAL 15% 1,652.50",
        "SUBTOTAL 0% 19.29",
        "SUBTOTAL NO OBJETO DE IVA 20.00",
        "SUBTOTAL EXENTO DE IVA 40.50",
        "SUBTOTAL SIN IMPUESTOS 1,732.29",
        "TOTAL DESCUENTO 89.50",
        "ICE 0.00",
        "IVA 15% 247.88",
        "PROPINA 10.00",
        "VALOR TOTAL 1,990.17",
    ]
    posiciones = [pagina.find(t) for t in totales]
    assert -1 not in posiciones, [t for t, p in zip(totales, posiciones, strict=True) if p < 0]
    assert posiciones == sorted(posiciones)


def test_la_nota_de_credito_imprime_el_comprobante_que_modifica_y_el_motivo() -> None:
    (pagina,) = texto_de(generar_ride(muestra(NOTA), estado="AUTORIZADO"))
    for esperado in [
        "NOTA DE CRÉDITO",
        "No. 001-001-000000012",
        "0512202504179206034600120010010000000121122334415",
        "FACTURA 001-001-000000123",
        "01/12/2025",
        "05/12/2025",
        "Devolución de mercadería defectuosa",
        "CAF-LOJA-1K CAFE-GR 0.5 Café molido de Loja (kg) 8.123456 0.00 4.06",
        "SUBTOTAL 15% 12.50",
        "SUBTOTAL 0% 4.06",
        "SUBTOTAL SIN IMPUESTOS 16.56",
        "IVA 15% 1.88",
        "VALOR TOTAL 18.44",
    ]:
        assert esperado in pagina, esperado
    assert "PROPINA" not in pagina


def test_sin_autorizacion_cada_pagina_lleva_la_marca_y_el_estado() -> None:
    paginas = texto_de(generar_ride(factura_larga(), estado="PENDIENTE"))
    assert len(paginas) > 1
    assert all(SIN_AUTORIZACION in p for p in paginas)
    assert "ESTADO: PENDIENTE" in paginas[0]


def test_autorizado_no_lleva_la_marca() -> None:
    paginas = texto_de(generar_ride(factura_larga(), estado="AUTORIZADO"))
    assert not any(SIN_AUTORIZACION in p or "NO VÁLIDO" in p for p in paginas)


def test_en_ambiente_de_pruebas_se_ve_pruebas() -> None:
    (pagina,) = texto_de(generar_ride(muestra(CONSUMIDOR_FINAL), estado="PENDIENTE"))
    assert "AMBIENTE: PRUEBAS" in pagina
    assert "AMBIENTE DE PRUEBAS" in pagina
    assert SIN_AUTORIZACION in pagina


def test_consumidor_final_y_rimpe() -> None:
    (pagina,) = texto_de(generar_ride(muestra(CONSUMIDOR_FINAL), estado="AUTORIZADO"))
    for esperado in [
        "CONSUMIDOR FINAL",
        "9999999999999",
        "CONTRIBUYENTE NEGOCIO POPULAR - RÉGIMEN RIMPE",
        "OBLIGADO A LLEVAR CONTABILIDAD: NO",
        "01 - SIN UTILIZACIÓN DEL SISTEMA FINANCIERO",
        "IVA 15% 1.58",
        "VALOR TOTAL 12.08",
    ]:
        assert esperado in pagina, esperado
    assert "Dir. Sucursal" not in pagina
    assert "Información Adicional" not in pagina


def test_muchas_lineas_pasan_a_mas_paginas_con_la_cabecera_de_la_tabla() -> None:
    paginas = texto_de(generar_ride(factura_larga(120), estado="AUTORIZADO"))
    total = len(paginas)
    assert total >= 3
    for numero, pagina in enumerate(paginas, start=1):
        assert f"Página {numero} de {total}" in pagina
        assert "Cód. Principal" in pagina
        assert "Precio Total" in pagina
    todo = " ".join(paginas)
    assert all(f"ART-{i:04d}" in todo for i in range(1, 121))
    assert "VALOR TOTAL 8,383.50" in paginas[-1]  # Σ(i + 0.25) = 7,290.00, plus 15 % IVA


def test_informacion_adicional_mas_alta_que_una_pagina_va_debajo_de_los_totales() -> None:
    raiz = etree.fromstring(muestra(FACTURA))
    adicional = raiz.find("infoAdicional")
    adicional.clear()
    for i in range(15):  # the XSD's maximum, each at its 300 characters
        campo = etree.SubElement(adicional, "campoAdicional", nombre=f"Observación {i:02d}")
        campo.text = (f"Nota {i:02d} " + "larga " * 60)[:300]
    paginas = texto_de(generar_ride(etree.tostring(raiz), estado="AUTORIZADO"))
    todo = " ".join(paginas)
    assert len(paginas) > 1
    assert "VALOR TOTAL 1,990.17" in paginas[0]
    assert all(f"Observación {i:02d}" in todo for i in range(15))


def test_un_comprobante_firmado_se_imprime_igual() -> None:
    for nombre in (FACTURA, NOTA):
        sin_firma = texto_de(generar_ride(muestra(nombre), estado="AUTORIZADO"))
        con_firma = texto_de(generar_ride(firmado(muestra(nombre)), estado="AUTORIZADO"))
        assert con_firma == sin_firma


def test_la_misma_entrada_da_los_mismos_bytes() -> None:
    fecha = datetime(2025, 12, 1, 10, 15, 32, tzinfo=ECUADOR)
    primero = generar_ride(muestra(FACTURA), estado="AUTORIZADO", fecha_autorizacion=fecha)
    segundo = generar_ride(muestra(FACTURA), estado="AUTORIZADO", fecha_autorizacion=fecha)
    assert primero == segundo
    assert primero.startswith(b"%PDF-")


def test_el_numero_de_autorizacion_dado_se_imprime() -> None:
    clave = "0112202501179206034600120010010000001231234567818"
    (pagina,) = texto_de(
        generar_ride(muestra(FACTURA), estado="AUTORIZADO", numero_autorizacion=clave)
    )
    assert f"NÚMERO DE AUTORIZACIÓN {clave}" in pagina


def test_el_xml_que_genera_prometeo_se_imprime() -> None:
    negocio = Negocio()
    negocio.ingresar("a", "5", "1.00")
    factura = negocio.borrador([("a", "2", "10.00")])
    negocio.emitir(factura)
    nota = negocio.nota(factura, [linea_de_valor("a", "3.00")], devolucion=False)
    for documento, total in [(factura, "importeTotal"), (nota, "valorModificacion")]:
        comprobante = xml_de(documento)
        raiz = etree.fromstring(comprobante.contenido)
        (pagina,) = texto_de(generar_ride(comprobante.contenido, estado="AUTORIZADO"))
        assert comprobante.clave_acceso in pagina
        assert f"No. {comprobante.numero}" in pagina
        assert f"VALOR TOTAL {importe(raiz.findtext(f'.//{total}'))}" in pagina


def test_un_xml_que_no_es_factura_ni_nota_se_rechaza() -> None:
    with pytest.raises(ValueError, match="ni una nota de crédito"):
        generar_ride(b"<guiaRemision id='comprobante'/>", estado="AUTORIZADO")


@pytest.mark.parametrize(
    ("texto", "esperado"),
    [("1234.5", "1,234.50"), ("0", "0.00"), ("1990.17", "1,990.17"), ("", "")],
)
def test_importe(texto: str, esperado: str) -> None:
    assert importe(texto) == esperado


@pytest.mark.parametrize(
    ("texto", "decimales", "esperado"),
    [
        ("2.000000", 0, "2"),
        ("2.375", 0, "2.375"),
        ("100", 0, "100"),
        ("1500.5", 0, "1,500.5"),
        ("12.5", 2, "12.50"),
        ("8.123456", 2, "8.123456"),
        ("850.000000", 2, "850.00"),
        ("0.000001", 0, "0.000001"),
    ],
)
def test_cantidad(texto: str, decimales: int, esperado: str) -> None:
    assert cantidad(texto, decimales) == esperado
