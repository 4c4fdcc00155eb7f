"""The settings forms read into the same commands the JSON API builds from its bodies.

Invariant: what a field means is checked by the domain (a RUC, a 3-digit code, a name's
length), never here: the screen shows the domain's own message. Only what is the form's
own (a choice out of its list, two passwords that must match) is checked here."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from prometeo.application.acceso import Rol
from prometeo.application.comandos import (
    CrearBodega,
    CrearPuntoEmision,
    CrearSucursal,
    RegistrarEmisor,
)
from prometeo.domain.errores import ValorInvalido

SI, NO = "si", "no"
# The entries an activo form may change, by the path's word, as CambiarActivo names them.
ENTIDADES: dict[str, Literal["sucursal", "punto_emision", "bodega"]] = {
    "sucursales": "sucursal",
    "puntos": "punto_emision",
    "bodegas": "bodega",
}
# Never part of a write's fingerprint (huella): a password is not stored, even hashed.
CAMPOS_CLAVE = ("clave", "clave_repetida")


def _texto(campos: Mapping[str, str], nombre: str) -> str:
    return campos.get(nombre, "").strip()


def _opcional(campos: Mapping[str, str], nombre: str) -> str | None:
    return _texto(campos, nombre) or None


def emisor_de(campos: Mapping[str, str]) -> RegistrarEmisor:
    """The emisor as typed: obligado a llevar contabilidad is "si" or "no" (the form's
    own choice); everything else the domain checks."""
    obligado = _texto(campos, "obligado_contabilidad")
    if obligado not in (SI, NO):
        raise ValorInvalido(
            "ObligadoContabilidadValido", "Elija si está obligado a llevar contabilidad"
        )
    return RegistrarEmisor(
        ruc=_texto(campos, "ruc"),
        razon_social=_texto(campos, "razon_social"),
        nombre_comercial=_texto(campos, "nombre_comercial"),
        direccion_matriz=_texto(campos, "direccion_matriz"),
        obligado_contabilidad=obligado == SI,
        ambiente=_texto(campos, "ambiente"),
        contribuyente_especial=_opcional(campos, "contribuyente_especial"),
        agente_retencion=_opcional(campos, "agente_retencion"),
        regimen=_texto(campos, "regimen"),
    )


def sucursal_de(campos: Mapping[str, str]) -> CrearSucursal:
    return CrearSucursal(
        codigo=_texto(campos, "codigo"),
        nombre=_texto(campos, "nombre"),
        direccion=_texto(campos, "direccion"),
    )


# A punto that already issued numbers elsewhere goes on from there: its first secuencial
# per document type (codDoc), each optional (blank: from 1).
SECUENCIALES_INICIALES = (
    ("01", "primera_factura", "La primera factura"),
    ("04", "primera_nota", "La primera nota de crédito"),
)


def punto_de(sucursal_id: str, campos: Mapping[str, str]) -> CrearPuntoEmision:
    iniciales: dict[str, int] = {}
    for tipo, nombre, que in SECUENCIALES_INICIALES:
        texto = _texto(campos, nombre)
        if not texto:
            continue
        if not texto.isascii() or not texto.isdigit():
            raise ValorInvalido(
                "SecuencialInicialValido", f"{que} debe ser un número entero: «{texto[:20]}»"
            )
        iniciales[tipo] = int(texto)
    return CrearPuntoEmision(
        sucursal_id=sucursal_id,
        codigo=_texto(campos, "codigo"),
        siguiente_secuencial=iniciales or None,
    )


def bodega_de(campos: Mapping[str, str]) -> CrearBodega:
    return CrearBodega(
        sucursal_id=_texto(campos, "sucursal_id"),
        codigo=_texto(campos, "codigo"),
        nombre=_texto(campos, "nombre"),
    )


def activo_de(campos: Mapping[str, str]) -> bool:
    valor = _texto(campos, "activo")
    if valor not in (SI, NO):
        raise ValorInvalido("ActivoValido", "Elija activar o desactivar")
    return valor == SI


def rol_de(campos: Mapping[str, str]) -> Rol:
    try:
        return Rol(_texto(campos, "rol"))
    except ValueError:
        raise ValorInvalido("RolValido", "Elija el rol del usuario") from None


def clave_de(campos: Mapping[str, str]) -> str:
    """The new password, as typed (never stripped: every character counts), once both
    fields agree; its length is the user registry's rule."""
    clave = campos.get("clave", "")
    if clave != campos.get("clave_repetida", ""):
        raise ValorInvalido("ClavesIguales", "Las dos contraseñas no coinciden")
    return clave


def sin_claves(campos: Mapping[str, str]) -> dict[str, str]:
    """The fields without the passwords: what a write's fingerprint and a form shown
    again may hold."""
    return {k: v for k, v in campos.items() if k not in CAMPOS_CLAVE}
