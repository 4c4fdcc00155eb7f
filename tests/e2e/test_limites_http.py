"""The door of the real server, over raw sockets: an anonymous request with a huge body is
answered 401 before the client sends any of it, a declared body beyond the limit 413 at
once, and a chunked body without Content-Length is cut with 413 once it passes the limit.
The client sends its headers and waits: an answer that needed the body never comes."""

from __future__ import annotations

import select
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from servidor_real import TOKEN_ADMIN, Servidor, servidor

MIB = 1024 * 1024
# Waiting for an answer that never comes (the server waits for the body) fails the test.
ESPERA = 20.0


@pytest.fixture(scope="module")
def srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servidor]:
    directorio: Path = tmp_path_factory.mktemp("limites")
    with servidor(f"sqlite:///{directorio / 'api.db'}", directorio) as real:
        yield real


def _conectar(srv: Servidor) -> socket.socket:
    host, puerto = srv.base.removeprefix("http://").split(":")
    return socket.create_connection((host, int(puerto)), timeout=ESPERA)


def _cabeza(ruta: str, **cabeceras: str) -> bytes:
    lineas = [f"POST {ruta} HTTP/1.1", "Host: prometeo", "Content-Type: application/json"]
    lineas += [f"{k.replace('_', '-')}: {v}" for k, v in cabeceras.items()]
    return ("\r\n".join(lineas) + "\r\n\r\n").encode()


def _respuesta(conexion: socket.socket) -> tuple[int, dict[str, str], bytes]:
    """The status, headers and body of the answer (the server closes after it)."""
    datos = b""
    while True:
        try:
            parte = conexion.recv(65536)
        except ConnectionResetError:
            break
        if not parte:
            break
        datos += parte
    cabeza, _, cuerpo = datos.partition(b"\r\n\r\n")
    linea, *resto = cabeza.decode("latin-1").split("\r\n")
    cabeceras = {}
    for renglon in resto:
        nombre, _, valor = renglon.partition(":")
        cabeceras[nombre.strip().lower()] = valor.strip()
    return int(linea.split()[1]), cabeceras, cuerpo


def test_anonimo_con_cuerpo_enorme_recibe_401_sin_enviarlo(srv: Servidor) -> None:
    with _conectar(srv) as conexion:
        conexion.sendall(_cabeza("/api/v1/facturas", Content_Length=str(20 * MIB)))
        status, cabeceras, cuerpo = _respuesta(conexion)
    assert status == 401
    assert cabeceras["content-type"].startswith("application/problem+json")
    assert cabeceras["x-content-type-options"] == "nosniff"
    assert b"TokenPresente" in cuerpo


def test_cuerpo_declarado_mayor_que_el_limite_recibe_413_sin_enviarlo(srv: Servidor) -> None:
    with _conectar(srv) as conexion:
        conexion.sendall(
            _cabeza(
                "/api/v1/facturas",
                Content_Length=str(2 * MIB),
                Authorization=f"Bearer {TOKEN_ADMIN}",
            )
        )
        status, cabeceras, cuerpo = _respuesta(conexion)
    assert status == 413
    assert cabeceras["content-type"].startswith("application/problem+json")
    assert b"CuerpoDentroDelLimite" in cuerpo


def test_cuerpo_troceado_se_corta_al_pasar_el_limite(srv: Servidor) -> None:
    trozo = b"x" * 65536
    enviados = 0
    with _conectar(srv) as conexion:
        conexion.sendall(
            _cabeza(
                "/api/v1/facturas",
                Transfer_Encoding="chunked",
                Authorization=f"Bearer {TOKEN_ADMIN}",
            )
        )
        # Up to 20 MiB, one chunk at a time, until the server answers.
        while enviados < 20 * MIB:
            legible, _, _ = select.select([conexion], [], [], 0)
            if legible:
                break
            try:
                conexion.sendall(b"%x\r\n%s\r\n" % (len(trozo), trozo))
            except (BrokenPipeError, ConnectionResetError):
                break
            enviados += len(trozo)
        status, _, cuerpo = _respuesta(conexion)
    assert status == 413
    assert b"CuerpoDentroDelLimite" in cuerpo
    assert enviados < 20 * MIB


def test_cuerpo_dentro_del_limite_llega_a_la_aplicacion(srv: Servidor) -> None:
    with srv.cliente() as http:
        respuesta = http.post("/api/v1/tokens", json={"nombre": "x" * (MIB - 100), "rol": "cajero"})
    # Read and validated whole: the name is too long, not the body too large.
    assert respuesta.status_code == 422, respuesta.text
