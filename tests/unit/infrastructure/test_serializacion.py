"""Round trips of every event and aggregate snapshot through the JSON the store keeps:
what is written is read back equal, and every Decimal prints exactly as before."""

from __future__ import annotations

import dataclasses
import json
import re
import sys
import types
import typing
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar, Literal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prometeo.domain.aggregates.base import Agregado
from prometeo.domain.aggregates.factura import EstadoFactura, Factura, LineaFactura
from prometeo.domain.aggregates.inventario import Inventario
from prometeo.domain.aggregates.nota_credito import EstadoNotaCredito, NotaCredito
from prometeo.domain.aggregates.secuencia import SecuenciaComprobantes
from prometeo.domain.events.base import EventoDominio
from prometeo.domain.events.comprobante import DatosComprador, DatosEmisor
from prometeo.domain.events.factura import LineaAgregada
from prometeo.domain.events.inventario import ConsumoLote, StockReducido
from prometeo.domain.reloj import RelojFijo
from prometeo.domain.services.acreditacion import SolicitudLineaCredito
from prometeo.domain.services.emision import emitir_factura
from prometeo.domain.services.emision_nota_credito import emitir_nota_credito
from prometeo.domain.services.totales import DescuentoGlobal
from prometeo.domain.value_objects.comprador import Comprador
from prometeo.domain.value_objects.dinero import Cantidad, Precio
from prometeo.domain.value_objects.motivo import MotivoModificacion
from prometeo.domain.value_objects.numero_comprobante import TipoComprobante
from prometeo.domain.value_objects.tarifa_iva import TarifaIva
from prometeo.infrastructure.serializacion import (
    ClaseNoPermitida,
    CodecEventos,
    CodecSnapshots,
    ErrorSerializacion,
    TipoEventoDesconocido,
    UpcasterFaltante,
    tipos_de_evento,
)
from prometeo.infrastructure.serializacion.conversores import a_json, conversores, referencia

CODEC = CodecEventos()
SNAPSHOTS = CodecSnapshots()
TIPOS = tipos_de_evento()
CONOCIDOS = {
    "FacturaCreada",
    "LineaAgregada",
    "DescuentoAplicado",
    "FacturaEmitida",
    "CreditoAplicado",
    "FacturaAnulada",
    "LineaEliminada",
    "LineaCambiada",
    "ClienteAsignado",
    "PagosDefinidos",
    "PropinaDefinida",
    "BorradorDescartado",
    "NotaCreditoCreada",
    "NotaCreditoEmitida",
    "LoteIngresado",
    "StockReducido",
    "StockIncrementado",
    "StockBajo",
    "StockAjustado",
    "LoteDadoDeBaja",
    "SecuencialAsignado",
}
NOTABLES = [
    Decimal(t)
    for t in ("16.00", "2.285714", "0", "-1.5", "0.00", "-0", "1E+3", "0.000001", "9999999.99")
]
decimales = st.one_of(
    st.sampled_from(NOTABLES),
    # any digits with any exponent: Decimal((sign, digits, exponent))
    st.tuples(
        st.integers(0, 1),
        st.integers(0, 10**30).map(lambda n: tuple(map(int, str(n)))),
        st.integers(-12, 6),
    ).map(Decimal),
    st.decimals(allow_nan=False, allow_infinity=False),
)


def estrategia(tipo: Any) -> st.SearchStrategy[Any]:
    """Values of an annotated field type, defaulted fields included."""
    if tipo in (str, int, bool, date):
        return {str: st.text(max_size=12), int: st.integers(), bool: st.booleans()}.get(
            tipo, st.dates()
        )
    if tipo is Decimal:
        return decimales
    if tipo is datetime:  # aware, with any whole-minute offset
        desfases = st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
        return st.datetimes(timezones=desfases).map(lambda d: d.replace(fold=0))
    origen, argumentos = typing.get_origin(tipo), typing.get_args(tipo)
    if origen is Literal:
        return st.sampled_from(argumentos)
    if origen in (typing.Union, types.UnionType):
        return st.one_of([st.none() if a is type(None) else estrategia(a) for a in argumentos])
    if origen is tuple:
        return st.lists(estrategia(argumentos[0]), max_size=3).map(tuple)
    assert isinstance(tipo, type), tipo
    assert dataclasses.is_dataclass(tipo), tipo
    anotaciones = typing.get_type_hints(tipo)
    campos = {f.name: estrategia(anotaciones[f.name]) for f in dataclasses.fields(tipo)}
    return st.builds(tipo, **campos)


def decimales_de(valor: object) -> list[str]:
    if isinstance(valor, Decimal):
        return [str(valor)]
    if isinstance(valor, tuple):
        return [t for v in valor for t in decimales_de(v)]
    if dataclasses.is_dataclass(valor):
        return [t for f in dataclasses.fields(valor) for t in decimales_de(getattr(valor, f.name))]
    return []


# --- events ------------------------------------------------------------------------------


def test_el_registro_tiene_todos_los_eventos_conocidos() -> None:
    assert set(TIPOS) >= CONOCIDOS
    assert all(issubclass(c, EventoDominio) and c.__name__ == t for t, c in TIPOS.items())
    assert CODEC.tipos == frozenset(TIPOS)


@pytest.mark.parametrize("clase", list(TIPOS.values()), ids=list(TIPOS))
@given(datos=st.data())
def test_todo_evento_vuelve_igual_de_su_json(
    clase: type[EventoDominio], datos: st.DataObject
) -> None:
    evento = datos.draw(estrategia(clase))
    tipo, version, texto = CODEC.codificar(evento)
    assert (tipo, version) == (evento.tipo, clase.VERSION_ESQUEMA)

    leido = CODEC.decodificar(tipo, version, texto)

    assert leido == evento
    assert decimales_de(leido) == decimales_de(evento)
    assert repr(leido) == repr(evento)
    assert CODEC.decodificar(tipo, version, json.loads(texto)) == evento
    assert CODEC.codificar(leido)[2] == texto


@pytest.mark.parametrize("clase", list(TIPOS.values()), ids=list(TIPOS))
@given(datos=st.data())
def test_el_camino_generado_coincide_con_el_de_referencia(
    clase: type[EventoDominio], datos: st.DataObject
) -> None:
    evento = datos.draw(estrategia(clase))
    codificar, decodificar = referencia(clase)
    texto = a_json(codificar(evento))
    assert texto == json.dumps(codificar(evento), ensure_ascii=False, separators=(",", ":"))

    assert CODEC.codificar(evento)[2] == texto
    objeto = json.loads(texto)
    assert repr(conversores(clase)[1](objeto)) == repr(decodificar(objeto)) == repr(evento)
    # As an event stored before its defaulted fields existed: they take their defaults.
    for campo in dataclasses.fields(clase):
        if campo.default is not dataclasses.MISSING:
            del objeto[campo.name]
    assert repr(conversores(clase)[1](objeto)) == repr(decodificar(objeto))


class Color(StrEnum):
    ROJO = "rojo"


@dataclass(frozen=True, slots=True, kw_only=True)
class Pintado(EventoDominio):
    """Test-only event with a defaulted field."""

    color: str
    veces: int = 1


def test_un_valor_que_el_camino_generado_no_espera_pasa_por_el_de_referencia() -> None:
    codec = CodecEventos({"Pintado": Pintado})
    assert codec.codificar(Pintado(color=Color.ROJO))[2] == '{"color":"rojo","veces":1}'
    leido = codec.decodificar("Pintado", 1, '{"color":"rojo"}')
    assert leido == Pintado(color="rojo")
    assert type(leido.color) is str  # type: ignore[attr-defined]
    assert codec.decodificar("Pintado", 1, ' {"color":"rojo","veces":2}\n') == Pintado(
        color="rojo", veces=2
    )
    with pytest.raises(ErrorSerializacion, match=re.escape("Pintado.veces: expected int")):
        codec.codificar(Pintado(color="rojo", veces=True))
    with pytest.raises(ErrorSerializacion, match=re.escape("Pintado.veces: expected int")):
        codec.decodificar("Pintado", 1, '{"color":"rojo","veces":"2"}')
    with pytest.raises(ErrorSerializacion, match=re.escape("unknown fields ['sobra']")):
        codec.decodificar("Pintado", 1, '{"color":"rojo","sobra":1}')
    with pytest.raises(ErrorSerializacion, match="invalid JSON"):
        codec.decodificar("Pintado", 1, '{"color":"rojo"} x')


def test_el_formato_guardado_es_estable() -> None:
    evento = StockReducido(
        producto_id="café",
        bodega_id="b1",
        fecha=date(2026, 1, 2),
        documento="FACTURA 001-001-000000001",
        documento_id="f1",
        cantidad=Decimal("3.000"),
        costo=Decimal("16.00"),
        consumos=(ConsumoLote("l1", Decimal("3.000"), Decimal("5.333333"), Decimal("16.00")),),
    )
    assert CODEC.codificar(evento) == (
        "StockReducido",
        1,
        '{"producto_id":"café","bodega_id":"b1","fecha":"2026-01-02",'
        '"documento":"FACTURA 001-001-000000001","documento_id":"f1","cantidad":"3.000",'
        '"costo":"16.00","consumos":[{"lote_id":"l1","cantidad":"3.000",'
        '"costo_unitario":"5.333333","costo":"16.00","fecha_caducidad":null,'
        '"fecha_ingreso":null,"cantidad_inicial":null}],'
        '"motivo":"VENTA"}',
    )


def _linea(descripcion: str, codigo: str = "CAFÉ-1") -> LineaAgregada:
    return LineaAgregada(
        factura_id="f1",
        numero_linea=1,
        producto_id="p1",
        codigo=codigo,
        descripcion=descripcion,
        cantidad=Decimal("2"),
        precio_unitario=Decimal("7.50"),
        descuento=Decimal("0.00"),
        tarifa_iva="4",
    )


def test_el_json_es_compacto_y_utf8_sin_escapes() -> None:
    evento = _linea("Café de Loja, ñandú — 2 × 500 g €")
    _, _, texto = CODEC.codificar(evento)
    assert "Café de Loja, ñandú — 2 × 500 g €" in texto
    assert "\\u" not in texto
    assert texto == json.dumps(json.loads(texto), ensure_ascii=False, separators=(",", ":"))
    assert texto.encode("utf-8").decode("utf-8") == texto


def _datos_stock_reducido() -> dict[str, Any]:
    datos: dict[str, Any] = json.loads(
        CODEC.codificar(
            StockReducido(
                producto_id="p",
                bodega_id="b",
                fecha=date(2026, 1, 2),
                documento="d",
                documento_id="f",
                cantidad=Decimal(1),
                costo=Decimal("1.00"),
                consumos=(),
            )
        )[2]
    )
    return datos


# Stored data that does not fit StockReducido, and the part of the message that names why:
# the strict way (a dict) and the msgspec way (text) must refuse it alike.
_QUE_NO_ENCAJAN: list[tuple[dict[str, Any], str]] = [
    ({"cantidad": 1.5}, "StockReducido.cantidad"),
    ({"cantidad": "uno"}, "StockReducido.cantidad"),
    ({"fecha": "02/01/2026"}, "StockReducido.fecha"),
    ({"motivo": "ROBO"}, "StockReducido.motivo"),
    ({"consumos": [{"lote_id": "l"}]}, "ConsumoLote: missing field 'cantidad'"),
    (
        {
            "consumos": [
                {
                    "lote_id": "l",
                    "cantidad": "1",
                    "costo_unitario": "1",
                    "costo": "1",
                    "fecha_caducidad": None,
                    "fecha_ingreso": None,
                    "cantidad_inicial": None,
                    "sobra": 1,
                }
            ]
        },
        "unknown fields ['sobra']",
    ),
    ({"documento": None}, "StockReducido.documento"),
    ({"sobra": 1}, "unknown fields ['sobra']"),
]


@pytest.mark.parametrize(("cambio", "mensaje"), _QUE_NO_ENCAJAN)
def test_datos_que_no_encajan_se_rechazan_con_claridad(
    cambio: dict[str, Any], mensaje: str
) -> None:
    with pytest.raises(ErrorSerializacion, match=re.escape(mensaje)):
        CODEC.decodificar("StockReducido", 1, {**_datos_stock_reducido(), **cambio})


def test_un_campo_con_valor_por_defecto_puede_faltar() -> None:
    datos = _datos_stock_reducido()
    del datos["motivo"]
    assert CODEC.decodificar("StockReducido", 1, datos).motivo == "VENTA"  # type: ignore[attr-defined]
    del datos["fecha"]
    with pytest.raises(ErrorSerializacion, match="missing field 'fecha'"):
        CODEC.decodificar("StockReducido", 1, datos)


def test_tipo_desconocido_o_version_futura() -> None:
    with pytest.raises(TipoEventoDesconocido, match="FacturaBorrada"):
        CODEC.decodificar("FacturaBorrada", 1, "{}")
    with pytest.raises(ErrorSerializacion, match="newer"):
        CODEC.decodificar("StockReducido", 2, _datos_stock_reducido())


def test_instantes_con_zona_horaria() -> None:
    @dataclass(frozen=True, slots=True, kw_only=True)
    class Marcado(EventoDominio):
        momento: datetime

    codec = CodecEventos({"Marcado": Marcado})
    evento = Marcado(momento=datetime(2026, 1, 2, 10, 30, tzinfo=timezone(timedelta(hours=-5))))
    texto = codec.codificar(evento)[2]
    assert texto == '{"momento":"2026-01-02T10:30:00-05:00"}'
    assert codec.decodificar("Marcado", 1, texto) == evento
    with pytest.raises(ErrorSerializacion, match="time zone"):
        codec.codificar(Marcado(momento=datetime(2026, 1, 2)))  # noqa: DTZ001


# --- upcasting ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class PrecioFijado(EventoDominio):
    """Test-only event. v1 {"producto", "precio"}; v2 renamed producto to producto_id;
    v3 added moneda."""

    VERSION_ESQUEMA: ClassVar[int] = 3

    producto_id: str
    precio: Decimal
    moneda: str


def v1_a_v2(datos: dict[str, Any]) -> dict[str, Any]:
    return {"producto_id": datos["producto"], "precio": datos["precio"]}


def v2_a_v3(datos: dict[str, Any]) -> dict[str, Any]:
    return {**datos, "moneda": "USD"}


def codec_de_precios() -> CodecEventos:
    codec = CodecEventos({"PrecioFijado": PrecioFijado}, upcasters={("PrecioFijado", 1): v1_a_v2})
    codec.registrar_upcaster("PrecioFijado", 2, v2_a_v3)
    return codec


def test_un_evento_viejo_sube_version_a_version() -> None:
    codec = codec_de_precios()
    actual = PrecioFijado(producto_id="p1", precio=Decimal("2.50"), moneda="USD")
    guardado = {"producto": "p1", "precio": "2.50"}

    assert codec.decodificar("PrecioFijado", 1, json.dumps(guardado)) == actual
    assert codec.decodificar("PrecioFijado", 1, guardado) == actual
    assert guardado == {"producto": "p1", "precio": "2.50"}  # what was stored is untouched
    assert codec.decodificar("PrecioFijado", 2, '{"producto_id":"p1","precio":"2.50"}') == actual
    assert codec.codificar(actual)[:2] == ("PrecioFijado", 3)
    assert codec.decodificar(*codec.codificar(actual)) == actual


def test_un_paso_faltante_se_informa() -> None:
    codec = CodecEventos({"PrecioFijado": PrecioFijado}, upcasters={("PrecioFijado", 2): v2_a_v3})
    with pytest.raises(UpcasterFaltante, match="from v1 to v2"):
        codec.decodificar("PrecioFijado", 1, '{"producto":"p1","precio":"2.50"}')


def test_upcasters_mal_registrados() -> None:
    codec = codec_de_precios()
    with pytest.raises(ValueError, match="already"):
        codec.registrar_upcaster("PrecioFijado", 1, v1_a_v2)
    with pytest.raises(ValueError, match="v3"):
        codec.registrar_upcaster("PrecioFijado", 3, v2_a_v3)
    with pytest.raises(TipoEventoDesconocido):
        codec.registrar_upcaster("Inexistente", 1, v1_a_v2)


def test_los_eventos_de_prueba_no_entran_al_registro_del_dominio() -> None:
    assert "PrecioFijado" not in tipos_de_evento()
    with pytest.raises(TipoEventoDesconocido):
        CODEC.codificar(PrecioFijado(producto_id="p", precio=Decimal(1), moneda="USD"))


# --- snapshots ---------------------------------------------------------------------------

HOY = date(2026, 11, 29)
RELOJ = RelojFijo(HOY)
EMISOR = DatosEmisor("1790011674001", "Comercial Andina S.A.", "Andina", "Quito", True, "1")
MARIA = Comprador("05", "0602910945", "María Pérez", "Riobamba", "maria@example.com")


@dataclass
class Tienda:
    """Real aggregates after a real history: an emitted and credited factura."""

    factura: Factura
    nota: NotaCredito
    inventario: Inventario
    punto_facturas: SecuenciaComprobantes
    punto_notas: SecuenciaComprobantes


def tienda() -> Tienda:
    inventario = Inventario.para("cafe", "bodega-1")
    inventario.ingresar(Cantidad("4"), Precio("2.285714"), HOY - timedelta(days=9), lote_id="$d")
    inventario.ingresar(
        Cantidad("3.5"), Precio("3.10"), HOY, fecha_caducidad=HOY + timedelta(days=90)
    )
    inventario.ingresar(Cantidad("10"), Precio("2.50"), HOY, lote_id="$c")
    factura = Factura.crear(
        "factura-1",
        punto_emision_id="punto-1",
        sucursal_id="sucursal-1",
        bodega_id="bodega-1",
        comprador=MARIA,
        fecha_emision=HOY,
    )
    for cantidad, precio in (("5", "4.00"), ("1.25", "3.333333")):
        factura.agregar_linea(
            producto_id="cafe",
            codigo="CAFÉ",
            descripcion="Café de Loja",
            cantidad=Cantidad(cantidad),
            precio_unitario=Precio(precio),
            tarifa_iva=TarifaIva.de_codigo("4"),
        )
    factura.aplicar_descuento(DescuentoGlobal("PORCENTAJE", Decimal("10")))
    punto_facturas = SecuenciaComprobantes.para("punto-1", TipoComprobante.FACTURA)
    emitir_factura(
        factura,
        punto_facturas,
        {"cafe": inventario},
        establecimiento="001",
        codigo_punto="001",
        emisor=EMISOR,
        reloj=RELOJ,
    )
    punto_notas = SecuenciaComprobantes.para("punto-1", TipoComprobante.NOTA_CREDITO)
    nota = emitir_nota_credito(
        "nota-1",
        factura,
        punto_notas,
        {"cafe": inventario},
        solicitudes=[SolicitudLineaCredito("cafe", cantidad=Cantidad("2"))],
        motivo=MotivoModificacion("Devolución del cliente"),
        devolucion_inventario=True,
        establecimiento="001",
        codigo_punto="001",
        emisor=EMISOR,
        reloj=RELOJ,
    )
    return Tienda(factura, nota, inventario, punto_facturas, punto_notas)


def ida_y_vuelta(agregado: Agregado) -> Agregado:
    version, texto = SNAPSHOTS.codificar(agregado)
    assert version == type(agregado).VERSION_SNAPSHOT
    assert texto == json.dumps(json.loads(texto), ensure_ascii=False, separators=(",", ":"))
    return SNAPSHOTS.decodificar(type(agregado), texto)


@pytest.mark.parametrize("nombre", ["factura", "nota", "inventario", "punto_facturas"])
def test_un_snapshot_restaura_el_mismo_estado(nombre: str) -> None:
    original: Agregado = getattr(tienda(), nombre)
    restaurado = ida_y_vuelta(original)

    assert type(restaurado) is type(original)
    assert restaurado == original
    assert restaurado.version == original.version > 0
    assert repr(restaurado._estado()) == repr(original._estado())  # exact digits, same types
    assert restaurado.eventos_pendientes == ()


def test_el_snapshot_conserva_enums_orden_fifo_y_valores_de_dominio() -> None:
    t = tienda()
    factura = ida_y_vuelta(t.factura)
    assert isinstance(factura, Factura)
    assert factura.estado is EstadoFactura.EMITIDA
    assert factura.notas_credito == ["nota-1"]
    assert isinstance(factura.lineas[0], LineaFactura)
    assert factura.lineas[0].valor_acreditado == t.factura.lineas[0].valor_acreditado
    assert factura.comprador == MARIA
    nota = ida_y_vuelta(t.nota)
    assert isinstance(nota, NotaCredito)
    assert nota.estado is EstadoNotaCredito.EMITIDA
    assert isinstance(nota.comprador, DatosComprador)
    inventario = ida_y_vuelta(t.inventario)
    assert isinstance(inventario, Inventario)
    # The "$d" lot was emptied by the sale; "$c" (a tag-like key) survives the round trip.
    assert "$c" in [lote.lote_id for lote in inventario.lotes]
    assert inventario.lotes == t.inventario.lotes
    assert inventario.stock == t.inventario.stock


def test_un_agregado_restaurado_sigue_igual_que_el_original() -> None:
    original = tienda().inventario
    original.recolectar_eventos()
    restaurado = ida_y_vuelta(original)
    assert isinstance(restaurado, Inventario)
    for inventario in (original, restaurado):
        inventario.reducir(Cantidad("6.5"), HOY, documento="FACTURA 2", documento_id="f2")
    assert restaurado.recolectar_eventos() == original.recolectar_eventos()
    assert restaurado == original


@given(
    lotes=st.lists(
        st.tuples(st.integers(1, 10**8), st.integers(0, 10**8), st.booleans()),
        min_size=1,
        max_size=6,
    ),
    porcentaje=st.integers(0, 100),
)
def test_snapshot_de_inventarios_al_azar(
    lotes: list[tuple[int, int, bool]], porcentaje: int
) -> None:
    inventario = Inventario.para("p", "b")
    for millonesimas, costo, caduca in lotes:
        inventario.ingresar(
            Cantidad(Decimal(millonesimas) / 10**6),
            Precio(Decimal(costo) / 10**6),
            HOY,
            fecha_caducidad=HOY + timedelta(days=30) if caduca else None,
        )
    salida = (inventario.stock * porcentaje / 100).quantize(Decimal("0.000001"))
    if salida > 0:
        inventario.reducir(Cantidad(salida), HOY, documento="d", documento_id="x")
    restaurado = ida_y_vuelta(inventario)
    assert restaurado == inventario
    assert repr(restaurado._estado()) == repr(inventario._estado())


def test_el_snapshot_de_un_inventario_contado_y_con_bajas_conserva_el_ultimo_costo() -> None:
    inventario = Inventario.para("p", "b")
    inventario.ingresar(Cantidad(3), Precio("1.10"), HOY, fecha_caducidad=HOY, lote_id="L1")
    inventario.ingresar(Cantidad(2), Precio("4.00"), HOY, lote_id="L2")
    inventario.dar_de_baja("L1", HOY + timedelta(days=1), motivo="Caducado", documento_id="B")
    inventario.ajustar(Decimal(0), Decimal(2), HOY, documento="C", documento_id="C")

    restaurado = ida_y_vuelta(inventario)

    assert CodecSnapshots().codificar(inventario)[0] == Inventario.VERSION_SNAPSHOT == 2
    assert restaurado == inventario
    assert restaurado.stock == 0
    # With no stock left a surplus enters at the last lot's cost, kept by the snapshot.
    evento = restaurado.ajustar(Decimal(1), Decimal(0), HOY, documento="C", documento_id="C2")
    assert evento is not None
    assert evento.lotes[0].costo_unitario == Decimal("4.00")


valores = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=5)
    | decimales
    | st.dates()
    # fold only matters in zones with DST changes, and ISO text does not carry it
    | st.datetimes(timezones=st.sampled_from([UTC, timezone(timedelta(hours=-5))])).map(
        lambda instante: instante.replace(fold=0)
    )
    | st.sampled_from(list(EstadoFactura) + list(TipoComprobante))
    | estrategia(ConsumoLote)
    | estrategia(DatosComprador),
    lambda hijos: (
        st.lists(hijos, max_size=3)
        | st.lists(hijos, max_size=3).map(tuple)
        | st.dictionaries(st.text(max_size=3), hijos, max_size=3)
        | st.dictionaries(st.integers() | st.tuples(st.integers()), hijos, max_size=2)
    ),
    max_leaves=12,
)


@given(valor=valores)
def test_cualquier_valor_del_estado_vuelve_identico(valor: object) -> None:
    punto = SecuenciaComprobantes("p")
    punto.tipo_comprobante = valor  # type: ignore[assignment]
    restaurado = ida_y_vuelta(punto)
    assert restaurado == punto
    assert repr(restaurado._estado()) == repr(punto._estado())


def _estado_punto(**cambios: object) -> str:
    return json.dumps(
        {"id": "p", "version": 0, "punto_emision_id": "", "tipo_comprobante": "", **cambios}
    )


@pytest.mark.parametrize(
    "valor",
    [
        {"$c": "pydoc_data.topics.Cualquiera"},
        {"$e": ["pydoc_data.topics.Cualquiera", 1]},
        {"$c": "prometeo.infrastructure.serializacion.snapshots.CodecSnapshots"},
        {"$c": "prometeo.domainx.algo.Clase"},
        {"$c": "prometeo.domain.aggregates.factura.Decimal"},  # imported there, not defined
        {"$c": "prometeo.domain.aggregates.factura.Factura"},  # not a dataclass
        {"$e": ["prometeo.domain.aggregates.factura.LineaFactura", "X"]},  # not an enum
        {"$c": "prometeo.domain.aggregates.no_existe.Clase"},
    ],
)
def test_un_snapshot_no_puede_nombrar_clases_ajenas_al_dominio(valor: object) -> None:
    with pytest.raises(ClaseNoPermitida):
        SNAPSHOTS.decodificar(SecuenciaComprobantes, _estado_punto(tipo_comprobante=valor))
    assert "pydoc_data.topics" not in sys.modules


@dataclass(frozen=True)
class Ajena:
    valor: int


def test_no_se_escriben_clases_ajenas_al_dominio() -> None:
    punto = SecuenciaComprobantes("p")
    punto.tipo_comprobante = Ajena(1)  # type: ignore[assignment]
    with pytest.raises(ClaseNoPermitida, match="Ajena"):
        SNAPSHOTS.codificar(punto)


@pytest.mark.parametrize(
    "texto",
    [
        _estado_punto(sobra=1),
        json.dumps({"id": "p", "version": 0}),
        json.dumps(["p"]),
        _estado_punto(tipo_comprobante={"$x": 1}),
        _estado_punto(tipo_comprobante={"$d": "no es número"}),
        _estado_punto(
            tipo_comprobante={"$c": "prometeo.domain.events.inventario.ConsumoLote", "x": 1}
        ),
        "{no es json",
    ],
)
def test_un_snapshot_que_no_encaja_se_rechaza(texto: str) -> None:
    with pytest.raises(ErrorSerializacion):
        SNAPSHOTS.decodificar(SecuenciaComprobantes, texto)


# --- the msgspec fast path ---------------------------------------------------------------
#
# Stored text in canonical form is built by msgspec and kept only if it writes back to the
# very same text; every other text goes the strict way. Both must give the same answer.


def _reordenado(objeto: Any, semilla: int) -> Any:
    """The same JSON value with each object's keys in another order."""
    if isinstance(objeto, dict):
        claves = list(objeto)
        if claves:
            k = semilla % len(claves)
            claves = claves[k:] + claves[:k]
        return {c: _reordenado(objeto[c], semilla + 1) for c in claves}
    if isinstance(objeto, list):
        return [_reordenado(v, semilla) for v in objeto]
    return objeto


@pytest.mark.parametrize("clase", list(TIPOS.values()), ids=list(TIPOS))
@given(datos=st.data(), semilla=st.integers(0, 50), quitar=st.booleans())
def test_todo_texto_se_lee_igual_que_por_el_camino_estricto(
    clase: type[EventoDominio], datos: st.DataObject, semilla: int, quitar: bool
) -> None:
    evento = datos.draw(estrategia(clase))
    _, version, texto = CODEC.codificar(evento)
    objeto = json.loads(texto)
    if quitar:  # an event stored before its defaulted fields existed
        for campo in dataclasses.fields(clase):
            if campo.default is not dataclasses.MISSING:
                objeto.pop(campo.name, None)
    otro = json.dumps(_reordenado(objeto, semilla), ensure_ascii=False, separators=(",", ":"))
    for leido_de in (texto, otro, " " + otro):
        leido = CODEC.decodificar(clase.__name__, version, leido_de)
        esperado = referencia(clase)[1](json.loads(leido_de))
        assert repr(leido) == repr(esperado)
        assert decimales_de(leido) == decimales_de(esperado)


@pytest.mark.parametrize(("cambio", "mensaje"), _QUE_NO_ENCAJAN)
def test_un_texto_que_no_encaja_se_rechaza_igual(cambio: dict[str, Any], mensaje: str) -> None:
    texto = a_json({**_datos_stock_reducido(), **cambio})
    with pytest.raises(ErrorSerializacion, match=re.escape(mensaje)):
        CODEC.decodificar("StockReducido", 1, texto)


def test_un_numero_json_en_un_decimal_se_lee_como_el_camino_estricto() -> None:
    texto = a_json({**_datos_stock_reducido(), "cantidad": 2})
    leido = CODEC.decodificar("StockReducido", 1, texto)
    assert leido.cantidad == Decimal(2)  # type: ignore[attr-defined]
    assert str(leido.cantidad) == "2"  # type: ignore[attr-defined]


def test_un_texto_con_un_sustituto_suelto_no_rompe_la_lectura() -> None:
    evento = _linea("roto \ud800", codigo="X")
    _, version, texto = CODEC.codificar(evento)
    assert CODEC.decodificar("LineaAgregada", version, texto) == evento
