"""Read models (CQRS projections): stock, lots, kardex, facturas, notas de crédito, daily
sales and reports, kept from the event log: the contract (base), the batched writers
(escritura), the registry (registro), the Proyector with its checkpoints and embedded
observer, the rebuild (reconstruccion) and the reports' catch-up (diferidas). The query
side that reads them is in infrastructure/lecturas/."""

from prometeo.infrastructure.proyecciones.base import EventoProyectado, Proyeccion
from prometeo.infrastructure.proyecciones.diferidas import ProyeccionesDiferidas, atrasadas
from prometeo.infrastructure.proyecciones.proyector import HuecoEnProyeccion, Proyector
from prometeo.infrastructure.proyecciones.reconstruccion import (
    Progreso,
    ponerse_al_dia,
    reconstruir,
)
from prometeo.infrastructure.proyecciones.registro import (
    DIFERIDAS,
    EMBEBIDAS,
    NOMBRES,
    ProyeccionDesconocida,
    crear_proyecciones,
)

__all__ = [
    "DIFERIDAS",
    "EMBEBIDAS",
    "NOMBRES",
    "EventoProyectado",
    "HuecoEnProyeccion",
    "Progreso",
    "Proyeccion",
    "ProyeccionDesconocida",
    "ProyeccionesDiferidas",
    "Proyector",
    "atrasadas",
    "crear_proyecciones",
    "ponerse_al_dia",
    "reconstruir",
]
