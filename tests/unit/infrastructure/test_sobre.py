"""The message envelope: a stored event → JSON body → back, unchanged; bodies that are not
envelopes are rejected with the reason."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prometeo.infrastructure.db.almacen_eventos import EventoAlmacenado
from prometeo.infrastructure.mensajeria.sobre import (
    SobreInvalido,
    clave_de_enrutamiento,
    codificar_sobre,
    decodificar_sobre,
    evento_de_sobre,
    sobre_de,
)
from prometeo.infrastructure.serializacion import a_json

textos = st.text(min_size=1, max_size=20)
valores_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda hijos: st.lists(hijos, max_size=3) | st.dictionaries(textos, hijos, max_size=3),
    max_leaves=8,
)


@given(
    posicion=st.integers(1, 2**62),
    version=st.integers(1, 2**31 - 1),
    tipo=st.from_regex(r"[A-Z][A-Za-z]{1,30}", fullmatch=True),
    datos=st.dictionaries(textos, valores_json, max_size=5),
    momento=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)),  # noqa: DTZ001
)
def test_ida_y_vuelta(
    posicion: int, version: int, tipo: str, datos: dict[str, object], momento: datetime
) -> None:
    evento = EventoAlmacenado(
        posicion,
        "f0e1d2c3-0000-4000-8000-000000000001",
        "inventario-p1-b1",
        "inventario",
        version,
        tipo,
        2,
        a_json(datos),
        a_json({"usuario": "ana", "correlation_id": "c", "causation_id": None}),
        momento.replace(tzinfo=UTC),
    )
    sobre = decodificar_sobre(codificar_sobre(sobre_de(evento)))
    assert sobre["datos"] == datos
    assert evento_de_sobre(sobre) == evento


def guardado_en(momento: datetime) -> EventoAlmacenado:
    return EventoAlmacenado(1, "i", "factura-1", "factura", 1, "T", 1, "{}", "{}", momento)


def test_la_hora_viaja_en_utc_aunque_la_base_la_devuelva_sin_zona_o_en_otra() -> None:
    sin_zona = datetime(2026, 1, 2, 3, 4)  # noqa: DTZ001 - as SQLite and MariaDB return it
    assert sobre_de(guardado_en(sin_zona))["ocurrido_en"] == "2026-01-02T03:04:00+00:00"
    en_quito = datetime(2026, 1, 1, 22, 4, tzinfo=timezone(timedelta(hours=-5)))
    assert sobre_de(guardado_en(en_quito))["ocurrido_en"] == "2026-01-02T03:04:00+00:00"


def test_clave_de_enrutamiento() -> None:
    assert clave_de_enrutamiento("FacturaEmitida") == "facturacion.facturaemitida"


@pytest.mark.parametrize(
    ("cuerpo", "motivo"),
    [
        (b"{no", "no es JSON"),
        (b"[1, 2]", "no es un objeto"),
        (b'{"id": "x", "tipo": "T"}', "faltan campos: stream_id"),
    ],
)
def test_un_cuerpo_que_no_es_un_sobre(cuerpo: bytes, motivo: str) -> None:
    with pytest.raises(SobreInvalido, match=motivo):
        decodificar_sobre(cuerpo)
