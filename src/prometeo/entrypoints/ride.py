"""The RIDE (the printed form, a PDF) of an emitted factura or nota de crédito: one way
to make it, for the API (token) and the screens (session). Until the SRI authorizes the
document it carries a visible mark saying so."""

from __future__ import annotations

from starlette.responses import Response

from prometeo.application.consultas import SriVista
from prometeo.application.sri import ComprobanteSinFirmar
from prometeo.bootstrap import Servicios
from prometeo.domain.value_objects.numero_comprobante import TipoComprobante

FACTURA, NOTA = TipoComprobante.FACTURA.value, TipoComprobante.NOTA_CREDITO.value


def sri_de(servicios: Servicios, tipo: str, documento_id: str) -> SriVista:
    """The document's SRI state; ComprobanteSinFirmar before it has one."""
    consultas = servicios.consultas
    if tipo == FACTURA:
        vista = consultas.factura(documento_id)
        sri, numero = vista.sri, vista.numero
    else:
        nota = consultas.nota_credito(documento_id)
        sri, numero = nota.sri, nota.numero
    if sri is None:
        raise ComprobanteSinFirmar(numero)
    return sri


def ride(servicios: Servicios, tipo: str, documento_id: str) -> Response:
    """The RIDE as an inline PDF named after the clave de acceso."""
    sri = sri_de(servicios, tipo, documento_id)
    comprobantes = servicios.comprobantes
    try:
        xml = servicios.consultas.xml_firmado(tipo, documento_id)
    except ComprobanteSinFirmar:
        xml = comprobantes.xml_sin_firmar(tipo, documento_id)
    pdf = comprobantes.ride(
        xml,
        estado=sri.estado,
        numero_autorizacion=sri.numero_autorizacion,
        fecha_autorizacion=sri.fecha_autorizacion,
    )
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{sri.clave_acceso}.pdf"'},
    )
