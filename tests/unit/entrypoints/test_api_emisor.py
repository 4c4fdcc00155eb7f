"""Issue 13 over HTTP: the emisor's new fields and its RUC ending in 001, a punto's initial
secuencial, a tarifa not valid on the factura's date, and the clave de acceso and emisor
block fixed in the emitted document whatever the catalog says later."""

from __future__ import annotations

from typing import Any

from apoyo_http import API, TiendaHttp, exigir, reglas
from prometeo.domain.value_objects.clave_acceso import ClaveAcceso

EMISOR = {
    "ruc": "1790011674001",
    "razon_social": "Comercial Andina S.A.",
    "nombre_comercial": "Andina",
    "direccion_matriz": "Av. Amazonas N34-120, Quito",
    "obligado_contabilidad": True,
    "ambiente": "1",
}


def _emisiones(tienda: TiendaHttp, tipo: str) -> list[dict[str, Any]]:
    eventos = tienda.get("/eventos", desde=0, limite=1000)["items"]
    return [e["datos"] for e in eventos if e["tipo"] == tipo]


def test_emisor_con_campos_nuevos(tienda: TiendaHttp) -> None:
    cuerpo = {
        **EMISOR,
        "contribuyente_especial": "5368",
        "agente_retencion": "1",
        "regimen": "RIMPE_EMPRENDEDOR",
    }
    respuesta = exigir(tienda.http.put(API + "/emisor", json=cuerpo), 200)
    assert respuesta["contribuyente_especial"] == "5368"
    assert respuesta["agente_retencion"] == "1"
    assert respuesta["regimen"] == "RIMPE_EMPRENDEDOR"
    leido = tienda.get("/emisor")
    assert (leido["contribuyente_especial"], leido["regimen"]) == ("5368", "RIMPE_EMPRENDEDOR")


def test_ruc_del_emisor_que_no_termina_en_001(tienda: TiendaHttp) -> None:
    respuesta = tienda.http.put(API + "/emisor", json={**EMISOR, "ruc": "0602910945002"})
    assert respuesta.status_code == 422
    assert reglas(respuesta) == {"RucEmisorTerminaEn001"}
    assert tienda.get("/emisor")["ruc"] == "1790011674001"  # nothing changed
    malo = tienda.http.put(API + "/emisor", json={**EMISOR, "regimen": "OTRO"})
    assert reglas(malo) == {"RegimenValido"}


def test_punto_con_secuencial_inicial(tienda: TiendaHttp) -> None:
    punto = tienda.post(
        f"/sucursales/{tienda.ids['sucursal']}/puntos-emision",
        {"codigo": "002", "siguiente_secuencial": {"01": 1500, "04": 20}},
    )
    assert punto["siguiente_secuencial"] == {"01": 1500, "04": 20}
    assert tienda.get(f"/puntos-emision/{punto['id']}") == punto
    tienda.ingresar("cafe", "5", "2.00")
    primera = tienda.facturar(("cafe", "1"), punto_emision_id=punto["id"])
    segunda = tienda.facturar(("cafe", "1"), punto_emision_id=punto["id"])
    assert (primera["numero"], segunda["numero"]) == ("001-002-000001500", "001-002-000001501")
    nota = tienda.post(
        "/notas-credito",
        {
            "factura_id": primera["id"],
            "motivo": "Devolución",
            "devolucion_inventario": True,
            "lineas": [{"producto_id": tienda.ids["cafe"], "cantidad": "1"}],
        },
    )
    assert nota["numero"] == "001-002-000000020"
    assert ClaveAcceso(nota["clave_acceso"]).tipo_comprobante == "04"


def test_secuencial_inicial_invalido(tienda: TiendaHttp) -> None:
    ruta = API + f"/sucursales/{tienda.ids['sucursal']}/puntos-emision"
    for malo in ({"05": 3}, {"01": 0}):
        respuesta = tienda.http.post(ruta, json={"codigo": "003", "siguiente_secuencial": malo})
        assert respuesta.status_code == 422
        assert reglas(respuesta) == {"SecuencialInicialValido"}


def test_tarifa_no_vigente_en_la_fecha_de_la_factura(tienda: TiendaHttp) -> None:
    producto = tienda.post(
        "/productos", {"codigo": "VIE", "nombre": "Viejo", "precio": "1.00", "tarifa_iva": "2"}
    )
    tienda.ids["viejo"] = producto["id"]
    tienda.ingresar("viejo", "5", "0.50")
    respuesta = tienda.intentar_factura(("viejo", "1"))
    assert respuesta.status_code == 422
    assert "TarifaIvaVigente" in reglas(respuesta)
    assert tienda.stock("viejo")["cantidad"] == "5"


def test_la_factura_conserva_su_emisor_y_su_clave(tienda: TiendaHttp) -> None:
    tienda.ingresar("cafe", "5", "2.00")
    factura = tienda.facturar(("cafe", "1"))
    clave = ClaveAcceso(factura["clave_acceso"])
    assert (clave.ruc, clave.tipo_comprobante, clave.secuencial) == ("1790011674001", "01", 1)
    (emitida,) = _emisiones(tienda, "FacturaEmitida")
    antes = emitida["emisor"]
    assert antes["razon_social"] == "Comercial Andina S.A."
    assert emitida["establecimiento"] == {
        "codigo": "001",
        "direccion": "Av. Amazonas",
        "punto_emision": "001",
    }

    exigir(
        tienda.http.put(
            API + "/emisor",
            json={**EMISOR, "razon_social": "Otra S.A.", "direccion_matriz": "Guayaquil"},
        ),
        200,
    )

    (despues,) = _emisiones(tienda, "FacturaEmitida")
    assert despues["emisor"] == antes  # a reprint shows what was issued
    assert tienda.get(f"/facturas/{factura['id']}")["clave_acceso"] == factura["clave_acceso"]
    otra = tienda.facturar(("cafe", "1"))
    assert _emisiones(tienda, "FacturaEmitida")[1]["emisor"]["razon_social"] == "Otra S.A."
    assert otra["clave_acceso"] != factura["clave_acceso"]
