"""Idempotency-Key across real server processes: a factura sent to one server and retried
on another (two `prometeo serve` on one database), then retried again after that server
restarted, is emitted once and answered the same every time; concurrent retries on both
servers sell once."""

from __future__ import annotations

import threading
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from servidor_real import servidor

from apoyo_http import API, TiendaHttp


def _factura(http: httpx.Client, cuerpo: Any, clave: str) -> httpx.Response:
    return http.post(f"{API}/facturas", json=cuerpo, headers={"Idempotency-Key": clave})


def _stock(tienda: TiendaHttp) -> Decimal:
    (item,) = tienda.get(
        "/inventario/stock", producto_id=tienda.ids["cafe"], bodega_id=tienda.ids["bodega"]
    )["items"]
    return Decimal(item["cantidad"])


@pytest.mark.parametrize("url_base", ["sqlite", "postgresql"], indirect=True)
def test_reintentos_en_otro_proceso_y_tras_un_reinicio(url_base: str, tmp_path: Path) -> None:
    with servidor(url_base, tmp_path) as uno, uno.cliente() as http_uno:
        tienda = TiendaHttp(http_uno).sembrar()
        tienda.ingresar("cafe", "10", "4.00")
        cuerpo = tienda.cuerpo_factura(("cafe", "2"))
        with servidor(url_base, tmp_path) as dos, dos.cliente() as http_dos:
            primera = _factura(http_uno, cuerpo, "caja-1-venta-1")
            assert primera.status_code == 201, primera.text
            en_otro = _factura(http_dos, cuerpo, "caja-1-venta-1")
            # Both at once on both servers, with a new key: one sale.
            respuestas: list[httpx.Response] = []

            def reintentar(http: httpx.Client) -> None:
                respuestas.append(_factura(http, cuerpo, "caja-1-venta-2"))

            hilos = [
                threading.Thread(target=reintentar, args=(http,))
                for http in (http_uno, http_dos, http_uno, http_dos)
            ]
            for hilo in hilos:
                hilo.start()
            for hilo in hilos:
                hilo.join()
    assert (en_otro.status_code, en_otro.content) == (201, primera.content)
    assert en_otro.headers["idempotent-replayed"] == "true"
    creadas = {r.content for r in respuestas if r.status_code == 201}
    assert len(creadas) == 1, [r.text for r in respuestas]
    assert {r.status_code for r in respuestas} <= {201, 409}

    # Both servers stopped; a new one on the same database answers the same again.
    with servidor(url_base, tmp_path) as tres, tres.cliente() as http_tres:
        tras_reinicio = _factura(http_tres, cuerpo, "caja-1-venta-1")
        tienda.http = http_tres
        assert _stock(tienda) == 6  # two sales of 2: not one more
        numeros = [f["numero"] for f in tienda.get("/facturas")["items"]]
    assert (tras_reinicio.status_code, tras_reinicio.content) == (201, primera.content)
    assert sorted(numeros) == ["001-001-000000001", "001-001-000000002"]
