"""What the warehouse screens read: the bodegas to choose from, a product named by what a
person typed, the stock of a bodega (below its minimum marked, near-expiry lots flagged),
the lots a transfer would move, and a product's kardex with its lots.

Invariants:
- Every figure is the read model's own (`consultas`), formatted es-EC here; the only
  computation is the transfer preview, which takes lots exactly as the domain's FIFO exit
  does (oldest first, skipping lots expired today, the last units of a lot taking all the
  value it has left) — the confirmation then shows what really moved.
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
    StockVista,
)
from prometeo.application.servicios.reportes import todas
from prometeo.bootstrap import Servicios
from prometeo.domain.errores import NoEncontrado, ValorInvalido
from prometeo.domain.value_objects.dinero import redondear2
from prometeo.entrypoints.web.formato import cantidad, dinero, fecha, precio

# Lots expiring within this many days are flagged on the stock screen.
DIAS_POR_VENCER = 30
# How many matches a product search offers (a person narrows the text beyond that).
MAXIMO_CANDIDATOS = 10
# Stock rows per page of the stock screen.
FILAS_POR_PAGINA = 200


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


# -- Stock ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FilaStock:
    producto_id: str
    codigo: str
    nombre: str
    cantidad: str
    valor: str
    minimo: str
    bajo_minimo: bool
    # "Vencido" / "Por vencer" when one of its lots here is past or near its expiry.
    caducidad: str


@dataclass(frozen=True, slots=True)
class FilaPorVencer:
    lote_id: str
    producto_id: str
    producto: str
    caducidad: str
    disponible: str
    valor: str
    estado: str  # "Vencido" or "Vence en N días"
    vencido: bool


@dataclass(frozen=True, slots=True)
class Stock:
    """The stock of one bodega as the screen shows it: a page of its products by code."""

    filas: tuple[FilaStock, ...]
    total_productos: int
    bajo_minimo: int
    valor_total: str
    por_vencer: tuple[FilaPorVencer, ...]
    desde: int
    anterior: int | None
    siguiente: int | None


def _dias(dias: int) -> str:
    if dias == 0:
        return "Vence hoy"
    return "Vence mañana" if dias == 1 else f"Vence en {dias} días"


def stock_de(servicios: Servicios, bodega_id: str, solo_bajo_minimo: bool, desde: int) -> Stock:
    """The products of a bodega by code (only those below their minimum when asked), a
    page of FILAS_POR_PAGINA from `desde`, and its lots near expiry."""
    consultas = servicios.consultas
    vistas: list[StockVista] = list(
        todas(lambda n, d: consultas.stock(bodega_id=bodega_id, limite=n, desplazamiento=d))
    )
    vistas.sort(key=lambda v: (v.producto_codigo, v.producto_id))
    lotes = list(todas(lambda n, d: consultas.por_vencer(DIAS_POR_VENCER, bodega_id, n, d)))
    estado_lotes: dict[str, str] = {}
    for lote in lotes:
        if lote.vencido or lote.producto_id not in estado_lotes:
            estado_lotes[lote.producto_id] = "Vencido" if lote.vencido else "Por vencer"
    elegidas = [v for v in vistas if v.bajo_minimo or not solo_bajo_minimo]
    desde = max(0, min(desde, len(elegidas)))
    pagina = elegidas[desde : desde + FILAS_POR_PAGINA]
    return Stock(
        filas=tuple(
            FilaStock(
                v.producto_id,
                v.producto_codigo,
                v.producto_nombre,
                cantidad(v.cantidad),
                dinero(v.valor),
                cantidad(v.stock_minimo),
                v.bajo_minimo,
                estado_lotes.get(v.producto_id, ""),
            )
            for v in pagina
        ),
        total_productos=len(elegidas),
        bajo_minimo=sum(1 for v in vistas if v.bajo_minimo),
        valor_total=dinero(sum((v.valor for v in vistas), Decimal("0.00"))),
        por_vencer=tuple(
            FilaPorVencer(
                lote.lote_id,
                lote.producto_id,
                f"{lote.producto_codigo} — {lote.producto_nombre}",
                fecha(lote.fecha_caducidad),
                cantidad(lote.cantidad_disponible),
                dinero(lote.valor_disponible),
                "Vencido" if lote.vencido else _dias(lote.dias_para_vencer),
                lote.vencido,
            )
            for lote in lotes
        ),
        desde=desde,
        anterior=max(0, desde - FILAS_POR_PAGINA) if desde else None,
        siguiente=desde + FILAS_POR_PAGINA if desde + FILAS_POR_PAGINA < len(elegidas) else None,
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
        # As Lote.consumo: a partial take costs round2(units × unit cost); the rest of a lot
        # is what it has left, which this read model does not keep: the same rounding.
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
