"""Idempotency-Key (API.md): a retried write answers its first result and is done once;
the same key for another request is refused; keys belong to the token that used them;
a claim whose attempt died is taken over, and the dead attempt can no longer commit."""

from __future__ import annotations

import threading
import time
from decimal import Decimal
from typing import Any

import httpx
import pytest
from entorno_api import TOKEN_ADMIN
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from apoyo_http import API, TiendaHttp, reglas
from prometeo.application.idempotencia import (
    ClaveIdempotenciaPerdida,
    EstadoReclamo,
    ReservaIdempotencia,
)
from prometeo.application.unidad_de_trabajo import Metadatos
from prometeo.bootstrap import Aplicacion, bootstrap
from prometeo.entrypoints.api.app import crear_app
from prometeo.infrastructure.db.idempotencia import TOMA_VENCIDA, RegistroIdempotenciaSql
from prometeo.infrastructure.db.tablas import claves_idempotencia, eventos


def _con_clave(clave: str) -> dict[str, str]:
    return {"Idempotency-Key": clave}


def _facturas_emitidas(aplicacion: Aplicacion) -> int:
    with aplicacion.engine.connect() as conexion:
        consulta = select(func.count()).where(eventos.c.tipo == "FacturaEmitida")
        return int(conexion.execute(consulta).scalar_one())


def _stock(tienda: TiendaHttp, bodega: str) -> Decimal:
    items = tienda.get(
        "/inventario/stock", producto_id=tienda.ids["cafe"], bodega_id=tienda.ids[bodega]
    )["items"]
    return sum((Decimal(i["cantidad"]) for i in items), Decimal(0))


def _enviar(tienda: TiendaHttp, ruta: str, cuerpo: Any, clave: str) -> httpx.Response:
    return tienda.http.post(API + ruta, json=cuerpo, headers=_con_clave(clave))


def test_una_factura_reintentada_se_emite_una_sola_vez(
    tienda: TiendaHttp, aplicacion: Aplicacion
) -> None:
    tienda.ingresar("cafe", "10", "4.00")
    cuerpo = tienda.cuerpo_factura(("cafe", "2"))
    primera = _enviar(tienda, "/facturas", cuerpo, "venta-1")
    segunda = _enviar(tienda, "/facturas", cuerpo, "venta-1")
    assert primera.status_code == 201
    assert (segunda.status_code, segunda.content) == (201, primera.content)
    assert segunda.headers["idempotent-replayed"] == "true"
    assert segunda.headers["content-type"] == primera.headers["content-type"]
    assert _facturas_emitidas(aplicacion) == 1
    assert Decimal(tienda.stock("cafe")["cantidad"]) == 8
    # Another key is another sale.
    otra = _enviar(tienda, "/facturas", cuerpo, "venta-2")
    assert otra.json()["numero"] == "001-001-000000002"


@pytest.mark.parametrize("operacion", ["ingreso", "transferencia", "nota"])
def test_cada_escritura_reintentada_se_hace_una_vez(tienda: TiendaHttp, operacion: str) -> None:
    tienda.ingresar("cafe", "10", "4.00")
    if operacion == "ingreso":
        ruta = "/inventario/ingresos"
        cuerpo: dict[str, Any] = {
            "producto_id": tienda.ids["cafe"],
            "bodega_id": tienda.ids["bodega"],
            "cantidad": "5",
            "costo_unitario": "4.00",
        }
    elif operacion == "transferencia":
        ruta = "/inventario/transferencias"
        cuerpo = {
            "producto_id": tienda.ids["cafe"],
            "bodega_origen_id": tienda.ids["bodega"],
            "bodega_destino_id": tienda.ids["bodega2"],
            "cantidad": "3",
        }
    else:
        factura = tienda.facturar(("cafe", "4"))
        ruta = "/notas-credito"
        cuerpo = {
            "factura_id": factura["id"],
            "motivo": "Devolución",
            "devolucion_inventario": True,
            "lineas": [{"producto_id": tienda.ids["cafe"], "cantidad": "1"}],
        }
    antes = _stock(tienda, "bodega")
    primera = _enviar(tienda, ruta, cuerpo, f"{operacion}-1")
    assert primera.status_code == 201, primera.text
    despues = _stock(tienda, "bodega")
    assert despues != antes or operacion == "transferencia"
    segunda = _enviar(tienda, ruta, cuerpo, f"{operacion}-1")
    assert (segunda.status_code, segunda.content) == (201, primera.content)
    assert _stock(tienda, "bodega") == despues
    en_la_otra = _stock(tienda, "bodega2")
    assert en_la_otra == (3 if operacion == "transferencia" else 0)


def test_la_misma_clave_con_otro_cuerpo_es_un_422(
    tienda: TiendaHttp, aplicacion: Aplicacion
) -> None:
    tienda.ingresar("cafe", "10", "4.00")
    assert (
        _enviar(tienda, "/facturas", tienda.cuerpo_factura(("cafe", "1")), "k").status_code == 201
    )
    otra = _enviar(tienda, "/facturas", tienda.cuerpo_factura(("cafe", "2")), "k")
    assert otra.status_code == 422
    assert reglas(otra) == {"IdempotencyKeyUnica"}
    assert _facturas_emitidas(aplicacion) == 1


@pytest.mark.parametrize("clave", ["", "x" * 256, "ñandú", "con\tcontrol"])
def test_una_clave_mal_formada_es_un_400(tienda: TiendaHttp, clave: str) -> None:
    respuesta = tienda.http.post(
        API + "/clientes",
        json={"tipo_identificacion": "05", "identificacion": "1710034065", "razon_social": "J"},
        headers={"Idempotency-Key": clave.encode("utf-8")},
    )
    assert respuesta.status_code == 400
    assert reglas(respuesta) == {"IdempotencyKeyValida"}
    assert tienda.get("/clientes", identificacion="1710034065")["items"] == []


def test_las_claves_son_de_cada_token(
    tienda: TiendaHttp, aplicacion: Aplicacion, token_de: dict[Any, str]
) -> None:
    tienda.ingresar("cafe", "10", "4.00")
    cuerpo = tienda.cuerpo_factura(("cafe", "1"))
    assert _enviar(tienda, "/facturas", cuerpo, "k").status_code == 201
    cajero = {"Authorization": f"Bearer {token_de['cajero']}", "Idempotency-Key": "k"}
    otro = tienda.http.post(API + "/facturas", json=cuerpo, headers=cajero)
    assert otro.status_code == 201
    assert "idempotent-replayed" not in otro.headers
    assert _facturas_emitidas(aplicacion) == 2


def test_un_rechazo_definitivo_se_repite_y_uno_pasajero_libera_la_clave(
    tienda: TiendaHttp, aplicacion: Aplicacion
) -> None:
    cuerpo = tienda.cuerpo_factura(("cafe", "1"))  # no stock yet: 422
    primera = _enviar(tienda, "/facturas", cuerpo, "sin-stock")
    assert primera.status_code == 422
    tienda.ingresar("cafe", "10", "4.00")
    repetida = _enviar(tienda, "/facturas", cuerpo, "sin-stock")
    assert (repetida.status_code, repetida.content) == (422, primera.content)
    # A 401 is not an answer to keep: with a valid token the key is free.
    sin_token = tienda.http.post(
        API + "/facturas",
        json=cuerpo,
        headers={"Authorization": "Bearer " + TOKEN_ADMIN + "x", "Idempotency-Key": "k2"},
    )
    assert sin_token.status_code == 401
    assert _enviar(tienda, "/facturas", cuerpo, "k2").status_code == 201


def test_dos_reintentos_a_la_vez_venden_una_vez(app_http: Any, aplicacion: Aplicacion) -> None:
    cabeceras = {"Authorization": f"Bearer {TOKEN_ADMIN}"}
    with TestClient(app_http, raise_server_exceptions=False, headers=cabeceras) as http:
        tienda = TiendaHttp(http).sembrar()
        tienda.ingresar("cafe", "10", "4.00")
        cuerpo = tienda.cuerpo_factura(("cafe", "1"))
        respuestas: list[httpx.Response] = []

        def enviar() -> None:
            respuestas.append(_enviar(tienda, "/facturas", cuerpo, "a-la-vez"))

        hilos = [threading.Thread(target=enviar) for _ in range(6)]
        for hilo in hilos:
            hilo.start()
        for hilo in hilos:
            hilo.join()
    estados = sorted(r.status_code for r in respuestas)
    assert set(estados) <= {201, 409}, estados
    creadas = [r for r in respuestas if r.status_code == 201]
    assert len({r.content for r in creadas}) == 1
    en_curso = [r for r in respuestas if r.status_code == 409]
    assert all(reglas(r) == {"IdempotencyKeyLibre"} for r in en_curso), [r.text for r in en_curso]
    assert all(r.headers["retry-after"] == "1" for r in en_curso)
    assert _facturas_emitidas(aplicacion) == 1


def test_la_respuesta_sobrevive_a_un_reinicio(url_api: str, aplicacion: Aplicacion) -> None:
    cabeceras = {"Authorization": f"Bearer {TOKEN_ADMIN}"}
    with TestClient(crear_app(aplicacion), headers=cabeceras) as http:
        tienda = TiendaHttp(http).sembrar()
        tienda.ingresar("cafe", "10", "4.00")
        cuerpo = tienda.cuerpo_factura(("cafe", "1"))
        primera = _enviar(tienda, "/facturas", cuerpo, "antes-del-reinicio")
    otra = bootstrap(aplicacion.settings)
    try:
        with TestClient(crear_app(otra), headers=cabeceras) as http:
            tienda.http = http
            segunda = _enviar(tienda, "/facturas", cuerpo, "antes-del-reinicio")
    finally:
        otra.cerrar()
    assert (segunda.status_code, segunda.content) == (201, primera.content)
    assert _facturas_emitidas(aplicacion) == 1


def test_un_intento_dado_por_muerto_se_retoma_y_el_muerto_ya_no_confirma(
    aplicacion: Aplicacion,
) -> None:
    reloj = [time.time()]
    registro = RegistroIdempotenciaSql(aplicacion.engine, reloj=lambda: reloj[0])
    muerto = registro.reclamar("alcance", "clave", "huella")
    assert muerto.estado is EstadoReclamo.NUEVA
    assert registro.reclamar("alcance", "clave", "huella").estado is EstadoReclamo.EN_CURSO
    reloj[0] += TOMA_VENCIDA + 1
    vivo = registro.reclamar("alcance", "clave", "huella")
    assert vivo.estado is EstadoReclamo.NUEVA
    assert vivo.reserva != muerto.reserva
    # The dead attempt's command, were it to reach its commit now, would not commit.
    with pytest.raises(ClaveIdempotenciaPerdida):
        _confirmar(aplicacion, muerto.reserva)
    with aplicacion.engine.connect() as conexion:
        fila = conexion.execute(select(claves_idempotencia)).one()
    assert fila.estado == "en_curso"
    assert vivo.reserva is not None
    assert fila.dueno == vivo.reserva.dueno


def _confirmar(aplicacion: Aplicacion, reserva: ReservaIdempotencia | None) -> None:
    """Commit a unit of work (with nothing in it) under `reserva`."""
    with aplicacion.unidad_de_trabajo(Metadatos(idempotencia=reserva)) as uow:
        uow.commit()


def test_una_clave_hecha_sin_respuesta_no_se_vuelve_a_ejecutar(aplicacion: Aplicacion) -> None:
    """Done (committed) but not answered: while its attempt may still answer, wait; once
    that attempt is surely gone, say so: never run it again."""
    reloj = [time.time()]
    registro = RegistroIdempotenciaSql(aplicacion.engine, reloj=lambda: reloj[0])
    reclamo = registro.reclamar("alcance", "clave", "huella")
    _confirmar(aplicacion, reclamo.reserva)
    assert registro.reclamar("alcance", "clave", "huella").estado is EstadoReclamo.EN_CURSO
    reloj[0] += TOMA_VENCIDA + 1
    assert registro.reclamar("alcance", "clave", "huella").estado is EstadoReclamo.SIN_RESPUESTA


def test_la_respuesta_se_guarda_antes_de_llegar_al_cliente(
    app_http: Any, aplicacion: Aplicacion
) -> None:
    # A client that retries the moment it hears back must find the answer to replay,
    # not the key still in flight: when the answer starts out, it is already stored.
    al_responder: list[str] = []

    async def espia(scope: Any, receive: Any, send: Any) -> None:
        async def enviar(mensaje: Any) -> None:
            con_clave = any(n == b"idempotency-key" for n, _ in scope.get("headers", []))
            if mensaje["type"] == "http.response.start" and con_clave:
                with aplicacion.engine.connect() as conexion:
                    estado = select(claves_idempotencia.c.estado)
                    al_responder.append(conexion.execute(estado).scalar_one())
            await send(mensaje)

        await app_http(scope, receive, enviar)

    cabeceras = {"Authorization": f"Bearer {TOKEN_ADMIN}"}
    with TestClient(espia, headers=cabeceras) as http:
        tienda = TiendaHttp(http).sembrar()
        tienda.ingresar("cafe", "10", "4.00")
        cuerpo = tienda.cuerpo_factura(("cafe", "1"))
        primera = _enviar(tienda, "/facturas", cuerpo, "al-instante")
        segunda = _enviar(tienda, "/facturas", cuerpo, "al-instante")
    assert al_responder[0] == "respondida"
    assert (segunda.status_code, segunda.content) == (201, primera.content)
    assert segunda.headers["idempotent-replayed"] == "true"
