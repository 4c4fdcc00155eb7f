"""Producto: something sold, as the catalog keeps it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from prometeo.domain.entities.campos import fijar_campos, id_valido
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
        fijar_campos(
            self,
            id=lambda: id_valido(self.id),
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
