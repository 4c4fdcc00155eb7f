"""`prometeo serve` on SQLite with group commit, killed with SIGKILL while 16 clients
emit facturas: every factura it acknowledged (201) is in the database afterwards, with
the number it was given; the numbers of all stored facturas are gapless and the stock
adds up. An answer is sent only after the COMMIT holding the factura returned. The same
with one transaction per command (PROMETEO_GRUPO_COMMIT=false)."""

from __future__ import annotations

import threading
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from servidor_real import servidor

from apoyo_http import API, TiendaHttp
from prometeo.bootstrap import bootstrap
from prometeo.domain.events.factura import FacturaEmitida
from prometeo.infrastructure.db.almacen_eventos import almacen_eventos
from prometeo.infrastructure.serializacion import CodecEventos
from prometeo.infrastructure.settings import Settings

CLIENTES = 16
EXISTENCIAS = 100_000
MINIMO_CONFIRMADAS = 150
ESPERA_MAXIMA = 60.0


@pytest.mark.parametrize("grupo", ["1", "0"], ids=["en_grupo", "una_por_comando"])
def test_un_kill_9_bajo_carga_no_pierde_ninguna_factura_confirmada(
    grupo: str, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'prometeo.db'}"
    confirmadas: list[dict[str, Any]] = []
    otras: list[int] = []
    cortadas: list[str] = []  # requests in flight when the server died
    candado = threading.Lock()
    parar = threading.Event()
    with servidor(url, tmp_path, PROMETEO_GRUPO_COMMIT=grupo) as srv:
        with srv.cliente() as http:
            tienda = TiendaHttp(http).sembrar()
            tienda.ingresar("cafe", str(EXISTENCIAS), "2.00")
            cuerpo = tienda.cuerpo_factura(("cafe", "1"))
            producto = tienda.ids["cafe"]
            bodega = tienda.ids["bodega"]

        def cliente() -> None:
            with srv.cliente() as propio:
                while not parar.is_set():
                    try:
                        respuesta = propio.post(API + "/facturas", json=cuerpo)
                    except httpx.TransportError as error:
                        # The server is gone: this request's fate is unknown.
                        with candado:
                            cortadas.append(type(error).__name__)
                        return
                    with candado:
                        if respuesta.status_code == 201:
                            confirmadas.append(respuesta.json())
                        else:
                            otras.append(respuesta.status_code)

        hilos = [threading.Thread(target=cliente) for _ in range(CLIENTES)]
        for hilo in hilos:
            hilo.start()
        limite = time.monotonic() + ESPERA_MAXIMA
        while len(confirmadas) < MINIMO_CONFIRMADAS and time.monotonic() < limite:
            time.sleep(0.05)
        srv.proceso.kill()  # SIGKILL, in the middle of the clients' requests
        srv.proceso.wait(timeout=30)
        parar.set()
        for hilo in hilos:
            hilo.join(timeout=60)

    assert len(confirmadas) >= MINIMO_CONFIRMADAS
    assert otras == []
    assert cortadas, "ninguna solicitud estaba en curso al matar el servidor"
    aplicacion = bootstrap(Settings(database_url=url), migrar_esquema=False)
    try:
        codec = CodecEventos()
        with aplicacion.engine.connect() as conexion:
            emitidas = {
                evento.factura_id: evento
                for evento in (
                    codec.decodificar(e.tipo, e.version_esquema, e.datos)
                    for e in almacen_eventos(conexion).recorrer()
                    if e.tipo == "FacturaEmitida"
                )
                if isinstance(evento, FacturaEmitida)
            }
        # Every acknowledged factura is stored, with the number its client was told.
        for factura in confirmadas:
            assert emitidas[factura["id"]].numero == factura["numero"]
        # Stored ones may include some whose answer the kill cut off; none is missing a
        # number and none has one twice.
        numeros = sorted(e.secuencial for e in emitidas.values())
        assert numeros == list(range(1, len(emitidas) + 1))
        (stock,) = aplicacion.consultas.stock(producto, bodega)
        assert stock.cantidad == Decimal(EXISTENCIAS - len(emitidas))
    finally:
        aplicacion.cerrar()
