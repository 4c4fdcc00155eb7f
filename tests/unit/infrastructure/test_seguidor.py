"""The event follower with fakes (no database): batches, at least once across a crash,
retry then park, parked events never stopping the next ones nor other followers, and
transient errors retried forever, never parked."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest

from prometeo.infrastructure.db.almacen_eventos import EventoAlmacenado
from prometeo.infrastructure.metricas import crear_metricas
from prometeo.infrastructure.seguimiento import CheckpointMovido, EventoAparcado, Seguidor

MOMENTO = datetime(2026, 11, 29, 12, tzinfo=UTC)


class Caida(BaseException):
    """The process dies (nothing in the follower may catch it)."""


class BrokerCaido(ConnectionError):
    """The fakes' transient error."""


def evento(posicion: int) -> EventoAlmacenado:
    return EventoAlmacenado(
        posicion, f"id-{posicion}", "s-1", "prueba", posicion, "PruebaHecha", 1, "{}", "{}", MOMENTO
    )


@dataclass
class RegistroFalso:
    eventos: list[EventoAlmacenado]
    lecturas: list[tuple[int, int]] = field(default_factory=list)

    def leer_todos(self, desde: int, limite: int) -> Sequence[EventoAlmacenado]:
        self.lecturas.append((desde, limite))
        return [e for e in self.eventos if e.posicion > desde][:limite]


@dataclass
class ProcesadorFalso:
    """An idempotent effect (a set of positions) with a checkpoint that, like the SQL one,
    moves by compare-and-set. `fallos[p]` are raised, one per attempt, at event p (after
    the events before it in the batch are done); `caer_tras_efecto` dies between the
    effect and the checkpoint."""

    checkpoint: int = 0
    efecto: set[int] = field(default_factory=set)
    entregas: list[int] = field(default_factory=list)
    lotes: list[list[int]] = field(default_factory=list)
    fallos: dict[int, list[BaseException]] = field(default_factory=dict)
    aparcados: list[EventoAparcado] = field(default_factory=list)
    caer_tras_efecto: bool = False

    def posicion(self) -> int:
        return self.checkpoint

    def procesar(self, desde: int, eventos: Sequence[EventoAlmacenado]) -> None:
        if desde != self.checkpoint:
            raise CheckpointMovido(f"el checkpoint ya no está en {desde}")
        self.lotes.append([e.posicion for e in eventos])
        for e in eventos:
            pendientes = self.fallos.get(e.posicion)
            if pendientes:
                raise pendientes.pop(0)
            self.entregas.append(e.posicion)
            self.efecto.add(e.posicion)
            self.checkpoint = e.posicion if not self.caer_tras_efecto else self.checkpoint
        if self.caer_tras_efecto:
            raise Caida

    def aparcar(
        self, seguidor: str, desde: int, evento: EventoAlmacenado, error: BaseException
    ) -> EventoAparcado | None:
        assert desde == self.checkpoint
        aparcado = EventoAparcado(
            seguidor, evento.posicion, evento.evento_id, evento.tipo, str(error), MOMENTO
        )
        self.aparcados.append(aparcado)
        self.checkpoint = evento.posicion
        return aparcado


def seguidor(registro: RegistroFalso, procesador: ProcesadorFalso, **opciones: object) -> Seguidor:
    valores: dict[str, object] = {
        "lote": 3,
        "espera_inicial": 0.001,
        "espera_maxima": 0.002,
        "transitorios": (BrokerCaido,),
    }
    valores.update(opciones)
    return Seguidor(registro, "prueba", procesador, **valores)  # type: ignore[arg-type]


def test_sigue_el_registro_por_lotes_desde_su_checkpoint() -> None:
    registro = RegistroFalso([evento(p) for p in range(1, 8)])
    procesador = ProcesadorFalso()

    assert seguidor(registro, procesador).seguir_pendientes() == 7

    assert procesador.lotes == [[1, 2, 3], [4, 5, 6], [7]]
    assert procesador.checkpoint == 7
    assert registro.lecturas == [(0, 3), (3, 3), (6, 3)]  # a short batch ends the drain
    registro.eventos.append(evento(8))
    assert seguidor(registro, procesador).seguir_pendientes() == 1
    assert procesador.lotes[-1] == [8]


def test_una_caida_entre_el_efecto_y_el_checkpoint_repite_el_lote_al_reiniciar() -> None:
    registro = RegistroFalso([evento(p) for p in range(1, 8)])
    procesador = ProcesadorFalso()
    seguidor(registro, procesador).seguir_pendientes()
    registro.eventos += [evento(p) for p in range(8, 11)]

    procesador.caer_tras_efecto = True
    with pytest.raises(Caida):
        seguidor(registro, procesador).seguir_pendientes()
    assert procesador.checkpoint == 7
    assert 8 in procesador.efecto  # done, not recorded

    procesador.caer_tras_efecto = False
    assert seguidor(registro, procesador).seguir_pendientes() == 3
    assert procesador.entregas.count(8) == 2  # at least once: handed again
    assert procesador.efecto == set(range(1, 11))  # the idempotent effect is the same
    assert procesador.checkpoint == 10


def test_un_evento_que_sigue_fallando_se_aparca_y_los_siguientes_continuan() -> None:
    registro = RegistroFalso([evento(p) for p in range(1, 8)])
    procesador = ProcesadorFalso(fallos={5: [ValueError(f"dato malo {i}") for i in range(9)]})
    metricas = crear_metricas()

    hechos = seguidor(registro, procesador, intentos=3, metricas=metricas).seguir_pendientes()

    assert hechos == 7
    assert procesador.efecto == {1, 2, 3, 4, 6, 7}
    assert procesador.checkpoint == 7
    # The batch once, then the event alone `intentos` times; the event before it in the
    # batch was done and stays done.
    assert procesador.lotes == [[1, 2, 3], [4, 5, 6], [5], [5], [5], [6], [7]]
    (aparcado,) = procesador.aparcados
    assert (aparcado.seguidor, aparcado.posicion, aparcado.evento_id) == ("prueba", 5, "id-5")
    assert "dato malo" in aparcado.error
    assert metricas.eventos_aparcados.labels(seguidor="prueba")._value.get() == 1


def test_un_evento_que_falla_una_vez_se_reintenta_y_no_se_aparca() -> None:
    registro = RegistroFalso([evento(p) for p in range(1, 5)])
    procesador = ProcesadorFalso(fallos={2: [RuntimeError("un tropiezo")]})

    assert seguidor(registro, procesador, intentos=2).seguir_pendientes() == 4

    assert procesador.aparcados == []
    assert procesador.efecto == {1, 2, 3, 4}


def test_un_aparcado_no_detiene_a_otro_seguidor_del_mismo_registro() -> None:
    registro = RegistroFalso([evento(p) for p in range(1, 5)])
    roto = ProcesadorFalso(fallos={1: [ValueError("siempre")] * 5})
    sano = ProcesadorFalso()

    seguidor(registro, roto, intentos=2).seguir_pendientes()
    seguidor(registro, sano).seguir_pendientes()

    assert [a.posicion for a in roto.aparcados] == [1]
    assert roto.efecto == sano.efecto - {1}
    assert sano.aparcados == []
    assert sano.checkpoint == roto.checkpoint == 4


def test_un_error_transitorio_no_se_aparca_y_ejecutar_reintenta_sin_fin() -> None:
    registro = RegistroFalso([evento(p) for p in range(1, 5)])
    procesador = ProcesadorFalso(fallos={3: [BrokerCaido("sin broker")] * 6})

    with pytest.raises(BrokerCaido):
        seguidor(registro, procesador, intentos=1).seguir_pendientes()
    assert procesador.checkpoint == 2  # what was done before the error stays done
    assert procesador.aparcados == []

    # Far more failures than `intentos`: still retried, never parked.
    assert seguidor(registro, procesador, intentos=1).ejecutar(una_vez=True) == 2
    assert procesador.aparcados == []
    assert procesador.efecto == {1, 2, 3, 4}


def test_checkpoint_movido_detiene_al_seguidor_sin_aparcar() -> None:
    registro = RegistroFalso([evento(p) for p in range(1, 5)])

    class OtroSeguidorAvanza(ProcesadorFalso):
        def posicion(self) -> int:
            return 0  # it started before the other one moved the checkpoint

    otro = OtroSeguidorAvanza(checkpoint=2)
    with pytest.raises(CheckpointMovido):
        seguidor(registro, otro).seguir_pendientes()
    assert otro.aparcados == []
    assert otro.checkpoint == 2


def test_detenerlo_a_media_espera_no_aparca_el_evento() -> None:
    registro = RegistroFalso([evento(1)])
    detener = threading.Event()

    class FallaYPideParar(ProcesadorFalso):
        def procesar(self, desde: int, eventos: Sequence[EventoAlmacenado]) -> None:
            detener.set()
            raise ValueError("falla mientras lo detienen")

    procesador = FallaYPideParar()
    assert seguidor(registro, procesador, intentos=5).ejecutar(detener=detener) == 0
    assert procesador.aparcados == []
    assert procesador.checkpoint == 0


def test_despertar_corta_la_espera_en_reposo() -> None:
    registro = RegistroFalso([])
    procesador = ProcesadorFalso()
    activo = seguidor(registro, procesador)
    detener = threading.Event()
    hilo = threading.Thread(target=activo.ejecutar, kwargs={"intervalo": 60, "detener": detener})
    hilo.start()
    try:
        time.sleep(0.05)
        registro.eventos.append(evento(1))
        activo.despertar()
        limite = time.monotonic() + 5
        while procesador.checkpoint != 1 and time.monotonic() < limite:
            time.sleep(0.01)
        assert procesador.checkpoint == 1
    finally:
        detener.set()
        activo.despertar()
        hilo.join(5)
    assert not hilo.is_alive()


def test_lote_e_intentos_deben_ser_positivos() -> None:
    with pytest.raises(ValueError, match="lote"):
        seguidor(RegistroFalso([]), ProcesadorFalso(), lote=0)
    with pytest.raises(ValueError, match="al menos una vez"):
        seguidor(RegistroFalso([]), ProcesadorFalso(), intentos=0)
