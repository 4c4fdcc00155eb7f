"""Factura: lines, discounts, payments and its lifecycle BORRADOR → EMITIDA → ANULADA."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum

from prometeo.domain.aggregates.comprobante_electronico import ComprobanteElectronico
from prometeo.domain.errores import OperacionNoPermitida, ValorInvalido
from prometeo.domain.events.base import EventoDominio
from prometeo.domain.events.comprobante import (
    DatosComprador,
    DatosEmisor,
    DatosEstablecimiento,
)
from prometeo.domain.events.factura import (
    BorradorDescartado,
    ClienteAsignado,
    CreditoAplicado,
    DatosDescuento,
    DatosLinea,
    DatosPago,
    DescuentoAplicado,
    FacturaAnulada,
    FacturaCreada,
    FacturaEmitida,
    ImportePorTarifa,
    LineaAgregada,
    LineaCambiada,
    LineaCredito,
    LineaEliminada,
    LineaEmitida,
    PagosDefinidos,
    PropinaDefinida,
)
from prometeo.domain.events.inventario import ConsumoLote
from prometeo.domain.services.totales import (
    DescuentoGlobal,
    LineaParaTotales,
    Totales,
    calcular_totales,
    prorratear,
)
from prometeo.domain.value_objects.clave_acceso import ClaveAcceso, codigo_numerico_de
from prometeo.domain.value_objects.comprador import Comprador
from prometeo.domain.value_objects.dinero import LIMITE, Cantidad, Dinero, Precio, con_miles
from prometeo.domain.value_objects.forma_pago import FormaPago, Pago
from prometeo.domain.value_objects.motivo import MotivoModificacion
from prometeo.domain.value_objects.numero_comprobante import NumeroComprobante, TipoComprobante
from prometeo.domain.value_objects.tarifa_iva import TarifaIva, iva_de

MAXIMO_LINEAS = 1000


class EstadoFactura(StrEnum):
    BORRADOR = "BORRADOR"
    EMITIDA = "EMITIDA"
    ANULADA = "ANULADA"
    # A draft thrown away: it never got a number and never changes again.
    DESCARTADA = "DESCARTADA"


@dataclass(frozen=True, slots=True)
class LineaFactura:
    """One line of a factura; once emitted it knows its base, cost and the lots it took,
    and how much of it notas de crédito have credited so far."""

    numero_linea: int
    producto_id: str
    codigo: str
    descripcion: str
    cantidad: Decimal
    precio_unitario: Decimal
    descuento: Decimal
    tarifa_iva: str
    base_imponible: Decimal | None = None
    costo: Decimal | None = None
    consumos: tuple[ConsumoLote, ...] = ()
    cantidad_acreditada: Decimal = Decimal(0)
    valor_acreditado: Decimal = Decimal("0.00")
    porcentaje_iva: Decimal | None = None
    iva: Decimal | None = None
    iva_acreditado: Decimal = Decimal("0.00")
    # Copied from the product when the line was entered (codigoAuxiliar, unidadMedida).
    codigo_auxiliar: str | None = None
    unidad_medida: str | None = None

    def para_totales(self) -> LineaParaTotales:
        return LineaParaTotales(
            self.numero_linea, self.cantidad, self.precio_unitario, self.descuento, self.tarifa_iva
        )


@dataclass(frozen=True, slots=True)
class NuevaLinea:
    """A line to add: the catalog product's code, name and tarifa (and its first barcode
    and unit of measure, if it has them), the quantity, the unit price and an optional
    line discount."""

    producto_id: str
    codigo: str
    descripcion: str
    cantidad: Cantidad
    precio_unitario: Precio
    tarifa_iva: TarifaIva
    descuento: Dinero | None = None
    codigo_auxiliar: str | None = None
    unidad_medida: str | None = None

    def datos(self, numero_linea: int) -> DatosLinea:
        """The line as recorded, once its discount is checked against its gross value."""
        descuento = self.descuento or Dinero.cero()
        bruto = self.cantidad.valor * self.precio_unitario.valor
        if descuento.es_negativo() or descuento.monto > bruto:
            raise ValorInvalido(
                "DescuentoLineaValido",
                f"El descuento {descuento} de la línea de {self.codigo} debe estar entre 0 y "
                f"su valor bruto {bruto.normalize():f}",
            )
        if bruto >= LIMITE:
            raise ValorInvalido(
                "SubtotalLineaDentroDelLimite",
                f"La línea de {self.codigo} vale {bruto.normalize():f}; el valor de una línea "
                f"debe ser menor que USD {con_miles(LIMITE)}",
            )
        if numero_linea > MAXIMO_LINEAS:  # lines are numbered 1..n, so this counts them
            raise ValorInvalido(
                "LineasDentroDelLimite", f"Una factura admite hasta {MAXIMO_LINEAS} líneas"
            )
        return DatosLinea(
            numero_linea,
            self.producto_id,
            self.codigo,
            self.descripcion,
            self.cantidad.valor,
            self.precio_unitario.valor,
            descuento.monto,
            self.tarifa_iva.codigo,
            self.codigo_auxiliar,
            self.unidad_medida,
        )


class Factura(ComprobanteElectronico):
    """A sales invoice. Amounts are computed by the totals service; stock, numbering and
    the cross-aggregate rules are checked by the emission service before `emitir`."""

    TIPO_STREAM = "factura"
    TIPO_COMPROBANTE = "01"
    # 2: lines carry their IVA (snapshots of version 1 lack it; their events derive it).
    # 3: the emisor, establecimiento and clave de acceso of an emitted factura.
    # 4: the IVA credited per line. 5: the state of its electronic document.
    # 6: the buyer's telefono, each line's codigo_auxiliar and unidad_medida.
    # 7: the SRI's process (sent, messages, authorization). 8: its corrections and resend.
    # 9: a draft may be DESCARTADA (and its lines, buyer, pagos and propina change).
    VERSION_SNAPSHOT = 9

    def __init__(self, id: str) -> None:
        super().__init__(id)
        self.estado = EstadoFactura.BORRADOR
        self.punto_emision_id = ""
        self.sucursal_id = ""
        self.bodega_id = ""
        self.cliente_id: str | None = None
        self.comprador = Comprador.consumidor_final()
        self.fecha_emision = date.min
        self.propina = Decimal("0.00")
        self.pagos: tuple[DatosPago, ...] = ()
        self.fecha_autorizacion: date | None = None
        self.fecha_caducidad: date | None = None
        self.lineas: list[LineaFactura] = []
        self.descuento_global: DescuentoGlobal | None = None
        self.numero = None
        self.importe_total: Decimal | None = None
        self.notas_credito: list[str] = []
        self.motivo_anulacion: str | None = None
        self.emisor: DatosEmisor | None = None
        self.establecimiento: DatosEstablecimiento | None = None
        self.clave_acceso = None

    @classmethod
    def crear(
        cls,
        factura_id: str,
        *,
        punto_emision_id: str,
        sucursal_id: str,
        bodega_id: str,
        comprador: Comprador,
        fecha_emision: date,
        cliente_id: str | None = None,
        propina: Dinero | None = None,
        pagos: tuple[Pago, ...] = (),
        fecha_autorizacion: date | None = None,
        fecha_caducidad: date | None = None,
        lineas: Sequence[NuevaLinea] = (),
        descuento_global: DescuentoGlobal | None = None,
    ) -> Factura:
        """A new factura in BORRADOR, with its lines and global discount if given (one
        event for all of them); dates and totals are checked when it is emitted."""
        propina = propina or Dinero.cero()
        if propina.es_negativo():
            raise ValorInvalido("PropinaValida", f"La propina no puede ser negativa: {propina}")
        datos_lineas = tuple(linea.datos(i) for i, linea in enumerate(lineas, start=1))
        factura = cls(factura_id)
        factura._registrar(
            FacturaCreada(
                factura_id=factura_id,
                punto_emision_id=punto_emision_id,
                sucursal_id=sucursal_id,
                bodega_id=bodega_id,
                cliente_id=cliente_id,
                comprador=comprador.datos(),
                fecha_emision=fecha_emision,
                propina=propina.monto,
                pagos=tuple(_datos_pago(p) for p in pagos),
                fecha_autorizacion=fecha_autorizacion,
                fecha_caducidad=fecha_caducidad,
                lineas=datos_lineas,
                descuento_global=None
                if descuento_global is None
                else DatosDescuento(descuento_global.tipo, descuento_global.valor),
            )
        )
        return factura

    # -- BORRADOR -------------------------------------------------------------------------

    def agregar_linea(
        self,
        *,
        producto_id: str,
        codigo: str,
        descripcion: str,
        cantidad: Cantidad,
        precio_unitario: Precio,
        tarifa_iva: TarifaIva,
        descuento: Dinero | None = None,
    ) -> int:
        """Add a line; its discount may not be negative nor exceed its gross value."""
        return self.agregar(
            NuevaLinea(
                producto_id, codigo, descripcion, cantidad, precio_unitario, tarifa_iva, descuento
            )
        )

    def agregar(self, linea: NuevaLinea) -> int:
        """Add a line to the draft; returns its number."""
        self.exigir_borrador()
        datos = linea.datos(len(self.lineas) + 1)
        self._registrar(
            LineaAgregada(
                factura_id=self.id,
                numero_linea=datos.numero_linea,
                producto_id=datos.producto_id,
                codigo=datos.codigo,
                descripcion=datos.descripcion,
                cantidad=datos.cantidad,
                precio_unitario=datos.precio_unitario,
                descuento=datos.descuento,
                tarifa_iva=datos.tarifa_iva,
                codigo_auxiliar=datos.codigo_auxiliar,
                unidad_medida=datos.unidad_medida,
            )
        )
        return datos.numero_linea

    def aplicar_descuento(self, descuento: DescuentoGlobal) -> None:
        """A global discount, prorated over the lines by their subtotal."""
        self.exigir_borrador()
        self._registrar(
            DescuentoAplicado(
                factura_id=self.id, tipo_descuento=descuento.tipo, valor=descuento.valor
            )
        )

    def eliminar_linea(self, numero_linea: int) -> None:
        """Take a line off the draft; the lines after it move up one number."""
        self.exigir_borrador()
        if not 1 <= numero_linea <= len(self.lineas):
            raise ValorInvalido(
                "LineaExistente",
                f"La factura no tiene la línea {numero_linea}: tiene {len(self.lineas)}",
            )
        self._registrar(LineaEliminada(factura_id=self.id, numero_linea=numero_linea))

    def cambiar_linea(
        self, numero_linea: int, cantidad: Cantidad, descuento: Dinero | None = None
    ) -> None:
        """Give a draft's line another quantity and line discount (none: no discount),
        checked as a new line would be; it keeps its number, product, price and tarifa."""
        self.exigir_borrador()
        if not 1 <= numero_linea <= len(self.lineas):
            raise ValorInvalido(
                "LineaExistente",
                f"La factura no tiene la línea {numero_linea}: tiene {len(self.lineas)}",
            )
        actual = self.lineas[numero_linea - 1]
        datos = NuevaLinea(
            actual.producto_id,
            actual.codigo,
            actual.descripcion,
            cantidad,
            Precio(actual.precio_unitario),
            TarifaIva.de_codigo(actual.tarifa_iva),
            descuento,
        ).datos(numero_linea)
        self._registrar(
            LineaCambiada(
                factura_id=self.id,
                numero_linea=numero_linea,
                cantidad=datos.cantidad,
                descuento=datos.descuento,
            )
        )

    def asignar_cliente(self, cliente_id: str | None, comprador: Comprador) -> None:
        """Set the draft's buyer: a cliente, or consumidor final when `cliente_id` is None."""
        self.exigir_borrador()
        self._registrar(
            ClienteAsignado(factura_id=self.id, cliente_id=cliente_id, comprador=comprador.datos())
        )

    def definir_pagos(self, pagos: tuple[Pago, ...]) -> None:
        """Replace the draft's payments (none: one of forma 01 for the total)."""
        self.exigir_borrador()
        self._registrar(
            PagosDefinidos(factura_id=self.id, pagos=tuple(_datos_pago(p) for p in pagos))
        )

    def definir_propina(self, propina: Dinero) -> None:
        """Replace the draft's propina (not negative)."""
        self.exigir_borrador()
        if propina.es_negativo():
            raise ValorInvalido("PropinaValida", f"La propina no puede ser negativa: {propina}")
        self._registrar(PropinaDefinida(factura_id=self.id, propina=propina.monto))

    def descartar(self) -> None:
        """Throw the draft away: it never gets a number, and nothing changes it again."""
        self.exigir_borrador()
        self._registrar(BorradorDescartado(factura_id=self.id))

    def totales(self) -> Totales:
        return calcular_totales(
            [linea.para_totales() for linea in self.lineas], self.descuento_global, self.propina
        )

    def pagos_efectivos(self, totales: Totales) -> tuple[DatosPago, ...]:
        """The payments given, or one payment of forma 01 for the whole total."""
        if self.pagos:
            return self.pagos
        return (DatosPago(FormaPago.SIN_SISTEMA_FINANCIERO.value, totales.importe_total),)

    def emitir(
        self,
        numero: NumeroComprobante,
        consumos_por_linea: Mapping[int, tuple[ConsumoLote, ...]],
        totales: Totales | None = None,
        *,
        emisor: DatosEmisor,
        establecimiento: DatosEstablecimiento,
        fecha_emision: date | None = None,
    ) -> FacturaEmitida:
        """Record the emission. The emission service has already checked every rule
        (dates, stock, limits, payments, tarifas) and taken the goods from stock; it
        passes the totals it checked them with (the lines have not changed since). The
        emisor and establecimiento are copied into the document, and its clave de acceso
        is generated here, once. `fecha_emision` replaces the draft's date (a draft parked
        since an earlier day is emitted on the day it is emitted)."""
        self.exigir_borrador()
        fecha = fecha_emision or self.fecha_emision
        totales = totales or self.totales()
        codigo_numerico = codigo_numerico_de(self.id)
        clave = ClaveAcceso.generar(
            fecha_emision=fecha,
            tipo_comprobante=TipoComprobante.FACTURA.value,
            ruc=emisor.ruc,
            ambiente=emisor.ambiente,
            numero=numero,
            codigo_numerico=codigo_numerico,
        )
        lineas = []
        for linea, total in zip(self.lineas, totales.lineas, strict=True):
            consumos = consumos_por_linea.get(linea.numero_linea, ())
            lineas.append(
                LineaEmitida(
                    numero_linea=linea.numero_linea,
                    producto_id=linea.producto_id,
                    cantidad=linea.cantidad,
                    subtotal=total.subtotal,
                    descuento_global=total.descuento_global,
                    base_imponible=total.base_imponible,
                    tarifa_iva=linea.tarifa_iva,
                    costo=sum((c.costo for c in consumos), Decimal("0.00")),
                    consumos=consumos,
                    porcentaje_iva=total.porcentaje_iva,
                    iva=total.iva,
                )
            )
        evento = FacturaEmitida(
            factura_id=self.id,
            numero=str(numero),
            secuencial=numero.secuencial,
            fecha_emision=fecha,
            lineas=tuple(lineas),
            importes_por_tarifa=tuple(
                ImportePorTarifa(t, base, iva, TarifaIva.de_codigo(t).porcentaje)
                for (t, base), (_, iva) in zip(
                    totales.bases_por_tarifa, totales.iva_por_tarifa, strict=True
                )
            ),
            subtotal_sin_impuestos=totales.subtotal_sin_impuestos,
            total_descuento=totales.total_descuento,
            iva=totales.iva,
            propina=totales.propina,
            importe_total=totales.importe_total,
            costo_total=sum((linea.costo for linea in lineas), Decimal("0.00")),
            pagos=self.pagos_efectivos(totales),
            emisor=emisor,
            establecimiento=establecimiento,
            clave_acceso=str(clave),
            codigo_numerico=clave.codigo_numerico,
            tipo_emision=clave.tipo_emision,
        )
        self._registrar(evento)
        return evento

    # -- EMITIDA --------------------------------------------------------------------------

    def aplicar_credito(
        self,
        nota_credito_id: str,
        numero_nota_credito: str,
        lineas: tuple[LineaCredito, ...],
        valor_total: Decimal,
    ) -> None:
        """Record what a nota de crédito credits (validated by the nota de crédito service)."""
        self._exigir_estado(EstadoFactura.EMITIDA, "acreditar")
        self._registrar(
            CreditoAplicado(
                factura_id=self.id,
                nota_credito_id=nota_credito_id,
                numero_nota_credito=numero_nota_credito,
                lineas=lineas,
                valor_total=valor_total,
            )
        )

    def anular(self, motivo: MotivoModificacion, fecha: date) -> None:
        """Annul an emitted factura that no nota de crédito has touched."""
        self._exigir_estado(EstadoFactura.EMITIDA, "anular")
        if self.notas_credito:
            raise OperacionNoPermitida(
                "FacturaSinNotasCredito",
                f"La factura {self.numero} tiene notas de crédito; corríjala con otra nota de "
                "crédito en lugar de anularla",
            )
        self._registrar(FacturaAnulada(factura_id=self.id, motivo=motivo.texto, fecha=fecha))

    # -- helpers --------------------------------------------------------------------------

    @property
    def vigente(self) -> bool:
        return self.estado is not EstadoFactura.ANULADA

    def _corregir_comprador(self, comprador: DatosComprador, cliente_id: str | None) -> None:
        self.comprador = Comprador.de_datos(comprador)
        self.cliente_id = cliente_id

    def correo_del_comprador(self) -> str | None:
        if self.comprador.es_consumidor_final:
            return None
        return self.comprador.email

    def porcentajes_iva(self) -> dict[str, Decimal]:
        """The percentage each tarifa code was charged at on this (emitted) factura."""
        return {
            ln.tarifa_iva: ln.porcentaje_iva for ln in self.lineas if ln.porcentaje_iva is not None
        }

    def linea(self, numero_linea: int) -> LineaFactura:
        return self.lineas[numero_linea - 1]

    @property
    def es_borrador(self) -> bool:
        return self.estado is EstadoFactura.BORRADOR

    def exigir_borrador(self) -> None:
        """Refuse (FacturaBorrador) unless the factura is still a draft."""
        self._exigir_estado(EstadoFactura.BORRADOR, "modificar")

    def _exigir_estado(self, estado: EstadoFactura, accion: str) -> None:
        if self.estado is not estado:
            raise OperacionNoPermitida(
                f"Factura{estado.value.capitalize()}",
                f"No se puede {accion} la factura {self.numero or self.id}: está "
                f"{self.estado.value} y debe estar {estado.value}",
            )

    def _aplicar(self, evento: EventoDominio) -> None:
        match evento:
            case FacturaCreada():
                self.punto_emision_id = evento.punto_emision_id
                self.sucursal_id = evento.sucursal_id
                self.bodega_id = evento.bodega_id
                self.cliente_id = evento.cliente_id
                self.comprador = Comprador.de_datos(evento.comprador)
                self.fecha_emision = evento.fecha_emision
                self.propina = evento.propina
                self.pagos = evento.pagos
                self.fecha_autorizacion = evento.fecha_autorizacion
                self.fecha_caducidad = evento.fecha_caducidad
                self.lineas = [
                    LineaFactura(
                        ln.numero_linea,
                        ln.producto_id,
                        ln.codigo,
                        ln.descripcion,
                        ln.cantidad,
                        ln.precio_unitario,
                        ln.descuento,
                        ln.tarifa_iva,
                        codigo_auxiliar=ln.codigo_auxiliar,
                        unidad_medida=ln.unidad_medida,
                    )
                    for ln in evento.lineas
                ]
                d = evento.descuento_global
                if d is not None:
                    self.descuento_global = DescuentoGlobal(d.tipo_descuento, d.valor)
            case LineaAgregada():
                self.lineas.append(
                    LineaFactura(
                        evento.numero_linea,
                        evento.producto_id,
                        evento.codigo,
                        evento.descripcion,
                        evento.cantidad,
                        evento.precio_unitario,
                        evento.descuento,
                        evento.tarifa_iva,
                        codigo_auxiliar=evento.codigo_auxiliar,
                        unidad_medida=evento.unidad_medida,
                    )
                )
            case DescuentoAplicado():
                self.descuento_global = DescuentoGlobal(evento.tipo_descuento, evento.valor)
            case LineaEliminada():
                quitada = evento.numero_linea
                self.lineas = [
                    ln
                    if ln.numero_linea < quitada
                    else replace(ln, numero_linea=ln.numero_linea - 1)
                    for ln in self.lineas
                    if ln.numero_linea != quitada
                ]
            case LineaCambiada():
                cambiada = self.lineas[evento.numero_linea - 1]
                self.lineas[evento.numero_linea - 1] = replace(
                    cambiada, cantidad=evento.cantidad, descuento=evento.descuento
                )
            case ClienteAsignado():
                self.cliente_id = evento.cliente_id
                self.comprador = Comprador.de_datos(evento.comprador)
            case PagosDefinidos():
                self.pagos = evento.pagos
            case PropinaDefinida():
                self.propina = evento.propina
            case BorradorDescartado():
                self.estado = EstadoFactura.DESCARTADA
            case FacturaEmitida():
                self.estado = EstadoFactura.EMITIDA
                self.fecha_emision = evento.fecha_emision
                self.numero = evento.numero
                self.importe_total = evento.importe_total
                self.pagos = evento.pagos
                self.emisor = evento.emisor
                self.establecimiento = evento.establecimiento
                self.clave_acceso = evento.clave_acceso
                self.lineas = [
                    LineaFactura(
                        linea.numero_linea,
                        linea.producto_id,
                        linea.codigo,
                        linea.descripcion,
                        linea.cantidad,
                        linea.precio_unitario,
                        linea.descuento,
                        linea.tarifa_iva,
                        e.base_imponible,
                        e.costo,
                        e.consumos,
                        linea.cantidad_acreditada,
                        linea.valor_acreditado,
                        e.porcentaje_iva,
                        iva,
                        codigo_auxiliar=linea.codigo_auxiliar,
                        unidad_medida=linea.unidad_medida,
                    )
                    for linea, e, iva in zip(
                        self.lineas, evento.lineas, iva_de_lineas(evento), strict=True
                    )
                ]
            case CreditoAplicado():
                self.notas_credito.append(evento.nota_credito_id)
                ivas = iva_de_creditos(evento, self.lineas)
                for credito, iva in zip(evento.lineas, ivas, strict=True):
                    linea = self.linea(credito.numero_linea)
                    self.lineas[credito.numero_linea - 1] = replace(
                        linea,
                        cantidad_acreditada=linea.cantidad_acreditada + credito.cantidad,
                        valor_acreditado=linea.valor_acreditado + credito.valor,
                        iva_acreditado=linea.iva_acreditado + iva,
                    )
            case FacturaAnulada():
                self.estado = EstadoFactura.ANULADA
                self.motivo_anulacion = evento.motivo
            case _:
                if not self._aplicar_sri(evento):
                    raise TypeError(f"Factura no aplica {evento.tipo}")


def iva_de_lineas(evento: FacturaEmitida) -> list[Decimal]:
    """The IVA of each emitted line. Events stored before lines carried their IVA get the
    same split the totals make, derived from what they do store: each tarifa's IVA
    prorated over its lines' bases by largest remainders."""
    if all(ln.iva is not None for ln in evento.lineas):
        return [ln.iva for ln in evento.lineas if ln.iva is not None]
    ivas = [Decimal("0.00")] * len(evento.lineas)
    for importe in evento.importes_por_tarifa:
        indices = [i for i, ln in enumerate(evento.lineas) if ln.tarifa_iva == importe.tarifa_iva]
        partes = prorratear(importe.iva, [evento.lineas[i].base_imponible for i in indices])
        for i, parte in zip(indices, partes, strict=True):
            ivas[i] = parte
    return ivas


def _datos_pago(pago: Pago) -> DatosPago:
    return DatosPago(pago.forma_pago.value, pago.total.monto, pago.plazo, pago.unidad_tiempo)


def iva_de_creditos(evento: CreditoAplicado, lineas: Sequence[LineaFactura]) -> list[Decimal]:
    """The IVA each credit of a nota took on its factura line. Credits stored before they
    carried it get what that nota actually credited, the way notas computed it then: per
    tarifa, round2(Σ valor × porcentaje), spread over its credits by largest remainders."""
    if all(c.iva is not None for c in evento.lineas):
        return [c.iva for c in evento.lineas if c.iva is not None]
    ivas = [Decimal("0.00")] * len(evento.lineas)
    tarifas = {lineas[c.numero_linea - 1].tarifa_iva for c in evento.lineas}
    for tarifa in sorted(tarifas):
        indices = [
            i
            for i, c in enumerate(evento.lineas)
            if lineas[c.numero_linea - 1].tarifa_iva == tarifa
        ]
        porcentaje = lineas[evento.lineas[indices[0]].numero_linea - 1].porcentaje_iva
        base = sum((evento.lineas[i].valor for i in indices), Decimal("0.00"))
        total = iva_de(base, porcentaje or Decimal(0))
        partes = prorratear(total, [evento.lineas[i].valor for i in indices])
        for i, parte in zip(indices, partes, strict=True):
            ivas[i] = parte
    return ivas
