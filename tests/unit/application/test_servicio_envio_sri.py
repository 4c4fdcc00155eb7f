"""ServicioEnvioSri: the SRI's process rules, step by step, against a scripted SRI."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from escenario import CAFE, Escenario

from prometeo.application.comandos import AnularFactura, CorregirComprobante, CrearCliente
from prometeo.application.servicios.comprobantes import ServicioComprobantes
from prometeo.application.servicios.envio_sri import Paso, ServicioEnvioSri
from prometeo.application.sri import (
    Autorizacion,
    ComprobantePendiente,
    ErrorTransitorioSri,
    MensajeSri,
    RespuestaAutorizacion,
    RespuestaRecepcion,
)
from prometeo.domain.aggregates.comprobante_electronico import EstadoSri
from prometeo.domain.aggregates.factura import Factura
from prometeo.domain.aggregates.nota_credito import NotaCredito
from prometeo.domain.errores import OperacionNoPermitida, ValorInvalido
from prometeo.domain.events.comprobante import ComprobanteFirmado

INSTANTE = datetime(2026, 11, 29, 10, 30, tzinfo=UTC)
AUTORIZADO = Autorizacion(
    "AUTORIZADO",
    numero_autorizacion="1" * 49,
    fecha_autorizacion=INSTANTE,
    ambiente="PRUEBAS",
    comprobante="<factura/>",
    xml="<autorizacion><estado>AUTORIZADO</estado></autorizacion>",
)


class SriGuionado:
    """Answers from a script; counts the receptions per clave."""

    def __init__(self) -> None:
        self.recepciones: list[RespuestaRecepcion | Exception] = []
        self.autorizaciones: list[RespuestaAutorizacion | Exception] = []
        self.recibidos: list[bytes] = []
        self.consultas: list[str] = []

    def enviar(self, firmado: bytes) -> RespuestaRecepcion:
        respuesta = self.recepciones.pop(0)
        if isinstance(respuesta, Exception):
            raise respuesta
        self.recibidos.append(firmado)
        return respuesta

    def autorizacion(self, clave_acceso: str) -> RespuestaAutorizacion:
        self.consultas.append(clave_acceso)
        respuesta = self.autorizaciones.pop(0)
        if isinstance(respuesta, Exception):
            raise respuesta
        return respuesta


class GeneradorFalso:
    def xml(self, documento: Factura | NotaCredito) -> bytes:
        return f"<comprobante clave='{documento.clave_acceso}'/>".encode()


class FirmaFalsa:
    def firmar(self, xml: bytes) -> bytes:
        return xml + b"<!--firmado-->"


@pytest.fixture
def montaje(
    tienda: Escenario,
) -> tuple[Escenario, SriGuionado, ServicioEnvioSri, ComprobantePendiente]:
    tienda.ingresar(CAFE, "10", "4.00")
    factura_id = tienda.vender((CAFE, "1")).id
    pendiente = ComprobantePendiente("01", factura_id)

    class Cola:
        def pendientes(self, limite: int) -> list[ComprobantePendiente]:
            return [pendiente]

    firmas = ServicioComprobantes(
        tienda.fabrica, tienda.reloj, tienda.bus,
        pendientes=Cola(), generador=GeneradorFalso(), ahora=lambda: INSTANTE,
    )  # fmt: skip
    firmas.firmar_pendientes(FirmaFalsa())
    sri = SriGuionado()
    servicio = ServicioEnvioSri(
        tienda.fabrica, tienda.reloj, tienda.bus,
        sri=sri, xml_firmado=lambda _t, _i: b"<firmado/>", ahora=lambda: INSTANTE,
        config=tienda.config, margen_en_vuelo=0,
    )  # fmt: skip
    return tienda, sri, servicio, pendiente


def _estado(tienda: Escenario, pendiente: ComprobantePendiente) -> EstadoSri:
    return tienda.factura(pendiente.documento_id).estado_sri


def _en_proceso() -> RespuestaAutorizacion:
    return RespuestaAutorizacion((Autorizacion("EN PROCESO"),))


def test_recibida_en_proceso_autorizado(montaje) -> None:  # type: ignore[no-untyped-def]
    tienda, sri, servicio, pendiente = montaje
    sri.recepciones.append(RespuestaRecepcion("RECIBIDA"))
    assert servicio.paso(pendiente) is Paso.ENVIADO
    assert sri.recibidos == [b"<firmado/>"]
    assert _estado(tienda, pendiente) is EstadoSri.RECIBIDA
    sri.autorizaciones += [_en_proceso(), _en_proceso(), RespuestaAutorizacion((AUTORIZADO,))]
    assert servicio.paso(pendiente) is Paso.CONSULTADO
    assert _estado(tienda, pendiente) is EstadoSri.EN_PROCESO
    eventos = len(tienda.almacen.eventos(f"factura-{pendiente.documento_id}"))
    servicio.paso(pendiente)  # EN PROCESO again: asked, nothing new recorded, never resent
    assert len(tienda.almacen.eventos(f"factura-{pendiente.documento_id}")) == eventos
    assert servicio.paso(pendiente) is Paso.CONSULTADO
    factura = tienda.factura(pendiente.documento_id)
    assert factura.estado_sri is EstadoSri.AUTORIZADO
    assert factura.numero_autorizacion == "1" * 49
    assert len(sri.recibidos) == 1
    assert servicio.paso(pendiente) is Paso.NADA  # final


def test_devuelta_43_se_consulta_y_autorizado_es_exito(montaje) -> None:  # type: ignore[no-untyped-def]
    tienda, sri, servicio, pendiente = montaje
    sri.recepciones.append(
        RespuestaRecepcion("DEVUELTA", (MensajeSri("43", "CLAVE ACCESO REGISTRADA"),))
    )
    servicio.paso(pendiente)
    assert _estado(tienda, pendiente) is EstadoSri.DEVUELTA
    varias = RespuestaAutorizacion((Autorizacion("NO AUTORIZADO"), AUTORIZADO))
    sri.autorizaciones.append(varias)
    assert servicio.paso(pendiente) is Paso.CONSULTADO  # asked, never resent
    assert _estado(tienda, pendiente) is EstadoSri.AUTORIZADO
    assert len(sri.recibidos) == 1


@pytest.mark.parametrize("codigo", ["70", "45"])
def test_devuelta_70_o_45_no_se_reenvia(montaje, codigo: str) -> None:  # type: ignore[no-untyped-def]
    tienda, sri, servicio, pendiente = montaje
    sri.recepciones.append(RespuestaRecepcion("DEVUELTA", (MensajeSri(codigo, "..."),)))
    servicio.paso(pendiente)
    sri.autorizaciones.append(_en_proceso())
    assert servicio.paso(pendiente) is Paso.CONSULTADO
    assert _estado(tienda, pendiente) is EstadoSri.EN_PROCESO
    assert len(sri.recibidos) == 1


@pytest.mark.parametrize("codigo", ["65", "35"])
def test_otra_devuelta_se_detiene_sin_reenvio_automatico(montaje, codigo: str) -> None:  # type: ignore[no-untyped-def]
    tienda, sri, servicio, pendiente = montaje
    sri.recepciones.append(RespuestaRecepcion("DEVUELTA", (MensajeSri(codigo, "RECHAZO"),)))
    servicio.paso(pendiente)
    factura = tienda.factura(pendiente.documento_id)
    assert factura.estado_sri is EstadoSri.DEVUELTA
    assert [m.identificador for m in factura.mensajes_sri] == [codigo]
    assert not factura.reenvio_automatico
    assert servicio.paso(pendiente) is Paso.NADA  # stopped: waits for a person


def test_no_autorizado_se_detiene(montaje) -> None:  # type: ignore[no-untyped-def]
    tienda, sri, servicio, pendiente = montaje
    sri.recepciones.append(RespuestaRecepcion("RECIBIDA"))
    servicio.paso(pendiente)
    motivo = MensajeSri("56", "ESTABLECIMIENTO CERRADO")
    sri.autorizaciones.append(
        RespuestaAutorizacion((Autorizacion("NO AUTORIZADO", mensajes=(motivo,)),))
    )
    servicio.paso(pendiente)
    assert _estado(tienda, pendiente) is EstadoSri.NO_AUTORIZADO
    assert tienda.factura(pendiente.documento_id).detenido
    assert servicio.paso(pendiente) is Paso.NADA


def test_un_envio_sin_respuesta_se_consulta_antes_de_reenviar(montaje) -> None:  # type: ignore[no-untyped-def]
    """The call failed (or the process died) after the send was recorded: the next step
    asks Autorización; the SRI has nothing, so it is sent again, once."""
    tienda, sri, servicio, pendiente = montaje
    sri.recepciones.append(ErrorTransitorioSri("tiempo de espera agotado"))
    with pytest.raises(ErrorTransitorioSri):
        servicio.paso(pendiente)
    assert tienda.factura(pendiente.documento_id).en_vuelo
    sri.autorizaciones.append(RespuestaAutorizacion(()))
    assert servicio.paso(pendiente) is Paso.CONSULTADO
    assert _estado(tienda, pendiente) is EstadoSri.FIRMADO
    assert sri.recibidos == []
    sri.recepciones.append(RespuestaRecepcion("RECIBIDA"))
    assert servicio.paso(pendiente) is Paso.ENVIADO
    assert _estado(tienda, pendiente) is EstadoSri.RECIBIDA
    assert tienda.factura(pendiente.documento_id).envios == 2


def test_un_envio_que_si_llego_se_encuentra_autorizado(montaje) -> None:  # type: ignore[no-untyped-def]
    tienda, sri, servicio, pendiente = montaje
    sri.recepciones.append(ErrorTransitorioSri("se cortó la conexión"))
    with pytest.raises(ErrorTransitorioSri):
        servicio.paso(pendiente)
    sri.autorizaciones.append(RespuestaAutorizacion((AUTORIZADO,)))
    servicio.paso(pendiente)
    assert _estado(tienda, pendiente) is EstadoSri.AUTORIZADO
    assert sri.recibidos == []  # never received twice by our doing


def test_dos_despachadores_no_envian_dos_veces(montaje) -> None:  # type: ignore[no-untyped-def]
    tienda, sri, servicio, pendiente = montaje
    otro = ServicioEnvioSri(
        tienda.fabrica, tienda.reloj, tienda.bus,
        sri=sri, xml_firmado=lambda _t, _i: b"<firmado/>", ahora=lambda: INSTANTE,
        config=tienda.config,
    )  # fmt: skip
    # The other dispatcher reserves the send first; this one then finds it in flight.
    sri.recepciones.append(RespuestaRecepcion("RECIBIDA"))
    assert otro.paso(pendiente) is Paso.ENVIADO
    sri.autorizaciones.append(_en_proceso())
    assert servicio.paso(pendiente) is Paso.CONSULTADO
    assert len(sri.recibidos) == 1


def test_un_envio_reciente_sin_respuesta_no_se_reenvia_todavia(montaje) -> None:  # type: ignore[no-untyped-def]
    """Another dispatcher's send may still be on its way: until the margin passes, the SRI
    having nothing is not taken as lost."""
    tienda, sri, _, pendiente = montaje
    reloj = [INSTANTE]
    servicio = ServicioEnvioSri(
        tienda.fabrica, tienda.reloj, tienda.bus,
        sri=sri, xml_firmado=lambda _t, _i: b"<firmado/>", ahora=lambda: reloj[0],
        config=tienda.config, margen_en_vuelo=60,
    )  # fmt: skip
    sri.recepciones.append(ErrorTransitorioSri("502"))
    with pytest.raises(ErrorTransitorioSri):
        servicio.paso(pendiente)
    sri.autorizaciones.append(RespuestaAutorizacion(()))
    assert servicio.paso(pendiente) is Paso.CONSULTADO
    assert tienda.factura(pendiente.documento_id).en_vuelo  # still waiting for it
    reloj[0] = INSTANTE + timedelta(seconds=61)
    sri.autorizaciones.append(RespuestaAutorizacion(()))
    servicio.paso(pendiente)
    assert tienda.factura(pendiente.documento_id).debe_enviarse  # surely lost: goes again


# -- stopped documents: one automatic resend ever, then a person's correction ---------------


@pytest.fixture
def firmas(montaje) -> ServicioComprobantes:  # type: ignore[no-untyped-def]
    """Signs the factura of `montaje` when it waits for a signature."""
    tienda, _, _, pendiente = montaje

    class Cola:
        def pendientes(self, limite: int) -> list[ComprobantePendiente]:
            return [pendiente]

    return ServicioComprobantes(
        tienda.fabrica, tienda.reloj, tienda.bus,
        pendientes=Cola(), generador=GeneradorCliente(), ahora=lambda: INSTANTE,
    )  # fmt: skip


class GeneradorCliente:
    """The XML names the buyer, so that a correction shows in what is sent."""

    def xml(self, documento: Factura | NotaCredito) -> bytes:
        assert isinstance(documento, Factura)
        c = documento.comprador
        return f"<comprobante clave='{documento.clave_acceso}' id='{c.identificacion}'/>".encode()


def _no_autorizado(codigo: str) -> RespuestaAutorizacion:
    motivo = MensajeSri(codigo, "FIRMA INVALIDA" if codigo == "39" else "ERROR")
    return RespuestaAutorizacion((Autorizacion("NO AUTORIZADO", mensajes=(motivo,)),))


def _recibir_y_negar(sri: SriGuionado, servicio: ServicioEnvioSri, pendiente, codigo: str):  # type: ignore[no-untyped-def]
    sri.recepciones.append(RespuestaRecepcion("RECIBIDA"))
    assert servicio.paso(pendiente) is Paso.ENVIADO
    sri.autorizaciones.append(_no_autorizado(codigo))
    assert servicio.paso(pendiente) is Paso.CONSULTADO


def test_no_autorizado_39_se_firma_y_reenvia_solo_una_vez(montaje, firmas) -> None:  # type: ignore[no-untyped-def]
    tienda, sri, servicio, pendiente = montaje
    _recibir_y_negar(sri, servicio, pendiente, "39")
    factura = tienda.factura(pendiente.documento_id)
    assert factura.estado_sri is EstadoSri.PENDIENTE  # back to be signed anew
    assert factura.reenvio_automatico
    assert "ComprobanteCorregido" in tienda.tipos()
    assert firmas.firmar_pendientes(FirmaFalsa()).firmados == 1
    _recibir_y_negar(sri, servicio, pendiente, "39")
    factura = tienda.factura(pendiente.documento_id)
    assert factura.estado_sri is EstadoSri.NO_AUTORIZADO  # never a second time
    assert factura.detenido
    assert len(sri.recibidos) == 2
    assert factura.envios == 2


def test_una_correccion_cambia_el_comprador_y_reenvia_con_la_misma_clave(  # type: ignore[no-untyped-def]
    montaje, firmas
) -> None:
    tienda, sri, servicio, pendiente = montaje
    tienda.catalogo_service.crear_cliente(
        CrearCliente("05", "1710034065", "Juan Andrade", "Quito", "j@x.ec", cliente_id="c2")
    )
    _recibir_y_negar(sri, servicio, pendiente, "56")
    antes = tienda.factura(pendiente.documento_id)
    firmas.corregir(CorregirComprobante("01", pendiente.documento_id, "Cédula errada", "c2"))
    factura = tienda.factura(pendiente.documento_id)
    assert factura.estado_sri is EstadoSri.PENDIENTE
    assert factura.comprador.identificacion == "1710034065"
    assert factura.cliente_id == "c2"
    assert factura.correcciones == 1
    assert factura.clave_acceso == antes.clave_acceso
    assert factura.numero == antes.numero
    assert factura.totales() == antes.totales()  # amounts never change
    firmas.firmar_pendientes(FirmaFalsa())
    firmados = [
        e.xml
        for e in tienda.almacen.eventos(f"factura-{pendiente.documento_id}")
        if isinstance(e, ComprobanteFirmado)
    ]
    assert len(firmados) == 2
    assert "id='1710034065'" in firmados[1]  # signed anew from the corrected buyer
    assert f"clave='{antes.clave_acceso}'" in firmados[1]
    sri.recepciones.append(RespuestaRecepcion("RECIBIDA"))
    assert servicio.paso(pendiente) is Paso.ENVIADO
    sri.autorizaciones.append(RespuestaAutorizacion((AUTORIZADO,)))
    servicio.paso(pendiente)
    assert _estado(tienda, pendiente) is EstadoSri.AUTORIZADO


def test_una_correccion_sin_cliente_conserva_el_comprador(montaje, firmas) -> None:  # type: ignore[no-untyped-def]
    tienda, sri, servicio, pendiente = montaje
    _recibir_y_negar(sri, servicio, pendiente, "56")
    antes = tienda.factura(pendiente.documento_id).comprador
    firmas.corregir(CorregirComprobante("01", pendiente.documento_id, "Se reabrió el local"))
    factura = tienda.factura(pendiente.documento_id)
    assert factura.estado_sri is EstadoSri.PENDIENTE
    assert factura.comprador == antes


@pytest.mark.parametrize("respuesta", ["RECIBIDA", "70", "AUTORIZADO"])
def test_solo_se_corrige_un_comprobante_detenido(montaje, firmas, respuesta: str) -> None:  # type: ignore[no-untyped-def]
    tienda, sri, servicio, pendiente = montaje
    if respuesta == "70":
        sri.recepciones.append(
            RespuestaRecepcion("DEVUELTA", (MensajeSri("70", "CLAVE EN PROCESAMIENTO"),))
        )
    else:
        sri.recepciones.append(RespuestaRecepcion("RECIBIDA"))
    servicio.paso(pendiente)
    if respuesta == "AUTORIZADO":
        sri.autorizaciones.append(RespuestaAutorizacion((AUTORIZADO,)))
        servicio.paso(pendiente)
    with pytest.raises(OperacionNoPermitida) as error:
        firmas.corregir(CorregirComprobante("01", pendiente.documento_id, "porque sí"))
    assert error.value.reglas == ("ComprobanteDetenido",)
    assert "DEVUELTA o NO AUTORIZADO" in str(error.value)
    assert not tienda.factura(pendiente.documento_id).correcciones


@pytest.mark.parametrize("motivo", ["", "   ", "x" * 301])
def test_una_correccion_exige_motivo(montaje, firmas, motivo: str) -> None:  # type: ignore[no-untyped-def]
    tienda, sri, servicio, pendiente = montaje
    _recibir_y_negar(sri, servicio, pendiente, "56")
    with pytest.raises(ValorInvalido):
        firmas.corregir(CorregirComprobante("01", pendiente.documento_id, motivo))
    assert _estado(tienda, pendiente) is EstadoSri.NO_AUTORIZADO


def test_una_factura_anulada_no_se_corrige_ni_se_reenvia(montaje, firmas) -> None:  # type: ignore[no-untyped-def]
    tienda, sri, servicio, pendiente = montaje
    tienda.facturas.anular_factura(AnularFactura(pendiente.documento_id, "Venta cancelada"))
    _recibir_y_negar(sri, servicio, pendiente, "39")
    factura = tienda.factura(pendiente.documento_id)
    assert factura.estado_sri is EstadoSri.NO_AUTORIZADO  # no automatic resend either
    assert not factura.reenvio_automatico
    with pytest.raises(OperacionNoPermitida) as error:
        firmas.corregir(CorregirComprobante("01", pendiente.documento_id, "Reenviar"))
    assert error.value.reglas == ("ComprobanteVigente",)
