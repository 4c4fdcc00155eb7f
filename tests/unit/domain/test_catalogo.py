"""The catalog entities and Direccion: what they accept, normalise and refuse."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

import pytest

from prometeo.domain.entities.catalogo import (
    Bodega,
    Cliente,
    Emisor,
    Producto,
    PuntoDeEmision,
    Sucursal,
)
from prometeo.domain.errores import ReglasIncumplidas, ValorInvalido
from prometeo.domain.value_objects.dinero import Precio
from prometeo.domain.value_objects.direccion import Direccion
from prometeo.domain.value_objects.identificacion import (
    Cedula,
    ConsumidorFinal,
    Pasaporte,
    Ruc,
)

MATRIZ = Direccion("Av. Amazonas N34-451 y Atahualpa, Quito")


def regla_de(construir: Any, **datos: object) -> tuple[str, ...]:
    with pytest.raises(ValorInvalido) as exc:
        construir(**datos)
    return exc.value.reglas


# --- Direccion ------------------------------------------------------------------------


def test_direccion_valida_sin_espacios_alrededor() -> None:
    direccion = Direccion("  Calle Bolívar 1-23, Cuenca  ")

    assert direccion.texto == "Calle Bolívar 1-23, Cuenca"
    assert str(direccion) == "Calle Bolívar 1-23, Cuenca"
    assert Direccion("x" * 300).texto == "x" * 300


@pytest.mark.parametrize("texto", ["", "   ", "x" * 301, "Calle 1\nQuito", "Calle\t1", None, 12])
def test_direccion_invalida(texto: object) -> None:
    assert regla_de(Direccion, texto=texto) == ("DireccionValida",)


def test_direccion_es_inmutable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        MATRIZ.texto = "otra"  # type: ignore[misc]


# --- Emisor ---------------------------------------------------------------------------


def emisor(**cambios: object) -> dict[str, object]:
    datos: dict[str, object] = {
        "ruc": Ruc("1792060346001"),
        "razon_social": " Comercial Andina S.A. ",
        "nombre_comercial": "Andina",
        "direccion_matriz": MATRIZ,
        "obligado_contabilidad": True,
        "ambiente": "1",
    }
    return datos | cambios


def test_emisor_valido() -> None:
    valido = Emisor(**emisor(ambiente="2", ruc=Ruc("1793189906001")))  # type: ignore[arg-type]

    assert valido.razon_social == "Comercial Andina S.A."
    assert valido.ambiente == "2"
    assert valido.ruc.advertencias  # a lenient company RUC may still issue documents


@pytest.mark.parametrize(
    ("cambios", "regla"),
    [
        ({"razon_social": "  "}, "NombreValido"),
        ({"razon_social": "x" * 301}, "NombreValido"),
        ({"nombre_comercial": ""}, "NombreValido"),
        ({"nombre_comercial": "Andina\nS.A."}, "NombreValido"),
        ({"obligado_contabilidad": "SI"}, "ObligadoContabilidadValido"),
        ({"ambiente": "3"}, "AmbienteValido"),
        ({"ambiente": 1}, "AmbienteValido"),
    ],
)
def test_emisor_invalido(cambios: dict[str, object], regla: str) -> None:
    assert regla_de(Emisor, **emisor(**cambios)) == (regla,)


def test_emisor_con_varios_errores_los_nombra_todos() -> None:
    with pytest.raises(ReglasIncumplidas) as exc:
        Emisor(**emisor(razon_social=" ", ambiente="3", regimen="OTRO"))  # type: ignore[arg-type]

    assert set(exc.value.reglas) == {"NombreValido", "AmbienteValido", "RegimenValido"}


# --- Sucursal, PuntoDeEmision, Bodega -------------------------------------------------


def test_sucursal_bodega_y_punto_con_varios_errores_los_nombran_todos() -> None:
    with pytest.raises(ReglasIncumplidas) as sucursal:
        Sucursal("s1", "000", " ", MATRIZ)
    with pytest.raises(ReglasIncumplidas) as bodega:
        Bodega("b1", " ", " ", " ")
    with pytest.raises(ReglasIncumplidas) as punto:
        PuntoDeEmision("p1", "s1", "0", {"99": 1})

    assert set(sucursal.value.reglas) == {"CodigoValido", "NombreValido"}
    assert set(bodega.value.reglas) == {"IdValido", "CodigoValido", "NombreValido"}
    assert set(punto.value.reglas) == {"CodigoValido", "SecuencialInicialValido"}


def test_sucursal_valida() -> None:
    sucursal = Sucursal(id=" s1 ", codigo=" 001 ", nombre="Matriz", direccion=MATRIZ)

    assert (sucursal.id, sucursal.codigo, sucursal.nombre) == ("s1", "001", "Matriz")
    assert Sucursal("s2", "999", "Norte", MATRIZ).codigo == "999"


@pytest.mark.parametrize(
    ("cambios", "regla"),
    [
        ({"codigo": "000"}, "CodigoValido"),
        ({"codigo": "1"}, "CodigoValido"),
        ({"codigo": "0001"}, "CodigoValido"),
        ({"codigo": "A01"}, "CodigoValido"),
        ({"codigo": 1}, "CodigoValido"),
        ({"nombre": ""}, "NombreValido"),
        ({"id": ""}, "IdValido"),
        ({"id": None}, "IdValido"),
    ],
)
def test_sucursal_invalida(cambios: dict[str, object], regla: str) -> None:
    datos = {"id": "s1", "codigo": "001", "nombre": "Matriz", "direccion": MATRIZ} | cambios

    assert regla_de(Sucursal, **datos) == (regla,)


def test_punto_de_emision_valido() -> None:
    punto = PuntoDeEmision(id="p1", sucursal_id="s1", codigo="002")

    assert punto.codigo == "002"
    assert punto.sucursal_id == "s1"


@pytest.mark.parametrize(
    ("cambios", "regla"),
    [
        ({"codigo": "000"}, "CodigoValido"),
        ({"codigo": "12"}, "CodigoValido"),
        ({"codigo": "١٢٣"}, "CodigoValido"),  # not ASCII digits
        ({"sucursal_id": " "}, "IdValido"),
    ],
)
def test_punto_de_emision_invalido(cambios: dict[str, object], regla: str) -> None:
    datos = {"id": "p1", "sucursal_id": "s1", "codigo": "001"} | cambios

    assert regla_de(PuntoDeEmision, **datos) == (regla,)


def test_bodega_valida() -> None:
    bodega = Bodega(id="b1", sucursal_id="s1", codigo=" BOD-PRINCIPAL ", nombre="Principal")

    assert bodega.codigo == "BOD-PRINCIPAL"
    assert Bodega("b2", "s1", "x" * 20, "Norte").codigo == "x" * 20


@pytest.mark.parametrize(
    ("cambios", "regla"),
    [
        ({"codigo": ""}, "CodigoValido"),
        ({"codigo": "x" * 21}, "CodigoValido"),
        ({"nombre": "   "}, "NombreValido"),
        ({"sucursal_id": ""}, "IdValido"),
    ],
)
def test_bodega_invalida(cambios: dict[str, object], regla: str) -> None:
    datos = {"id": "b1", "sucursal_id": "s1", "codigo": "B1", "nombre": "Principal"} | cambios

    assert regla_de(Bodega, **datos) == (regla,)


# --- Producto -------------------------------------------------------------------------


def producto(**cambios: object) -> dict[str, object]:
    datos: dict[str, object] = {
        "id": "prod-1",
        "codigo": "ARZ-001",
        "nombre": "Arroz flor 2 kg",
        "precio": Precio("2.35"),
        "tarifa_iva": "4",
    }
    return datos | cambios


def test_producto_valido_con_stock_minimo_cero_por_omision() -> None:
    valido = Producto(**producto())  # type: ignore[arg-type]

    assert valido.stock_minimo == Decimal(0)
    assert valido.tarifa_iva == "4"
    assert valido.precio == Precio("2.35")


@pytest.mark.parametrize("tarifa", ["0", "2", "3", "4", "5", "6", "7", "8", "10", " 10 "])
def test_producto_acepta_cada_tarifa_de_iva_del_sri(tarifa: str) -> None:
    valido = Producto(**producto(tarifa_iva=tarifa))  # type: ignore[arg-type]

    assert valido.tarifa_iva == tarifa.strip()


@pytest.mark.parametrize(
    ("stock_minimo", "esperado"), [(Decimal("2.5"), "2.5"), ("10", "10"), (0, "0")]
)
def test_producto_stock_minimo(stock_minimo: object, esperado: str) -> None:
    valido = Producto(**producto(stock_minimo=stock_minimo))  # type: ignore[arg-type]

    assert valido.stock_minimo == Decimal(esperado)
    assert isinstance(valido.stock_minimo, Decimal)


@pytest.mark.parametrize(
    ("cambios", "regla"),
    [
        ({"codigo": ""}, "CodigoValido"),
        ({"codigo": "x" * 26}, "CodigoValido"),
        ({"nombre": " "}, "NombreValido"),
        ({"nombre": "x" * 301}, "NombreValido"),
        ({"tarifa_iva": "1"}, "TarifaIvaValida"),
        ({"tarifa_iva": "15"}, "TarifaIvaValida"),
        ({"tarifa_iva": "9"}, "TarifaIvaValida"),
        ({"stock_minimo": Decimal("-1")}, "StockMinimoValido"),
        ({"stock_minimo": Decimal("0.0000001")}, "StockMinimoValido"),
        ({"stock_minimo": 1.5}, "StockMinimoValido"),
        ({"stock_minimo": "abc"}, "StockMinimoValido"),
        ({"codigos_barra": "7861234567890"}, "CodigoBarraValido"),  # one text, not a list
        ({"codigos_barra": None}, "CodigoBarraValido"),
        ({"codigos_barra": (7861234567890,)}, "CodigoBarraValido"),
        ({"codigos_barra": ("x" * 26,)}, "CodigoBarraValido"),
        ({"codigos_barra": ("786\t123",)}, "CodigoBarraValido"),
        ({"codigos_barra": ("1", "2", "1")}, "CodigoBarraUnico"),
        ({"unidad_medida": "x" * 51}, "UnidadMedidaValida"),
        ({"unidad_medida": 3}, "UnidadMedidaValida"),
    ],
)
def test_producto_invalido(cambios: dict[str, object], regla: str) -> None:
    assert regla_de(Producto, **producto(**cambios)) == (regla,)


def test_producto_con_codigos_de_barras_y_unidad() -> None:
    valido = Producto(
        **producto(codigos_barra=[" 7861234567890", "ABC-12 34"], unidad_medida=" kg ")  # type: ignore[arg-type]
    )

    assert valido.codigos_barra == ("7861234567890", "ABC-12 34")
    assert valido.codigo_auxiliar == "7861234567890"
    assert valido.unidad_medida == "kg"
    sin = Producto(**producto(unidad_medida="  "))  # type: ignore[arg-type]
    assert (sin.codigos_barra, sin.codigo_auxiliar, sin.unidad_medida) == ((), None, None)


def test_producto_nuevo_nombra_todas_las_reglas_que_incumple() -> None:
    with pytest.raises(ReglasIncumplidas) as exc:
        Producto.nuevo("p", " ", "Arroz", "-1", "12", stock_minimo="-2")

    assert set(exc.value.reglas) == {
        "CodigoValido",
        "PrecioValido",
        "TarifaIvaValida",
        "StockMinimoValido",
    }


def test_producto_nuevo_valido() -> None:
    valido = Producto.nuevo("p", "ARZ-001", "Arroz", "2.35", "4", "3", ("786",), "kg")

    assert (valido.precio, valido.stock_minimo, valido.codigos_barra) == (
        Precio("2.35"),
        Decimal(3),
        ("786",),
    )


# --- Cliente --------------------------------------------------------------------------


def test_cliente_nuevo_nombra_todas_las_reglas_que_incumple() -> None:
    with pytest.raises(ReglasIncumplidas) as exc:
        Cliente.nuevo("c", "05", "0602910946", " ", " ", "no-es-correo", "12")

    assert set(exc.value.reglas) == {
        "CedulaValida",
        "NombreValido",
        "DireccionValida",
        "EmailValido",
        "TelefonoValido",
    }


def test_cliente_nuevo_valido() -> None:
    valido = Cliente.nuevo("c", "05", "0602910945", "Juan", "Riobamba", None, None)

    assert valido.identificacion == Cedula("0602910945")
    assert valido.direccion == Direccion("Riobamba")


def test_cliente_con_cedula() -> None:
    cliente = Cliente(
        id="c1",
        identificacion=Cedula("0602910945"),
        razon_social=" Juan Pérez ",
        direccion=Direccion("Riobamba"),
        email=" juan.perez@example.com ",
    )

    assert cliente.razon_social == "Juan Pérez"
    assert cliente.email == "juan.perez@example.com"
    assert not cliente.es_consumidor_final


def test_cliente_sin_direccion_ni_email() -> None:
    cliente = Cliente("c2", Pasaporte("ab12345"), "John Smith")

    assert cliente.direccion is None
    assert cliente.email is None
    assert cliente.identificacion.numero == "AB12345"


def test_cliente_email_en_blanco_es_ninguno() -> None:
    assert Cliente("c3", Cedula("0910005917"), "Ana", email="  ").email is None


def test_cliente_con_telefono() -> None:
    cliente = Cliente("c4", Cedula("0910005917"), "Ana", telefono=" +593 (2) 234-5678 ")

    assert cliente.telefono == "+593 (2) 234-5678"
    assert Cliente("c5", Cedula("0910005917"), "Ana", telefono=" ").telefono is None


def test_cliente_consumidor_final() -> None:
    cliente = Cliente("cf", ConsumidorFinal(), "CONSUMIDOR FINAL")

    assert cliente.es_consumidor_final


@pytest.mark.parametrize(
    ("cambios", "regla"),
    [
        ({"razon_social": ""}, "NombreValido"),
        ({"razon_social": "x" * 301}, "NombreValido"),
        ({"email": "sin-arroba.com"}, "EmailValido"),
        ({"email": "a@b"}, "EmailValido"),
        ({"email": "dos@@example.com"}, "EmailValido"),
        ({"email": "con espacio@example.com"}, "EmailValido"),
        ({"email": "x" * 250 + "@example.com"}, "EmailValido"),
        ({"email": 42}, "EmailValido"),
        ({"id": ""}, "IdValido"),
        ({"telefono": "099-ABC-4567"}, "TelefonoValido"),
        ({"telefono": "12345"}, "TelefonoValido"),
        ({"telefono": "1" * 21}, "TelefonoValido"),
        ({"telefono": 991234567}, "TelefonoValido"),
    ],
)
def test_cliente_invalido(cambios: dict[str, object], regla: str) -> None:
    datos = {"id": "c1", "identificacion": Cedula("0602910945"), "razon_social": "Juan"}

    assert regla_de(Cliente, **(datos | cambios)) == (regla,)


def test_entidades_son_inmutables() -> None:
    cliente = Cliente("c1", Cedula("0602910945"), "Juan")

    with pytest.raises(dataclasses.FrozenInstanceError):
        cliente.razon_social = "Otro"  # type: ignore[misc]
