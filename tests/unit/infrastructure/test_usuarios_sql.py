"""The people's store on SQLite: argon2 hashes (never the password), unique names, and
sessions that end when idle, past their absolute limit, when closed or deactivated."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, select

from prometeo.application.acceso import Rol
from prometeo.application.personas import AjustesWeb
from prometeo.domain.errores import Duplicado, NoEncontrado
from prometeo.infrastructure.db.engine import crear_engine
from prometeo.infrastructure.db.migracion import migrar
from prometeo.infrastructure.db.tablas import sesiones, usuarios
from prometeo.infrastructure.db.tokens import hash_de
from prometeo.infrastructure.db.usuarios import AlmacenUsuarios

CLAVE = "caballo-bateria-9"


class Reloj:
    def __init__(self) -> None:
        self.ahora = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.ahora

    def avanzar(self, **cuanto: float) -> None:
        self.ahora += timedelta(**cuanto)


@pytest.fixture
def engine_usuarios(tmp_path: Path) -> Iterator[Engine]:
    engine = crear_engine(f"sqlite:///{tmp_path / 'usuarios.db'}")
    migrar(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def reloj() -> Reloj:
    return Reloj()


@pytest.fixture
def almacen(engine_usuarios: Engine, reloj: Reloj) -> AlmacenUsuarios:
    # Cheap argon2 parameters: the tests check behaviour, not the cost.
    barato = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    ajustes = AjustesWeb(sesion_minutos=30, sesion_horas_maximas=2)
    return AlmacenUsuarios(engine_usuarios, ajustes, hasheador=barato, reloj=reloj)


def test_solo_se_guarda_el_hash_argon2(almacen: AlmacenUsuarios, engine_usuarios: Engine) -> None:
    almacen.crear("Ana", Rol.CAJERO, CLAVE)
    with engine_usuarios.connect() as conexion:
        fila = conexion.execute(select(usuarios)).one()
    assert fila.hash_clave.startswith("$argon2id$")
    assert all(CLAVE not in str(valor) for valor in fila)


def test_verifica_la_clave_y_no_distingue_mayusculas_en_el_nombre(
    almacen: AlmacenUsuarios,
) -> None:
    creado = almacen.crear("Ana", "cajero", CLAVE)
    assert almacen.verificar("ana", CLAVE) == creado
    assert almacen.verificar(" ANA ", CLAVE) == creado
    assert almacen.verificar("ana", CLAVE + "x") is None
    assert almacen.verificar("nadie", CLAVE) is None


def test_nombre_repetido_e_invalidos(almacen: AlmacenUsuarios) -> None:
    almacen.crear("ana", Rol.CAJERO, CLAVE)
    with pytest.raises(Duplicado):
        almacen.crear("ANA", Rol.ADMIN, CLAVE)
    with pytest.raises(ValueError, match="nombre de usuario"):
        almacen.crear("con espacio", Rol.CAJERO, CLAVE)
    with pytest.raises(ValueError, match="contraseña") as error:
        almacen.crear("bob", Rol.CAJERO, "corta")
    assert "corta" not in str(error.value)


def test_la_sesion_se_reconoce_y_solo_se_guarda_su_hash(
    almacen: AlmacenUsuarios, engine_usuarios: Engine
) -> None:
    ana = almacen.crear("ana", Rol.CONTADOR, CLAVE)
    abierta = almacen.abrir_sesion(ana)
    vigente = almacen.sesion(abierta.secreto)
    assert vigente is not None
    assert (vigente.usuario, vigente.rol, vigente.csrf) == (
        "ana",
        Rol.CONTADOR,
        abierta.sesion.csrf,
    )
    assert vigente.csrf != abierta.secreto
    with engine_usuarios.connect() as conexion:
        fila = conexion.execute(select(sesiones)).one()
    assert fila.hash == hash_de(abierta.secreto)
    assert abierta.secreto not in [str(v) for v in fila]
    assert almacen.sesion("otro-secreto") is None


def test_la_sesion_vence_sin_actividad_y_la_actividad_la_extiende(
    almacen: AlmacenUsuarios, reloj: Reloj
) -> None:
    abierta = almacen.abrir_sesion(almacen.crear("ana", Rol.CAJERO, CLAVE))
    reloj.avanzar(minutes=25)
    assert almacen.sesion(abierta.secreto) is not None  # activity: 30 more minutes
    reloj.avanzar(minutes=25)
    assert almacen.sesion(abierta.secreto) is not None
    reloj.avanzar(minutes=31)
    assert almacen.sesion(abierta.secreto) is None
    reloj.avanzar(minutes=-60)
    assert almacen.sesion(abierta.secreto) is None  # deleted once expired


def test_la_sesion_no_pasa_de_su_limite_absoluto(almacen: AlmacenUsuarios, reloj: Reloj) -> None:
    abierta = almacen.abrir_sesion(almacen.crear("ana", Rol.CAJERO, CLAVE))
    for _ in range(5):
        reloj.avanzar(minutes=20)
        assert almacen.sesion(abierta.secreto) is not None
    reloj.avanzar(minutes=20)  # 2 h after it opened
    assert almacen.sesion(abierta.secreto) is None


def test_cerrar_y_desactivar_terminan_las_sesiones(almacen: AlmacenUsuarios) -> None:
    ana = almacen.crear("ana", Rol.CAJERO, CLAVE)
    una, otra = almacen.abrir_sesion(ana), almacen.abrir_sesion(ana)
    almacen.cerrar_sesion(una.secreto)
    assert almacen.sesion(una.secreto) is None
    assert almacen.sesion(otra.secreto) is not None
    assert almacen.desactivar("ANA").activo is False
    assert almacen.sesion(otra.secreto) is None
    assert almacen.verificar("ana", CLAVE) is None
    assert [u.activo for u in almacen.listar()] == [False]
    with pytest.raises(NoEncontrado):
        almacen.desactivar("nadie")
