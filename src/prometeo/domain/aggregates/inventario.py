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
from prometeo.domain.errores import OperacionNoPermitida, RevisionDeReglas, ValorInvalido
from prometeo.domain.events.base import EventoDominio
from prometeo.domain.events.inventario import (
    ConsumoLote,
    LoteDadoDeBaja,
    LoteIngresado,
    MotivoIngreso,
    MotivoReingreso,
    MotivoSalida,
    StockAjustado,
    StockBajo,
    StockIncrementado,
    StockReducido,
)
from prometeo.domain.specifications.inventario import SolicitudSalida, StockSuficiente
from prometeo.domain.value_objects.dinero import (
    LIMITE,
    Cantidad,
    Precio,
    con_miles,
    redondear2,
    redondear6,
)
from prometeo.domain.value_objects.texto_sri import MOTIVO_BAJA, REFERENCIA

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
    # 2: the unit cost of the last lot that entered is kept (a count's surplus on an
    # empty queue enters at it).
    VERSION_SNAPSHOT: ClassVar[int] = 2

    def __init__(self, id: str) -> None:
        """A blank inventory for replay: producto and bodega come from its events."""
        super().__init__(id)
        self.producto_id = ""
        self.bodega_id = ""
        # Insertion order is the FIFO order; the key finds a lot for an anulación.
        self._lotes: dict[str, Lote] = {}
        self._existe = False
        # The unit cost of the newest lot that joined the queue, even once it is emptied.
        self._ultimo_costo: Decimal | None = None
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

    def vencido_en(self, fecha: date) -> Decimal:
        """The units of the lots expired on `fecha`: they stay in stock (and in its value)
        until written off, but no exit takes them."""
        return sum(
            (lote.cantidad_disponible for lote in self._lotes.values() if lote.vencido_en(fecha)),
            CERO,
        )

    def vendible_en(self, fecha: date) -> Decimal:
        """The units an exit dated `fecha` may take: the stock but the expired lots."""
        vencidas = self.vencido_en(fecha)
        return self.stock - vencidas if vencidas else self.stock

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
        cost. A lot expired on `fecha` is skipped (FIFO among the rest); when only expired
        units would cover the exit, it is refused as a shortage that names them. Raises
        StockBajo as well when this exit takes the sellable units across the minimum. The
        codes, when given, name the product and the bodega in a refusal."""
        antes = self._exigir_vendible(cantidad.valor, fecha, codigo_producto, codigo_bodega)
        consumos = self._consumos_fifo(cantidad.valor, fecha)
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
        self._avisar_stock_bajo(antes, fecha, stock_minimo)
        return consumos

    def ajustar(
        self,
        contada: Decimal,
        esperada: Decimal,
        fecha: date,
        *,
        documento: str,
        documento_id: str,
        stock_minimo: Decimal = CERO,
        codigo_producto: str | None = None,
        codigo_bodega: str | None = None,
        lote_id: str | None = None,
    ) -> StockAjustado | None:
        """Post what a physical count found (`contada`) against the stock it is compared
        with (`esperada`: the stock when the counting began): only the difference, as its
        own event; nothing when there is none. A shortage leaves as a sale would (FIFO,
        never an expired lot, at the cost of the lots it takes; StockBajo when it crosses
        the minimum); a surplus enters as one new lot at the end of the queue, at the
        current average cost (see _costo_promedio). The queue is never flattened."""
        diferencia = contada - esperada
        if not diferencia:
            return None
        if diferencia < 0:
            antes = self._exigir_vendible(-diferencia, fecha, codigo_producto, codigo_bodega)
            lotes = self._consumos_fifo(-diferencia, fecha)
        else:
            costo_unitario = self._costo_promedio(codigo_producto, codigo_bodega)
            # Bounded before rounding: a value past the bound may not even be rounded to
            # the cent within the decimal context's precision.
            self._exigir_capacidad(diferencia, diferencia * costo_unitario)
            nuevo = ConsumoLote(
                self._nuevo_lote_id(lote_id),
                diferencia,
                costo_unitario,
                redondear2(diferencia * costo_unitario),
            )
            lotes = (nuevo,)
        evento = StockAjustado(
            producto_id=self.producto_id,
            bodega_id=self.bodega_id,
            fecha=fecha,
            documento=documento,
            documento_id=documento_id,
            contada=contada,
            esperada=esperada,
            cantidad=abs(diferencia),
            costo=sum((lote.costo for lote in lotes), CERO_DOLARES),
            lotes=lotes,
            sentido="FALTANTE" if diferencia < 0 else "SOBRANTE",
        )
        self._registrar(evento)
        if diferencia < 0:
            self._avisar_stock_bajo(antes, fecha, stock_minimo)
        return evento

    def revisar_ajuste(
        self,
        contada: Decimal,
        esperada: Decimal,
        fecha: date,
        *,
        codigo_producto: str | None = None,
        codigo_bodega: str | None = None,
    ) -> None:
        """Refuse what `ajustar` would refuse (a shortage beyond the sellable units, a
        surplus with no cost to enter at), recording nothing: a count checks every
        product before it posts any."""
        diferencia = contada - esperada
        if diferencia < 0:
            self._exigir_vendible(-diferencia, fecha, codigo_producto, codigo_bodega)
        elif diferencia > 0:
            self._costo_promedio(codigo_producto, codigo_bodega)

    def dar_de_baja(
        self,
        lote_id: str,
        fecha: date,
        *,
        motivo: str,
        documento_id: str,
        codigo_producto: str | None = None,
        codigo_bodega: str | None = None,
    ) -> LoteDadoDeBaja:
        """Write off what is left of a lot expired on `fecha` (a baja), at its cost. A lot
        that is not expired, or holds nothing (emptied lots leave the queue, so an unknown
        id reads the same), is refused; every broken rule is named at once."""
        revision = RevisionDeReglas()
        texto = revision.revisar(lambda: MOTIVO_BAJA.validar(motivo))
        lote = revision.revisar(
            lambda: self._lote_vencido(lote_id, fecha, codigo_producto, codigo_bodega)
        )
        revision.exigir()
        assert texto is not None
        assert lote is not None
        evento = LoteDadoDeBaja(
            producto_id=self.producto_id,
            bodega_id=self.bodega_id,
            fecha=fecha,
            documento_id=documento_id,
            motivo=texto,
            lote=lote.consumo(lote.cantidad_disponible),
        )
        self._registrar(evento)
        return evento

    def _lote_vencido(
        self, lote_id: str, fecha: date, codigo_producto: str | None, codigo_bodega: str | None
    ) -> Lote:
        lote = self._lotes.get(lote_id)
        producto = codigo_producto or self.producto_id
        bodega = codigo_bodega or self.bodega_id
        if lote is None or lote.agotado:
            raise ValorInvalido(
                "LoteConStock",
                f"El producto {producto} no tiene en la bodega {bodega} un lote {lote_id} "
                "con unidades",
            )
        if not lote.vencido_en(fecha):
            vence = (
                f"vence el {lote.fecha_caducidad}"
                if lote.fecha_caducidad is not None
                else "no tiene fecha de caducidad"
            )
            raise ValorInvalido(
                "LoteVencido",
                f"El lote {lote_id} del producto {producto} {vence}: solo se da de baja un "
                f"lote vencido (al {fecha})",
            )
        return lote

    def _exigir_vendible(
        self,
        cantidad: Decimal,
        fecha: date,
        codigo_producto: str | None,
        codigo_bodega: str | None,
    ) -> Decimal:
        """The units an exit dated `fecha` may take, or StockSuficiente refused (naming the
        expired units, when there are)."""
        vendible = self.vendible_en(fecha)
        StockSuficiente().exigir(
            SolicitudSalida(
                self.producto_id,
                self.bodega_id,
                cantidad,
                vendible,
                codigo_producto,
                codigo_bodega,
                self.stock - vendible,
            )
        )
        return vendible

    def _avisar_stock_bajo(self, antes: Decimal, fecha: date, stock_minimo: Decimal) -> None:
        """StockBajo when an exit took the sellable units from above the minimum to it or
        below (expired units are not for sale: they do not count)."""
        despues = self.vendible_en(fecha)
        if antes > stock_minimo >= despues:
            self._registrar(
                StockBajo(
                    producto_id=self.producto_id,
                    bodega_id=self.bodega_id,
                    cantidad=despues,
                    stock_minimo=stock_minimo,
                )
            )

    def _costo_promedio(self, codigo_producto: str | None, codigo_bodega: str | None) -> Decimal:
        """The unit cost a surplus enters at: the stock's value ÷ its units (to 6
        decimals); with no stock left, the unit cost of the last lot that entered (the
        latest the business paid); with no lot ever, none: such a surplus is refused."""
        if self.stock > 0:
            return redondear6(self.valor / self.stock)
        if self._ultimo_costo is not None:
            return self._ultimo_costo
        raise ValorInvalido(
            "CostoDelSobranteConocido",
            f"El producto {codigo_producto or self.producto_id} nunca tuvo stock en la "
            f"bodega {codigo_bodega or self.bodega_id}: no hay costo para su sobrante; "
            "regístrelo como un ingreso con su costo",
        )

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

    def _consumos_fifo(self, cantidad: Decimal, fecha: date) -> tuple[ConsumoLote, ...]:
        consumos = []
        pendiente = cantidad
        for lote in self._lotes.values():
            if pendiente <= 0:
                break
            if lote.agotado or lote.vencido_en(fecha):
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
            self._ultimo_costo = evento.costo_unitario
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
        elif isinstance(evento, StockAjustado):
            self.producto_id, self.bodega_id = evento.producto_id, evento.bodega_id
            if evento.sentido == "FALTANTE":
                for consumo in evento.lotes:
                    self._mover(consumo.lote_id, -consumo.cantidad, -consumo.costo)
            else:
                for nuevo in evento.lotes:
                    self._encolar(nuevo, evento.fecha)
        elif isinstance(evento, LoteDadoDeBaja):
            self.producto_id, self.bodega_id = evento.producto_id, evento.bodega_id
            self._mover(evento.lote.lote_id, -evento.lote.cantidad, -evento.lote.costo)
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
        self._ultimo_costo = nuevo.costo_unitario
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
