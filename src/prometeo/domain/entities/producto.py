"""Producto: something sold, as the catalog keeps it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from prometeo.domain.entities.campos import SIN_CAMBIO, booleano, fijar_campos, id_valido
from prometeo.domain.errores import RevisionDeReglas, ValorInvalido
from prometeo.domain.value_objects.dinero import Numero, Precio, a_decimal, redondear6
from prometeo.domain.value_objects.tarifa_iva import TarifaIva
from prometeo.domain.value_objects.texto_sri import (
    CODIGO_BARRA,
    CODIGO_PRODUCTO,
    NOMBRE_PRODUCTO,
    UNIDAD_MEDIDA,
)

MAXIMO_CODIGOS_BARRA = 20


@dataclass(frozen=True, slots=True)
class Producto:
    """Something sold: its code and description as printed (codigoPrincipal, descripcion),
    its list price, its IVA tarifa (SRI codigoPorcentaje) and the stock below which a
    StockBajo is raised. Its barcodes (the first one is printed as the line's
    codigoAuxiliar; any of them finds it) and its unit of measure (unidadMedida), when it
    has them.

    An inactive product is neither sold nor received; its history stays. A tarifa change
    announced for a later day is `tarifa_programada` (the day it takes effect, its
    codigoPorcentaje): sales dated from that day on take it, earlier ones `tarifa_iva`."""

    id: str
    codigo: str
    nombre: str
    precio: Precio
    tarifa_iva: str
    stock_minimo: Decimal = Decimal(0)
    codigos_barra: tuple[str, ...] = ()
    unidad_medida: str | None = None
    activo: bool = True
    tarifa_programada: tuple[date, str] | None = None

    def __post_init__(self) -> None:
        fijar_campos(
            self,
            id=lambda: id_valido(self.id),
            codigo=lambda: CODIGO_PRODUCTO.validar(self.codigo),
            nombre=lambda: NOMBRE_PRODUCTO.validar(self.nombre),
            tarifa_iva=lambda: TarifaIva.de_codigo(self.tarifa_iva).codigo,
            stock_minimo=lambda: _stock_minimo(self.stock_minimo),
            codigos_barra=lambda: _codigos_barra(self.codigos_barra),
            unidad_medida=lambda: UNIDAD_MEDIDA.validar_opcional(self.unidad_medida),
            activo=lambda: booleano(self.activo, "ActivoValido", "Activo"),
            tarifa_programada=lambda: _tarifa_programada(self.tarifa_programada),
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

    def tarifa_en(self, fecha: date) -> str:
        """The codigoPorcentaje a sale dated `fecha` takes."""
        programada = self.tarifa_programada
        if programada is not None and fecha >= programada[0]:
            return programada[1]
        return self.tarifa_iva

    def vigente(self, hoy: date) -> Producto:
        """The same product with a programmed tarifa whose day has come made its tarifa:
        what it is `hoy`, and what a change made `hoy` starts from."""
        if self.tarifa_programada is None or hoy < self.tarifa_programada[0]:
            return self
        return replace(self, tarifa_iva=self.tarifa_programada[1], tarifa_programada=None)

    def modificado(
        self,
        hoy: date,
        *,
        precio: Any = SIN_CAMBIO,
        nombre: Any = SIN_CAMBIO,
        tarifa_iva: Any = SIN_CAMBIO,
        vigente_desde: date | None = None,
        stock_minimo: Any = SIN_CAMBIO,
        codigos_barra: Any = SIN_CAMBIO,
        unidad_medida: Any = SIN_CAMBIO,
        activo: Any = SIN_CAMBIO,
    ) -> Producto:
        """The product with the fields given changed (SIN_CAMBIO: kept), every broken rule
        reported at once. Its code and id never change (documents and lots name it).

        A new tarifa takes effect `vigente_desde` (default today): from a later day it is
        programmed and the current one holds until then; a day before today is refused,
        because the documents already emitted keep the tarifa they were sold with. A new
        tarifa replaces a programmed one (the current tarifa given again cancels it)."""
        actual = self.vigente(hoy)
        revision = RevisionDeReglas()
        # Values as given: the entity's own checks run when `replace` builds it.
        cambios: dict[str, Any] = {}
        # A refused price, minimum or tarifa leaves the current one as a stand-in, so the
        # other fields are still checked; the stand-ins never leave (exigir raises below).
        if precio is not SIN_CAMBIO:
            cambios["precio"] = revision.revisar(lambda: Precio(precio)) or actual.precio
        if stock_minimo is not SIN_CAMBIO:
            valido = revision.revisar(lambda: _stock_minimo(stock_minimo))
            cambios["stock_minimo"] = actual.stock_minimo if valido is None else valido
        for campo, valor in (
            ("nombre", nombre),
            ("codigos_barra", codigos_barra),
            ("unidad_medida", unidad_medida),
            ("activo", activo),
        ):
            if valor is not SIN_CAMBIO:
                lista = campo == "codigos_barra" and _lista(valor)
                cambios[campo] = tuple(valor) if lista else valor
        if vigente_desde is not None and tarifa_iva is SIN_CAMBIO:
            revision.revisar(_sin_tarifa_que_programar)
        if tarifa_iva is not SIN_CAMBIO:
            cambios.update(
                revision.revisar(lambda: _nueva_tarifa(tarifa_iva, vigente_desde, hoy)) or {}
            )
        resultado = revision.revisar(lambda: replace(actual, **cambios))
        revision.exigir()
        assert resultado is not None
        return resultado


def _lista(valor: object) -> bool:
    return isinstance(valor, Iterable) and not isinstance(valor, str)


def _sin_tarifa_que_programar() -> None:
    raise ValorInvalido(
        "VigenciaTarifaValida",
        "vigente_desde indica desde cuándo rige una nueva tarifa_iva: envíe también la tarifa_iva",
    )


def _nueva_tarifa(codigo: object, desde: date | None, hoy: date) -> dict[str, object]:
    """The fields a tarifa change sets: at once (today or no date) or programmed."""
    nueva = TarifaIva.de_codigo(str(codigo)).codigo
    if desde is not None and desde < hoy:
        raise ValorInvalido(
            "VigenciaTarifaValida",
            f"La nueva tarifa no puede regir desde una fecha pasada ({desde.isoformat()}): "
            "los documentos ya emitidos conservan la tarifa con la que se vendieron",
        )
    if desde is None or desde == hoy:
        return {"tarifa_iva": nueva, "tarifa_programada": None}
    return {"tarifa_programada": (desde, nueva)}


def _tarifa_programada(valor: object) -> tuple[date, str] | None:
    if valor is None:
        return None
    if not isinstance(valor, tuple) or len(valor) != 2 or not isinstance(valor[0], date):
        raise ValorInvalido(
            "VigenciaTarifaValida", f"Una tarifa programada es (fecha, tarifa): {valor!r}"
        )
    return (valor[0], TarifaIva.de_codigo(valor[1]).codigo)


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
