"""What the settings screens show, read from the same services the JSON API reads: the
emisor, each sucursal with its puntos de emisión and its bodegas, and the people who sign
in. Blocking: called in a thread."""

from __future__ import annotations

from dataclasses import dataclass

from prometeo.application.consultas import (
    BodegaVista,
    EmisorVista,
    PuntoEmisionVista,
    SucursalVista,
)
from prometeo.application.personas import UsuarioVista
from prometeo.bootstrap import Servicios
from prometeo.domain.entities.catalogo import AMBIENTE_PRODUCCION, AMBIENTE_PRUEBAS, REGIMENES
from prometeo.domain.errores import NoEncontrado
from prometeo.entrypoints.web.formato import fecha

AMBIENTES = ((AMBIENTE_PRUEBAS, "Pruebas"), (AMBIENTE_PRODUCCION, "Producción"))
NOMBRES_REGIMEN = {
    "GENERAL": "General",
    "RIMPE_EMPRENDEDOR": "RIMPE emprendedor",
    "RIMPE_NEGOCIO_POPULAR": "RIMPE negocio popular",
}
REGIMENES_ELEGIBLES = tuple((r, NOMBRES_REGIMEN.get(r, r)) for r in REGIMENES)


@dataclass(frozen=True, slots=True)
class SucursalConSusPuntos:
    """A sucursal as the settings list it: its puntos de emisión, by code."""

    sucursal: SucursalVista
    puntos: tuple[PuntoEmisionVista, ...]


@dataclass(frozen=True, slots=True)
class BodegaConSucursal:
    bodega: BodegaVista
    sucursal: str  # its sucursal's code and name, as the list shows it


@dataclass(frozen=True, slots=True)
class Ajustes:
    """The settings of the business: the emisor (None until registered), the sucursales
    (by code) with their puntos, and every bodega."""

    emisor: EmisorVista | None
    sucursales: tuple[SucursalConSusPuntos, ...]
    bodegas: tuple[BodegaConSucursal, ...]


def leer_ajustes(servicios: Servicios) -> Ajustes:
    consultas = servicios.consultas
    try:
        emisor: EmisorVista | None = consultas.emisor()
    except NoEncontrado:
        emisor = None
    sucursales = consultas.sucursales()
    nombres = {s.id: f"{s.codigo} · {s.nombre}" for s in sucursales}
    return Ajustes(
        emisor=emisor,
        sucursales=tuple(
            SucursalConSusPuntos(s, tuple(consultas.puntos_emision(s.id))) for s in sucursales
        ),
        bodegas=tuple(
            BodegaConSucursal(b, nombres.get(b.sucursal_id, b.sucursal_id))
            for b in consultas.bodegas()
        ),
    )


@dataclass(frozen=True, slots=True)
class FilaUsuario:
    """A user as the list shows it (never a password nor its hash)."""

    usuario: UsuarioVista
    creado: str  # dd/mm/aaaa, in Ecuador


def leer_usuarios(servicios: Servicios) -> list[FilaUsuario]:
    """Every user (deactivated ones too), oldest first."""
    return [FilaUsuario(u, fecha(u.creado_en)) for u in servicios.usuarios.listar()]
