"""`prometeo sri simulador` as a process of its own: the labelled banner, the SOAP
services and the control endpoint on the port it prints, and a clean stop on Ctrl+C."""

from __future__ import annotations

import re
import signal
import subprocess

import httpx
from servidor_real import comando_prometeo

AUTORIZACION = "/comprobantes-electronicos-ws/AutorizacionComprobantesOffline"
CONSULTA = (
    '<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/">'
    '<soap-env:Body><ns0:autorizacionComprobante xmlns:ns0="http://ec.gob.sri.ws.autorizacion">'
    "<claveAccesoComprobante>{}</claveAccesoComprobante></ns0:autorizacionComprobante>"
    "</soap-env:Body></soap-env:Envelope>"
)


def test_el_simulador_se_anuncia_atiende_y_se_detiene_con_ctrl_c() -> None:
    proceso = subprocess.Popen(
        [*comando_prometeo(), "sri", "simulador", "--port", "0", "--demora", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proceso.stdout is not None
        lineas = [proceso.stdout.readline() for _ in range(5)]
        assert "SIMULADOR del SRI — sin validez" in lineas[0]
        hallada = re.search(r"http://127\.0\.0\.1:\d+", "".join(lineas))
        assert hallada, lineas
        base = hallada.group(0)

        programado = httpx.post(
            base + "/simulador/programar", json={"tipo": "http_502", "servicio": "autorizacion"}
        )
        caida = httpx.post(base + AUTORIZACION, content=CONSULTA.format("0" * 49))
        desconocida = httpx.post(base + AUTORIZACION, content=CONSULTA.format("0" * 49))

        assert programado.status_code == 200
        assert caida.status_code == 502
        assert desconocida.status_code == 200
        assert b"<numeroComprobantes>0</numeroComprobantes>" in desconocida.content
    finally:
        proceso.send_signal(signal.SIGINT)
        salida, errores = proceso.communicate(timeout=30)
    assert proceso.returncode == 0, errores
    assert "Simulador del SRI detenido." in salida
    assert "SIMULADOR del SRI" in errores  # every answer is logged as the simulator's
