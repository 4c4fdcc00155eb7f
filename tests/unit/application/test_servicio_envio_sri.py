"""ServicioEnvioSri: the SRI's process rules, step by step, against a scripted SRI."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from escenario import CAFE, Escenario

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


def test_otra_devuelta_o_no_autorizado_se_detienen(montaje) -> None:  # type: ignore[no-untyped-def]
    tienda, sri, servicio, pendiente = montaje
    sri.recepciones.append(
        RespuestaRecepcion("DEVUELTA", (MensajeSri("65", "FECHA EXTEMPORANEA"),))
    )
    servicio.paso(pendiente)
    factura = tienda.factura(pendiente.documento_id)
    assert factura.estado_sri is EstadoSri.DEVUELTA
    assert [m.identificador for m in factura.mensajes_sri] == ["65"]
    assert servicio.paso(pendiente) is Paso.NADA  # stopped: waits for a person


def test_no_autorizado_se_detiene(montaje) -> None:  # type: ignore[no-untyped-def]
    tienda, sri, servicio, pendiente = montaje
    sri.recepciones.append(RespuestaRecepcion("RECIBIDA"))
    servicio.paso(pendiente)
    motivo = MensajeSri("39", "FIRMA INVALIDA")
    sri.autorizaciones.append(
        RespuestaAutorizacion((Autorizacion("NO AUTORIZADO", mensajes=(motivo,)),))
    )
    servicio.paso(pendiente)
    assert _estado(tienda, pendiente) is EstadoSri.NO_AUTORIZADO
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
