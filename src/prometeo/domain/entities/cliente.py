"""Cliente: a buyer, as the catalog keeps it."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from prometeo.domain.entities.campos import SIN_CAMBIO, fijar_campos, id_valido
from prometeo.domain.errores import RevisionDeReglas, ValorInvalido
from prometeo.domain.value_objects.direccion import Direccion
from prometeo.domain.value_objects.identificacion import (
    ConsumidorFinal,
    Identificacion,
    crear_identificacion,
)
from prometeo.domain.value_objects.texto_sri import EMAIL, RAZON_SOCIAL, TELEFONO

# Loose on purpose: a typo is caught, an unusual but real address is not refused.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
# A phone as people write it: digits, spaces and + ( ) -, with 7 to 15 digits (E.164
# allows 15; a local Ecuadorian number without its area code has 7).
_TELEFONO = re.compile(r"\+?[0-9 ()\-]+")
_DIGITOS_TELEFONO = range(7, 16)


@dataclass(frozen=True, slots=True)
class Cliente:
    """A buyer with a name and an identification (RUC, cédula, pasaporte, exterior, or the
    consumidor final). A blank email or phone counts as none."""

    id: str
    identificacion: Identificacion
    razon_social: str
    direccion: Direccion | None = None
    email: str | None = None
    telefono: str | None = None

    def __post_init__(self) -> None:
        fijar_campos(
            self,
            id=lambda: id_valido(self.id),
            razon_social=lambda: RAZON_SOCIAL.validar(self.razon_social),
            email=lambda: _email(self.email),
            telefono=lambda: _telefono(self.telefono),
        )

    @classmethod
    def nuevo(
        cls,
        id: str,
        tipo_identificacion: str,
        identificacion: str,
        razon_social: str,
        direccion: str | None = None,
        email: str | None = None,
        telefono: str | None = None,
    ) -> Cliente:
        """A cliente from what a person typed: a wrong cédula, a blank razón social and a
        bad email are reported together, not only the first."""
        revision = RevisionDeReglas()
        valida = revision.revisar(lambda: crear_identificacion(tipo_identificacion, identificacion))
        domicilio = None if direccion is None else revision.revisar(lambda: Direccion(direccion))
        # With the identification refused, the other fields are still checked, with a
        # stand-in that never leaves this function (exigir raises below).
        cliente = revision.revisar(
            lambda: cls(
                id,
                valida if valida is not None else ConsumidorFinal(),
                razon_social,
                domicilio,
                email,
                telefono,
            )
        )
        revision.exigir()
        assert cliente is not None
        return cliente

    def modificado(
        self, *, direccion: Any = SIN_CAMBIO, email: Any = SIN_CAMBIO, telefono: Any = SIN_CAMBIO
    ) -> Cliente:
        """The cliente with new contact data (SIN_CAMBIO: kept; None or blank: cleared),
        every broken rule reported at once. The identification and the razón social are
        what the SRI knows the buyer by: they never change here (a different buyer is
        another cliente)."""
        revision = RevisionDeReglas()
        cambios: dict[str, Any] = {}
        if direccion is not SIN_CAMBIO:
            texto = direccion.strip() if isinstance(direccion, str) else direccion
            cambios["direccion"] = (
                None if texto in (None, "") else revision.revisar(lambda: Direccion(texto))
            )
        if email is not SIN_CAMBIO:
            cambios["email"] = email
        if telefono is not SIN_CAMBIO:
            cambios["telefono"] = telefono
        resultado = revision.revisar(lambda: replace(self, **cambios))
        revision.exigir()
        assert resultado is not None
        return resultado

    @property
    def es_consumidor_final(self) -> bool:
        return isinstance(self.identificacion, ConsumidorFinal)


def _email(valor: object) -> str | None:
    email = EMAIL.validar_opcional(valor)
    if email is not None and not _EMAIL.fullmatch(email):
        raise ValorInvalido("EmailValido", f"El correo electrónico {valor!r} no es válido")
    return email


def _telefono(valor: object) -> str | None:
    """None, or a phone of at most 20 characters: digits, spaces and + ( ) - only (a "+"
    only first), with 7 to 15 digits. One number: the SRI prints it as a campoAdicional."""
    telefono = TELEFONO.validar_opcional(valor)
    if telefono is None:
        return None
    digitos = sum(c.isdigit() for c in telefono)
    if not _TELEFONO.fullmatch(telefono) or digitos not in _DIGITOS_TELEFONO:
        raise ValorInvalido(
            "TelefonoValido",
            f"El teléfono {telefono!r} debe tener de 7 a 15 dígitos, con solo espacios, "
            "+ ( ) o - entre ellos",
        )
    return telefono
