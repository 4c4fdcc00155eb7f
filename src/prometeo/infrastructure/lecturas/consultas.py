"""The query side on SQL: ServicioConsultas served from the read models only (and the
event table for the log itself, and the catalog's tables for the catalog)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, Select, func, select

from prometeo.application.consultas import (
    BusquedaFacturas,
    ComprobanteVista,
    EventoVista,
    FacturaVista,
    LotePorVencerVista,
    LoteVista,
    MovimientoKardex,
    NotaCreditoVista,
    ServicioConsultas,
    StockVista,
    VentaDiaria,
)
from prometeo.application.resultados import DocumentoRegistrado
from prometeo.application.sri import ComprobantePendiente
from prometeo.domain.errores import NoEncontrado
from prometeo.infrastructure.db.catalogo import CacheCatalogo
from prometeo.infrastructure.db.tablas import eventos, posicion_global, productos
from prometeo.infrastructure.lecturas.catalogo import ConsultasCatalogoSql, pagina
from prometeo.infrastructure.lecturas.comprobantes import (
    leer_autorizacion,
    leer_comprobante_numerado,
    leer_comprobantes,
    leer_pendientes,
    leer_xml_firmado,
)
from prometeo.infrastructure.lecturas.documentos import (
    factura_de_filas,
    leer_factura,
    leer_facturas,
    leer_nota,
    leer_notas_de,
    nota_de_filas,
)
from prometeo.infrastructure.lecturas.reportes import venta_diaria
from prometeo.infrastructure.proyecciones.base import de_centavos, de_micro
from prometeo.infrastructure.proyecciones.facturas import filas_de_creacion
from prometeo.infrastructure.proyecciones.notas_credito import (
    filas_de_creacion as filas_de_nota,
)
from prometeo.infrastructure.proyecciones.tablas import (
    checkpoints_proyeccion,
    vista_facturas,
    vista_kardex,
    vista_lotes,
    vista_stock,
    vista_ventas_diarias,
)
from prometeo.infrastructure.reloj import RelojSistema

T = TypeVar("T")


# How long a command's answer waits for distributed read models to catch up with it.
ESPERA_AL_DIA = 5.0


class ServicioConsultasSql(ConsultasCatalogoSql, ServicioConsultas):
    """Answers every read from the projections' tables (the catalog from its own, see
    ConsultasCatalogoSql), each in one short read-only transaction that never takes
    SQLite's write lock (readers never queue behind the cajeros)."""

    def __init__(
        self,
        engine: Engine,
        cache_catalogo: CacheCatalogo | None = None,
        *,
        distribuidas: bool = False,
        espera_al_dia: float = ESPERA_AL_DIA,
        hoy: Callable[[], date] | None = None,
        antes_de_leer_reportes: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(engine, cache_catalogo, hoy)
        self._distribuidas = distribuidas
        self._espera_al_dia = espera_al_dia
        # Brings the reports' read models up to date (embedded mode keeps them out of the
        # commands' transactions: see proyecciones/diferidas.py).
        self._antes_de_leer_reportes = antes_de_leer_reportes

    @property
    def distribuidas(self) -> bool:
        return self._distribuidas

    def al_dia(self, proyecciones: Sequence[str]) -> None:
        """With distributed read models (moved by `prometeo worker`), wait until these
        have reached the log's last position as it is now, at most `espera_al_dia`
        seconds (then the read shows what they have: the worker may be down)."""
        if not self._distribuidas:
            return
        limite = time.monotonic() + self._espera_al_dia
        with self._leer() as conexion:
            ultima = conexion.execute(select(posicion_global.c.ultima)).scalar() or 0
        cp = checkpoints_proyeccion
        consulta = select(func.min(cp.c.posicion)).where(cp.c.nombre.in_(list(proyecciones)))
        pausa = 0.005
        while time.monotonic() < limite:
            with self._leer() as conexion:
                if (conexion.execute(consulta).scalar() or 0) >= ultima:
                    return
            time.sleep(pausa)
            pausa = min(pausa * 2, 0.1)

    @contextmanager
    def _leer(self) -> Iterator[Connection]:
        """A read transaction, begun at once (the reads on the driver's cursor do not begin
        one by themselves) and rolled back when done."""
        with self._engine.connect().execution_options(sqlite_begin="DEFERRED") as conexion:
            conexion.begin()
            yield conexion

    def _uno(self, leer: Callable[[Connection, str], T | None], que: str, id: str) -> T:
        with self._leer() as conexion:
            encontrado = leer(conexion, id)
        if encontrado is None:
            raise NoEncontrado(que, id)
        return encontrado

    # -- inventario ------------------------------------------------------------------------

    def stock(
        self,
        producto_id: str | None = None,
        bodega_id: str | None = None,
        limite: int = 100,
        desplazamiento: int = 0,
    ) -> list[StockVista]:
        s, lt = vista_stock, vista_lotes
        # The units of lots expired today: below the minimum is judged on what may still
        # be sold, as the aggregate's StockBajo is.
        vencidas = (
            select(func.coalesce(func.sum(lt.c.cantidad_disponible), 0))
            .where(
                lt.c.producto_id == s.c.producto_id,
                lt.c.bodega_id == s.c.bodega_id,
                lt.c.cantidad_disponible > 0,
                lt.c.fecha_caducidad < self._hoy_lecturas(),
            )
            .scalar_subquery()
            .label("vencidas")
        )
        consulta = _pagina(
            select(s, productos.c.stock_minimo, productos.c.codigo, productos.c.nombre, vencidas)
            .select_from(s.outerjoin(productos, productos.c.id == s.c.producto_id))
            .order_by(s.c.producto_id, s.c.bodega_id),
            limite,
            desplazamiento,
        )
        if producto_id is not None:
            consulta = consulta.where(s.c.producto_id == producto_id)
        if bodega_id is not None:
            consulta = consulta.where(s.c.bodega_id == bodega_id)
        with self._leer() as conexion:
            filas = list(conexion.execute(consulta))
        vistas = []
        for f in filas:
            cantidad = de_micro(f.cantidad)
            minimo = Decimal(f.stock_minimo) if f.stock_minimo is not None else Decimal(0)
            vistas.append(
                StockVista(
                    f.producto_id,
                    f.bodega_id,
                    cantidad,
                    de_centavos(f.valor),
                    minimo,
                    cantidad - de_micro(int(f.vencidas)) <= minimo,
                    f.codigo or "",
                    f.nombre or "",
                )
            )
        return vistas

    def lotes(
        self,
        producto_id: str | None = None,
        bodega_id: str | None = None,
        limite: int = 100,
        desplazamiento: int = 0,
    ) -> list[LoteVista]:
        lt = vista_lotes
        consulta = _pagina(
            select(lt, productos.c.codigo, productos.c.nombre)
            .select_from(lt.outerjoin(productos, productos.c.id == lt.c.producto_id))
            .where(lt.c.cantidad_disponible > 0)
            .order_by(lt.c.producto_id, lt.c.bodega_id, lt.c.orden, lt.c.lote_id),
            limite,
            desplazamiento,
        )
        if producto_id is not None:
            consulta = consulta.where(lt.c.producto_id == producto_id)
        if bodega_id is not None:
            consulta = consulta.where(lt.c.bodega_id == bodega_id)
        with self._leer() as conexion:
            filas = list(conexion.execute(consulta))
        hoy = self._hoy_lecturas()
        return [
            LoteVista(
                f.lote_id,
                f.producto_id,
                f.bodega_id,
                f.fecha_ingreso,
                de_micro(f.cantidad_inicial),
                de_micro(f.cantidad_disponible),
                Decimal(f.costo_unitario),
                f.fecha_caducidad,
                f.codigo or "",
                f.nombre or "",
                f.fecha_caducidad is not None and f.fecha_caducidad < hoy,
            )
            for f in filas
        ]

    def kardex(
        self, producto_id: str, bodega_id: str, limite: int = 100, desplazamiento: int = 0
    ) -> list[MovimientoKardex]:
        k = vista_kardex
        consulta = _pagina(
            select(k)
            .where(k.c.producto_id == producto_id, k.c.bodega_id == bodega_id)
            .order_by(k.c.secuencia),
            limite,
            desplazamiento,
        )
        with self._leer() as conexion:
            filas = list(conexion.execute(consulta))
            producto = conexion.execute(
                select(productos.c.codigo, productos.c.nombre).where(productos.c.id == producto_id)
            ).first()
        codigo, nombre = (producto.codigo, producto.nombre) if producto else ("", "")
        return [
            MovimientoKardex(
                posicion=f.posicion,
                fecha=f.fecha,
                tipo=f.tipo,
                documento=f.documento,
                lote_id=f.lote_id,
                cantidad=de_micro(f.cantidad),
                costo_unitario=Decimal(f.costo_unitario),
                costo_total=de_centavos(f.costo_total),
                saldo_cantidad=de_micro(f.saldo_cantidad),
                saldo_valor=de_centavos(f.saldo_valor),
                motivo=f.motivo,
                producto_codigo=codigo,
                producto_nombre=nombre,
            )
            for f in filas
        ]

    def _hoy_lecturas(self) -> date:
        """Today for reads that depend on it (the injected clock's, when given)."""
        return self._hoy() if self._hoy is not None else RelojSistema().hoy()

    def por_vencer(
        self,
        dias: int,
        bodega_id: str | None = None,
        limite: int = 100,
        desplazamiento: int = 0,
    ) -> list[LotePorVencerVista]:
        hoy = self._hoy_lecturas()
        lt, p = vista_lotes, productos
        consulta = _pagina(
            select(lt, p.c.codigo, p.c.nombre)
            .select_from(lt.outerjoin(p, p.c.id == lt.c.producto_id))
            .where(
                lt.c.cantidad_disponible > 0,
                lt.c.fecha_caducidad.is_not(None),
                lt.c.fecha_caducidad <= hoy + timedelta(days=dias),
            )
            .order_by(
                lt.c.fecha_caducidad, lt.c.producto_id, lt.c.bodega_id, lt.c.orden, lt.c.lote_id
            ),
            limite,
            desplazamiento,
        )
        if bodega_id is not None:
            consulta = consulta.where(lt.c.bodega_id == bodega_id)
        with self._leer() as conexion:
            filas = list(conexion.execute(consulta))
        return [
            LotePorVencerVista(
                lote_id=f.lote_id,
                producto_id=f.producto_id,
                # A product is never deleted from the catalog; a read model rebuilt on a
                # database without it still answers, with its id.
                producto_codigo=f.codigo if f.codigo is not None else f.producto_id,
                producto_nombre=f.nombre if f.nombre is not None else "",
                bodega_id=f.bodega_id,
                fecha_ingreso=f.fecha_ingreso,
                fecha_caducidad=f.fecha_caducidad,
                cantidad_disponible=de_micro(f.cantidad_disponible),
                costo_unitario=Decimal(f.costo_unitario),
                valor_disponible=de_centavos(f.valor_disponible),
                dias_para_vencer=(f.fecha_caducidad - hoy).days,
                # Expired as the domain reads it: the expiry date is the last day to sell.
                vencido=f.fecha_caducidad < hoy,
            )
            for f in filas
        ]

    # -- documentos ------------------------------------------------------------------------

    def factura(self, factura_id: str) -> FacturaVista:
        return self._uno(leer_factura, "una factura", factura_id)

    def factura_de(self, comprobante: DocumentoRegistrado) -> FacturaVista:
        """Built from the command's events when it created the factura, so a command's
        answer waits for no second read transaction; else read back."""
        filas = filas_de_creacion(comprobante.eventos)
        if filas is None:
            return self.factura(comprobante.id)
        return factura_de_filas(*filas)

    def facturas(
        self,
        desde: date | None = None,
        hasta: date | None = None,
        estado: str | None = None,
        limite: int = 100,
        desplazamiento: int = 0,
        *,
        punto_emision_id: str | None = None,
    ) -> list[FacturaVista]:
        f = vista_facturas
        consulta = _pagina(
            select(f).order_by(f.c.fecha_emision, f.c.posicion), limite, desplazamiento
        )
        if desde is not None:
            consulta = consulta.where(f.c.fecha_emision >= desde)
        if hasta is not None:
            consulta = consulta.where(f.c.fecha_emision <= hasta)
        if estado is not None:
            consulta = consulta.where(f.c.estado == estado.strip().upper())
        if punto_emision_id is not None:
            consulta = consulta.where(f.c.punto_emision_id == punto_emision_id)
        with self._leer() as conexion:
            return leer_facturas(conexion, consulta)

    def buscar_facturas(self, busqueda: BusquedaFacturas, limite: int = 50) -> list[FacturaVista]:
        f = vista_facturas
        consulta = (
            select(f)
            .where(f.c.estado != "BORRADOR")
            .order_by(f.c.fecha_emision.desc(), f.c.posicion.desc())
        )
        consulta = _pagina(consulta, limite, 0)
        if busqueda.numero:
            numero = busqueda.numero.strip()
            # A secuencial alone is the number's last part, whatever its series.
            consulta = consulta.where(
                f.c.numero == numero if "-" in numero else f.c.numero.endswith("-" + numero)
            )
        if busqueda.cliente:
            cliente = busqueda.cliente.strip()
            # Digits alone are an identificación (whole: its index answers); anything else
            # is part of a name, which no index can answer.
            consulta = consulta.where(
                f.c.identificacion == cliente
                if cliente.isdigit()
                else func.lower(f.c.razon_social).contains(cliente.lower(), autoescape=True)
            )
        if busqueda.desde is not None:
            consulta = consulta.where(f.c.fecha_emision >= busqueda.desde)
        if busqueda.hasta is not None:
            consulta = consulta.where(f.c.fecha_emision <= busqueda.hasta)
        with self._leer() as conexion:
            return leer_facturas(conexion, consulta)

    def nota_credito(self, nota_credito_id: str) -> NotaCreditoVista:
        return self._uno(leer_nota, "una nota de crédito", nota_credito_id)

    def nota_credito_de(self, comprobante: DocumentoRegistrado) -> NotaCreditoVista:
        """Built from the command's events when it created the nota, else read back."""
        filas = filas_de_nota(comprobante.eventos)
        if filas is None:
            return self.nota_credito(comprobante.id)
        return nota_de_filas(*filas)

    def notas_credito(
        self, factura_id: str | None = None, limite: int = 100, desplazamiento: int = 0
    ) -> list[NotaCreditoVista]:
        limite, desplazamiento = pagina(limite, desplazamiento)
        with self._leer() as conexion:
            return leer_notas_de(conexion, factura_id, limite, desplazamiento)

    # -- comprobantes electrónicos ---------------------------------------------------------

    def comprobantes(
        self,
        estado_sri: str | None = None,
        desde: date | None = None,
        hasta: date | None = None,
        limite: int = 100,
        desplazamiento: int = 0,
    ) -> list[ComprobanteVista]:
        limite, desplazamiento = pagina(limite, desplazamiento)
        with self._leer() as conexion:
            return leer_comprobantes(conexion, estado_sri, desde, hasta, limite, desplazamiento)

    def comprobante_numerado(self, tipo: str, numero: str) -> ComprobanteVista:
        with self._leer() as conexion:
            return leer_comprobante_numerado(conexion, tipo, numero)

    def xml_firmado(self, tipo: str, documento_id: str) -> bytes:
        with self._leer() as conexion:
            return leer_xml_firmado(conexion, tipo, documento_id)

    def autorizacion_sri(self, tipo: str, documento_id: str) -> bytes | None:
        with self._leer() as conexion:
            return leer_autorizacion(conexion, tipo, documento_id)

    def pendientes(self, limite: int) -> list[ComprobantePendiente]:
        """The signer's queue (ComprobantesPendientes)."""
        with self._leer() as conexion:
            return leer_pendientes(conexion, limite)

    # -- ventas y eventos ------------------------------------------------------------------

    def ventas_diarias(
        self,
        desde: date | None = None,
        hasta: date | None = None,
        sucursal_id: str | None = None,
    ) -> list[VentaDiaria]:
        v = vista_ventas_diarias
        consulta = select(v).order_by(v.c.fecha, v.c.sucursal_id)
        if desde is not None:
            consulta = consulta.where(v.c.fecha >= desde)
        if hasta is not None:
            consulta = consulta.where(v.c.fecha <= hasta)
        if sucursal_id is not None:
            consulta = consulta.where(v.c.sucursal_id == sucursal_id)
        if self._antes_de_leer_reportes is not None:
            self._antes_de_leer_reportes()
        with self._leer() as conexion:
            return [venta_diaria(f) for f in conexion.execute(consulta)]

    def eventos(self, desde: int = 0, limite: int = 100) -> list[EventoVista]:
        consulta = _EVENTOS.where(eventos.c.posicion > desde).order_by(eventos.c.posicion)
        with self._leer() as conexion:
            filas = list(conexion.execute(_pagina(consulta, limite, 0)))
        return [_evento(f) for f in filas]

    def eventos_de(self, stream_id: str, limite: int = 1000) -> list[EventoVista]:
        consulta = _EVENTOS.where(eventos.c.stream_id == stream_id).order_by(eventos.c.version)
        with self._leer() as conexion:
            filas = list(conexion.execute(_pagina(consulta, limite, 0)))
        return [_evento(f) for f in filas]


_EVENTOS = select(
    eventos.c.posicion,
    eventos.c.stream_id,
    eventos.c.tipo,
    eventos.c.version,
    eventos.c.ocurrido_en,
    eventos.c.datos,
    eventos.c.version_esquema,
    eventos.c.metadatos,
)


def _evento(fila: Any) -> EventoVista:
    metadatos = json.loads(fila.metadatos) if fila.metadatos else {}
    return EventoVista(
        posicion=fila.posicion,
        stream_id=fila.stream_id,
        tipo=fila.tipo,
        version=fila.version,
        # SQLite and MariaDB hand stored UTC instants back without their zone.
        ocurrido_en=(
            fila.ocurrido_en if fila.ocurrido_en.tzinfo else fila.ocurrido_en.replace(tzinfo=UTC)
        ),
        datos=json.loads(fila.datos),
        version_esquema=fila.version_esquema,
        usuario=metadatos.get("usuario"),
    )


def _pagina(consulta: Select[Any], limite: int, desplazamiento: int) -> Select[Any]:
    """One page of `consulta`'s rows (see `pagina`); its ORDER BY must never tie."""
    limite, desplazamiento = pagina(limite, desplazamiento)
    return consulta.limit(limite).offset(desplazamiento)
