"""Part 8 — the SRI's process on SQLite (synchronous FULL) against the local simulator
answering at once: documents taken from PENDIENTE to AUTORIZADO per second (signature,
reception, authorization, each step committed), and emission with the signer and the
dispatcher running in the same process beside emission without them (interleaved).

The first figure times N documents end to end; it includes the dispatcher's one wait
between a reception and its first authorization query (ESPERA_PRIMERA_CONSULTA), which
the clock of the benchmark skips so that the figure measures work, not waiting."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.comun import (
    REPETICIONES,
    Cronometro,
    Medida,
    Resultado,
    directorio_temporal,
    ratio,
    redondear,
    tam,
    texto_ratio,
)
from benchmarks.escenario import Tienda, tienda_nueva
from prometeo.infrastructure.sri.certificado_prueba import crear_certificado_prueba
from prometeo.infrastructure.sri.simulador import SimuladorSri

N_DOCUMENTOS = tam(50, 200)
N_EMISION = tam(100, 400)
CLAVE = b"clave del benchmark"
RUC = "1790011674001"


class _Reloj:
    def __init__(self) -> None:
        self.desfase = 0.0

    def __call__(self) -> float:
        return time.time() + self.desfase


def _tienda(dir_: Path, nombre: str, p12: Path, url: str) -> Tienda:
    return tienda_nueva(
        f"sqlite:///{dir_ / nombre}",
        firma_archivo=p12,
        firma_clave=CLAVE.decode(),
        sri_url=url,
        sri_envio="separado",
    )


def _autorizar(tienda: Tienda) -> tuple[float, int]:
    """Documents per second from PENDIENTE to AUTORIZADO, and how many got there."""
    firmador, despachador = tienda.aplicacion.firmador, tienda.aplicacion.despachador
    assert firmador is not None
    assert despachador is not None
    reloj = _Reloj()
    despachador.reloj = reloj
    inicio = time.perf_counter()
    autorizados = 0
    for _ in range(1000):
        firmador.ronda()
        despachador.ronda()
        reloj.desfase += 60  # skip the schedule's waits: measure the work
        cuenta = tienda.aplicacion.consultas.comprobantes("AUTORIZADO", limite=1000)
        autorizados = len(cuenta)
        if autorizados >= N_DOCUMENTOS:
            break
    return autorizados / (time.perf_counter() - inicio), autorizados


def _emitir(tienda: Tienda, n: int) -> float:
    reloj = Cronometro()
    for _ in range(n):
        tienda.reponer()
        with reloj:
            tienda.emitir()
    return n / reloj.total


def ejecutar() -> Resultado:
    inicio = time.perf_counter()
    r = Resultado("8. Envío al SRI (simulador)")
    with directorio_temporal("sri") as dir_, SimuladorSri(demora=0) as simulador:
        prueba = crear_certificado_prueba(RUC, "Benchmark", CLAVE, ahora=datetime.now(UTC))
        p12 = dir_ / "firma.p12"
        p12.write_bytes(prueba.p12)

        extremos = []
        for i in range(REPETICIONES):
            tienda = _tienda(dir_, f"e{i}.db", p12, simulador.url)
            for _ in range(N_DOCUMENTOS):
                tienda.reponer()
                tienda.emitir()
            por_segundo, autorizados = _autorizar(tienda)
            assert autorizados == N_DOCUMENTOS, autorizados
            extremos.append(por_segundo)
            tienda.aplicacion.cerrar()
        medida = Medida(extremos)
        r.fila("comprobantes de PENDIENTE a AUTORIZADO por segundo", medida, "docs/s")

        sin = _tienda(dir_, "sin.db", p12, simulador.url)
        con = _tienda(dir_, "con.db", p12, simulador.url)
        firmador, despachador = con.aplicacion.firmador, con.aplicacion.despachador
        assert firmador is not None
        assert despachador is not None
        firmador.intervalo = 0.2
        despachador.intervalo = 0.2
        firmador.iniciar()
        despachador.iniciar()
        sin_envio, con_envio = [], []
        try:
            for _ in range(REPETICIONES):
                sin_envio.append(_emitir(sin, N_EMISION))
                con_envio.append(_emitir(con, N_EMISION))
        finally:
            firmador.parar()
            despachador.parar()
        autorizados_al_final = len(con.aplicacion.consultas.comprobantes("AUTORIZADO", limite=1000))
        sin.aplicacion.cerrar()
        con.aplicacion.cerrar()
    medida_sin, medida_con = Medida(sin_envio), Medida(con_envio)
    proporcion = ratio(medida_con.mediana, medida_sin.mediana)
    r.fila("emisión sin firmador ni despachador", medida_sin, "facturas/s")
    r.fila(
        "emisión con firmador y despachador en el mismo proceso",
        medida_con,
        "facturas/s",
        texto_ratio(proporcion, "÷ sin ellos, objetivo ≥ 0.8"),
    )
    r.claves.update(
        autorizados_por_s=redondear(medida.mediana),
        emision_con_despachador_por_s=redondear(medida_con.mediana),
        ratio_emision_con_despachador=redondear(proporcion or 0),
    )
    r.detalle.update(
        documentos=N_DOCUMENTOS,
        emisiones=N_EMISION,
        autorizados_al_terminar=autorizados_al_final,
    )
    r.segundos = time.perf_counter() - inicio
    return r
