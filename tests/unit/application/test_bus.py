"""The message bus: committed events reach their handlers; a failing handler is logged
and breaks neither the command nor the other handlers."""

from __future__ import annotations

import logging
from decimal import Decimal

import pytest
from escenario import BODEGA, BODEGA_2, CAFE, Escenario

from prometeo.application.bus import BusDeMensajes, crear_bus_de_mensajes
from prometeo.application.comandos import TransferirStock
from prometeo.application.unidad_de_trabajo import EventoConfirmado
from prometeo.domain.events.base import EventoDominio
from prometeo.domain.events.inventario import StockBajo


def bajo(cantidad: str = "1") -> EventoConfirmado:
    evento = StockBajo(
        producto_id="cafe", bodega_id="b1", cantidad=Decimal(cantidad), stock_minimo=Decimal(2)
    )
    return EventoConfirmado("inventario-cafe-b1", 3, evento)


def test_despacha_por_clase_y_por_clase_base_en_orden() -> None:
    bus = BusDeMensajes()
    vistos: list[str] = []
    bus.suscribir(StockBajo, lambda e: vistos.append(f"bajo {e.cantidad}"))
    bus.suscribir(EventoDominio, lambda e: vistos.append(f"todo {e.tipo}"))

    bus.publicar([bajo("1"), bajo("0")])

    assert vistos == ["bajo 1", "todo StockBajo", "bajo 0", "todo StockBajo"]


def test_stock_bajo_se_avisa_en_el_log(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="prometeo.inventario"):
        crear_bus_de_mensajes().publicar([bajo()])

    (registro,) = caplog.records
    assert registro.name == "prometeo.inventario"
    assert registro.levelno == logging.WARNING
    assert "cafe" in registro.getMessage()
    assert "b1" in registro.getMessage()
    assert "quedan 1 unidades, el mínimo es 2" in registro.getMessage()


def test_un_manejador_que_falla_se_registra_y_los_demas_siguen(
    caplog: pytest.LogCaptureFixture,
) -> None:
    bus = BusDeMensajes()
    vistos: list[StockBajo] = []

    def roto(evento: StockBajo) -> None:
        raise RuntimeError("correo caído")

    bus.suscribir(StockBajo, roto)
    bus.suscribir(StockBajo, vistos.append)

    with caplog.at_level(logging.ERROR, logger="prometeo.messagebus"):
        bus.publicar([bajo()])

    assert len(vistos) == 1
    (registro,) = caplog.records
    assert "roto" in registro.getMessage()
    assert "StockBajo" in registro.getMessage()
    assert registro.exc_info is not None


def test_un_manejador_que_falla_se_cuenta_y_un_contador_roto_no_para_el_bus(
    caplog: pytest.LogCaptureFixture,
) -> None:
    fallos: list[tuple[str, str]] = []
    bus = BusDeMensajes(al_fallar=lambda manejador, tipo: fallos.append((manejador, tipo)))
    vistos: list[StockBajo] = []

    def roto(evento: StockBajo) -> None:
        raise RuntimeError("correo caído")

    bus.suscribir(StockBajo, roto)
    bus.suscribir(StockBajo, vistos.append)
    with caplog.at_level(logging.ERROR, logger="prometeo.messagebus"):
        bus.publicar([bajo("1"), bajo("0")])
    assert len(vistos) == 2
    assert fallos == [(roto.__qualname__, "StockBajo")] * 2

    def contador_roto(manejador: str, tipo: str) -> None:
        raise RuntimeError("métrica rota")

    otro = crear_bus_de_mensajes(al_fallar=contador_roto)
    otro.suscribir(StockBajo, roto)
    otro.suscribir(StockBajo, vistos.append)
    otro.publicar([bajo()])
    assert len(vistos) == 3


def test_una_venta_que_cruza_el_minimo_avisa_tras_confirmar(
    tienda: Escenario, caplog: pytest.LogCaptureFixture
) -> None:
    tienda.ingresar(CAFE, "4", "4.00")  # minimum of café: 2

    with caplog.at_level(logging.WARNING, logger="prometeo.inventario"):
        tienda.vender((CAFE, "1"))
        assert caplog.records == []
        tienda.vender((CAFE, "1"))

    (registro,) = caplog.records
    assert CAFE in registro.getMessage()
    assert BODEGA in registro.getMessage()
    assert "StockBajo" in tienda.tipos()


def test_un_manejador_roto_no_rompe_el_comando(
    tienda: Escenario, caplog: pytest.LogCaptureFixture
) -> None:
    def roto(evento: EventoDominio) -> None:
        raise RuntimeError("sin conexión")

    tienda.ingresar(CAFE, "4", "4.00")
    tienda.bus.suscribir(EventoDominio, roto)

    with caplog.at_level(logging.WARNING):
        hecha = tienda.inventario_service.transferir_stock(
            TransferirStock(CAFE, BODEGA, BODEGA_2, "3")
        )

    assert hecha.cantidad == 3
    assert tienda.stock(CAFE, BODEGA_2) == 3
    errores = [r for r in caplog.records if r.name == "prometeo.messagebus"]
    assert len(errores) == 3  # StockReducido, StockBajo, LoteIngresado: each one logged
    assert any(r.name == "prometeo.inventario" for r in caplog.records)  # others still ran


def test_nada_se_publica_si_el_comando_falla(tienda: Escenario) -> None:
    vistos: list[EventoDominio] = []
    tienda.bus.suscribir(EventoDominio, vistos.append)

    with pytest.raises(Exception, match="Stock insuficiente"):
        tienda.vender((CAFE, "1"))

    assert vistos == []
