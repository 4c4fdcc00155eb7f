"""The reports on SQL (ConsultasReportes): sums over the reports' read model, the kardex
and the daily sales, joined with the catalog's tables for codes and names. The database
adds up integer cents and micro-units; nothing goes through float."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import Connection, Engine, Row, Select, Table, and_, case, func, or_, select

from prometeo.application.consultas import VentaDiaria
from prometeo.application.reportes import (
    ConsultasReportes,
    DocumentoDeCliente,
    FiltroReporte,
    TotalesCliente,
    ValoracionBodega,
    ValoracionProducto,
    VentaPorProducto,
    VentaPorTarifa,
)
from prometeo.infrastructure.db.tablas import bodegas, productos, sucursales
from prometeo.infrastructure.lecturas.catalogo import pagina
from prometeo.infrastructure.proyecciones.base import de_centavos, de_micro
from prometeo.infrastructure.proyecciones.tablas import vista_kardex, vista_ventas_diarias
from prometeo.infrastructure.proyecciones.tablas_reportes import (
    vista_reporte_documentos,
    vista_reporte_lineas,
    vista_reporte_tarifas,
)

_d = vista_reporte_documentos


def _entero(valor: Any) -> int:
    """A SUM as an int: PostgreSQL and MariaDB answer a BIGINT sum as NUMERIC (Decimal),
    SQLite as an int, and an empty sum as NULL."""
    return 0 if valor is None else int(valor)


def _emitidos(consulta: Select[Any], filtro: FiltroReporte) -> Select[Any]:
    consulta = consulta.where(_d.c.estado == "EMITIDA")
    return _del_periodo(consulta, filtro)


def _del_periodo(
    consulta: Select[Any], filtro: FiltroReporte, tabla: Table = vista_reporte_documentos
) -> Select[Any]:
    """Only the rows of `tabla` (its `fecha` and `sucursal_id`) that `filtro` asks for."""
    if filtro.desde is not None:
        consulta = consulta.where(tabla.c.fecha >= filtro.desde)
    if filtro.hasta is not None:
        consulta = consulta.where(tabla.c.fecha <= filtro.hasta)
    if filtro.sucursal_id is not None:
        consulta = consulta.where(tabla.c.sucursal_id == filtro.sucursal_id)
    return consulta


def _pagina(consulta: Select[Any], limite: int, desplazamiento: int) -> Select[Any]:
    limite, desplazamiento = pagina(limite, desplazamiento)
    return consulta.limit(limite).offset(desplazamiento)


def venta_diaria(f: Row[Any]) -> VentaDiaria:
    """A row of vista_ventas_diarias as the query side shows it."""
    return VentaDiaria(
        fecha=f.fecha,
        sucursal_id=f.sucursal_id,
        facturas=f.facturas,
        subtotal=de_centavos(f.subtotal),
        iva=de_centavos(f.iva),
        total=de_centavos(f.total),
        costo=de_centavos(f.costo),
        notas_credito=f.notas_credito,
        subtotal_notas=de_centavos(f.subtotal_notas),
        iva_notas=de_centavos(f.iva_notas),
        total_notas=de_centavos(f.total_notas),
        costo_notas=de_centavos(f.costo_notas),
        sucursal_codigo=f._mapping.get("sucursal_codigo") or "",
    )


class ConsultasReportesSql(ConsultasReportes):
    """Each report in one short read-only transaction. The sales reports' tables may be
    kept out of the commands' transactions (embedded mode, see proyecciones/diferidas.py):
    `antes_de_leer` then brings them up to date first, which takes a write turn only when
    some sale is not in them yet (a report that finds them current never queues behind
    the cajeros)."""

    def __init__(self, engine: Engine, *, antes_de_leer: Callable[[], None] | None = None) -> None:
        self._engine = engine
        self._antes_de_leer = antes_de_leer

    @contextmanager
    def _leer(self) -> Iterator[Connection]:
        with self._engine.connect().execution_options(sqlite_begin="DEFERRED") as conexion:
            conexion.begin()
            yield conexion

    def _filas(self, consulta: Select[Any]) -> list[Any]:
        with self._leer() as conexion:
            return list(conexion.execute(consulta))

    def _ventas(self, consulta: Select[Any]) -> list[Any]:
        """The rows of a query over the sales reports' tables, brought up to date."""
        if self._antes_de_leer is not None:
            self._antes_de_leer()
        return self._filas(consulta)

    def ventas_por_tarifa(self, filtro: FiltroReporte) -> list[VentaPorTarifa]:
        t = vista_reporte_tarifas
        consulta = _emitidos(
            select(_d.c.mes, t.c.codigo_porcentaje, func.sum(t.c.base), func.sum(t.c.iva))
            .select_from(t.join(_d, _d.c.documento_id == t.c.documento_id))
            .group_by(_d.c.mes, t.c.codigo_porcentaje),
            filtro,
        )
        ventas = [
            VentaPorTarifa(mes, codigo, de_centavos(_entero(base)), de_centavos(_entero(iva)))
            for mes, codigo, base, iva in self._ventas(consulta)
        ]
        # "2" before "10": SRI codes in numeric order.
        return sorted(ventas, key=lambda v: (v.mes, len(v.codigo_porcentaje), v.codigo_porcentaje))

    def ventas_por_producto(
        self, filtro: FiltroReporte, limite: int = 100, desplazamiento: int = 0
    ) -> list[VentaPorProducto]:
        ln = vista_reporte_lineas
        sumas = _emitidos(
            select(
                ln.c.producto_id,
                func.sum(ln.c.cantidad).label("cantidad"),
                func.sum(ln.c.base).label("base"),
                func.sum(ln.c.costo).label("costo"),
            )
            .select_from(ln.join(_d, _d.c.documento_id == ln.c.documento_id))
            .group_by(ln.c.producto_id),
            filtro,
        ).subquery()
        codigo = func.coalesce(productos.c.codigo, "")
        consulta = (
            select(sumas, codigo.label("codigo"), func.coalesce(productos.c.nombre, ""))
            .select_from(sumas.outerjoin(productos, productos.c.id == sumas.c.producto_id))
            .order_by(codigo, sumas.c.producto_id)
        )
        return [
            VentaPorProducto(
                producto_id=f[0],
                producto_codigo=f[4],
                producto_nombre=f[5],
                cantidad=de_micro(_entero(f[1])),
                ventas=de_centavos(_entero(f[2])),
                costo=de_centavos(_entero(f[3])),
            )
            for f in self._ventas(_pagina(consulta, limite, desplazamiento))
        ]

    def documentos_de_cliente(
        self, cliente_id: str, filtro: FiltroReporte, limite: int = 100, desplazamiento: int = 0
    ) -> list[DocumentoDeCliente]:
        consulta = _del_periodo(
            select(_d)
            .where(_d.c.cliente_id == cliente_id, _d.c.estado.in_(("EMITIDA", "ANULADA")))
            .order_by(_d.c.fecha, _d.c.tipo, _d.c.numero, _d.c.documento_id),
            filtro,
        )
        documentos = []
        for f in self._ventas(_pagina(consulta, limite, desplazamiento)):
            signo = -1 if f.tipo == "NOTA_CREDITO" else 1  # stored negated: see the table
            documentos.append(
                DocumentoDeCliente(
                    tipo=f.tipo,
                    documento_id=f.documento_id,
                    numero=f.numero,
                    fecha=f.fecha,
                    estado=f.estado,
                    subtotal=de_centavos(signo * f.subtotal),
                    iva=de_centavos(signo * f.iva),
                    total=de_centavos(signo * f.total),
                )
            )
        return documentos

    def totales_de_cliente(self, cliente_id: str, filtro: FiltroReporte) -> TotalesCliente:
        es_factura = _d.c.tipo == "FACTURA"
        consulta = _emitidos(
            select(
                func.sum(case((es_factura, _d.c.total), else_=0)),
                func.sum(case((es_factura, 0), else_=-_d.c.total)),
            ).where(_d.c.cliente_id == cliente_id),
            filtro,
        )
        compras, creditos = self._ventas(consulta)[0]
        return TotalesCliente(de_centavos(_entero(compras)), de_centavos(_entero(creditos)))

    def _saldos(self, fecha: date, bodega_id: str | None, sucursal_id: str | None) -> Any:
        """The last kardex row up to `fecha` of each producto × bodega (the saldo columns
        carry the balance whatever the kind of movement), with its bodega."""
        k = vista_kardex
        ultimos = select(k.c.producto_id, k.c.bodega_id, func.max(k.c.secuencia).label("s")).where(
            k.c.fecha <= fecha
        )
        if bodega_id is not None:
            ultimos = ultimos.where(k.c.bodega_id == bodega_id)
        u = ultimos.group_by(k.c.producto_id, k.c.bodega_id).subquery()
        unidas = u.join(
            k,
            and_(
                k.c.producto_id == u.c.producto_id,
                k.c.bodega_id == u.c.bodega_id,
                k.c.secuencia == u.c.s,
            ),
        ).join(bodegas, bodegas.c.id == k.c.bodega_id)
        condiciones = [or_(k.c.saldo_cantidad != 0, k.c.saldo_valor != 0)]
        if sucursal_id is not None:
            condiciones.append(bodegas.c.sucursal_id == sucursal_id)
        return unidas, condiciones

    def valoracion_stock(
        self,
        fecha: date,
        bodega_id: str | None,
        sucursal_id: str | None,
        limite: int = 100,
        desplazamiento: int = 0,
    ) -> list[ValoracionProducto]:
        k = vista_kardex
        unidas, condiciones = self._saldos(fecha, bodega_id, sucursal_id)
        codigo = func.coalesce(productos.c.codigo, "")
        consulta = (
            select(
                bodegas.c.id,
                bodegas.c.codigo,
                bodegas.c.nombre,
                k.c.producto_id,
                codigo,
                func.coalesce(productos.c.nombre, ""),
                k.c.saldo_cantidad,
                k.c.saldo_valor,
            )
            .select_from(unidas.outerjoin(productos, productos.c.id == k.c.producto_id))
            .where(*condiciones)
            .order_by(bodegas.c.codigo, codigo, k.c.producto_id)
        )
        return [
            ValoracionProducto(b, bc, bn, p, pc, pn, de_micro(cantidad), de_centavos(valor))
            for b, bc, bn, p, pc, pn, cantidad, valor in self._filas(
                _pagina(consulta, limite, desplazamiento)
            )
        ]

    def valoracion_por_bodega(
        self, fecha: date, bodega_id: str | None, sucursal_id: str | None
    ) -> list[ValoracionBodega]:
        unidas, condiciones = self._saldos(fecha, bodega_id, sucursal_id)
        consulta = (
            select(
                bodegas.c.id,
                bodegas.c.codigo,
                bodegas.c.nombre,
                func.sum(vista_kardex.c.saldo_valor),
            )
            .select_from(unidas)
            .where(*condiciones)
            .group_by(bodegas.c.id, bodegas.c.codigo, bodegas.c.nombre)
            .order_by(bodegas.c.codigo)
        )
        return [
            ValoracionBodega(b, codigo, nombre, de_centavos(_entero(valor)))
            for b, codigo, nombre, valor in self._filas(consulta)
        ]

    def ventas_diarias(
        self, filtro: FiltroReporte, limite: int = 100, desplazamiento: int = 0
    ) -> list[VentaDiaria]:
        v = vista_ventas_diarias
        consulta = _del_periodo(
            select(v, sucursales.c.codigo.label("sucursal_codigo"))
            .select_from(v.outerjoin(sucursales, sucursales.c.id == v.c.sucursal_id))
            .order_by(v.c.fecha, v.c.sucursal_id),
            filtro,
            v,
        )
        return [venta_diaria(f) for f in self._ventas(_pagina(consulta, limite, desplazamiento))]
