"""With 20,000 products, the search by words is answered from the primary key of
palabras_producto (a range over `palabra`), never by reading the whole table: the plan the
database chooses for the very statement the repository runs, not a time."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import Engine, String, event, insert, text

from prometeo.infrastructure.db import tablas as t
from prometeo.infrastructure.db.busqueda import palabras_de
from prometeo.infrastructure.db.catalogo import RepositorioCatalogoSql

PRODUCTOS = 20_000
_SILABAS = ("ma", "pe", "ri", "lo", "su", "ta", "ne", "ca", "bo", "fi", "gu", "de")


def _sembrar(engine: Engine) -> None:
    """20,000 products of three words from a vocabulary of ~1,700, two of them cafés, and
    their words as the repository writes them."""
    azar = random.Random(18)
    vocabulario = [a + b + c for a in _SILABAS for b in _SILABAS for c in _SILABAS]
    productos: list[dict[str, object]] = []
    palabras: list[dict[str, str]] = []
    for n in range(PRODUCTOS):
        nombre = " ".join(azar.sample(vocabulario, 3))
        if n in (7_001, 15_003):
            nombre = f"Café molido {n}"
        codigo, barra = f"P-{n:05d}", f"786{n:010d}"
        productos.append(
            {
                "id": f"prod-{n:05d}",
                "codigo": codigo,
                "nombre": nombre,
                "precio": "1.00",
                "tarifa_iva": "4",
                "stock_minimo": "0",
                "activo": True,
            }
        )
        palabras.extend(
            {"palabra": p, "producto_id": f"prod-{n:05d}"}
            for p in sorted(palabras_de(codigo, nombre, [barra]))
        )
    with engine.begin() as conexion:
        conexion.execute(insert(t.productos), productos)
        conexion.execute(insert(t.palabras_producto), palabras)


@contextmanager
def _sentencias(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    vistas: list[tuple[str, Any]] = []

    def anotar(_c: object, _cur: object, sentencia: str, parametros: Any, *_: object) -> None:
        vistas.append((sentencia, parametros))

    event.listen(engine, "before_cursor_execute", anotar)
    try:
        yield vistas
    finally:
        event.remove(engine, "before_cursor_execute", anotar)


def _busqueda(engine: Engine, buscar: str) -> tuple[str, Any]:
    """The statement (and its parameters) the repository runs for one page of `buscar`."""
    with _sentencias(engine) as vistas, engine.connect() as conexion:
        encontrados = RepositorioCatalogoSql(conexion).productos(100, 0, buscar=buscar)
    assert [p.codigo for p in encontrados] == ["P-07001", "P-15003"]
    (sentencia,) = [v for v in vistas if "palabras_producto" in v[0]]
    return sentencia


BUSQUEDAS = ("cafe", "CAFÉ mol")


@pytest.mark.parametrize("url_base", ["sqlite"], indirect=True)
def test_sqlite_busca_por_rango_en_la_clave_de_palabras(engine: Engine) -> None:
    _sembrar(engine)
    with engine.connect() as conexion:
        conexion.exec_driver_sql("ANALYZE")
    for buscar in BUSQUEDAS:
        sentencia, parametros = _busqueda(engine, buscar)
        with engine.connect() as conexion:
            plan = [
                fila[3]
                for fila in conexion.exec_driver_sql("EXPLAIN QUERY PLAN " + sentencia, parametros)
            ]
        rangos = [
            paso
            for paso in plan
            if paso.startswith("SEARCH palabras_producto USING ")
            and "sqlite_autoindex_palabras_producto_1 (palabra>? AND palabra<?)" in paso
        ]
        assert len(rangos) == len(buscar.split()), plan
        assert not [p for p in plan if p.startswith("SCAN palabras_producto")], plan


@pytest.mark.parametrize("url_base", ["postgresql"], indirect=True)
def test_postgresql_busca_por_rango_en_la_clave_de_palabras(engine: Engine) -> None:
    _sembrar(engine)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conexion:
        conexion.execute(text("ANALYZE productos"))
        conexion.execute(text("ANALYZE palabras_producto"))
    for buscar in BUSQUEDAS:
        sentencia, parametros = _busqueda(engine, buscar)
        with engine.connect() as conexion:
            plan = "\n".join(
                fila[0] for fila in conexion.exec_driver_sql("EXPLAIN " + sentencia, parametros)
            )
        # One range over the key per word typed, as the index's condition (an index, index
        # only or bitmap scan, whichever the statistics make cheaper).
        palabras = len(buscar.split())
        escaneos = re.findall(
            r"(?:Index Scan using|Index Only Scan using|Bitmap Index Scan on)"
            r" pk_palabras_producto",
            plan,
        )
        assert len(escaneos) == palabras, plan
        rangos = re.findall(r"Index Cond: \(\(+palabra\)?(?:::text)? >= '\w+'", plan)
        assert len(rangos) == palabras, plan
        assert "Seq Scan on palabras_producto" not in plan, plan


@pytest.mark.parametrize("url_base", ["mariadb"], indirect=True)
def test_mariadb_busca_por_rango_en_la_clave_de_palabras(engine: Engine) -> None:
    _sembrar(engine)
    with engine.connect() as conexion:
        conexion.exec_driver_sql("ANALYZE TABLE productos, palabras_producto").all()
    for buscar in BUSQUEDAS:
        sentencia, parametros = _busqueda(engine, buscar)
        with engine.connect() as conexion:
            plan = [
                dict(fila._mapping)
                for fila in conexion.exec_driver_sql("EXPLAIN " + sentencia, parametros)
            ]
        palabras = [paso for paso in plan if "palabras_producto" in str(paso["table"])]
        assert len(palabras) == len(buscar.split()), plan
        assert all(
            paso["key"] == "PRIMARY" and paso["type"] in ("range", "ref") for paso in palabras
        ), plan


@pytest.mark.parametrize("url_base", ["postgresql", "mariadb"], indirect=True)
def test_las_palabras_se_comparan_byte_a_byte_en_la_base_y_en_la_metadata(
    engine: Engine,
) -> None:
    # The range [prefix, next prefix) holds only under a byte-order collation: the
    # migration gives it, and the metadata says so too (what create_all would build).
    tipo = t.palabras_producto.c.palabra.type.dialect_impl(engine.dialect)
    assert isinstance(tipo, String)
    declarada = tipo.collation
    with engine.connect() as conexion:
        migrada = conexion.execute(
            text(
                "SELECT collation_name FROM information_schema.columns"
                " WHERE table_name = 'palabras_producto' AND column_name = 'palabra'"
                " AND table_schema = :esquema"
            ),
            {"esquema": "public" if engine.dialect.name == "postgresql" else engine.url.database},
        ).scalar_one()
    assert migrada in ("C", "utf8mb4_bin")
    assert declarada == migrada
