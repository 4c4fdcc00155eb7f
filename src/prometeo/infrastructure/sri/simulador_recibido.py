"""What the simulated SRI reads in a received comprobante, in the order the real one checks
(SRI-ELECTRONICO §1.4, 6): that it is XML, its schema, and its signature, whose failure
only authorization reports (39)."""

from __future__ import annotations

import base64
import binascii
import copy
from dataclasses import dataclass

from lxml import etree

from prometeo.domain.value_objects.numero_comprobante import TipoComprobante
from prometeo.infrastructure.sri.firma import DS
from prometeo.infrastructure.sri.verificacion import FirmaInvalida, verificar_firma
from prometeo.infrastructure.sri.xml_comprobantes import errores_de_esquema

_TIPOS = {"factura": TipoComprobante.FACTURA, "notaCredito": TipoComprobante.NOTA_CREDITO}
# Whatever a client sends: no entities expanded, no network.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


@dataclass(frozen=True, slots=True)
class ComprobanteRecibido:
    """A decoded comprobante: its clave, its text as echoed back, its schema errors and,
    when it has none, why its signature fails (None: it verifies)."""

    clave: str | None
    texto: str
    ambiente: str
    errores: tuple[str, ...]
    falla_firma: str | None


def leer_comprobante(base64_xml: str) -> ComprobanteRecibido | None:
    """The comprobante in a validarComprobante, or None when it is not a UTF-8 XML
    factura or notaCredito (the real 35 without `estado`)."""
    try:
        contenido = base64.b64decode("".join(base64_xml.split()), validate=True)
        texto = contenido.decode("utf-8")
        raiz = etree.fromstring(contenido, _PARSER)
    except (binascii.Error, ValueError, etree.XMLSyntaxError):
        return None
    tipo = _TIPOS.get(raiz.tag) if isinstance(raiz.tag, str) else None
    if tipo is None:
        return None
    clave = raiz.findtext("infoTributaria/claveAcceso")
    ambiente = "PRODUCCIÓN" if raiz.findtext("infoTributaria/ambiente") == "2" else "PRUEBAS"
    # The XSDs do not allow ds:Signature: the schema is checked on the document without it.
    sin_firma = copy.deepcopy(raiz)
    for firma in sin_firma.findall(f"{{{DS}}}Signature"):
        sin_firma.remove(firma)
    errores = tuple(_sin_linea(e) for e in errores_de_esquema(sin_firma, tipo))
    falla_firma = None
    if not errores:
        try:
            verificar_firma(raiz)
        except FirmaInvalida as error:
            falla_firma = str(error)
    return ComprobanteRecibido(clave, texto, ambiente, errores, falla_firma)


def _sin_linea(error: str) -> str:
    """The XSD message alone, as the SRI's informacionAdicional carries it."""
    return error.split(": ", 1)[1] if error.startswith("línea ") else error
