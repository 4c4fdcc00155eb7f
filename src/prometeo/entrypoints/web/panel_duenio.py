"""What the owner's screen shows, built from the reports and the SRI reads the JSON API
uses: the day's and the month's sales per sucursal, the month's sales per tarifa de IVA
(formulario 104), and the documents by SRI state.

Invariants:
- Every figure is the report's own (`total_neto`, `base`, `iva`, `total`), never
  recomputed; a sum shown as a total is the sum of the rows shown above it.
- Each chart and its table come from the same rows, in the same order.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from prometeo.application.consultas import ComprobanteVista, VentaDiaria
from prometeo.application.reportes import FiltroReporte
from prometeo.application.servicios.reportes import todas
from prometeo.bootstrap import Servicios
from prometeo.domain.aggregates.comprobante_electronico import EstadoSri
from prometeo.domain.value_objects.tarifa_iva import TARIFAS_IVA
from prometeo.entrypoints.web.formato import dinero, fecha
from prometeo.entrypoints.web.graficos import Serie, Tabla, grafico_agrupado, grafico_barras

# The list of documents not authorized yet stops here (a note says so when it is cut).
MAXIMO_PENDIENTES = 200
NO_AUTORIZADOS_AUN = tuple(e for e in EstadoSri if e is not EstadoSri.AUTORIZADO)
_TIPOS = {"01": "Factura", "04": "Nota de crédito"}
_MESES = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)


@dataclass(frozen=True, slots=True)
class Bloque:
    """A chart (SVG markup) with its data table and, when it has one, the table's total
    row (already formatted)."""

    grafico: str
    tabla: Tabla
    total: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class Pendiente:
    """A document the SRI has not authorized yet, as the list shows it."""

    tipo: str
    numero: str
    fecha: str
    estado: str
    mensaje: str
    ride: str  # where its RIDE opens under the session
    historia: str  # where its history opens


@dataclass(frozen=True, slots=True)
class Panel:
    """The owner's screen for one month (`mes`, its first day) seen on `hoy`."""

    hoy: date
    mes: date
    nombre_mes: str
    ventas_hoy: Bloque
    ventas_mes: Bloque
    tarifas: Bloque
    estados: tuple[tuple[str, int], ...]
    pendientes: tuple[Pendiente, ...]
    pendientes_cortados: bool


def leer_mes(texto: str | None, hoy: date) -> date:
    """The first day of `texto`'s month (AAAA-MM); this month's when absent or not one."""
    try:
        anio, mes = (int(p) for p in (texto or "").split("-"))
        return date(anio, mes, 1)
    except ValueError:
        return hoy.replace(day=1)


def nombre_mes(mes: date) -> str:
    return f"{_MESES[mes.month - 1]} de {mes.year}"


def _por_sucursal(filas: list[VentaDiaria], titulo: str, ident: str) -> Bloque:
    """Net sales per sucursal (code order): facturas, their total, the notas de crédito's
    total and the net, which the chart draws."""
    sucursales: dict[str, list[VentaDiaria]] = {}
    for fila in filas:
        sucursales.setdefault(fila.sucursal_codigo or fila.sucursal_id, []).append(fila)
    nombres = sorted(sucursales)
    sumas = [
        (
            sum(f.facturas for f in sucursales[n]),
            sum((f.total for f in sucursales[n]), Decimal("0.00")),
            sum((f.total_notas for f in sucursales[n]), Decimal("0.00")),
            sum((f.total_neto for f in sucursales[n]), Decimal("0.00")),
        )
        for n in nombres
    ]
    etiquetas = [f"Sucursal {n}" for n in nombres]
    tabla = Tabla(
        titulo=titulo,
        encabezados=("Sucursal", "Facturas", "Total facturas", "Notas de crédito", "Neto"),
        filas=tuple(
            (e, str(c), dinero(t), dinero(nc), dinero(neto))
            for e, (c, t, nc, neto) in zip(etiquetas, sumas, strict=True)
        ),
    )
    total = (
        "Total",
        str(sum(s[0] for s in sumas)),
        *(dinero(sum((s[i] for s in sumas), Decimal("0.00"))) for i in (1, 2, 3)),
    )
    grafico = grafico_barras(
        [(e, s[3]) for e, s in zip(etiquetas, sumas, strict=True)],
        titulo=titulo,
        descripcion="Ventas netas (facturas menos notas de crédito) en USD.",
        identificador=ident,
        ancho=480,
        alto=280,
    )
    return Bloque(grafico, tabla, total)


def _tarifas(servicios: Servicios, filtro: FiltroReporte, titulo: str) -> Bloque:
    filas = servicios.reportes.ventas_por_tarifa(filtro)
    etiquetas = [
        f"IVA {TARIFAS_IVA[f.codigo_porcentaje].descripcion}"
        if f.codigo_porcentaje in TARIFAS_IVA
        else f"Código {f.codigo_porcentaje}"
        for f in filas
    ]
    series = [
        Serie("Base imponible", tuple(f.base for f in filas)),
        Serie("IVA", tuple(f.iva for f in filas)),
    ]
    tabla = Tabla(
        titulo=titulo,
        encabezados=("Tarifa", "Base imponible", "IVA", "Total"),
        filas=tuple(
            (e, dinero(f.base), dinero(f.iva), dinero(f.total))
            for e, f in zip(etiquetas, filas, strict=True)
        ),
    )
    total = (
        "Total",
        dinero(sum((f.base for f in filas), Decimal("0.00"))),
        dinero(sum((f.iva for f in filas), Decimal("0.00"))),
        dinero(sum((f.total for f in filas), Decimal("0.00"))),
    )
    grafico = grafico_agrupado(
        etiquetas,
        series,
        titulo=titulo,
        descripcion="Base imponible e IVA de cada tarifa, netos de notas de crédito, en USD.",
        identificador="tarifas",
        ancho=480,
        alto=280,
    )
    return Bloque(grafico, tabla, total)


def _pendiente(vista: ComprobanteVista) -> Pendiente:
    mensajes = vista.sri.mensajes
    ultimo = mensajes[-1].mensaje if mensajes else (vista.sri.ultimo_error or "")
    return Pendiente(
        _TIPOS.get(vista.tipo, vista.tipo),
        vista.numero,
        fecha(vista.fecha_emision),
        vista.sri.estado,
        ultimo,
        f"/dueno/ride/{vista.tipo}/{vista.id}",
        f"/dueno/documento/{vista.tipo}/{vista.id}",
    )


def _contar(servicios: Servicios, estado: EstadoSri, desde: date, hasta: date) -> int:
    """How many documents emitted from `desde` to `hasta` are in `estado`."""

    def pagina(limite: int, desplazamiento: int) -> list[ComprobanteVista]:
        return servicios.consultas.comprobantes(estado.value, desde, hasta, limite, desplazamiento)

    return sum(1 for _ in todas(pagina))


def armar_panel(servicios: Servicios, mes_pedido: str | None) -> Panel:
    """The owner's screen for `mes_pedido` (AAAA-MM; this month by default)."""
    reportes, consultas = servicios.reportes, servicios.consultas
    hoy = reportes.hoy()
    mes = leer_mes(mes_pedido, hoy)
    fin = mes.replace(day=calendar.monthrange(mes.year, mes.month)[1])
    del_mes = FiltroReporte(mes, fin)
    de_hoy = FiltroReporte(hoy, hoy)
    nombre = nombre_mes(mes)
    estados = tuple((e.value, _contar(servicios, e, mes, fin)) for e in EstadoSri)
    pendientes: list[Pendiente] = []
    for estado in NO_AUTORIZADOS_AUN:
        vistas = consultas.comprobantes(estado.value, None, None, MAXIMO_PENDIENTES + 1, 0)
        pendientes.extend(_pendiente(v) for v in vistas)
    return Panel(
        hoy=hoy,
        mes=mes,
        nombre_mes=nombre,
        ventas_hoy=_por_sucursal(
            list(todas(lambda n, d: reportes.ventas_diarias(de_hoy, n, d))),
            f"Ventas de hoy, {fecha(hoy)}, por sucursal",
            "ventas-hoy",
        ),
        ventas_mes=_por_sucursal(
            list(todas(lambda n, d: reportes.ventas_diarias(del_mes, n, d))),
            f"Ventas de {nombre} por sucursal",
            "ventas-mes",
        ),
        tarifas=_tarifas(servicios, del_mes, f"Ventas de {nombre} por tarifa de IVA"),
        estados=estados,
        pendientes=tuple(pendientes[:MAXIMO_PENDIENTES]),
        pendientes_cortados=len(pendientes) > MAXIMO_PENDIENTES,
    )
