"""The catalog: who issues (Emisor), where (Sucursal, PuntoDeEmision, Bodega), what is sold
(Producto) and to whom (Cliente). Reference data, frozen and validated on construction;
a change is a new instance that replaces the old one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from prometeo.domain.errores import ValorInvalido
from prometeo.domain.value_objects.dinero import Precio, a_decimal, redondear6
from prometeo.domain.value_objects.direccion import Direccion, tiene_caracteres_de_control
from prometeo.domain.value_objects.identificacion import ConsumidorFinal, Identificacion, Ruc
from prometeo.domain.value_objects.tarifa_iva import TarifaIva

AMBIENTE_PRUEBAS = "1"
AMBIENTE_PRODUCCION = "2"

_CODIGO_SERIE = re.compile(r"[0-9]{3}")
# Loose on purpose: a typo is caught, an unusual but real address is not refused.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_LONGITUD_EMAIL = 254


def _texto(valor: object, regla: str, campo: str, maximo: int) -> str:
    """The text stripped: one line, not blank, at most `maximo` characters."""
    if not isinstance(valor, str):
        raise ValorInvalido(regla, f"{campo} debe ser un texto, no {valor!r}")
    texto = valor.strip()
    if not texto:
        raise ValorInvalido(regla, f"{campo} no puede quedar en blanco")
    if len(texto) > maximo:
        raise ValorInvalido(regla, f"{campo} tiene {len(texto)} caracteres; el máximo es {maximo}")
    if tiene_caracteres_de_control(texto):
        raise ValorInvalido(regla, f"{campo} debe ser una sola línea, sin caracteres de control")
    return texto


def _id(valor: object, campo: str = "El id") -> str:
    return _texto(valor, "IdValido", campo, 100)


def _codigo_serie(valor: object, campo: str) -> str:
    """A 3-digit code of the document series (establecimiento or punto), 001 to 999."""
    codigo = valor.strip() if isinstance(valor, str) else ""
    if not _CODIGO_SERIE.fullmatch(codigo) or codigo == "000":
        raise ValorInvalido(
            "CodigoValido", f"{campo} debe tener 3 dígitos, de 001 a 999: {valor!r}"
        )
    return codigo


@dataclass(frozen=True, slots=True)
class Emisor:
    """The company that issues the documents, as the SRI knows it (infoTributaria)."""

    ruc: Ruc
    razon_social: str
    nombre_comercial: str
    direccion_matriz: Direccion
    obligado_contabilidad: bool
    ambiente: str

    def __post_init__(self) -> None:
        fijar = object.__setattr__
        fijar(
            self, "razon_social", _texto(self.razon_social, "NombreValido", "La razón social", 300)
        )
        fijar(
            self,
            "nombre_comercial",
            _texto(self.nombre_comercial, "NombreValido", "El nombre comercial", 300),
        )
        if not isinstance(self.obligado_contabilidad, bool):
            raise ValorInvalido(
                "ObligadoContabilidadValido",
                f"Obligado a llevar contabilidad debe ser sí o no: {self.obligado_contabilidad!r}",
            )
        if self.ambiente not in (AMBIENTE_PRUEBAS, AMBIENTE_PRODUCCION):
            raise ValorInvalido(
                "AmbienteValido",
                f"El ambiente debe ser 1 (pruebas) o 2 (producción): {self.ambiente!r}",
            )


@dataclass(frozen=True, slots=True)
class Sucursal:
    """A branch (establecimiento): its 3-digit code opens every document number."""

    id: str
    codigo: str
    nombre: str
    direccion: Direccion

    def __post_init__(self) -> None:
        object.__setattr__(self, "id", _id(self.id))
        object.__setattr__(self, "codigo", _codigo_serie(self.codigo, "El código de sucursal"))
        object.__setattr__(
            self, "nombre", _texto(self.nombre, "NombreValido", "El nombre de la sucursal", 300)
        )


@dataclass(frozen=True, slots=True)
class PuntoDeEmision:
    """A point of issue (punto de emisión) of a sucursal: the second 3 digits of a number."""

    id: str
    sucursal_id: str
    codigo: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "id", _id(self.id))
        object.__setattr__(self, "sucursal_id", _id(self.sucursal_id, "El id de la sucursal"))
        object.__setattr__(
            self, "codigo", _codigo_serie(self.codigo, "El código del punto de emisión")
        )


@dataclass(frozen=True, slots=True)
class Bodega:
    """A warehouse of a sucursal, where stock is kept."""

    id: str
    sucursal_id: str
    codigo: str
    nombre: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "id", _id(self.id))
        object.__setattr__(self, "sucursal_id", _id(self.sucursal_id, "El id de la sucursal"))
        object.__setattr__(
            self, "codigo", _texto(self.codigo, "CodigoValido", "El código de la bodega", 20)
        )
        object.__setattr__(
            self, "nombre", _texto(self.nombre, "NombreValido", "El nombre de la bodega", 300)
        )


@dataclass(frozen=True, slots=True)
class Producto:
    """Something sold: its code and description as printed (codigoPrincipal, descripcion),
    its list price, its IVA tarifa (SRI codigoPorcentaje) and the stock below which a
    StockBajo is raised."""

    id: str
    codigo: str
    nombre: str
    precio: Precio
    tarifa_iva: str
    stock_minimo: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        object.__setattr__(self, "id", _id(self.id))
        object.__setattr__(
            self, "codigo", _texto(self.codigo, "CodigoValido", "El código del producto", 25)
        )
        object.__setattr__(
            self, "nombre", _texto(self.nombre, "NombreValido", "El nombre del producto", 300)
        )
        object.__setattr__(self, "tarifa_iva", TarifaIva.de_codigo(self.tarifa_iva).codigo)
        minimo = a_decimal(self.stock_minimo, "StockMinimoValido", "El stock mínimo")
        if minimo < 0 or minimo != redondear6(minimo):
            raise ValorInvalido(
                "StockMinimoValido",
                f"El stock mínimo debe ser cero o positivo, con hasta 6 decimales: {minimo}",
            )
        object.__setattr__(self, "stock_minimo", minimo)


@dataclass(frozen=True, slots=True)
class Cliente:
    """A buyer with a name and an identification (RUC, cédula, pasaporte, exterior, or the
    consumidor final). A blank email counts as none."""

    id: str
    identificacion: Identificacion
    razon_social: str
    direccion: Direccion | None = None
    email: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "id", _id(self.id))
        object.__setattr__(
            self, "razon_social", _texto(self.razon_social, "NombreValido", "La razón social", 300)
        )
        object.__setattr__(self, "email", _email(self.email))

    @property
    def es_consumidor_final(self) -> bool:
        return isinstance(self.identificacion, ConsumidorFinal)


def _email(valor: object) -> str | None:
    if valor is None:
        return None
    email = valor.strip() if isinstance(valor, str) else None
    if email == "":
        return None
    if email is None or len(email) > _LONGITUD_EMAIL or not _EMAIL.fullmatch(email):
        raise ValorInvalido("EmailValido", f"El correo electrónico {valor!r} no es válido")
    return email
