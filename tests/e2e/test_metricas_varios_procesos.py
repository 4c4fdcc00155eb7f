"""`prometeo serve --workers 2`: whichever worker answers /metrics, it counts the commands
of both, and each state gauge shows once (the database's state, not one copy per
process). Every request goes on a connection of its own, so both workers serve some."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from servidor_real import TOKEN_ADMIN, servidor

from apoyo_http import API, TiendaHttp, exigir

TOKENS = 16
RASPADOS = 6


def _comandos_contados(texto: str) -> float:
    """The commands counted in an exposition, all routes together."""
    return sum(
        float(valor)
        for valor in re.findall(
            r"^prometeo_comando_duracion_segundos_count\{.*\} (\S+)$", texto, re.M
        )
    )


def test_las_metricas_suman_todos_los_procesos(tmp_path: Path) -> None:
    with servidor(f"sqlite:///{tmp_path / 'api.db'}", tmp_path, workers=2) as srv:
        cabeceras = {"Authorization": f"Bearer {TOKEN_ADMIN}"}
        with httpx.Client(base_url=srv.base, headers=cabeceras, timeout=60) as http:
            TiendaHttp(http).sembrar()  # 8 commands: emisor, sucursal, punto, 2 bodegas...
        for i in range(TOKENS):
            with httpx.Client(base_url=srv.base, headers=cabeceras, timeout=60) as propio:
                exigir(
                    propio.post(API + "/tokens", json={"nombre": f"caja {i}", "rol": "cajero"}), 201
                )
        comandos = 8 + TOKENS

        textos = []
        for _ in range(RASPADOS):
            respuesta = httpx.get(srv.base + "/metrics", timeout=60)
            assert respuesta.status_code == 200
            textos.append(respuesta.text)

    for texto in textos:
        assert _comandos_contados(texto) == comandos, texto
        assert (
            'prometeo_comando_duracion_segundos_count{comando="POST /api/v1/tokens"} 16.0' in texto
        )
        # A state of the database, measured by whoever was asked: one series, no pid.
        (retraso,) = re.findall(
            r'^prometeo_proyeccion_retraso\{proyeccion="kardex".*$', texto, re.M
        )
        assert retraso == 'prometeo_proyeccion_retraso{proyeccion="kardex"} 0.0'
        assert len(re.findall(r"^prometeo_comprobantes_pendientes ", texto, re.M)) == 1
