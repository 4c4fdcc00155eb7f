"""What an inactive catalog entry may no longer do: an inactive product is neither sold nor
received, an inactive punto de emisión issues nothing, an inactive bodega neither sells
nor receives, and an inactive sucursal does none of it through any punto or bodega of its
own. What was done before stays as it was (documents, lots, kardex)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from prometeo.domain.entities.catalogo import Bodega, Producto, PuntoDeEmision, Sucursal
from prometeo.domain.errores import ReglaIncumplida, ReglasIncumplidas


@dataclass(frozen=True, slots=True)
class CatalogoInactivo:
    """What of a sale's catalog is inactive, as its people name it: product codes, the
    punto and the bodega (with the reason: their own or their sucursal's)."""

    productos: tuple[str, ...] = ()
    punto: str | None = None
    bodega: str | None = None

    @classmethod
    def de_venta(
        cls,
        productos: Iterable[Producto],
        punto: PuntoDeEmision,
        bodega: Bodega,
        sucursal: Sucursal,
    ) -> CatalogoInactivo:
        return cls(
            tuple(sorted({p.codigo for p in productos if not p.activo})),
            _inactivo("El punto de emisión", punto.codigo, punto.activo, sucursal),
            _inactivo("La bodega", bodega.codigo, bodega.activo, sucursal),
        )

    def reglas(self) -> list[ReglaIncumplida]:
        """Every rule the sale breaks (empty: it may go on)."""
        reglas = []
        if self.productos:
            reglas.append(regla_producto(self.productos, "vender"))
        if self.punto is not None:
            reglas.append(ReglaIncumplida("PuntoEmisionActivo", f"{self.punto}: no emite"))
        if self.bodega is not None:
            reglas.append(ReglaIncumplida("BodegaActiva", f"{self.bodega}: no vende"))
        return reglas


def _inactivo(que: str, codigo: str, activo: bool, sucursal: Sucursal) -> str | None:
    if not sucursal.activo:
        return f"{que} {codigo} es de la sucursal {sucursal.codigo}, que está inactiva"
    if not activo:
        return f"{que} {codigo} está {'inactiva' if que.startswith('La ') else 'inactivo'}"
    return None


def regla_producto(codigos: Iterable[str], para: str) -> ReglaIncumplida:
    lista = ", ".join(codigos)
    return ReglaIncumplida(
        "ProductoActivo",
        f"No se puede {para} un producto inactivo: {lista} (actívelo para {para}lo)",
    )


def exigir_producto_activo(producto: Producto, para: str) -> None:
    """Refuse to `para` (a Spanish verb: vender, ingresar) an inactive product."""
    if not producto.activo:
        raise ReglasIncumplidas([regla_producto([producto.codigo], para)])


def exigir_bodega_activa(bodega: Bodega, sucursal: Sucursal, para: str) -> None:
    """Refuse to `para` (recibir, vender) in an inactive bodega or one of an inactive
    sucursal."""
    motivo = _inactivo("La bodega", bodega.codigo, bodega.activo, sucursal)
    if motivo is not None:
        raise ReglasIncumplidas([ReglaIncumplida("BodegaActiva", f"{motivo}: no puede {para}")])
