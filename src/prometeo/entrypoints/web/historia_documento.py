"""A document's history as the owner reads it (/dueno/documento/{tipo}/{id}): every event
of the factura's or nota de crédito's stream in order, when (dd/mm/aaaa hh:mm, Ecuador),
what (in words), who, and its data summarized, beside the document's SRI state.

Invariants: the events are the stream's own, in version order, never filtered; a summary
reads the stored data as it is (older shapes too: what a summary cannot read it leaves
out, it never fails the page); the signed XML and the SRI's authorization, which events
carry whole, are never shown here (the RIDE is their readable form)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from prometeo.application.consultas import EventoVista, SriVista
from prometeo.application.servicios.comprobantes import USUARIO_FIRMA
from prometeo.application.servicios.envio_sri import USUARIO_SRI
from prometeo.bootstrap import Servicios
from prometeo.domain.aggregates.factura import Factura
from prometeo.domain.aggregates.nota_credito import NotaCredito
from prometeo.domain.errores import ValorInvalido
from prometeo.entrypoints.ride import FACTURA, NOTA
from prometeo.entrypoints.web.formato import cantidad, dinero, fecha, fecha_hora

# A document's stream is far shorter than this; the page says so if one is cut.
MAXIMO_EVENTOS = 500
TIPOS = {FACTURA: "Factura", NOTA: "Nota de crédito"}
_STREAMS = {FACTURA: Factura.TIPO_STREAM, NOTA: NotaCredito.TIPO_STREAM}
_NUMERO = re.compile(r"([0-9]{1,3})-([0-9]{1,3})-([0-9]{1,9})")
_QUIENES = {
    "sistema": "Sistema",
    USUARIO_SRI: "Sistema (envío al SRI)",
    USUARIO_FIRMA: "Sistema (firma electrónica)",
}
_FORMAS_PAGO = {
    "01": "efectivo",
    "16": "tarjeta de débito",
    "19": "tarjeta de crédito",
    "20": "transferencia u otro medio del sistema financiero",
}
_ESTADOS_DOCUMENTO = {
    "BORRADOR": "Borrador",
    "EMITIDA": "Emitida",
    "ANULADA": "Anulada",
    "DESCARTADA": "Descartada",
}
_QUE = {
    "FacturaCreada": "Factura creada",
    "LineaAgregada": "Línea agregada",
    "LineaEliminada": "Línea quitada",
    "LineaCambiada": "Línea cambiada",
    "DescuentoAplicado": "Descuento global aplicado",
    "ClienteAsignado": "Cliente cambiado",
    "PagosDefinidos": "Formas de pago definidas",
    "PropinaDefinida": "Propina definida",
    "BorradorDescartado": "Borrador descartado",
    "FacturaEmitida": "Factura emitida",
    "CreditoAplicado": "Nota de crédito aplicada",
    "FacturaAnulada": "Factura anulada",
    "NotaCreditoCreada": "Nota de crédito creada",
    "NotaCreditoEmitida": "Nota de crédito emitida",
    "ComprobanteFirmado": "Firmado electrónicamente",
    "ComprobanteNoValido": "XML no válido (no se envió)",
    "ComprobanteEnviado": "Enviado al SRI",
    "ComprobanteNoEntregado": "No llegó al SRI",
    "ComprobanteRecibido": "Recibido por el SRI",
    "ComprobanteDevuelto": "Devuelto por el SRI",
    "ComprobanteEnProceso": "En proceso en el SRI",
    "ComprobanteAutorizado": "Autorizado por el SRI",
    "ComprobanteNoAutorizado": "No autorizado por el SRI",
    "CorreoEnviado": "Enviado por correo al comprador",
    "ComprobanteCorregido": "Corregido para enviarlo de nuevo",
}


@dataclass(frozen=True, slots=True)
class Suceso:
    """One event as a row of the history."""

    version: int
    cuando: str
    que: str
    quien: str
    detalle: str


@dataclass(frozen=True, slots=True)
class Historia:
    """A document with its events, oldest first."""

    tipo: str  # "01", "04"
    id: str
    nombre: str  # "Factura 001-001-000000001", "Factura (borrador)"
    estado: str
    fecha_emision: str
    sri: SriVista | None
    ride: str | None  # where its RIDE opens, once it has a number
    sucesos: tuple[Suceso, ...]
    cortada: bool


def numero_buscado(texto: str) -> str:
    """A document number as typed, "1-1-25" or "001-001-000000025", written in full;
    NumeroComprobanteValido names any other form."""
    partes = _NUMERO.fullmatch(texto.strip())
    if partes is None:
        raise ValorInvalido(
            "NumeroComprobanteValido",
            f"Escriba el número como 001-001-000000123 (establecimiento, punto y secuencial): "
            f"«{texto.strip()[:40]}»",
        )
    establecimiento, punto, secuencial = partes.groups()
    return f"{int(establecimiento):03d}-{int(punto):03d}-{int(secuencial):09d}"


def buscar_documento(servicios: Servicios, tipo: str, texto: str) -> str:
    """The history's address of the emitted document of `tipo` with this number
    (ValorInvalido for a number badly written, NoEncontrado when none has it)."""
    if tipo not in TIPOS:
        raise ValorInvalido("TipoComprobanteValido", "Elija factura o nota de crédito")
    vista = servicios.consultas.comprobante_numerado(tipo, numero_buscado(texto))
    return f"/dueno/documento/{tipo}/{vista.id}"


def armar_historia(servicios: Servicios, tipo: str, documento_id: str) -> Historia:
    """The document's history (NoEncontrado for no such document)."""
    consultas = servicios.consultas
    vista = consultas.factura(documento_id) if tipo == FACTURA else None
    nota = consultas.nota_credito(documento_id) if tipo == NOTA else None
    documento: Any = vista if vista is not None else nota
    eventos = consultas.eventos_de(f"{_STREAMS[tipo]}-{documento_id}", MAXIMO_EVENTOS + 1)
    numero = documento.numero
    return Historia(
        tipo=tipo,
        id=documento_id,
        nombre=f"{TIPOS[tipo]} {numero}" if numero else f"{TIPOS[tipo]} (borrador)",
        estado=_ESTADOS_DOCUMENTO.get(documento.estado, documento.estado.capitalize()),
        fecha_emision=fecha(documento.fecha_emision),
        sri=documento.sri,
        ride=f"/dueno/ride/{tipo}/{documento_id}" if documento.sri is not None else None,
        sucesos=tuple(suceso_de(e) for e in eventos[:MAXIMO_EVENTOS]),
        cortada=len(eventos) > MAXIMO_EVENTOS,
    )


def suceso_de(evento: EventoVista) -> Suceso:
    resumir = _RESUMENES.get(evento.tipo)
    try:
        detalle = resumir(evento.datos) if resumir is not None else ""
    except (KeyError, TypeError, ValueError, InvalidOperation, AttributeError):
        detalle = ""  # a shape this summary does not know: the event is listed all the same
    return Suceso(
        version=evento.version,
        cuando=fecha_hora(evento.ocurrido_en),
        que=_QUE.get(evento.tipo, evento.tipo),
        quien=_QUIENES.get(evento.usuario or "", evento.usuario or "—"),
        detalle=detalle or "—",
    )


# -- summaries of each event's stored data ---------------------------------------------------


def _monto(valor: object) -> str:
    return dinero(Decimal(str(valor)))


def _cantidad(valor: object) -> str:
    return cantidad(Decimal(str(valor)))


def _dia(valor: object) -> str:
    return fecha(date.fromisoformat(str(valor)))


def _comprador(c: Mapping[str, Any]) -> str:
    return f"{c['razon_social']} ({c['identificacion']})"


def _linea(linea: Mapping[str, Any]) -> str:
    return (
        f"{_cantidad(linea['cantidad'])} × {linea['descripcion']} a "
        f"{_monto(linea['precio_unitario'])}"
    )


def _pagos(pagos: list[Mapping[str, Any]]) -> str:
    return "; ".join(
        f"{_FORMAS_PAGO.get(p['forma_pago'], 'forma ' + p['forma_pago'])} {_monto(p['total'])}"
        for p in pagos
    )


def _mensajes(datos: Mapping[str, Any]) -> str:
    return "\n".join(
        f"{m['identificador']}: {m['mensaje']}"
        + (f" ({m['informacion_adicional']})" if m.get("informacion_adicional") else "")
        for m in datos.get("mensajes") or ()
    )


def _creada(d: Mapping[str, Any]) -> str:
    partes = [
        f"Cliente: {_comprador(d['comprador'])}",
        f"Fecha de emisión: {_dia(d['fecha_emision'])}",
    ]
    partes += [_linea(linea) for linea in d.get("lineas") or ()]
    return "\n".join(partes)


def _emitida(d: Mapping[str, Any]) -> str:
    return (
        f"Número {d['numero']}: subtotal {_monto(d['subtotal_sin_impuestos'])}, "
        f"IVA {_monto(d['iva'])}, total {_monto(d['importe_total'])}"
        + (f"\nPago: {_pagos(d['pagos'])}" if d.get("pagos") else "")
    )


def _nota_creada(d: Mapping[str, Any]) -> str:
    devuelve = "con devolución de mercadería" if d["devolucion_inventario"] else "solo valor"
    return (
        f"Sobre la factura {d['numero_factura']}, {devuelve}. Motivo: {d['motivo']}\n"
        f"Cliente: {_comprador(d['comprador'])}"
    )


def _nota_emitida(d: Mapping[str, Any]) -> str:
    return (
        f"Número {d['numero']}: subtotal {_monto(d['subtotal_sin_impuestos'])}, "
        f"IVA {_monto(d['iva'])}, valor {_monto(d['valor_modificacion'])}"
    )


def _descuento(d: Mapping[str, Any]) -> str:
    if d["tipo_descuento"] == "PORCENTAJE":
        return f"{_cantidad(d['valor'])} %"
    return _monto(d["valor"])


_RESUMENES: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "FacturaCreada": _creada,
    "LineaAgregada": _linea,
    "LineaEliminada": lambda d: f"Línea {d['numero_linea']}",
    "LineaCambiada": lambda d: (
        f"Línea {d['numero_linea']}: cantidad {_cantidad(d['cantidad'])}"
        + (f", descuento {_monto(d['descuento'])}" if Decimal(d["descuento"]) else "")
    ),
    "DescuentoAplicado": _descuento,
    "ClienteAsignado": lambda d: f"Cliente: {_comprador(d['comprador'])}",
    "PagosDefinidos": lambda d: _pagos(d["pagos"]),
    "PropinaDefinida": lambda d: f"Propina {_monto(d['propina'])}",
    "FacturaEmitida": _emitida,
    "CreditoAplicado": lambda d: (
        f"Nota de crédito {d['numero_nota_credito']} por {_monto(d['valor_total'])}"
    ),
    "FacturaAnulada": lambda d: f"Motivo: {d['motivo']} ({_dia(d['fecha'])})",
    "NotaCreditoCreada": _nota_creada,
    "NotaCreditoEmitida": _nota_emitida,
    "ComprobanteFirmado": lambda d: f"Clave de acceso {d['clave_acceso']}",
    "ComprobanteNoValido": lambda d: "\n".join(d["errores"]),
    "ComprobanteEnviado": lambda d: f"Intento {d['intento']}",
    "ComprobanteNoEntregado": lambda d: str(d["motivo"]),
    "ComprobanteRecibido": _mensajes,
    "ComprobanteDevuelto": _mensajes,
    "ComprobanteNoAutorizado": _mensajes,
    "ComprobanteAutorizado": lambda d: (
        f"Autorización {d['numero_autorizacion']}"
        + ("\n" + _mensajes(d) if d.get("mensajes") else "")
    ),
    "CorreoEnviado": lambda d: f"Para {d['para']}",
    "ComprobanteCorregido": lambda d: (
        f"Motivo: {d['motivo']}"
        + (f"\nCliente: {_comprador(d['comprador'])}" if d.get("comprador") else "")
    ),
}
