"""The clave de acceso: the 49 digits that identify an electronic document at the SRI.

fecha ddmmaaaa (8) · tipo de comprobante (2) · RUC del emisor (13) · ambiente (1) ·
serie establecimiento + punto (6) · secuencial (9) · código numérico (8) · tipo de
emisión (1) · dígito verificador (1), modulo 11 over the first 48 digits."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date

from prometeo.domain.errores import ValorInvalido
from prometeo.domain.value_objects.numero_comprobante import NumeroComprobante

TIPO_EMISION_NORMAL = "1"
_CLAVE = re.compile(r"[0-9]{49}")
_PESOS = (2, 3, 4, 5, 6, 7)


def digito_verificador(digitos: str) -> str:
    """Modulo 11 with weights 2..7 repeating from the rightmost digit; 11 → 0, 10 → 1."""
    suma = sum(int(d) * _PESOS[i % 6] for i, d in enumerate(reversed(digitos)))
    digito = 11 - suma % 11
    return {11: "0", 10: "1"}.get(digito, str(digito))


def codigo_numerico_de(documento_id: str) -> str:
    """8 digits derived from the document id: the same id always gives the same code, so
    an old document's clave can be derived again, identically, whenever it is read."""
    resumen = hashlib.sha256(documento_id.encode()).digest()
    return f"{int.from_bytes(resumen[:8], 'big') % 10**8:08d}"


@dataclass(frozen=True, slots=True)
class ClaveAcceso:
    """A 49-digit clave de acceso whose check digit is right."""

    valor: str

    def __post_init__(self) -> None:
        valor = self.valor.strip() if isinstance(self.valor, str) else ""
        if not _CLAVE.fullmatch(valor):
            raise ValorInvalido(
                "ClaveAccesoValida", f"La clave de acceso debe tener 49 dígitos: {self.valor!r}"
            )
        if digito_verificador(valor[:48]) != valor[48]:
            raise ValorInvalido(
                "ClaveAccesoValida",
                f"El dígito verificador de la clave de acceso {valor} no es correcto",
            )
        object.__setattr__(self, "valor", valor)

    @classmethod
    def generar(
        cls,
        *,
        fecha_emision: date,
        tipo_comprobante: str,
        ruc: str,
        ambiente: str,
        numero: NumeroComprobante,
        codigo_numerico: str,
        tipo_emision: str = TIPO_EMISION_NORMAL,
    ) -> ClaveAcceso:
        partes = (
            (fecha_emision.strftime("%d%m%Y"), 8, "la fecha de emisión"),
            (tipo_comprobante, 2, "el tipo de comprobante"),
            (ruc, 13, "el RUC del emisor"),
            (ambiente, 1, "el ambiente"),
            (numero.establecimiento + numero.punto_emision, 6, "la serie"),
            (f"{numero.secuencial:09d}", 9, "el secuencial"),
            (codigo_numerico, 8, "el código numérico"),
            (tipo_emision, 1, "el tipo de emisión"),
        )
        for texto, longitud, nombre in partes:
            if not (isinstance(texto, str) and re.fullmatch(f"[0-9]{{{longitud}}}", texto)):
                raise ValorInvalido(
                    "ClaveAccesoValida",
                    f"En la clave de acceso, {nombre} debe tener {longitud} dígitos: {texto!r}",
                )
        digitos = "".join(texto for texto, _, _ in partes)
        return cls(digitos + digito_verificador(digitos))

    @property
    def fecha_emision(self) -> date:
        return date(int(self.valor[4:8]), int(self.valor[2:4]), int(self.valor[0:2]))

    @property
    def tipo_comprobante(self) -> str:
        return self.valor[8:10]

    @property
    def ruc(self) -> str:
        return self.valor[10:23]

    @property
    def ambiente(self) -> str:
        return self.valor[23]

    @property
    def serie(self) -> str:
        return self.valor[24:30]

    @property
    def secuencial(self) -> int:
        return int(self.valor[30:39])

    @property
    def codigo_numerico(self) -> str:
        return self.valor[39:47]

    @property
    def tipo_emision(self) -> str:
        return self.valor[47]

    def __str__(self) -> str:
        return self.valor
