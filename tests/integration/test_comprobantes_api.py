"""A factura and a nota de crédito emitted through the API come back signed, valid and
verified, with their RIDE, on every backend (the same walk as the SQLite unit test)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from apoyo_comprobantes import (
    CLAVE,
    certificado_de_prueba,
    recorrido_correccion,
    recorrido_firma,
    recorrido_sri,
)
from apoyo_http import TiendaHttp
from bases_de_datos import todos_los_backends
from prometeo.bootstrap import Aplicacion, bootstrap
from prometeo.entrypoints.api.app import crear_app
from prometeo.infrastructure.db.tablas import eventos
from prometeo.infrastructure.proyecciones import EMBEBIDAS
from prometeo.infrastructure.proyecciones.tablas import checkpoints_proyeccion
from prometeo.infrastructure.settings import Settings
from prometeo.infrastructure.sri.simulador import SimuladorSri

TOKEN = "admin-de-integracion-0123456789abcdefghijklmnopq"


def _ajustes(url: str, p12: Path, sri_url: str) -> Settings:
    return Settings(
        database_url=url,
        admin_token=TOKEN,
        broker_url=None,
        firma_archivo=p12,
        firma_clave=CLAVE,  # type: ignore[arg-type]
        sri_url=sri_url,
        sri_timeout=1.0,
    )


@todos_los_backends
def test_documentos_firmados_por_la_api(url_base: str, tmp_path: Path) -> None:
    p12, ca = certificado_de_prueba(tmp_path)
    settings = Settings(
        database_url=url_base,
        admin_token=TOKEN,
        broker_url=None,
        firma_archivo=p12,
        firma_clave=CLAVE,  # type: ignore[arg-type]
    )
    aplicacion = bootstrap(settings)
    try:
        cabeceras = {"Authorization": f"Bearer {TOKEN}"}
        with TestClient(crear_app(aplicacion), headers=cabeceras) as http:
            recorrido_firma(http, aplicacion, ca)
    finally:
        aplicacion.cerrar()


def _con_sri_simulado(
    url_base: str,
    tmp_path: Path,
    recorrido: Callable[[TestClient, Aplicacion, SimuladorSri], None],
) -> None:
    p12, _ = certificado_de_prueba(tmp_path)
    with SimuladorSri(demora=0) as simulador:
        aplicacion = bootstrap(_ajustes(url_base, p12, simulador.url))
        try:
            cabeceras = {"Authorization": f"Bearer {TOKEN}"}
            with TestClient(crear_app(aplicacion), headers=cabeceras) as http:
                recorrido(http, aplicacion, simulador)
        finally:
            aplicacion.cerrar()


@pytest.mark.parametrize("url_base", ["sqlite", "postgresql"], indirect=True)
def test_del_pendiente_al_autorizado_con_el_sri_simulado(url_base: str, tmp_path: Path) -> None:
    _con_sri_simulado(url_base, tmp_path, recorrido_sri)


@pytest.mark.parametrize("url_base", ["postgresql"], indirect=True)
def test_un_comprobante_detenido_se_corrige_y_reenvia(url_base: str, tmp_path: Path) -> None:
    _con_sri_simulado(url_base, tmp_path, recorrido_correccion)


@pytest.mark.parametrize("url_base", ["postgresql"], indirect=True)
def test_dos_despachadores_nunca_envian_dos_veces_la_misma_clave(
    url_base: str, tmp_path: Path
) -> None:
    """Two dispatchers on one PostgreSQL database, both told they hold the lease (as if
    it had lapsed under one of them), race over the same documents in threads: every
    clave reaches the SRI exactly once."""
    p12, _ = certificado_de_prueba(tmp_path)
    with SimuladorSri(demora=0) as simulador:
        primera = bootstrap(_ajustes(url_base, p12, simulador.url))
        segunda = bootstrap(_ajustes(url_base, p12, simulador.url))
        try:
            cabeceras = {"Authorization": f"Bearer {TOKEN}"}
            with TestClient(crear_app(primera), headers=cabeceras) as http:
                tienda = TiendaHttp(http).sembrar()
                tienda.ingresar("cafe", "100", "4.00")
                claves = [tienda.facturar(("cafe", "1"))["clave_acceso"] for _ in range(12)]
                assert primera.firmador is not None
                primera.firmador.ronda()
                despachadores = [a.despachador for a in (primera, segunda)]
                for despachador in despachadores:
                    assert despachador is not None
                    despachador.arriendo.tomar = lambda: True  # type: ignore[method-assign]
                hilos = [
                    threading.Thread(target=d.ronda)  # type: ignore[union-attr]
                    for d in despachadores
                    for _ in range(2)
                ]
                for hilo in hilos:
                    hilo.start()
                for hilo in hilos:
                    hilo.join()
                assert [simulador.recibidos(c) for c in claves] == [1] * len(claves)
                # Each document's own events say it was sent once and answered.
                for clave in claves:
                    tipos = _tipos_sri(primera, clave)
                    assert tipos.count("ComprobanteEnviado") == 1, tipos
                    # Answered: by its Recepción, or (the other dispatcher asked meanwhile)
                    # by Autorización.
                    respuestas = {"ComprobanteRecibido", "ComprobanteEnProceso"}
                    assert (respuestas | {"ComprobanteAutorizado"}) & set(tipos), tipos
                # Both wrote at once, as two processes would: the embedded read models of
                # each kept up with every event (their checkpoints moved with every append;
                # the reports' wait for a report).
                cp = checkpoints_proyeccion
                with primera.engine.connect() as conexion:
                    ultima = conexion.execute(select(func.max(eventos.c.posicion))).scalar()
                    puntos = conexion.execute(
                        select(cp.c.posicion).where(cp.c.nombre.in_(EMBEBIDAS))
                    )
                    assert set(puntos.scalars()) == {ultima}
        finally:
            primera.cerrar()
            segunda.cerrar()


def test_un_solo_despachador_tiene_el_arriendo(url_base: str, tmp_path: Path) -> None:
    p12, _ = certificado_de_prueba(tmp_path)
    primera = bootstrap(_ajustes(url_base, p12, "http://127.0.0.1:9"))
    segunda = bootstrap(_ajustes(url_base, p12, "http://127.0.0.1:9"))
    try:
        assert primera.despachador is not None
        assert segunda.despachador is not None
        assert primera.despachador.arriendo.tomar()
        assert not segunda.despachador.arriendo.tomar()
        assert segunda.despachador.ronda().sin_arriendo
        primera.despachador.arriendo.soltar()  # what stopping does; a crash lapses it
        assert segunda.despachador.arriendo.tomar()
        assert not primera.despachador.arriendo.tomar()
    finally:
        primera.cerrar()
        segunda.cerrar()


def _tipos_sri(aplicacion: Aplicacion, clave: str) -> list[str]:
    """The types of the SRI events of the document with this clave, in stream order."""
    eventos = aplicacion.consultas.eventos(limite=1000)
    documento = next(
        e.stream_id for e in eventos if e.tipo == "FacturaEmitida" and clave in str(e.datos)
    )
    return [e.tipo for e in eventos if e.stream_id == documento and e.tipo.startswith("Comp")]
