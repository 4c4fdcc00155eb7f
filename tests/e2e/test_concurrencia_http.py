"""Many cajeros at once against the real server for the last units of a product: exactly
that many units are sold, every other request is refused (422 StockSuficienteParaFactura,
or 409 when the conflict outlived the retries), and the numbers are distinct and
consecutive. SQLite with one process; PostgreSQL with two worker processes."""

from __future__ import annotations

import threading
from pathlib import Path

import httpx
import pytest
from servidor_real import servidor

from apoyo_http import API, TiendaHttp, reglas

UNIDADES = 6
CAJEROS = 24


@pytest.mark.parametrize(
    ("url_base", "workers"), [("sqlite", 1), ("postgresql", 2)], indirect=["url_base"]
)
def test_ultimas_unidades_bajo_concurrencia(url_base: str, workers: int, tmp_path: Path) -> None:
    with servidor(url_base, tmp_path, workers=workers) as srv:
        with srv.cliente() as http:
            tienda = TiendaHttp(http).sembrar()
            tienda.ingresar("cafe", "4", "2.00")
            tienda.ingresar("cafe", str(UNIDADES - 4), "3.00")
            cuerpo = tienda.cuerpo_factura(("cafe", "1"))

        salida = threading.Barrier(CAJEROS)
        respuestas: list[httpx.Response] = []
        candado = threading.Lock()

        def cajero() -> None:
            with srv.cliente() as propio:
                salida.wait()
                respuesta = propio.post(API + "/facturas", json=cuerpo)
            with candado:
                respuestas.append(respuesta)

        hilos = [threading.Thread(target=cajero) for _ in range(CAJEROS)]
        for hilo in hilos:
            hilo.start()
        for hilo in hilos:
            hilo.join(timeout=120)

        assert len(respuestas) == CAJEROS
        assert all(r.status_code < 500 for r in respuestas), [r.text for r in respuestas]
        vendidas = [r.json() for r in respuestas if r.status_code == 201]
        rechazadas = [r for r in respuestas if r.status_code != 201]
        assert len(vendidas) == UNIDADES
        for rechazo in rechazadas:
            assert rechazo.status_code in (409, 422), rechazo.text
            if rechazo.status_code == 422:
                assert reglas(rechazo) == {"StockSuficienteParaFactura"}
        numeros = sorted(f["numero"] for f in vendidas)
        assert numeros == [f"001-001-{n:09d}" for n in range(1, UNIDADES + 1)]
        assert sum(float(f["lineas"][0]["costo"]) for f in vendidas) == pytest.approx(14.0)

        with srv.cliente() as http:
            tienda = TiendaHttp(http, tienda.ids)
            stock = tienda.stock("cafe")
            assert (stock["cantidad"], stock["valor"]) == ("0", "0.00")
            assert tienda.lotes("cafe") == []
            emitidas = tienda.get("/facturas", estado="EMITIDA")["items"]
            assert len(emitidas) == UNIDADES
