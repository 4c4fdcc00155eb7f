"""ServicioCatalogo: reference data validated by the domain entities, references checked."""

from __future__ import annotations

from decimal import Decimal

import pytest
from escenario import BODEGA, SUCURSAL, Escenario, reglas

from prometeo.application.comandos import (
    CrearBodega,
    CrearCliente,
    CrearProducto,
    CrearPuntoEmision,
    CrearSucursal,
    RegistrarEmisor,
)
from prometeo.domain.errores import Duplicado, NoEncontrado, ReglasIncumplidas


def emisor(**cambios: object) -> RegistrarEmisor:
    datos: dict[str, object] = {
        "ruc": "1790011674001",
        "razon_social": "Comercial Andina S.A.",
        "nombre_comercial": "Andina",
        "direccion_matriz": "Av. Amazonas N24, Quito",
        "obligado_contabilidad": True,
        "ambiente": "1",
    }
    return RegistrarEmisor(**{**datos, **cambios})  # type: ignore[arg-type]


def test_registra_el_emisor(vacio: Escenario) -> None:
    registrado = vacio.catalogo_service.registrar_emisor(emisor())

    assert registrado.id == "1790011674001"
    assert registrado.advertencias == ()
    guardado = vacio.catalogo.emisor()
    assert guardado is not None
    assert guardado.nombre_comercial == "Andina"
    assert str(guardado.direccion_matriz) == "Av. Amazonas N24, Quito"


def test_un_ruc_de_sociedad_con_verificador_fallido_se_acepta_con_advertencia(
    vacio: Escenario,
) -> None:
    registrado = vacio.catalogo_service.registrar_emisor(emisor(ruc="1793189906001"))

    assert registrado.advertencias
    assert "módulo 11" in registrado.advertencias[0]


def test_un_emisor_invalido_no_se_guarda(vacio: Escenario) -> None:
    with pytest.raises(ReglasIncumplidas) as error:
        vacio.catalogo_service.registrar_emisor(emisor(ambiente="3"))

    assert reglas(error.value) == {"AmbienteValido"}
    assert vacio.catalogo.emisor() is None
    assert vacio.uows == []  # rejected before opening a transaction


def test_crea_sucursal_punto_y_bodega(vacio: Escenario) -> None:
    c = vacio.catalogo_service
    sucursal = c.crear_sucursal(CrearSucursal("002", "Norte", "Av. 6 de Diciembre"))
    punto = c.crear_punto_emision(CrearPuntoEmision(sucursal.id, "003"))
    bodega = c.crear_bodega(CrearBodega(sucursal.id, "N1", "Bodega norte", bodega_id="norte"))

    assert vacio.catalogo.sucursal(sucursal.id).codigo == "002"
    assert vacio.catalogo.punto_emision(punto.id).sucursal_id == sucursal.id
    assert bodega.id == "norte"
    assert vacio.catalogo.bodega("norte").nombre == "Bodega norte"
    assert all(uow.commits == 1 for uow in vacio.uows)


def test_un_punto_de_una_sucursal_inexistente_es_no_encontrado(vacio: Escenario) -> None:
    with pytest.raises(NoEncontrado) as error:
        vacio.catalogo_service.crear_punto_emision(
            CrearPuntoEmision("no-existe", "001", punto_emision_id="p")
        )

    assert (error.value.que, error.value.id) == ("sucursal", "no-existe")
    assert vacio.catalogo.puntos == {}


def test_una_bodega_de_una_sucursal_inexistente_es_no_encontrado(vacio: Escenario) -> None:
    with pytest.raises(NoEncontrado):
        vacio.catalogo_service.crear_bodega(CrearBodega("no-existe", "B1", "Bodega"))

    assert vacio.catalogo.bodegas == {}


def test_codigo_de_sucursal_invalido(vacio: Escenario) -> None:
    with pytest.raises(ReglasIncumplidas) as error:
        vacio.catalogo_service.crear_sucursal(CrearSucursal("000", "Matriz", "Quito"))

    assert reglas(error.value) == {"CodigoValido"}


def test_crea_un_producto(tienda: Escenario) -> None:
    registrado = tienda.catalogo_service.crear_producto(
        CrearProducto("TE", "Té verde", "2.345678", " 4 ", "1.5")
    )

    producto = tienda.catalogo.producto(registrado.id)
    assert producto.precio.valor == Decimal("2.345678")
    assert producto.tarifa_iva == "4"
    assert producto.stock_minimo == Decimal("1.5")


@pytest.mark.parametrize(
    ("cambios", "regla"),
    [
        ({"tarifa_iva": "1"}, "TarifaIvaValida"),
        ({"precio": "-1"}, "PrecioValido"),
        ({"precio": 1.5}, "PrecioValido"),  # a float never becomes money
        ({"stock_minimo": "-2"}, "StockMinimoValido"),
        ({"nombre": "  "}, "NombreValido"),
    ],
)
def test_un_producto_invalido_se_rechaza(
    tienda: Escenario, cambios: dict[str, object], regla: str
) -> None:
    datos: dict[str, object] = {
        "codigo": "TE",
        "nombre": "Té",
        "precio": "2.00",
        "tarifa_iva": "4",
        **cambios,
    }
    with pytest.raises(ReglasIncumplidas) as error:
        tienda.catalogo_service.crear_producto(CrearProducto(**datos))  # type: ignore[arg-type]

    assert reglas(error.value) == {regla}
    assert len(tienda.catalogo.productos()) == 2


def test_un_codigo_de_producto_repetido_es_duplicado(tienda: Escenario) -> None:
    with pytest.raises(Duplicado) as error:
        tienda.catalogo_service.crear_producto(CrearProducto("CAF", "Otro café", "1", "4"))

    assert error.value.regla == "ProductoUnico"
    assert len(tienda.catalogo.productos()) == 2


def test_crea_clientes_con_su_identificacion(tienda: Escenario) -> None:
    c = tienda.catalogo_service
    persona = c.crear_cliente(CrearCliente("05", "0910005917", "Juan Torres", email=" "))
    empresa = c.crear_cliente(CrearCliente("04", "0993370026001", "Importadora del Pacífico"))

    assert persona.advertencias == ()
    assert tienda.catalogo.cliente(persona.id).email is None
    assert empresa.advertencias  # company RUC failing modulo 11: accepted, with a warning
    assert [x.razon_social for x in tienda.catalogo.clientes("0910005917")] == ["Juan Torres"]


@pytest.mark.parametrize(
    ("tipo", "numero", "regla"),
    [
        ("05", "0910005918", "CedulaValida"),
        ("04", "1784307108001", "RucValido"),
        ("09", "123", "TipoIdentificacionValido"),
    ],
)
def test_un_cliente_mal_identificado_se_rechaza(
    tienda: Escenario, tipo: str, numero: str, regla: str
) -> None:
    with pytest.raises(ReglasIncumplidas) as error:
        tienda.catalogo_service.crear_cliente(CrearCliente(tipo, numero, "Alguien"))

    assert reglas(error.value) == {regla}


def test_una_direccion_de_cliente_invalida_se_rechaza(tienda: Escenario) -> None:
    with pytest.raises(ReglasIncumplidas) as error:
        tienda.catalogo_service.crear_cliente(
            CrearCliente("06", "AB1234", "Turista", direccion="línea 1\nlínea 2")
        )

    assert reglas(error.value) == {"DireccionValida"}


def test_una_bodega_repetida_no_cambia_nada(tienda: Escenario) -> None:
    antes = dict(tienda.catalogo.bodegas)
    with pytest.raises(Duplicado):
        tienda.catalogo_service.crear_bodega(CrearBodega(SUCURSAL, "B9", "Otra", bodega_id=BODEGA))

    assert tienda.catalogo.bodegas == antes
