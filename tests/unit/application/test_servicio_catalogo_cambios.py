"""ServicioCatalogo changes the catalog: each change kept with who and when, nothing kept
when nothing changed; the sales and entries that follow obey it (an inactive product,
punto, bodega or sucursal; a programmed tarifa), and emitted documents never change."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from escenario import (
    BODEGA,
    BODEGA_2,
    CAFE,
    CLIENTE,
    HOY,
    PAN,
    PUNTO,
    SUCURSAL,
    Escenario,
    borrador,
    reglas,
)

from prometeo.application.comandos import (
    CambiarActivo,
    CrearFactura,
    EmitirFactura,
    LineaFacturaCmd,
    ModificarCliente,
    ModificarProducto,
    RegistrarIngreso,
    TransferirStock,
)
from prometeo.application.unidad_de_trabajo import Metadatos
from prometeo.domain.errores import Duplicado, NoEncontrado, ReglasIncumplidas
from prometeo.domain.reloj import RelojFijo
from prometeo.domain.value_objects.dinero import Precio

QUIEN = Metadatos(usuario="ana", token_id="tok-ana")


def historial(tienda: Escenario, entidad: str, id: str) -> list:  # type: ignore[type-arg]
    return [c for c in tienda.catalogo.historial_ if (c.entidad, c.entidad_id) == (entidad, id)]


def test_un_cambio_queda_con_quien_y_cuando(tienda: Escenario) -> None:
    tienda.catalogo_service.modificar_producto(ModificarProducto(CAFE, precio="11.50"), QUIEN)

    assert tienda.catalogo.producto(CAFE).precio == Precio("11.50")
    creacion, cambio = historial(tienda, "producto", CAFE)
    assert creacion.campo("precio").antes is None  # the creation, by the seed
    assert [(c.campo, c.antes, c.despues) for c in cambio.campos] == [("precio", "10.00", "11.50")]
    assert (cambio.usuario, cambio.token_id) == ("ana", "tok-ana")
    assert cambio.ocurrido_en == tienda.reloj.ahora()
    assert cambio.numero is not None
    assert cambio.numero > creacion.numero


def test_sin_nada_que_cambiar_no_queda_nada(tienda: Escenario) -> None:
    antes = len(tienda.catalogo.historial_)

    tienda.catalogo_service.modificar_producto(ModificarProducto(CAFE, precio="10.00"))
    tienda.catalogo_service.cambiar_activo(CambiarActivo("bodega", BODEGA, True))

    assert len(tienda.catalogo.historial_) == antes


def test_un_cambio_invalido_no_cambia_nada(tienda: Escenario) -> None:
    antes = len(tienda.catalogo.historial_)

    with pytest.raises(ReglasIncumplidas) as error:
        tienda.catalogo_service.modificar_producto(ModificarProducto(CAFE, precio="-1", nombre=""))

    assert reglas(error.value) == {"PrecioValido", "NombreValido"}
    assert tienda.catalogo.producto(CAFE).precio == Precio("10.00")
    assert len(tienda.catalogo.historial_) == antes


def test_un_codigo_de_barras_de_otro_producto_se_rechaza(tienda: Escenario) -> None:
    tienda.catalogo_service.modificar_producto(ModificarProducto(PAN, codigos_barra=["786001"]))

    with pytest.raises(Duplicado) as error:
        tienda.catalogo_service.modificar_producto(
            ModificarProducto(CAFE, codigos_barra=["786001"])
        )

    assert error.value.regla == "CodigoBarraUnico"
    # Its own barcodes again (reordered) are no conflict.
    tienda.catalogo_service.modificar_producto(
        ModificarProducto(PAN, codigos_barra=["786009", "786001"])
    )


def test_un_producto_desconocido_es_no_encontrado(tienda: Escenario) -> None:
    with pytest.raises(NoEncontrado):
        tienda.catalogo_service.modificar_producto(ModificarProducto("nada", precio=1))


def test_la_factura_emitida_no_cambia_con_el_catalogo(tienda: Escenario) -> None:
    tienda.ingresar(CAFE, "5", "4.00")
    emitida = tienda.vender((CAFE, "1"))
    antes = tienda.factura(emitida.id)

    tienda.catalogo_service.modificar_producto(
        ModificarProducto(CAFE, precio="99.00", nombre="Café de altura", tarifa_iva="0")
    )
    tienda.catalogo_service.modificar_cliente(
        ModificarCliente(CLIENTE, direccion="Cuenca", email="nuevo@x.ec")
    )

    despues = tienda.factura(emitida.id)
    assert despues.lineas == antes.lineas
    assert despues.comprador == antes.comprador
    assert despues.lineas[0].precio_unitario == Decimal("10.00")
    # The next sale takes the catalog as it is now.
    nueva = tienda.factura(tienda.vender((CAFE, "1")).id)
    assert (nueva.lineas[0].precio_unitario, nueva.lineas[0].descripcion) == (
        Decimal("99.00"),
        "Café de altura",
    )
    assert nueva.lineas[0].tarifa_iva == "0"


def test_una_tarifa_programada_rige_en_las_ventas_desde_su_dia(tienda: Escenario) -> None:
    tienda.ingresar(CAFE, "5", "4.00")
    enero = date(2026, 12, 1)
    assert enero > HOY
    tienda.catalogo_service.modificar_producto(
        ModificarProducto(CAFE, tarifa_iva="5", vigente_desde=enero)
    )

    hoy = tienda.factura(tienda.vender((CAFE, "1")).id)
    assert hoy.lineas[0].tarifa_iva == "4"
    tienda.reloj = RelojFijo(enero)
    desde_su_dia = tienda.factura(tienda.vender((CAFE, "1")).id)
    assert desde_su_dia.lineas[0].tarifa_iva == "5"
    assert tienda.catalogo.producto(CAFE).vigente(enero).tarifa_iva == "5"


def test_un_producto_inactivo_no_se_vende_ni_se_ingresa(tienda: Escenario) -> None:
    tienda.ingresar(CAFE, "5", "4.00")
    tienda.catalogo_service.modificar_producto(ModificarProducto(CAFE, activo=False))

    with pytest.raises(ReglasIncumplidas) as venta:
        tienda.vender((CAFE, "1"))
    with pytest.raises(ReglasIncumplidas) as ingreso:
        tienda.ingresar(CAFE, "5", "4.00")

    assert reglas(venta.value) == {"ProductoActivo"}
    assert reglas(ingreso.value) == {"ProductoActivo"}
    assert tienda.stock(CAFE) == Decimal(5)
    tienda.catalogo_service.modificar_producto(ModificarProducto(CAFE, activo=True))
    tienda.vender((CAFE, "1"))
    assert tienda.stock(CAFE) == Decimal(4)


def test_un_borrador_no_vende_lo_desactivado_despues(tienda: Escenario) -> None:
    tienda.ingresar(CAFE, "5", "4.00")
    factura_id = borrador(tienda, LineaFacturaCmd(CAFE, "1"), cliente_id=CLIENTE)
    tienda.catalogo_service.modificar_producto(ModificarProducto(CAFE, activo=False))
    tienda.catalogo_service.cambiar_activo(CambiarActivo("punto_emision", PUNTO, False))

    vista = tienda.facturas.previsualizar(
        CrearFactura(PUNTO, BODEGA, (LineaFacturaCmd(CAFE, "1"),), cliente_id=CLIENTE)
    )
    with pytest.raises(ReglasIncumplidas) as error:
        tienda.facturas.emitir_factura(EmitirFactura(factura_id))

    assert {"ProductoActivo", "PuntoEmisionActivo"} <= reglas(error.value)
    assert {"ProductoActivo", "PuntoEmisionActivo"} <= {e.regla for e in vista.errores}
    assert tienda.stock(CAFE) == Decimal(5)


def test_una_bodega_inactiva_no_vende_ni_recibe_pero_se_vacia(tienda: Escenario) -> None:
    tienda.ingresar(CAFE, "5", "4.00")
    tienda.catalogo_service.cambiar_activo(CambiarActivo("bodega", BODEGA, False))

    with pytest.raises(ReglasIncumplidas) as venta:
        tienda.vender((CAFE, "1"))
    with pytest.raises(ReglasIncumplidas) as ingreso:
        tienda.ingresar(CAFE, "1", "4.00")
    with pytest.raises(ReglasIncumplidas) as hacia:
        tienda.inventario_service.transferir_stock(TransferirStock(CAFE, BODEGA_2, BODEGA, "1"))

    assert reglas(venta.value) == {"BodegaActiva"}
    assert reglas(ingreso.value) == {"BodegaActiva"}
    assert reglas(hacia.value) == {"BodegaActiva"}
    tienda.inventario_service.transferir_stock(TransferirStock(CAFE, BODEGA, BODEGA_2, "5"))
    assert (tienda.stock(CAFE), tienda.stock(CAFE, BODEGA_2)) == (Decimal(0), Decimal(5))


def test_una_sucursal_inactiva_no_vende_por_ninguno_de_sus_puntos(tienda: Escenario) -> None:
    tienda.ingresar(CAFE, "5", "4.00")
    tienda.catalogo_service.cambiar_activo(CambiarActivo("sucursal", SUCURSAL, False))

    with pytest.raises(ReglasIncumplidas) as venta:
        tienda.vender((CAFE, "1"))
    with pytest.raises(ReglasIncumplidas) as ingreso:
        tienda.inventario_service.registrar_ingreso(RegistrarIngreso(PAN, BODEGA_2, "1", "1"))

    assert reglas(venta.value) == {"PuntoEmisionActivo", "BodegaActiva"}
    assert reglas(ingreso.value) == {"BodegaActiva"}
    assert tienda.catalogo.sucursal(SUCURSAL).activo is False
    cambio = historial(tienda, "sucursal", SUCURSAL)[-1]
    assert [(c.campo, c.antes, c.despues) for c in cambio.campos] == [("activo", True, False)]


def test_el_cliente_cambia_su_contacto_y_no_su_identificacion(tienda: Escenario) -> None:
    tienda.catalogo_service.modificar_cliente(
        ModificarCliente(CLIENTE, telefono="0991234567", email=None), QUIEN
    )

    cliente = tienda.catalogo.cliente(CLIENTE)
    assert (cliente.telefono, cliente.email) == ("0991234567", None)
    assert cliente.identificacion.numero == "0602910945"
    cambio = historial(tienda, "cliente", CLIENTE)[-1]
    assert {c.campo for c in cambio.campos} == {"telefono"}  # email was already none


def test_un_borrador_no_se_emite_con_una_tarifa_que_ya_no_rige(tienda: Escenario) -> None:
    tienda.ingresar(CAFE, "5", "4.00")
    tienda.ingresar(PAN, "5", "1.00")
    factura_id = borrador(
        tienda, LineaFacturaCmd(CAFE, "1"), LineaFacturaCmd(PAN, "1"), cliente_id=CLIENTE
    )
    diciembre = date(2026, 12, 1)
    tienda.catalogo_service.modificar_producto(
        ModificarProducto(CAFE, tarifa_iva="5", vigente_desde=diciembre)
    )
    tienda.reloj = RelojFijo(diciembre)  # the draft waited until the new tarifa's day

    with pytest.raises(ReglasIncumplidas) as error:
        tienda.facturas.emitir_factura(EmitirFactura(factura_id))

    assert reglas(error.value) == {"TarifaDelProductoVigente"}
    assert "línea 1 (CAF) tiene la tarifa 4" in str(error.value)
    assert "PAN" not in str(error.value)
    assert tienda.stock(CAFE) == Decimal(5)
