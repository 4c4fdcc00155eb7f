"""The follower's SQL side on SQLite, PostgreSQL and MariaDB: the named checkpoint
(compare-and-set, inside or outside the caller's transaction), parked events recorded
with their error and the checkpoint moved past them in one transaction, and a
transactional handler whose effect and checkpoint commit together or not at all.

One suite, subclassed once per backend."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC
from decimal import Decimal
from pathlib import Path

import pytest
from apoyo_mensajeria import agregar_eventos
from sqlalchemy import Connection, Engine, select, text
from sqlalchemy.exc import IntegrityError

from prometeo.application.unidad_de_trabajo import EventoConfirmado
from prometeo.bootstrap import bootstrap
from prometeo.domain.events.inventario import StockBajo
from prometeo.infrastructure.db.almacen_eventos import EventoAlmacenado
from prometeo.infrastructure.db.tablas import checkpoints_seguidor
from prometeo.infrastructure.metricas import exponer
from prometeo.infrastructure.seguimiento import (
    CheckpointMovido,
    CheckpointSeguidor,
    ConCheckpointPropio,
    EnLaMismaTransaccion,
    FalloDeNuevo,
    Hecho,
    RegistroSql,
    Reintentado,
    Seguidor,
    contar_aparcados,
    descartar_aparcado,
    listar_aparcados,
    posicion_de,
    registrar_aparcado,
    reintentar_aparcados,
)
from prometeo.infrastructure.settings import Settings

SECRETO = "postgresql://prometeo:clave-secreta@db.interna/prometeo"


class PublicaSalvoEl3:
    """An external effect that can never handle the event at position 3."""

    def __init__(self) -> None:
        self.vistos: list[int] = []

    def manejar(self, eventos: Sequence[EventoAlmacenado], hecho: Hecho) -> None:
        for evento in eventos:
            if evento.posicion == 3:
                raise ValueError(f"no se puede con el 3 (conectando a {SECRETO})")
            self.vistos.append(evento.posicion)
            hecho(evento.posicion)


class EfectoEnLaBase:
    """A transactional handler: its effect is one row per event (in checkpoints_seguidor,
    named `efecto-<position>`), its checkpoint the row `local`; it fails at position
    `falla_en` after writing that event's effect."""

    def __init__(self, engine: Engine, falla_en: int) -> None:
        self.falla_en = falla_en
        self.checkpoint = CheckpointSeguidor(engine, "local")

    def posicion(self, conexion: Connection) -> int:
        return posicion_de(conexion, "local")

    def manejar(
        self, conexion: Connection, desde: int, eventos: Sequence[EventoAlmacenado]
    ) -> None:
        for evento in eventos:
            conexion.execute(
                checkpoints_seguidor.insert().values(
                    nombre=f"efecto-{evento.posicion}", posicion=evento.posicion
                )
            )
            if evento.posicion == self.falla_en:
                raise RuntimeError("falla tras escribir el efecto")
        self.checkpoint.avanzar_en(conexion, desde, eventos[-1].posicion)

    def saltar(self, conexion: Connection, desde: int, evento: EventoAlmacenado) -> None:
        self.checkpoint.avanzar_en(conexion, desde, evento.posicion)


def efectos(engine: Engine) -> list[int]:
    with engine.connect() as conexion:
        filas = conexion.execute(
            select(checkpoints_seguidor.c.posicion)
            .where(checkpoints_seguidor.c.nombre.like("efecto-%"))
            .order_by(checkpoints_seguidor.c.posicion)
        )
        return [int(p) for (p,) in filas]


class SuiteSeguimiento:
    """Run on the backend each subclass names (the `url_base` parameter)."""

    def test_el_checkpoint_avanza_por_comparacion_y_con_la_transaccion(
        self, engine: Engine
    ) -> None:
        uno, otro = CheckpointSeguidor(engine, "sri"), CheckpointSeguidor(engine, "sri")
        assert uno.leer() == 0
        uno.avanzar(0, 4)
        with pytest.raises(CheckpointMovido, match="otro seguidor"):
            otro.avanzar(0, 2)

        def avanzar_y_deshacer() -> None:
            with engine.begin() as conexion:
                uno.avanzar_en(conexion, 4, 9)
                raise RuntimeError("deshacer")

        with pytest.raises(RuntimeError, match="deshacer"):
            avanzar_y_deshacer()
        assert otro.leer() == 4  # rolled back with the transaction
        with engine.begin() as conexion:
            uno.avanzar_en(conexion, 4, 9)
        assert otro.leer() == 9
        assert CheckpointSeguidor(engine, "otro-nombre").leer() == 0

    def test_un_evento_aparcado_queda_visible_sin_secretos_y_el_seguidor_sigue(
        self, engine: Engine
    ) -> None:
        eventos = agregar_eventos(engine, 5)
        manejador = PublicaSalvoEl3()
        checkpoint = CheckpointSeguidor(engine, "publicar")
        seguidor = Seguidor(
            RegistroSql(engine),
            "publicar",
            ConCheckpointPropio(checkpoint, manejador),
            lote=10,
            intentos=2,
            espera_inicial=0.001,
        )

        assert seguidor.seguir_pendientes() == 5

        assert manejador.vistos == [1, 2, 4, 5]
        assert checkpoint.leer() == 5
        (aparcado,) = listar_aparcados(engine)
        assert (aparcado.seguidor, aparcado.posicion) == ("publicar", 3)
        assert (aparcado.evento_id, aparcado.tipo) == (eventos[2].evento_id, eventos[2].tipo)
        assert aparcado.error.startswith("ValueError: no se puede con el 3")
        assert "clave-secreta" not in aparcado.error
        assert "postgresql://***@db.interna" in aparcado.error
        assert aparcado.aparcado_en.tzinfo is not None
        assert aparcado.aparcado_en.utcoffset() == UTC.utcoffset(None)
        assert listar_aparcados(engine, "otro") == []

        # Parking it again (another follower of this name got there first) is refused.
        procesador = ConCheckpointPropio(checkpoint, manejador)
        assert procesador.aparcar("publicar", 2, eventos[2], ValueError("otra vez")) is None
        assert checkpoint.leer() == 5

        assert descartar_aparcado(engine, "publicar", 3)
        assert not descartar_aparcado(engine, "publicar", 3)
        assert listar_aparcados(engine) == []

    def test_reintentar_olvida_los_hechos_y_guarda_el_nuevo_error_de_los_otros(
        self, engine: Engine
    ) -> None:
        eventos = agregar_eventos(engine, 4)
        with engine.begin() as conexion:
            for evento in (eventos[1], eventos[3]):
                registrar_aparcado(conexion, "publicar", evento, ValueError("primera vez"))
            registrar_aparcado(conexion, "otro", eventos[0], ValueError("del otro"))
        with engine.connect() as conexion:
            assert contar_aparcados(conexion) == {"otro": 1, "publicar": 2}

        class ArreglaElSegundo:
            def __init__(self) -> None:
                self.recibidos: list[EventoAlmacenado] = []

            def reintentar(
                self, eventos: Sequence[EventoAlmacenado], hecho: Reintentado, fallo: FalloDeNuevo
            ) -> None:
                self.recibidos.extend(eventos)
                hecho(2)
                fallo(4, ValueError(f"otra vez, contra {SECRETO}"))

        reintentador = ArreglaElSegundo()
        resultados = reintentar_aparcados(
            engine, RegistroSql(engine), listar_aparcados(engine, "publicar"), reintentador
        )

        # Read back from the log.
        assert [e.evento_id for e in reintentador.recibidos] == [
            eventos[1].evento_id,
            eventos[3].evento_id,
        ]
        assert [(r.aparcado.posicion, r.error) for r in resultados] == [
            (2, None),
            (4, "ValueError: otra vez, contra postgresql://***@db.interna/prometeo"),
        ]
        (queda,) = listar_aparcados(engine, "publicar")
        assert (queda.posicion, queda.error) == (4, resultados[1].error)
        with engine.connect() as conexion:
            assert contar_aparcados(conexion) == {"otro": 1, "publicar": 1}

    def test_el_efecto_en_la_base_y_su_checkpoint_se_confirman_juntos(self, engine: Engine) -> None:
        agregar_eventos(engine, 4)
        manejador = EfectoEnLaBase(engine, falla_en=3)
        seguidor = Seguidor(
            RegistroSql(engine),
            "local",
            EnLaMismaTransaccion(engine, manejador),
            lote=10,
            intentos=2,
            espera_inicial=0.001,
        )

        assert seguidor.seguir_pendientes() == 4

        # The failing batch left nothing behind; event by event, 3's effect was rolled
        # back each time, and parking it moved the checkpoint in its own transaction.
        assert efectos(engine) == [1, 2, 4]
        with engine.connect() as conexion:
            assert posicion_de(conexion, "local") == 4
        assert [a.posicion for a in listar_aparcados(engine, "local")] == [3]

    def test_la_tabla_de_aparcados_tiene_clave_por_seguidor_y_posicion(
        self, engine: Engine
    ) -> None:
        fila = {
            "seguidor": "s",
            "posicion": 1,
            "evento_id": "e",
            "tipo": "T",
            "error": "x",
            "aparcado_en": "2026-11-29 12:00:00",
        }
        columnas = ", ".join(fila)
        valores = ", ".join(f":{c}" for c in fila)
        with engine.begin() as conexion:
            conexion.execute(
                text(f"INSERT INTO eventos_aparcados ({columnas}) VALUES ({valores})"), fila
            )
        with pytest.raises(IntegrityError), engine.begin() as conexion:
            conexion.execute(
                text(f"INSERT INTO eventos_aparcados ({columnas}) VALUES ({valores})"), fila
            )


@pytest.mark.parametrize("url_base", ["sqlite"], indirect=True)
class TestSeguimientoSqlite(SuiteSeguimiento):
    pass


@pytest.mark.parametrize("url_base", ["postgresql"], indirect=True)
class TestSeguimientoPostgres(SuiteSeguimiento):
    pass


@pytest.mark.parametrize("url_base", ["mariadb"], indirect=True)
class TestSeguimientoMariaDB(SuiteSeguimiento):
    pass


def test_el_bus_de_la_aplicacion_cuenta_los_manejadores_que_fallan(tmp_path: Path) -> None:
    app = bootstrap(Settings(database_url=f"sqlite:///{tmp_path / 'bus.db'}"))
    try:

        def avisar_por_correo(evento: StockBajo) -> None:
            raise RuntimeError("correo caído")

        app.bus.suscribir(StockBajo, avisar_por_correo)
        bajo = StockBajo(
            producto_id="p", bodega_id="b", cantidad=Decimal(1), stock_minimo=Decimal(2)
        )
        app.bus.publicar([EventoConfirmado("inventario-p-b", 1, bajo)] * 2)
        texto = exponer(app.metricas).decode()
        assert (
            "prometeo_fallos_manejadores_total{manejador="
            f'"{avisar_por_correo.__qualname__}",tipo="StockBajo"}} 2.0'
        ) in texto
    finally:
        app.cerrar()
