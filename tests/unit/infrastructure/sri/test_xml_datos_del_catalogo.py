"""The catalog data copied into a document reaches its XML (issue 14): the line's
codigoAuxiliar (the product's first barcode) and unidadMedida, the buyer's Teléfono in
infoAdicional, and the nota's codigoAdicional; a document without them omits them."""

from __future__ import annotations

from lxml import etree

from prometeo.domain.aggregates.factura import NuevaLinea
from prometeo.domain.value_objects.comprador import Comprador
from prometeo.domain.value_objects.dinero import Cantidad, Precio
from prometeo.domain.value_objects.numero_comprobante import TipoComprobante
from prometeo.domain.value_objects.tarifa_iva import TarifaIva
from prometeo.infrastructure.sri.xml_comprobantes import errores_de_esquema, xml_de
from unit.domain.negocio import Negocio

COMPRADOR = Comprador(
    "05", "0602910945", "María Pérez", "Riobamba", "maria@example.com", "+593 99 123 4567"
)


def _linea(producto: str, codigo_auxiliar: str | None, unidad: str | None) -> NuevaLinea:
    return NuevaLinea(
        producto,
        producto.upper(),
        f"Producto {producto}",
        Cantidad(2),
        Precio("3.50"),
        TarifaIva.de_codigo("4"),
        codigo_auxiliar=codigo_auxiliar,
        unidad_medida=unidad,
    )


def test_la_factura_y_la_nota_imprimen_los_datos_copiados() -> None:
    negocio = Negocio()
    negocio.ingresar("a", "5", "1.00")
    negocio.ingresar("b", "5", "1.00")
    factura = negocio.borrador([], comprador=COMPRADOR)
    factura.agregar(_linea("a", "7861234567890", "kg"))
    factura.agregar(_linea("b", None, None))
    negocio.emitir(factura)

    raiz = etree.fromstring(xml_de(factura).contenido)
    assert errores_de_esquema(raiz, TipoComprobante.FACTURA) == []
    con, sin = raiz.iterfind("detalles/detalle")
    assert (con.findtext("codigoAuxiliar"), con.findtext("unidadMedida")) == (
        "7861234567890",
        "kg",
    )
    assert (sin.find("codigoAuxiliar"), sin.find("unidadMedida")) == (None, None)
    campos = {c.get("nombre"): c.text for c in raiz.iterfind("infoAdicional/campoAdicional")}
    assert campos["Teléfono"] == "+593 99 123 4567"

    nota = negocio.nota(factura, [("a", "1"), ("b", "1")])
    raiz = etree.fromstring(xml_de(nota).contenido)
    assert errores_de_esquema(raiz, TipoComprobante.NOTA_CREDITO) == []
    assert [d.findtext("codigoAdicional") for d in raiz.iterfind("detalles/detalle")] == [
        "7861234567890",
        None,
    ]
