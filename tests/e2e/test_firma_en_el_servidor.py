"""The real server signs what it emits (PROMETEO_SRI_ENVIO=embebido, the default) in the
background; with `separado` only `prometeo sri enviar` does. Either way the signed XML
served over HTTP verifies against the certificate's authority."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
from servidor_real import ejecutar, servidor

from apoyo_comprobantes import CLAVE, certificado_de_prueba, verificar
from apoyo_http import API, TiendaHttp, exigir


def _esperar_firmado(http: httpx.Client, ruta: str, limite: float = 60) -> dict[str, Any]:
    fin = time.monotonic() + limite
    while True:
        documento: dict[str, Any] = exigir(http.get(f"{API}{ruta}"), 200)
        if documento["sri"]["estado"] == "FIRMADO" or time.monotonic() > fin:
            return documento
        time.sleep(0.2)


def _vender(tienda: TiendaHttp) -> tuple[dict[str, Any], dict[str, Any]]:
    tienda.ingresar("cafe", "10", "4.00")
    factura = tienda.facturar(("cafe", "2"))
    nota = tienda.devolver(factura)
    return factura, nota


def test_el_servidor_firma_en_segundo_plano(tmp_path: Path) -> None:
    p12, ca = certificado_de_prueba(tmp_path)
    url = f"sqlite:///{tmp_path / 'e2e.db'}"
    with (
        servidor(url, tmp_path, PROMETEO_FIRMA_ARCHIVO=str(p12), PROMETEO_FIRMA_CLAVE=CLAVE) as srv,
        srv.cliente() as http,
    ):
        factura, nota = _vender(TiendaHttp(http).sembrar())
        for ruta in (f"/facturas/{factura['id']}", f"/notas-credito/{nota['id']}"):
            assert _esperar_firmado(http, ruta)["sri"]["estado"] == "FIRMADO"
            xml = http.get(f"{API}{ruta}/xml")
            assert xml.status_code == 200
            verificar(xml.content, ca)
            ride = http.get(f"{API}{ruta}/ride.pdf")
            assert ride.status_code == 200
            assert ride.content.startswith(b"%PDF")
        assert exigir(http.get("/health"), 200)["sri"]["pendientes"] == 0


def test_separado_solo_firma_prometeo_sri_enviar(tmp_path: Path) -> None:
    p12, ca = certificado_de_prueba(tmp_path)
    url = f"sqlite:///{tmp_path / 'e2e.db'}"
    variables = {
        "PROMETEO_FIRMA_ARCHIVO": str(p12),
        "PROMETEO_FIRMA_CLAVE": CLAVE,
        "PROMETEO_SRI_ENVIO": "separado",
    }
    with servidor(url, tmp_path, **variables) as srv, srv.cliente() as http:
        factura, _ = _vender(TiendaHttp(http).sembrar())
        ruta = f"/facturas/{factura['id']}"
        time.sleep(1.5)  # the embedded signer would have signed by now
        assert exigir(http.get(f"{API}{ruta}"), 200)["sri"]["estado"] == "PENDIENTE"
        salud = exigir(http.get("/health"), 200)["sri"]
        assert (salud["envio"], salud["pendientes"]) == ("separado", 2)
        resultado = ejecutar(url, "sri", "enviar", "--una-vez", **variables)
        assert resultado.returncode == 0, resultado.stdout + resultado.stderr
        assert "2 comprobantes firmados" in resultado.stdout
        assert exigir(http.get(f"{API}{ruta}"), 200)["sri"]["estado"] == "FIRMADO"
        verificar(http.get(f"{API}{ruta}/xml").content, ca)
        # The SRI (a closed port here) did not answer: the queue says so, and when.
        cola = ejecutar(url, "sri", "estado", COLUMNS="250", **variables)
        assert cola.returncode == 0, cola.stderr
        assert "FIRMADO" in cola.stdout
        assert "Fallos seguidos" in cola.stdout
        assert "No se pudo conectar con el SRI (ConnectError" in cola.stdout


def test_sri_enviar_sin_certificado_lo_dice(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'e2e.db'}"
    assert ejecutar(url, "db", "upgrade").returncode == 0
    resultado = ejecutar(url, "sri", "enviar", "--una-vez")
    assert resultado.returncode == 1
    assert "PROMETEO_FIRMA_ARCHIVO" in resultado.stdout
