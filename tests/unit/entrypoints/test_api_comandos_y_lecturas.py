"""What makes a command cheap over HTTP, kept honest: the document a command answers with
(read on the driver with prebuilt statements) is the one every other read shows, on
every backend; commands run a few at a time in threads; the server freezes what it built
at start."""

from __future__ import annotations

import asyncio
import gc
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from entorno_api import TOKEN_ADMIN, ajustes
from fastapi import FastAPI
from fastapi.testclient import TestClient

from apoyo_http import API, TiendaHttp, exigir
from prometeo.bootstrap import Aplicacion, bootstrap, crear_servicios
from prometeo.entrypoints import cli_servidor
from prometeo.entrypoints.api.app import crear_app
from prometeo.entrypoints.api.hilos import (
    PLAZAS_GRUPO,
    PLAZAS_SERVIDOR,
    PLAZAS_SQLITE,
    limitador_comandos,
)

CABECERAS = {"Authorization": f"Bearer {TOKEN_ADMIN}"}


@pytest.fixture
def tienda_en(url_base: str) -> Iterator[TiendaHttp]:
    """The API on a fresh database of the requested backend, seeded."""
    wired = bootstrap(ajustes(url_base))
    try:
        with TestClient(
            crear_app(wired), raise_server_exceptions=False, headers=CABECERAS
        ) as cliente:
            yield TiendaHttp(cliente).sembrar()
    finally:
        wired.cerrar()


@pytest.mark.parametrize("url_base", ["sqlite", "postgresql", "mariadb"], indirect=True)
def test_el_documento_que_responde_un_comando_es_el_de_toda_lectura(
    tienda_en: TiendaHttp,
) -> None:
    tienda = tienda_en
    tienda.ingresar("cafe", "5", "2.00")
    tienda.ingresar("cafe", "5", "3.00")
    tienda.ingresar("pan", "20", "0.40")
    creada = tienda.facturar(("cafe", "7"), ("pan", "3"), descuento_global={"porcentaje": "10"})
    # The factura by id (driver path) and in the listing (SQLAlchemy path) agree.
    assert tienda.get(f"/facturas/{creada['id']}") == creada
    assert tienda.get("/facturas")["items"] == [creada]
    assert creada["fecha_emision"] == "2026-11-29"
    assert creada["lineas"][0]["costo"] == "16.00"
    assert creada["notas_credito"] == []

    nota = tienda.post(
        "/notas-credito",
        {
            "factura_id": creada["id"],
            "motivo": "Devolución",
            "devolucion_inventario": True,
            "lineas": [{"producto_id": tienda.ids["cafe"], "cantidad": "2"}],
        },
    )
    assert tienda.get(f"/notas-credito/{nota['id']}") == nota
    assert tienda.get("/notas-credito", factura_id=creada["id"])["items"] == [nota]
    assert tienda.get("/notas-credito")["items"] == [nota]
    assert nota["devolucion_inventario"] is True
    assert nota["fecha_emision"] == "2026-11-29"

    con_nota = tienda.get(f"/facturas/{creada['id']}")
    assert con_nota["notas_credito"] == [nota["id"]]
    assert con_nota["lineas"][0]["cantidad_acreditada"] == "2"
    assert tienda.get("/facturas")["items"] == [con_nota]

    anulable = tienda.facturar(("pan", "1"), borrador=True)
    assert anulable["estado"] == "BORRADOR"
    assert anulable["numero"] is None
    emitida = tienda.post(f"/facturas/{anulable['id']}/emitir", None, status=200)
    assert emitida == tienda.get(f"/facturas/{anulable['id']}")
    anulada = tienda.post(
        f"/facturas/{anulable['id']}/anular", {"motivo": "Error de digitación"}, status=200
    )
    assert (anulada["estado"], anulada["motivo_anulacion"]) == ("ANULADA", "Error de digitación")
    assert anulada == tienda.get(f"/facturas/{anulable['id']}")


def test_leer_lo_que_no_existe_es_un_404(cliente: TestClient) -> None:
    for ruta in ("/facturas/no-existe", "/notas-credito/no-existe"):
        cuerpo = exigir(cliente.get(API + ruta), 404)
        assert cuerpo["errores"][0]["regla"] == "ExisteRecurso"


def _plazas(aplicacion: Aplicacion) -> int:
    """SQLite's places, for the commit mode this run has (PROMETEO_GRUPO_COMMIT)."""
    return PLAZAS_GRUPO if aplicacion.grupo is not None else PLAZAS_SQLITE


def test_el_limitador_de_comandos_depende_de_la_base(aplicacion: Aplicacion) -> None:
    assert limitador_comandos(crear_servicios(aplicacion)).total_tokens == _plazas(aplicacion)
    assert PLAZAS_SQLITE < PLAZAS_SERVIDOR


def test_con_commit_en_grupo_cada_cajero_tiene_plaza(tmp_path: Path) -> None:
    # A command that has had its turn waits for its batch's COMMIT: the places are what
    # lets the commands arriving meanwhile join the next batch.
    aplicacion = bootstrap(ajustes(f"sqlite:///{tmp_path / 'grupo.db'}", grupo_commit=True))
    try:
        assert limitador_comandos(crear_servicios(aplicacion)).total_tokens == PLAZAS_GRUPO
    finally:
        aplicacion.cerrar()
    assert PLAZAS_SQLITE < PLAZAS_GRUPO


def test_los_comandos_corren_pocos_a_la_vez(
    app_http: FastAPI, aplicacion: Aplicacion, tienda: TiendaHttp, monkeypatch: pytest.MonkeyPatch
) -> None:
    tienda.ingresar("cafe", "100", "2.00")
    candado = threading.Lock()
    corriendo, maximo = 0, 0
    original = aplicacion.facturas.crear_factura

    def crear_factura(*args: Any, **kwargs: Any) -> Any:
        nonlocal corriendo, maximo
        with candado:
            corriendo += 1
            maximo = max(maximo, corriendo)
        try:
            time.sleep(0.02)  # long enough for the others to pile up
            return original(*args, **kwargs)
        finally:
            with candado:
                corriendo -= 1

    monkeypatch.setattr(aplicacion.facturas, "crear_factura", crear_factura)
    cuerpo = tienda.cuerpo_factura(("cafe", "1"))
    plazas = _plazas(aplicacion)

    async def cajeros() -> list[httpx.Response]:
        transporte = httpx.ASGITransport(app=app_http)
        async with httpx.AsyncClient(
            transport=transporte, base_url="http://prueba", headers=CABECERAS
        ) as http:
            return await asyncio.gather(
                *(http.post(API + "/facturas", json=cuerpo) for _ in range(3 * plazas))
            )

    respuestas = asyncio.run(cajeros())
    assert [r.status_code for r in respuestas] == [201] * (3 * plazas)
    assert len({r.json()["numero"] for r in respuestas}) == 3 * plazas
    assert 1 < maximo <= plazas


def test_el_servidor_congela_lo_que_construyo_al_arrancar() -> None:
    try:
        cli_servidor.congelar_montaje()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
    modulo, nombre = cli_servidor.FABRICA_APP.split(":")
    assert modulo == cli_servidor.__name__
    assert callable(getattr(cli_servidor, nombre))
