"""What the warehouse screens read: the bodegas to choose from, a product named by what a
person typed, the lots a transfer would move, and a product's kardex with its lots (the
stock of a bodega: bodega_stock.py).

Invariants:
- Every figure is the read model's own (`consultas`), formatted es-EC here; the only
  computation is the transfer preview, which takes lots as the domain's FIFO exit does
  (oldest first, skipping lots expired today, round2(units × unit cost) each). A lot
  taken whole gives all the value it has left, which the read model does not keep, so
  that cost may differ by a cent: the page after the transfer shows what really moved.
- The catalog is never loaded whole: products are found by code or by a search.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from prometeo.application.consultas import (
    BodegaVista,
    LoteVista,
    MovimientoKardex,
    ProductoVista,
)
from prometeo.application.servicios.reportes import todas
from prometeo.bootstrap import Servicios
from prometeo.domain.errores import NoEncontrado, ValorInvalido
from prometeo.domain.value_objects.dinero import redondear2
from prometeo.entrypoints.web.formato import cantidad, dinero, fecha, precio

# How many matches a product search offers (a person narrows the text beyond that).
MAXIMO_CANDIDATOS = 10


def nombre_bodega(bodega: BodegaVista) -> str:
    return f"{bodega.codigo} — {bodega.nombre}"


def nombre_producto(producto: ProductoVista) -> str:
    return f"{producto.codigo} — {producto.nombre}"


def bodegas(servicios: Servicios, solo_activas: bool = False) -> list[BodegaVista]:
    """The bodegas by code (only the active ones, where goods must be received)."""
    todas_ = servicios.consultas.bodegas()
    return [b for b in todas_ if b.activo or not solo_activas]


def bodega_elegida(lista: list[BodegaVista], bodega_id: str | None) -> BodegaVista | None:
    """The bodega asked for; the only one when there is just one; else None."""
    if bodega_id:
        return next((b for b in lista if b.id == bodega_id), None)
    return lista[0] if len(lista) == 1 else None


@dataclass(frozen=True, slots=True)
class Busqueda:
    """A product looked up from what a person typed: the one found, or the matches to
    choose from and why none was taken."""

    producto: ProductoVista | None
    candidatos: tuple[ProductoVista, ...] = ()
    aviso: ValorInvalido | None = None


def candidatos(servicios: Servicios, texto: str) -> list[ProductoVista]:
    """The product whose code or barcode is `texto`, else those whose words start with
    the words typed (at most MAXIMO_CANDIDATOS)."""
    limpio = texto.strip()
    if not limpio:
        return []
    exacto = servicios.consultas.productos(1, codigo=limpio)
    if exacto:
        return exacto
    return servicios.consultas.productos(MAXIMO_CANDIDATOS, buscar=limpio)


def buscar_producto(servicios: Servicios, texto: str, producto_id: str = "") -> Busqueda:
    """The product chosen from the matches (`producto_id`) or named by `texto`: its code,
    a barcode, or words of its name matching one product only."""
    # The product found is offered as the one choice, checked: the form shows what it
    # will act on.
    if producto_id:
        try:
            elegido = servicios.consultas.producto(producto_id)
            return Busqueda(elegido, (elegido,))
        except NoEncontrado:
            pass  # an old choice: the text decides
    limpio = texto.strip()
    if not limpio:
        return Busqueda(
            None,
            aviso=ValorInvalido(
                "ProductoElegido",
                "Escriba el código, el código de barras o el nombre del producto",
            ),
        )
    encontrados = candidatos(servicios, limpio)
    if len(encontrados) == 1:
        return Busqueda(encontrados[0], (encontrados[0],))
    if not encontrados:
        return Busqueda(
            None,
            aviso=ValorInvalido(
                "ProductoExiste", f"Ningún producto tiene el código o el nombre «{limpio}»"
            ),
        )
    return Busqueda(
        None,
        tuple(encontrados),
        ValorInvalido(
            "ProductoElegido", f"Varios productos coinciden con «{limpio}»: elija uno de la lista"
        ),
    )


# -- Lots and transfers --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FilaLote:
    lote_id: str
    ingreso: str
    caducidad: str
    cantidad: str  # what moves (preview) or what is left (drill-down)
    cantidad_inicial: str
    costo_unitario: str
    costo: str  # of what moves (preview only)
    vencido: bool


def lotes_de(servicios: Servicios, producto_id: str, bodega_id: str) -> list[LoteVista]:
    """The lots with units left of a product in a bodega, FIFO order."""
    consultas = servicios.consultas
    return list(todas(lambda n, d: consultas.lotes(producto_id, bodega_id, n, d)))


def fila_lote(lote: LoteVista, mueve: Decimal, costo: Decimal | None = None) -> FilaLote:
    return FilaLote(
        lote.lote_id,
        fecha(lote.fecha_ingreso),
        fecha(lote.fecha_caducidad) if lote.fecha_caducidad else "Sin caducidad",
        cantidad(mueve),
        cantidad(lote.cantidad_inicial),
        precio(lote.costo_unitario),
        "" if costo is None else dinero(costo),
        lote.vencido,
    )


@dataclass(frozen=True, slots=True)
class VistaTransferencia:
    """The lots a transfer of `cantidad` would take from the origin, and their cost."""

    filas: tuple[FilaLote, ...]
    cantidad: str
    costo: str
    disponible: str
    alcanza: bool


def vista_transferencia(
    servicios: Servicios, producto_id: str, origen_id: str, pedida: Decimal
) -> VistaTransferencia:
    """The origin's lots that would move, as the domain's FIFO exit takes them."""
    filas: list[FilaLote] = []
    pendiente, costo_total = pedida, Decimal("0.00")
    vendibles = [lote for lote in lotes_de(servicios, producto_id, origen_id) if not lote.vencido]
    for lote in vendibles:
        if pendiente <= 0:
            break
        mueve = min(pendiente, lote.cantidad_disponible)
        # As Lote.consumo for a partial take (see the module's invariants for a whole one).
        costo = redondear2(mueve * lote.costo_unitario)
        filas.append(fila_lote(lote, mueve, costo))
        pendiente -= mueve
        costo_total += costo
    disponible = sum((lote.cantidad_disponible for lote in vendibles), Decimal(0))
    return VistaTransferencia(
        tuple(filas),
        cantidad(pedida),
        dinero(costo_total),
        cantidad(disponible),
        pendiente <= 0,
    )


# -- Kardex --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FilaKardex:
    fecha: str
    tipo: str
    motivo: str
    documento: str
    lote_id: str
    cantidad: str
    costo_unitario: str
    costo_total: str
    saldo_cantidad: str
    saldo_valor: str


@dataclass(frozen=True, slots=True)
class Kardex:
    movimientos: tuple[FilaKardex, ...]
    lotes: tuple[FilaLote, ...]
    lotes_ids: frozenset[str]
    saldo_cantidad: str
    saldo_valor: str


def _fila_kardex(m: MovimientoKardex) -> FilaKardex:
    return FilaKardex(
        fecha(m.fecha),
        m.tipo,
        m.motivo,
        m.documento,
        m.lote_id,
        cantidad(m.cantidad),
        precio(m.costo_unitario),
        dinero(m.costo_total),
        cantidad(m.saldo_cantidad),
        dinero(m.saldo_valor),
    )


def movimientos(servicios: Servicios, producto_id: str, bodega_id: str) -> list[MovimientoKardex]:
    consultas = servicios.consultas
    return list(todas(lambda n, d: consultas.kardex(producto_id, bodega_id, n, d)))


def kardex_de(servicios: Servicios, producto_id: str, bodega_id: str) -> Kardex:
    """Every movement of a product in a bodega, oldest first, with running balances, and
    its lots with units left."""
    todos = movimientos(servicios, producto_id, bodega_id)
    lotes = lotes_de(servicios, producto_id, bodega_id)
    ultimo = todos[-1] if todos else None
    return Kardex(
        tuple(_fila_kardex(m) for m in todos),
        tuple(fila_lote(lote, lote.cantidad_disponible) for lote in lotes),
        frozenset(lote.lote_id for lote in lotes),
        cantidad(ultimo.saldo_cantidad if ultimo else Decimal(0)),
        dinero(ultimo.saldo_valor if ultimo else Decimal(0)),
    )


def movidos_en(
    servicios: Servicios, producto_id: str, destino_id: str, transferencia_id: str
) -> list[FilaKardex]:
    """The entries a transfer made in its destination (its document names it)."""
    documento = f"TRANSFERENCIA {transferencia_id}"
    return [
        _fila_kardex(m)
        for m in movimientos(servicios, producto_id, destino_id)
        if m.documento == documento and m.tipo == "ENTRADA"
    ]
