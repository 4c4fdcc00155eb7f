"""The stock of one bodega as the warehouse's home shows it: its products by code with
what is below its minimum (said in words), and its lots past or near their expiry.

Invariants: every figure is the read model's own (`consultas.stock`, `por_vencer`),
formatted es-EC here; the value shown as the total is the sum of all the bodega's
products, whatever page or filter is shown."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from prometeo.application.consultas import StockVista
from prometeo.application.servicios.reportes import todas
from prometeo.bootstrap import Servicios
from prometeo.entrypoints.web.formato import cantidad, dinero, fecha

# Lots expiring within this many days are flagged on the stock screen.
DIAS_POR_VENCER = 30
# Stock rows per page of the stock screen.
FILAS_POR_PAGINA = 200


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
