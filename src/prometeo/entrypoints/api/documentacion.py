"""/docs: Swagger UI served from the server itself, never from a CDN (on a shop's LAN
without internet a CDN's page stays blank). Its files are the pinned copy of the
swagger-ui-bundle-v2 package, under /docs/archivos/; the page loads nothing else."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from starlette.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

RUTA = "/docs"
ARCHIVOS = RUTA + "/archivos"


def montar_documentacion(app: FastAPI) -> None:
    """Serve the interactive documentation of `app`'s OpenAPI document at /docs (the app
    is built with `docs_url=None`, which leaves FastAPI's CDN page out)."""
    app.mount(ARCHIVOS, StaticFiles(directory=swagger_ui_path), name="swagger-ui")
    cuerpo = get_swagger_ui_html(
        openapi_url=app.openapi_url or "/openapi.json",
        title=f"{app.title} — API",
        swagger_js_url=f"{ARCHIVOS}/swagger-ui-bundle.js",
        swagger_css_url=f"{ARCHIVOS}/swagger-ui.css",
        swagger_favicon_url=f"{ARCHIVOS}/favicon-32x32.png",
        # No online validator badge: it would call swagger.io with the document.
        swagger_ui_parameters={"validatorUrl": None},
    ).body

    @app.get(RUTA, include_in_schema=False)
    async def documentacion() -> HTMLResponse:
        return HTMLResponse(cuerpo)
