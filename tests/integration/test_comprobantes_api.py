"""A factura and a nota de crédito emitted through the API come back signed, valid and
verified, with their RIDE, on every backend (the same walk as the SQLite unit test)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from apoyo_comprobantes import CLAVE, certificado_de_prueba, recorrido_firma
from bases_de_datos import todos_los_backends
from prometeo.bootstrap import bootstrap
from prometeo.entrypoints.api.app import crear_app
from prometeo.infrastructure.settings import Settings

TOKEN = "admin-de-integracion-0123456789abcdefghijklmnopq"


@todos_los_backends
def test_documentos_firmados_por_la_api(url_base: str, tmp_path: Path) -> None:
    p12, ca = certificado_de_prueba(tmp_path)
    settings = Settings(
        database_url=url_base,
        admin_token=TOKEN,
        broker_url=None,
        firma_archivo=p12,
        firma_clave=CLAVE,  # type: ignore[arg-type]
    )
    aplicacion = bootstrap(settings)
    try:
        cabeceras = {"Authorization": f"Bearer {TOKEN}"}
        with TestClient(crear_app(aplicacion), headers=cabeceras) as http:
            recorrido_firma(http, aplicacion, ca)
    finally:
        aplicacion.cerrar()
