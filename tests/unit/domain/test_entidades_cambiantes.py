"""A catalog that changes: a product's new price, tarifa (from a day), barcodes and
state; a cliente's contact data; what each change records; what an inactive entry may
no longer do."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from prometeo.domain.entities.cambios import CampoCambiado, campos_cambiados, publico
from prometeo.domain.entities.campos import SIN_CAMBIO
from prometeo.domain.entities.catalogo import Bodega, Cliente, Producto, PuntoDeEmision, Sucursal
from prometeo.domain.errores import ReglasIncumplidas
from prometeo.domain.specifications.catalogo_activo import (
    CatalogoInactivo,
    exigir_bodega_activa,
    exigir_producto_activo,
)
from prometeo.domain.value_objects.dinero import Precio
from prometeo.domain.value_objects.direccion import Direccion

HOY = date(2026, 12, 6)
CAFE = Producto("cafe", "CAF-1", "Café molido", Precio("2.50"), "4", Decimal(1), ("786001",))


def reglas(error: pytest.ExceptionInfo[ReglasIncumplidas]) -> set[str]:
    return set(error.value.reglas)


def test_un_producto_cambia_lo_dado_y_conserva_lo_demas() -> None:
    nuevo = CAFE.modificado(HOY, precio="2.75", codigos_barra=["786002", "786001"])

    assert nuevo.precio == Precio("2.75")
    assert nuevo.codigos_barra == ("786002", "786001")
    assert nuevo.codigo_auxiliar == "786002"
    assert (nuevo.id, nuevo.codigo, nuevo.nombre, nuevo.tarifa_iva) == (
        "cafe",
        "CAF-1",
        "Café molido",
        "4",
    )
    assert CAFE.modificado(HOY) == CAFE  # nothing named, nothing changed


def test_todos_los_errores_de_un_cambio_se_informan_juntos() -> None:
    with pytest.raises(ReglasIncumplidas) as error:
        CAFE.modificado(
            HOY,
            precio="-1",
            nombre="  ",
            stock_minimo="-2",
            tarifa_iva="99",
            codigos_barra=["a", "a"],
            activo="si",
        )

    assert reglas(error) == {
        "PrecioValido",
        "NombreValido",
        "StockMinimoValido",
        "TarifaIvaValida",
        "CodigoBarraUnico",
        "ActivoValido",
    }


def test_la_unidad_de_medida_se_quita_con_none() -> None:
    con_unidad = CAFE.modificado(HOY, unidad_medida="kg")
    assert con_unidad.unidad_medida == "kg"
    assert con_unidad.modificado(HOY, unidad_medida=None).unidad_medida is None


def test_una_tarifa_sin_fecha_rige_desde_hoy() -> None:
    nuevo = CAFE.modificado(HOY, tarifa_iva="0")

    assert (nuevo.tarifa_iva, nuevo.tarifa_programada) == ("0", None)
    assert nuevo.tarifa_en(HOY) == "0"


def test_una_tarifa_futura_se_programa_y_rige_desde_su_dia() -> None:
    enero = date(2027, 1, 1)
    nuevo = CAFE.modificado(HOY, tarifa_iva="5", vigente_desde=enero)

    assert nuevo.tarifa_iva == "4"
    assert nuevo.tarifa_programada == (enero, "5")
    assert nuevo.tarifa_en(date(2026, 12, 31)) == "4"
    assert nuevo.tarifa_en(enero) == "5"
    assert nuevo.vigente(date(2026, 12, 31)) == nuevo
    assert nuevo.vigente(enero).tarifa_iva == "5"
    assert nuevo.vigente(enero).tarifa_programada is None


def test_la_tarifa_actual_dada_de_nuevo_cancela_la_programada() -> None:
    programado = CAFE.modificado(HOY, tarifa_iva="5", vigente_desde=date(2027, 1, 1))

    cancelado = programado.modificado(HOY, tarifa_iva="4")

    assert (cancelado.tarifa_iva, cancelado.tarifa_programada) == ("4", None)


def test_un_cambio_parte_de_la_tarifa_programada_cuyo_dia_llego() -> None:
    programado = CAFE.modificado(HOY, tarifa_iva="5", vigente_desde=date(2027, 1, 1))

    despues = programado.modificado(date(2027, 2, 1), precio="3.00")

    assert (despues.tarifa_iva, despues.tarifa_programada) == ("5", None)


def test_una_tarifa_no_rige_desde_el_pasado() -> None:
    with pytest.raises(ReglasIncumplidas) as error:
        CAFE.modificado(HOY, tarifa_iva="5", vigente_desde=date(2026, 12, 5))

    assert reglas(error) == {"VigenciaTarifaValida"}
    assert "conservan la tarifa" in str(error.value)


def test_vigente_desde_sin_tarifa_se_rechaza() -> None:
    with pytest.raises(ReglasIncumplidas) as error:
        CAFE.modificado(HOY, vigente_desde=date(2027, 1, 1), precio="abc")

    assert reglas(error) == {"VigenciaTarifaValida", "PrecioValido"}


def test_los_campos_cambiados_dicen_antes_y_despues() -> None:
    nuevo = CAFE.modificado(HOY, precio="2.75", tarifa_iva="5", vigente_desde=date(2027, 1, 1))

    assert campos_cambiados(CAFE, nuevo) == (
        CampoCambiado("precio", "2.50", "2.75"),
        CampoCambiado(
            "tarifa_programada", None, {"vigente_desde": "2027-01-01", "tarifa_iva": "5"}
        ),
    )
    assert campos_cambiados(CAFE, CAFE) == ()


def test_una_creacion_nombra_cada_campo_sin_el_id() -> None:
    campos = {c.campo: c for c in campos_cambiados(None, CAFE)}

    assert "id" not in campos
    assert campos["codigo"] == CampoCambiado("codigo", None, "CAF-1")
    assert campos["codigos_barra"].despues == ["786001"]
    assert campos["activo"].despues is True
    assert campos["stock_minimo"].despues == "1"


def test_los_valores_publicos_nunca_son_float() -> None:
    assert publico(Decimal("0.1")) == "0.1"
    assert publico(Direccion("Quito")) == "Quito"
    assert publico(datetime(2026, 12, 6, tzinfo=UTC)) == "2026-12-06T00:00:00+00:00"
    assert publico((("01", 15),)) == ["01=15"]


def test_un_cliente_cambia_su_contacto() -> None:
    cliente = Cliente.nuevo("c1", "05", "0602910945", "María Pérez", "Riobamba", "m@x.ec")

    nuevo = cliente.modificado(direccion="Av. Loja 1-20, Cuenca", email=None, telefono="0991234567")

    assert nuevo.direccion == Direccion("Av. Loja 1-20, Cuenca")
    assert nuevo.email is None
    assert nuevo.telefono == "0991234567"
    assert (nuevo.identificacion, nuevo.razon_social) == (
        cliente.identificacion,
        cliente.razon_social,
    )
    assert cliente.modificado(direccion="  ").direccion is None
    assert cliente.modificado(email=SIN_CAMBIO) == cliente


def test_los_errores_del_contacto_se_informan_juntos() -> None:
    cliente = Cliente.nuevo("c1", "05", "0602910945", "María Pérez")

    with pytest.raises(ReglasIncumplidas) as error:
        cliente.modificado(email="no-es-correo", telefono="12", direccion="x" * 400)

    assert reglas(error) == {"EmailValido", "TelefonoValido", "DireccionValida"}


SUCURSAL = Sucursal("s1", "001", "Matriz", Direccion("Quito"))
PUNTO = PuntoDeEmision("p1", "s1", "002")
BODEGA = Bodega("b1", "s1", "B1", "Principal")


def test_una_venta_con_todo_activo_sigue() -> None:
    assert CatalogoInactivo.de_venta([CAFE], PUNTO, BODEGA, SUCURSAL).reglas() == []


def test_una_venta_nombra_cada_parte_inactiva() -> None:
    inactivo = Producto("pan", "PAN", "Pan", Precio(1), "0", activo=False)
    punto = PuntoDeEmision("p1", "s1", "002", activo=False)
    bodega = Bodega("b1", "s1", "B1", "Principal", activo=False)

    reglas_ = CatalogoInactivo.de_venta([CAFE, inactivo], punto, bodega, SUCURSAL).reglas()

    assert [r.regla for r in reglas_] == ["ProductoActivo", "PuntoEmisionActivo", "BodegaActiva"]
    assert "PAN" in reglas_[0].mensaje
    assert "CAF-1" not in reglas_[0].mensaje
    assert "punto de emisión 002 está inactivo" in reglas_[1].mensaje
    assert "bodega B1 está inactiva" in reglas_[2].mensaje


def test_una_sucursal_inactiva_apaga_sus_puntos_y_bodegas() -> None:
    cerrada = Sucursal("s1", "001", "Matriz", Direccion("Quito"), activo=False)

    reglas_ = CatalogoInactivo.de_venta([CAFE], PUNTO, BODEGA, cerrada).reglas()

    assert [r.regla for r in reglas_] == ["PuntoEmisionActivo", "BodegaActiva"]
    assert all("sucursal 001, que está inactiva" in r.mensaje for r in reglas_)
    with pytest.raises(ReglasIncumplidas) as error:
        exigir_bodega_activa(BODEGA, cerrada, "recibir")
    assert reglas(error) == {"BodegaActiva"}
    exigir_bodega_activa(BODEGA, SUCURSAL, "recibir")


def test_un_producto_inactivo_no_se_ingresa() -> None:
    with pytest.raises(ReglasIncumplidas) as error:
        exigir_producto_activo(CAFE.modificado(HOY, activo=False), "ingresar")

    assert reglas(error) == {"ProductoActivo"}
    assert "ingresarlo" in str(error.value)
    exigir_producto_activo(CAFE, "ingresar")
