"""Writes from the screens under an idempotency key: done once, whatever the retries."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from prometeo.application.acceso import Rol
from prometeo.application.personas import SesionVigente
from prometeo.application.unidad_de_trabajo import Metadatos
from prometeo.bootstrap import Aplicacion, crear_servicios
from prometeo.domain.errores import ValorInvalido
from prometeo.entrypoints.web.escrituras import (
    EscrituraNoRepetible,
    escribir_una_vez,
    huella_de,
)
from prometeo.entrypoints.web.paginas import plantillas

SESION = SesionVigente("u-1", "ana", Rol.CAJERO, "marca", datetime(2026, 11, 29, tzinfo=UTC))


def test_la_misma_clave_escribe_una_vez(aplicacion: Aplicacion) -> None:
    servicios = crear_servicios(aplicacion)
    hechas: list[Metadatos] = []

    def hacer(metadatos: Metadatos) -> str:
        hechas.append(metadatos)
        return "/caja/facturas/1"

    huella = huella_de("/caja/emitir", {"total": "3.00", "csrf": "x", "idempotencia": "k"})
    assert escribir_una_vez(servicios, SESION, "k-1", huella, hacer) == "/caja/facturas/1"
    assert escribir_una_vez(servicios, SESION, "k-1", huella, hacer) == "/caja/facturas/1"
    assert len(hechas) == 1
    assert hechas[0].usuario == "ana"
    assert hechas[0].idempotencia is not None
    otra = huella_de("/caja/emitir", {"total": "4.00"})
    with pytest.raises(EscrituraNoRepetible) as error:
        escribir_una_vez(servicios, SESION, "k-1", otra, hacer)
    assert error.value.estado == 422


def test_una_escritura_fallida_devuelve_la_clave(aplicacion: Aplicacion) -> None:
    servicios = crear_servicios(aplicacion)

    def fallar(_: Metadatos) -> str:
        raise ValorInvalido("Prueba", "no")

    huella = huella_de("/bodega/ingreso", {"cantidad": "1"})
    with pytest.raises(ValorInvalido):
        escribir_una_vez(servicios, SESION, "k-2", huella, fallar)
    assert escribir_una_vez(servicios, SESION, "k-2", huella, lambda _: "/bodega") == "/bodega"


def test_la_huella_no_depende_de_la_marca_ni_de_la_clave() -> None:
    campos = {"a": "1", "b": "2"}
    assert huella_de("/x", campos) == huella_de("/x", {**campos, "csrf": "m", "idempotencia": "k"})
    assert huella_de("/x", campos) != huella_de("/y", campos)


def test_los_ocultos_de_un_formulario() -> None:
    plantilla = plantillas.env.from_string(
        '{% from "_formularios.html" import ocultos %}{{ ocultos(sesion) }}|'
        "{{ ocultos(sesion, escritura=False) }}"
    )
    escritura, lectura = plantilla.render(sesion=SESION).split("|")
    assert 'name="csrf" value="marca"' in escritura
    assert 'name="idempotencia" value="' in escritura
    assert "idempotencia" not in lectura
