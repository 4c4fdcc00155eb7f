"""A small hand-written factura to sign, and signxml's verifiers set up for the SRI's
profile (RSA-SHA1, SHA-1 digests, three references), trusting one authority."""

from __future__ import annotations

from pathlib import Path

from fabrica_certificados import AHORA, RUC
from lxml import etree
from signxml import (
    CanonicalizationMethod,
    DigestAlgorithm,
    SignatureConfiguration,
    SignatureMethod,
    XMLVerifier,
)
from signxml.xades import XAdESSignatureConfiguration, XAdESVerifier

DS = "http://www.w3.org/2000/09/xmldsig#"
ETSI = "http://uri.etsi.org/01903/v1.3.2#"
NS = {"ds": DS, "etsi": ETSI}
# XML-DSig's default for a reference without a c14n transform, and MITyC's (signxml's is 1.1).
C14N_1_0 = CanonicalizationMethod.CANONICAL_XML_1_0


def factura(ruc: str = RUC, *, lineas: int = 5, importe_total: str = "115.00") -> bytes:
    """A factura with the parts the signer reads (it need not be complete for the SRI)."""
    detalles = "".join(
        f"<detalle><codigoPrincipal>P{i:03}</codigoPrincipal>"
        f"<descripcion>Café de Loja n.º {i}, año 2026</descripcion>"
        "<cantidad>2.000000</cantidad><precioUnitario>10.000000</precioUnitario>"
        "<descuento>0.00</descuento><precioTotalSinImpuesto>20.00</precioTotalSinImpuesto>"
        "<impuestos><impuesto><codigo>2</codigo><codigoPorcentaje>4</codigoPorcentaje>"
        "<tarifa>15.00</tarifa><baseImponible>20.00</baseImponible><valor>3.00</valor>"
        "</impuesto></impuestos></detalle>"
        for i in range(lineas)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<factura id="comprobante" version="1.1.0"><infoTributaria><ambiente>1</ambiente>'
        "<tipoEmision>1</tipoEmision><razonSocial>EMPRESA DE PRUEBA S.A.</razonSocial>"
        f"<ruc>{ruc}</ruc>"
        "<claveAcceso>0512202601179206034600110010010000000011234567816</claveAcceso>"
        "<codDoc>01</codDoc><estab>001</estab><ptoEmi>001</ptoEmi>"
        "<secuencial>000000001</secuencial><dirMatriz>Av. Amazonas N34-451, Quito</dirMatriz>"
        "</infoTributaria><infoFactura><fechaEmision>05/12/2026</fechaEmision>"
        "<razonSocialComprador>Señora Ñusta Pérez</razonSocialComprador>"
        "<totalSinImpuestos>100.00</totalSinImpuestos><totalDescuento>0.00</totalDescuento>"
        f"<importeTotal>{importe_total}</importeTotal><moneda>DOLAR</moneda></infoFactura>"
        f"<detalles>{detalles}</detalles></factura>"
    ).encode()


def verificar(firmado: bytes, ca_pem: bytes, carpeta: Path) -> None:
    """Raises unless signxml's XML-DSig verifier accepts the signature."""
    XMLVerifier().verify(
        firmado,
        ca_pem_file=str(_archivo_ca(ca_pem, carpeta)),
        expect_config=SignatureConfiguration(
            signature_methods=frozenset({SignatureMethod.RSA_SHA1}),
            digest_algorithms=frozenset({DigestAlgorithm.SHA1}),
            expect_references=3,
            verification_time=AHORA,
            default_reference_c14n_method=C14N_1_0,
        ),
    )


def verificar_xades(firmado: bytes, ca_pem: bytes, carpeta: Path) -> list[object]:
    """signxml's XAdES verifier: the XAdES schema, the SignedProperties reference and the
    SigningCertificate digest, on top of the XML-DSig checks."""
    return list(
        XAdESVerifier().verify(
            firmado,
            ca_pem_file=str(_archivo_ca(ca_pem, carpeta)),
            expect_config=XAdESSignatureConfiguration(
                signature_methods=frozenset({SignatureMethod.RSA_SHA1}),
                digest_algorithms=frozenset({DigestAlgorithm.SHA1}),
                expect_references=3,
                verification_time=AHORA,
                default_reference_c14n_method=C14N_1_0,
            ),
        )
    )


def firma_de(firmado: bytes) -> etree._Element:
    firma = etree.fromstring(firmado).find("ds:Signature", NS)
    assert firma is not None
    return firma


def _archivo_ca(ca_pem: bytes, carpeta: Path) -> Path:
    archivo = carpeta / "ca.pem"  # signxml reads the trusted authorities from a path
    archivo.write_bytes(ca_pem)
    return archivo
