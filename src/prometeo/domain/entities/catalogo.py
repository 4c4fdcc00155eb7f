"""The catalog: who issues (Emisor), where (Sucursal, PuntoDeEmision, Bodega), what is sold
(Producto) and to whom (Cliente). Reference data, frozen and validated on construction;
a change is a new instance that replaces the old one."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from prometeo.domain.entities.campos import booleano, fijar_campos, id_valido, si
from prometeo.domain.entities.cliente import Cliente as Cliente
from prometeo.domain.entities.producto import Producto as Producto
from prometeo.domain.errores import RevisionDeReglas, ValorInvalido
from prometeo.domain.events.comprobante import DatosEmisor
from prometeo.domain.value_objects.direccion import Direccion
from prometeo.domain.value_objects.identificacion import Ruc
from prometeo.domain.value_objects.numero_comprobante import SECUENCIAL_MAXIMO, TipoComprobante
from prometeo.domain.value_objects.texto_sri import (
    CODIGO_BODEGA,
    NOMBRE_BODEGA,
    NOMBRE_COMERCIAL,
    NOMBRE_SUCURSAL,
    RAZON_SOCIAL,
)

AMBIENTE_PRUEBAS = "1"
AMBIENTE_PRODUCCION = "2"

_CODIGO_SERIE = re.compile(r"[0-9]{3}")


def _codigo_serie(valor: object, campo: str) -> str:
    """A 3-digit code of the document series (establecimiento or punto), 001 to 999."""
    codigo = valor.strip() if isinstance(valor, str) else ""
    if not _CODIGO_SERIE.fullmatch(codigo) or codigo == "000":
        raise ValorInvalido(
            "CodigoValido", f"{campo} debe tener 3 dígitos, de 001 a 999: {valor!r}"
        )
    return codigo


REGIMEN_GENERAL = "GENERAL"
REGIMENES = (REGIMEN_GENERAL, "RIMPE_EMPRENDEDOR", "RIMPE_NEGOCIO_POPULAR")
_CONTRIBUYENTE_ESPECIAL = re.compile(r"[A-Za-z0-9]{3,13}")
_AGENTE_RETENCION = re.compile(r"[0-9]{1,8}")


@dataclass(frozen=True, slots=True)
class Emisor:
    """The company that issues the documents, as the SRI knows it (infoTributaria): its
    RUC ends in 001 (the XSD's `[0-9]{10}001`); contribuyente especial and agente de
    retención are resolution numbers, when it is one; its tax regime."""

    ruc: Ruc
    razon_social: str
    nombre_comercial: str
    direccion_matriz: Direccion
    obligado_contabilidad: bool
    ambiente: str
    contribuyente_especial: str | None = None
    agente_retencion: str | None = None
    regimen: str = REGIMEN_GENERAL

    def __post_init__(self) -> None:
        fijar_campos(
            self,
            ruc=lambda: si(
                self.ruc,
                self.ruc.numero.endswith("001"),
                "RucEmisorTerminaEn001",
                f"El RUC del emisor debe terminar en 001 (su matriz): {self.ruc.numero}",
            ),
            contribuyente_especial=lambda: _opcional(
                self.contribuyente_especial,
                _CONTRIBUYENTE_ESPECIAL,
                "ContribuyenteEspecialValido",
                "El número de resolución de contribuyente especial debe tener de 3 a 13 "
                "letras o dígitos",
            ),
            agente_retencion=lambda: _opcional(
                self.agente_retencion,
                _AGENTE_RETENCION,
                "AgenteRetencionValido",
                "El número de resolución de agente de retención debe tener de 1 a 8 dígitos",
            ),
            regimen=lambda: si(
                self.regimen,
                self.regimen in REGIMENES,
                "RegimenValido",
                f"El régimen debe ser {', '.join(REGIMENES)}: {self.regimen!r}",
            ),
            razon_social=lambda: RAZON_SOCIAL.validar(self.razon_social),
            nombre_comercial=lambda: NOMBRE_COMERCIAL.validar(self.nombre_comercial),
            obligado_contabilidad=lambda: si(
                self.obligado_contabilidad,
                isinstance(self.obligado_contabilidad, bool),
                "ObligadoContabilidadValido",
                f"Obligado a llevar contabilidad debe ser sí o no: {self.obligado_contabilidad!r}",
            ),
            ambiente=lambda: si(
                self.ambiente,
                self.ambiente in (AMBIENTE_PRUEBAS, AMBIENTE_PRODUCCION),
                "AmbienteValido",
                f"El ambiente debe ser 1 (pruebas) o 2 (producción): {self.ambiente!r}",
            ),
        )

    def datos(self) -> DatosEmisor:
        """The copy a document keeps of its emisor."""
        return DatosEmisor(
            ruc=self.ruc.numero,
            razon_social=self.razon_social,
            nombre_comercial=self.nombre_comercial,
            direccion_matriz=self.direccion_matriz.texto,
            obligado_contabilidad=self.obligado_contabilidad,
            ambiente=self.ambiente,
            contribuyente_especial=self.contribuyente_especial,
            agente_retencion=self.agente_retencion,
            regimen=self.regimen,
        )


def _opcional(valor: object, patron: re.Pattern[str], regla: str, mensaje: str) -> str | None:
    """None, or the text stripped if it matches `patron` whole (a blank text counts as
    none)."""
    if valor is None:
        return None
    texto = valor.strip() if isinstance(valor, str) else None
    if texto == "":
        return None
    if texto is None or not patron.fullmatch(texto):
        raise ValorInvalido(regla, f"{mensaje}: {valor!r}")
    return texto


@dataclass(frozen=True, slots=True)
class Sucursal:
    """A branch (establecimiento): its 3-digit code opens every document number. An
    inactive sucursal sells nothing and receives nothing, through any of its puntos or
    bodegas; its documents and stock stay."""

    id: str
    codigo: str
    nombre: str
    direccion: Direccion
    activo: bool = True

    def __post_init__(self) -> None:
        fijar_campos(
            self,
            id=lambda: id_valido(self.id),
            codigo=lambda: _codigo_serie(self.codigo, "El código de sucursal"),
            nombre=lambda: NOMBRE_SUCURSAL.validar(self.nombre),
            activo=lambda: booleano(self.activo, "ActivoValido", "Activo"),
        )

    @classmethod
    def nueva(cls, id: str, codigo: str, nombre: str, direccion: str) -> Sucursal:
        """A sucursal from what a person typed, the address too: every broken rule of
        its fields is reported at once."""
        revision = RevisionDeReglas()
        domicilio = revision.revisar(lambda: Direccion(direccion))
        # With the address refused, the other fields are still checked, with a stand-in
        # that never leaves this function (exigir raises below).
        sucursal = revision.revisar(
            lambda: cls(id, codigo, nombre, domicilio if domicilio is not None else Direccion("-"))
        )
        revision.exigir()
        assert sucursal is not None
        return sucursal


@dataclass(frozen=True, slots=True)
class PuntoDeEmision:
    """A point of issue (punto de emisión) of a sucursal: the second 3 digits of a number.
    `siguiente_secuencial` gives, per document type (codDoc "01", "04"), the first
    secuencial it issues: a punto that already issued numbers in another system goes on
    from there (default 1). Given as a mapping, kept as sorted pairs."""

    id: str
    sucursal_id: str
    codigo: str
    siguiente_secuencial: tuple[tuple[str, int], ...] = ()
    # An inactive punto issues no new document (its numbers issued stay).
    activo: bool = True

    def __post_init__(self) -> None:
        fijar_campos(
            self,
            id=lambda: id_valido(self.id),
            sucursal_id=lambda: id_valido(self.sucursal_id, "El id de la sucursal"),
            codigo=lambda: _codigo_serie(self.codigo, "El código del punto de emisión"),
            siguiente_secuencial=lambda: _secuenciales_iniciales(self.siguiente_secuencial),
            activo=lambda: booleano(self.activo, "ActivoValido", "Activo"),
        )

    def secuencial_inicial(self, tipo: TipoComprobante) -> int:
        """The first secuencial this punto issues for `tipo` (1 unless configured)."""
        return dict(self.siguiente_secuencial).get(tipo.value, 1)


def _secuenciales_iniciales(valor: object) -> tuple[tuple[str, int], ...]:
    pares = valor.items() if isinstance(valor, Mapping) else valor
    if not isinstance(pares, Iterable) or isinstance(pares, str):
        raise ValorInvalido(
            "SecuencialInicialValido", f"El secuencial inicial debe ser por tipo: {valor!r}"
        )
    resultado: dict[str, int] = {}
    tipos = {t.value for t in TipoComprobante}
    for par in pares:
        tipo, numero = par if isinstance(par, tuple) and len(par) == 2 else (par, None)
        if tipo not in tipos:
            raise ValorInvalido(
                "SecuencialInicialValido",
                f"Tipo de comprobante desconocido {tipo!r} (válidos: {', '.join(sorted(tipos))})",
            )
        if (
            isinstance(numero, bool)
            or not isinstance(numero, int)
            or not 1 <= numero <= SECUENCIAL_MAXIMO
        ):
            raise ValorInvalido(
                "SecuencialInicialValido",
                f"El secuencial inicial del tipo {tipo} debe ser un entero entre 1 y "
                f"{SECUENCIAL_MAXIMO}: {numero!r}",
            )
        resultado[tipo] = numero
    return tuple(sorted(resultado.items()))


@dataclass(frozen=True, slots=True)
class Bodega:
    """A warehouse of a sucursal, where stock is kept. An inactive bodega sells nothing
    and receives nothing (neither purchases nor transfers); its stock may still leave by
    transfer, so a bodega being closed can be emptied."""

    id: str
    sucursal_id: str
    codigo: str
    nombre: str
    activo: bool = True

    def __post_init__(self) -> None:
        fijar_campos(
            self,
            id=lambda: id_valido(self.id),
            sucursal_id=lambda: id_valido(self.sucursal_id, "El id de la sucursal"),
            codigo=lambda: CODIGO_BODEGA.validar(self.codigo),
            nombre=lambda: NOMBRE_BODEGA.validar(self.nombre),
            activo=lambda: booleano(self.activo, "ActivoValido", "Activo"),
        )
