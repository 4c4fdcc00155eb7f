"""Issue 13, items 7, 8, 10 and 11 over HTTP: each refusal is a 422 naming its rule, and
nothing is stored."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from entorno_api import HOY, TOKEN_ADMIN, ajustes
from fastapi.testclient import TestClient

from apoyo_http import API, TiendaHttp, exigir, reglas
from prometeo.bootstrap import bootstrap
from prometeo.entrypoints.api.app import crear_app


def rechazado(tienda: TiendaHttp, respuesta: Any, esperadas: set[str], antes: int) -> None:
    assert respuesta.status_code == 422, respuesta.text
    assert reglas(respuesta) == esperadas
    assert tienda.ultima_posicion() == antes


# -- 7 ----------------------------------------------------------------------------------------


def test_7_factura_con_fecha_futura(tienda: TiendaHttp) -> None:
    antes = tienda.ultima_posicion()
    manana = (HOY + timedelta(days=1)).isoformat()
    respuesta = tienda.intentar_factura(("cafe", "1"), fecha_emision=manana)
    # No stock either: both rules at once.
    rechazado(tienda, respuesta, {"FechaEmisionNoFutura", "StockSuficienteParaFactura"}, antes)


def test_7_nota_de_credito_con_fecha_futura(tienda: TiendaHttp) -> None:
    tienda.ingresar("cafe", "5", "4.00")
    factura = tienda.facturar(("cafe", "2"))
    antes = tienda.ultima_posicion()
    respuesta = tienda.http.post(
        API + "/notas-credito",
        json={
            "factura_id": factura["id"],
            "motivo": "Devolución",
            "fecha_emision": (HOY + timedelta(days=3)).isoformat(),
            "devolucion_inventario": True,
            "lineas": [{"producto_id": tienda.ids["cafe"], "cantidad": "1"}],
        },
    )
    rechazado(tienda, respuesta, {"FechaEmisionNoFutura"}, antes)


# -- 8 ----------------------------------------------------------------------------------------


@pytest.fixture
def otro_dia(url_api: str) -> Iterator[Any]:
    """A second server over the same database whose clock says another day."""
    abiertos: list[Any] = []

    def abrir(hoy: date, **extra: object) -> TestClient:
        aplicacion = bootstrap(ajustes(url_api, hoy=hoy, **extra))
        cliente = TestClient(
            crear_app(aplicacion),
            raise_server_exceptions=False,
            headers={"Authorization": f"Bearer {TOKEN_ADMIN}"},
        )
        cliente.__enter__()
        abiertos.append((aplicacion, cliente))
        return cliente

    yield abrir
    for aplicacion, cliente in abiertos:
        cliente.__exit__(None, None, None)
        aplicacion.cerrar()


def _anular(http: TestClient, factura_id: str) -> Any:
    return http.post(f"{API}/facturas/{factura_id}/anular", json={"motivo": "Error"})


def test_8_anulacion_fuera_de_plazo(tienda: TiendaHttp, otro_dia: Any) -> None:
    tienda.ingresar("cafe", "5", "4.00")
    factura = tienda.facturar(("cafe", "2"))
    # 2026-11-29: until 2026-12-07.
    exigir(_anular(otro_dia(date(2026, 12, 7)), factura["id"]), 200)

    otra = tienda.facturar(("cafe", "2"))
    antes = tienda.ultima_posicion()
    respuesta = _anular(otro_dia(date(2026, 12, 8)), otra["id"])
    rechazado(tienda, respuesta, {"AnulacionDentroDelPlazo"}, antes)
    assert "nota de crédito" in respuesta.json()["errores"][0]["mensaje"]
    assert tienda.get(f"/facturas/{otra['id']}")["estado"] == "EMITIDA"


def test_8_el_dia_limite_se_configura(tienda: TiendaHttp, otro_dia: Any) -> None:
    tienda.ingresar("cafe", "5", "4.00")
    factura = tienda.facturar(("cafe", "2"))
    http = otro_dia(date(2026, 12, 10), dia_limite_anulacion=10)
    exigir(_anular(http, factura["id"]), 200)


def test_8_consumidor_final_no_se_anula(tienda: TiendaHttp) -> None:
    tienda.ingresar("cafe", "5", "4.00")
    factura = tienda.facturar(("cafe", "1"), cliente_id=None)
    antes = tienda.ultima_posicion()
    respuesta = _anular(tienda.http, factura["id"])
    rechazado(tienda, respuesta, {"AnulacionNoConsumidorFinal"}, antes)


# -- 10 ---------------------------------------------------------------------------------------


def test_10_importe_total_sobre_10_a_la_12(tienda: TiendaHttp) -> None:
    tienda.ingresar("cafe", "5", "4.00")
    antes = tienda.ultima_posicion()
    cuerpo = tienda.cuerpo_factura(("cafe", "1"))
    cuerpo["lineas"][0]["precio_unitario"] = "900000000000"
    respuesta = tienda.http.post(API + "/facturas", json=cuerpo)
    rechazado(tienda, respuesta, {"ImporteTotalDentroDelLimite"}, antes)


def test_10_propina_sobre_el_10_por_ciento(tienda: TiendaHttp) -> None:
    tienda.ingresar("cafe", "5", "4.00")
    antes = tienda.ultima_posicion()
    # Subtotal 8.00: the propina may be 0.80 at most.
    respuesta = tienda.intentar_factura(("cafe", "1"), propina="0.81")
    rechazado(tienda, respuesta, {"PropinaDentroDelLimite"}, antes)
    assert tienda.facturar(("cafe", "1"), propina="0.80")["totales"]["propina"] == "0.80"


def test_10_ingresos_que_desbordarian_el_stock(tienda: TiendaHttp) -> None:
    tienda.ingresar("cafe", "999999999999", "0")
    antes = tienda.ultima_posicion()
    for _ in range(2):
        respuesta = tienda.http.post(
            API + "/inventario/ingresos",
            json={
                "producto_id": tienda.ids["cafe"],
                "bodega_id": tienda.ids["bodega"],
                "cantidad": "999999999999",
                "costo_unitario": "0",
            },
        )
        rechazado(tienda, respuesta, {"StockDentroDelLimite"}, antes)
        # The request names the product and the bodega; the answer does not repeat ids.
        assert tienda.ids["cafe"] not in respuesta.text
        assert tienda.ids["bodega"] not in respuesta.text
    assert tienda.stock("cafe")["cantidad"] == "999999999999"


# -- 11 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ruta", "cuerpo", "regla", "campo"),
    [
        (
            "/clientes",
            {"tipo_identificacion": "05", "identificacion": "0910005917", "razon_social": "A\nB"},
            "NombreValido",
            "La razón social",
        ),
        (
            "/clientes",
            {
                "tipo_identificacion": "05",
                "identificacion": "0910005917",
                "razon_social": "Ana",
                "direccion": "Calle \u202e1",
            },
            "DireccionValida",
            "La dirección",
        ),
        (
            "/productos",
            {"codigo": "X" * 26, "nombre": "Té", "precio": "1", "tarifa_iva": "4"},
            "CodigoValido",
            "El código del producto",
        ),
        (
            "/productos",
            {"codigo": "TE", "nombre": "T\u200bé", "precio": "1", "tarifa_iva": "4"},
            "NombreValido",
            "El nombre del producto",
        ),
    ],
)
def test_11_textos_del_catalogo(
    tienda: TiendaHttp, ruta: str, cuerpo: dict[str, str], regla: str, campo: str
) -> None:
    antes = tienda.ultima_posicion()
    respuesta = tienda.http.post(API + ruta, json=cuerpo)
    rechazado(tienda, respuesta, {regla}, antes)
    assert campo in respuesta.json()["errores"][0]["mensaje"]


def test_11_unidad_de_tiempo_y_motivo(tienda: TiendaHttp) -> None:
    tienda.ingresar("cafe", "5", "4.00")
    antes = tienda.ultima_posicion()
    pagos = [{"forma_pago": "19", "total": "9.20", "plazo": 30, "unidad_tiempo": "dias habiles"}]
    respuesta = tienda.intentar_factura(("cafe", "1"), pagos=pagos)
    rechazado(tienda, respuesta, {"PagoValido"}, antes)

    factura = tienda.facturar(("cafe", "1"))
    antes = tienda.ultima_posicion()
    respuesta = tienda.http.post(
        API + "/notas-credito",
        json={
            "factura_id": factura["id"],
            "motivo": "Devolución\u2066 del cliente",
            "devolucion_inventario": True,
            "lineas": [{"producto_id": tienda.ids["cafe"], "cantidad": "1"}],
        },
    )
    rechazado(tienda, respuesta, {"MotivoModificacionValido"}, antes)
    respuesta = _anular_con(tienda, factura["id"], "x" * 301)
    rechazado(tienda, respuesta, {"MotivoModificacionValido"}, antes)


def test_11_referencia_del_ingreso(tienda: TiendaHttp) -> None:
    antes = tienda.ultima_posicion()
    respuesta = tienda.http.post(
        API + "/inventario/ingresos",
        json={
            "producto_id": tienda.ids["cafe"],
            "bodega_id": tienda.ids["bodega"],
            "cantidad": "1",
            "costo_unitario": "1",
            "referencia": "FAC\n001",
        },
    )
    rechazado(tienda, respuesta, {"ReferenciaValida"}, antes)


def _anular_con(tienda: TiendaHttp, factura_id: str, motivo: str) -> Any:
    return tienda.http.post(f"{API}/facturas/{factura_id}/anular", json={"motivo": motivo})


def test_la_configuracion_por_omision(tmp_path: Path) -> None:
    assert ajustes(f"sqlite:///{tmp_path}/x.db").dia_limite_anulacion == 7
