"""Notas de crédito over HTTP: goods back to stock at the sale's average cost, the
per-line limit across every nota, value-only adjustments."""

from __future__ import annotations

from typing import Any

import pytest

from apoyo_http import TiendaHttp, exigir, reglas


@pytest.fixture
def vendida(tienda: TiendaHttp) -> dict[str, Any]:
    """The worked example: 5 @ 2.00, 5 @ 3.00, then 7 sold at 8.00 (cost 16.00)."""
    tienda.ingresar("cafe", "5", "2.00")
    tienda.ingresar("cafe", "5", "3.00")
    factura: dict[str, Any] = tienda.facturar(("cafe", "7"))
    return factura


def nota(tienda: TiendaHttp, factura: dict[str, Any], cantidad: str, **extra: Any) -> Any:
    cuerpo = {
        "factura_id": factura["id"],
        "motivo": "Devolución de mercadería",
        "devolucion_inventario": True,
        "lineas": [{"producto_id": tienda.ids["cafe"], "cantidad": cantidad}],
    }
    cuerpo.update(extra)
    return tienda.http.post("/api/v1/notas-credito", json=cuerpo)


def test_devolucion_crea_un_lote_al_costo_promedio_de_la_venta(
    tienda: TiendaHttp, vendida: dict[str, Any]
) -> None:
    creada = exigir(nota(tienda, vendida, "4"), 201)

    assert creada["estado"] == "EMITIDA"
    assert creada["numero"] == "001-001-000000001"
    assert creada["factura_id"] == vendida["id"]
    assert creada["numero_factura"] == vendida["numero"]
    (linea,) = creada["lineas"]
    assert (linea["producto_id"], linea["cantidad"], linea["valor"]) == (
        tienda.ids["cafe"],
        "4",
        "32.00",
    )
    # The line's own amounts: round2(4 × 8.00) − 0.00 = 32.00, and its share of the IVA.
    assert (linea["precio_unitario"], linea["descuento"], linea["subtotal"]) == (
        "8.00",
        "0.00",
        "32.00",
    )
    assert (linea["tarifa_iva"], linea["iva"]) == ("4", "4.80")
    assert creada["totales"] == {
        "subtotal_sin_impuestos": "32.00",
        "subtotales_por_tarifa": {"4": "32.00"},
        "iva": "4.80",
        "valor_modificacion": "36.80",
    }
    # 16.00 / 7 = 2.285714 per unit; 4 units are worth 9.14.
    lotes = tienda.lotes("cafe")
    assert [(lt["cantidad_disponible"], lt["costo_unitario"]) for lt in lotes] == [
        ("3", "3.00"),
        ("4", "2.285714"),
    ]
    stock = tienda.stock("cafe")
    assert (stock["cantidad"], stock["valor"]) == ("7", "18.14")
    assert tienda.get(f"/notas-credito/{creada['id']}") == creada
    factura = tienda.get(f"/facturas/{vendida['id']}")
    assert factura["notas_credito"] == [creada["id"]]
    assert factura["lineas"][0]["cantidad_acreditada"] == "4"
    assert factura["lineas"][0]["iva"] == factura["totales"]["iva"]


def test_el_limite_por_linea_cuenta_todas_las_notas(
    tienda: TiendaHttp, vendida: dict[str, Any]
) -> None:
    exigir(nota(tienda, vendida, "4"), 201)
    antes = tienda.ultima_posicion()

    excedida = nota(tienda, vendida, "4")

    assert excedida.status_code == 422
    assert reglas(excedida) == {"LineasValidasContraFactura"}
    assert tienda.ultima_posicion() == antes
    tercera = exigir(nota(tienda, vendida, "3"), 201)
    assert tercera["numero"] == "001-001-000000002"
    assert tienda.stock("cafe")["cantidad"] == "10"
    listadas = tienda.get("/notas-credito", factura_id=vendida["id"])["items"]
    assert len(listadas) == 2


def test_ajuste_de_valor_sin_devolucion(tienda: TiendaHttp, vendida: dict[str, Any]) -> None:
    cuerpo = {
        "factura_id": vendida["id"],
        "motivo": "Descuento por pronto pago",
        "devolucion_inventario": False,
        "lineas": [{"producto_id": tienda.ids["cafe"], "valor": "5.00"}],
    }
    creada = tienda.post("/notas-credito", cuerpo)

    assert creada["totales"]["subtotal_sin_impuestos"] == "5.00"
    assert creada["totales"]["valor_modificacion"] == "5.75"
    assert tienda.stock("cafe")["cantidad"] == "3"
    # The document states the price-only credit as one unit at its value, so its line's
    # subtotal = round2(cantidad × precio_unitario) − descuento (API.md), answered and read.
    leida = tienda.get(f"/notas-credito/{creada['id']}")
    for documento in (creada, leida):
        linea = documento["lineas"][0]
        assert (linea["cantidad"], linea["precio_unitario"], linea["descuento"]) == (
            "1",
            "5.00",
            "0.00",
        )
        assert linea["subtotal"] == "5.00"

    con_devolucion = dict(cuerpo, devolucion_inventario=True)
    respuesta = tienda.http.post("/api/v1/notas-credito", json=con_devolucion)
    assert respuesta.status_code == 422
    assert "LineaValorSinDevolucion" in reglas(respuesta)


def test_una_factura_con_notas_no_se_anula(tienda: TiendaHttp, vendida: dict[str, Any]) -> None:
    exigir(nota(tienda, vendida, "1"), 201)
    respuesta = tienda.http.post(
        f"/api/v1/facturas/{vendida['id']}/anular", json={"motivo": "Error"}
    )
    assert respuesta.status_code == 422
    assert reglas(respuesta) == {"FacturaSinNotasCredito"}


def test_nota_sobre_factura_desconocida_o_en_borrador(tienda: TiendaHttp) -> None:
    desconocida = nota(tienda, {"id": "no-existe"}, "1")
    assert desconocida.status_code == 404
    tienda.ingresar("cafe", "5", "2.00")
    borrador = tienda.facturar(("cafe", "1"), borrador=True)
    respuesta = nota(tienda, borrador, "1")
    assert respuesta.status_code == 422
    assert "FacturaEmitidaParaNotaCredito" in reglas(respuesta)


def test_una_nota_con_varios_errores_los_nombra_todos(
    tienda: TiendaHttp, vendida: dict[str, Any]
) -> None:
    antes = tienda.ultima_posicion()
    cafe = tienda.ids["cafe"]
    respuesta = nota(
        tienda,
        vendida,
        "1",
        motivo="   ",
        lineas=[
            {"producto_id": cafe, "cantidad": "1", "valor": "1.00"},
            {"producto_id": cafe, "cantidad": "1.0000001"},
        ],
    )

    assert respuesta.status_code == 422
    assert reglas(respuesta) == {
        "MotivoModificacionValido",
        "LineaNotaCreditoValida",
        "CantidadConHasta6Decimales",
    }
    assert tienda.ultima_posicion() == antes
