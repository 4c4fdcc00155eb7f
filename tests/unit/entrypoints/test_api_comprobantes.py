"""The electronic documents through the API on SQLite (tests/integration runs the same
on PostgreSQL and MariaDB); without a certificate documents wait; a wrong password is
explained without revealing it."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from entorno_api import TOKEN_ADMIN, ajustes
from fastapi.testclient import TestClient

from apoyo_comprobantes import (
    CLAVE,
    Reloj,
    certificado_de_prueba,
    recorrido_correccion,
    recorrido_firma,
    recorrido_sri,
)
from apoyo_http import API, TiendaHttp, exigir
from prometeo.bootstrap import Aplicacion, bootstrap
from prometeo.entrypoints.api.app import crear_app
from prometeo.infrastructure.sri.simulador import SimuladorSri


@pytest.fixture
def certificado(tmp_path: Path) -> tuple[Path, Path]:
    return certificado_de_prueba(tmp_path)


@pytest.fixture
def firmante(url_api: str, certificado: tuple[Path, Path]) -> Iterator[Aplicacion]:
    wired = bootstrap(ajustes(url_api, firma_archivo=certificado[0], firma_clave=CLAVE))
    yield wired
    wired.cerrar()


@pytest.fixture
def http(firmante: Aplicacion) -> Iterator[TestClient]:
    cabeceras = {"Authorization": f"Bearer {TOKEN_ADMIN}"}
    app = crear_app(firmante)
    with TestClient(app, raise_server_exceptions=False, headers=cabeceras) as cliente:
        yield cliente


def test_factura_y_nota_firmadas_validan_verifican_y_tienen_ride(
    http: TestClient, firmante: Aplicacion, certificado: tuple[Path, Path]
) -> None:
    recorrido_firma(http, firmante, certificado[1])


def test_sin_certificado_los_documentos_esperan(tienda: TiendaHttp, aplicacion: Aplicacion) -> None:
    tienda.ingresar("cafe", "5", "4.00")
    factura = tienda.facturar(("cafe", "1"))
    assert aplicacion.firmador is not None
    assert aplicacion.firmador.ronda() is None
    salud = exigir(tienda.http.get("/health"), 200)["sri"]
    assert {k: salud[k] for k in ("envio", "certificado", "detalle", "pendientes")} == {
        "envio": "embebido",
        "certificado": "no configurado",
        "detalle": None,
        "pendientes": 1,
    }
    assert tienda.get(f"/facturas/{factura['id']}")["sri"]["estado"] == "PENDIENTE"


def test_una_clave_equivocada_se_explica_sin_revelarla(
    url_api: str, certificado: tuple[Path, Path]
) -> None:
    secreta = "no-es-la-clave-7Xq"
    wired = bootstrap(ajustes(url_api, firma_archivo=certificado[0], firma_clave=secreta))
    try:
        with TestClient(crear_app(wired)) as http:
            salud = exigir(http.get("/health"), 200)
    finally:
        wired.cerrar()
    assert salud["sri"]["certificado"] == "error"
    assert salud["sri"]["detalle"]
    assert secreta not in str(salud)


def test_un_borrador_no_tiene_comprobante(tienda: TiendaHttp) -> None:
    tienda.ingresar("cafe", "5", "4.00")
    borrador = tienda.facturar(("cafe", "1"), borrador=True)
    assert borrador["sri"] is None
    for recurso in ("xml", "ride.pdf", "autorizacion.xml"):
        respuesta = tienda.http.get(f"/api/v1/facturas/{borrador['id']}/{recurso}")
        assert respuesta.status_code == 409
        assert "borrador" in respuesta.json()["errores"][0]["mensaje"]
    assert tienda.http.get("/api/v1/facturas/no-existe/xml").status_code == 404
    assert tienda.http.get("/api/v1/notas-credito/no-existe/ride.pdf").status_code == 404


def _con_sri_simulado(
    url_api: str,
    certificado: tuple[Path, Path],
    recorrido: Callable[[TestClient, Aplicacion, SimuladorSri], None],
) -> None:
    with SimuladorSri(demora=0) as simulador:
        wired = bootstrap(
            ajustes(
                url_api,
                firma_archivo=certificado[0],
                firma_clave=CLAVE,
                sri_url=simulador.url,
                sri_timeout=1.0,
            )
        )
        try:
            cabeceras = {"Authorization": f"Bearer {TOKEN_ADMIN}"}
            with TestClient(crear_app(wired), headers=cabeceras) as http:
                recorrido(http, wired, simulador)
        finally:
            wired.cerrar()


def test_del_pendiente_al_autorizado_con_el_sri_simulado(
    url_api: str, certificado: tuple[Path, Path]
) -> None:
    _con_sri_simulado(url_api, certificado, recorrido_sri)


def test_un_comprobante_detenido_por_el_sri_se_corrige_y_reenvia(
    url_api: str, certificado: tuple[Path, Path]
) -> None:
    _con_sri_simulado(url_api, certificado, recorrido_correccion)


class _Buzon:
    def __init__(self) -> None:
        self.mensajes: list[EmailMessage] = []

    async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:
        mensaje = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(mensaje, EmailMessage)
        self.mensajes.append(mensaje)
        return "250 OK"


def _puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        puerto: int = s.getsockname()[1]
        return puerto


def test_el_comprobante_autorizado_se_envia_por_correo_al_comprador(
    url_api: str, certificado: tuple[Path, Path]
) -> None:
    buzon, puerto = _Buzon(), _puerto_libre()
    smtp = Controller(buzon, hostname="127.0.0.1", port=puerto)
    smtp.start()
    try:
        with SimuladorSri(demora=0) as simulador:
            wired = bootstrap(
                ajustes(
                    url_api,
                    firma_archivo=certificado[0],
                    firma_clave=CLAVE,
                    sri_url=simulador.url,
                    sri_timeout=1.0,
                    smtp_url=f"smtp://127.0.0.1:{puerto}",
                    correo_remitente="facturas@andina.ec",
                )
            )
            try:
                cabeceras = {"Authorization": f"Bearer {TOKEN_ADMIN}"}
                with TestClient(crear_app(wired), headers=cabeceras) as http:
                    tienda = TiendaHttp(http).sembrar()
                    cliente = tienda.post(
                        "/clientes",
                        {
                            "tipo_identificacion": "05",
                            "identificacion": "1710034065",
                            "razon_social": "Jorge Andrade",
                            "email": "jorge@example.ec",
                        },
                    )
                    tienda.ingresar("cafe", "10", "4.00")
                    factura = tienda.facturar(("cafe", "1"), cliente_id=cliente["id"])
                    anonimo = tienda.facturar(("cafe", "1"), cliente_id=None)
                    assert wired.firmador is not None
                    assert wired.despachador is not None
                    reloj = Reloj()
                    wired.despachador.reloj = reloj
                    for _ in range(6):
                        wired.firmador.ronda()
                        wired.despachador.ronda()
                        reloj.avanzar(60)
                    vista = tienda.get(f"/facturas/{anonimo['id']}")
                    assert vista["sri"]["estado"] == "AUTORIZADO"
                    autorizacion = http.get(f"{API}/facturas/{factura['id']}/autorizacion.xml")
                    assert autorizacion.status_code == 200
            finally:
                wired.cerrar()
    finally:
        smtp.stop()
    # Only the identified buyer gets it (a consumidor final has no mail), once.
    (mensaje,) = buzon.mensajes
    assert mensaje["To"] == "jorge@example.ec"
    assert mensaje["From"] == "facturas@andina.ec"
    assert factura["numero"] in mensaje["Subject"]
    adjuntos = {a.get_filename(): a for a in mensaje.iter_attachments()}
    xml = next(a for n, a in adjuntos.items() if n and n.endswith(".xml"))
    pdf = next(a for n, a in adjuntos.items() if n and n.endswith(".pdf"))
    assert xml.get_content() in (autorizacion.content, autorizacion.content.decode())
    assert pdf.get_content().startswith(b"%PDF")


def test_un_documento_emitido_llega_al_sri_sin_esperar_la_siguiente_ronda(
    url_api: str, certificado: tuple[Path, Path]
) -> None:
    _con_sri_simulado(url_api, certificado, _llega_sin_esperar)


def _llega_sin_esperar(http: TestClient, wired: Aplicacion, simulador: SimuladorSri) -> None:
    """The signer and the dispatcher poll seldom here (30 s): an emission wakes the signer,
    its signature wakes the dispatcher, and the factura is received at once."""
    assert wired.firmador is not None
    assert wired.despachador is not None
    wired.firmador.intervalo = wired.despachador.intervalo = 30.0
    tienda = TiendaHttp(http).sembrar()
    tienda.ingresar("cafe", "10", "4.00")
    wired.firmador.iniciar()
    wired.despachador.iniciar()
    time.sleep(0.5)  # both past their first round, now idle for 30 s
    factura = tienda.facturar(("cafe", "1"))
    limite = time.monotonic() + 10
    while simulador.recibidos(factura["clave_acceso"]) == 0:
        assert time.monotonic() < limite, tienda.get(f"/facturas/{factura['id']}")
        time.sleep(0.05)
