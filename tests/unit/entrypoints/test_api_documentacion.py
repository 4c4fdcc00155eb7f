"""/docs works on a shop's LAN without internet: the page and every file it loads come
from the server itself; and what it offers to try (the OpenAPI examples) works against the
demo data that `make run` loads."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from apoyo_http import exigir
from prometeo.bootstrap import Aplicacion, crear_servicios
from prometeo.entrypoints.demo import cargar_demo


def test_la_documentacion_no_carga_nada_de_fuera(anonimo: TestClient) -> None:
    pagina = anonimo.get("/docs")
    assert pagina.status_code == 200
    assert pagina.headers["content-type"].startswith("text/html")
    referencias = re.findall(r'(?:src|href)="([^"]+)"', pagina.text)
    assert referencias
    assert not [r for r in referencias if not r.startswith("/")], referencias
    assert "//" not in re.sub(r"'/openapi.json'", "", pagina.text.split("<script>", 2)[-1])
    tipos = {".js": "javascript", ".css": "text/css", ".png": "image/png"}
    for referencia in referencias:
        respuesta = anonimo.get(referencia)
        assert respuesta.status_code == 200, referencia
        extension = referencia[referencia.rfind(".") :]
        assert tipos[extension] in respuesta.headers["content-type"], referencia
    assert "SwaggerUIBundle" in anonimo.get(next(r for r in referencias if r.endswith(".js"))).text


# Correcting a document needs one the SRI stopped: the demo has none.
SIN_EJEMPLO_EN_LA_DEMO = {
    "/api/v1/facturas/{documento_id}/correccion",
    "/api/v1/notas-credito/{documento_id}/correccion",
    # The demo is loaded today and no entry receives an expired lot: nothing to write off.
    "/api/v1/inventario/bajas",
}


def _ejemplo(parametro: dict[str, Any]) -> Any:
    ejemplos = parametro.get("examples") or {}
    return next(iter(ejemplos.values()))["value"] if ejemplos else None


def test_los_ejemplos_funcionan_con_los_datos_de_demostracion(
    aplicacion: Aplicacion, cliente: TestClient
) -> None:
    """Every example body (with the examples of its path), and every read whose required
    parameters all have examples, tried in the document's order on the demo as loaded."""
    cargar_demo(crear_servicios(aplicacion))
    documento = exigir(cliente.get("/openapi.json"), 200)
    esquemas = documento["components"]["schemas"]
    probados: list[str] = []
    for ruta, operaciones in documento["paths"].items():
        for metodo, operacion in operaciones.items():
            requeridos = [p for p in operacion.get("parameters", []) if p.get("required")]
            sin_ejemplo = [p["name"] for p in requeridos if _ejemplo(p) is None]
            cuerpo = operacion.get("requestBody")
            if cuerpo is None:
                if metodo != "get" or not requeridos or sin_ejemplo:
                    continue
                cuerpos: list[Any] = [None]
            elif ruta in SIN_EJEMPLO_EN_LA_DEMO:
                continue
            else:
                assert not sin_ejemplo, (metodo, ruta, sin_ejemplo)
                esquema = cuerpo["content"]["application/json"]["schema"]
                # An optional body (POST .../emitir) is anyOf its schema and null.
                opciones = esquema.get("anyOf", [esquema])
                referencia = next(o["$ref"] for o in opciones if "$ref" in o)
                cuerpos = esquemas[referencia.rsplit("/", 1)[-1]]["examples"]
            url = ruta
            consulta: dict[str, Any] = {}
            for parametro in requeridos:
                if parametro["in"] == "path":
                    url = url.replace("{" + parametro["name"] + "}", str(_ejemplo(parametro)))
                else:
                    consulta[parametro["name"]] = _ejemplo(parametro)
            for ejemplo in cuerpos:
                respuesta = cliente.request(metodo, url, params=consulta, json=ejemplo)
                assert respuesta.status_code in (200, 201), (metodo, url, respuesta.text)
                probados.append(f"{metodo.upper()} {ruta}")
    assert len(probados) >= 20, probados
    for probado in (
        "PUT /api/v1/emisor",
        "POST /api/v1/productos",
        "POST /api/v1/facturas",
        "POST /api/v1/facturas/{factura_id}/anular",
        "POST /api/v1/facturas/previsualizar",
        "POST /api/v1/facturas/{factura_id}/emitir",
        "POST /api/v1/facturas/{factura_id}/lineas",
        "PATCH /api/v1/facturas/{factura_id}",
        "POST /api/v1/notas-credito",
        "POST /api/v1/sucursales/{sucursal_id}/puntos-emision",
        "GET /api/v1/inventario/kardex",
        "GET /api/v1/productos/{producto_id}",
    ):
        assert probado in probados, probado


@pytest.mark.parametrize("ruta", ["/redoc", "/docs/oauth2-redirect"])
def test_solo_hay_una_documentacion(anonimo: TestClient, ruta: str) -> None:
    # ReDoc loads its script from a CDN too: a page that cannot work offline is not served.
    assert anonimo.get(ruta).status_code == 404
