"""ServicioComprobantes: emitted documents are signed once, in order, off the emission's
path; a document whose XML breaks the schema stays PENDIENTE and says why; a certificate
problem stops the round."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from escenario import CAFE, PAN, Escenario

from prometeo.application.comandos import EmitirNotaCredito, LineaNotaCreditoCmd
from prometeo.application.servicios.comprobantes import ServicioComprobantes
from prometeo.application.sri import ComprobantePendiente, ErrorFirma, XmlNoValido
from prometeo.domain.aggregates.comprobante_electronico import EstadoSri
from prometeo.domain.aggregates.factura import Factura
from prometeo.domain.aggregates.nota_credito import NotaCredito
from prometeo.domain.errores import OperacionNoPermitida
from prometeo.domain.events.comprobante import ComprobanteFirmado

INSTANTE = datetime(2026, 11, 29, 10, 30, tzinfo=UTC)


class ColaEnMemoria:
    """The signer's queue, read from the store like the read model would."""

    def __init__(self, escenario: Escenario) -> None:
        self.escenario = escenario
        self.emitidos: list[ComprobantePendiente] = []

    def pendientes(self, limite: int) -> list[ComprobantePendiente]:
        quedan = []
        for p in self.emitidos:
            doc = (
                self.escenario.factura(p.documento_id)
                if p.tipo == "01"
                else self.escenario.nota(p.documento_id)
            )
            if doc.estado_sri is EstadoSri.PENDIENTE:
                quedan.append(p)
        return quedan[:limite]


class GeneradorFalso:
    """An XML that names the document; `rotos` are documents whose XML breaks the schema."""

    def __init__(self) -> None:
        self.rotos: set[str] = set()

    def xml(self, documento: Factura | NotaCredito) -> bytes:
        if documento.id in self.rotos:
            raise XmlNoValido("no cumple", ["línea 1: secuencial no válido"])
        return f"<comprobante clave='{documento.clave_acceso}'/>".encode()


class FirmaFalsa:
    def __init__(self) -> None:
        self.firmados: list[bytes] = []
        self.error: ErrorFirma | None = None

    def firmar(self, xml: bytes) -> bytes:
        if self.error is not None:
            raise self.error
        self.firmados.append(xml)
        return xml.replace(b"/>", b"><firma/></comprobante>")


@pytest.fixture
def montaje(
    tienda: Escenario,
) -> tuple[Escenario, ColaEnMemoria, GeneradorFalso, ServicioComprobantes]:
    cola, generador = ColaEnMemoria(tienda), GeneradorFalso()
    no_validos: list[str] = []
    servicio = ServicioComprobantes(
        tienda.fabrica,
        tienda.reloj,
        tienda.bus,
        pendientes=cola,
        generador=generador,
        ahora=lambda: INSTANTE,
        config=tienda.config,
        al_no_validar=lambda tipo, _errores: no_validos.append(tipo),
    )
    tienda.ingresar(CAFE, "10", "4.00")
    tienda.ingresar(PAN, "10", "0.50")
    return tienda, cola, generador, servicio


def _vender(tienda: Escenario, cola: ColaEnMemoria, producto: str = CAFE) -> str:
    factura_id = tienda.vender((producto, "1")).id
    cola.emitidos.append(ComprobantePendiente("01", factura_id))
    return factura_id


def test_firma_los_pendientes_en_orden_y_una_sola_vez(montaje) -> None:  # type: ignore[no-untyped-def]
    tienda, cola, _, servicio = montaje
    primera, segunda = _vender(tienda, cola), _vender(tienda, cola, PAN)
    firma = FirmaFalsa()
    ronda = servicio.firmar_pendientes(firma)
    assert (ronda.firmados, ronda.no_validos) == (2, 0)
    claves = [tienda.factura(f).clave_acceso for f in (primera, segunda)]
    assert firma.firmados == [f"<comprobante clave='{c}'/>".encode() for c in claves]
    factura = tienda.factura(primera)
    assert factura.estado_sri is EstadoSri.FIRMADO
    # Both signed in one unit of work (signed in emission order: see firma.firmados; the
    # store writes the streams of a unit of work in its own order).
    firmados = [
        c.evento
        for c in tienda.almacen.transacciones[-1]
        if isinstance(c.evento, ComprobanteFirmado)
    ]
    assert {f.documento_id for f in firmados} == {primera, segunda}
    (firmado,) = [f for f in firmados if f.documento_id == primera]
    assert firmado.xml == f"<comprobante clave='{claves[0]}'><firma/></comprobante>"
    assert (firmado.firmado_en, firmado.tipo_comprobante) == (INSTANTE, "01")
    assert tienda.uows[-1].metadatos.usuario == "firma-electronica"
    # A second round finds nothing, and the aggregate refuses a second signature.
    assert servicio.firmar_pendientes(firma).firmados == 0
    with pytest.raises(OperacionNoPermitida) as error:
        factura.registrar_firma("<otro/>", INSTANTE)
    assert error.value.reglas == ("ComprobantePendienteDeFirma",)


def test_una_nota_de_credito_tambien_se_firma(montaje) -> None:  # type: ignore[no-untyped-def]
    tienda, cola, _, servicio = montaje
    factura_id = _vender(tienda, cola)
    nota = tienda.notas.emitir_nota_credito(
        EmitirNotaCredito(factura_id, "Devolución", True, (LineaNotaCreditoCmd(CAFE, "1"),))
    )
    cola.emitidos.append(ComprobantePendiente("04", nota.id))
    assert servicio.firmar_pendientes(FirmaFalsa()).firmados == 2
    assert tienda.nota(nota.id).estado_sri is EstadoSri.FIRMADO


def test_un_xml_fuera_del_esquema_queda_pendiente_y_no_frena_a_los_demas(montaje) -> None:  # type: ignore[no-untyped-def]
    tienda, cola, generador, servicio = montaje
    roto, sano = _vender(tienda, cola), _vender(tienda, cola)
    generador.rotos.add(roto)
    firma = FirmaFalsa()
    ronda = servicio.firmar_pendientes(firma)
    assert (ronda.firmados, ronda.no_validos) == (1, 1)
    assert tienda.factura(sano).estado_sri is EstadoSri.FIRMADO
    factura = tienda.factura(roto)
    assert factura.estado_sri is EstadoSri.PENDIENTE
    assert factura.errores_xml == ("línea 1: secuencial no válido",)
    eventos = len(tienda.almacen.eventos(f"factura-{roto}"))
    # The same error is not recorded again round after round.
    assert servicio.firmar_pendientes(firma).no_validos == 1
    assert len(tienda.almacen.eventos(f"factura-{roto}")) == eventos
    # Once the XML is right it is signed.
    generador.rotos.clear()
    assert servicio.firmar_pendientes(firma).firmados == 1
    assert tienda.factura(roto).errores_xml == ()


def test_un_certificado_inutilizable_detiene_la_ronda_sin_tocar_nada(montaje) -> None:  # type: ignore[no-untyped-def]
    tienda, cola, _, servicio = montaje
    factura_id = _vender(tienda, cola)
    firma = FirmaFalsa()
    firma.error = ErrorFirma("CertificadoVigente", "El certificado venció el 2026-11-01")
    transacciones = len(tienda.almacen.transacciones)
    with pytest.raises(ErrorFirma):
        servicio.firmar_pendientes(firma)
    assert len(tienda.almacen.transacciones) == transacciones
    assert tienda.factura(factura_id).estado_sri is EstadoSri.PENDIENTE


def test_el_xml_sin_firmar_para_el_ride(montaje) -> None:  # type: ignore[no-untyped-def]
    tienda, cola, _, servicio = montaje
    factura_id = _vender(tienda, cola)
    clave = tienda.factura(factura_id).clave_acceso
    transacciones = len(tienda.almacen.transacciones)
    assert servicio.xml_sin_firmar("01", factura_id) == f"<comprobante clave='{clave}'/>".encode()
    assert len(tienda.almacen.transacciones) == transacciones  # read only
    assert tienda.factura(factura_id).estado_sri is EstadoSri.PENDIENTE
