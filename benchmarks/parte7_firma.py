"""Part 7 — electronic documents on SQLite (synchronous FULL): XAdES-BES signatures per
second on one core (the signature alone, over the XML of real emitted facturas), the whole
signing step per second (XML + schema check + signature + its event, as the signer does
it), and emission with the signer running in the same process beside emission without it
(the signer keeps to PROMETEO_SRI_CUOTA_FIRMA of the time while others write: the backlog
it leaves after each tanda is in the detail).

The two emission figures are interleaved per repetition (without, with) on two shops of
their own, so a noisy neighbour hurts both alike; with the signer on, its thread signs
what the loop emits (rounds every SEGUNDOS_RONDA), and the emission rate counts only the
loop's time, as part 1 does."""

from __future__ import annotations

import os
import subprocess
import sys
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
from prometeo.domain.aggregates.factura import Factura
from prometeo.infrastructure.sri.certificado_prueba import crear_certificado_prueba
from prometeo.infrastructure.sri.certificados import cargar_credencial
from prometeo.infrastructure.sri.configuracion_firma import ahora_ecuador
from prometeo.infrastructure.sri.firma import FirmadorXades
from prometeo.infrastructure.sri.xml_comprobantes import xml_factura

N_FIRMAS = tam(200, 1_000)  # signatures per repetition
N_EMISION = tam(100, 400)  # emissions per repetition
SEGUNDOS_RONDA = 0.2
CLAVE = b"clave del benchmark"
RUC = "1790011674001"  # the benchmark shop's emisor (escenario.preparar_catalogo)


def _certificado(dir_: Path) -> Path:
    prueba = crear_certificado_prueba(RUC, "Benchmark", CLAVE, ahora=datetime.now(UTC))
    archivo = dir_ / "firma.p12"
    archivo.write_bytes(prueba.p12)
    return archivo


def _tienda(dir_: Path, nombre: str, p12: Path) -> Tienda:
    return tienda_nueva(
        f"sqlite:///{dir_ / nombre}",
        firma_archivo=p12,
        firma_clave=CLAVE.decode(),
        sri_envio="separado",
    )


def _facturas(tienda: Tienda, n: int) -> list[bytes]:
    """The XML of n facturas emitted by the shop (5 lines each)."""
    for _ in range(n):
        tienda.reponer()
        tienda.emitir()
    xmls = []
    with tienda.aplicacion.unidad_de_trabajo() as uow:
        for pendiente in tienda.aplicacion.consultas.pendientes(n):  # type: ignore[attr-defined]
            factura: Factura = uow.facturas.obtener(pendiente.documento_id)
            xmls.append(xml_factura(factura).contenido)
    return xmls


def _firmador_aparte(base: Path, p12: Path) -> subprocess.Popen[bytes]:
    """`prometeo sri enviar` on the shop's database, in a process of its own."""
    entorno = {k: v for k, v in os.environ.items() if not k.startswith("PROMETEO_")}
    entorno.update(
        PROMETEO_DATABASE_URL=f"sqlite:///{base}",
        PROMETEO_FIRMA_ARCHIVO=str(p12),
        PROMETEO_FIRMA_CLAVE=CLAVE.decode(),
        PROMETEO_SRI_ENVIO="separado",
    )
    comando = [str(Path(sys.executable).with_name("prometeo")), "sri", "enviar"]
    return subprocess.Popen(
        [*comando, "--intervalo", str(SEGUNDOS_RONDA)],
        env=entorno,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _emitir(tienda: Tienda, n: int) -> float:
    reloj = Cronometro()
    for _ in range(n):
        tienda.reponer()
        with reloj:
            tienda.emitir()
    return n / reloj.total


def ejecutar() -> Resultado:
    inicio = time.perf_counter()
    r = Resultado("7. Firma electrónica")
    with directorio_temporal("firma") as dir_:
        p12 = _certificado(dir_)
        credencial = cargar_credencial(p12.read_bytes(), CLAVE, ahora=ahora_ecuador())
        firmador = FirmadorXades(credencial, ahora_ecuador)

        # 1. The signature alone, one core.
        tienda = _tienda(dir_, "xml.db", p12)
        xmls = _facturas(tienda, min(N_FIRMAS, 200))
        tienda.aplicacion.cerrar()
        firmas = []
        for _ in range(REPETICIONES):
            t0 = time.perf_counter()
            for i in range(N_FIRMAS):
                firmador.firmar(xmls[i % len(xmls)])
            firmas.append(N_FIRMAS / (time.perf_counter() - t0))
        medida_firma = Medida(firmas)
        r.fila(
            "firmas XAdES-BES por segundo (1 núcleo)",
            medida_firma,
            "docs/s",
            texto_ratio(medida_firma.mediana / 300, "÷ 300, objetivo ≥ 1"),
        )

        # 2. The signer's whole step: XML, schema, signature, ComprobanteFirmado committed.
        pasos = []
        for i in range(REPETICIONES):
            tienda = _tienda(dir_, f"paso{i}.db", p12)
            for _ in range(N_EMISION):
                tienda.reponer()
                tienda.emitir()
            firma = tienda.aplicacion.firmador
            assert firma is not None
            t0 = time.perf_counter()
            firmados = 0
            while (ronda := firma.ronda()) is not None and ronda.firmados:
                firmados += ronda.firmados
            pasos.append(firmados / (time.perf_counter() - t0))
            assert firmados == N_EMISION, firmados
            tienda.aplicacion.cerrar()
        medida_paso = Medida(pasos)
        r.fila("comprobantes firmados y guardados por segundo", medida_paso, "docs/s")

        # 3. Emission without the signer, with it in the same process, and with it in a
        # process of its own (PROMETEO_SRI_ENVIO=separado and `prometeo sri enviar`).
        sin = _tienda(dir_, "sin.db", p12)
        con = _tienda(dir_, "con.db", p12)
        aparte = _tienda(dir_, "aparte.db", p12)
        firma = con.aplicacion.firmador
        assert firma is not None
        firma.intervalo = SEGUNDOS_RONDA
        con_cuota = firma.cuota
        firma.iniciar()
        proceso = _firmador_aparte(dir_ / "aparte.db", p12)
        sin_firma, con_firma, con_aparte = [], [], []
        atras: list[int] = []
        try:
            for _ in range(REPETICIONES):
                sin_firma.append(_emitir(sin, N_EMISION))
                con_firma.append(_emitir(con, N_EMISION))
                # The backlog the signer leaves while the loop saturates the process (it
                # catches up while the other two shops emit: nobody writes to this one).
                atras.append(len(con.aplicacion.consultas.pendientes(10_000)))  # type: ignore[attr-defined]
                con_aparte.append(_emitir(aparte, N_EMISION))
        finally:
            firma.parar()
            proceso.terminate()
            proceso.wait(timeout=30)
        pendientes_al_final = len(con.aplicacion.consultas.pendientes(10_000))  # type: ignore[attr-defined]
        pendientes_aparte = len(aparte.aplicacion.consultas.pendientes(10_000))  # type: ignore[attr-defined]
        for tienda in (sin, con, aparte):
            tienda.aplicacion.cerrar()
    medida_sin, medida_con = Medida(sin_firma), Medida(con_firma)
    medida_aparte = Medida(con_aparte)
    proporcion = ratio(medida_con.mediana, medida_sin.mediana)
    r.fila("emisión sin firmador", medida_sin, "facturas/s")
    r.fila(
        "emisión con el firmador en el mismo proceso",
        medida_con,
        "facturas/s",
        texto_ratio(proporcion, "÷ sin firmador, objetivo ≥ 0.85"),
    )
    r.fila(
        "emisión con `prometeo sri enviar` en otro proceso",
        medida_aparte,
        "facturas/s",
        texto_ratio(ratio(medida_aparte.mediana, medida_sin.mediana), "÷ sin firmador"),
    )
    r.claves.update(
        firmas_por_s=redondear(medida_firma.mediana),
        firmados_guardados_por_s=redondear(medida_paso.mediana),
        emision_sin_firmador_por_s=redondear(medida_sin.mediana),
        emision_con_firmador_por_s=redondear(medida_con.mediana),
        ratio_emision_con_firmador=redondear(proporcion or 0),
        emision_firmador_aparte_por_s=redondear(medida_aparte.mediana),
        ratio_emision_firmador_aparte=redondear(
            ratio(medida_aparte.mediana, medida_sin.mediana) or 0
        ),
    )
    r.detalle.update(
        firmas=N_FIRMAS,
        emisiones=N_EMISION,
        segundos_ronda=SEGUNDOS_RONDA,
        pendientes_al_terminar=pendientes_al_final,
        pendientes_tras_cada_tanda=atras,
        cuota_firma=con_cuota,
        pendientes_al_terminar_aparte=pendientes_aparte,
    )
    r.segundos = time.perf_counter() - inicio
    return r
