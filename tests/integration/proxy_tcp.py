"""A TCP proxy in front of the real broker that a test can cut and reopen: the broker
"goes down" for whoever connects through it (connections drop, the port refuses) without
stopping the RabbitMQ that other tests and processes share."""

from __future__ import annotations

import contextlib
import socket
import threading


class ProxyTcp:
    """Forwards 127.0.0.1:<puerto> to `destino` while open; closed, the port refuses."""

    def __init__(self, destino: tuple[str, int] = ("127.0.0.1", 5672)) -> None:
        self.destino = destino
        with socket.socket() as libre:
            libre.bind(("127.0.0.1", 0))
            self.puerto: int = libre.getsockname()[1]
        self._escucha: socket.socket | None = None
        self._sockets: set[socket.socket] = set()
        self._cerrojo = threading.Lock()

    @property
    def url(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.puerto}/%2F"

    def abrir(self) -> None:
        escucha = socket.socket()
        escucha.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        escucha.bind(("127.0.0.1", self.puerto))
        escucha.listen(16)
        self._escucha = escucha
        threading.Thread(target=self._aceptar, args=(escucha,), daemon=True).start()

    def cortar(self) -> None:
        """Stop listening and drop every open connection, like a broker that died."""
        escucha, self._escucha = self._escucha, None
        if escucha is not None:
            with contextlib.suppress(OSError):
                escucha.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
            escucha.close()
        with self._cerrojo:
            sockets, self._sockets = self._sockets, set()
        for conexion in sockets:
            with contextlib.suppress(OSError):
                conexion.shutdown(socket.SHUT_RDWR)
            conexion.close()

    def _aceptar(self, escucha: socket.socket) -> None:
        while True:
            try:
                cliente, _ = escucha.accept()
            except OSError:
                return  # cut
            try:
                servidor = socket.create_connection(self.destino)
            except OSError:
                cliente.close()
                continue
            with self._cerrojo:
                self._sockets.update((cliente, servidor))
            for origen, destino in ((cliente, servidor), (servidor, cliente)):
                threading.Thread(target=self._bombear, args=(origen, destino), daemon=True).start()

    def _bombear(self, origen: socket.socket, destino: socket.socket) -> None:
        try:
            while datos := origen.recv(65536):
                destino.sendall(datos)
        except OSError:
            pass
        finally:
            for extremo in (origen, destino):
                with contextlib.suppress(OSError):
                    extremo.shutdown(socket.SHUT_RDWR)
