"""The knobs of the use cases, read once at start (see API.md, PROMETEO_* settings)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from prometeo.domain.specifications.anulacion import DIA_LIMITE_ANULACION, DIA_LIMITE_MAXIMO
from prometeo.domain.specifications.nota_credito import PLAZO_NOTA_CREDITO_DIAS
from prometeo.domain.specifications.rebajas import DESCUENTO_MAXIMO_SIN_AUTORIZACION


@dataclass(frozen=True, slots=True)
class Configuracion:
    """How the application behaves: the days after a factura within which a nota de
    crédito may be issued, the day of the following month until which a factura may be
    annulled (SRI: 7), and how many times a command is attempted when another writer
    changed the same streams meanwhile (optimistic concurrency), with a short random
    wait between attempts that never exceeds `espera_maxima_segundos`."""

    plazo_nota_credito_dias: int = PLAZO_NOTA_CREDITO_DIAS
    dia_limite_anulacion: int = DIA_LIMITE_ANULACION
    reintentos_concurrencia: int = 5
    espera_maxima_segundos: float = 0.1
    # The discount (line or global, in %) a seller without authority may give.
    descuento_maximo_sin_autorizacion: Decimal = DESCUENTO_MAXIMO_SIN_AUTORIZACION

    def __post_init__(self) -> None:
        if self.plazo_nota_credito_dias < 0:
            raise ValueError(
                "El plazo de notas de crédito no puede ser negativo: "
                f"{self.plazo_nota_credito_dias}"
            )
        if not 1 <= self.dia_limite_anulacion <= DIA_LIMITE_MAXIMO:
            raise ValueError(
                f"El día límite de anulación debe estar entre 1 y {DIA_LIMITE_MAXIMO}: "
                f"{self.dia_limite_anulacion}"
            )
        if self.reintentos_concurrencia < 1:
            raise ValueError(
                "Los intentos ante conflictos de concurrencia deben ser al menos 1: "
                f"{self.reintentos_concurrencia}"
            )
        if self.espera_maxima_segundos < 0:
            raise ValueError(
                f"La espera entre intentos no puede ser negativa: {self.espera_maxima_segundos}"
            )
        if not 0 <= self.descuento_maximo_sin_autorizacion <= 100:
            raise ValueError(
                "El descuento máximo sin autorización debe estar entre 0 y 100: "
                f"{self.descuento_maximo_sin_autorizacion}"
            )
