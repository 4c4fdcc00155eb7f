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
    """20,000 products of three words from a vocabulary of ~1,700, two of them cafés, each
    with a barcode, and their words as the repository writes them."""
    azar = random.Random(18)
    vocabulario = [a + b + c for a in _SILABAS for b in _SILABAS for c in _SILABAS]
    productos: list[dict[str, object]] = []
    palabras: list[dict[str, str]] = []
    barras: list[dict[str, object]] = []
    for n in range(PRODUCTOS):
        nombre = " ".join(azar.sample(vocabulario, 3))
        if n in (7_001, 15_003):
            nombre = f"Café molido {n}"
        codigo, barra = f"P-{n:05d}", f"786{n:010d}"
        barras.append({"producto_id": f"prod-{n:05d}", "posicion": 1, "codigo": barra})
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
        conexion.execute(insert(t.codigos_barra), barras)
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


def _plan(engine: Engine, esperados: list[str], **filtros: Any) -> list[str]:
    """The plan of the statement the repository runs for one page with `filtros` (which
    finds `esperados`): SQLite's steps, PostgreSQL's lines, MariaDB's rows as text."""
    with _sentencias(engine) as vistas, engine.connect() as conexion:
        encontrados = RepositorioCatalogoSql(conexion).productos(100, 0, **filtros)
    assert [p.codigo for p in encontrados] == esperados
    (sentencia, parametros) = next(v for v in vistas if "FROM productos" in v[0])
    dialecto = engine.dialect.name
    explicar = "EXPLAIN QUERY PLAN " if dialecto == "sqlite" else "EXPLAIN "
    with engine.connect() as conexion:
        filas = conexion.exec_driver_sql(explicar + sentencia, parametros).all()
    if dialecto == "sqlite":
        return [fila[3] for fila in filas]
    if dialecto == "postgresql":
        return [fila[0] for fila in filas]
    return [repr(dict(fila._mapping)) for fila in filas]


# (filters, what they find): one word, two, a product code, a barcode.
PALABRAS = (({"buscar": "cafe"}, 1), ({"buscar": "CAFÉ mol"}, 2))
CAFES = ["P-07001", "P-15003"]
CODIGOS = ({"codigo": "P-12345"}, {"codigo": "7860000012345"})


def _analizar(engine: Engine) -> None:
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conexion:
        for tabla in ("productos", "codigos_barra", "palabras_producto"):
            if engine.dialect.name in ("mysql", "mariadb"):
                conexion.exec_driver_sql(f"ANALYZE TABLE {tabla}").all()
            else:
                conexion.exec_driver_sql(f"ANALYZE {tabla}")


@pytest.mark.parametrize("url_base", ["sqlite"], indirect=True)
def test_sqlite_busca_por_los_indices(engine: Engine) -> None:
    _sembrar(engine)
    _analizar(engine)
    for filtros, palabras in PALABRAS:
        plan = _plan(engine, CAFES, **filtros)
        rangos = [
            paso
            for paso in plan
            if paso.startswith("SEARCH palabras_producto USING ")
            and "sqlite_autoindex_palabras_producto_1 (palabra>? AND palabra<?)" in paso
        ]
        assert len(rangos) == palabras, plan
        assert not [p for p in plan if p.startswith("SCAN palabras_producto")], plan
    for filtros in CODIGOS:
        plan = _plan(engine, ["P-12345"], **filtros)
        assert not [p for p in plan if p.startswith("SCAN ")], plan
        assert any(p.startswith("SEARCH productos") and "(codigo=?)" in p for p in plan), plan
        assert any(p.startswith("SEARCH codigos_barra") and "(codigo=?)" in p for p in plan), plan


@pytest.mark.parametrize("url_base", ["postgresql"], indirect=True)
def test_postgresql_busca_por_los_indices(engine: Engine) -> None:
    _sembrar(engine)
    _analizar(engine)
    for filtros, palabras in PALABRAS:
        plan = "\n".join(_plan(engine, CAFES, **filtros))
        # One range over the key per word typed, as the index's condition (an index, index
        # only or bitmap scan, whichever the statistics make cheaper).
        escaneos = re.findall(
            r"(?:Index Scan using|Index Only Scan using|Bitmap Index Scan on)"
            r" pk_palabras_producto",
            plan,
        )
        assert len(escaneos) == palabras, plan
        rangos = re.findall(r"Index Cond: \(\(+palabra\)?(?:::text)? >= '\w+'", plan)
        assert len(rangos) == palabras, plan
        assert "Seq Scan on palabras_producto" not in plan, plan
        # Never a probe of a word's whole range for each product another word found.
        assert "producto_id = " not in plan, plan
    for filtros in CODIGOS:
        plan = "\n".join(_plan(engine, ["P-12345"], **filtros))
        # Both the code and the barcode's owner looked up in an index, not checked row by
        # row over every product (a Filter with a SubPlan, or a sequential scan).
        assert "Seq Scan" not in plan, plan
        assert "SubPlan" not in plan, plan
        assert "Index Cond: ((codigo)::text = " in plan, plan
        assert "Index Cond: ((id)::text = " in plan, plan


@pytest.mark.parametrize("url_base", ["mariadb"], indirect=True)
def test_mariadb_busca_por_los_indices(engine: Engine) -> None:
    _sembrar(engine)
    _analizar(engine)
    for filtros, _ in PALABRAS:
        plan = _plan(engine, CAFES, **filtros)
        # One pass over the words of all the ranges (materialized, then joined).
        de_palabras = [paso for paso in plan if "'table': 'palabras_producto'" in paso]
        assert len(de_palabras) == 1, plan
        assert all(
            "'key': 'PRIMARY'" in paso and re.search(r"'type': '(range|ref)'", paso)
            for paso in de_palabras
        ), plan
    for filtros in CODIGOS:
        plan = _plan(engine, ["P-12345"], **filtros)
        de_productos = [paso for paso in plan if "'table': 'productos'" in paso]
        assert de_productos, plan
        # Never every row ('ALL') nor every index entry ('index').
        assert all(
            re.search(r"'type': '(range|ref|const|eq_ref|index_merge)'", p) for p in de_productos
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
