"""Which worker process of `prometeo serve --workers N` holds an HTTP connection: the one
with the server's end of that TCP connection among its open files (Linux /proc). A test
keeps one connection to each worker and knows, for every answer, who gave it."""

from __future__ import annotations

from pathlib import Path

import httpx

_PROC = Path("/proc")


def hijos(pid: int) -> list[int]:
    """The processes whose parent is `pid`."""
    encontrados = []
    for stat in _PROC.glob("[0-9]*/stat"):
        try:
            # The command name (2nd field) is in parentheses and may hold spaces.
            campos = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(campos[1]) == pid:
            encontrados.append(int(stat.parent.name))
    return encontrados


def _inodos_del_servidor(puerto_servidor: int, puerto_cliente: int) -> set[str]:
    """The socket inodes of the server's end of the loopback connection between both."""
    inodos = set()
    for tabla in ("tcp", "tcp6"):
        ruta = _PROC / "net" / tabla
        if not ruta.exists():
            continue
        for linea in ruta.read_text().splitlines()[1:]:
            campos = linea.split()
            local, remoto, inodo = campos[1], campos[2], campos[9]
            if (
                int(local.rsplit(":", 1)[1], 16) == puerto_servidor
                and int(remoto.rsplit(":", 1)[1], 16) == puerto_cliente
            ):
                inodos.add(inodo)
    return inodos


def _sockets(pid: int) -> set[str]:
    inodos = set()
    for fd in (_PROC / str(pid) / "fd").iterdir():
        try:
            destino = fd.readlink().name
        except OSError:
            continue
        if destino.startswith("socket:["):
            inodos.add(destino[len("socket:[") : -1])
    return inodos


def trabajador_que_respondio(respuesta: httpx.Response, trabajadores: list[int]) -> int:
    """The pid, among `trabajadores`, whose socket carried `respuesta` (its connection is
    still open: httpx keeps it for the next request)."""
    flujo = respuesta.extensions["network_stream"]
    puerto_cliente = flujo.get_extra_info("client_addr")[1]
    puerto_servidor = flujo.get_extra_info("server_addr")[1]
    inodos = _inodos_del_servidor(puerto_servidor, puerto_cliente)
    duenos = [pid for pid in trabajadores if inodos & _sockets(pid)]
    assert len(duenos) == 1, (inodos, duenos, trabajadores)
    return duenos[0]
