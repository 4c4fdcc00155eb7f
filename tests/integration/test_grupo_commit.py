"""Group commit on SQLite (PROMETEO_GRUPO_COMMIT): commands arriving together share one
transaction, each in its own savepoint. A command that fails is rolled back alone and
answered alone; the others are answered once their shared COMMIT returned; nothing of a
rolled-back savepoint survives in the log, the read models or the caches."""

from __future__ import annotations

import copy
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import cast

import pytest
from facturacion_concurrente import HOY, PRODUCTOS, preparar_tienda
from sqlalchemy import event, select

from prometeo.application.comandos import (
    CrearFactura,
    LineaFacturaCmd,
    RegistrarIngreso,
)
from prometeo.application.idempotencia import (
    ClaveIdempotenciaPerdida,
    EstadoReclamo,
    ReservaIdempotencia,
    RespuestaGuardada,
)
from prometeo.application.resultados import DocumentoRegistrado
from prometeo.application.unidad_de_trabajo import Metadatos
from prometeo.bootstrap import Aplicacion, bootstrap, crear_servicios
from prometeo.domain.aggregates.inventario import Inventario
from prometeo.domain.entities.cambios import CambioCatalogo, CampoCambiado
from prometeo.domain.entities.catalogo import Sucursal
from prometeo.domain.errores import ErrorDeConcurrencia, NoEncontrado, ReglasIncumplidas
from prometeo.domain.events.base import EventoDominio
from prometeo.domain.events.factura import FacturaCreada, FacturaEmitida
from prometeo.domain.events.inventario import LoteIngresado
from prometeo.domain.events.secuencia import SecuencialAsignado
from prometeo.domain.value_objects.dinero import Cantidad, Precio
from prometeo.domain.value_objects.direccion import Direccion
from prometeo.infrastructure.db import tablas
from prometeo.infrastructure.db.almacen_eventos import almacen_eventos
from prometeo.infrastructure.db.grupo_commit import GrupoCommit, LoteNoConfirmado
from prometeo.infrastructure.serializacion import CodecEventos
from prometeo.infrastructure.settings import Settings

UNIDADES_POR_PRODUCTO = 30  # three lots of 10
HILOS = 16
POR_HILO = 6


@pytest.fixture
def aplicacion(tmp_path: Path) -> Iterator[Aplicacion]:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'grupo.db'}", hoy=HOY, grupo_commit=True
    )
    app = bootstrap(settings)
    try:
        preparar_tienda(app, (*PRODUCTOS, "p9"))
        yield app
    finally:
        app.cerrar()


def _grupo(app: Aplicacion) -> GrupoCommit:
    assert app.grupo is not None, "PROMETEO_GRUPO_COMMIT no se aplicó"
    return app.grupo


def _esperar(condicion: Callable[[], bool], que: str) -> None:
    limite = time.monotonic() + 10
    while not condicion():
        assert time.monotonic() < limite, f"no ocurrió: {que}"
        time.sleep(0.001)


def _eventos(app: Aplicacion) -> list[tuple[int, str, EventoDominio]]:
    codec = CodecEventos()
    with app.engine.connect() as conexion:
        return [
            (e.posicion, e.stream_id, codec.decodificar(e.tipo, e.version_esquema, e.datos))
            for e in almacen_eventos(conexion).recorrer()
        ]


def _stock_en_el_log(app: Aplicacion, producto: str) -> Inventario:
    id_ = Inventario.id_para(producto, "bodega")
    historia = [e for _, s, e in _eventos(app) if s == f"inventario-{id_}"]
    return Inventario.reconstruir(id_, historia)


def _copia_vieja_de_p9(app: Aplicacion) -> Inventario:
    """An Inventario of p9 one version behind the log: what a stale cache would hold."""
    app.inventario.registrar_ingreso(RegistrarIngreso("p9", "bodega", 1, "1.00"))
    with app.unidad_de_trabajo() as uow:
        vieja = copy.deepcopy(uow.inventarios.obtener("p9", "bodega"))
    app.inventario.registrar_ingreso(RegistrarIngreso("p9", "bodega", 1, "1.00"))
    return vieja


def test_hilos_concurrentes_con_fallos_mezclados_cada_uno_con_su_respuesta(
    aplicacion: Aplicacion,
) -> None:
    grupo = _grupo(aplicacion)
    vieja = _copia_vieja_de_p9(aplicacion)
    lotes_antes, deshechos_antes = grupo.lotes_confirmados, grupo.miembros_deshechos
    respuestas: dict[str, object] = {}
    ingresos_p9: list[str] = []
    demasiado: list[str] = []  # more units than there are: a rule broken
    barrera = threading.Barrier(HILOS + 1)
    terminado = threading.Event()
    leidas: list[int] = []

    def cajero(n: int) -> None:
        azar = random.Random(n)
        barrera.wait()
        for i in range(POR_HILO):
            clave = f"f-{n}-{i}"
            try:
                if (n + i) % 7 == 3:
                    # A stale copy in the cache: this command conflicts on commit, is
                    # rolled back alone, and its retry (fresh state) goes through.
                    aplicacion.cache.devolver([copy.deepcopy(vieja)])
                    ingreso = aplicacion.inventario.registrar_ingreso(
                        RegistrarIngreso("p9", "bodega", 2, "1.00")
                    )
                    respuestas[clave] = ingreso
                    ingresos_p9.append(clave)
                    continue
                if (n + i) % 6 == 0:
                    demasiado.append(clave)
                    lineas: tuple[LineaFacturaCmd, ...] = (LineaFacturaCmd("p1", 1000),)
                else:
                    productos = azar.sample(PRODUCTOS, azar.randint(1, 2))
                    lineas = tuple(LineaFacturaCmd(p, azar.randint(1, 3)) for p in productos)
                respuestas[clave] = aplicacion.facturas.crear_factura(
                    CrearFactura("punto", "bodega", lineas, cliente_id="cliente", factura_id=clave)
                )
            except (ReglasIncumplidas, ErrorDeConcurrencia) as error:
                respuestas[clave] = error

    def seguidor() -> None:
        """Reads the log by position, as a distributed reader does: it must never pass
        a position that commits later."""
        ultima = 0
        barrera.wait()
        while True:
            fin = terminado.is_set()
            with aplicacion.engine.connect() as conexion:
                nuevas = list(
                    conexion.scalars(
                        select(tablas.eventos.c.posicion)
                        .where(tablas.eventos.c.posicion > ultima)
                        .order_by(tablas.eventos.c.posicion)
                    )
                )
            leidas.extend(nuevas)
            ultima = nuevas[-1] if nuevas else ultima
            if fin:
                return

    hilos = [threading.Thread(target=cajero, args=(n,)) for n in range(HILOS)]
    lector = threading.Thread(target=seguidor)
    for hilo in (*hilos, lector):
        hilo.start()
    for hilo in hilos:
        hilo.join()
    terminado.set()
    lector.join()

    # Every caller got its own answer.
    assert len(respuestas) == HILOS * POR_HILO
    emitidas = {k: r for k, r in respuestas.items() if isinstance(r, DocumentoRegistrado)}
    fallidas = {k: r for k, r in respuestas.items() if isinstance(r, Exception)}
    assert emitidas
    assert fallidas
    assert all(isinstance(r, ReglasIncumplidas) for r in fallidas.values())
    assert set(demasiado) <= set(fallidas)
    # Commands did share transactions, and the failed ones were rolled back alone.
    assert grupo.miembros_deshechos - deshechos_antes >= len(fallidas)
    assert grupo.lotes_confirmados - lotes_antes < len(emitidas) + len(ingresos_p9)

    eventos = _eventos(aplicacion)
    posiciones = [p for p, _, _ in eventos]
    assert posiciones == list(range(1, len(posiciones) + 1))
    assert leidas == posiciones

    facturas = set(emitidas) - set(ingresos_p9)
    en_log = [e for _, _, e in eventos if isinstance(e, FacturaEmitida)]
    assert {e.factura_id for e in en_log} == facturas
    assert {e.factura_id for _, _, e in eventos if isinstance(e, FacturaCreada)} == facturas
    # Gapless, unique numbers; each caller was told the number stored.
    secuenciales = [e.secuencial for _, _, e in eventos if isinstance(e, SecuencialAsignado)]
    assert sorted(secuenciales) == list(range(1, len(facturas) + 1))
    numeros = {e.factura_id: e.numero for e in en_log}
    for clave in facturas:
        registrada = emitidas[clave]
        assert isinstance(registrada, DocumentoRegistrado)
        assert registrada.numero == numeros[clave]
        assert aplicacion.consultas.factura(clave).numero == numeros[clave]
    for clave in fallidas:
        with pytest.raises(NoEncontrado):
            aplicacion.consultas.factura(clave)

    # Stock adds up, in the log, in the read model and in the cache; nothing oversold.
    vendido: Counter[str] = Counter()
    for evento in en_log:
        for linea in evento.lineas:
            vendido[linea.producto_id] += linea.cantidad
    for producto in PRODUCTOS:
        inventario = _stock_en_el_log(aplicacion, producto)
        assert inventario.stock == UNIDADES_POR_PRODUCTO - vendido[producto] >= 0
        (vista,) = aplicacion.consultas.stock(producto, "bodega")
        assert vista.cantidad == inventario.stock
        cacheado = aplicacion.cache.sacar(inventario.stream_id)
        assert cacheado is None or cacheado.version == inventario.version
    p9 = _stock_en_el_log(aplicacion, "p9")
    assert p9.stock == UNIDADES_POR_PRODUCTO + 2 + 2 * len(ingresos_p9)


class _Hilo(threading.Thread):
    """A thread that keeps what its target returned or raised."""

    def __init__(self, objetivo: Callable[[], object]) -> None:
        super().__init__()
        self._objetivo = objetivo
        self.resultado: object = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.resultado = self._objetivo()
        except BaseException as error:
            self.error = error


def _en_un_lote(app: Aplicacion, *comandos: Callable[[], object]) -> list[_Hilo]:
    """Run a first command (5 units of p1 in, its version returned) and then `comandos`,
    in this order, in one batch: each is queued for the turn while the first holds it."""
    grupo = _grupo(app)
    abierto, seguir = threading.Event(), threading.Event()

    def primero() -> int:
        with app.unidad_de_trabajo() as uow:
            uow.inventarios.obtener("p1", "bodega").ingresar(Cantidad(5), Precio(1), HOY)
            abierto.set()
            seguir.wait()
            uow.commit()
            return uow.confirmados[-1].version

    hilos = [_Hilo(primero), *(_Hilo(comando) for comando in comandos)]
    hilos[0].start()
    _esperar(abierto.is_set, "el primero abrió su unidad")
    for i, hilo in enumerate(hilos[1:], start=1):
        hilo.start()
        _esperar(lambda i=i: grupo.esperando() == i, f"{i} en la cola")  # type: ignore[misc]
    seguir.set()
    for hilo in hilos:
        hilo.join()
    return hilos


def _generacion_catalogo(app: Aplicacion) -> int:
    with app.engine.connect() as conexion:
        return int(conexion.scalar(select(tablas.generacion_catalogo.c.generacion)) or 0)


def test_un_savepoint_deshecho_no_deja_evento_ni_proyeccion_ni_cache(
    aplicacion: Aplicacion,
) -> None:
    grupo = _grupo(aplicacion)
    lotes, confirmados, deshechos = (
        grupo.lotes_confirmados,
        grupo.miembros_confirmados,
        grupo.miembros_deshechos,
    )
    generacion = _generacion_catalogo(aplicacion)

    lotes_al_responder: list[int] = []

    def segundo() -> None:
        # Its events and read-model rows are written, then the command fails after them
        # (an idempotency key it does not hold): rolled back to its savepoint.
        reserva = ReservaIdempotencia("no-existe", "nadie")
        try:
            _segundo(reserva)
        finally:
            lotes_al_responder.append(grupo.lotes_confirmados)

    def _segundo(reserva: ReservaIdempotencia) -> None:
        with aplicacion.unidad_de_trabajo(Metadatos(idempotencia=reserva)) as uow:
            uow.inventarios.obtener("p1", "bodega").ingresar(Cantidad(7), Precio(9), HOY)
            uow.catalogo.actualizar_sucursal(
                Sucursal("sucursal", "001", "Cambiada", Direccion("Quito")),
                CambioCatalogo(
                    "sucursal",
                    "sucursal",
                    (CampoCambiado("nombre", "Matriz", "Cambiada"),),
                    "segundo",
                    datetime.now(UTC),
                ),
            )
            uow.catalogo.bodega("bodega")  # read at the command's own, uncommitted generation
            uow.commit()

    def tercero() -> tuple[Decimal, str]:
        with aplicacion.unidad_de_trabajo() as uow:
            inventario = uow.inventarios.obtener("p1", "bodega")
            visto = inventario.stock
            inventario.ingresar(Cantidad(2), Precio(1), HOY)
            nombre = uow.catalogo.sucursal("sucursal").nombre
            uow.commit()
        return visto, nombre

    hilos = _en_un_lote(aplicacion, segundo, tercero)

    assert hilos[0].error is None
    assert hilos[2].error is None
    assert isinstance(hilos[1].error, ClaveIdempotenciaPerdida)
    # The third saw the first's lot, not the second's, and the sucursal as stored.
    assert hilos[2].resultado == (Decimal(35), "Matriz")
    # One batch: the first and the third committed together, the second rolled back alone.
    assert grupo.lotes_confirmados == lotes + 1
    assert grupo.miembros_confirmados == confirmados + 2
    assert grupo.miembros_deshechos == deshechos + 1
    # Its refusal waited for the COMMIT of the first's lot, which it had seen.
    assert lotes_al_responder == [lotes + 1]

    stream = f"inventario-{Inventario.id_para('p1', 'bodega')}"
    del_stream = [(p, e) for p, s, e in _eventos(aplicacion) if s == stream]
    nuevos = [(p, e) for p, e in del_stream[-2:] if isinstance(e, LoteIngresado)]
    assert [e.cantidad for _, e in nuevos] == [Decimal(5), Decimal(2)]
    # The second's reserved positions were given back: no gap between the other two.
    assert nuevos[1][0] == nuevos[0][0] + 1
    assert not any(isinstance(e, LoteIngresado) and e.cantidad == 7 for _, e in del_stream)
    # No read-model row of it either.
    (vista,) = aplicacion.consultas.stock("p1", "bodega")
    assert vista.cantidad == Decimal(37)
    assert all(lote.cantidad_inicial != 7 for lote in aplicacion.consultas.lotes("p1", "bodega"))
    # Nor in the caches: the aggregate is cached as committed; the catalog cache never
    # learnt the second's generation, and the sucursal keeps its stored name.
    cacheado = aplicacion.cache.sacar(stream)
    assert cacheado is not None
    assert cacheado.stock == 37
    assert cacheado.version == cast(int, hilos[0].resultado) + 1
    assert _generacion_catalogo(aplicacion) == generacion
    assert aplicacion.cache_catalogo.generacion <= generacion
    assert aplicacion.consultas.sucursal("sucursal").nombre == "Matriz"


def test_si_falla_el_primero_del_lote_se_deshace_la_transaccion_y_el_lote_sigue(
    aplicacion: Aplicacion,
) -> None:
    # The first member runs without a savepoint: its failure rolls the transaction back
    # whole and begins it again for the member waiting behind it, in the same batch.
    grupo = _grupo(aplicacion)
    lotes, deshechos = grupo.lotes_confirmados, grupo.miembros_deshechos
    ultima = _eventos(aplicacion)[-1][0]
    abierto, seguir = threading.Event(), threading.Event()

    def primero() -> None:
        reserva = ReservaIdempotencia("no-existe", "nadie")  # not held: fails at commit
        with aplicacion.unidad_de_trabajo(Metadatos(idempotencia=reserva)) as uow:
            uow.inventarios.obtener("p1", "bodega").ingresar(Cantidad(7), Precio(9), HOY)
            abierto.set()
            seguir.wait()
            uow.commit()

    def segundo() -> None:
        with aplicacion.unidad_de_trabajo() as uow:
            uow.inventarios.obtener("p1", "bodega").ingresar(Cantidad(2), Precio(1), HOY)
            uow.commit()

    sentencias: list[str] = []
    event.listen(aplicacion.engine, "before_cursor_execute", lambda *a: sentencias.append(a[2]))
    hilos = [_Hilo(primero), _Hilo(segundo)]
    hilos[0].start()
    _esperar(abierto.is_set, "el primero abrió su unidad")
    hilos[1].start()
    _esperar(lambda: grupo.esperando() == 1, "el segundo en la cola")
    seguir.set()
    for hilo in hilos:
        hilo.join()

    assert isinstance(hilos[0].error, ClaveIdempotenciaPerdida)
    assert hilos[1].error is None
    assert grupo.lotes_confirmados == lotes + 1
    assert grupo.miembros_deshechos == deshechos + 1
    # Nobody's changes were in the transaction when either joined: no savepoint at all.
    assert not [x for x in sentencias if x.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO"))]
    nuevos = [(p, e) for p, _, e in _eventos(aplicacion) if p > ultima]
    # Only the second's lot, at the first free position: the first left nothing.
    assert [(p, e.cantidad) for p, e in nuevos if isinstance(e, LoteIngresado)] == [
        (ultima + 1, Decimal(2))
    ]
    (vista,) = aplicacion.consultas.stock("p1", "bodega")
    assert vista.cantidad == Decimal(32)


def test_si_el_commit_del_lote_falla_ninguno_de_sus_comandos_queda(
    aplicacion: Aplicacion,
) -> None:
    fallar = threading.Event()

    @event.listens_for(aplicacion.engine, "commit")
    def _fallar(_conexion: object) -> None:
        if fallar.is_set():
            fallar.clear()
            raise OSError("disco lleno")

    def segundo() -> None:
        aplicacion.inventario.registrar_ingreso(RegistrarIngreso("p1", "bodega", 3, "1.00"))

    fallar.set()  # the next COMMIT: the batch's
    hilos = _en_un_lote(aplicacion, segundo)
    event.remove(aplicacion.engine, "commit", _fallar)

    # Both were in the batch whose COMMIT failed: both are told, neither is stored.
    assert all(isinstance(h.error, LoteNoConfirmado) for h in hilos)
    assert _stock_en_el_log(aplicacion, "p1").stock == UNIDADES_POR_PRODUCTO
    (vista,) = aplicacion.consultas.stock("p1", "bodega")
    assert vista.cantidad == UNIDADES_POR_PRODUCTO
    # The cache was not given their state: the next command starts from the log.
    aplicacion.inventario.registrar_ingreso(RegistrarIngreso("p1", "bodega", 1, "1"))
    assert _stock_en_el_log(aplicacion, "p1").stock == UNIDADES_POR_PRODUCTO + 1


def test_un_conflicto_sin_reintentos_se_responde_solo_a_quien_lo_tuvo(tmp_path: Path) -> None:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'grupo.db'}",
        hoy=HOY,
        grupo_commit=True,
        reintentos_concurrencia=1,
    )
    app = bootstrap(settings)
    try:
        preparar_tienda(app, (*PRODUCTOS, "p9"))
        app.cache.devolver([_copia_vieja_de_p9(app)])

        def conflicto() -> None:
            app.inventario.registrar_ingreso(RegistrarIngreso("p9", "bodega", 4, "1.00"))

        def tercero() -> None:
            app.inventario.registrar_ingreso(RegistrarIngreso("p2", "bodega", 4, "1.00"))

        hilos = _en_un_lote(app, conflicto, tercero)

        assert isinstance(hilos[1].error, ErrorDeConcurrencia)
        assert hilos[0].error is None
        assert hilos[2].error is None
        assert _stock_en_el_log(app, "p9").stock == UNIDADES_POR_PRODUCTO + 2
        assert _stock_en_el_log(app, "p1").stock == UNIDADES_POR_PRODUCTO + 5
        assert _stock_en_el_log(app, "p2").stock == UNIDADES_POR_PRODUCTO + 4
        # The stale copy went with the rolled-back command; the next one reads the log.
        app.inventario.registrar_ingreso(RegistrarIngreso("p9", "bodega", 4, "1.00"))
        assert _stock_en_el_log(app, "p9").stock == UNIDADES_POR_PRODUCTO + 6
    finally:
        app.cerrar()


def test_las_claves_de_idempotencia_se_reclaman_y_cierran_dentro_de_los_lotes(
    aplicacion: Aplicacion,
) -> None:
    grupo = _grupo(aplicacion)
    registro = crear_servicios(aplicacion).idempotencia
    antes = grupo.lotes_confirmados
    reclamo = registro.reclamar("caja", "clave-1", "huella")
    assert reclamo.estado is EstadoReclamo.NUEVA
    assert reclamo.reserva is not None
    # Members of batches (the turn, not SQLite's busy handler), durable on return: the
    # first claim of the process purges old keys first, then claims.
    assert grupo.lotes_confirmados == antes + 2
    reserva = reclamo.reserva

    def comando() -> object:
        ingreso = RegistrarIngreso("p2", "bodega", 1, "1.00")
        return aplicacion.inventario.registrar_ingreso(ingreso, Metadatos(idempotencia=reserva))

    def cerrar() -> None:
        registro.cerrar(reserva, RespuestaGuardada(201, "application/json", b"{}"))

    hilos = _en_un_lote(aplicacion, comando, cerrar)

    assert [h.error for h in hilos] == [None, None, None]
    assert grupo.lotes_confirmados == antes + 3  # the command and the close shared one
    repetido = registro.reclamar("caja", "clave-1", "huella")
    assert repetido.estado is EstadoReclamo.REPETIDA
    assert repetido.respuesta == RespuestaGuardada(201, "application/json", b"{}")
    assert _stock_en_el_log(aplicacion, "p2").stock == UNIDADES_POR_PRODUCTO + 1


def test_en_sqlite_el_commit_en_grupo_es_lo_predeterminado(tmp_path: Path) -> None:
    app = bootstrap(Settings(database_url=f"sqlite:///{tmp_path / 'grupo.db'}", hoy=HOY))
    try:
        grupo = _grupo(app)
        antes = grupo.lotes_confirmados
        preparar_tienda(app)
        assert grupo.lotes_confirmados > antes
        # GET /metrics shows every COMMIT and how many commands it held.
        muestra = app.metricas.registro.get_sample_value
        assert muestra("prometeo_grupo_commit_comandos_count") == grupo.lotes_confirmados
        assert muestra("prometeo_grupo_commit_comandos_sum") == grupo.miembros_confirmados
    finally:
        app.cerrar()
