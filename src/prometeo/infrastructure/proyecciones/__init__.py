"""Read models (CQRS projections): stock, lots, kardex, facturas, notas de crédito and
daily sales, kept from the event log, with their checkpoints, the embedded observer, the
rebuild and the SQL query service that reads them."""

from prometeo.infrastructure.lecturas.consultas import ServicioConsultasSql
from prometeo.infrastructure.proyecciones.base import EventoProyectado, Proyeccion
from prometeo.infrastructure.proyecciones.proyector import HuecoEnProyeccion, Proyector
from prometeo.infrastructure.proyecciones.reconstruccion import (
    NOMBRES,
    Progreso,
    ProyeccionDesconocida,
    crear_proyecciones,
    ponerse_al_dia,
    reconstruir,
)

__all__ = [
    "NOMBRES",
    "EventoProyectado",
    "HuecoEnProyeccion",
    "Progreso",
    "Proyeccion",
    "ProyeccionDesconocida",
    "Proyector",
    "ServicioConsultasSql",
    "crear_proyecciones",
    "ponerse_al_dia",
    "reconstruir",
]
