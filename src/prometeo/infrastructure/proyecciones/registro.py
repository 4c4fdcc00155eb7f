"""The registry of read models: every projection prometeo keeps, by name. Bootstrap, the
rebuild, the worker and the command line all take their projections from here."""

from __future__ import annotations

from collections.abc import Sequence

from prometeo.infrastructure.proyecciones.base import Proyeccion
from prometeo.infrastructure.proyecciones.facturas import ProyeccionFacturas
from prometeo.infrastructure.proyecciones.kardex import ProyeccionKardex
from prometeo.infrastructure.proyecciones.lotes import ProyeccionLotes
from prometeo.infrastructure.proyecciones.notas_credito import ProyeccionNotasCredito
from prometeo.infrastructure.proyecciones.reportes import ProyeccionReportes
from prometeo.infrastructure.proyecciones.stock import ProyeccionStock
from prometeo.infrastructure.proyecciones.ventas import ProyeccionVentasDiarias
from prometeo.infrastructure.proyecciones.xml_comprobantes import ProyeccionXmlComprobantes

_CLASES: tuple[type[Proyeccion], ...] = (
    ProyeccionStock,
    ProyeccionLotes,
    ProyeccionKardex,
    ProyeccionFacturas,
    ProyeccionNotasCredito,
    ProyeccionVentasDiarias,
    ProyeccionXmlComprobantes,
    ProyeccionReportes,
)
NOMBRES = tuple(c.nombre for c in _CLASES)
# Read only by reports, never by a command: in embedded mode they are kept out of the
# commands' transactions and caught up before each read (see diferidas.py).
DIFERIDAS = (ProyeccionVentasDiarias.nombre, ProyeccionReportes.nombre)
EMBEBIDAS = tuple(n for n in NOMBRES if n not in DIFERIDAS)


class ProyeccionDesconocida(ValueError):
    """A projection name that does not exist."""

    def __init__(self, desconocidas: Sequence[str]) -> None:
        self.desconocidas = tuple(desconocidas)
        super().__init__(
            f"Proyección desconocida: {', '.join(desconocidas)}. "
            f"Las proyecciones válidas son: {', '.join(NOMBRES)}"
        )


def crear_proyecciones(nombres: Sequence[str] | None = None) -> list[Proyeccion]:
    """The projections named (all of them, in dependency-free order, by default)."""
    if nombres is None:
        return [clase() for clase in _CLASES]
    desconocidas = [n for n in nombres if n not in NOMBRES]
    if desconocidas:
        raise ProyeccionDesconocida(desconocidas)
    return [clase() for clase in _CLASES if clase.nombre in nombres]
