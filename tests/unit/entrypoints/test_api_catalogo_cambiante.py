"""The catalog's changes over HTTP: PATCH of productos, clientes, sucursales, puntos and
bodegas, their history, product search by code, barcode and words, and the rules a
change breaks named in a 422 that changes nothing."""

from __future__ import annotations

from typing import Any

from entorno_api import HOY
from fastapi.testclient import TestClient

from apoyo_http import API, TiendaHttp, exigir, reglas
from prometeo.infrastructure.db.tokens import Rol


def patch(tienda: TiendaHttp, ruta: str, cuerpo: Any, status: int = 200) -> Any:
    return exigir(tienda.http.patch(API + ruta, json=cuerpo), status)


def test_un_producto_cambia_y_su_historia_dice_quien_y_cuando(tienda: TiendaHttp) -> None:
    cafe = tienda.ids["cafe"]

    cambiado = patch(
        tienda,
        f"/productos/{cafe}",
        {"precio": "8.50", "nombre": "Café de altura", "codigos_barra": ["786001", "786002"]},
    )

    assert (cambiado["precio"], cambiado["nombre"], cambiado["codigos_barra"]) == (
        "8.50",
        "Café de altura",
        ["786001", "786002"],
    )
    assert (cambiado["codigo"], cambiado["tarifa_iva"], cambiado["activo"]) == ("CAF", "4", True)
    assert tienda.get(f"/productos/{cafe}") == cambiado
    patch(tienda, f"/productos/{cafe}", {"precio": "9.00"})
    historia = tienda.get(f"/productos/{cafe}/historial")["items"]
    assert len(historia) == 3  # created, then two changes
    assert historia[0]["campos"][0]["antes"] is None
    assert {c["campo"]: (c["antes"], c["despues"]) for c in historia[1]["campos"]} == {
        "precio": ("8.00", "8.50"),
        "nombre": ("Producto CAF", "Café de altura"),
        "codigos_barra": ([], ["786001", "786002"]),
    }
    assert historia[1]["usuario"] == "admin"
    assert historia[1]["fecha"].startswith(HOY.isoformat())
    precios = tienda.get(f"/productos/{cafe}/historial", campo="precio")["items"]
    assert [p["campos"][0]["despues"] for p in precios] == ["8.00", "8.50", "9.00"]
    assert [h["numero"] for h in historia] == sorted(h["numero"] for h in historia)


def test_el_historial_dice_el_token_que_hizo_el_cambio(
    tienda: TiendaHttp, cliente: TestClient, token_de: dict[Rol, str]
) -> None:
    cabeceras = {"Authorization": f"Bearer {token_de[Rol.ADMIN]}"}
    exigir(
        cliente.patch(
            API + f"/productos/{tienda.ids['pan']}", json={"precio": "1.60"}, headers=cabeceras
        ),
        200,
    )
    ultimo = tienda.get(f"/productos/{tienda.ids['pan']}/historial")["items"][-1]
    tokens = {t["nombre"]: t["id"] for t in tienda.get("/tokens")["items"]}
    assert ultimo["usuario"] == "prueba admin"
    assert ultimo["token_id"] == tokens["prueba admin"]


def test_solo_admin_cambia_el_catalogo(
    tienda: TiendaHttp, cliente: TestClient, token_de: dict[Rol, str]
) -> None:
    for rol in (Rol.CAJERO, Rol.BODEGUERO, Rol.CONTADOR):
        cabeceras = {"Authorization": f"Bearer {token_de[rol]}"}
        respuesta = cliente.patch(
            API + f"/productos/{tienda.ids['cafe']}", json={"precio": "0.01"}, headers=cabeceras
        )
        assert respuesta.status_code == 403, rol
        lectura = cliente.get(API + f"/productos/{tienda.ids['cafe']}/historial", headers=cabeceras)
        assert lectura.status_code == 200, rol
    assert tienda.get(f"/productos/{tienda.ids['cafe']}")["precio"] == "8.00"


def test_un_cambio_invalido_nombra_cada_regla_y_no_cambia_nada(tienda: TiendaHttp) -> None:
    cafe = tienda.ids["cafe"]
    antes = tienda.get(f"/productos/{cafe}")

    malo = tienda.http.patch(
        API + f"/productos/{cafe}",
        json={"precio": "-1", "tarifa_iva": "4", "vigente_desde": "2020-01-01", "nombre": " "},
    )
    codigo = tienda.http.patch(API + f"/productos/{cafe}", json={"codigo": "OTRO"})
    desconocido = tienda.http.patch(API + "/productos/no-existe", json={"precio": "1"})

    assert malo.status_code == 422
    assert reglas(malo) == {"PrecioValido", "VigenciaTarifaValida", "NombreValido"}
    assert (codigo.status_code, reglas(codigo)) == (422, {"CodigoProductoInmutable"})
    assert desconocido.status_code == 404
    assert tienda.http.get(API + "/productos/no-existe/historial").status_code == 404
    assert tienda.get(f"/productos/{cafe}") == antes
    assert len(tienda.get(f"/productos/{cafe}/historial")["items"]) == 1


def test_un_codigo_de_barras_pertenece_a_un_solo_producto(tienda: TiendaHttp) -> None:
    patch(tienda, f"/productos/{tienda.ids['pan']}", {"codigos_barra": ["786001"]})

    choque = tienda.http.patch(
        API + f"/productos/{tienda.ids['cafe']}", json={"codigos_barra": ["786001"]}
    )

    assert (choque.status_code, reglas(choque)) == (409, {"CodigoBarraUnico"})
    (pan,) = tienda.get("/productos", codigo="786001")["items"]
    assert pan["id"] == tienda.ids["pan"]


def test_una_tarifa_programada_se_muestra_y_rige_desde_su_dia(tienda: TiendaHttp) -> None:
    cafe = tienda.ids["cafe"]
    tienda.ingresar("cafe", "5", "4.00")

    programado = patch(
        tienda, f"/productos/{cafe}", {"tarifa_iva": "5", "vigente_desde": "2027-01-01"}
    )

    assert programado["tarifa_iva"] == "4"
    assert programado["tarifa_iva_programada"] == {
        "tarifa_iva": "5",
        "vigente_desde": "2027-01-01",
    }
    factura = tienda.facturar(("cafe", "1"))
    assert factura["lineas"][0]["tarifa_iva"] == "4"
    sin_fecha = tienda.http.patch(API + f"/productos/{cafe}", json={"vigente_desde": "2027-01-01"})
    assert reglas(sin_fecha) == {"VigenciaTarifaValida"}


def test_un_producto_inactivo_no_se_vende_ni_se_ingresa_y_se_puede_filtrar(
    tienda: TiendaHttp,
) -> None:
    tienda.ingresar("cafe", "5", "4.00")
    patch(tienda, f"/productos/{tienda.ids['cafe']}", {"activo": False})

    venta = tienda.intentar_factura(("cafe", "1"))
    ingreso = tienda.http.post(
        API + "/inventario/ingresos",
        json={
            "producto_id": tienda.ids["cafe"],
            "bodega_id": tienda.ids["bodega"],
            "cantidad": "1",
            "costo_unitario": "1",
        },
    )

    assert (venta.status_code, reglas(venta)) == (422, {"ProductoActivo"})
    assert (ingreso.status_code, reglas(ingreso)) == (422, {"ProductoActivo"})
    assert tienda.stock("cafe")["cantidad"] == "5"
    activos = tienda.get("/productos", activo="true")["items"]
    inactivos = tienda.get("/productos", activo="false")["items"]
    assert [p["codigo"] for p in activos] == ["PAN"]
    assert [p["codigo"] for p in inactivos] == ["CAF"]


def test_sucursal_punto_y_bodega_se_desactivan(tienda: TiendaHttp) -> None:
    tienda.ingresar("cafe", "5", "4.00")

    punto = patch(tienda, f"/puntos-emision/{tienda.ids['punto']}", {"activo": False})
    venta = tienda.intentar_factura(("cafe", "1"))
    patch(tienda, f"/puntos-emision/{tienda.ids['punto']}", {"activo": True})
    bodega = patch(tienda, f"/bodegas/{tienda.ids['bodega']}", {"activo": False})
    desde_bodega = tienda.intentar_factura(("cafe", "1"))
    patch(tienda, f"/bodegas/{tienda.ids['bodega']}", {"activo": True})
    sucursal = patch(tienda, f"/sucursales/{tienda.ids['sucursal']}", {"activo": False})
    desde_sucursal = tienda.intentar_factura(("cafe", "1"))
    malo = tienda.http.patch(API + f"/bodegas/{tienda.ids['bodega']}", json={"activo": "no"})

    assert (punto["activo"], bodega["activo"], sucursal["activo"]) == (False, False, False)
    assert reglas(venta) == {"PuntoEmisionActivo"}
    assert reglas(desde_bodega) == {"BodegaActiva"}
    assert reglas(desde_sucursal) == {"PuntoEmisionActivo", "BodegaActiva"}
    assert malo.status_code == 422
    assert tienda.stock("cafe")["cantidad"] == "5"
    historia = tienda.get(f"/bodegas/{tienda.ids['bodega']}/historial")["items"]
    assert [h["campos"] for h in historia[1:]] == [
        [{"campo": "activo", "antes": True, "despues": False}],
        [{"campo": "activo", "antes": False, "despues": True}],
    ]
    assert len(tienda.get(f"/sucursales/{tienda.ids['sucursal']}/historial")["items"]) == 2
    assert len(tienda.get(f"/puntos-emision/{tienda.ids['punto']}/historial")["items"]) == 3


def test_un_cliente_cambia_su_contacto_y_la_factura_emitida_no(tienda: TiendaHttp) -> None:
    tienda.ingresar("cafe", "5", "4.00")
    factura = tienda.facturar(("cafe", "1"))
    cliente_id = tienda.ids["cliente"]

    cambiado = patch(
        tienda,
        f"/clientes/{cliente_id}",
        {"direccion": "Av. Loja 1-20, Cuenca", "email": "maria@example.com", "telefono": None},
    )
    identificacion = tienda.http.patch(
        API + f"/clientes/{cliente_id}", json={"identificacion": "1710034065"}
    )

    assert (cambiado["direccion"], cambiado["email"]) == (
        "Av. Loja 1-20, Cuenca",
        "maria@example.com",
    )
    assert (identificacion.status_code, reglas(identificacion)) == (
        422,
        {"IdentificacionInmutable"},
    )
    assert tienda.get(f"/facturas/{factura['id']}")["cliente"] == factura["cliente"]
    assert tienda.get(f"/clientes/{cliente_id}")["identificacion"] == "0602910945"
    historia = tienda.get(f"/clientes/{cliente_id}/historial")["items"]
    assert {c["campo"] for c in historia[-1]["campos"]} == {"direccion", "email"}


def test_buscar_productos_por_codigo_codigo_de_barras_y_palabras(tienda: TiendaHttp) -> None:
    tienda.post(
        "/productos",
        {
            "codigo": "CM-500",
            "nombre": "Café molido tostado, 500 g",
            "precio": "5.00",
            "tarifa_iva": "0",
            "codigos_barra": ["7861000000017"],
        },
    )

    def codigos(**params: Any) -> list[str]:
        return [p["codigo"] for p in tienda.get("/productos", **params)["items"]]

    assert codigos(codigo="CM-500") == ["CM-500"]
    assert codigos(codigo="7861000000017") == ["CM-500"]
    assert codigos(codigo="786100") == []  # a scan is exact
    assert codigos(buscar="CAFE mol") == ["CM-500"]
    assert codigos(buscar="producto") == ["CAF", "PAN"]
    assert codigos(buscar="producto pan") == ["PAN"]
    assert codigos(buscar="cm500") == ["CM-500"]
    assert codigos(buscar="786100") == ["CM-500"]
    assert codigos(buscar="TÓS") == ["CM-500"]  # "tostado"
    assert codigos(buscar="producto", limite=1, desplazamiento=1) == ["PAN"]
    assert codigos(buscar="nada") == []
    assert codigos(buscar="") == ["CAF", "CM-500", "PAN"]
    patch(tienda, f"/productos/{tienda.ids['pan']}", {"nombre": "Pan integral"})
    assert codigos(buscar="integ") == ["PAN"]
    assert codigos(buscar="producto") == ["CAF"]
    malo = tienda.http.get(API + "/productos", params={"buscar": "x" * 201})
    assert malo.status_code == 422
