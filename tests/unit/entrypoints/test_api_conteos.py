"""Physical counts, write-offs of expired lots and the lots about to expire, over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from entorno_api import HOY, TOKEN_ADMIN, ajustes
from fastapi.testclient import TestClient

from apoyo_http import API, TiendaHttp, exigir, reglas
from prometeo.bootstrap import bootstrap
from prometeo.entrypoints.api.app import crear_app


def conteo(tienda: TiendaHttp, *lineas: tuple[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "bodega_id": tienda.ids["bodega"],
        "referencia": "Conteo percha 3",
        "conteos": [{"producto_id": tienda.ids[p], "cantidad": c} for p, c in lineas],
        **extra,
    }


def test_un_conteo_registra_solo_las_diferencias(tienda: TiendaHttp) -> None:
    tienda.ingresar("cafe", "5", "2.00")
    tienda.ingresar("cafe", "5", "3.00")
    tienda.ingresar("pan", "4", "0.50")
    posicion = tienda.ultima_posicion()

    respuesta = tienda.post("/inventario/conteos", conteo(tienda, ("cafe", "7"), ("pan", 4)))

    assert respuesta["conteo_id"]
    assert respuesta["referencia"] == "Conteo percha 3"
    assert [
        (a["producto_codigo"], a["contada"], a["esperada"], a["diferencia"], a["costo"])
        for a in respuesta["ajustes"]
    ] == [("CAF", "7", "10", "-3", "6.00"), ("PAN", "4", "4", "0", "0.00")]
    assert respuesta["ajustes"][0]["producto_nombre"]
    assert tienda.ultima_posicion() == posicion + 1  # one StockAjustado, nothing for pan
    ajuste = tienda.kardex("cafe")[-1]
    assert (ajuste["tipo"], ajuste["motivo"], ajuste["documento"], ajuste["cantidad"]) == (
        "AJUSTE",
        "FALTANTE",
        "Conteo percha 3",
        "3",
    )
    assert (ajuste["costo_total"], ajuste["saldo_cantidad"], ajuste["saldo_valor"]) == (
        "6.00",
        "7",
        "19.00",
    )
    assert tienda.stock("cafe")["cantidad"] == "7"


def test_un_sobrante_entra_al_costo_promedio(tienda: TiendaHttp) -> None:
    tienda.ingresar("cafe", "1", "1.00")
    tienda.ingresar("cafe", "1", "2.00")

    tienda.post("/inventario/conteos", conteo(tienda, ("cafe", "3")))

    assert [(lt["cantidad_disponible"], lt["costo_unitario"]) for lt in tienda.lotes("cafe")] == [
        ("1", "1.00"),
        ("1", "2.00"),
        ("1", "1.50"),
    ]
    (ultimo,) = tienda.kardex("cafe")[-1:]
    assert (ultimo["tipo"], ultimo["motivo"], ultimo["saldo_valor"]) == (
        "AJUSTE",
        "SOBRANTE",
        "4.50",
    )


def test_un_conteo_con_errores_los_nombra_todos_y_no_escribe(tienda: TiendaHttp) -> None:
    tienda.ingresar("cafe", "2", "2.00")
    posicion = tienda.ultima_posicion()

    respuesta = tienda.http.post(
        API + "/inventario/conteos",
        json=conteo(tienda, ("cafe", "-1"), ("pan", "1"), ("pan", "2"), referencia=" "),
    )

    exigir(respuesta, 422)
    assert reglas(respuesta) == {
        "ReferenciaConteoValida",
        "CantidadContadaValida",
        "ProductosDelConteoDistintos",
    }
    assert tienda.ultima_posicion() == posicion


def test_un_producto_sin_ningun_lote_no_tiene_costo_para_su_sobrante(tienda: TiendaHttp) -> None:
    respuesta = tienda.http.post(API + "/inventario/conteos", json=conteo(tienda, ("pan", "1")))

    exigir(respuesta, 422)
    assert reglas(respuesta) == {"CostoDelSobranteConocido"}


def test_contado_en_rechaza_lo_que_se_movio_despues(tienda: TiendaHttp) -> None:
    tienda.ingresar("cafe", "5", "2.00")
    hace_una_hora = (datetime.now(UTC) - timedelta(hours=1)).isoformat()

    respuesta = tienda.http.post(
        API + "/inventario/conteos", json=conteo(tienda, ("cafe", "4"), contado_en=hace_una_hora)
    )
    exigir(respuesta, 422)
    assert reglas(respuesta) == {"ConteoSinMovimientos"}

    # Compared with the stock an hour ago (none), the 4 on the shelf are a surplus.
    respuesta = tienda.post(
        "/inventario/conteos",
        conteo(tienda, ("cafe", "4"), contado_en=hace_una_hora, usar_stock_al_contar=True),
    )
    assert [(a["esperada"], a["diferencia"]) for a in respuesta["ajustes"]] == [("0", "4")]
    assert tienda.stock("cafe")["cantidad"] == "9"


def test_contado_en_sin_zona_horaria_es_un_422(tienda: TiendaHttp) -> None:
    tienda.ingresar("cafe", "5", "2.00")

    for instante in ("2026-11-29T10:00:00", "0001-01-01T00:00:00+05:00"):
        respuesta = tienda.http.post(
            API + "/inventario/conteos", json=conteo(tienda, ("cafe", "4"), contado_en=instante)
        )
        exigir(respuesta, 422)
    assert tienda.stock("cafe")["cantidad"] == "5"


def test_la_baja_de_un_lote_que_no_vencio_se_rechaza(tienda: TiendaHttp) -> None:
    lote = tienda.ingresar("cafe", "2", "2.00")
    cuerpo = {
        "producto_id": tienda.ids["cafe"],
        "bodega_id": tienda.ids["bodega"],
        "lote_id": lote,
        "motivo": "Caducado",
    }

    respuesta = tienda.http.post(API + "/inventario/bajas", json=cuerpo)
    exigir(respuesta, 422)
    assert reglas(respuesta) == {"LoteVencido"}

    respuesta = tienda.http.post(API + "/inventario/bajas", json={**cuerpo, "lote_id": "otro"})
    exigir(respuesta, 422)
    assert reglas(respuesta) == {"LoteConStock"}


@pytest.fixture
def manana(url_api: str, tienda: TiendaHttp) -> Iterator[TestClient]:
    """The same shop, served by a second process whose clock says tomorrow."""
    wired = bootstrap(ajustes(url_api, hoy=HOY + timedelta(days=1)))
    cabeceras = {"Authorization": f"Bearer {TOKEN_ADMIN}"}
    try:
        with TestClient(crear_app(wired), headers=cabeceras) as cliente:
            yield cliente
    finally:
        wired.cerrar()


def test_por_vencer_y_la_baja_del_vencido(tienda: TiendaHttp, manana: TestClient) -> None:
    ingreso = {"producto_id": tienda.ids["cafe"], "bodega_id": tienda.ids["bodega"]}
    vence_hoy = tienda.post(
        "/inventario/ingresos",
        {**ingreso, "cantidad": "3", "costo_unitario": "2.00", "fecha_caducidad": str(HOY)},
    )["lote_id"]
    luego = HOY + timedelta(days=20)
    tienda.post(
        "/inventario/ingresos",
        {**ingreso, "cantidad": "1", "costo_unitario": "4.00", "fecha_caducidad": str(luego)},
    )
    tienda.ingresar("cafe", "2", "3.00")

    hoy = tienda.get("/inventario/por-vencer", dias=30)["items"]
    assert (hoy[0]["lote_id"], hoy[0]["dias_para_vencer"], hoy[0]["vencido"]) == (
        vence_hoy,
        0,
        False,
    )
    assert hoy[0]["producto_codigo"] == "CAF"
    assert len(tienda.get("/inventario/por-vencer", dias=5)["items"]) == 1

    items = exigir(manana.get(API + "/inventario/por-vencer"), 200)["items"]
    assert [(i["dias_para_vencer"], i["vencido"], i["valor_disponible"]) for i in items] == [
        (-1, True, "6.00"),
        (19, False, "4.00"),
    ]
    lotes = exigir(manana.get(API + "/inventario/lotes"), 200)["items"]
    assert [lt["vencido"] for lt in lotes] == [True, False, False]
    assert not any(lt["vencido"] for lt in tienda.lotes("cafe"))  # today it is still sellable
    # Tomorrow a sale of 4 is short: 3 of the 6 units expired.
    factura = tienda.cuerpo_factura(("cafe", "4"))
    factura["fecha_emision"] = str(HOY + timedelta(days=1))
    respuesta = manana.post(API + "/facturas", json=factura)
    exigir(respuesta, 422)
    assert "3 unidades vencidas" in respuesta.text

    cuerpo = {**ingreso, "lote_id": vence_hoy, "motivo": "Caducado, destruido"}
    baja = exigir(manana.post(API + "/inventario/bajas", json=cuerpo), 201)
    assert (baja["cantidad"], baja["costo"], baja["motivo"]) == ("3", "6.00", "Caducado, destruido")
    (ultimo,) = tienda.kardex("cafe")[-1:]
    assert (ultimo["tipo"], ultimo["motivo"], ultimo["documento"]) == (
        "BAJA",
        "VENCIDO",
        "Caducado, destruido",
    )
    assert tienda.stock("cafe")["cantidad"] == "3"
    assert exigir(manana.get(API + "/inventario/por-vencer"), 200)["items"][0]["vencido"] is False
