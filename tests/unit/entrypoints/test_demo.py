"""`prometeo demo`: a realistic shop, loaded once through the application services."""

from __future__ import annotations

from decimal import Decimal

import pytest
from entorno_api import HOY, ajustes
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from apoyo_http import API, exigir
from prometeo.bootstrap import bootstrap
from prometeo.entrypoints.api.app import crear_app
from prometeo.entrypoints.cli import app as cli
from prometeo.entrypoints.demo import PRODUCTOS, ean13_interno


def test_demo_carga_una_sola_vez(url_api: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROMETEO_DATABASE_URL", url_api)
    monkeypatch.setenv("PROMETEO_HOY", HOY.isoformat())
    monkeypatch.setenv("PROMETEO_SQLITE_SYNCHRONOUS", "NORMAL")
    runner = CliRunner()

    primera = runner.invoke(cli, ["demo"])
    assert primera.exit_code == 0, primera.output
    assert "cargados" in primera.output
    segunda = runner.invoke(cli, ["demo"])
    assert segunda.exit_code == 0, segunda.output
    assert "ya estaban cargados" in segunda.output

    wired = bootstrap(ajustes(url_api))
    try:
        with TestClient(crear_app(wired)) as http:
            http.headers["Authorization"] = f"Bearer {wired.settings.admin_token}"
            productos = exigir(http.get(API + "/productos"), 200)["items"]
            clientes = exigir(http.get(API + "/clientes"), 200)["items"]
            facturas = exigir(http.get(API + "/facturas"), 200)["items"]
            stock = exigir(http.get(API + "/inventario/stock"), 200)["items"]
    finally:
        wired.cerrar()
    assert len(productos) == len(PRODUCTOS) == 20
    assert {p["tarifa_iva"] for p in productos} == {"0", "4", "5"}
    # Each with an internal EAN-13 (GS1 prefix 200) whose check digit a scanner accepts.
    barras = [p["codigos_barra"] for p in productos]
    assert all(len(b) == 1 and b[0].startswith("200") and len(b[0]) == 13 for b in barras)
    for (codigo,) in barras:
        pesos = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(codigo[:12]))
        assert (pesos + int(codigo[12])) % 10 == 0
    assert ean13_interno(1) == "2000000000015"
    assert len(clientes) >= 3
    assert all(c["advertencias"] == [] for c in clientes)
    borradores = [f for f in facturas if f["estado"] == "BORRADOR"]
    assert [f["numero"] for f in borradores] == [None, None]
    facturas = [f for f in facturas if f not in borradores]
    assert len(facturas) >= 3
    assert all(f["estado"] == "EMITIDA" for f in facturas)
    assert len({f["numero"] for f in facturas}) == len(facturas)
    consumidor_final = [f for f in facturas if f["cliente_id"] is None]
    assert consumidor_final
    assert all(Decimal(f["totales"]["importe_total"]) <= 50 for f in consumidor_final)
    assert len({s["bodega_id"] for s in stock}) == 2
    assert all(Decimal(s["valor"]) > 0 for s in stock)
