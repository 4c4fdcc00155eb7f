"""Finding the factura to credit: what a cajero types (a number, whole or its secuencial
alone; a customer's identificación or name; a day or a period) read into the
application's BusquedaFacturas, and the facturas found as the results table shows them.

Invariants: a criterion that cannot be read is told beside its field and nothing is
searched (a wrong date never silently widens the search); an empty search lists the most
recent facturas."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from prometeo.application.consultas import BusquedaFacturas, FacturaVista
from prometeo.bootstrap import Servicios
from prometeo.domain.errores import ValorInvalido
from prometeo.entrypoints.web.devoluciones_nota import estado_sri
from prometeo.entrypoints.web.formato import dinero, fecha, leer_fecha

# A screenful: a search that finds more asks to be narrowed (the table says so).
MAXIMO_RESULTADOS = 50
CAMPOS = ("numero", "cliente", "fecha")
_LARGO_MAXIMO = 100
_NUMERO = re.compile(r"([0-9]{1,3})-([0-9]{1,3})-([0-9]{1,9})")
_NUMERO_SEGUIDO = re.compile(r"[0-9]{15}")
_SECUENCIAL = re.compile(r"[0-9]{1,9}")
# "01/12/2026 - 06/12/2026" or "01/12/2026 al 06/12/2026": two days joined by - or a/al.
_PERIODO = re.compile(r"(\S+)\s*(?:-|al?)\s*(\S+)")


@dataclass(frozen=True, slots=True)
class FilaFactura:
    """A factura found, as one row of the results (every figure already formatted)."""

    id: str
    numero: str
    fecha: str
    cliente: str
    identificacion: str
    total: str
    estado: str
    estado_sri: str


@dataclass(frozen=True, slots=True)
class Busqueda:
    """The search as typed (to show it again), what could not be read (field → message)
    and the rows found; `buscada` is False for the screen's first, empty look."""

    valores: dict[str, str]
    avisos: dict[str, str] = field(default_factory=dict)
    filas: tuple[FilaFactura, ...] = ()
    buscada: bool = False
    cortada: bool = False


def leer_numero_factura(texto: str) -> str:
    """ "001-001-000000123" (each part zero-filled: "1-1-123" is the same), the 15 digits
    run together, or the secuencial alone ("123" → "000000123")."""
    limpio = texto.strip()
    if partes := _NUMERO.fullmatch(limpio):
        est, punto, secuencial = partes.groups()
        return f"{est.zfill(3)}-{punto.zfill(3)}-{secuencial.zfill(9)}"
    if _NUMERO_SEGUIDO.fullmatch(limpio):
        return f"{limpio[:3]}-{limpio[3:6]}-{limpio[6:]}"
    if _SECUENCIAL.fullmatch(limpio):
        return limpio.zfill(9)
    raise ValorInvalido(
        "NumeroFacturaValido",
        f"El número «{limpio}» debe escribirse 001-001-000000123, o solo el secuencial (123)",
    )


def _leer_fecha_o_periodo(texto: str, busqueda: BusquedaFacturas) -> BusquedaFacturas:
    limpio = texto.strip()
    if periodo := _PERIODO.fullmatch(limpio):
        desde, hasta = leer_fecha(periodo.group(1)), leer_fecha(periodo.group(2))
        if hasta < desde:
            raise ValorInvalido("PeriodoValido", f"El período «{limpio}» termina antes de empezar")
        return BusquedaFacturas(busqueda.numero, busqueda.cliente, desde, hasta)
    dia = leer_fecha(limpio)
    return BusquedaFacturas(busqueda.numero, busqueda.cliente, dia, dia)


def _fila(vista: FacturaVista) -> FilaFactura:
    return FilaFactura(
        id=vista.id,
        numero=vista.numero or "—",
        fecha=fecha(vista.fecha_emision),
        cliente=vista.cliente.razon_social,
        identificacion=vista.cliente.identificacion,
        total=dinero(vista.totales.importe_total),
        estado="Anulada" if vista.estado == "ANULADA" else "Emitida",
        estado_sri=estado_sri(vista.sri),
    )


def buscar(servicios: Servicios, parametros: Mapping[str, str]) -> Busqueda:
    """Read the search's fields and run it (blocking: call it in a thread)."""
    valores = {c: parametros.get(c, "").strip()[:_LARGO_MAXIMO] for c in CAMPOS}
    avisos: dict[str, str] = {}
    busqueda = BusquedaFacturas(cliente=valores["cliente"] or None)
    if valores["numero"]:
        try:
            numero = leer_numero_factura(valores["numero"])
            busqueda = BusquedaFacturas(numero, busqueda.cliente)
        except ValorInvalido as error:
            avisos["numero"] = error.errores[0].mensaje
    if valores["fecha"]:
        try:
            busqueda = _leer_fecha_o_periodo(valores["fecha"], busqueda)
        except ValorInvalido as error:
            avisos["fecha"] = error.errores[0].mensaje
    if avisos:
        return Busqueda(valores, avisos, buscada=True)
    vistas = servicios.consultas.buscar_facturas(busqueda, MAXIMO_RESULTADOS + 1)
    return Busqueda(
        valores,
        filas=tuple(_fila(v) for v in vistas[:MAXIMO_RESULTADOS]),
        buscada=any(valores.values()),
        cortada=len(vistas) > MAXIMO_RESULTADOS,
    )
