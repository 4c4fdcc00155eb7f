"""One door for the entry points: the routes see only the Servicios that bootstrap builds,
every write route runs its command the one way (`Contexto.comando`), and the command line
gets the database from bootstrap's tasks."""

from __future__ import annotations

import inspect
import socket
import urllib.request
from dataclasses import fields
from pathlib import Path

from fastapi import FastAPI
from fastapi.routing import APIRoute
from sqlalchemy import Engine

from prometeo.application.acceso import Rol
from prometeo.bootstrap import (
    Aplicacion,
    Servicios,
    actualizar_esquema,
    crear_servicios,
    crear_token,
    servir_metricas,
)
from prometeo.entrypoints.api import (
    rutas_catalogo,
    rutas_facturas,
    rutas_inventario,
    rutas_notas_credito,
    rutas_salud,
    rutas_sistema,
)
from prometeo.infrastructure.db.engine import crear_engine
from prometeo.infrastructure.db.tokens import AlmacenTokens
from prometeo.infrastructure.settings import Settings

ESCRITURAS = {"POST", "PUT", "PATCH", "DELETE"}


def _rutas() -> list[APIRoute]:
    modulos = (
        rutas_catalogo,
        rutas_facturas,
        rutas_inventario,
        rutas_notas_credito,
        rutas_salud,
        rutas_sistema,
    )
    return [r for m in modulos for r in m.router.routes if isinstance(r, APIRoute)]


def test_cada_ruta_de_escritura_corre_su_comando_por_el_limitador() -> None:
    escrituras = [r for r in _rutas() if r.methods & ESCRITURAS]
    assert len(escrituras) >= 13  # facturas, notas, inventario, catálogo, tokens
    for ruta in escrituras:
        assert inspect.iscoroutinefunction(ruta.endpoint), ruta.path
        assert "await ctx.comando(" in inspect.getsource(ruta.endpoint), ruta.path


def test_las_rutas_ven_los_servicios_y_no_la_aplicacion(
    app_http: FastAPI, aplicacion: Aplicacion
) -> None:
    servicios = app_http.state.servicios
    assert isinstance(servicios, Servicios)
    assert not hasattr(app_http.state, "aplicacion")
    assert servicios.facturas is aplicacion.facturas
    assert servicios.consultas is aplicacion.consultas
    for campo in fields(Servicios):
        valor = getattr(servicios, campo.name)
        assert not isinstance(valor, (Engine, Aplicacion)), campo.name


def test_los_escritores_van_por_turnos_en_sqlite(aplicacion: Aplicacion) -> None:
    assert crear_servicios(aplicacion).escritores_en_turno


def test_las_tareas_de_la_linea_de_comandos(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'tareas.db'}", admin_token=None)
    assert actualizar_esquema(settings) is True
    assert actualizar_esquema(settings) is False
    emitido = crear_token("Auditoría", "contador", settings)
    assert emitido.rol is Rol.CONTADOR
    engine = crear_engine(settings.database_url)
    try:
        portador = AlmacenTokens(engine).portador(emitido.token)
    finally:
        engine.dispose()
    assert portador is not None
    assert (portador.nombre, portador.rol) == ("Auditoría", Rol.CONTADOR)


def test_un_seguidor_sirve_sus_metricas_desde_bootstrap(aplicacion: Aplicacion) -> None:
    with socket.socket() as libre:
        libre.bind(("127.0.0.1", 0))
        puerto = libre.getsockname()[1]
    aplicacion.metricas.eventos_publicados.inc(3)
    servir_metricas(aplicacion, puerto)
    texto = urllib.request.urlopen(f"http://127.0.0.1:{puerto}/metrics", timeout=5).read()
    assert b"prometeo_eventos_publicados_total 3.0" in texto
