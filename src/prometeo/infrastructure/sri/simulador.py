"""`prometeo sri simulador`: a local stand-in for the SRI's offline web services, for
tests and demos. It has no tax validity and says so: in its log, its banner and, where
the answer's format has room, in the answers themselves ("Simulador de prometeo").

SOAP 1.1 at the real paths (SRI-ELECTRONICO §3), answers shaped like the real ones, the
document's signature really verified (a bad one: RECIBIDA, then NO AUTORIZADO 39, as the
SRI does), and a control API to script the next answers:

- POST /simulador/programar, JSON {"clave": "…" | null, "tipo": …} (simulador_casos.Caso)
- POST /simulador/reiniciar
- GET /simulador/recibidos/<clave> → {"clave": …, "recibidos": n}
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from prometeo.infrastructure.sri.simulador_casos import Caso, CasoNoValido, Servicio
from prometeo.infrastructure.sri.simulador_estado import RespuestaHttp, SriSimulado

__all__ = ["Caso", "CasoNoValido", "Servicio", "SimuladorSri"]

RUTA_RECEPCION = "/comprobantes-electronicos-ws/RecepcionComprobantesOffline"
RUTA_AUTORIZACION = "/comprobantes-electronicos-ws/AutorizacionComprobantesOffline"
_CONTROL = "/simulador/"
_MAXIMO_CUERPO = 4 * 1024 * 1024  # the SRI takes ≤320 KB per document, ~500 KB per lote
_registro = logging.getLogger("prometeo.sri.simulador")


class SimuladorSri:
    """The simulated SRI on an HTTP port (0: any free one; see `url`). `iniciar()` serves
    from a thread (tests), `servir()` in the calling one until KeyboardInterrupt."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        puerto: int = 0,
        *,
        demora: float = 0.5,
        ahora: Callable[[], datetime] | None = None,
    ) -> None:
        self.sri = SriSimulado(demora, ahora=ahora)
        self._http = _ServidorHttp((host, puerto), self.sri)
        self._hilo: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, puerto = self._http.server_address[:2]
        return f"http://{host!s}:{puerto}"

    @property
    def url_recepcion(self) -> str:
        return self.url + RUTA_RECEPCION

    @property
    def url_autorizacion(self) -> str:
        return self.url + RUTA_AUTORIZACION

    def programar(self, clave: str | None, caso: Caso) -> None:
        """Answer the next requests about `clave` (None: about any) with `caso`."""
        self.sri.programar(clave, caso)

    def recibidos(self, clave: str) -> int:
        """How many validarComprobante carried this clave, whatever they were answered."""
        return self.sri.recibidos(clave)

    def claves_recibidas(self) -> list[str]:
        """The claves received, each once, in the order each first came."""
        return self.sri.claves_recibidas()

    def reiniciar(self) -> None:
        """Forget every document and every programmed case."""
        self.sri.reiniciar()

    def iniciar(self) -> SimuladorSri:
        # A short poll: detener() waits up to one interval for the loop to notice.
        hilo = threading.Thread(
            target=self._http.serve_forever, kwargs={"poll_interval": 0.05}, name="simulador-sri"
        )
        hilo.daemon = True
        hilo.start()
        self._hilo = hilo
        return self

    def servir(self) -> None:
        try:
            self._http.serve_forever()
        finally:
            self._http.server_close()

    def detener(self) -> None:
        if self._hilo is not None:
            self._http.shutdown()
            self._hilo.join()
            self._hilo = None
        self._http.server_close()

    def __enter__(self) -> SimuladorSri:
        return self.iniciar()

    def __exit__(self, *_: object) -> None:
        self.detener()


class _ServidorHttp(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, direccion: tuple[str, int], sri: SriSimulado) -> None:
        self.sri = sri
        super().__init__(direccion, _Manejador)


class _Manejador(BaseHTTPRequestHandler):
    server: _ServidorHttp
    # Keep-alive, as clients pool connections: every answer carries Content-Length.
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: with Nagle on, the body would wait for the
    # client's delayed ACK of the headers on every request of a kept-alive connection.
    disable_nagle_algorithm = True
    server_version = "SimuladorSRI-prometeo"

    def do_POST(self) -> None:
        longitud = int(self.headers.get("Content-Length") or 0)
        if longitud > _MAXIMO_CUERPO:
            self._texto(413, "Cuerpo demasiado grande")
            self.close_connection = True
            return
        cuerpo = self.rfile.read(longitud)
        ruta = urlsplit(self.path).path
        sri = self.server.sri
        if ruta == RUTA_RECEPCION:
            self._responder(sri.recepcion(cuerpo))
        elif ruta == RUTA_AUTORIZACION:
            self._responder(sri.autorizacion(cuerpo))
        elif ruta == _CONTROL + "programar":
            self._programar(cuerpo)
        elif ruta == _CONTROL + "reiniciar":
            sri.reiniciar()
            self._json(200, {"reiniciado": True})
        else:
            self._texto(404, f"{ruta}: no es un servicio del simulador del SRI")

    def do_GET(self) -> None:
        ruta = urlsplit(self.path).path
        if ruta.startswith(_CONTROL + "recibidos/"):
            clave = ruta.removeprefix(_CONTROL + "recibidos/")
            self._json(200, {"clave": clave, "recibidos": self.server.sri.recibidos(clave)})
        else:
            # No WSDL: the clients post raw envelopes (SRI-ELECTRONICO §3.4).
            self._texto(404, f"{ruta}: el simulador del SRI atiende POST SOAP")

    def _programar(self, cuerpo: bytes) -> None:
        try:
            datos = json.loads(cuerpo)
            if not isinstance(datos, dict):
                raise CasoNoValido("se espera un objeto JSON")
            clave = datos.get("clave")
            if clave is not None and not isinstance(clave, str):
                raise CasoNoValido("clave debe ser texto o null")
            caso = Caso.desde_json(datos)
        except (json.JSONDecodeError, CasoNoValido) as error:
            self._json(400, {"error": str(error)})
            return
        self.server.sri.programar(clave, caso)
        _registro.info("SIMULADOR del SRI: programado %s, %s", caso, clave or "cualquier clave")
        self._json(200, {"programado": True})

    def _responder(self, respuesta: RespuestaHttp) -> None:
        self.send_response(respuesta.estado)
        self.send_header("Content-Type", respuesta.tipo)
        self.send_header("Content-Length", str(len(respuesta.cuerpo)))
        self.end_headers()
        self.wfile.write(respuesta.cuerpo)

    def _json(self, estado: int, datos: dict[str, Any]) -> None:
        cuerpo = json.dumps(datos, ensure_ascii=False).encode()
        self._responder(RespuestaHttp(estado, "application/json", cuerpo))

    def _texto(self, estado: int, texto: str) -> None:
        self._responder(RespuestaHttp(estado, "text/plain; charset=utf-8", texto.encode()))

    def log_message(self, format: str, *args: Any) -> None:
        _registro.debug("SIMULADOR del SRI: %s %s", self.address_string(), format % args)
