"""The same invoice, written the eventsourcing library's way (pinned in the `bench` extra).

One invoice aggregate (created, five lines added, issued with totals per VAT rate and the
FIFO cost of each line) plus the five inventory aggregates it takes goods from (FIFO over
lots, exits recorded with the lots they consumed), saved together in ONE `app.save(...)`,
so the library writes them in one transaction with its optimistic (id, version) key.
Amounts are Decimal, rounded ROUND_HALF_UP as prometeo does. The library has no catalog:
products live in memory here, which spares it the catalog reads prometeo does.
"""

from __future__ import annotations

import uuid
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from eventsourcing.domain import Aggregate, event

CENTAVO = Decimal("0.01")
IVA_15 = Decimal("0.15")
PRECIO = Decimal("4.00")
_ESPACIO = uuid.UUID("6f1c1f9e-5a7e-4c0e-9d0b-7d6a4d1e2b3c")


def r2(valor: Decimal) -> Decimal:
    return valor.quantize(CENTAVO, rounding=ROUND_HALF_UP)


class InventarioES(Aggregate):
    """FIFO lots of one product in one bodega."""

    @staticmethod
    def create_id(producto_id: str, bodega_id: str) -> uuid.UUID:  # type: ignore[override]
        return uuid.uuid5(_ESPACIO, f"inventario-{producto_id}-{bodega_id}")

    @event("Abierto")
    def __init__(self, producto_id: str, bodega_id: str) -> None:
        self.producto_id = producto_id
        self.bodega_id = bodega_id
        self.lotes: dict[str, list[Decimal]] = {}  # lote_id -> [disponible, costo_unitario]

    @property
    def stock(self) -> Decimal:
        return sum((d for d, _ in self.lotes.values()), Decimal(0))

    @event("LoteIngresado")
    def ingresar(
        self, lote_id: str, cantidad: Decimal, costo_unitario: Decimal, costo: Decimal, fecha: str
    ) -> None:
        self.lotes[lote_id] = [cantidad, costo_unitario]

    def reducir(self, cantidad: Decimal, fecha: str, documento: str, documento_id: str) -> Decimal:
        if self.stock < cantidad:
            raise ValueError(f"stock insuficiente de {self.producto_id}")
        consumos = []
        falta = cantidad
        for lote_id, (disponible, costo_unitario) in self.lotes.items():
            toma = min(falta, disponible)
            consumos.append(
                {
                    "lote_id": lote_id,
                    "cantidad": toma,
                    "costo_unitario": costo_unitario,
                    "costo": r2(toma * costo_unitario),
                }
            )
            falta -= toma
            if not falta:
                break
        costo = sum((c["costo"] for c in consumos), Decimal("0.00"))
        self._reducido(
            producto_id=self.producto_id,
            bodega_id=self.bodega_id,
            fecha=fecha,
            documento=documento,
            documento_id=documento_id,
            cantidad=cantidad,
            costo=costo,
            consumos=consumos,
            motivo="VENTA",
        )
        return costo

    @event("StockReducido")
    def _reducido(
        self,
        producto_id: str,
        bodega_id: str,
        fecha: str,
        documento: str,
        documento_id: str,
        cantidad: Decimal,
        costo: Decimal,
        consumos: list[dict[str, Any]],
        motivo: str,
    ) -> None:
        for consumo in consumos:
            lote = self.lotes[consumo["lote_id"]]
            lote[0] -= consumo["cantidad"]
            if not lote[0]:
                del self.lotes[consumo["lote_id"]]


class FacturaES(Aggregate):
    """A sales invoice: created, lines added, issued."""

    @event("Creada")
    def __init__(
        self,
        punto_emision_id: str,
        sucursal_id: str,
        bodega_id: str,
        cliente_id: str,
        comprador: dict[str, str],
        fecha_emision: str,
        propina: Decimal,
    ) -> None:
        self.bodega_id = bodega_id
        self.fecha_emision = fecha_emision
        self.lineas: list[dict[str, Any]] = []
        self.estado = "BORRADOR"
        self.numero: str | None = None

    @event("LineaAgregada")
    def agregar_linea(
        self,
        numero_linea: int,
        producto_id: str,
        codigo: str,
        descripcion: str,
        cantidad: Decimal,
        precio_unitario: Decimal,
        descuento: Decimal,
        tarifa_iva: str,
    ) -> None:
        self.lineas.append(
            {
                "numero_linea": numero_linea,
                "producto_id": producto_id,
                "cantidad": cantidad,
                "precio_unitario": precio_unitario,
                "descuento": descuento,
                "tarifa_iva": tarifa_iva,
            }
        )

    @event("Emitida")
    def _emitida(
        self,
        numero: str,
        secuencial: int,
        fecha_emision: str,
        lineas: list[dict[str, Any]],
        importes_por_tarifa: list[dict[str, Any]],
        subtotal_sin_impuestos: Decimal,
        total_descuento: Decimal,
        iva: Decimal,
        propina: Decimal,
        importe_total: Decimal,
        costo_total: Decimal,
        pagos: list[dict[str, Any]],
    ) -> None:
        self.estado = "EMITIDA"
        self.numero = numero

    def emitir(self, secuencial: int, inventarios: dict[str, InventarioES]) -> None:
        numero = f"001-001-{secuencial:09d}"
        lineas = []
        for linea in self.lineas:
            subtotal = r2(linea["cantidad"] * linea["precio_unitario"] - linea["descuento"])
            costo = inventarios[linea["producto_id"]].reducir(
                linea["cantidad"], self.fecha_emision, f"FACTURA {numero}", str(self.id)
            )
            lineas.append(
                {
                    "numero_linea": linea["numero_linea"],
                    "producto_id": linea["producto_id"],
                    "cantidad": linea["cantidad"],
                    "subtotal": subtotal,
                    "descuento_prorrateado": Decimal("0.00"),
                    "iva": r2(subtotal * IVA_15),
                    "costo": costo,
                }
            )
        base = sum((ln["subtotal"] for ln in lineas), Decimal("0.00"))
        iva = r2(base * IVA_15)
        total = base + iva
        self._emitida(
            numero=numero,
            secuencial=secuencial,
            fecha_emision=self.fecha_emision,
            lineas=lineas,
            importes_por_tarifa=[{"tarifa_iva": "4", "base": base, "iva": iva}],
            subtotal_sin_impuestos=base,
            total_descuento=Decimal("0.00"),
            iva=iva,
            propina=Decimal("0.00"),
            importe_total=total,
            costo_total=sum((ln["costo"] for ln in lineas), Decimal("0.00")),
            pagos=[{"forma_pago": "01", "total": total, "plazo": None, "unidad_tiempo": None}],
        )
