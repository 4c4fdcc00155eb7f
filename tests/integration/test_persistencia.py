"""Snapshots, event-sourced repositories and the SQL unit of work, on every backend."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, ClassVar

import pytest
from sqlalchemy import Engine, insert, select, update

from bases_de_datos import todos_los_backends
from prometeo.application.unidad_de_trabajo import Metadatos
from prometeo.domain.aggregates.inventario import Inventario
from prometeo.domain.aggregates.secuencia import SecuenciaComprobantes
from prometeo.domain.entities.catalogo import Producto, Sucursal
from prometeo.domain.errores import Duplicado, NoEncontrado
from prometeo.domain.events.base import EventoDominio
from prometeo.domain.events.inventario import LoteIngresado
from prometeo.domain.value_objects.dinero import Cantidad, Precio
from prometeo.domain.value_objects.direccion import Direccion
from prometeo.domain.value_objects.numero_comprobante import TipoComprobante
from prometeo.infrastructure.db import tablas
from prometeo.infrastructure.db.almacen_eventos import almacen_eventos
from prometeo.infrastructure.db.snapshots import AlmacenSnapshotsSql, Snapshot
from prometeo.infrastructure.db.unidad_de_trabajo import UnidadDeTrabajoSql
from prometeo.infrastructure.serializacion import CodecEventos, CodecSnapshots, tipos_de_evento

pytestmark = todos_los_backends
HOY = date(2026, 11, 29)
STREAM_CAFE = f"inventario-{Inventario.id_para('cafe', 'b1')}"


def uow(engine: Engine, cada: int = 5, **kwargs: Any) -> UnidadDeTrabajoSql:
    kwargs.setdefault("codec_eventos", CodecEventos())
    return UnidadDeTrabajoSql(
        engine, codec_snapshots=CodecSnapshots(), snapshot_cada=cada, **kwargs
    )


def movimientos(engine: Engine, veces: int, cada: int = 5) -> None:
    """`veces` commands, each adding a lot and selling part of it (two events)."""
    for i in range(veces):
        with uow(engine, cada) as u:
            inventario = u.inventarios.obtener("cafe", "b1")
            inventario.ingresar(Cantidad(3), Precio(f"{i + 1}.25"), HOY)
            inventario.reducir(
                Cantidad(2), HOY, documento=f"F{i}", documento_id=f"f{i}", stock_minimo=Decimal(5)
            )
            u.commit()


def reproduccion_completa(engine: Engine) -> Inventario:
    codec = CodecEventos()
    with engine.connect() as conexion:
        almacenados = almacen_eventos(conexion).leer_stream(
            Inventario.id_para("cafe", "b1").join(["inventario-", ""])
        )
    return Inventario.reconstruir(
        Inventario.id_para("cafe", "b1"),
        [codec.decodificar(e.tipo, e.version_esquema, e.datos) for e in almacenados],
    )


def test_snapshot_store_guarda_solo_el_mas_reciente(engine: Engine) -> None:
    instante = datetime(2026, 11, 29, tzinfo=UTC)
    with engine.begin() as conexion:
        store = AlmacenSnapshotsSql(conexion)
        assert store.ultimo("s-1") is None
        store.guardar(Snapshot("s-1", 10, 1, '{"v":10}'), instante)
        store.guardar(Snapshot("s-1", 20, 1, '{"v":20}'), instante)
        store.guardar(Snapshot("s-1", 15, 1, '{"v":15}'), instante)
        assert store.ultimo("s-1") == Snapshot("s-1", 20, 1, '{"v":20}')


def test_carga_con_snapshot_y_cola_igual_a_reproduccion_completa(engine: Engine) -> None:
    movimientos(engine, 7)  # 7 × (ingreso + salida) + StockBajo events: several snapshots
    with engine.connect() as conexion:
        snapshot = AlmacenSnapshotsSql(conexion).ultimo(
            f"inventario-{Inventario.id_para('cafe', 'b1')}"
        )
    assert (snapshot is not None and snapshot.version % 5 != 0) or snapshot is not None
    with uow(engine) as u:
        cargado = u.inventarios.obtener("cafe", "b1")
    completo = reproduccion_completa(engine)
    assert cargado == completo
    assert cargado.version == completo.version
    assert cargado.lotes == completo.lotes
    assert cargado.stock == Decimal(7)


def test_snapshot_de_esquema_antiguo_se_ignora(engine: Engine) -> None:
    movimientos(engine, 4)
    with engine.begin() as conexion:
        conexion.execute(update(tablas.snapshots).values(version_esquema=0, datos="basura"))
    with uow(engine) as u:
        cargado = u.inventarios.obtener("cafe", "b1")
    assert cargado == reproduccion_completa(engine)


def test_unidad_de_trabajo_escribe_metadatos_y_confirmados(engine: Engine) -> None:
    metadatos = Metadatos(usuario="ana", correlation_id="corr-1", causation_id="cmd-1")
    with uow(engine, metadatos=metadatos) as u:
        u.inventarios.obtener("pan", "b1").ingresar(Cantidad(1), Precio(1), HOY)
        punto = u.secuencias.obtener("p1", TipoComprobante.FACTURA)
        punto.asignar_secuencial("001", "001", "f1")
        u.commit()
    assert [c.stream_id for c in u.confirmados] == ["inventario-pan-b1", "secuencia-p1-01"]
    assert [c.version for c in u.confirmados] == [1, 1]
    with engine.connect() as conexion:
        filas = conexion.execute(
            select(tablas.eventos.c.stream_id, tablas.eventos.c.metadatos).order_by(
                tablas.eventos.c.posicion
            )
        ).all()
    assert [f.stream_id for f in filas] == ["inventario-pan-b1", "secuencia-p1-01"]
    assert all(
        json.loads(f.metadatos)
        == {"usuario": "ana", "correlation_id": "corr-1", "causation_id": "cmd-1"}
        for f in filas
    )


def test_sin_commit_no_se_guarda_nada(engine: Engine) -> None:
    with uow(engine) as u:
        u.inventarios.obtener("pan", "b1").ingresar(Cantidad(1), Precio(1), HOY)

    def comando_que_falla() -> None:
        with uow(engine) as u:
            u.inventarios.obtener("pan", "b1").ingresar(Cantidad(1), Precio(1), HOY)
            raise RuntimeError("falla a mitad del comando")

    with pytest.raises(RuntimeError):
        comando_que_falla()
    with engine.connect() as conexion:
        assert almacen_eventos(conexion).ultima_posicion() == 0


def test_repositorios_nombran_lo_que_no_existe(engine: Engine) -> None:
    with uow(engine) as u:
        with pytest.raises(NoEncontrado):
            u.facturas.obtener("no-existe")
        with pytest.raises(NoEncontrado):
            u.notas_credito.obtener("no-existe")
        assert u.inventarios.obtener("x", "y").version == 0
        assert u.secuencias.obtener(
            "p", TipoComprobante.NOTA_CREDITO
        ) == SecuenciaComprobantes.para("p", TipoComprobante.NOTA_CREDITO)
        # The identity map hands out the same object twice within a unit of work.
        assert u.inventarios.obtener("x", "y") is u.inventarios.obtener("x", "y")


def test_catalogo_duplicado_deja_la_transaccion_usable(engine: Engine) -> None:
    with uow(engine) as u:
        u.catalogo.agregar_sucursal(Sucursal("s1", "001", "Matriz", Direccion("Quito")))
        with pytest.raises(Duplicado) as error:
            u.catalogo.agregar_sucursal(Sucursal("s2", "001", "Otra", Direccion("Quito")))
        assert error.value.regla == "SucursalUnica"
        u.catalogo.agregar_producto(
            Producto("p1", "CAF", "Café", Precio("2.50"), "4", Decimal("1.5"))
        )
        u.commit()
    with uow(engine) as u:
        assert u.catalogo.sucursal("s1").nombre == "Matriz"
        assert u.catalogo.producto("p1").precio == Precio("2.50")
        assert u.catalogo.producto("p1").stock_minimo == Decimal("1.5")
        with pytest.raises(NoEncontrado):
            u.catalogo.sucursal("s2")


@dataclass(frozen=True, slots=True, kw_only=True)
class PrecioCambiado(EventoDominio):
    """A test-only event whose v1 stored `precio` as cents (an int)."""

    VERSION_ESQUEMA: ClassVar[int] = 2
    producto_id: str
    precio: Decimal


def test_evento_antiguo_se_lee_con_su_upcaster_y_no_se_reescribe(engine: Engine) -> None:
    codec = CodecEventos({**tipos_de_evento(), "PrecioCambiado": PrecioCambiado})
    codec.registrar_upcaster(
        "PrecioCambiado",
        1,
        lambda d: {"producto_id": d["producto"], "precio": str(Decimal(d["centavos"]) / 100)},
    )
    v1 = '{"producto":"cafe","centavos":250}'
    with engine.begin() as conexion:
        conexion.execute(
            insert(tablas.eventos).values(
                posicion=1,
                evento_id="e1",
                stream_id="precio-cafe",
                tipo_stream="precio",
                version=1,
                tipo="PrecioCambiado",
                version_esquema=1,
                datos=v1,
                metadatos="{}",
                ocurrido_en=datetime(2026, 1, 1, tzinfo=UTC),
            )
        )
        conexion.execute(update(tablas.posicion_global).values(ultima=1))
    with engine.connect() as conexion:
        (almacenado,) = almacen_eventos(conexion).leer_stream("precio-cafe")
    evento = codec.decodificar(almacenado.tipo, almacenado.version_esquema, almacenado.datos)
    assert evento == PrecioCambiado(producto_id="cafe", precio=Decimal("2.50"))
    with engine.connect() as conexion:
        assert conexion.execute(select(tablas.eventos.c.datos)).scalar_one() == v1
    assert isinstance(
        CodecEventos().decodificar(
            "LoteIngresado",
            1,
            CodecEventos().codificar(
                LoteIngresado(
                    producto_id="p",
                    bodega_id="b",
                    lote_id="l",
                    fecha=HOY,
                    cantidad=Decimal(1),
                    costo_unitario=Decimal(1),
                    valor=Decimal("1.00"),
                )
            )[2],
        ),
        LoteIngresado,
    )
