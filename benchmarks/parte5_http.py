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
from pathlib import Path
from typing import Any

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


def _preparar(ruta: Path, productos: list[str]) -> None:
    aplicacion = abrir(f"sqlite:///{ruta}")
    preparar_catalogo(aplicacion, productos, [f"punto{i}" for i in range(CLIENTES)])
    aplicacion.cerrar()


class _Servidor:
    def __init__(self, ruta: Path, puerto: int, registro: Path) -> None:
        entorno = {
            **os.environ,
            "PROMETEO_DATABASE_URL": f"sqlite:///{ruta}",
            "PROMETEO_ADMIN_TOKEN": TOKEN,
            "PROMETEO_HOY": HOY.isoformat(),
        }
        ejecutable = Path(sys.executable).with_name("prometeo")
        self.salida = open(registro, "wb")  # noqa: SIM115
        self.proceso = subprocess.Popen(
            [str(ejecutable), "serve", "--host", "127.0.0.1", "--port", str(puerto)],
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


class _Carga:
    """The 16 clients and the top-up client, sharing one stop flag."""

    def __init__(self, base: str, productos: list[str]) -> None:
        self.base = base
        self.productos = productos
        self.parar = threading.Event()
        self.muestras: list[tuple[float, float, int]] = []  # (end time, seconds, status)
        self.candado = threading.Lock()
        self.consumidas = 0
        self.error: str | None = None

    def cliente(self, i: int) -> None:
        import httpx

        cabeceras = {"Authorization": f"Bearer {TOKEN}"}
        cuerpo = _cuerpo(f"punto{i}", self.productos)
        with httpx.Client(base_url=self.base, headers=cabeceras, timeout=60) as http:
            while not self.parar.is_set():
                inicio = time.perf_counter()
                respuesta = http.post("/api/v1/facturas", json=cuerpo)
                fin = time.perf_counter()
                with self.candado:
                    self.muestras.append((fin, fin - inicio, respuesta.status_code))
                    self.consumidas += 1
                    if respuesta.status_code != 201 and self.error is None:
                        self.error = f"{respuesta.status_code} {respuesta.text[:300]}"

    def reponedor(self, inicial: int) -> None:
        import httpx

        ingresadas = inicial
        cabeceras = {"Authorization": f"Bearer {TOKEN}"}
        with httpx.Client(base_url=self.base, headers=cabeceras, timeout=60) as http:
            while not self.parar.is_set():
                pedidas = (self.consumidas + CLIENTES) * CANTIDAD_LINEA
                if ingresadas - pedidas < ADELANTO * CANTIDAD_LINEA:
                    for p in self.productos:
                        http.post(
                            "/api/v1/inventario/ingresos",
                            json={
                                "producto_id": p,
                                "bodega_id": BODEGA,
                                "cantidad": str(LOTE_HTTP),
                                "costo_unitario": "1.50",
                            },
                        ).raise_for_status()
                    ingresadas += LOTE_HTTP
                else:
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


def ejecutar() -> Resultado:
    inicio = time.perf_counter()
    r = Resultado("5. HTTP")
    try:
        import httpx

        from prometeo.entrypoints.api.app import crear_app  # noqa: F401 — is the API there?
    except ImportError as error:
        return _pendiente(r, f"la API aún no existe ({error})")
    productos = [f"p{i:03d}" for i in range(LINEAS)]
    with directorio_temporal("http") as dir_:
        ruta = dir_ / "http.db"
        _preparar(ruta, productos)
        puerto = _puerto_libre()
        base = f"http://127.0.0.1:{puerto}"
        servidor = _Servidor(ruta, puerto, dir_ / "servidor.log")
        try:
            motivo = _esperar(base, servidor)
            carga = _Carga(base, productos)
            if motivo is None:
                lotes = ADELANTO * CANTIDAD_LINEA // LOTE_HTTP
                inicial = lotes * LOTE_HTTP
                for p in productos:
                    for _ in range(lotes):
                        httpx.post(
                            f"{base}/api/v1/inventario/ingresos",
                            headers={"Authorization": f"Bearer {TOKEN}"},
                            json={
                                "producto_id": p,
                                "bodega_id": BODEGA,
                                "cantidad": str(LOTE_HTTP),
                                "costo_unitario": "1.50",
                            },
                            timeout=30,
                        )
                prueba = httpx.post(
                    f"{base}/api/v1/facturas",
                    json=_cuerpo("punto0", productos),
                    headers={"Authorization": f"Bearer {TOKEN}"},
                    timeout=30,
                )
                carga.consumidas = 1
                if prueba.status_code != 201:
                    motivo = (
                        f"POST /api/v1/facturas respondió {prueba.status_code}: {prueba.text[:200]}"
                    )
            if motivo is not None:
                servidor.parar()
                registro = (dir_ / "servidor.log").read_text(errors="replace")[-400:]
                return _pendiente(r, f"{motivo} | {registro}")
            hilos = [
                threading.Thread(target=carga.cliente, args=(i,), daemon=True)
                for i in range(CLIENTES)
            ]
            hilos.append(threading.Thread(target=carga.reponedor, args=(inicial,), daemon=True))
            comienzo = time.perf_counter()
            for h in hilos:
                h.start()
            time.sleep(CALENTAR + DURACION)
            carga.parar.set()
            for h in hilos:
                h.join(timeout=60)
        finally:
            servidor.parar()

    rps, p50, p99, errores = [], [], [], []
    tramo = DURACION / REPETICIONES
    for k in range(REPETICIONES):
        desde = comienzo + CALENTAR + k * tramo
        en_tramo = [m for m in carga.muestras if desde <= m[0] < desde + tramo]
        buenas = [m[1] * 1000 for m in en_tramo if m[2] == 201]
        rps.append(len(buenas) / tramo)
        p50.append(percentil(buenas, 50) if buenas else float("nan"))
        p99.append(percentil(buenas, 99) if buenas else float("nan"))
        errores.append(len(en_tramo) - len(buenas))
    m_rps, m_p50, m_p99 = Medida(rps), Medida(p50), Medida(p99)
    r.fila(f"POST /api/v1/facturas, {CLIENTES} clientes", m_rps, "req/s")
    r.fila("latencia p50", m_p50, "ms")
    r.fila("latencia p99", m_p99, "ms", "objetivo ≤ 100 ms")
    r.fila("respuestas que no fueron 201", None, "", texto=str(sum(errores)))
    r.claves.update(
        http_rps=redondear(m_rps.mediana),
        http_p50_ms=redondear(m_p50.mediana),
        http_p99_ms=redondear(m_p99.mediana),
        http_errores=sum(errores),
    )
    if carga.error:
        r.detalle["primer_error"] = carga.error
    r.segundos = time.perf_counter() - inicio
    return r
