"""NotaCredito: a credit against one emitted factura (referenced by id, never embedded)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from enum import StrEnum

from prometeo.domain.aggregates.comprobante_electronico import ComprobanteElectronico
from prometeo.domain.errores import OperacionNoPermitida, ValorInvalido
from prometeo.domain.events.base import EventoDominio
from prometeo.domain.events.comprobante import DatosComprador, DatosEmisor, DatosEstablecimiento
from prometeo.domain.events.factura import ImportePorTarifa
from prometeo.domain.events.nota_credito import (
    LineaNotaCredito,
    NotaCreditoCreada,
    NotaCreditoEmitida,
)
from prometeo.domain.services.totales import porcentaje_de, totales_por_tarifa
from prometeo.domain.value_objects.clave_acceso import ClaveAcceso, codigo_numerico_de
from prometeo.domain.value_objects.comprador import TIPO_CONSUMIDOR_FINAL
from prometeo.domain.value_objects.motivo import MotivoModificacion
from prometeo.domain.value_objects.numero_comprobante import NumeroComprobante, TipoComprobante


def importes_de_lineas(
    lineas: Sequence[LineaNotaCredito], porcentajes: Mapping[str, Decimal] | None = None
) -> tuple[ImportePorTarifa, ...]:
    """Base and IVA per tarifa of a nota: the sums of its lines' valor and IVA, each line's
    IVA being its share of the factura line's IVA. Lines stored before they carried their
    IVA (never emitted by this version) get round2(base × rate) per tarifa, as then. Each
    tarifa's percentage is the factura's (its lines', or `porcentajes` by code)."""
    for linea in lineas:
        if linea.porcentaje_iva is not None:
            porcentajes = {**(porcentajes or {}), linea.tarifa_iva: linea.porcentaje_iva}
    if any(linea.iva is None for linea in lineas):
        bases, ivas = totales_por_tarifa(
            [(linea.tarifa_iva, linea.valor) for linea in lineas], porcentajes
        )
        return tuple(
            ImportePorTarifa(t, base, valor, porcentaje_de(t, porcentajes))
            for (t, base), (_, valor) in zip(bases, ivas, strict=True)
        )
    por_tarifa: dict[str, tuple[Decimal, Decimal]] = {}
    for linea in lineas:
        base, iva = por_tarifa.get(linea.tarifa_iva, (Decimal("0.00"), Decimal("0.00")))
        por_tarifa[linea.tarifa_iva] = (base + linea.valor, iva + (linea.iva or Decimal(0)))
    return tuple(
        ImportePorTarifa(t, *por_tarifa[t], porcentaje_de(t, porcentajes))
        for t in sorted(por_tarifa, key=int)
    )


class EstadoNotaCredito(StrEnum):
    BORRADOR = "BORRADOR"
    EMITIDA = "EMITIDA"


class NotaCredito(ComprobanteElectronico):
    """A credit note: returns goods (devolución) or adjusts value, within what its factura
    and all of that factura's earlier notas de crédito leave to credit."""

    TIPO_STREAM = "nota_credito"
    TIPO_COMPROBANTE = "04"
    # v2: emisor, establecimiento, clave de acceso; v3: estado_sri; v4: the lines'
    # codigo_auxiliar and the buyer's telefono.
    # v5: the SRI's process (sent, messages, authorization); v6: its corrections and resend.
    VERSION_SNAPSHOT = 6

    def __init__(self, id: str) -> None:
        super().__init__(id)
        self.estado = EstadoNotaCredito.BORRADOR
        self.factura_id = ""
        self.numero_factura = ""
        self.fecha_emision_factura = date.min
        self.punto_emision_id = ""
        self.sucursal_id = ""
        self.bodega_id = ""
        self.comprador: DatosComprador | None = None
        self.motivo = ""
        self.fecha_emision = date.min
        self.devolucion_inventario = False
        self.lineas: tuple[LineaNotaCredito, ...] = ()
        self.numero = None
        self.valor_modificacion: Decimal | None = None
        self.emisor: DatosEmisor | None = None
        self.establecimiento: DatosEstablecimiento | None = None
        self.clave_acceso = None

    @classmethod
    def crear(
        cls,
        nota_credito_id: str,
        *,
        factura_id: str,
        numero_factura: str,
        fecha_emision_factura: date,
        punto_emision_id: str,
        sucursal_id: str,
        bodega_id: str,
        comprador: DatosComprador,
        motivo: MotivoModificacion,
        fecha_emision: date,
        devolucion_inventario: bool,
        lineas: tuple[LineaNotaCredito, ...],
    ) -> NotaCredito:
        """A nota with its lines already checked against the factura (see the service)."""
        if not lineas:
            raise ValorInvalido(
                "NotaCreditoTieneLineas", "La nota de crédito debe tener al menos una línea"
            )
        nota = cls(nota_credito_id)
        nota._registrar(
            NotaCreditoCreada(
                nota_credito_id=nota_credito_id,
                factura_id=factura_id,
                numero_factura=numero_factura,
                fecha_emision_factura=fecha_emision_factura,
                punto_emision_id=punto_emision_id,
                sucursal_id=sucursal_id,
                bodega_id=bodega_id,
                comprador=comprador,
                motivo=motivo.texto,
                fecha_emision=fecha_emision,
                devolucion_inventario=devolucion_inventario,
                lineas=lineas,
            )
        )
        return nota

    def emitir(
        self,
        numero: NumeroComprobante,
        *,
        emisor: DatosEmisor,
        establecimiento: DatosEstablecimiento,
        porcentajes: Mapping[str, Decimal] | None = None,
    ) -> NotaCreditoEmitida:
        """Give the nota its number and fix its amounts: IVA per tarifa group at the
        percentages the factura charged (`porcentajes`, by tarifa code), and the valor de
        modificación (total including taxes). The emisor and establecimiento are copied
        into it and its clave de acceso is generated here, once."""
        if self.estado is not EstadoNotaCredito.BORRADOR:
            raise OperacionNoPermitida(
                "NotaCreditoEnBorrador", f"La nota de crédito {self.numero} ya fue emitida"
            )
        clave = ClaveAcceso.generar(
            fecha_emision=self.fecha_emision,
            tipo_comprobante=TipoComprobante.NOTA_CREDITO.value,
            ruc=emisor.ruc,
            ambiente=emisor.ambiente,
            numero=numero,
            codigo_numerico=codigo_numerico_de(self.id),
        )
        importes = importes_de_lineas(self.lineas, porcentajes)
        subtotal = sum((i.base_imponible for i in importes), Decimal("0.00"))
        iva = sum((i.iva for i in importes), Decimal("0.00"))
        evento = NotaCreditoEmitida(
            nota_credito_id=self.id,
            factura_id=self.factura_id,
            numero=str(numero),
            secuencial=numero.secuencial,
            fecha_emision=self.fecha_emision,
            importes_por_tarifa=importes,
            subtotal_sin_impuestos=subtotal,
            iva=iva,
            valor_modificacion=subtotal + iva,
            emisor=emisor,
            establecimiento=establecimiento,
            clave_acceso=str(clave),
            codigo_numerico=clave.codigo_numerico,
            tipo_emision=clave.tipo_emision,
        )
        self._registrar(evento)
        return evento

    def _corregir_comprador(self, comprador: DatosComprador, cliente_id: str | None) -> None:
        self.comprador = comprador

    def correo_del_comprador(self) -> str | None:
        c = self.comprador
        if c is None or c.tipo_identificacion == TIPO_CONSUMIDOR_FINAL:
            return None
        return c.email

    def _aplicar(self, evento: EventoDominio) -> None:
        match evento:
            case NotaCreditoCreada():
                self.factura_id = evento.factura_id
                self.numero_factura = evento.numero_factura
                self.fecha_emision_factura = evento.fecha_emision_factura
                self.punto_emision_id = evento.punto_emision_id
                self.sucursal_id = evento.sucursal_id
                self.bodega_id = evento.bodega_id
                self.comprador = evento.comprador
                self.motivo = evento.motivo
                self.fecha_emision = evento.fecha_emision
                self.devolucion_inventario = evento.devolucion_inventario
                self.lineas = evento.lineas
            case NotaCreditoEmitida():
                self.estado = EstadoNotaCredito.EMITIDA
                self.numero = evento.numero
                self.valor_modificacion = evento.valor_modificacion
                self.emisor = evento.emisor
                self.establecimiento = evento.establecimiento
                self.clave_acceso = evento.clave_acceso
            case _:
                if not self._aplicar_sri(evento):
                    raise TypeError(f"NotaCredito no aplica {evento.tipo}")
