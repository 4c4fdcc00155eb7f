"""The SQL adapters of the read ports keep the ports' contracts (contrato_lecturas.py), on
every backend: the catalog's views (also through ServicioConsultasSql, with the cache of
catalog rows) and the token registry."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from sqlalchemy import Engine, event, select

from bases_de_datos import todos_los_backends
from contrato_lecturas import (
    TOKEN_ADMIN,
    ContratoConsultasCatalogo,
    ContratoRegistroTokens,
    RelojMovil,
)
from prometeo.application.acceso import Rol
from prometeo.application.consultas import ConsultasCatalogo
from prometeo.domain.entities.catalogo import Producto
from prometeo.domain.repositories import RepositorioCatalogo
from prometeo.domain.value_objects.dinero import Precio
from prometeo.infrastructure.db.catalogo import CacheCatalogo, RepositorioCatalogoSql
from prometeo.infrastructure.db.tablas import tokens
from prometeo.infrastructure.db.tokens import AlmacenTokens, escritor_usos
from prometeo.infrastructure.lecturas.catalogo import ConsultasCatalogoSql
from prometeo.infrastructure.lecturas.consultas import ServicioConsultasSql


def _sembrar_en(engine: Engine) -> Callable[[Callable[[RepositorioCatalogo], None]], None]:
    def sembrar(siembra: Callable[[RepositorioCatalogo], None]) -> None:
        with engine.begin() as conexion:
            siembra(RepositorioCatalogoSql(conexion))

    return sembrar


@todos_los_backends
class TestConsultasCatalogoSql(ContratoConsultasCatalogo):
    @pytest.fixture
    def consultas(self, engine: Engine) -> ConsultasCatalogo:
        return ConsultasCatalogoSql(engine)

    @pytest.fixture
    def sembrar(self, engine: Engine) -> Callable[[Callable[[RepositorioCatalogo], None]], None]:
        return _sembrar_en(engine)


class TestServicioConsultasSqlLeeElCatalogo(ContratoConsultasCatalogo):
    """The query service the entry points get serves the catalog the same way (SQLite)."""

    @pytest.fixture
    def consultas(self, engine: Engine) -> ConsultasCatalogo:
        return ServicioConsultasSql(engine, CacheCatalogo())

    @pytest.fixture
    def sembrar(self, engine: Engine) -> Callable[[Callable[[RepositorioCatalogo], None]], None]:
        return _sembrar_en(engine)


def test_las_lecturas_por_id_usan_la_cache_del_catalogo(engine: Engine) -> None:
    cafe = Producto("cafe", "CAF", "Café", Precio("2.50"), "4", Decimal(1))
    _sembrar_en(engine)(lambda c: c.agregar_producto(cafe))
    consultas = ServicioConsultasSql(engine, CacheCatalogo())
    sentencias: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: sentencias.append(a[2]))
    primera = consultas.producto("cafe")
    leidas = len(sentencias)
    assert consultas.producto("cafe") == primera
    # The second read came from memory: only its transaction and the generation.
    assert len(sentencias) == leidas + 2
    assert all("productos" not in s for s in sentencias[leidas:])


@todos_los_backends
class TestAlmacenTokens(ContratoRegistroTokens):
    @pytest.fixture
    def registro(self, engine: Engine, reloj: RelojMovil) -> AlmacenTokens:
        return AlmacenTokens(engine, TOKEN_ADMIN, reloj=reloj.ahora)

    @pytest.fixture
    def registro_sin_admin(self, engine: Engine) -> AlmacenTokens:
        return AlmacenTokens(engine)


@todos_los_backends
def test_el_ultimo_uso_se_escribe_en_segundo_plano(engine: Engine) -> None:
    """portador() only notes the use; the writer's pass (what its thread runs every
    ANOTAR_USO_CADA seconds) writes it, with no list() to flush it."""
    almacen = AlmacenTokens(engine)
    emitido = almacen.emitir("caja", Rol.CAJERO)
    assert almacen.portador(emitido.token) is not None
    leer = select(tokens.c.ultimo_uso).where(tokens.c.id == emitido.id)
    with engine.connect() as conexion:
        assert conexion.execute(leer).scalar() is None  # nothing written on the request
    escritor_usos.escribir()
    with engine.connect() as conexion:
        assert conexion.execute(leer).scalar() is not None
