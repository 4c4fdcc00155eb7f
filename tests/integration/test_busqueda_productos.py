"""Product search on every database: `buscar` (each word typed is the start of one of the
product's words, all of them required, accents and case ignored), `codigo` (the code or a
barcode, whole), `activo`, pages by code; the words follow a change; the migration fills
them in for products created before it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import sqlalchemy as sa
from alembic import command
from sqlalchemy import Engine

from bases_de_datos import todos_los_backends
from prometeo.domain.entities.cambios import CambioCatalogo, campos_cambiados
from prometeo.domain.entities.catalogo import Producto
from prometeo.domain.value_objects.dinero import Precio
from prometeo.infrastructure.db.catalogo import RepositorioCatalogoSql
from prometeo.infrastructure.db.migracion import configuracion_alembic, migrar

HOY = date(2026, 12, 6)


def _producto(id: str, codigo: str, nombre: str, *barras: str, activo: bool = True) -> Producto:
    return Producto(id, codigo, nombre, Precio("1.00"), "4", Decimal(0), barras, activo=activo)


def _agregar(engine: Engine, *productos: Producto) -> None:
    with engine.begin() as conexion:
        repositorio = RepositorioCatalogoSql(conexion)
        for producto in productos:
            repositorio.agregar_producto(producto)


def _codigos(
    engine: Engine, limite: int | None = None, desplazamiento: int = 0, **filtros: object
) -> list[str]:
    with engine.connect() as conexion:
        productos = RepositorioCatalogoSql(conexion).productos(
            limite,
            desplazamiento,
            **filtros,  # type: ignore[arg-type]
        )
    return [p.codigo for p in productos]


def _cambiar(engine: Engine, producto_id: str, **campos: object) -> None:
    with engine.begin() as conexion:
        repositorio = RepositorioCatalogoSql(conexion)
        antes = repositorio.producto(producto_id)
        despues = antes.modificado(HOY, **campos)
        cambio = CambioCatalogo(
            "producto", producto_id, campos_cambiados(antes, despues), "prueba", datetime.now(UTC)
        )
        repositorio.actualizar_producto(despues, cambio)


TIENDA = (
    _producto("molido", "CAF-01", "Café molido 500 g", "7861000000011"),
    _producto("grano", "CAF-02", "CAFÉ en grano", "7861000000028"),
    _producto("pina", "P-001", "Piña en almíbar", "7861234567890"),
    _producto("leche", "LEC", "Leche entera"),
    _producto("nino", "NIN", "Galletas Niño feliz"),
)


@todos_los_backends
def test_cada_palabra_es_el_comienzo_de_una_palabra_del_producto(engine: Engine) -> None:
    _agregar(engine, *TIENDA)
    assert _codigos(engine, buscar="cafe") == ["CAF-01", "CAF-02"]
    assert _codigos(engine, buscar="CAFÉ MOL") == ["CAF-01"]
    assert _codigos(engine, buscar="mol caf") == ["CAF-01"]  # in any order
    assert _codigos(engine, buscar="  Café,   GRANO!  ") == ["CAF-02"]
    assert _codigos(engine, buscar="cafe leche") == []  # every word, not any
    assert _codigos(engine, buscar="afe") == []  # the start of a word, not a part
    assert _codigos(engine, buscar="olido") == []
    for escrito in ("piña", "PIÑA", "pina", "almibar", "Almíbar"):
        assert _codigos(engine, buscar=escrito) == ["P-001"], escrito
    assert _codigos(engine, buscar="niño") == ["NIN"]
    assert _codigos(engine, buscar="NINO fel") == ["NIN"]
    assert _codigos(engine, buscar="500") == ["CAF-01"]
    # One word of the product may be the start of several words typed.
    assert _codigos(engine, buscar="caf cafe") == ["CAF-01", "CAF-02"]
    assert _codigos(engine, buscar="mo mol molido caf") == ["CAF-01"]
    assert _codigos(engine, buscar="molido moler") == []


@todos_los_backends
def test_el_codigo_y_los_codigos_de_barra_tambien_se_buscan(engine: Engine) -> None:
    _agregar(engine, *TIENDA)
    for escrito in ("p-001", "P-001", "p001", "P001", "001", "p 001", "p-00"):
        assert _codigos(engine, buscar=escrito) == ["P-001"], escrito
    assert _codigos(engine, buscar="caf") == ["CAF-01", "CAF-02"]
    assert _codigos(engine, buscar="caf-02") == ["CAF-02"]
    assert _codigos(engine, buscar="786123") == ["P-001"]  # the start of a barcode
    assert _codigos(engine, buscar="7861") == ["CAF-01", "CAF-02", "P-001"]
    # codigo=: what a scanner reads, whole: the code or any barcode.
    assert _codigos(engine, codigo="7861234567890") == ["P-001"]
    assert _codigos(engine, codigo=" 7861000000028 ") == ["CAF-02"]
    assert _codigos(engine, codigo="P-001") == ["P-001"]
    assert _codigos(engine, codigo="786123456789") == []
    assert _codigos(engine, codigo="78612345678901") == []
    assert _codigos(engine, codigo="7861234567890", buscar="cafe") == []


@todos_los_backends
def test_un_producto_cambiado_se_encuentra_por_lo_nuevo_y_no_por_lo_viejo(engine: Engine) -> None:
    _agregar(engine, *TIENDA)
    _cambiar(
        engine,
        "pina",
        nombre="Durazno en conserva",
        codigos_barra=("7869999999990", "7861234567890"),
    )
    _cambiar(engine, "grano", codigos_barra=())
    assert _codigos(engine, buscar="durazno conserva") == ["P-001"]
    assert _codigos(engine, buscar="piña") == []
    assert _codigos(engine, buscar="almibar") == []
    assert _codigos(engine, buscar="78699") == ["P-001"]
    assert _codigos(engine, codigo="7869999999990") == ["P-001"]
    assert _codigos(engine, codigo="7861234567890") == ["P-001"]  # kept, now second
    assert _codigos(engine, buscar="p001") == ["P-001"]  # the code never changes
    assert _codigos(engine, codigo="7861000000028") == []
    assert _codigos(engine, buscar="7861000000028") == []
    assert _codigos(engine, buscar="cafe grano") == ["CAF-02"]
    # The barcode the grano gave up can be another product's now.
    _cambiar(engine, "leche", codigos_barra=("7861000000028",), nombre="Leche deslactosada")
    assert _codigos(engine, codigo="7861000000028") == ["LEC"]
    assert _codigos(engine, buscar="leche entera") == []
    assert _codigos(engine, buscar="leche deslac") == ["LEC"]


@todos_los_backends
def test_activo_filtra_y_las_paginas_van_por_codigo_sin_repetir(engine: Engine) -> None:
    # Created out of order; every third one inactive.
    productos = [
        _producto(f"id-{n:02d}", f"T-{n:02d}", f"Tornillo {n} mm", activo=n % 3 != 0)
        for n in (17, 3, 25, 9, 1, 12, 21, 6, 14, 2, 19, 8, 23, 11, 5, 16, 4, 22, 10, 7)
    ]
    _agregar(engine, *productos, _producto("tuerca", "A-01", "Tuerca"))
    todos = sorted(p.codigo for p in productos)
    activos = sorted(p.codigo for p in productos if p.activo)
    assert _codigos(engine, buscar="tornillo") == todos
    assert _codigos(engine, buscar="tornillo", activo=True) == activos
    assert _codigos(engine, buscar="tornillo", activo=False) == sorted(set(todos) - set(activos))
    assert _codigos(engine, activo=False) == sorted(set(todos) - set(activos))
    for filtros in ({"buscar": "torn"}, {"buscar": "tornillo", "activo": True}, {}):
        esperado = _codigos(engine, **filtros)
        paginas = [_codigos(engine, 6, desde, **filtros) for desde in range(0, 30, 6)]
        assert all(len(p) == 6 for p in paginas[: len(esperado) // 6])
        assert [c for pagina in paginas for c in pagina] == esperado, filtros
    _cambiar(engine, "id-03", activo=True)
    assert "T-03" in _codigos(engine, buscar="tornillo", activo=True)


@todos_los_backends
def test_las_palabras_que_empiezan_por_z_o_9_estan_en_el_limite_del_rango(
    engine: Engine,
) -> None:
    # A prefix p is the range [p, p with its last character moved one up): "z" → "{" and
    # "9" → ":", characters no word has. Neighbours on both sides of each bound.
    _agregar(
        engine,
        _producto("zz", "ZZ", "zz"),
        _producto("zeta", "ZETA", "Zeta zz9"),
        _producto("zanahoria", "ZAN", "Zanahoria"),
        _producto("yuca", "YUC", "Yuca yz"),
        _producto("nueve", "N9", "9 vidas"),
        _producto("noventa", "N90", "Licor 90 grados"),
        _producto("ocho", "N8", "Pila 8z"),
        _producto("a1", "A1", "Salsa a1"),
    )
    assert _codigos(engine, buscar="z") == ["ZAN", "ZETA", "ZZ"]
    assert _codigos(engine, buscar="zz") == ["ZETA", "ZZ"]
    assert _codigos(engine, buscar="zz9") == ["ZETA"]
    assert _codigos(engine, buscar="zzz") == []
    assert _codigos(engine, buscar="y") == ["YUC"]
    assert _codigos(engine, buscar="yz") == ["YUC"]
    assert _codigos(engine, buscar="9") == ["N9", "N90"]
    assert _codigos(engine, buscar="90") == ["N90"]
    assert _codigos(engine, buscar="99") == []
    assert _codigos(engine, buscar="8") == ["N8"]
    assert _codigos(engine, buscar="a") == ["A1"]
    assert _codigos(engine, buscar="a1") == ["A1"]


@todos_los_backends
def test_una_palabra_mas_larga_que_lo_guardado_se_compara_por_su_comienzo(
    engine: Engine,
) -> None:
    largo = "Supercalifragilisticoespialidosamente" + "extraordinario"  # 51 letters
    _agregar(engine, _producto("largo", "LAR", f"Dulce {largo}"))
    assert _codigos(engine, buscar=largo) == ["LAR"]
    assert _codigos(engine, buscar=largo[:20]) == ["LAR"]


@todos_los_backends
def test_un_producto_sin_letras_ni_digitos_se_crea_y_se_encuentra_por_su_codigo(
    engine: Engine,
) -> None:
    # Its code and name have no word a search compares: it has no words, and it is still
    # created (nothing to index is not an error) and found by its code.
    _agregar(engine, _producto("te", "☕", "茶"), _producto("cafe", "CAF", "Café"))
    assert _codigos(engine, codigo="☕") == ["☕"]
    assert _codigos(engine, buscar="cafe") == ["CAF"]
    _cambiar(engine, "te", nombre="Té verde")
    assert _codigos(engine, buscar="te verde") == ["☕"]
    _cambiar(engine, "te", nombre="緑茶")
    assert _codigos(engine, buscar="te") == []
    # A search with no letter or digit names no word: it finds nothing, not everything.
    assert _codigos(engine, buscar="茶") == []
    assert _codigos(engine, buscar=" *** ") == []
    assert _codigos(engine, buscar="  ") == ["CAF", "☕"]


@todos_los_backends
def test_la_migracion_0016_llena_las_palabras_de_los_productos_existentes(
    engine: Engine,
) -> None:
    configuracion = configuracion_alembic()
    with engine.begin() as conexion:
        configuracion.attributes["connection"] = conexion
        command.downgrade(configuracion, "0015")
    productos = sa.table(
        "productos",
        *(sa.column(c) for c in ("id", "codigo", "nombre", "precio", "tarifa_iva")),
        sa.column("stock_minimo"),
    )
    barras = sa.table(
        "codigos_barra", *(sa.column(c) for c in ("producto_id", "posicion", "codigo"))
    )
    sucursales = sa.table(
        "sucursales", *(sa.column(c) for c in ("id", "codigo", "nombre", "direccion"))
    )
    puntos = sa.table("puntos_emision", *(sa.column(c) for c in ("id", "sucursal_id", "codigo")))
    with engine.begin() as conexion:
        # Rows other rows point at: SQLite must add the new columns without rebuilding.
        conexion.execute(
            sucursales.insert().values(id="s1", codigo="001", nombre="Matriz", direccion="Quito")
        )
        conexion.execute(puntos.insert().values(id="p1", sucursal_id="s1", codigo="001"))
        for id, codigo, nombre in (
            ("molido", "CAF-01", "Café molido"),
            ("pina", "P-001", "Piña en almíbar"),
            ("te", "☕", "茶"),
        ):
            conexion.execute(
                productos.insert().values(
                    id=id,
                    codigo=codigo,
                    nombre=nombre,
                    precio="1.00",
                    tarifa_iva="4",
                    stock_minimo="0",
                )
            )
        conexion.execute(
            barras.insert(),
            [
                {"producto_id": "pina", "posicion": 1, "codigo": "7861234567890"},
                {"producto_id": "pina", "posicion": 2, "codigo": "7869999999990"},
            ],
        )

    migrar(engine)
    assert _codigos(engine, buscar="CAFÉ MOL") == ["CAF-01"]
    assert _codigos(engine, buscar="pina almibar") == ["P-001"]
    assert _codigos(engine, buscar="p001") == ["P-001"]
    assert _codigos(engine, buscar="78699") == ["P-001"]
    assert _codigos(engine, codigo="7869999999990") == ["P-001"]
    # Every product stays active, whatever order a collation gives "☕".
    assert sorted(_codigos(engine, activo=True)) == ["CAF-01", "P-001", "☕"]
    with engine.connect() as conexion:
        repositorio = RepositorioCatalogoSql(conexion)
        assert repositorio.producto("pina").codigos_barra == ("7861234567890", "7869999999990")
        assert repositorio.sucursal("s1").activo
        assert repositorio.punto_emision("p1").activo

    # And back: the rows stay, without what 0016 added.
    with engine.begin() as conexion:
        configuracion.attributes["connection"] = conexion
        command.downgrade(configuracion, "0015")
    with engine.connect() as conexion:
        assert conexion.execute(sa.select(sa.func.count()).select_from(barras)).scalar() == 2
        assert "activo" not in {
            c["name"] for c in sa.inspect(conexion).get_columns("puntos_emision")
        }
