"""The electronic document's block on facturas and notas de crédito, and the list of
comprobantes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Self

from pydantic import Field

from prometeo.application.comandos import CorregirComprobante
from prometeo.application.consultas import ComprobanteVista, MensajeSriVista, SriVista
from prometeo.entrypoints.api import datos_demo as demo
from prometeo.entrypoints.api.esquemas.comunes import Entrada, Id, Salida, Texto, ejemplos


class MensajeSriRespuesta(Salida):
    """Un mensaje del SRI (o de la validación del esquema antes de enviarlo)."""

    identificador: str = Field(examples=["43"])
    mensaje: str = Field(examples=["CLAVE ACCESO REGISTRADA"])
    informacion_adicional: str | None
    tipo: str = Field(examples=["ERROR"], description="ERROR, ADVERTENCIA o INFORMATIVO.")

    @classmethod
    def desde(cls, vista: MensajeSriVista) -> Self:
        return cls(
            identificador=vista.identificador,
            mensaje=vista.mensaje,
            informacion_adicional=vista.informacion_adicional,
            tipo=vista.tipo,
        )


class SriRespuesta(Salida):
    """El comprobante electrónico del documento."""

    clave_acceso: str = Field(
        examples=["0312202201019007200200120029020004874985766297216"],
        description="49 dígitos, fijada al emitir; no cambia nunca.",
    )
    ambiente: str = Field(examples=["1"], description="1 pruebas, 2 producción.")
    estado: str = Field(
        examples=["FIRMADO"],
        description="PENDIENTE (sin firmar), FIRMADO (firmado, aún no recibido), RECIBIDA, "
        "DEVUELTA, EN PROCESO, AUTORIZADO o NO AUTORIZADO (las palabras del SRI).",
    )
    numero_autorizacion: str | None
    fecha_autorizacion: datetime | None
    mensajes: list[MensajeSriRespuesta]
    proximo_intento: datetime | None = Field(
        description="Mientras prometeo lo lleva al SRI: cuándo lo envía o consulta de nuevo "
        "(tras un fallo, con espera creciente). null: nada programado (recién firmado, "
        "terminado, o detenido hasta que alguien lo corrija).",
    )
    ultimo_error: str | None = Field(
        description="Por qué falló el último intento (el SRI no respondió, HTTP 502...); "
        "null si el último intento salió bien.",
    )

    @classmethod
    def desde(cls, vista: SriVista) -> Self:
        return cls(
            clave_acceso=vista.clave_acceso,
            ambiente=vista.ambiente,
            estado=vista.estado,
            numero_autorizacion=vista.numero_autorizacion,
            fecha_autorizacion=vista.fecha_autorizacion,
            mensajes=[MensajeSriRespuesta.desde(m) for m in vista.mensajes],
            proximo_intento=vista.proximo_intento,
            ultimo_error=vista.ultimo_error,
        )

    @classmethod
    def opcional(cls, vista: SriVista | None) -> Self | None:
        return None if vista is None else cls.desde(vista)


class ComprobanteRespuesta(Salida):
    """Un documento emitido como comprobante electrónico."""

    tipo: str = Field(examples=["01"], description="01 factura, 04 nota de crédito.")
    id: str
    numero: str = Field(examples=["001-001-000000001"])
    fecha_emision: date
    sri: SriRespuesta

    @classmethod
    def desde(cls, vista: ComprobanteVista) -> Self:
        return cls(
            tipo=vista.tipo,
            id=vista.id,
            numero=vista.numero,
            fecha_emision=vista.fecha_emision,
            sri=SriRespuesta.desde(vista.sri),
        )


class ListaComprobantes(Salida):
    """Comprobantes electrónicos."""

    items: list[ComprobanteRespuesta]


class CorreccionEntrada(Entrada):
    """Corrección de un comprobante que el SRI devolvió o no autorizó: se vuelve a firmar y
    se reenvía con la misma clave de acceso y el mismo secuencial. Nunca cambia importes
    ni inventario."""

    model_config = ejemplos({"motivo": "Cédula del comprador errada", "cliente_id": demo.CLIENTE})

    motivo: Texto = Field(description="Qué se corrigió y por qué (queda en el historial).")
    cliente_id: Id | None = Field(
        default=None,
        description="El comprador correcto: se copian los datos actuales de este cliente. "
        "Sin él, el comprador queda como está (la causa estaba fuera del documento, p. ej. "
        "el certificado o el RUC del emisor).",
    )

    def a_comando(self, tipo: str, documento_id: str) -> CorregirComprobante:
        return CorregirComprobante(tipo, documento_id, self.motivo, self.cliente_id)
