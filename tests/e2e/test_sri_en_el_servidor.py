"""The SRI dispatcher inside the real `prometeo serve` process, against the simulated SRI
over HTTP: a process killed (SIGKILL) with a document in the SRI's hands is followed by
the next one to AUTORIZADO without sending anything twice; an SRI that is down when the
documents are emitted gets every one of them, once and in emission order, once it is up."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from servidor_real import Servidor, ejecutar, puerto_libre, servidor

from apoyo_comprobantes import CLAVE, certificado_de_prueba
from apoyo_http import API, TiendaHttp, exigir
from prometeo.infrastructure.sri.simulador import Caso, Servicio, SimuladorSri

T = TypeVar("T")
# A client timeout short enough for a test: a send left unanswered is taken as lost (and
# sent again) after twice this, and Recepción's programmed delay stays under it.
TIMEOUT_SRI = 2.0
# The lease a killed dispatcher keeps: how long the restarted process waits to dispatch.
ARRIENDO = 3.0
# A delay that never passes: the simulated SRI answers the first query about a received
# document EN PROCESO and decides at the next one (ESPERA_PRIMERA_CONSULTA + CONSULTAS[0]
# = 3 s after reception), so a document stays received and unauthorized that long.
SIN_DEMORA_PROPIA = 3600.0
EN_VUELO = "en vuelo"
RECIBIDO = "recibido"


def _variables(p12: Path, url_sri: str) -> dict[str, str]:
    return {
        "PROMETEO_FIRMA_ARCHIVO": str(p12),
        "PROMETEO_FIRMA_CLAVE": CLAVE,
        "PROMETEO_SRI_URL": url_sri,
        "PROMETEO_SRI_TIMEOUT": str(TIMEOUT_SRI),
        "PROMETEO_SRI_ARRIENDO": str(ARRIENDO),
    }


def _esperar(
    srv: Servidor, obtener: Callable[[], T], cumple: Callable[[T], bool], limite: float, que: str
) -> T:
    """Poll `obtener` until what it gives satisfies `cumple`; after `limite` seconds, fail
    naming what was awaited, what was seen last and the end of the server's log."""
    fin = time.monotonic() + limite
    while True:
        valor = obtener()
        if cumple(valor):
            return valor
        if time.monotonic() > fin:
            raise AssertionError(
                f"{que}: no ocurrió en {limite:.0f} s; lo último: {valor!r}\n"
                f"{srv.registro.read_text()[-3000:]}"
            )
        time.sleep(0.1)


def _bloques_sri(srv: Servidor, rutas: list[str]) -> Callable[[], list[dict[str, Any]]]:
    """What reads the `sri` block of each document."""

    def leer() -> list[dict[str, Any]]:
        with srv.cliente() as http:
            return [exigir(http.get(f"{API}{ruta}"), 200)["sri"] for ruta in rutas]

    return leer


def _todos_en(
    srv: Servidor, rutas: list[str], estados: set[str], limite: float
) -> list[dict[str, Any]]:
    return _esperar(
        srv,
        _bloques_sri(srv, rutas),
        lambda bloques: {b["estado"] for b in bloques} <= estados,
        limite,
        f"todos en {estados}",
    )


def _por_estado(url: str) -> dict[str, int]:
    """Documents per SRI state, as `prometeo sri estado` prints them from the database."""
    salida = ejecutar(url, "sri", "estado", COLUMNS="200")
    assert salida.returncode == 0, salida.stdout + salida.stderr
    filas = re.findall(r"│ ([A-Z ]+?) +│ +(\d+) +│", salida.stdout)
    return {estado: int(n) for estado, n in filas}


@pytest.mark.parametrize("momento", [EN_VUELO, RECIBIDO])
@pytest.mark.parametrize("url_base", ["sqlite", "postgresql"], indirect=True)
def test_muerto_con_un_documento_en_manos_del_sri(
    url_base: str, momento: str, tmp_path: Path
) -> None:
    """kill -9 of the server while Recepción is taking the factura in (sent, no answer
    recorded), or once both documents are received and not yet authorized; the next server
    on the same database asks the SRI before sending anything: AUTORIZADO, received once."""
    p12, _ = certificado_de_prueba(tmp_path)
    with SimuladorSri(demora=SIN_DEMORA_PROPIA) as simulador:
        variables = _variables(p12, simulador.url)
        with servidor(url_base, tmp_path, **variables) as srv, srv.cliente() as http:
            tienda = TiendaHttp(http).sembrar()
            tienda.ingresar("cafe", "10", "4.00")
            if momento == EN_VUELO:
                # The first reception (the factura's: documents go in emission order) takes
                # its time to answer; less than the client waits, so no answer is lost.
                simulador.programar(None, Caso.demora(Servicio.RECEPCION, TIMEOUT_SRI * 0.75))
            factura = tienda.facturar(("cafe", "2"))
            nota = tienda.devolver(factura)
            rutas = [f"/facturas/{factura['id']}", f"/notas-credito/{nota['id']}"]
            claves = [factura["clave_acceso"], nota["clave_acceso"]]
            if momento == EN_VUELO:
                _esperar(srv, lambda: simulador.recibidos(claves[0]), bool, 30, "la recepción")
            else:
                _todos_en(srv, rutas, {"RECIBIDA", "EN PROCESO"}, 30)
            srv.proceso.kill()  # the server process itself: servidor() runs no wrapper
            srv.proceso.wait(timeout=10)

        # What the dead process left (read from the database while no process runs): the
        # factura sent with no answer recorded, so still FIRMADO, and the nota behind it
        # never sent; or both received; none authorized. The kill hit the moment meant.
        dejado = _por_estado(url_base)
        if momento == EN_VUELO:
            assert dejado == {"FIRMADO": 2}, dejado
            assert simulador.recibidos(claves[1]) == 0
        else:
            assert sum(dejado.get(e, 0) for e in ("RECIBIDA", "EN PROCESO")) == 2, dejado

        with servidor(url_base, tmp_path, **variables) as srv, srv.cliente() as http:
            # Once the dead process's lease lapses, this one asks about the factura in
            # flight (the SRI has it, so it is not sent again) or the received ones.
            autorizados = _todos_en(srv, rutas, {"AUTORIZADO"}, ARRIENDO + 30)
            for ruta, clave, bloque in zip(rutas, claves, autorizados, strict=True):
                assert simulador.recibidos(clave) == 1, (ruta, simulador.recibidos(clave))
                assert bloque["numero_autorizacion"] == clave
                autorizacion = http.get(f"{API}{ruta}/autorizacion.xml")
                assert autorizacion.status_code == 200
                assert b"<estado>AUTORIZADO</estado>" in autorizacion.content


@pytest.mark.parametrize("url_base", ["sqlite", "postgresql"], indirect=True)
def test_el_sri_caido_y_luego_de_vuelta(url_base: str, tmp_path: Path) -> None:
    """Three facturas emitted while nothing listens at PROMETEO_SRI_URL: /health reports
    the SRI's error, each is tried and stays FIRMADO; once the SRI is up on that port, a
    fourth is emitted; all four are authorized, each received once, in emission order."""
    p12, _ = certificado_de_prueba(tmp_path)
    puerto = puerto_libre()
    variables = _variables(p12, f"http://127.0.0.1:{puerto}")
    with servidor(url_base, tmp_path, **variables) as srv, srv.cliente() as http:
        tienda = TiendaHttp(http).sembrar()
        tienda.ingresar("cafe", "10", "4.00")
        facturas = [tienda.facturar(("cafe", "1")) for _ in range(3)]
        rutas = [f"/facturas/{f['id']}" for f in facturas]
        claves = [f["clave_acceso"] for f in facturas]

        def error_sri() -> str | None:
            error: str | None = exigir(http.get("/health"), 200)["sri"]["error_sri"]
            return error

        error = _esperar(srv, error_sri, bool, 30, "el error del SRI en /health")
        assert "No se pudo conectar con el SRI" in str(error)
        # Two failures in a row tell the dispatcher the SRI is down: it pauses, so the
        # two oldest show the error and when they go again; the third waits its turn.
        caidos = _esperar(
            srv,
            _bloques_sri(srv, rutas),
            lambda bloques: all(b["ultimo_error"] for b in bloques[:2]),
            30,
            "un fallo de las dos primeras facturas",
        )
        for bloque in caidos[:2]:
            assert "No se pudo conectar con el SRI" in bloque["ultimo_error"], bloque
            assert bloque["proximo_intento"] is not None, bloque
        assert [b["estado"] for b in caidos] == ["FIRMADO"] * 3

        with SimuladorSri(puerto=puerto, demora=0) as simulador:
            # Emitted once the SRI is back, while the dispatcher still waits out its pause:
            # it must not overtake the three older ones.
            tardia = tienda.facturar(("cafe", "1"))
            rutas.append(f"/facturas/{tardia['id']}")
            claves.append(tardia["clave_acceso"])
            # The sends that failed never connected (nothing listened), so once the pause
            # is over they go again at once, oldest first. The bound only catches a
            # document left behind.
            autorizados = _todos_en(srv, rutas, {"AUTORIZADO"}, 60)
            assert [simulador.recibidos(c) for c in claves] == [1, 1, 1, 1]
            assert simulador.claves_recibidas() == claves
        despejados = [(b["ultimo_error"], b["proximo_intento"]) for b in autorizados]
        assert despejados == [(None, None)] * 4
        salud = exigir(http.get("/health"), 200)["sri"]
        assert (salud["error_sri"], salud["en_curso"]) == (None, 0)
