"""An in-process cache of committed aggregates, checked out exclusively.

Loading an aggregate costs two queries (snapshot + tail) and decoding; a command that
touches six of them pays that on every emission. The cache keeps aggregates as they were
after the last commit of THIS process. A unit of work checks an aggregate out (it leaves
the cache, so no other thread can see its uncommitted changes) and checks it back in only
after a successful commit; a failed command simply drops it.

Staleness is safe: if another process committed to the stream meanwhile, the stale
aggregate records a version that already exists, the event store's unique (stream_id,
version) key refuses it with ErrorDeConcurrencia, and the retry loads fresh state from the
database (the stale copy was never checked back in). This relies on a rule prometeo keeps:
every aggregate whose state decides a command is also written by that command.

Only the streams many commands share are kept (each product's Inventario, each punto de
emisión's numbering): a factura or nota de crédito is written by its emission and seldom
again, so keeping them would only give the garbage collector more to walk (a full
collection walks every cached object, and no request advances meanwhile)."""

from __future__ import annotations

import threading
from collections import OrderedDict

from prometeo.domain.aggregates.base import Agregado
from prometeo.domain.aggregates.inventario import Inventario
from prometeo.domain.aggregates.secuencia import SecuenciaComprobantes

# The streams worth keeping: those every emission (or transfer) of the shop writes.
COMPARTIDOS = frozenset({Inventario.TIPO_STREAM, SecuenciaComprobantes.TIPO_STREAM})


class CacheAgregados:
    """LRU of aggregates by stream id, bounded by `capacidad`."""

    def __init__(self, capacidad: int = 10_000, tipos: frozenset[str] = COMPARTIDOS) -> None:
        self.capacidad = capacidad
        self.tipos = tipos
        self._agregados: OrderedDict[str, Agregado] = OrderedDict()
        self._candado = threading.Lock()

    def sacar(self, stream_id: str) -> Agregado | None:
        """Take the aggregate out of the cache (exclusive until it is returned)."""
        with self._candado:
            return self._agregados.pop(stream_id, None)

    def devolver(self, agregados: list[Agregado]) -> None:
        """Put back aggregates whose changes are committed (nothing pending)."""
        if self.capacidad <= 0:
            return
        with self._candado:
            for agregado in agregados:
                if agregado.TIPO_STREAM not in self.tipos:
                    continue
                self._agregados[agregado.stream_id] = agregado
                self._agregados.move_to_end(agregado.stream_id)
            while len(self._agregados) > self.capacidad:
                self._agregados.popitem(last=False)

    def vaciar(self) -> None:
        with self._candado:
            self._agregados.clear()

    def __len__(self) -> int:
        return len(self._agregados)
