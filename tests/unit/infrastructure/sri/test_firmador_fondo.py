"""The background signer: it yields to the cajeros (keeps to its share of the time while
others write), signs at full speed when nobody does, and reports a certificate it cannot
use without stopping."""

from __future__ import annotations

from typing import Any

import pytest

from prometeo.application.servicios.comprobantes import RondaFirma
from prometeo.application.sri import ErrorFirma
from prometeo.domain.events.comprobante import ComprobanteFirmado
from prometeo.domain.events.factura import FacturaAnulada
from prometeo.infrastructure.sri.firmador_fondo import ContadorActividad, FirmadorEnSegundoPlano


class ServicioFalso:
    def __init__(self) -> None:
        self.rondas: list[int] = []
        self.error: ErrorFirma | None = None

    def firmar_pendientes(self, _firma: object, limite: int) -> RondaFirma:
        if self.error is not None:
            raise self.error
        self.rondas.append(limite)
        return RondaFirma(firmados=limite)


def _firmador(servicio: ServicioFalso, **kw: Any) -> FirmadorEnSegundoPlano:
    return FirmadorEnSegundoPlano(servicio, lambda: object(), **kw)  # type: ignore[arg-type]


def test_cede_a_los_cajeros_y_firma_a_toda_velocidad_si_nadie_escribe() -> None:
    firmador = _firmador(ServicioFalso(), cuota=0.1)
    assert firmador.pausa(0.04, otros_escribieron=False) == 0
    assert firmador.pausa(0.04, otros_escribieron=True) == pytest.approx(0.36)
    assert firmador.pausa(100, otros_escribieron=True) == 5.0  # capped
    assert _firmador(ServicioFalso(), cuota=1).pausa(0.04, otros_escribieron=True) == 0


def test_el_contador_ignora_las_firmas() -> None:
    contador = ContadorActividad()
    firmado = ComprobanteFirmado(
        documento_id="f", tipo_comprobante="01", clave_acceso="1" * 49, xml="<x/>",
        firmado_en=None,  # type: ignore[arg-type]
    )  # fmt: skip
    contador.observador(None, [], [firmado])
    assert contador.valor == 0
    anulada = FacturaAnulada(factura_id="f", motivo="m", fecha=None)  # type: ignore[arg-type]
    contador.observador(None, [], [firmado, anulada])
    assert contador.valor == 1


def test_un_certificado_que_deja_de_servir_se_informa_y_se_reintenta_despues() -> None:
    servicio = ServicioFalso()
    firmador = _firmador(servicio, reintento_certificado=3600)
    assert firmador.ronda(5) == RondaFirma(firmados=5)
    assert firmador.comprobar().certificado == "ok"
    servicio.error = ErrorFirma("CertificadoVigente", "El certificado venció")
    assert firmador.ronda(5) is None
    assert firmador.estado.certificado == "error"
    assert firmador.estado.detalle == "CertificadoVigente: El certificado venció"
    servicio.error = None
    assert firmador.ronda(5) is None  # not before reintento_certificado
    assert servicio.rondas == [5]
