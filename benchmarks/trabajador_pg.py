"""A worker process of part 4: emits facturas on PostgreSQL for a time window, with
prometeo or with the eventsourcing library, and says how many it emitted and how many
attempts that took. Kept alive between windows (spawning costs a second of imports)."""

from __future__ import annotations

import time
from multiprocessing.connection import Connection
from typing import Any

from benchmarks.escenario import HOY, LINEAS


def productos_de(trabajador: int, caliente: bool) -> list[str]:
    """Its own products; with `caliente`, the first line is the one product all share."""
    propios = [f"w{trabajador}p{k}" for k in range(LINEAS)]
    return ["caliente", *propios[1:]] if caliente else propios


class _Contando:
    """Wraps the service's unit-of-work factory: one call per attempt."""

    def __init__(self, fabrica: Any) -> None:
        self.fabrica = fabrica
        self.intentos = 0

    def __call__(self, metadatos: Any) -> Any:
        self.intentos += 1
        return self.fabrica(metadatos)


def _tienda_prometeo(url: str, trabajador: int, caliente: bool) -> tuple[Any, _Contando]:
    from benchmarks.escenario import Tienda, asegurar_proyecciones
    from prometeo.bootstrap import bootstrap
    from prometeo.infrastructure.settings import Settings

    aplicacion = bootstrap(
        Settings(database_url=url, hoy=HOY, reintentos_concurrencia=40), migrar_esquema=False
    )
    asegurar_proyecciones(aplicacion)
    # As each process of `prometeo serve --workers N`: the reports' read models are caught
    # up by a thread of its own while it emits.
    if getattr(aplicacion, "diferidas", None) is not None:
        aplicacion.diferidas.iniciar()
    tienda = Tienda(aplicacion, productos_de(trabajador, caliente), punto=f"punto{trabajador}")
    contando = _Contando(aplicacion.facturas._uow_factory)
    aplicacion.facturas._uow_factory = contando
    return tienda, contando


def _tienda_es(dbname: str, trabajador: int, caliente: bool) -> Any:
    from benchmarks.es_app import TiendaES, app_postgres

    return TiendaES(
        app_postgres(dbname), productos_de(trabajador, caliente), punto=f"punto{trabajador}"
    )


def ventana(
    tienda: Any, contando: _Contando | None, inicio_en: float, segundos: float
) -> dict[str, Any]:
    """Emit from `inicio_en` (wall clock) for `segundos`; top-ups included in the window."""
    from benchmarks.es_app import Conflicto
    from prometeo.domain.errores import ErrorDeConcurrencia

    intentos0 = contando.intentos if contando else tienda.reintentos
    espera = inicio_en - time.time()
    if espera > 0:
        time.sleep(espera)
    fin = inicio_en + segundos
    emitidas = fallidas = 0
    ultima = inicio_en
    while time.time() < fin:
        tienda.reponer()
        try:
            tienda.emitir()
            emitidas += 1
        except (ErrorDeConcurrencia, Conflicto):
            fallidas += 1
        ultima = time.time()
    if contando is not None:
        intentos = contando.intentos - intentos0
    else:  # the library's loop counts its retries
        intentos = emitidas + fallidas + tienda.reintentos - intentos0
    return {"emitidas": emitidas, "fallidas": fallidas, "intentos": intentos, "ultima": ultima}


def principal(conexion: Connection, trabajador: int, url: str, dbname_es: str) -> None:
    """Serve orders until told to stop (None): ("preparar", motor, caliente) builds and
    warms the shop up; ("ventana", motor, caliente, inicio_en, segundos) emits."""
    tiendas: dict[tuple[str, bool], Any] = {}
    while True:
        orden = conexion.recv()
        if orden is None:
            break
        try:
            clave = (orden[1], orden[2])
            if orden[0] == "preparar":
                if clave not in tiendas:
                    if orden[1] == "prometeo":
                        tiendas[clave] = _tienda_prometeo(url, trabajador, orden[2])
                    else:
                        tiendas[clave] = (_tienda_es(dbname_es, trabajador, orden[2]), None)
                    tienda = tiendas[clave][0]
                    for _ in range(3):  # caches, prepared statements, connections
                        tienda.reponer()
                        tienda.emitir()
                conexion.send({"listo": True})
            else:
                tienda, contando = tiendas[clave]
                conexion.send(ventana(tienda, contando, orden[3], orden[4]))
        except Exception as error:  # reported to the main process, which fails the part
            import traceback

            conexion.send({"error": f"{error!r}\n{traceback.format_exc()}"})
    for tienda, _ in tiendas.values():
        if hasattr(tienda, "aplicacion"):
            tienda.aplicacion.cerrar()
        else:
            tienda.app.close()
