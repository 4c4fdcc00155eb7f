"""What a test can make the SRI simulator answer next: the SRI's own verdicts (DEVUELTA 35,
43, 45, 65, 70; NO AUTORIZADO 39; EN PROCESO) and the ways its service fails (a delay, an
HTML 502 page, a soap:Fault), as the real one does (SRI-ELECTRONICO §3.3)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class Servicio(StrEnum):
    """The two offline web services."""

    RECEPCION = "recepcion"
    AUTORIZACION = "autorizacion"


class TipoCaso(StrEnum):
    DEVUELTA = "devuelta"
    NO_AUTORIZADO = "no_autorizado"
    EN_PROCESO = "en_proceso"
    DEMORA = "demora"
    HTTP_502 = "http_502"
    SOAP_FAULT = "soap_fault"


# Reception's refusals the simulator can be told to give: identificador → mensaje.
DEVOLUCIONES = {
    "35": "DOCUMENTO INVÁLIDO",
    "43": "CLAVE ACCESO REGISTRADA",
    "45": "ERROR SECUENCIAL REGISTRADO",
    "65": "FECHA EMISIÓN EXTEMPORANEA",
    "70": "CLAVE DE ACCESO EN PROCESAMIENTO",
}
# The verdicts belong to one service; the failures of the service to either.
_SERVICIO_DEL_TIPO = {
    TipoCaso.DEVUELTA: Servicio.RECEPCION,
    TipoCaso.NO_AUTORIZADO: Servicio.AUTORIZACION,
    TipoCaso.EN_PROCESO: Servicio.AUTORIZACION,
}


class CasoNoValido(ValueError):
    """A case the simulator cannot play (unknown type or code, a verdict of the other
    service, no service for a failure, `veces` < 1, a negative delay)."""


@dataclass(frozen=True, slots=True)
class Caso:
    """An answer to give instead of the simulated SRI's own, to the next `veces` requests
    to `servicio` (for one clave or for any; see SimuladorSri.programar). A DEMORA waits
    `segundos` and then answers as usual."""

    tipo: TipoCaso
    servicio: Servicio
    codigo: str | None = None
    veces: int = 1
    segundos: float = 0.0

    def __post_init__(self) -> None:
        propio = _SERVICIO_DEL_TIPO.get(self.tipo)
        if propio is not None and propio is not self.servicio:
            raise CasoNoValido(f"{self.tipo} es una respuesta de {propio}, no de {self.servicio}")
        if self.tipo is TipoCaso.DEVUELTA and self.codigo not in DEVOLUCIONES:
            raise CasoNoValido(f"DEVUELTA {self.codigo}: se simulan {', '.join(DEVOLUCIONES)}")
        if self.veces < 1:
            raise CasoNoValido("veces debe ser al menos 1")
        if self.segundos < 0:
            raise CasoNoValido("segundos no puede ser negativo")

    def __str__(self) -> str:
        detalle = {
            TipoCaso.DEVUELTA: f"DEVUELTA {self.codigo}",
            TipoCaso.NO_AUTORIZADO: "NO AUTORIZADO 39",
            TipoCaso.EN_PROCESO: "EN PROCESO",
            TipoCaso.DEMORA: f"demora de {self.segundos} s",
            TipoCaso.HTTP_502: "HTTP 502",
            TipoCaso.SOAP_FAULT: "soap:Fault",
        }[self.tipo]
        return f"{detalle} en {self.servicio} ×{self.veces}"

    @classmethod
    def devuelta(cls, codigo: str, veces: int = 1) -> Caso:
        return cls(TipoCaso.DEVUELTA, Servicio.RECEPCION, codigo, veces)

    @classmethod
    def no_autorizado(cls, veces: int = 1) -> Caso:
        """NO AUTORIZADO 39 FIRMA INVALIDA."""
        return cls(TipoCaso.NO_AUTORIZADO, Servicio.AUTORIZACION, "39", veces)

    @classmethod
    def en_proceso(cls, veces: int = 1) -> Caso:
        return cls(TipoCaso.EN_PROCESO, Servicio.AUTORIZACION, veces=veces)

    @classmethod
    def demora(cls, servicio: Servicio, segundos: float, veces: int = 1) -> Caso:
        return cls(TipoCaso.DEMORA, servicio, veces=veces, segundos=segundos)

    @classmethod
    def http_502(cls, servicio: Servicio, veces: int = 1) -> Caso:
        return cls(TipoCaso.HTTP_502, servicio, veces=veces)

    @classmethod
    def soap_fault(cls, servicio: Servicio, veces: int = 1) -> Caso:
        return cls(TipoCaso.SOAP_FAULT, servicio, veces=veces)

    @classmethod
    def desde_json(cls, datos: Mapping[str, object]) -> Caso:
        """From the control endpoint's JSON: {"tipo": "devuelta", "codigo": "43"},
        {"tipo": "en_proceso", "veces": 3}, {"tipo": "http_502", "servicio":
        "autorizacion"}, {"tipo": "demora", "servicio": "recepcion", "segundos": 2}."""
        try:
            tipo = TipoCaso(str(datos["tipo"]))
            servicio = datos.get("servicio") or _SERVICIO_DEL_TIPO.get(tipo)
            if servicio is None:
                raise CasoNoValido(f"{tipo} necesita 'servicio': recepcion o autorizacion")
            codigo = datos.get("codigo")
            if tipo is TipoCaso.NO_AUTORIZADO:
                codigo = "39"
            return cls(
                tipo,
                Servicio(str(servicio)),
                None if codigo is None else str(codigo),
                int(str(datos.get("veces", 1))),
                float(str(datos.get("segundos", 0))),
            )
        except KeyError as falta:
            raise CasoNoValido(f"falta {falta}") from None
        except ValueError as error:
            if isinstance(error, CasoNoValido):
                raise
            raise CasoNoValido(str(error)) from None
