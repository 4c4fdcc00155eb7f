"""Bodies of the system endpoints: the event log, tokens and health."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal, Self

from pydantic import AfterValidator, AwareDatetime, Field, StringConstraints

from prometeo.application.acceso import (
    LARGO_MAXIMO_NOMBRE,
    TokenEmitido,
    TokenVista,
    nombre_valido,
)
from prometeo.application.consultas import EventoVista
from prometeo.entrypoints.api.esquemas.comunes import Entrada, Salida, ejemplos


class EventoRespuesta(Salida):
    """Un evento del registro, con su posición global y sus datos."""

    posicion: int = Field(examples=[42], description="Posición global, en orden de commit.")
    stream_id: str = Field(examples=["factura-3f0c1a52-7b8e-4d5a-9a51-2f3e4c5d6e7f"])
    tipo: str = Field(examples=["FacturaEmitida"])
    version: int = Field(examples=[3], description="Versión del evento dentro de su stream.")
    ocurrido_en: datetime
    datos: dict[str, Any]

    @classmethod
    def desde(cls, vista: EventoVista) -> Self:
        return cls(
            posicion=vista.posicion,
            stream_id=vista.stream_id,
            tipo=vista.tipo,
            version=vista.version,
            ocurrido_en=vista.ocurrido_en,
            datos=vista.datos,
        )


class PaginaEventos(Salida):
    """Una página del registro de eventos, en orden de commit."""

    items: list[EventoRespuesta]
    siguiente: int = Field(
        examples=[100],
        description="Valor de `desde` para pedir la página siguiente (la última posición leída).",
    )


NombreToken = Annotated[
    str,
    StringConstraints(min_length=1, max_length=LARGO_MAXIMO_NOMBRE),
    AfterValidator(nombre_valido),
]
RolNombre = Literal["admin", "cajero", "bodeguero", "contador"]


class TokenEntrada(Entrada):
    """Un token de acceso nuevo: quién lo usará, con qué rol y, si se quiere, hasta cuándo."""

    model_config = ejemplos({"nombre": "caja 1 matriz", "rol": "cajero"})

    nombre: NombreToken = Field(
        description="Quién usará el token (único; queda, con el id del token, en cada evento)."
    )
    rol: RolNombre = Field(
        description="admin: todo; cajero: facturas, notas de crédito y lecturas; bodeguero: "
        "ingresos y transferencias de inventario y lecturas; contador: solo lecturas."
    )
    expira_en: AwareDatetime | None = Field(
        default=None,
        description="Desde este momento el token deja de valer (con zona horaria). Sin él, "
        "vale hasta que se revoque.",
    )


class TokenRespuesta(Salida):
    """El token creado: guárdelo, no se vuelve a mostrar."""

    id: str = Field(description="Con él se revoca el token (DELETE /api/v1/tokens/{id}).")
    token: str = Field(description="El secreto; se muestra una sola vez y no se guarda.")
    nombre: str
    rol: RolNombre
    creado_en: datetime
    expira_en: datetime | None

    @classmethod
    def desde(cls, emitido: TokenEmitido) -> Self:
        return cls(
            id=emitido.id,
            token=emitido.token,
            nombre=emitido.nombre,
            rol=emitido.rol.value,
            creado_en=emitido.creado_en,
            expira_en=emitido.expira_en,
        )


class TokenVistaRespuesta(Salida):
    """Un token emitido, nunca su secreto."""

    id: str
    nombre: str
    rol: RolNombre
    creado_en: datetime
    expira_en: datetime | None
    revocado_en: datetime | None = Field(description="null mientras no se revoque.")
    ultimo_uso: datetime | None = Field(description="Último uso, al minuto (null si nunca se usó).")
    vigente: bool = Field(description="Ni revocado ni vencido.")

    @classmethod
    def desde(cls, vista: TokenVista, ahora: datetime) -> Self:
        vencido = vista.expira_en is not None and vista.expira_en <= ahora
        return cls(
            id=vista.id,
            nombre=vista.nombre,
            rol=vista.rol.value,
            creado_en=vista.creado_en,
            expira_en=vista.expira_en,
            revocado_en=vista.revocado_en,
            ultimo_uso=vista.ultimo_uso,
            vigente=vista.revocado_en is None and not vencido,
        )


class ListaTokens(Salida):
    items: list[TokenVistaRespuesta]


class SaludSri(Salida):
    """Los comprobantes electrónicos: quién los firma, el certificado de firma y cuántos
    esperan."""

    envio: Literal["embebido", "separado", "apagado"] = Field(
        description="PROMETEO_SRI_ENVIO: embebido, el servidor firma en segundo plano; "
        "separado, solo `prometeo sri enviar`; apagado, nadie."
    )
    certificado: Literal["ok", "no configurado", "error"] = Field(
        description="no configurado: sin PROMETEO_FIRMA_ARCHIVO los documentos esperan en "
        "PENDIENTE; error: el certificado no sirve (véase detalle)."
    )
    detalle: str | None = Field(description="Por qué no se puede firmar, si es el caso.")
    pendientes: int = Field(description="Comprobantes emitidos que esperan su firma.")
    despacho: Literal["activo", "en otro proceso", "detenido"] = Field(
        description="El despachador al SRI: activo en este proceso, en otro proceso (que "
        "tiene el arriendo) o detenido (PROMETEO_SRI_ENVIO no es embebido)."
    )
    error_sri: str | None = Field(description="El último error del SRI, si lo hubo.")
    en_curso: int = Field(description="Firmados que esperan la respuesta final del SRI.")
    segundos_sin_autorizar: float | None = Field(
        description="Desde la emisión del más antiguo de ellos (el SRI responde en 24 h)."
    )


class Salud(Salida):
    """Estado del servicio y de sus dependencias."""

    status: Literal["ok", "error"]
    database: Literal["ok", "error"]
    broker: Literal["ok", "no configurado", "error", "comprobando"] = Field(
        description="RabbitMQ según la última comprobación, hecha en segundo plano cada "
        "pocos segundos mientras alguien pregunta: ok, error (no se pudo conectar), "
        "comprobando (aún no termina la primera) o no configurado (sin PROMETEO_BROKER_URL)."
    )
    sri: SaludSri | None = None
    aparcados: dict[str, int] = Field(
        default_factory=dict,
        description="Eventos que un seguidor del historial (rabbitmq: el relay; "
        "proyecciones: el worker) aparcó tras reintentarlos, por seguidor, mientras nadie "
        "los reintente (`prometeo aparcados reintentar`) ni los descarte. Vacío si no hay.",
    )
