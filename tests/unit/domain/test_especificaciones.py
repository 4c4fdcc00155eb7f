"""Specifications combine with &, | and ~, and report every failed rule by name."""

from __future__ import annotations

import pytest

from prometeo.domain.errores import (
    OperacionNoPermitida,
    ReglaIncumplida,
    ReglasIncumplidas,
    RevisionDeReglas,
    ValorInvalido,
    ambas,
)
from prometeo.domain.specifications.base import Specification, todas


class EsPar(Specification[int]):
    def is_satisfied_by(self, candidate: int) -> bool:
        return candidate % 2 == 0

    def mensaje(self, candidate: int) -> str:
        return f"{candidate} no es par"


class EsPositivo(Specification[int]):
    def is_satisfied_by(self, candidate: int) -> bool:
        return candidate > 0


def test_y_reporta_ambas_fallas() -> None:
    regla = EsPar() & EsPositivo()
    assert regla.is_satisfied_by(4)
    assert not regla.is_satisfied_by(3)
    assert regla.incumplidas(-3) == [
        ReglaIncumplida("EsPar", "-3 no es par"),
        ReglaIncumplida("EsPositivo", "No se cumple la regla EsPositivo"),
    ]
    assert regla.incumplidas(-2) == [
        ReglaIncumplida("EsPositivo", "No se cumple la regla EsPositivo")
    ]


def test_o_basta_con_una() -> None:
    regla = EsPar() | EsPositivo()
    assert regla.is_satisfied_by(3)
    assert regla.is_satisfied_by(-2)
    assert regla.incumplidas(3) == []
    assert [e.regla for e in regla.incumplidas(-3)] == ["EsPar", "EsPositivo"]


def test_negacion() -> None:
    regla = ~EsPar()
    assert regla.is_satisfied_by(3)
    assert not regla.is_satisfied_by(2)
    assert regla.nombre == "NoEsPar"
    assert regla.incumplidas(2)[0].regla == "NoEsPar"
    assert "EsPar" in regla.incumplidas(2)[0].mensaje


def test_exigir_lanza_un_error_con_todas_las_reglas() -> None:
    regla = todas(EsPar(), EsPositivo(), ~EsPar())
    with pytest.raises(ReglasIncumplidas) as error:
        regla.exigir(-3)
    assert error.value.reglas == ("EsPar", "EsPositivo")
    assert "EsPar: -3 no es par" in str(error.value)
    EsPar().exigir(2)


def test_especificacion_base_es_abstracta() -> None:
    with pytest.raises(NotImplementedError):
        Specification[int]().is_satisfied_by(1)


def test_error_sin_reglas_no_existe() -> None:
    with pytest.raises(ValueError, match="al menos una"):
        ReglasIncumplidas([])


def test_una_revision_reune_las_reglas_pero_no_las_del_momento() -> None:
    revision = RevisionDeReglas()
    assert revision.revisar(lambda: 1) == 1
    revision.exigir()  # nothing broken yet

    def regla(nombre: str) -> None:
        raise ValorInvalido(nombre, nombre)

    assert revision.revisar(lambda: regla("A")) is None
    assert revision.revisar(lambda: regla("B")) is None
    with pytest.raises(ReglasIncumplidas) as exc:
        revision.exigir()
    assert exc.value.reglas == ("A", "B")

    def momento() -> None:
        raise OperacionNoPermitida("FacturaEnBorrador", "ya emitida")

    with pytest.raises(OperacionNoPermitida):
        RevisionDeReglas().revisar(momento)


def test_ambas_devuelve_los_dos_valores_o_todas_las_reglas() -> None:
    def regla(nombre: str) -> int:
        raise ValorInvalido(nombre, nombre)

    assert ambas(lambda: 1, lambda: "dos") == (1, "dos")
    with pytest.raises(ReglasIncumplidas) as exc:
        ambas(lambda: regla("A"), lambda: regla("B"))
    assert exc.value.reglas == ("A", "B")
