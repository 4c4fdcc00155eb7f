"""`prometeo serve` under load over HTTP, shared by parts 5 and 12: the server in its own
process, 16 clients POSTing /api/v1/facturas and a 17th that tops stock up through POST
/api/v1/inventario/ingresos as the others consume it (its requests are not counted); per
time window, the answers and the CPU each side spent; req/s, p50 and p99 per window."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from benchmarks import cpu
from benchmarks.comun import percentil
from benchmarks.escenario import (
    BODEGA,
    CANTIDAD_LINEA,
    CLIENTE,
    HOY,
    abrir,
    preparar_catalogo,
)

CLIENTES = 16
# Units per lot received by the top-up client: one client, whose requests queue behind the
# sixteen others, must add stock faster than they take it (3 units × 5 products a factura).
LOTE_HTTP = 600
# Facturas' worth of stock kept ahead of the clients: a top-up request waits for the
# SQLite write lock like any other (seconds, at the tail), so the margin is wide.
ADELANTO = 1_000
TOKEN = "bench-admin-token-0123456789abcdef"


def _puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def preparar_base(url: str, productos: list[str]) -> None:
    """The catalog the clients sell from, one punto de emisión per client (no stock yet:
    the server receives it, see `Sesion.abrir`)."""
    aplicacion = abrir(url)
    preparar_catalogo(aplicacion, productos, [f"punto{i}" for i in range(CLIENTES)])
    aplicacion.cerrar()


class _Servidor:
    """`prometeo serve` in its own process over `url`, with `workers` worker processes."""

    def __init__(self, url: str, puerto: int, registro: Path, workers: int = 1) -> None:
        entorno = {
            **os.environ,
            "PROMETEO_DATABASE_URL": url,
            "PROMETEO_ADMIN_TOKEN": TOKEN,
            "PROMETEO_HOY": HOY.isoformat(),
        }
        ejecutable = Path(sys.executable).with_name("prometeo")
        orden = [str(ejecutable), "serve", "--host", "127.0.0.1", "--port", str(puerto)]
        orden += ["--workers", str(workers)]
        self.salida = open(registro, "wb")  # noqa: SIM115
        self.proceso = subprocess.Popen(
            orden,
            env=entorno,
            stdout=self.salida,
            stderr=subprocess.STDOUT,
        )

    def parar(self) -> None:
        if self.proceso.poll() is None:
            self.proceso.send_signal(signal.SIGINT)
            try:
                self.proceso.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proceso.kill()
                self.proceso.wait()
        self.salida.close()


def cuerpo_factura(punto: str, productos: list[str]) -> dict[str, Any]:
    return {
        "punto_emision_id": punto,
        "bodega_id": BODEGA,
        "cliente_id": CLIENTE,
        "lineas": [{"producto_id": p, "cantidad": str(CANTIDAD_LINEA)} for p in productos],
    }


def _ingreso(producto: str) -> dict[str, str]:
    return {
        "producto_id": producto,
        "bodega_id": BODEGA,
        "cantidad": str(LOTE_HTTP),
        "costo_unitario": "1.50",
    }


class _Carga:
    """The 16 clients and the top-up client, sharing one stop flag. Client i sells
    `ventas[i]` (the same products for all, or each its own)."""

    def __init__(self, base: str, ventas: list[list[str]]) -> None:
        self.base = base
        self.ventas = ventas
        self.parar = threading.Event()
        self.muestras: list[tuple[float, float, int]] = []  # (end time, seconds, status)
        self.candado = threading.Lock()
        # Units asked of each product, counted before the request is sent: what the top-up
        # client must stay ahead of includes the requests in flight.
        self.pedidas: Counter[str] = Counter()
        vendedores = Counter(p for productos in ventas for p in productos)
        # Stock kept ahead of each product: ADELANTO facturas' worth in proportion to the
        # clients that sell it, and never under one lot.
        self.margen = {
            p: max(LOTE_HTTP, ADELANTO * CANTIDAD_LINEA * n // CLIENTES)
            for p, n in vendedores.items()
        }
        # Units received so far, per product (kept from one window to the next).
        self.ingresadas = {p: lotes * LOTE_HTTP for p, lotes in self.lotes_iniciales().items()}
        self.error: str | None = None

    def pedir(self, i: int) -> dict[str, Any]:
        """Client i's factura, its units counted as asked for."""
        with self.candado:
            self.pedidas.update(dict.fromkeys(self.ventas[i], CANTIDAD_LINEA))
        return cuerpo_factura(f"punto{i}", self.ventas[i])

    def lotes_iniciales(self) -> dict[str, int]:
        """Lots of LOTE_HTTP each product receives before the clients start."""
        return {p: -(-margen // LOTE_HTTP) for p, margen in self.margen.items()}

    def cliente(self, i: int) -> None:
        import httpx

        cabeceras = {"Authorization": f"Bearer {TOKEN}"}
        with httpx.Client(base_url=self.base, headers=cabeceras, timeout=60) as http:
            while not self.parar.is_set():
                cuerpo = self.pedir(i)
                inicio = time.perf_counter()
                respuesta = http.post("/api/v1/facturas", json=cuerpo)
                fin = time.perf_counter()
                with self.candado:
                    self.muestras.append((fin, fin - inicio, respuesta.status_code))
                    if respuesta.status_code != 201 and self.error is None:
                        self.error = f"{respuesta.status_code} {respuesta.text[:300]}"

    def reponedor(self) -> None:
        """Tops up every product that falls under its margin."""
        import httpx

        ingresadas = self.ingresadas
        cabeceras = {"Authorization": f"Bearer {TOKEN}"}
        with httpx.Client(base_url=self.base, headers=cabeceras, timeout=60) as http:
            while not self.parar.is_set():
                with self.candado:
                    faltan = [
                        p for p, m in self.margen.items() if ingresadas[p] - self.pedidas[p] < m
                    ]
                for p in faltan:
                    respuesta = http.post("/api/v1/inventario/ingresos", json=_ingreso(p))
                    # A server that runs writers concurrently may answer 409 when the
                    # clients' facturas keep taking the same stock: the next round retries.
                    if respuesta.status_code != 409:
                        respuesta.raise_for_status()
                        ingresadas[p] += LOTE_HTTP
                if not faltan:
                    time.sleep(0.005)


def _esperar(base: str, servidor: _Servidor, segundos: float = 30.0) -> str | None:
    import httpx

    limite = time.time() + segundos
    while time.time() < limite:
        if servidor.proceso.poll() is not None:
            return f"el servidor terminó con código {servidor.proceso.returncode}"
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return None
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    return "el servidor no respondió /health a tiempo"


@dataclass
class Ventana:
    """One time window of a load: the answers that ended in it, and the CPU seconds each
    side spent in it ("servidor": `serve` and its workers; "clientes": this process, the
    clients' threads; "base": the database's server processes, when they were given)."""

    desde: float
    segundos: float
    muestras: list[tuple[float, float, int]]  # (end time, seconds, status)
    cpu_s: dict[str, float]

    def cortar(self, partes: int) -> list[Ventana]:
        """`partes` consecutive windows of equal length. The CPU is spread evenly among
        them: only its sum over windows is used (`resumir`)."""
        largo = self.segundos / partes
        return [
            Ventana(
                desde,
                largo,
                [m for m in self.muestras if desde <= m[0] < desde + largo],
                {k: v / partes for k, v in self.cpu_s.items()},
            )
            for desde in (self.desde + k * largo for k in range(partes))
        ]


class Sesion:
    """`prometeo serve --workers N` over a database prepared by `preparar_base`, stocked
    (`abrir`), then loaded by the clients for as many windows as asked (`cargar`); client i
    sells `ventas[i]`. `procesos_base` lists the database server's processes that serve it,
    whose CPU is then counted too."""

    def __init__(
        self,
        url: str,
        dir_: Path,
        ventas: list[list[str]],
        workers: int = 1,
        procesos_base: Callable[[], list[int]] | None = None,
    ) -> None:
        puerto = _puerto_libre()
        self.base = f"http://127.0.0.1:{puerto}"
        self.registro = dir_ / f"servidor_{puerto}.log"
        self.servidor = _Servidor(url, puerto, self.registro, workers)
        self.carga = _Carga(self.base, ventas)
        self.procesos_base = procesos_base

    def __enter__(self) -> Sesion:
        return self

    def __exit__(
        self,
        tipo: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.servidor.parar()

    def abrir(self) -> str | None:
        """Wait for the server, stock every product, emit one factura. A string instead:
        why the API could not be served."""
        import httpx

        motivo = _esperar(self.base, self.servidor)
        autorizacion = {"Authorization": f"Bearer {TOKEN}"}
        if motivo is None:
            for p, lotes in self.carga.lotes_iniciales().items():
                for _ in range(lotes):
                    httpx.post(
                        f"{self.base}/api/v1/inventario/ingresos",
                        headers=autorizacion,
                        json=_ingreso(p),
                        timeout=30,
                    ).raise_for_status()
            prueba = httpx.post(
                f"{self.base}/api/v1/facturas",
                json=self.carga.pedir(0),
                headers=autorizacion,
                timeout=30,
            )
            if prueba.status_code != 201:
                motivo = (
                    f"POST /api/v1/facturas respondió {prueba.status_code}: {prueba.text[:200]}"
                )
        if motivo is None:
            return None
        self.servidor.parar()
        return f"{motivo} | {self.registro.read_text(errors='replace')[-400:]}"

    def cargar(self, calentar: float, segundos: float) -> Ventana:
        """Run the clients and the top-up client for `calentar` + `segundos`; the window is
        the last `segundos`."""
        carga = self.carga
        carga.parar.clear()
        hilos = [
            threading.Thread(target=carga.cliente, args=(i,), daemon=True) for i in range(CLIENTES)
        ]
        hilos.append(threading.Thread(target=carga.reponedor, daemon=True))
        for h in hilos:
            h.start()
        time.sleep(calentar)
        desde, antes = time.perf_counter(), self._leer_cpu()
        time.sleep(segundos)
        hasta, despues = time.perf_counter(), self._leer_cpu()
        carga.parar.set()
        for h in hilos:
            h.join(timeout=60)
        muestras = [m for m in carga.muestras if desde <= m[0] < hasta]
        carga.muestras.clear()
        cpu_s = {k: cpu.entre(antes[k], despues[k]) for k in antes}
        return Ventana(desde, hasta - desde, muestras, cpu_s)

    def _leer_cpu(self) -> dict[str, dict[int, float]]:
        """CPU seconds used so far, per process: the server's process tree, this process,
        the database's processes (`cpu.entre` subtracts two readings)."""
        lectura = {
            "servidor": cpu.segundos(cpu.arbol(self.servidor.proceso.pid)),
            "clientes": cpu.segundos([os.getpid()]),
        }
        if self.procesos_base is not None:
            lectura["base"] = cpu.segundos(self.procesos_base())
        return lectura


@dataclass
class Tramos:
    """One value per window: req/s (201 answers), p50 and p99 of their latency (ms), and
    the other answers; the first answer that was not 201; CPU milliseconds per answered
    request over all the windows, per side (empty without /proc)."""

    rps: list[float]
    p50: list[float]
    p99: list[float]
    errores: list[int]
    primer_error: str | None
    cpu_ms: dict[str, float] = field(default_factory=dict)


def resumir(ventanas: list[Ventana], primer_error: str | None) -> Tramos:
    tramos = Tramos([], [], [], [], primer_error)
    for v in ventanas:
        buenas = [m[1] * 1000 for m in v.muestras if m[2] == 201]
        tramos.rps.append(len(buenas) / v.segundos)
        tramos.p50.append(percentil(buenas, 50) if buenas else float("nan"))
        tramos.p99.append(percentil(buenas, 99) if buenas else float("nan"))
        tramos.errores.append(len(v.muestras) - len(buenas))
    respondidas = sum(len(v.muestras) for v in ventanas)
    if cpu.disponible() and respondidas:
        tramos.cpu_ms = {
            k: 1000 * sum(v.cpu_s.get(k, 0.0) for v in ventanas) / respondidas
            for k in ventanas[0].cpu_s
        }
    return tramos
