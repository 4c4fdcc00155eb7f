"""Following the event log: the one mechanism behind every reaction to stored events.

A `Seguidor` reads the log by global position after a durable checkpoint, in batches,
and hands them to a handler at least once; the checkpoint only moves past what the
handler finished. Handlers are idempotent. Errors: the infrastructure being away
(database, broker) is retried forever with back-off; anything else is retried a few
times, then the event is parked in `eventos_aparcados` with its error (listed by
`listar_aparcados` and `prometeo aparcados`, counted by `prometeo_eventos_aparcados_total`)
and the follower moves on. Each follower has its own loop, checkpoint and name. Once the
cause is fixed, `prometeo aparcados reintentar` does a parked event's effect again with
the follower's Reintentador (reintentos.py).

Who follows the log with it:
- the outbox relay (mensajeria/relay.py): publish + confirm, checkpoint
  `checkpoints_seguidor['rabbitmq']` advanced after the confirms (ConCheckpointPropio);
- the projections in distributed mode (proyecciones/trabajador.py, `prometeo worker`):
  the read models and their checkpoints (`checkpoints_proyeccion`) in one transaction
  (EnLaMismaTransaccion).
(The embedded projections are not a follower: they run inside each command's
transaction, see Proyector.observador.)

Adding a reaction (the SRI signer, the dispatcher, the mailer): write a handler that
does one thing per event and is idempotent, choose how it keeps its checkpoint, give it a
name of its own, and run it in its own process or thread from the composition root:

    class FirmarComprobantes:  # a Manejador
        def manejar(self, eventos, hecho):
            for evento in eventos:
                if evento.tipo in ("FacturaEmitida", "NotaCreditoEmitida"):
                    ...  # sign; if already signed, do nothing
                hecho(evento.posicion)

    seguidor = Seguidor(
        RegistroSql(engine),
        "sri-firma",
        ConCheckpointPropio(CheckpointSeguidor(engine, "sri-firma"), FirmarComprobantes()),
        metricas=metricas,
    )
    seguidor.ejecutar(detener=detener)

If its effect is written to this database (e.g. the comprobante's own event stream),
prefer EnLaMismaTransaccion, so the effect and the checkpoint commit together."""

from prometeo.infrastructure.seguimiento.aparcados import (
    EventoAparcado,
    anotar_error,
    contar_aparcados,
    descartar_aparcado,
    describir_error,
    listar_aparcados,
    registrar_aparcado,
)
from prometeo.infrastructure.seguimiento.checkpoint import (
    CheckpointMovido,
    CheckpointSeguidor,
    conexion_de_lectura,
    pendientes_de,
    posicion_de,
)
from prometeo.infrastructure.seguimiento.procesadores import (
    ConCheckpointPropio,
    EnLaMismaTransaccion,
    Hecho,
    Manejador,
    ManejadorTransaccional,
)
from prometeo.infrastructure.seguimiento.reintentos import (
    EventoNoEncontrado,
    FalloDeNuevo,
    Reintentado,
    Reintentador,
    Reintento,
    reintentar_aparcados,
)
from prometeo.infrastructure.seguimiento.seguidor import (
    TRANSITORIOS_BD,
    Procesador,
    RegistroDeEventos,
    RegistroSql,
    Seguidor,
    es_transitorio,
)

__all__ = [
    "TRANSITORIOS_BD",
    "CheckpointMovido",
    "CheckpointSeguidor",
    "ConCheckpointPropio",
    "EnLaMismaTransaccion",
    "EventoAparcado",
    "EventoNoEncontrado",
    "FalloDeNuevo",
    "Hecho",
    "Manejador",
    "ManejadorTransaccional",
    "Procesador",
    "RegistroDeEventos",
    "RegistroSql",
    "Reintentado",
    "Reintentador",
    "Reintento",
    "Seguidor",
    "anotar_error",
    "conexion_de_lectura",
    "contar_aparcados",
    "descartar_aparcado",
    "describir_error",
    "es_transitorio",
    "listar_aparcados",
    "pendientes_de",
    "posicion_de",
    "registrar_aparcado",
    "reintentar_aparcados",
]
