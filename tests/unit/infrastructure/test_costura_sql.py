"""The SQL seam (infrastructure/sql/) is the only place that touches SQLAlchemy's private
surface. These tests fail loudly when a SQLAlchemy upgrade changes what the seam uses, and
when a module outside the seam starts using it."""

from __future__ import annotations

import inspect
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy
from sqlalchemy import (
    Column,
    Connection,
    Date,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    event,
    insert,
    select,
)
from sqlalchemy.exc import IntegrityError

from prometeo.infrastructure.db.engine import crear_engine
from prometeo.infrastructure.sql.ejecucion import ejecutar_sql
from prometeo.infrastructure.sql.sentencias import (
    consultar,
    contar,
    ejecutar,
    escrituras_capturadas,
    leer,
    preparar,
    procesador_bind,
    repetir,
)

SRC = Path(__file__).resolve().parents[3] / "src" / "prometeo"
COSTURA = SRC / "infrastructure" / "sql"
PRIVADOS = re.compile(
    r"_has_events|_handle_dbapi_exception|\.dispatch\.|_bind_processors|construct_params|"
    r"_cached_bind_processor|positiontup|escaped_bind_names|\.info\[|\.info\.(get|pop)"
)

_meta = MetaData()
_filas = Table(
    "filas",
    _meta,
    Column("id", Integer, primary_key=True),
    Column("nombre", String(20), nullable=False),
    Column("dia", Date, nullable=False),
    Column("instante", DateTime(timezone=True), nullable=False),
)


@pytest.fixture
def motor(tmp_path: Path) -> Engine:
    engine = crear_engine(f"sqlite:///{tmp_path / 'costura.db'}")
    _meta.create_all(engine)
    return engine


def test_sqlalchemy_es_la_version_fijada() -> None:
    """The seam was written against this release: an upgrade must re-check it."""
    assert sqlalchemy.__version__ == "2.1.9"


def test_la_superficie_privada_que_usa_la_costura_existe(motor: Engine) -> None:
    with motor.connect() as conexion:
        assert isinstance(conexion._has_events, bool)
        assert isinstance(conexion.engine._has_events, bool)
        assert callable(conexion.dispatch.before_cursor_execute)
        assert callable(conexion.dispatch.after_cursor_execute)
        firma = inspect.signature(conexion._handle_dbapi_exception)
        assert list(firma.parameters)[:5] == [
            "e",
            "statement",
            "parameters",
            "cursor",
            "context",
        ]
        compilada: object = insert(_filas).compile(dialect=conexion.dialect)
        for atributo in ("positiontup", "bind_names", "binds", "escaped_bind_names", "positional"):
            assert hasattr(compilada, atributo), atributo
        assert isinstance(compilada._bind_processors, dict)  # type: ignore[attr-defined]
        assert "_check" in inspect.signature(compilada.construct_params).parameters  # type: ignore[attr-defined]


def test_ningun_modulo_fuera_de_la_costura_usa_la_superficie_privada() -> None:
    fuera = [
        f"{ruta.relative_to(SRC)}:{n}: {linea.strip()}"
        for ruta in SRC.rglob("*.py")
        if COSTURA not in ruta.parents
        for n, linea in enumerate(ruta.read_text().splitlines(), start=1)
        if PRIVADOS.search(linea) and not linea.lstrip().startswith("#")
    ]
    assert fuera == []


def test_ejecutar_sql_conserva_los_eventos_y_los_errores_de_sqlalchemy(motor: Engine) -> None:
    vistas: list[str] = []

    @event.listens_for(motor, "before_cursor_execute")
    def _ver(_c: object, _cur: object, sql: str, *_resto: object) -> None:
        vistas.append(sql)

    fila = (1, "a", "2026-01-02", "2026-01-02 10:00:00.000000")
    sql = "INSERT INTO filas (id, nombre, dia, instante) VALUES (?, ?, ?, ?)"
    with motor.begin() as conexion:
        ejecutar_sql(conexion, sql, [fila])
        with pytest.raises(IntegrityError):  # wrapped the way SQLAlchemy wraps it
            ejecutar_sql(conexion, sql, [fila])
    assert vistas.count(sql) == 2


def test_las_escrituras_y_lecturas_enlazan_como_sqlalchemy(motor: Engine) -> None:
    instante = datetime(2026, 1, 2, 10, 30, tzinfo=UTC)
    filas = [
        {"id": 1, "nombre": "uno", "dia": date(2026, 1, 2), "instante": instante},
        {"id": 2, "nombre": "dos", "dia": date(2026, 1, 3), "instante": instante},
    ]
    por_nombre = select(_filas).where(_filas.c.nombre == bindparam("nombre"))
    with motor.begin() as conexion:
        ejecutar(conexion, insert(_filas), filas)
        propia = consultar(conexion, por_nombre, {"nombre": "dos"})
        de_sqlalchemy = conexion.execute(por_nombre, {"nombre": "dos"}).all()
        crudas = leer(conexion, select(_filas.c.id).order_by(_filas.c.id), {})
        cambiadas = contar(
            conexion,
            _filas.update().where(_filas.c.id == bindparam("k")).values(nombre="x"),
            {"k": 1},
        )
    assert [tuple(f) for f in propia] == [tuple(f) for f in de_sqlalchemy]
    assert propia[0].dia == date(2026, 1, 3)
    assert [tuple(f) for f in crudas] == [(1,), (2,)]
    assert cambiadas == 1


def test_escrituras_capturadas_preparadas_y_repetidas_en_otra_conexion(motor: Engine) -> None:
    """A rebuild on SQLite collects a batch's writes in a read transaction, binds them
    there and runs them later on another connection: the same rows, in the same order,
    as running them at once, also for a statement only SQLAlchemy's own path binds."""
    instante = datetime(2026, 1, 2, 10, 30, tzinfo=UTC)
    filas = [
        {"id": i, "nombre": f"n{i}", "dia": date(2026, 1, i), "instante": instante}
        for i in range(1, 5)
    ]
    borrar = _filas.delete().where(_filas.c.id.in_(bindparam("ids", expanding=True)))
    renombrar = _filas.update().where(_filas.c.id == bindparam("k")).values(nombre=bindparam("n"))
    todas = select(_filas).order_by(_filas.c.id)

    def escribir(conexion: Connection) -> None:
        ejecutar(conexion, insert(_filas), filas)
        ejecutar(conexion, renombrar, [{"k": 2, "n": "dos"}, {"k": 3, "n": "tres"}])
        ejecutar(conexion, borrar, [{"ids": [1, 3]}])

    with motor.begin() as conexion:
        escribir(conexion)
        directas = conexion.execute(todas).all()
        conexion.execute(_filas.delete())
    with motor.connect() as lectura:
        with escrituras_capturadas(lectura) as escrituras:
            escribir(lectura)
        assert lectura.execute(todas).all() == []  # collected, not run
    preparadas = preparar(motor.dialect, escrituras)
    assert [p.sql is None for p in preparadas] == [False, False, True]
    with motor.begin() as conexion:
        repetir(conexion, preparadas)
        repetidas = conexion.execute(todas).all()
    assert repetidas == directas
    assert [f.nombre for f in repetidas] == ["dos", "n4"]


def test_el_procesador_de_un_tipo_es_el_de_sqlalchemy(motor: Engine) -> None:
    with motor.connect() as conexion:
        propio = procesador_bind(DateTime(), conexion.dialect)
        esperado = DateTime().dialect_impl(conexion.dialect).bind_processor(conexion.dialect)
        assert _conexion_sqlite(conexion)
    assert propio is not None
    assert esperado is not None
    instante = datetime(2026, 1, 2, 10, 30, tzinfo=UTC)
    assert (
        propio(instante) == esperado(instante) == "2026-01-02 10:30:00.000000"
    )  # SQLite text, zone dropped


def _conexion_sqlite(conexion: Connection) -> bool:
    return conexion.dialect.name == "sqlite"
