"""Event-sourced repositories: load = latest usable snapshot + the events after it."""

from __future__ import annotations

from datetime import datetime
from itertools import starmap
from typing import TypeVar

from prometeo.domain.aggregates.base import Agregado
from prometeo.domain.aggregates.factura import Factura
from prometeo.domain.aggregates.inventario import Inventario
from prometeo.domain.aggregates.nota_credito import NotaCredito
from prometeo.domain.aggregates.secuencia import SecuenciaComprobantes
from prometeo.domain.errores import NoEncontrado
from prometeo.domain.repositories import (
    RepositorioFacturas,
    RepositorioInventarios,
    RepositorioNotasCredito,
    RepositorioSecuencias,
    segundo_de,
)
from prometeo.domain.value_objects.numero_comprobante import TipoComprobante
from prometeo.infrastructure.db.almacen_eventos import AlmacenEventosSql
from prometeo.infrastructure.db.cache_agregados import CacheAgregados
from prometeo.infrastructure.db.snapshots import AlmacenSnapshotsSql
from prometeo.infrastructure.serializacion import CodecEventos, CodecSnapshots

A = TypeVar("A", bound=Agregado)


class AlmacenAgregados:
    """Loads aggregates for one unit of work and remembers each one it handed out (an
    identity map), so the unit of work can collect their new events at commit."""

    def __init__(
        self,
        store: AlmacenEventosSql,
        snapshots: AlmacenSnapshotsSql,
        codec_eventos: CodecEventos,
        codec_snapshots: CodecSnapshots,
        cache: CacheAgregados | None = None,
    ) -> None:
        self.cache = cache
        self.store = store
        self.snapshots = snapshots
        self.codec_eventos = codec_eventos
        self.codec_snapshots = codec_snapshots
        self.vistos: dict[str, Agregado] = {}

    def cargar(self, clase: type[A], id: str) -> A | None:
        stream_id = f"{clase.TIPO_STREAM}-{id}"
        visto = self.vistos.get(stream_id)
        if visto is not None:
            assert isinstance(visto, clase)
            return visto
        if self.cache is not None:
            cacheado = self.cache.sacar(stream_id)
            if isinstance(cacheado, clase):
                self.vistos[stream_id] = cacheado
                return cacheado
        agregado: A | None = None
        desde = 0
        snapshot = self.snapshots.ultimo(stream_id)
        if snapshot is not None and snapshot.version_esquema == clase.VERSION_SNAPSHOT:
            restaurado = self.codec_snapshots.decodificar(clase, snapshot.datos)
            assert isinstance(restaurado, clase)
            agregado, desde = restaurado, snapshot.version
        # Only (tipo, version_esquema, datos) per event, decoded one by one as applied.
        filas = self.store.leer_datos_stream(stream_id, desde)
        if agregado is None:
            if not filas:
                return None
            agregado = clase(id)
        agregado.aplicar_historia(starmap(self.codec_eventos.decodificar, filas))
        self.vistos[stream_id] = agregado
        return agregado

    def cargar_antes(self, clase: type[A], id: str, instante: datetime) -> A:
        """The aggregate as its events stored before `instante` left it (blank at version
        0 when none): a copy to read, neither tracked nor taken from or given to the
        cache. The latest snapshot serves when it is not newer than that version."""
        stream_id = f"{clase.TIPO_STREAM}-{id}"
        version = self.store.version_antes(stream_id, instante)
        agregado, desde = clase(id), 0
        snapshot = self.snapshots.ultimo(stream_id) if version else None
        if (
            snapshot is not None
            and snapshot.version_esquema == clase.VERSION_SNAPSHOT
            and snapshot.version <= version
        ):
            restaurado = self.codec_snapshots.decodificar(clase, snapshot.datos)
            assert isinstance(restaurado, clase)
            agregado, desde = restaurado, snapshot.version
        if version > desde:
            filas = self.store.leer_datos_hasta(stream_id, desde, version)
            agregado.aplicar_historia(starmap(self.codec_eventos.decodificar, filas))
        return agregado

    def seguir(self, agregado: Agregado) -> None:
        self.vistos[agregado.stream_id] = agregado


class RepositorioFacturasSql(RepositorioFacturas):
    def __init__(self, almacen: AlmacenAgregados) -> None:
        self.almacen = almacen

    def obtener(self, factura_id: str) -> Factura:
        factura = self.almacen.cargar(Factura, factura_id)
        if factura is None:
            raise NoEncontrado("la factura", factura_id)
        return factura

    def agregar(self, factura: Factura) -> None:
        self.almacen.seguir(factura)


class RepositorioNotasCreditoSql(RepositorioNotasCredito):
    def __init__(self, almacen: AlmacenAgregados) -> None:
        self.almacen = almacen

    def obtener(self, nota_credito_id: str) -> NotaCredito:
        nota = self.almacen.cargar(NotaCredito, nota_credito_id)
        if nota is None:
            raise NoEncontrado("la nota de crédito", nota_credito_id)
        return nota

    def agregar(self, nota: NotaCredito) -> None:
        self.almacen.seguir(nota)


class RepositorioInventariosSql(RepositorioInventarios):
    def __init__(self, almacen: AlmacenAgregados) -> None:
        self.almacen = almacen

    def obtener(self, producto_id: str, bodega_id: str) -> Inventario:
        inventario = self.almacen.cargar(Inventario, Inventario.id_para(producto_id, bodega_id))
        if inventario is None:
            inventario = Inventario.para(producto_id, bodega_id)
            self.almacen.seguir(inventario)
        return inventario

    def al_instante(self, producto_id: str, bodega_id: str, instante: datetime) -> Inventario:
        id_ = Inventario.id_para(producto_id, bodega_id)
        inventario = self.almacen.cargar_antes(Inventario, id_, segundo_de(instante))
        if not inventario.version:
            return Inventario.para(producto_id, bodega_id)
        return inventario


class RepositorioSecuenciasSql(RepositorioSecuencias):
    def __init__(self, almacen: AlmacenAgregados) -> None:
        self.almacen = almacen

    def obtener(self, punto_emision_id: str, tipo: TipoComprobante) -> SecuenciaComprobantes:
        punto = self.almacen.cargar(
            SecuenciaComprobantes, SecuenciaComprobantes.id_para(punto_emision_id, tipo)
        )
        if punto is None:
            punto = SecuenciaComprobantes.para(punto_emision_id, tipo)
            self.almacen.seguir(punto)
        return punto
