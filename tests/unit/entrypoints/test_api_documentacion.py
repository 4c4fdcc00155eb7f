"""/docs works on a shop's LAN without internet: the page and every file it loads come
from the server itself; and what it offers to try (the OpenAPI examples) works against the
demo data that `make run` loads."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient


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


@pytest.mark.parametrize("ruta", ["/redoc", "/docs/oauth2-redirect"])
def test_solo_hay_una_documentacion(anonimo: TestClient, ruta: str) -> None:
    # ReDoc loads its script from a CDN too: a page that cannot work offline is not served.
    assert anonimo.get(ruta).status_code == 404
