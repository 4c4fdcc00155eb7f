"""Writes from the screens done once: every write form carries an idempotency key
(formularios.py), and `escribir_una_vez` runs its command under that key, so that a
double submit, a retry after a dropped connection, or a reload of the POST does nothing
twice, also from another server process or after a restart.

A write answers with where to go next (Post/Redirect/Get): that destination is what the
key keeps, and what a repeated request is sent to again. The command's own transaction
marks the key done (Metadatos.idempotencia), exactly as in the JSON API."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping

from prometeo.application.idempotencia import EstadoReclamo, RespuestaGuardada
from prometeo.application.personas import SesionVigente
from prometeo.application.unidad_de_trabajo import Metadatos
from prometeo.bootstrap import Servicios
from prometeo.entrypoints.web.formularios import CAMPO_CSRF, CAMPO_IDEMPOTENCIA

_REDIRECCION = 303
_TIPO_DESTINO = "text/uri-list"
# An attempt that failed: nothing committed, so the key is given back (or, had the command
# committed, kept done: never run again).
_FALLIDA = RespuestaGuardada(500, None, b"")


class EscrituraNoRepetible(Exception):
    """The key cannot run this write: another attempt holds it (409), it was used for a
    different form (422), or its write was done but where it led was lost (409)."""

    def __init__(self, estado: int, mensaje: str) -> None:
        super().__init__(mensaje)
        self.estado = estado
        self.mensaje = mensaje


_NO_REPETIBLES = {
    EstadoReclamo.EN_CURSO: (
        409,
        "Esta operación ya se está procesando (quizá la envió dos veces); espere un momento "
        "y revise el resultado.",
    ),
    EstadoReclamo.OTRO_CUERPO: (
        422,
        "Este formulario ya se envió con otros datos. Vuelva a abrir la pantalla para "
        "empezar una operación nueva.",
    ),
    EstadoReclamo.SIN_RESPUESTA: (
        409,
        "Esta operación ya se realizó. Revise el resultado antes de repetirla.",
    ),
}


def huella_de(ruta: str, campos: Mapping[str, str]) -> str:
    """The request a key stands for: the path and the form's fields (not its CSRF token
    nor the key itself), in a fixed order."""
    resumen = hashlib.sha256(ruta.encode())
    for nombre in sorted(campos):
        if nombre not in (CAMPO_CSRF, CAMPO_IDEMPOTENCIA):
            resumen.update(b"\n" + nombre.encode() + b"=" + campos[nombre].encode())
    return resumen.hexdigest()


def alcance_de(sesion: SesionVigente) -> str:
    """Whose keys: one person's, whichever session or device they use."""
    return hashlib.sha256(f"usuario:{sesion.usuario_id}".encode()).hexdigest()


def escribir_una_vez(
    servicios: Servicios,
    sesion: SesionVigente,
    clave: str,
    huella: str,
    hacer: Callable[[Metadatos], str],
) -> str:
    """Run `hacer` (a command with these metadata, returning the path to go to next) once
    for `clave`: a repeated request gets the first one's path without running anything.
    Blocking: call it in a thread. Whatever `hacer` raises (a broken rule) gives the key
    back and is raised again."""
    registro = servicios.idempotencia
    reclamo = registro.reclamar(alcance_de(sesion), clave, huella)
    if reclamo.estado is EstadoReclamo.REPETIDA:
        assert reclamo.respuesta is not None
        return reclamo.respuesta.cuerpo.decode()
    if reclamo.estado is not EstadoReclamo.NUEVA:
        raise EscrituraNoRepetible(*_NO_REPETIBLES[reclamo.estado])
    reserva = reclamo.reserva
    assert reserva is not None
    metadatos = Metadatos(usuario=sesion.usuario, idempotencia=reserva)
    try:
        destino = hacer(metadatos)
    except BaseException:
        registro.cerrar(reserva, _FALLIDA)
        raise
    registro.cerrar(reserva, RespuestaGuardada(_REDIRECCION, _TIPO_DESTINO, destino.encode()))
    return destino
