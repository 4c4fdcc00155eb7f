"""What every UnidadDeTrabajo promises (application/unidad_de_trabajo.py), as one test suite.

`ContratoUnidadDeTrabajo` is abstract: each adapter subclasses it and says how to open a
unit of work over a fresh, empty store and how to read the metadata stored with a stream.
The in-memory fake runs it in tests/unit/application (`make unit`), the SQL unit of work
on SQLite, PostgreSQL and MariaDB in tests/integration. The tests speak only the port's
language (repositories, commit, rollback, `confirmados`) with the domain's real
aggregates, so a fake that passes them can stand in for the database in service tests."""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from prometeo.application.unidad_de_trabajo import EventoConfirmado, Metadatos, UnidadDeTrabajo
from prometeo.domain.aggregates.factura import Factura
from prometeo.domain.aggregates.inventario import Inventario
from prometeo.domain.aggregates.secuencia import SecuenciaComprobantes
from prometeo.domain.entities.catalogo import (
    Bodega,
    Cliente,
    Emisor,
    Producto,
    PuntoDeEmision,
    Sucursal,
)
from prometeo.domain.errores import Duplicado, ErrorDeConcurrencia, NoEncontrado
from prometeo.domain.value_objects.comprador import Comprador
from prometeo.domain.value_objects.dinero import Cantidad, Precio
from prometeo.domain.value_objects.direccion import Direccion
from prometeo.domain.value_objects.identificacion import Ruc, crear_identificacion
from prometeo.domain.value_objects.numero_comprobante import TipoComprobante
from prometeo.domain.value_objects.tarifa_iva import TarifaIva

HOY = date(2026, 11, 29)
FACTURA = TipoComprobante.FACTURA


def factura_nueva(factura_id: str, *productos: str) -> Factura:
    """A draft factura for the consumidor final with one line per product."""
    factura = Factura.crear(
        factura_id,
        punto_emision_id="punto-1",
        sucursal_id="sucursal-1",
        bodega_id="bodega-1",
        comprador=Comprador.consumidor_final(),
        fecha_emision=HOY,
    )
    for producto in productos:
        agregar_linea(factura, producto)
    return factura


def agregar_linea(factura: Factura, producto: str) -> None:
    factura.agregar_linea(
        producto_id=producto,
        codigo=producto.upper(),
        descripcion=f"Producto {producto}",
        cantidad=Cantidad("2"),
        precio_unitario=Precio("10.00"),
        tarifa_iva=TarifaIva.de_codigo("4"),
    )


def sucursal(id: str, codigo: str) -> Sucursal:
    return Sucursal(id, codigo, f"Sucursal {codigo}", Direccion("Av. Amazonas, Quito"))


def eventos_de(confirmados: list[EventoConfirmado], stream_id: str) -> list[object]:
    return [c.evento for c in confirmados if c.stream_id == stream_id]


class ContratoUnidadDeTrabajo(ABC):
    """The unit of work's promises. Subclasses (named Test...) give a fresh store per test."""

    @abstractmethod
    def unidad(self, metadatos: Metadatos | None = None) -> UnidadDeTrabajo:
        """A new unit of work over this test's store (not yet entered)."""

    @abstractmethod
    def metadatos_guardados(self, stream_id: str) -> list[Metadatos]:
        """The metadata stored with each event of a stream, by version."""

    # -- helpers ---------------------------------------------------------------------------

    def confirmar(self, *facturas: Factura) -> list[EventoConfirmado]:
        with self.unidad() as uow:
            for factura in facturas:
                uow.facturas.agregar(factura)
            uow.commit()
            return list(uow.confirmados)

    def ingresar(self, producto: str, cantidad: str) -> list[EventoConfirmado]:
        with self.unidad() as uow:
            uow.inventarios.obtener(producto, "b1").ingresar(Cantidad(cantidad), Precio(1), HOY)
            uow.commit()
            return list(uow.confirmados)

    def stock(self, producto: str) -> Decimal:
        with self.unidad() as uow:
            return uow.inventarios.obtener(producto, "b1").stock

    # -- the past of an inventario ----------------------------------------------------------

    def test_un_inventario_como_estaba_antes_de_un_instante(self) -> None:
        antes_de_todo = datetime.now(UTC) - timedelta(hours=1)
        self.ingresar("cafe", "3")
        # Stored times are compared at whole seconds: start a new one.
        time.sleep(1.02 - datetime.now(UTC).microsecond / 1e6)
        instante = datetime.now(UTC)
        self.ingresar("cafe", "4")

        with self.unidad() as uow:
            entonces = uow.inventarios.al_instante("cafe", "b1", instante)
            vacio = uow.inventarios.al_instante("cafe", "b1", antes_de_todo)
            ahora = uow.inventarios.al_instante("cafe", "b1", instante + timedelta(hours=1))
            actual = uow.inventarios.obtener("cafe", "b1")
            # A copy to read: it is not handed out as the inventario to write.
            assert uow.inventarios.obtener("cafe", "b1") is actual is not entonces
        assert (entonces.stock, entonces.version) == (3, 1)
        assert (vacio.stock, vacio.version, vacio.producto_id) == (0, 0, "cafe")
        assert ahora == actual
        assert (ahora.stock, ahora.version) == (7, 2)

    # -- commit ----------------------------------------------------------------------------

    def test_commit_guarda_lo_nuevo_de_cada_agregado_entregado(self) -> None:
        with self.unidad() as uow:
            uow.facturas.agregar(factura_nueva("f-1", "cafe", "pan"))
            uow.inventarios.obtener("cafe", "b1").ingresar(Cantidad(5), Precio("2.50"), HOY)
            uow.secuencias.obtener("p1", FACTURA).asignar_secuencial("001", "002", "f-1")
            uow.commit()
            confirmados = list(uow.confirmados)

        with self.unidad() as uow:
            factura = uow.facturas.obtener("f-1")
            inventario = uow.inventarios.obtener("cafe", "b1")
            secuencia = uow.secuencias.obtener("p1", FACTURA)
        assert factura == Factura.reconstruir("f-1", eventos_de(confirmados, "factura-f-1"))
        assert [ln.producto_id for ln in factura.lineas] == ["cafe", "pan"]
        assert factura.version == 3
        assert (inventario.stock, inventario.version) == (5, 1)
        assert inventario == Inventario.reconstruir(
            inventario.id, eventos_de(confirmados, inventario.stream_id)
        )
        assert secuencia.version == 1
        assert secuencia == SecuenciaComprobantes.reconstruir(
            secuencia.id, eventos_de(confirmados, secuencia.stream_id)
        )

    def test_confirmados_lista_lo_confirmado_en_el_orden_en_que_se_agrego(self) -> None:
        self.ingresar("cafe", "1")
        with self.unidad() as uow:
            assert uow.confirmados == []
            nueva = factura_nueva("f-9", "cafe")
            uow.facturas.agregar(nueva)
            inventario = uow.inventarios.obtener("cafe", "b1")
            inventario.ingresar(Cantidad(2), Precio(1), HOY)
            inventario.ingresar(Cantidad(3), Precio(1), HOY)
            otra = factura_nueva("f-1")
            uow.facturas.agregar(otra)
            pendientes = {a.stream_id: a.eventos_pendientes for a in (nueva, inventario, otra)}
            uow.commit()
            confirmados = list(uow.confirmados)

        # Streams in sorted order; each stream's versions continue where it was.
        assert [(c.stream_id, c.version) for c in confirmados] == [
            ("factura-f-1", 1),
            ("factura-f-9", 1),
            ("factura-f-9", 2),
            ("inventario-cafe-b1", 2),
            ("inventario-cafe-b1", 3),
        ]
        for stream_id, eventos in pendientes.items():
            assert tuple(eventos_de(confirmados, stream_id)) == eventos

    def test_un_commit_sin_cambios_no_confirma_eventos(self) -> None:
        with self.unidad() as uow:
            assert uow.inventarios.obtener("cafe", "b1").version == 0
            uow.commit()
            assert uow.confirmados == []
        assert self.stock("cafe") == 0

    def test_rollback_despues_de_commit_no_deshace_nada(self) -> None:
        with self.unidad() as uow:
            uow.inventarios.obtener("cafe", "b1").ingresar(Cantidad(4), Precio(1), HOY)
            uow.catalogo.agregar_sucursal(sucursal("s1", "001"))
            uow.commit()
            uow.rollback()
        with self.unidad() as uow:
            assert uow.inventarios.obtener("cafe", "b1").stock == 4
            assert uow.catalogo.sucursal("s1").codigo == "001"

    # -- leaving without commit ------------------------------------------------------------

    def test_salir_sin_commit_descarta_eventos_y_catalogo(self) -> None:
        self.ingresar("cafe", "3")
        with self.unidad() as uow:
            uow.inventarios.obtener("cafe", "b1").ingresar(Cantidad(7), Precio(1), HOY)
            uow.facturas.agregar(factura_nueva("f-1", "cafe"))
            uow.catalogo.agregar_sucursal(sucursal("s1", "001"))

        with self.unidad() as uow:
            inventario = uow.inventarios.obtener("cafe", "b1")
            assert (inventario.stock, inventario.version) == (3, 1)
            with pytest.raises(NoEncontrado):
                uow.facturas.obtener("f-1")
            with pytest.raises(NoEncontrado):
                uow.catalogo.sucursal("s1")
            assert uow.catalogo.listar_sucursales() == []

    def test_un_error_dentro_del_bloque_descarta_todo(self) -> None:
        def comando_que_falla() -> None:
            with self.unidad() as uow:
                uow.inventarios.obtener("cafe", "b1").ingresar(Cantidad(7), Precio(1), HOY)
                uow.catalogo.agregar_sucursal(sucursal("s1", "001"))
                raise RuntimeError("a medio comando")

        with pytest.raises(RuntimeError, match="a medio comando"):
            comando_que_falla()
        assert self.stock("cafe") == 0
        with self.unidad() as uow, pytest.raises(NoEncontrado):
            uow.catalogo.sucursal("s1")

    def test_dentro_de_una_unidad_cada_agregado_es_uno_solo(self) -> None:
        """The repositories hand out the same instance again, so two steps of a command
        that touch one aggregate record one history, not two competing ones."""
        self.ingresar("cafe", "3")
        with self.unidad() as uow:
            primero = uow.inventarios.obtener("cafe", "b1")
            primero.ingresar(Cantidad(1), Precio(1), HOY)
            segundo = uow.inventarios.obtener("cafe", "b1")
            assert segundo is primero
            segundo.ingresar(Cantidad(1), Precio(1), HOY)
            uow.commit()
            assert [c.version for c in uow.confirmados] == [2, 3]
        assert self.stock("cafe") == 5

    # -- concurrency -----------------------------------------------------------------------

    def test_un_agregado_nuevo_con_un_id_que_existe_es_conflicto(self) -> None:
        self.confirmar(factura_nueva("f-1", "cafe"))
        with self.unidad() as uow:
            uow.facturas.agregar(factura_nueva("f-1", "pan"))
            with pytest.raises(ErrorDeConcurrencia):
                uow.commit()
        with self.unidad() as uow:
            factura = uow.facturas.obtener("f-1")
        assert [ln.producto_id for ln in factura.lineas] == ["cafe"]

    def test_una_version_vieja_es_conflicto_y_no_guarda_nada(self) -> None:
        self.confirmar(factura_nueva("f-z", "cafe"))
        with self.unidad() as uow:
            vieja = uow.facturas.obtener("f-z")  # read, then left without commit
        with self.unidad() as uow:
            agregar_linea(uow.facturas.obtener("f-z"), "pan")  # someone else was faster
            uow.commit()

        agregar_linea(vieja, "te")
        with self.unidad() as uow:
            # Sorted before the stale stream, so appended first: it must go too.
            uow.facturas.agregar(factura_nueva("f-a", "cafe"))
            uow.inventarios.obtener("cafe", "b1").ingresar(Cantidad(9), Precio(1), HOY)
            uow.catalogo.agregar_sucursal(sucursal("s1", "001"))
            uow.facturas.agregar(vieja)
            with pytest.raises(ErrorDeConcurrencia):
                uow.commit()

        with self.unidad() as uow:
            with pytest.raises(NoEncontrado):
                uow.facturas.obtener("f-a")
            assert uow.inventarios.obtener("cafe", "b1").version == 0
            with pytest.raises(NoEncontrado):
                uow.catalogo.sucursal("s1")
            actual = uow.facturas.obtener("f-z")
            assert [ln.producto_id for ln in actual.lineas] == ["cafe", "pan"]
            # What a retry does: read again, change, commit.
            agregar_linea(actual, "te")
            uow.commit()
            assert [(c.stream_id, c.version) for c in uow.confirmados] == [("factura-f-z", 4)]

    # -- what the repositories give back ---------------------------------------------------

    def test_devuelven_lo_confirmado_despues_de_muchos_commits(self) -> None:
        """Whatever the adapter keeps in between (snapshots, a cache), a unit of work gets
        the aggregate its committed events describe, and never one left uncommitted."""
        confirmados: list[EventoConfirmado] = []
        for i in range(7):
            with self.unidad() as uow:
                inventario = uow.inventarios.obtener("cafe", "b1")
                inventario.ingresar(Cantidad(3), Precio(f"{i + 1}.25"), HOY)
                inventario.reducir(Cantidad(2), HOY, documento=f"F{i}", documento_id=f"f{i}")
                uow.commit()
                confirmados += uow.confirmados
            with self.unidad() as uow:  # an uncommitted change in between
                uow.inventarios.obtener("cafe", "b1").ingresar(Cantidad(100), Precio(1), HOY)

        esperado = Inventario.reconstruir(
            Inventario.id_para("cafe", "b1"), eventos_de(confirmados, "inventario-cafe-b1")
        )
        with self.unidad() as uow:
            inventario = uow.inventarios.obtener("cafe", "b1")
        assert inventario == esperado
        assert (inventario.stock, inventario.version) == (7, 14)

    def test_lo_que_no_existe(self) -> None:
        with self.unidad() as uow:
            with pytest.raises(NoEncontrado):
                uow.facturas.obtener("f-1")
            with pytest.raises(NoEncontrado):
                uow.notas_credito.obtener("n-1")
            inventario = uow.inventarios.obtener("cafe", "b1")
            assert (inventario.stock, inventario.version, inventario.existe) == (0, 0, False)
            assert uow.secuencias.obtener("p1", FACTURA).version == 0
            assert uow.catalogo.emisor() is None
            for buscar in (
                uow.catalogo.sucursal,
                uow.catalogo.punto_emision,
                uow.catalogo.bodega,
                uow.catalogo.producto,
                uow.catalogo.cliente,
            ):
                with pytest.raises(NoEncontrado):
                    buscar("x")

    # -- the catalog -----------------------------------------------------------------------

    def test_el_catalogo_se_confirma_con_los_eventos(self) -> None:
        emisor = Emisor(
            Ruc("1790011674001"),
            "Comercial Andina S.A.",
            "Andina",
            Direccion("Quito"),
            True,
            "1",
            contribuyente_especial="5368",
            agente_retencion="12",
            regimen="RIMPE_EMPRENDEDOR",
        )
        with self.unidad() as uow:
            uow.catalogo.guardar_emisor(emisor)
            uow.catalogo.agregar_sucursal(sucursal("s2", "002"))
            uow.catalogo.agregar_sucursal(sucursal("s1", "001"))
            uow.catalogo.agregar_punto_emision(
                PuntoDeEmision("p2", "s1", "002", (("01", 1500), ("04", 20)))
            )
            uow.catalogo.agregar_punto_emision(PuntoDeEmision("p1", "s1", "001"))
            uow.catalogo.agregar_punto_emision(PuntoDeEmision("p3", "s2", "001"))
            uow.catalogo.agregar_bodega(Bodega("b2", "s1", "B2", "Secundaria"))
            uow.catalogo.agregar_bodega(Bodega("b1", "s2", "B1", "Principal"))
            uow.catalogo.agregar_producto(Producto("cafe", "CAF", "Café", Precio("10.00"), "4"))
            uow.inventarios.obtener("cafe", "b1").ingresar(Cantidad(2), Precio(1), HOY)
            uow.commit()

        with self.unidad() as uow:
            catalogo = uow.catalogo
            assert catalogo.emisor() == emisor
            assert catalogo.punto_emision("p2").siguiente_secuencial == (("01", 1500), ("04", 20))
            assert catalogo.punto_emision("p1").siguiente_secuencial == ()
            assert catalogo.sucursal("s1") == sucursal("s1", "001")
            assert [s.id for s in catalogo.listar_sucursales()] == ["s1", "s2"]
            assert [p.id for p in catalogo.listar_puntos_emision()] == ["p1", "p2", "p3"]
            assert [p.id for p in catalogo.listar_puntos_emision("s2")] == ["p3"]
            assert [b.id for b in catalogo.listar_bodegas()] == ["b1", "b2"]
            assert [b.id for b in catalogo.listar_bodegas("s1")] == ["b2"]
            assert catalogo.producto("cafe").precio == Precio("10.00")
            assert [p.id for p in catalogo.productos()] == ["cafe"]
            assert uow.inventarios.obtener("cafe", "b1").stock == 2

    def test_un_duplicado_en_el_catalogo_no_estropea_la_unidad(self) -> None:
        with self.unidad() as uow:
            uow.catalogo.agregar_sucursal(sucursal("s1", "001"))
            uow.commit()
        with self.unidad() as uow:
            with pytest.raises(Duplicado):
                uow.catalogo.agregar_sucursal(sucursal("otra", "001"))
            with pytest.raises(Duplicado):
                uow.catalogo.agregar_sucursal(sucursal("s1", "009"))
            uow.catalogo.agregar_sucursal(sucursal("s2", "002"))
            uow.inventarios.obtener("cafe", "b1").ingresar(Cantidad(1), Precio(1), HOY)
            uow.commit()
        with self.unidad() as uow:
            assert [s.id for s in uow.catalogo.listar_sucursales()] == ["s1", "s2"]
            assert uow.catalogo.sucursal("s1").codigo == "001"
        assert self.stock("cafe") == 1

    def test_el_catalogo_exige_codigos_unicos(self) -> None:
        cedula = crear_identificacion("05", "0602910945")
        with self.unidad() as uow:
            catalogo = uow.catalogo
            catalogo.agregar_sucursal(sucursal("s1", "001"))
            catalogo.agregar_sucursal(sucursal("s2", "002"))
            catalogo.agregar_punto_emision(PuntoDeEmision("p1", "s1", "001"))
            catalogo.agregar_punto_emision(PuntoDeEmision("p2", "s2", "001"))  # other sucursal
            catalogo.agregar_bodega(Bodega("b1", "s1", "B1", "Principal"))
            catalogo.agregar_producto(
                Producto("cafe", "CAF", "Café", Precio("10.00"), "4", codigos_barra=("786", "01"))
            )
            catalogo.agregar_cliente(Cliente("c1", cedula, "María Pérez"))
            repetidos: list[Callable[[], None]] = [
                # A barcode names one product.
                lambda: catalogo.agregar_producto(
                    Producto("te", "TE", "Té", Precio(1), "4", codigos_barra=("02", "01"))
                ),
                lambda: catalogo.agregar_punto_emision(PuntoDeEmision("p3", "s1", "001")),
                lambda: catalogo.agregar_bodega(Bodega("b2", "s2", "B1", "Otra")),
                lambda: catalogo.agregar_producto(Producto("te", "CAF", "Té", Precio(1), "4")),
                lambda: catalogo.agregar_cliente(Cliente("c2", cedula, "Otra")),
            ]
            for repetido in repetidos:
                with pytest.raises(Duplicado):
                    repetido()
            uow.commit()

        with self.unidad() as uow:
            catalogo = uow.catalogo
            assert [p.id for p in catalogo.listar_puntos_emision()] == ["p1", "p2"]
            assert [b.id for b in catalogo.listar_bodegas()] == ["b1"]
            assert [p.id for p in catalogo.productos()] == ["cafe"]
            assert catalogo.producto("cafe").codigos_barra == ("786", "01")
            assert [c.id for c in catalogo.clientes("0602910945")] == ["c1"]
            assert catalogo.cliente("c1").identificacion == cedula
            assert catalogo.clientes("1790011674001") == []

    # -- metadata --------------------------------------------------------------------------

    def test_cada_evento_guarda_los_metadatos_de_su_unidad(self) -> None:
        quien = Metadatos(usuario="ana", correlation_id="pedido-7", causation_id="mensaje-3")
        with self.unidad(quien) as uow:
            uow.facturas.agregar(factura_nueva("f-1", "cafe"))
            uow.commit()
        sin_datos = self.unidad()
        with sin_datos as uow:
            agregar_linea(uow.facturas.obtener("f-1"), "pan")
            uow.commit()

        assert self.metadatos_guardados("factura-f-1") == [quien, quien, sin_datos.metadatos]
        assert sin_datos.metadatos.usuario == "sistema"
        assert sin_datos.metadatos.correlation_id != quien.correlation_id
