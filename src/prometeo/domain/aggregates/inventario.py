"""The Inventario aggregate: the FIFO queue of lots of one producto in one bodega."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar, Self

from prometeo.domain.aggregates.base import Agregado
from prometeo.domain.aggregates.lote import Lote
from prometeo.domain.errores import OperacionNoPermitida, ValorInvalido
from prometeo.domain.events.base import EventoDominio
from prometeo.domain.events.inventario import (
    ConsumoLote,
    LoteIngresado,
    MotivoIngreso,
    MotivoReingreso,
    MotivoSalida,
    StockBajo,
    StockIncrementado,
    StockReducido,
)
from prometeo.domain.specifications.inventario import SolicitudSalida, StockSuficiente
from prometeo.domain.value_objects.dinero import LIMITE, Cantidad, Precio, con_miles
from prometeo.domain.value_objects.texto_sri import REFERENCIA

CERO = Decimal(0)
CERO_DOLARES = Decimal("0.00")
# What one producto × bodega may hold: below 10^12 units and USD 10^12 of value, the bound
# of every quantity and amount (SRI: 12 integer digits). The read models keep stock as
# BIGINT micro-units (× 10^6) and values as BIGINT cents: 10^18 and 10^14 stay well
# inside 64 bits (9.22 × 10^18), where SQLite would otherwise fall back to floating point.
LIMITE_STOCK = LIMITE
LIMITE_VALOR = LIMITE


class Inventario(Agregado):
    """The stock of one producto in one bodega, kept as a FIFO queue of lots: entries join
    the end of the queue, exits consume the oldest lots first and record what they cost.

    An emptied lot leaves the queue, so state (and snapshots) stay the size of the stock,
    not of the history. An anulación that gives units back to an emptied lot re-creates it
    at the head of the queue: it was older than every lot still holding goods."""

    TIPO_STREAM: ClassVar[str] = "inventario"

    def __init__(self, id: str) -> None:
        """A blank inventory for replay: producto and bodega come from its events."""
        super().__init__(id)
        self.producto_id = ""
        self.bodega_id = ""
        # Insertion order is the FIFO order; the key finds a lot for an anulación.
        self._lotes: dict[str, Lote] = {}
        self._existe = False
        # Running totals of the lots (derived, not state: see _estado); None = not known
        # yet (a replay or a restored snapshot), summed on first use.
        self._stock: Decimal | None = None
        self._valor: Decimal | None = None

    @staticmethod
    def id_para(producto_id: str, bodega_id: str) -> str:
        return f"{producto_id}-{bodega_id}"

    @classmethod
    def para(cls, producto_id: str, bodega_id: str) -> Self:
        """The (still empty) inventory of a producto in a bodega."""
        inventario = cls(cls.id_para(producto_id, bodega_id))
        inventario.producto_id = producto_id
        inventario.bodega_id = bodega_id
        return inventario

    @property
    def lotes(self) -> tuple[Lote, ...]:
        """The lots that still hold goods, oldest first (the order they will be consumed)."""
        return tuple(self._lotes.values())

    @property
    def lotes_disponibles(self) -> tuple[Lote, ...]:
        """The lots that still hold goods, in the order they will be consumed."""
        return tuple(lote for lote in self._lotes.values() if not lote.agotado)

    @property
    def stock(self) -> Decimal:
        """The units in every lot (exactly the sum of the lots, digits and exponent)."""
        if self._stock is None:
            self._sumar_totales()
            assert self._stock is not None
        return self._stock

    @property
    def valor(self) -> Decimal:
        """The value of every lot, to the cent."""
        if self._valor is None:
            self._sumar_totales()
            assert self._valor is not None
        return self._valor

    def _sumar_totales(self) -> None:
        self._stock = sum((lote.cantidad_disponible for lote in self._lotes.values()), CERO)
        self._valor = sum((lote.valor_disponible for lote in self._lotes.values()), CERO_DOLARES)

    def _sumar(self, cantidad: Decimal, valor: Decimal) -> None:
        if self._stock is not None and self._valor is not None:
            self._stock += cantidad
            self._valor += valor

    def _estado(self) -> dict[str, Any]:
        # The running totals follow from the lots: they are neither compared nor kept in
        # snapshots (whose shape therefore did not change).
        estado = super()._estado()
        del estado["_stock"], estado["_valor"]
        return estado

    @property
    def existe(self) -> bool:
        """Whether this producto has ever had stock in this bodega."""
        return self._existe

    def ingresar(
        self,
        cantidad: Cantidad,
        costo_unitario: Precio,
        fecha: date,
        *,
        fecha_caducidad: date | None = None,
        documento: str = "",
        lote_id: str | None = None,
    ) -> str:
        """Receive a new lot (a purchase) at the end of the queue; returns its id."""
        if fecha_caducidad is not None and fecha_caducidad < fecha:
            raise ValorInvalido(
                "FechaCaducidadLoteValida",
                f"La fecha de caducidad {fecha_caducidad} es anterior al ingreso {fecha}",
            )
        documento = REFERENCIA.validar_opcional(documento) or ""
        lote = ConsumoLote(
            self._nuevo_lote_id(lote_id),
            cantidad.valor,
            costo_unitario.valor,
            costo_unitario.por(cantidad).monto,
            fecha_caducidad,
        )
        self._exigir_capacidad(lote.cantidad, lote.costo)
        self._registrar(self._ingreso(lote, fecha, documento, "INGRESO"))
        return lote.lote_id

    def reducir(
        self,
        cantidad: Cantidad,
        fecha: date,
        *,
        documento: str,
        documento_id: str,
        motivo: MotivoSalida = "VENTA",
        stock_minimo: Decimal = CERO,
        codigo_producto: str | None = None,
        codigo_bodega: str | None = None,
    ) -> tuple[ConsumoLote, ...]:
        """Take goods out, oldest lots first; returns which lots gave how much, at what
        cost. Raises StockBajo as well when this exit crosses the minimum. The codes, when
        given, name the product and the bodega in a refusal."""
        antes = self.stock
        StockSuficiente().exigir(
            SolicitudSalida(
                self.producto_id,
                self.bodega_id,
                cantidad.valor,
                antes,
                codigo_producto,
                codigo_bodega,
            )
        )
        consumos = self._consumos_fifo(cantidad.valor)
        self._registrar(
            StockReducido(
                producto_id=self.producto_id,
                bodega_id=self.bodega_id,
                fecha=fecha,
                documento=documento,
                documento_id=documento_id,
                cantidad=cantidad.valor,
                costo=sum((c.costo for c in consumos), CERO_DOLARES),
                consumos=consumos,
                motivo=motivo,
            )
        )
        despues = self.stock
        if antes > stock_minimo >= despues:
            self._registrar(
                StockBajo(
                    producto_id=self.producto_id,
                    bodega_id=self.bodega_id,
                    cantidad=despues,
                    stock_minimo=stock_minimo,
                )
            )
        return consumos

    def revertir(
        self, consumos: tuple[ConsumoLote, ...], fecha: date, *, documento: str, documento_id: str
    ) -> None:
        """Undo an exit (anulación): each lot gets back exactly what it gave, at its cost."""
        self._exigir_consumos(consumos)
        devuelto: defaultdict[str, Decimal] = defaultdict(Decimal)
        for consumo in consumos:
            devuelto[consumo.lote_id] += consumo.cantidad
        for lote_id, cantidad in devuelto.items():
            lote = self._lotes.get(lote_id) or self._lote_vaciado(consumos, lote_id)
            if cantidad > lote.cantidad_inicial - lote.cantidad_disponible:
                raise ValorInvalido(
                    "ReversionDentroDelLote",
                    f"No se pueden devolver {cantidad} unidades al lote {lote_id}: "
                    f"solo salieron {lote.cantidad_inicial - lote.cantidad_disponible}",
                )
        self._exigir_capacidad(
            sum((c.cantidad for c in consumos), CERO), sum((c.costo for c in consumos), CERO)
        )
        self._registrar(self._incremento(consumos, fecha, documento, documento_id, "ANULACION"))

    def devolver(
        self,
        cantidad: Cantidad,
        costo_unitario: Precio,
        fecha: date,
        *,
        documento: str,
        documento_id: str,
        lote_id: str | None = None,
    ) -> ConsumoLote:
        """Goods returned by a nota de crédito: one new lot at the end of the queue."""
        nuevo = ConsumoLote(
            lote_id=self._nuevo_lote_id(lote_id),
            cantidad=cantidad.valor,
            costo_unitario=costo_unitario.valor,
            costo=costo_unitario.por(cantidad).monto,
        )
        self._exigir_capacidad(nuevo.cantidad, nuevo.costo)
        self._registrar(self._incremento((nuevo,), fecha, documento, documento_id, "DEVOLUCION"))
        return nuevo

    def recibir_transferencia(
        self, consumos: tuple[ConsumoLote, ...], fecha: date, *, documento: str
    ) -> tuple[str, ...]:
        """Receive what another bodega sent: one new lot per lot consumed there, with the
        same unit cost, expiry and value. Returns the new lots' ids."""
        self._exigir_consumos(consumos)
        self._exigir_capacidad(
            sum((c.cantidad for c in consumos), CERO), sum((c.costo for c in consumos), CERO)
        )
        # Fresh ids: the same origin lot may be transferred here more than once.
        ids = tuple(self._nuevo_lote_id(None) for _ in consumos)
        for lote_id, consumo in zip(ids, consumos, strict=True):
            lote = replace(consumo, lote_id=lote_id)
            self._registrar(self._ingreso(lote, fecha, documento, "TRANSFERENCIA"))
        return ids

    def _registrar(self, evento: EventoDominio) -> None:
        # A blank inventory (made for replay) would record events that belong to no product.
        if not (self.producto_id and self.bodega_id):
            raise ValorInvalido(
                "InventarioIdentificado",
                f"El inventario {self.id} no tiene producto y bodega: créelo con Inventario.para",
            )
        super()._registrar(evento)

    def _lote_vaciado(self, consumos: tuple[ConsumoLote, ...], lote_id: str) -> Lote:
        """An emptied lot as an anulación would re-create it (its consumos say how); a lot
        this inventario never gave out cannot be given back to."""
        consumo = next(c for c in consumos if c.lote_id == lote_id)
        if consumo.fecha_ingreso is None or consumo.cantidad_inicial is None:
            raise ValorInvalido("LoteExiste", f"El lote {lote_id} no existe en {self.id}")
        return replace(
            self._lote(consumo, consumo.fecha_ingreso),
            cantidad_disponible=CERO,
            valor_disponible=CERO_DOLARES,
        )

    def _exigir_capacidad(self, cantidad: Decimal, valor: Decimal) -> None:
        """Goods coming in may not take the stock or its value to the bound the read models
        can store (LIMITE_STOCK units, LIMITE_VALOR dollars)."""
        stock, total = self.stock + cantidad, self.valor + valor
        if stock >= LIMITE_STOCK or total >= LIMITE_VALOR:
            raise OperacionNoPermitida(
                "StockDentroDelLimite",
                # The request names the product and the bodega; their ids would not help.
                f"El inventario del producto en esa bodega quedaría con "
                f"{stock.normalize():f} unidades y un valor de USD {total}; debe quedar "
                f"por debajo de {con_miles(LIMITE_STOCK)} unidades y de USD "
                f"{con_miles(LIMITE_VALOR)}",
            )

    def _exigir_consumos(self, consumos: tuple[ConsumoLote, ...]) -> None:
        if not consumos:
            raise ValorInvalido("ConsumosPresentes", "El movimiento no indica ningún lote")

    def _nuevo_lote_id(self, lote_id: str | None) -> str:
        lote_id = lote_id or str(uuid.uuid4())
        if lote_id in self._lotes:
            raise ValorInvalido(
                "LoteUnico", f"El lote {lote_id} ya existe en el inventario {self.id}"
            )
        return lote_id

    def _consumos_fifo(self, cantidad: Decimal) -> tuple[ConsumoLote, ...]:
        consumos = []
        pendiente = cantidad
        for lote in self._lotes.values():
            if pendiente <= 0:
                break
            if lote.agotado:
                continue
            consumo = lote.consumo(min(pendiente, lote.cantidad_disponible))
            consumos.append(consumo)
            pendiente -= consumo.cantidad
        return tuple(consumos)

    def _ingreso(
        self, lote: ConsumoLote, fecha: date, documento: str, motivo: MotivoIngreso
    ) -> LoteIngresado:
        return LoteIngresado(
            producto_id=self.producto_id,
            bodega_id=self.bodega_id,
            lote_id=lote.lote_id,
            fecha=fecha,
            cantidad=lote.cantidad,
            costo_unitario=lote.costo_unitario,
            valor=lote.costo,
            fecha_caducidad=lote.fecha_caducidad,
            documento=documento,
            motivo=motivo,
        )

    def _incremento(
        self,
        lotes: tuple[ConsumoLote, ...],
        fecha: date,
        documento: str,
        documento_id: str,
        motivo: MotivoReingreso,
    ) -> StockIncrementado:
        return StockIncrementado(
            producto_id=self.producto_id,
            bodega_id=self.bodega_id,
            fecha=fecha,
            documento=documento,
            documento_id=documento_id,
            cantidad=sum((lote.cantidad for lote in lotes), CERO),
            costo=sum((lote.costo for lote in lotes), CERO_DOLARES),
            lotes=lotes,
            motivo=motivo,
        )

    def _aplicar(self, evento: EventoDominio) -> None:
        # The most frequent events first: this runs for every event of every replay.
        if isinstance(evento, StockReducido):
            self.producto_id, self.bodega_id = evento.producto_id, evento.bodega_id
            for consumo in evento.consumos:
                self._mover(consumo.lote_id, -consumo.cantidad, -consumo.costo)
        elif isinstance(evento, LoteIngresado):
            self.producto_id, self.bodega_id = evento.producto_id, evento.bodega_id
            self._existe = True
            self._lotes[evento.lote_id] = Lote(
                evento.lote_id,
                evento.fecha,
                evento.cantidad,
                evento.cantidad,
                evento.costo_unitario,
                evento.valor,
                evento.fecha_caducidad,
            )
            self._sumar(evento.cantidad, evento.valor)
        elif isinstance(evento, StockIncrementado):
            self.producto_id, self.bodega_id = evento.producto_id, evento.bodega_id
            if evento.motivo == "ANULACION":
                self._restaurar(evento.lotes, evento.fecha)
            else:
                for nuevo in evento.lotes:
                    self._encolar(nuevo, evento.fecha)
        elif isinstance(evento, StockBajo):
            # StockBajo only warns: the lots stay as they are.
            self.producto_id, self.bodega_id = evento.producto_id, evento.bodega_id
        else:
            raise TypeError(f"Inventario no sabe aplicar {evento.tipo}")

    def _mover(self, lote_id: str, cantidad: Decimal, valor: Decimal) -> None:
        lote = self._lotes[lote_id].mover(cantidad, valor)
        self._sumar(cantidad, valor)
        if lote.agotado and not lote.valor_disponible:
            del self._lotes[lote_id]
            # A sum's exponent is the smallest of its terms': the running totals still
            # carry the dropped lot's, which a fresh sum would not once it is gone. Sum
            # again only then (never when quantities are whole and values in cents), or
            # when the lot dropped still held (negative) units.
            if self._stock is not None and (
                lote.cantidad_disponible
                or _exponente(self._stock) < 0
                or _exponente(self._valor) < -2
            ):
                self._stock = self._valor = None
        else:
            self._lotes[lote_id] = lote

    def _restaurar(self, consumos: tuple[ConsumoLote, ...], fecha: date) -> None:
        """Give units back to the lots they came from; emptied lots come back first."""
        recreados: dict[str, Lote] = {}
        for consumo in consumos:
            if consumo.lote_id in self._lotes:
                self._mover(consumo.lote_id, consumo.cantidad, consumo.costo)
            elif consumo.lote_id in recreados:
                recreados[consumo.lote_id] = recreados[consumo.lote_id].mover(
                    consumo.cantidad, consumo.costo
                )
                self._sumar(consumo.cantidad, consumo.costo)
            else:
                recreados[consumo.lote_id] = replace(
                    self._lote(consumo, consumo.fecha_ingreso or fecha),
                    cantidad_inicial=consumo.cantidad_inicial or consumo.cantidad,
                )
                self._sumar(consumo.cantidad, consumo.costo)
        if recreados:
            self._lotes = {**recreados, **self._lotes}

    def _encolar(self, nuevo: ConsumoLote, fecha: date) -> None:
        self._existe = True
        self._lotes[nuevo.lote_id] = self._lote(nuevo, fecha)
        self._sumar(nuevo.cantidad, nuevo.costo)

    @staticmethod
    def _lote(nuevo: ConsumoLote, fecha: date) -> Lote:
        return Lote(
            lote_id=nuevo.lote_id,
            fecha_ingreso=fecha,
            cantidad_inicial=nuevo.cantidad,
            cantidad_disponible=nuevo.cantidad,
            costo_unitario=nuevo.costo_unitario,
            valor_disponible=nuevo.costo,
            fecha_caducidad=nuevo.fecha_caducidad,
        )


def _exponente(numero: Decimal | None) -> int:
    exponente = numero.as_tuple().exponent if numero is not None else 0
    return exponente if isinstance(exponente, int) else 0
