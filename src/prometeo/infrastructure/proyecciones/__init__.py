"""Read models (CQRS projections): stock, lots, kardex, facturas, notas de crédito and
daily sales, kept from the event log: the contract (base), the batched writers
(escritura), the registry (registro), the Proyector with its checkpoints and embedded
observer, and the rebuild (reconstruccion). The query side that reads them is in
infrastructure/lecturas/."""

from prometeo.infrastructure.proyecciones.base import EventoProyectado, Proyeccion
from prometeo.infrastructure.proyecciones.proyector import HuecoEnProyeccion, Proyector
from prometeo.infrastructure.proyecciones.reconstruccion import (
    Progreso,
    ponerse_al_dia,
    reconstruir,
)
from prometeo.infrastructure.proyecciones.registro import (
    NOMBRES,
    ProyeccionDesconocida,
    crear_proyecciones,
)

__all__ = [
    "NOMBRES",
    "EventoProyectado",
    "HuecoEnProyeccion",
    "Progreso",
    "Proyeccion",
    "ProyeccionDesconocida",
    "Proyector",
    "crear_proyecciones",
    "ponerse_al_dia",
    "reconstruir",
]
