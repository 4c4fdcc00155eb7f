"""Part 5 — HTTP: POST /api/v1/facturas from 16 concurrent clients against the real
`prometeo serve` process on SQLite (the default: WAL, synchronous FULL): requests/s, p50
and p99 latency. Each repetition is one slice of the run (5 slices of 6 s; BENCH_QUICK:
5 of 1 s). A 17th client tops stock up through POST /api/v1/inventario/ingresos as the
others consume it (its requests are not counted). If the API cannot be served yet, the
part says "pendiente" and why, without failing."""

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
from typing import Any

from benchmarks import cpu
from benchmarks.comun import (
    REPETICIONES,
    Medida,
    Resultado,
    directorio_temporal,
    percentil,
    redondear,
    tam,
)
from benchmarks.escenario import (
    BODEGA,
    CANTIDAD_LINEA,
    CLIENTE,
    HOY,
    LINEAS,
    abrir,
    preparar_catalogo,
)

CLIENTES = 16
DURACION = tam(5.0, 30.0)
CALENTAR = tam(1.0, 3.0)
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
    the server receives it, see `servir_y_cargar`)."""
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


def _cuerpo(punto: str, productos: list[str]) -> dict[str, Any]:
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
        self.error: str | None = None

    def pedir(self, i: int) -> dict[str, Any]:
        """Client i's factura, its units counted as asked for."""
        with self.candado:
            self.pedidas.update(dict.fromkeys(self.ventas[i], CANTIDAD_LINEA))
        return _cuerpo(f"punto{i}", self.ventas[i])

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

    def reponedor(self, ingresadas: dict[str, int]) -> None:
        """Tops up every product that falls under its margin; `ingresadas`: units received
        so far, per product."""
        import httpx

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


def _pendiente(r: Resultado, motivo: str) -> Resultado:
    r.fila("POST /api/v1/facturas", None, "", texto=f"pendiente: {motivo[:200]}")
    r.claves.update(http_rps=None, http_p50_ms=None, http_p99_ms=None)
    r.detalle["pendiente"] = motivo
    return r


@dataclass
class Tramos:
    """The run cut into REPETICIONES slices of equal length, one value per slice."""

    rps: list[float]
    p50: list[float]
    p99: list[float]
    errores: list[int]
    primer_error: str | None
    # CPU milliseconds per answered request over the slices: "servidor" (`serve` and its
    # workers), "clientes" (this process: the clients' threads), "base" (the database's
    # server processes, when given); empty without /proc.
    cpu_ms: dict[str, float] = field(default_factory=dict)


def servir_y_cargar(
    url: str,
    dir_: Path,
    ventas: list[list[str]],
    workers: int = 1,
    procesos_base: Callable[[], list[int]] | None = None,
) -> Tramos | str:
    """Start `prometeo serve --workers N` over a prepared database (`preparar_base`), stock
    it, run the CLIENTES clients (client i sells `ventas[i]`) and the top-up client for
    CALENTAR + DURACION seconds, stop the server and measure the slices after the warm-up.
    `procesos_base` lists the database server's processes that serve this run, whose CPU
    is then counted too. A string instead: why the API could not be served."""
    import httpx

    puerto = _puerto_libre()
    base = f"http://127.0.0.1:{puerto}"
    registro = dir_ / f"servidor_{workers}.log"
    servidor = _Servidor(url, puerto, registro, workers)
    autorizacion = {"Authorization": f"Bearer {TOKEN}"}
    try:
        motivo = _esperar(base, servidor)
        carga = _Carga(base, ventas)
        ingresadas = {p: lotes * LOTE_HTTP for p, lotes in carga.lotes_iniciales().items()}
        if motivo is None:
            for p, lotes in carga.lotes_iniciales().items():
                for _ in range(lotes):
                    httpx.post(
                        f"{base}/api/v1/inventario/ingresos",
                        headers=autorizacion,
                        json=_ingreso(p),
                        timeout=30,
                    ).raise_for_status()
            prueba = httpx.post(
                f"{base}/api/v1/facturas", json=carga.pedir(0), headers=autorizacion, timeout=30
            )
            if prueba.status_code != 201:
                motivo = (
                    f"POST /api/v1/facturas respondió {prueba.status_code}: {prueba.text[:200]}"
                )
        if motivo is not None:
            servidor.parar()
            return f"{motivo} | {registro.read_text(errors='replace')[-400:]}"
        hilos = [
            threading.Thread(target=carga.cliente, args=(i,), daemon=True) for i in range(CLIENTES)
        ]
        hilos.append(threading.Thread(target=carga.reponedor, args=(ingresadas,), daemon=True))
        comienzo = time.perf_counter()
        for h in hilos:
            h.start()
        time.sleep(CALENTAR)
        antes = _leer_cpu(servidor, procesos_base)
        time.sleep(DURACION)
        despues = _leer_cpu(servidor, procesos_base)
        carga.parar.set()
        for h in hilos:
            h.join(timeout=60)
    finally:
        servidor.parar()
    tramos = _tramos(carga, comienzo)
    desde = comienzo + CALENTAR
    respondidas = sum(1 for m in carga.muestras if desde <= m[0] < desde + DURACION)
    if cpu.disponible() and respondidas:
        tramos.cpu_ms = {
            clave: 1000 * cpu.entre(antes[clave], despues[clave]) / respondidas
            for clave in ("servidor", "clientes", "base")
            if clave in antes
        }
    return tramos


def _leer_cpu(
    servidor: _Servidor, procesos_base: Callable[[], list[int]] | None
) -> dict[str, dict[int, float]]:
    """CPU seconds used so far, per process: the server's process tree, this process, the
    database's processes (`cpu.entre` subtracts two readings)."""
    lectura = {
        "servidor": cpu.segundos(cpu.arbol(servidor.proceso.pid)),
        "clientes": cpu.segundos([os.getpid()]),
    }
    if procesos_base is not None:
        lectura["base"] = cpu.segundos(procesos_base())
    return lectura


def _tramos(carga: _Carga, comienzo: float) -> Tramos:
    tramos = Tramos([], [], [], [], carga.error)
    tramo = DURACION / REPETICIONES
    for k in range(REPETICIONES):
        desde = comienzo + CALENTAR + k * tramo
        en_tramo = [m for m in carga.muestras if desde <= m[0] < desde + tramo]
        buenas = [m[1] * 1000 for m in en_tramo if m[2] == 201]
        tramos.rps.append(len(buenas) / tramo)
        tramos.p50.append(percentil(buenas, 50) if buenas else float("nan"))
        tramos.p99.append(percentil(buenas, 99) if buenas else float("nan"))
        tramos.errores.append(len(en_tramo) - len(buenas))
    return tramos


def ejecutar() -> Resultado:
    inicio = time.perf_counter()
    r = Resultado("5. HTTP")
    try:
        import httpx  # noqa: F401

        from prometeo.entrypoints.api.app import crear_app  # noqa: F401 — is the API there?
    except ImportError as error:
        return _pendiente(r, f"la API aún no existe ({error})")
    productos = [f"p{i:03d}" for i in range(LINEAS)]
    with directorio_temporal("http") as dir_:
        url = f"sqlite:///{dir_ / 'http.db'}"
        preparar_base(url, productos)
        tramos = servir_y_cargar(url, dir_, [productos] * CLIENTES)
    if isinstance(tramos, str):
        return _pendiente(r, tramos)
    m_rps, m_p50, m_p99 = Medida(tramos.rps), Medida(tramos.p50), Medida(tramos.p99)
    r.fila(f"POST /api/v1/facturas, {CLIENTES} clientes", m_rps, "req/s")
    r.fila("latencia p50", m_p50, "ms")
    r.fila("latencia p99", m_p99, "ms", "objetivo ≤ 100 ms")
    r.fila("respuestas que no fueron 201", None, "", texto=str(sum(tramos.errores)))
    r.claves.update(
        http_rps=redondear(m_rps.mediana),
        http_p50_ms=redondear(m_p50.mediana),
        http_p99_ms=redondear(m_p99.mediana),
        http_errores=sum(tramos.errores),
    )
    if tramos.primer_error:
        r.detalle["primer_error"] = tramos.primer_error
    r.detalle["cpu_ms_por_solicitud"] = {k: redondear(v) for k, v in tramos.cpu_ms.items()}
    r.segundos = time.perf_counter() - inicio
    return r
