"""The catalog data the SRI documents print (issue 14): a product's barcodes and unit of
measure, a cliente's phone; kept by the catalog and copied into each document when it is
created, as its code, description and buyer already are."""

from __future__ import annotations

import pytest
from escenario import BODEGA, CAFE, CLIENTE, PUNTO, Escenario, reglas

from prometeo.application.comandos import (
    AgregarLinea,
    CrearCliente,
    CrearFactura,
    CrearProducto,
    EmitirFactura,
    EmitirNotaCredito,
    LineaFacturaCmd,
    LineaNotaCreditoCmd,
)
from prometeo.domain.errores import Duplicado, ReglasIncumplidas

ARROZ = "arroz"
VECINO = "cliente-telefono"


@pytest.fixture
def con_datos(tienda: Escenario) -> Escenario:
    """Arroz with two barcodes and its unit; a cliente with a phone; stock of both."""
    tienda.catalogo_service.crear_producto(
        CrearProducto(
            "ARR",
            "Arroz",
            "1.20",
            "0",
            producto_id=ARROZ,
            codigos_barra=(" 7861234567890 ", "0012345678905"),
            unidad_medida=" kg ",
        )
    )
    tienda.catalogo_service.crear_cliente(
        CrearCliente(
            "05", "0910005917", "Juan Torres", cliente_id=VECINO, telefono="+593 99 123 4567"
        )
    )
    tienda.ingresar(ARROZ, "10", "0.80")
    tienda.ingresar(CAFE, "10", "4.00")
    return tienda


def test_el_catalogo_guarda_codigos_de_barras_unidad_y_telefono(con_datos: Escenario) -> None:
    arroz = con_datos.catalogo.producto(ARROZ)
    assert arroz.codigos_barra == ("7861234567890", "0012345678905")
    assert arroz.codigo_auxiliar == "7861234567890"
    assert arroz.unidad_medida == "kg"
    assert con_datos.catalogo.cliente(VECINO).telefono == "+593 99 123 4567"
    cafe = con_datos.catalogo.producto(CAFE)
    assert (cafe.codigos_barra, cafe.codigo_auxiliar, cafe.unidad_medida) == ((), None, None)


def test_la_factura_copia_el_primer_codigo_de_barras_la_unidad_y_el_telefono(
    con_datos: Escenario,
) -> None:
    vendida = con_datos.vender((ARROZ, "2"), (CAFE, "1"), cliente_id=VECINO)
    factura = con_datos.factura(vendida.id)

    arroz, cafe = factura.lineas
    assert (arroz.codigo_auxiliar, arroz.unidad_medida) == ("7861234567890", "kg")
    assert (cafe.codigo_auxiliar, cafe.unidad_medida) == (None, None)
    assert factura.comprador.telefono == "+593 99 123 4567"
    # Stored as entered, in the event that created the draft.
    creada = con_datos.almacen.eventos(f"factura-{vendida.id}")[0]
    assert creada.comprador.telefono == "+593 99 123 4567"  # type: ignore[attr-defined]
    assert creada.lineas[0].codigo_auxiliar == "7861234567890"  # type: ignore[attr-defined]


def test_una_linea_agregada_al_borrador_tambien_los_copia(con_datos: Escenario) -> None:
    cmd = CrearFactura(PUNTO, BODEGA, (LineaFacturaCmd(CAFE, "1"),), borrador=True)
    factura_id = con_datos.facturas.crear_factura(cmd).id
    con_datos.facturas.agregar_linea(AgregarLinea(factura_id, ARROZ, "3"))
    con_datos.facturas.emitir_factura(EmitirFactura(factura_id))

    linea = con_datos.factura(factura_id).lineas[1]
    assert (linea.codigo_auxiliar, linea.unidad_medida) == ("7861234567890", "kg")
    assert con_datos.factura(factura_id).comprador.telefono is None  # consumidor final


def test_la_nota_de_credito_copia_el_codigo_auxiliar_y_el_telefono(con_datos: Escenario) -> None:
    vendida = con_datos.vender((ARROZ, "2"), (CAFE, "1"), cliente_id=VECINO).id
    emitida = con_datos.notas.emitir_nota_credito(
        EmitirNotaCredito(
            vendida,
            "Devolución",
            True,
            (LineaNotaCreditoCmd(ARROZ, cantidad="1"), LineaNotaCreditoCmd(CAFE, cantidad="1")),
        )
    )

    nota = con_datos.nota(emitida.id)
    assert [ln.codigo_auxiliar for ln in nota.lineas] == ["7861234567890", None]
    assert nota.comprador is not None
    assert nota.comprador.telefono == "+593 99 123 4567"


@pytest.mark.parametrize(
    ("cambios", "regla"),
    [
        ({"codigos_barra": ("1" * 26,)}, "CodigoBarraValido"),
        ({"codigos_barra": ("786\n123",)}, "CodigoBarraValido"),
        ({"codigos_barra": ("  ",)}, "CodigoBarraValido"),
        ({"codigos_barra": ("786\u200b123",)}, "CodigoBarraValido"),
        ({"codigos_barra": tuple(str(i).zfill(13) for i in range(21))}, "CodigoBarraValido"),
        ({"codigos_barra": ("7861234567890", " 7861234567890")}, "CodigoBarraUnico"),
        ({"unidad_medida": "k" * 51}, "UnidadMedidaValida"),
        ({"unidad_medida": "kilo\ngramo"}, "UnidadMedidaValida"),
    ],
)
def test_datos_sri_invalidos_de_un_producto_se_rechazan(
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


def test_un_codigo_de_barras_nombra_un_solo_producto(con_datos: Escenario) -> None:
    with pytest.raises(Duplicado) as error:
        con_datos.catalogo_service.crear_producto(
            CrearProducto("TE", "Té", "2.00", "4", codigos_barra=("0012345678905",))
        )

    assert error.value.regla == "CodigoBarraUnico"
    assert [p.codigo for p in con_datos.catalogo.productos()].count("TE") == 0


@pytest.mark.parametrize(
    "telefono", ["0991234567", "(02) 234-5678", "+593 2 234 5678", "2345678", " 0991234567 "]
)
def test_telefonos_aceptados(tienda: Escenario, telefono: str) -> None:
    registrado = tienda.catalogo_service.crear_cliente(
        CrearCliente("05", "0910005917", "Juan Torres", telefono=telefono)
    )

    assert tienda.catalogo.cliente(registrado.id).telefono == telefono.strip()


@pytest.mark.parametrize(
    "telefono",
    [
        "099 123 4567 ext 2",  # letters
        "123456",  # too few digits
        "1234567890123456",  # too many
        "099\n1234567",
        "09912345678901234567890",  # longer than 20
        "593+991234567",  # "+" only first
        "٠٩٩١٢٣٤٥٦٧",  # digits, but not ASCII ones
    ],
)
def test_telefonos_rechazados(tienda: Escenario, telefono: str) -> None:
    with pytest.raises(ReglasIncumplidas) as error:
        tienda.catalogo_service.crear_cliente(
            CrearCliente("05", "0910005917", "Juan Torres", telefono=telefono)
        )

    assert reglas(error.value) == {"TelefonoValido"}


def test_un_telefono_en_blanco_no_es_telefono(tienda: Escenario) -> None:
    registrado = tienda.catalogo_service.crear_cliente(
        CrearCliente("05", "0910005917", "Juan Torres", telefono="  ")
    )

    assert tienda.catalogo.cliente(registrado.id).telefono is None
    assert tienda.catalogo.cliente(CLIENTE).telefono is None
