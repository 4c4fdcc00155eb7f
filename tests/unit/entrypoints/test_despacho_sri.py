"""The SRI dispatcher's rounds against the simulated SRI, on SQLite, with a clock the test
moves: an outage pauses the whole dispatcher (nothing emitted meanwhile overtakes an older
document), a failure of one document alone does not, a send that never connected is sent
again without waiting, and /health keeps the SRI's error while it lasts."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from entorno_api import TOKEN_ADMIN, ajustes
from fastapi.testclient import TestClient

from apoyo_comprobantes import CLAVE, Reloj, certificado_de_prueba
from apoyo_http import API, TiendaHttp, exigir
from prometeo.bootstrap import Aplicacion, bootstrap
from prometeo.entrypoints.api.app import crear_app
from prometeo.infrastructure.sri.despachador import REINTENTOS, DespachadorSri
from prometeo.infrastructure.sri.simulador import SimuladorSri
from prometeo.infrastructure.sri.simulador_casos import Caso, Servicio


def _puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        puerto: int = s.getsockname()[1]
        return puerto


class Montaje:
    """prometeo pointed at a port where the simulated SRI may or may not listen."""

    def __init__(self, aplicacion: Aplicacion, http: TestClient, puerto: int) -> None:
        self.aplicacion = aplicacion
        self.http = http
        self.puerto = puerto
        self.reloj = Reloj()
        assert aplicacion.despachador is not None
        self.despachador: DespachadorSri = aplicacion.despachador
        self.despachador.reloj = self.reloj
        self.tienda = TiendaHttp(http).sembrar()
        self.tienda.ingresar("cafe", "20", "4.00")

    def facturar(self) -> Any:
        factura = self.tienda.facturar(("cafe", "1"))
        assert self.aplicacion.firmador is not None
        self.aplicacion.firmador.ronda()
        return factura

    def sri(self, factura: Any) -> Any:
        return exigir(self.http.get(f"{API}/facturas/{factura['id']}"), 200)["sri"]

    def tipos(self, factura: Any) -> list[str]:
        eventos = self.tienda.get("/eventos", limite=1000)["items"]
        return [e["tipo"] for e in eventos if e["stream_id"] == f"factura-{factura['id']}"]


@pytest.fixture
def montaje(url_api: str, tmp_path: Path) -> Iterator[Montaje]:
    p12, _ = certificado_de_prueba(tmp_path)
    puerto = _puerto_libre()
    aplicacion = bootstrap(
        ajustes(
            url_api,
            firma_archivo=p12,
            firma_clave=CLAVE,
            sri_url=f"http://127.0.0.1:{puerto}",
            sri_timeout=1.0,
        )
    )
    try:
        cabeceras = {"Authorization": f"Bearer {TOKEN_ADMIN}"}
        with TestClient(crear_app(aplicacion), headers=cabeceras) as http:
            yield Montaje(aplicacion, http, puerto)
    finally:
        aplicacion.cerrar()


def test_tras_una_caida_nada_adelanta_a_un_documento_mas_antiguo(montaje: Montaje) -> None:
    primera = montaje.facturar()
    ronda = montaje.despachador.ronda()  # nothing listens: the SRI is down
    assert ronda.transitorios == 1
    assert "No se pudo conectar con el SRI" in str(montaje.sri(primera)["ultimo_error"])
    # The send never connected: recorded as surely not delivered.
    assert "ComprobanteNoEntregado" in montaje.tipos(primera)
    with SimuladorSri(puerto=montaje.puerto, demora=0) as simulador:
        segunda = montaje.facturar()  # the SRI is back, the dispatcher still paused
        pausada = montaje.despachador.ronda()
        assert pausada.en_pausa
        assert simulador.claves_recibidas() == []
        # /health keeps saying why while the dispatcher waits.
        salud = exigir(montaje.http.get("/health"), 200)["sri"]
        assert "No se pudo conectar" in str(salud["error_sri"])
        montaje.reloj.avanzar(REINTENTOS[0])
        montaje.despachador.ronda()
        # Never connected, so sent again at once (no waiting to see if it arrived), and
        # before the factura emitted after it.
        claves = [primera["clave_acceso"], segunda["clave_acceso"]]
        assert simulador.claves_recibidas() == claves
        assert exigir(montaje.http.get("/health"), 200)["sri"]["error_sri"] is None
        assert montaje.sri(primera)["ultimo_error"] is None


def test_la_falla_de_un_solo_documento_no_detiene_a_los_demas(montaje: Montaje) -> None:
    with SimuladorSri(puerto=montaje.puerto, demora=0) as simulador:
        primera, segunda = montaje.facturar(), montaje.facturar()
        simulador.programar(primera["clave_acceso"], Caso.http_502(Servicio.RECEPCION, veces=5))
        ronda = montaje.despachador.ronda()
        assert (ronda.transitorios, ronda.enviados, ronda.en_pausa) == (1, 1, False)
        assert montaje.sri(segunda)["estado"] == "RECIBIDA"
        sri = montaje.sri(primera)
        assert "HTTP 502" in sri["ultimo_error"]
        assert sri["proximo_intento"] is not None
        # The SRI answers: the next round is not paused (the second one is asked about).
        montaje.reloj.avanzar(1)
        assert not montaje.despachador.ronda().en_pausa


def test_una_caida_larga_espera_cada_vez_mas_entre_rondas(montaje: Montaje) -> None:
    montaje.facturar()
    esperas = []
    for _ in range(4):
        antes = montaje.reloj()
        assert montaje.despachador.ronda().transitorios == 1
        esperas.append(montaje.despachador.pausa_hasta - antes)
        montaje.reloj.avanzar(esperas[-1] - 0.1)
        assert montaje.despachador.ronda().en_pausa  # not a moment before
        montaje.reloj.avanzar(0.1)
    assert esperas == pytest.approx(list(REINTENTOS[:4]), abs=0.01)
