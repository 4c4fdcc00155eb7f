"""The catalog: who issues (Emisor), where (Sucursal, PuntoDeEmision, Bodega), what is sold
(Producto) and to whom (Cliente). Reference data, frozen and validated on construction;
a change is a new instance that replaces the old one."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from prometeo.domain.errores import RevisionDeReglas, ValorInvalido
from prometeo.domain.events.comprobante import DatosEmisor
from prometeo.domain.value_objects.dinero import Numero, Precio, a_decimal, redondear6
from prometeo.domain.value_objects.direccion import Direccion
from prometeo.domain.value_objects.identificacion import (
    ConsumidorFinal,
    Identificacion,
    Ruc,
    crear_identificacion,
)
from prometeo.domain.value_objects.numero_comprobante import SECUENCIAL_MAXIMO, TipoComprobante
from prometeo.domain.value_objects.tarifa_iva import TarifaIva
from prometeo.domain.value_objects.texto_sri import (
    CODIGO_BARRA,
    CODIGO_BODEGA,
    CODIGO_PRODUCTO,
    EMAIL,
    NOMBRE_BODEGA,
    NOMBRE_COMERCIAL,
    NOMBRE_PRODUCTO,
    NOMBRE_SUCURSAL,
    RAZON_SOCIAL,
    TELEFONO,
    UNIDAD_MEDIDA,
    CampoSri,
)

AMBIENTE_PRUEBAS = "1"
AMBIENTE_PRODUCCION = "2"

_CODIGO_SERIE = re.compile(r"[0-9]{3}")
# Loose on purpose: a typo is caught, an unusual but real address is not refused.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
# A phone as people write it: digits, spaces and + ( ) -, with 7 to 15 digits (E.164
# allows 15; a local Ecuadorian number without its area code has 7).
_TELEFONO = re.compile(r"\+?[0-9 ()\-]+")
_DIGITOS_TELEFONO = range(7, 16)
MAXIMO_CODIGOS_BARRA = 20


def _texto(valor: object, regla: str, campo: str, maximo: int) -> str:
    """The text stripped: one line, not blank, at most `maximo` characters (see texto_sri)."""
    return CampoSri(campo, regla, maximo).validar(valor)


def _fijar_campos(entidad: object, **verificaciones: Callable[[], object]) -> None:
    """Check every field of a frozen entity, then set each to its checked value: every
    broken rule is reported together, and nothing is set unless all hold."""
    revision = RevisionDeReglas()
    valores = {campo: revision.revisar(verificar) for campo, verificar in verificaciones.items()}
    revision.exigir()
    for campo, valor in valores.items():
        object.__setattr__(entidad, campo, valor)


def _si(valor: object, cumple: bool, regla: str, mensaje: str) -> object:
    """The value unchanged when it `cumple` its rule; ValorInvalido otherwise."""
    if not cumple:
        raise ValorInvalido(regla, mensaje)
    return valor


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
        _fijar_campos(
            self,
            ruc=lambda: _si(
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
            regimen=lambda: _si(
                self.regimen,
                self.regimen in REGIMENES,
                "RegimenValido",
                f"El régimen debe ser {', '.join(REGIMENES)}: {self.regimen!r}",
            ),
            razon_social=lambda: RAZON_SOCIAL.validar(self.razon_social),
            nombre_comercial=lambda: NOMBRE_COMERCIAL.validar(self.nombre_comercial),
            obligado_contabilidad=lambda: _si(
                self.obligado_contabilidad,
                isinstance(self.obligado_contabilidad, bool),
                "ObligadoContabilidadValido",
                f"Obligado a llevar contabilidad debe ser sí o no: {self.obligado_contabilidad!r}",
            ),
            ambiente=lambda: _si(
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
    """A branch (establecimiento): its 3-digit code opens every document number."""

    id: str
    codigo: str
    nombre: str
    direccion: Direccion

    def __post_init__(self) -> None:
        _fijar_campos(
            self,
            id=lambda: _id(self.id),
            codigo=lambda: _codigo_serie(self.codigo, "El código de sucursal"),
            nombre=lambda: NOMBRE_SUCURSAL.validar(self.nombre),
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

    def __post_init__(self) -> None:
        _fijar_campos(
            self,
            id=lambda: _id(self.id),
            sucursal_id=lambda: _id(self.sucursal_id, "El id de la sucursal"),
            codigo=lambda: _codigo_serie(self.codigo, "El código del punto de emisión"),
            siguiente_secuencial=lambda: _secuenciales_iniciales(self.siguiente_secuencial),
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
    """A warehouse of a sucursal, where stock is kept."""

    id: str
    sucursal_id: str
    codigo: str
    nombre: str

    def __post_init__(self) -> None:
        _fijar_campos(
            self,
            id=lambda: _id(self.id),
            sucursal_id=lambda: _id(self.sucursal_id, "El id de la sucursal"),
            codigo=lambda: CODIGO_BODEGA.validar(self.codigo),
            nombre=lambda: NOMBRE_BODEGA.validar(self.nombre),
        )


@dataclass(frozen=True, slots=True)
class Producto:
    """Something sold: its code and description as printed (codigoPrincipal, descripcion),
    its list price, its IVA tarifa (SRI codigoPorcentaje) and the stock below which a
    StockBajo is raised. Its barcodes (the first one is printed as the line's
    codigoAuxiliar; any of them finds it) and its unit of measure (unidadMedida), when it
    has them."""

    id: str
    codigo: str
    nombre: str
    precio: Precio
    tarifa_iva: str
    stock_minimo: Decimal = Decimal(0)
    codigos_barra: tuple[str, ...] = ()
    unidad_medida: str | None = None

    def __post_init__(self) -> None:
        _fijar_campos(
            self,
            id=lambda: _id(self.id),
            codigo=lambda: CODIGO_PRODUCTO.validar(self.codigo),
            nombre=lambda: NOMBRE_PRODUCTO.validar(self.nombre),
            tarifa_iva=lambda: TarifaIva.de_codigo(self.tarifa_iva).codigo,
            stock_minimo=lambda: _stock_minimo(self.stock_minimo),
            codigos_barra=lambda: _codigos_barra(self.codigos_barra),
            unidad_medida=lambda: UNIDAD_MEDIDA.validar_opcional(self.unidad_medida),
        )

    @classmethod
    def nuevo(
        cls,
        id: str,
        codigo: str,
        nombre: str,
        precio: Numero,
        tarifa_iva: str,
        stock_minimo: Numero = 0,
        codigos_barra: tuple[str, ...] = (),
        unidad_medida: str | None = None,
    ) -> Producto:
        """A product from what a person typed, the price too: every broken rule of its
        fields is reported at once (a negative price and an unknown tarifa name both)."""
        revision = RevisionDeReglas()
        valido = revision.revisar(lambda: Precio(precio))
        minimo = revision.revisar(lambda: _stock_minimo(stock_minimo))
        # With the price or the minimum refused, the other fields are still checked, with
        # stand-ins that never leave this function (exigir raises below).
        producto = revision.revisar(
            lambda: cls(
                id,
                codigo,
                nombre,
                valido if valido is not None else Precio(0),
                tarifa_iva,
                minimo if minimo is not None else Decimal(0),
                codigos_barra,
                unidad_medida,
            )
        )
        revision.exigir()
        assert producto is not None
        return producto

    @property
    def codigo_auxiliar(self) -> str | None:
        """The code a document prints beside codigoPrincipal: the first barcode."""
        return self.codigos_barra[0] if self.codigos_barra else None


def _stock_minimo(valor: object) -> Decimal:
    minimo = a_decimal(valor, "StockMinimoValido", "El stock mínimo")
    if minimo < 0 or minimo != redondear6(minimo):
        raise ValorInvalido(
            "StockMinimoValido",
            f"El stock mínimo debe ser cero o positivo, con hasta 6 decimales: {minimo}",
        )
    return minimo


def _codigos_barra(valor: object) -> tuple[str, ...]:
    """The barcodes stripped, in the order given: each an SRI code of up to 25 characters
    (the codigoAuxiliar it may become), none repeated, at most MAXIMO_CODIGOS_BARRA."""
    if isinstance(valor, str) or not isinstance(valor, Iterable):
        raise ValorInvalido(
            "CodigoBarraValido", f"Los códigos de barras deben ser una lista: {valor!r}"
        )
    codigos = tuple(CODIGO_BARRA.validar(codigo) for codigo in valor)
    if len(codigos) > MAXIMO_CODIGOS_BARRA:
        raise ValorInvalido(
            "CodigoBarraValido",
            f"Un producto admite hasta {MAXIMO_CODIGOS_BARRA} códigos de barras, no {len(codigos)}",
        )
    repetidos = sorted({c for c in codigos if codigos.count(c) > 1})
    if repetidos:
        raise ValorInvalido(
            "CodigoBarraUnico",
            f"Los códigos de barras no pueden repetirse: {', '.join(repetidos)}",
        )
    return codigos


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
        _fijar_campos(
            self,
            id=lambda: _id(self.id),
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
