"""Part 10 — the till's scan round trip (issue 19): POST /caja/escanear, one barcode at a
time as a cajero scans, with 20,000 products in the catalog, answered by the sale screen's
fragment (the draft's change, then the draft reviewed from its events with every rule its
emission would break, rendered). Measured in process over the ASGI app (no network): the
server's share of what the cajero waits for. Target: p99 under 50 ms.

Each sale takes `POR_VENTA` scans (a barcode drawn from a fixed seed; one product in five
is scanned twice, which adds onto its line), then the next sale starts; on SQLite (WAL,
synchronous FULL, as `make run`)."""

from __future__ import annotations

import random
import re
import time
from pathlib import Path

from benchmarks.comun import (
    REPETICIONES,
    Medida,
    Resultado,
    directorio_temporal,
    percentil,
    redondear,
    tam,
)
from benchmarks.escenario import BODEGA, abrir, preparar_catalogo
from benchmarks.parte9_busqueda import PRODUCTOS, sembrar

ESCANEOS = tam(200, 1_000)  # per repetition
POR_VENTA = 20
OBJETIVO_P99_MS = 50.0
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')
_VENTA = re.compile(r'id="venta" data-venta="([^"]*)"\s+data-version="(\d+)"')
_CLAVE = "clave-bench-caja-1"


def _preparar(ruta: Path):  # type: ignore[no-untyped-def]
    from prometeo.application.acceso import Rol
    from prometeo.application.comandos import RegistrarIngreso
    from prometeo.infrastructure.db.usuarios import AlmacenUsuarios

    aplicacion = abrir(f"sqlite:///{ruta}")
    preparar_catalogo(aplicacion, [])
    sembrar(aplicacion.engine)
    # Stock for the products scanned most (the others show their shortage before emitting).
    for n in range(1, PRODUCTOS, 200):
        aplicacion.inventario.registrar_ingreso(
            RegistrarIngreso(f"b{n:05d}", BODEGA, 1_000, "0.50", None, f"FC-{n}", f"L{n}")
        )
    AlmacenUsuarios(aplicacion.engine).crear("cajero", Rol.CAJERO, _CLAVE)
    return aplicacion


def _ingresar(cliente) -> str:  # type: ignore[no-untyped-def]
    pagina = cliente.get("/ingresar")
    token = _CSRF.search(pagina.text).group(1)  # type: ignore[union-attr]
    datos = {"csrf": token, "usuario": "cajero", "clave": _CLAVE, "siguiente": "/caja"}
    cliente.post("/ingresar", data=datos)
    caja = cliente.get("/caja")
    assert 'for="producto"' in caja.text, caja.text[:500]
    return _CSRF.search(caja.text).group(1)  # type: ignore[union-attr]


def _activo(azar: random.Random) -> int:
    """A product sembrar left active (it deactivates one in ten)."""
    while (n := azar.randrange(PRODUCTOS)) % 10 == 0:
        pass
    return n


def _medir(cliente, csrf: str, azar: random.Random) -> list[float]:  # type: ignore[no-untyped-def]
    """ESCANEOS scans in sales of POR_VENTA; each one's round trip in seconds."""
    tiempos: list[float] = []
    venta, version = "", ""
    anteriores: list[str] = []
    for n in range(ESCANEOS):
        if n % POR_VENTA == 0:
            venta, version, anteriores = "", "", []
        if anteriores and azar.random() < 0.2:
            codigo = azar.choice(anteriores)
        else:
            codigo = f"786{_activo(azar):010d}"
            anteriores.append(codigo)
        datos = {
            "csrf": csrf,
            "escaneos": codigo,
            "factura_id": venta,
            "version": version,
            "idempotencia": f"bench-{azar.getrandbits(64):x}",
        }
        inicio = time.perf_counter()
        respuesta = cliente.post("/caja/escanear", data=datos, headers={"HX-Request": "true"})
        tiempos.append(time.perf_counter() - inicio)
        estado = _VENTA.search(respuesta.text)
        if respuesta.status_code != 200 or estado is None:
            raise RuntimeError(f"escaneo {n}: {respuesta.status_code} {respuesta.text[:300]}")
        venta, version = estado.group(1), estado.group(2)
    return tiempos


def ejecutar() -> Resultado:
    from fastapi.testclient import TestClient

    from prometeo.entrypoints.api.app import crear_app

    inicio = time.perf_counter()
    r = Resultado("10. Caja: escaneo → carrito")
    with directorio_temporal("caja") as dir_:
        aplicacion = _preparar(dir_ / "caja.db")
        try:
            with TestClient(crear_app(aplicacion), follow_redirects=False) as cliente:
                csrf = _ingresar(cliente)
                _medir(cliente, csrf, random.Random("calentar"))  # caches, plans, lots
                p50, p95, p99, por_s = [], [], [], []
                for repeticion in range(REPETICIONES):
                    tiempos = _medir(cliente, csrf, random.Random(repeticion))
                    p50.append(percentil(tiempos, 50) * 1000)
                    p95.append(percentil(tiempos, 95) * 1000)
                    p99.append(percentil(tiempos, 99) * 1000)
                    por_s.append(len(tiempos) / sum(tiempos))
        finally:
            aplicacion.cerrar()
    m99 = Medida(p99)
    r.fila("SQLite: escaneos/s (un cajero)", Medida(por_s), "/s")
    r.fila("SQLite: p50", Medida(p50), "ms")
    r.fila("SQLite: p95", Medida(p95), "ms")
    r.fila(
        "SQLite: p99",
        m99,
        "ms",
        f"{m99.mediana / OBJETIVO_P99_MS:.2f}× el objetivo de {OBJETIVO_P99_MS:.0f} ms",
    )
    r.claves["caja_escaneo_p99_ms"] = redondear(m99.mediana)
    r.claves["caja_escaneo_p50_ms"] = redondear(Medida(p50).mediana)
    r.detalle.update(
        productos=PRODUCTOS, escaneos_por_repeticion=ESCANEOS, escaneos_por_venta=POR_VENTA
    )
    r.segundos = time.perf_counter() - inicio
    return r
