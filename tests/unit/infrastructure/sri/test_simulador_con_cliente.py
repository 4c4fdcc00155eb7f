"""prometeo's SRI client (cliente_sri.py) against the simulator: the two, written apart
from the same recorded answers, agree on every verdict and on every transient failure."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from apoyo_simulador import Emisora

from prometeo.application.sri import ErrorTransitorioSri
from prometeo.infrastructure.sri.cliente_sri import ClienteSri
from prometeo.infrastructure.sri.simulador import Caso, Servicio, SimuladorSri


@pytest.fixture
def par() -> Iterator[tuple[SimuladorSri, ClienteSri]]:
    with SimuladorSri(demora=600) as simulador, ClienteSri(simulador.url, timeout=5) as cliente:
        yield simulador, cliente


def test_el_cliente_sigue_un_comprobante_hasta_su_autorizacion(
    par: tuple[SimuladorSri, ClienteSri],
) -> None:
    _, cliente = par
    clave, firmado = Emisora().firmada()

    recibida = cliente.enviar(firmado)
    en_proceso = cliente.autorizacion(clave).vigente()
    autorizada = cliente.autorizacion(clave).vigente()
    repetida = cliente.enviar(firmado)

    assert recibida.estado == "RECIBIDA"
    assert en_proceso is not None
    assert en_proceso.estado == "EN PROCESO"
    assert autorizada is not None
    assert autorizada.estado == "AUTORIZADO"
    assert autorizada.numero_autorizacion == clave
    assert autorizada.fecha_autorizacion is not None
    assert autorizada.ambiente == "PRUEBAS"
    assert autorizada.comprobante is not None
    assert autorizada.comprobante.encode() == firmado
    assert [m.identificador for m in autorizada.mensajes] == ["60"]
    assert (repetida.estado, [m.identificador for m in repetida.mensajes]) == ("DEVUELTA", ["43"])


def test_el_cliente_lee_39_80_y_una_clave_desconocida(
    par: tuple[SimuladorSri, ClienteSri],
) -> None:
    _, cliente = par
    clave, firmado = Emisora().firmada()
    cliente.enviar(firmado.replace(b"Riobamba", b"Ambato"))
    cliente.autorizacion(clave)  # EN PROCESO

    no_autorizada = cliente.autorizacion(clave).vigente()
    rechazada = cliente.autorizacion("123")
    desconocida = cliente.autorizacion("0" * 49)

    assert no_autorizada is not None
    assert no_autorizada.estado == "NO AUTORIZADO"
    assert [m.identificador for m in no_autorizada.mensajes] == ["39"]
    assert rechazada.rechazada
    assert [m.identificador for m in rechazada.mensajes] == ["80"]
    assert desconocida.autorizaciones == ()
    assert not desconocida.rechazada


@pytest.mark.parametrize("caso", [Caso.http_502, Caso.soap_fault])
def test_las_caidas_del_servicio_son_transitorias_para_el_cliente(
    par: tuple[SimuladorSri, ClienteSri], caso: object
) -> None:
    simulador, cliente = par
    clave, firmado = Emisora().firmada()
    simulador.programar(None, caso(Servicio.RECEPCION))  # type: ignore[operator]
    simulador.programar(None, caso(Servicio.AUTORIZACION))  # type: ignore[operator]

    with pytest.raises(ErrorTransitorioSri):
        cliente.enviar(firmado)
    with pytest.raises(ErrorTransitorioSri):
        cliente.autorizacion(clave)
    assert cliente.enviar(firmado).estado == "RECIBIDA"
