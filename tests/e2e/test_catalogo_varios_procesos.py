"""`prometeo serve --workers 2` on PostgreSQL: a catalog change made through one worker is
seen by the next request on either, although each process keeps the product in memory.

One connection is held to each worker (told apart by the pid that owns the server's end
of the socket). Both read the product first (GET, and facturas that price it), so both
caches hold it; then it is changed through one worker, and every later request on both
must show the change: the price a new factura takes, a refusal once it is inactive."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from servidor_real import HOY, Servidor, servidor
from trabajadores import hijos, trabajador_que_respondio

from apoyo_http import API, TiendaHttp, exigir, reglas

# Requests of each kind on each worker after a change: the change is seen every time,
# not eventually.
REPETICIONES = 4
_CONEXIONES_MAXIMAS = 60


class Trabajador:
    """One HTTP connection to one worker process; each answer is checked to come from it."""

    def __init__(self, pid: int, http: httpx.Client, todos: list[int]) -> None:
        self.pid, self.http, self._todos = pid, http, todos

    def pedir(self, metodo: str, ruta: str, **opciones: Any) -> httpx.Response:
        respuesta = self.http.request(metodo, API + ruta, **opciones)
        # A connection the server closed (keep-alive timeout) is reopened by httpx, maybe
        # to the other worker: then this request proved nothing about this one.
        assert trabajador_que_respondio(respuesta, self._todos) == self.pid
        return respuesta


@contextmanager
def _uno_por_trabajador(srv: Servidor) -> Iterator[list[Trabajador]]:
    """A connection to each of the two workers: new connections until both have one (the
    kernel hands each to whichever worker accepts it first)."""
    pids: list[int] = []
    for _ in range(100):  # the workers start after the supervisor answers /health
        pids = [p for p in hijos(srv.proceso.pid) if _es_trabajador(p)]
        if len(pids) == 2:
            break
        time.sleep(0.1)
    assert len(pids) == 2, pids
    por_pid: dict[int, httpx.Client] = {}
    sobrantes = []
    try:
        for _ in range(_CONEXIONES_MAXIMAS):
            http = srv.cliente()
            salud = http.get("/health")
            assert salud.status_code == 200, salud.text
            pid = trabajador_que_respondio(salud, pids)
            if pid in por_pid:
                sobrantes.append(http)
            else:
                por_pid[pid] = http
            if len(por_pid) == 2:
                break
        assert len(por_pid) == 2, f"{_CONEXIONES_MAXIMAS} conexiones, todas a {list(por_pid)}"
        yield [Trabajador(pid, http, pids) for pid, http in sorted(por_pid.items())]
    finally:
        for http in [*por_pid.values(), *sobrantes]:
            http.close()


def _es_trabajador(pid: int) -> bool:
    # uvicorn's workers are spawned Python processes; the multiprocessing resource tracker
    # is one too, and is told apart by its command line.
    try:
        linea = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return b"resource_tracker" not in linea


def _factura(tienda: TiendaHttp, trabajador: Trabajador, producto: str) -> httpx.Response:
    return trabajador.pedir("POST", "/facturas", json=tienda.cuerpo_factura((producto, "1")))


def _linea(respuesta: httpx.Response) -> dict[str, Any]:
    (linea,) = exigir(respuesta, 201)["lineas"]
    resultado: dict[str, Any] = linea
    return resultado


def _calentar(tienda: TiendaHttp, trabajadores: list[Trabajador], producto: str) -> None:
    """Every worker reads the product, through a read and through a sale: both keep it."""
    for trabajador in trabajadores:
        for _ in range(2):
            exigir(trabajador.pedir("GET", f"/productos/{tienda.ids[producto]}"), 200)
            _linea(_factura(tienda, trabajador, producto))


@pytest.mark.parametrize("url_base", ["postgresql"], indirect=True)
def test_un_cambio_del_catalogo_se_ve_en_todos_los_procesos(url_base: str, tmp_path: Path) -> None:
    with servidor(url_base, tmp_path, workers=2) as srv, _uno_por_trabajador(srv) as (a, b):
        tienda = TiendaHttp(a.http).sembrar()
        tienda.ingresar("cafe", "1000", "4.00")
        tienda.ingresar("pan", "1000", "0.50")
        cafe, pan = tienda.ids["cafe"], tienda.ids["pan"]
        _calentar(tienda, [a, b], "cafe")
        _calentar(tienda, [a, b], "pan")

        # A new price, through a: b's copy is stale, and a's too (read before the change).
        cambio = a.pedir("PATCH", f"/productos/{cafe}", json={"precio": "9.25"})
        assert exigir(cambio, 200)["precio"] == "9.25"
        for _ in range(REPETICIONES):
            for trabajador in (b, a):
                visto = exigir(trabajador.pedir("GET", f"/productos/{cafe}"), 200)
                assert visto["precio"] == "9.25", trabajador.pid
                assert _linea(_factura(tienda, trabajador, "cafe"))["precio_unitario"] == "9.25"
        for trabajador in (a, b):
            historial = exigir(
                trabajador.pedir("GET", f"/productos/{cafe}/historial", params={"campo": "precio"}),
                200,
            )
            # The creation, then the change: the price before and after, on either worker.
            precios = [
                (c["antes"], c["despues"])
                for cambio in historial["items"]
                for c in cambio["campos"]
                if c["campo"] == "precio"
            ]
            assert precios == [(None, "8.00"), ("8.00", "9.25")]

        # Deactivated through b: a sale of it is refused on both, every time.
        exigir(b.pedir("PATCH", f"/productos/{cafe}", json={"activo": False}), 200)
        for _ in range(REPETICIONES):
            for trabajador in (a, b):
                assert exigir(trabajador.pedir("GET", f"/productos/{cafe}"), 200)["activo"] is False
                rechazo = _factura(tienda, trabajador, "cafe")
                assert rechazo.status_code == 422, rechazo.text
                assert "ProductoActivo" in reglas(rechazo)

        # A tarifa announced for tomorrow, through a: today's sales keep today's tarifa,
        # and both show what is coming.
        manana = (HOY + timedelta(days=1)).isoformat()
        programada = {"tarifa_iva": "4", "vigente_desde": manana}
        exigir(a.pedir("PATCH", f"/productos/{pan}", json=programada), 200)
        for _ in range(REPETICIONES):
            for trabajador in (b, a):
                visto = exigir(trabajador.pedir("GET", f"/productos/{pan}"), 200)
                assert (visto["tarifa_iva"], visto["tarifa_iva_programada"]) == ("0", programada)
                assert _linea(_factura(tienda, trabajador, "pan"))["tarifa_iva"] == "0"
        # Given today, the same change applies at once: the next sale on either takes it.
        hoy = {"tarifa_iva": "4", "vigente_desde": HOY.isoformat()}
        exigir(b.pedir("PATCH", f"/productos/{pan}", json=hoy), 200)
        for trabajador in (a, b):
            assert _linea(_factura(tienda, trabajador, "pan"))["tarifa_iva"] == "4"
