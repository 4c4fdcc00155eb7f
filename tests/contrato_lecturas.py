"""Contract suites of the ports the entry points read through: the catalog's views
(ConsultasCatalogo) and the token registry (RegistroTokens). A test module subclasses a
suite as `Test...` and provides its fixtures; the fakes and the SQL adapters run the same
suite, so a test that passes on a fake means the same on the real thing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from prometeo.application.acceso import ADMIN, Portador, RegistroTokens, Rol
from prometeo.application.consultas import (
    BodegaVista,
    ClienteVista,
    ConsultasCatalogo,
    EmisorVista,
    ProductoVista,
    PuntoEmisionVista,
    SucursalVista,
)
from prometeo.domain.entities.catalogo import (
    Bodega,
    Cliente,
    Emisor,
    Producto,
    PuntoDeEmision,
    Sucursal,
)
from prometeo.domain.errores import Duplicado, NoEncontrado, ValorInvalido
from prometeo.domain.repositories import RepositorioCatalogo
from prometeo.domain.value_objects.dinero import Precio
from prometeo.domain.value_objects.direccion import Direccion
from prometeo.domain.value_objects.identificacion import Ruc, crear_identificacion

# A company RUC whose check digit fails: accepted, with a warning.
RUC_CON_ADVERTENCIA = "1791234567001"
TOKEN_ADMIN = "admin-del-contrato-0123456789abcdefghij"

# Stores catalog entities the way the implementation under test will read them.
Sembrar = Callable[[Callable[[RepositorioCatalogo], None]], None]


def sembrar_tienda(catalogo: RepositorioCatalogo) -> None:
    """Two sucursales (inserted out of code order), their puntos and bodegas, products and
    clientes, each list inserted out of the order it is read in."""
    catalogo.guardar_emisor(
        Emisor(
            Ruc(RUC_CON_ADVERTENCIA),
            "Comercial Andina S.A.",
            "Andina",
            Direccion("Av. Amazonas, Quito"),
            True,
            "1",
        )
    )
    catalogo.agregar_sucursal(Sucursal("s2", "002", "Guayaquil", Direccion("9 de Octubre")))
    catalogo.agregar_sucursal(Sucursal("s1", "001", "Matriz", Direccion("Amazonas")))
    catalogo.agregar_punto_emision(PuntoDeEmision("p12", "s1", "002"))
    catalogo.agregar_punto_emision(PuntoDeEmision("p11", "s1", "001"))
    catalogo.agregar_punto_emision(PuntoDeEmision("p21", "s2", "001"))
    catalogo.agregar_bodega(Bodega("b2", "s2", "GYE", "Bodega Guayaquil"))
    catalogo.agregar_bodega(Bodega("b1", "s1", "QUI", "Bodega Quito"))
    catalogo.agregar_producto(
        Producto("pan", "PAN-6", "Pan de yuca", Precio("1.5"), "0", Decimal("2.5"))
    )
    catalogo.agregar_producto(Producto("cafe", "CAF-500", "Café", Precio("8.00"), "4"))
    catalogo.agregar_producto(
        Producto(
            "arroz",
            "ARR",
            "Arroz",
            Precio("1.20"),
            "0",
            codigos_barra=("7861234567890", "0012345678905", "ABC 1"),
            unidad_medida="kg",
        )
    )
    catalogo.agregar_cliente(
        Cliente(
            "c2", crear_identificacion("05", "0602910945"), "María Pérez", None, None, "0991234567"
        )
    )
    catalogo.agregar_cliente(
        Cliente(
            "c1",
            crear_identificacion("04", RUC_CON_ADVERTENCIA),
            "Ferretería El Constructor",
            Direccion("Av. 10 de Agosto"),
            "compras@example.com",
        )
    )


class ContratoConsultasCatalogo:
    """Subclasses provide `consultas` (empty at first) and `sembrar`."""

    @pytest.fixture
    def tienda(self, consultas: ConsultasCatalogo, sembrar: Sembrar) -> ConsultasCatalogo:
        sembrar(sembrar_tienda)
        return consultas

    def test_sin_catalogo_no_hay_nada(self, consultas: ConsultasCatalogo) -> None:
        with pytest.raises(NoEncontrado) as error:
            consultas.emisor()
        assert error.value.que == "el emisor"
        assert consultas.sucursales() == []
        assert consultas.bodegas() == []
        assert consultas.productos() == []
        assert consultas.clientes() == []

    def test_el_emisor_con_sus_advertencias(self, tienda: ConsultasCatalogo) -> None:
        emisor = tienda.emisor()
        assert emisor == EmisorVista(
            ruc=RUC_CON_ADVERTENCIA,
            razon_social="Comercial Andina S.A.",
            nombre_comercial="Andina",
            direccion_matriz="Av. Amazonas, Quito",
            obligado_contabilidad=True,
            ambiente="1",
            advertencias=Ruc(RUC_CON_ADVERTENCIA).advertencias,
        )
        assert emisor.advertencias

    def test_sucursales_por_codigo_y_por_id(self, tienda: ConsultasCatalogo) -> None:
        assert [s.id for s in tienda.sucursales()] == ["s1", "s2"]
        assert tienda.sucursal("s2") == SucursalVista("s2", "002", "Guayaquil", "9 de Octubre")

    def test_los_puntos_de_una_sucursal_por_codigo(self, tienda: ConsultasCatalogo) -> None:
        assert tienda.puntos_emision("s1") == [
            PuntoEmisionVista("p11", "s1", "001"),
            PuntoEmisionVista("p12", "s1", "002"),
        ]
        assert tienda.punto_emision("p21") == PuntoEmisionVista("p21", "s2", "001")

    def test_los_puntos_de_una_sucursal_que_no_existe_no_son_una_lista_vacia(
        self, tienda: ConsultasCatalogo
    ) -> None:
        with pytest.raises(NoEncontrado) as error:
            tienda.puntos_emision("nada")
        assert error.value.id == "nada"

    def test_bodegas_todas_o_de_una_sucursal(self, tienda: ConsultasCatalogo) -> None:
        quito = BodegaVista("b1", "s1", "QUI", "Bodega Quito")
        assert [b.id for b in tienda.bodegas()] == ["b2", "b1"]  # by código: GYE, QUI
        assert tienda.bodegas("s1") == [quito]
        assert tienda.bodegas("nada") == []
        assert tienda.bodega("b1") == quito

    def test_productos_por_codigo_con_decimales(self, tienda: ConsultasCatalogo) -> None:
        assert [p.id for p in tienda.productos()] == ["arroz", "cafe", "pan"]
        pan = tienda.producto("pan")
        assert pan == ProductoVista(
            "pan", "PAN-6", "Pan de yuca", Decimal("1.5"), "0", Decimal("2.5")
        )
        assert isinstance(pan.precio, Decimal)
        assert isinstance(pan.stock_minimo, Decimal)
        assert tienda.producto("cafe").stock_minimo == 0

    def test_codigos_de_barras_en_su_orden_y_unidad_de_medida(
        self, tienda: ConsultasCatalogo
    ) -> None:
        arroz = tienda.producto("arroz")
        assert arroz.codigos_barra == ("7861234567890", "0012345678905", "ABC 1")
        assert arroz.unidad_medida == "kg"
        assert tienda.productos()[0] == arroz
        assert (tienda.producto("pan").codigos_barra, tienda.producto("pan").unidad_medida) == (
            (),
            None,
        )

    def test_clientes_por_razon_social_y_por_identificacion(
        self, tienda: ConsultasCatalogo
    ) -> None:
        assert [c.id for c in tienda.clientes()] == ["c1", "c2"]
        assert [c.id for c in tienda.clientes(" 0602910945 ")] == ["c2"]
        assert tienda.clientes("0000000000") == []
        assert tienda.cliente("c2") == ClienteVista(
            "c2", "05", "0602910945", "María Pérez", None, None, (), "0991234567"
        )
        sociedad = tienda.cliente("c1")
        assert (sociedad.tipo_identificacion, sociedad.direccion, sociedad.email) == (
            "04",
            "Av. 10 de Agosto",
            "compras@example.com",
        )
        assert len(sociedad.advertencias) == 1

    def test_productos_y_clientes_por_paginas(self, tienda: ConsultasCatalogo) -> None:
        assert [p.id for p in tienda.productos(limite=2)] == ["arroz", "cafe"]
        assert [p.id for p in tienda.productos(limite=2, desplazamiento=2)] == ["pan"]
        assert tienda.productos(desplazamiento=3) == []
        # A page brings its own products' barcodes, and nobody else's.
        (arroz,) = tienda.productos(limite=1)
        assert arroz.codigos_barra == ("7861234567890", "0012345678905", "ABC 1")
        (pan,) = tienda.productos(limite=1, desplazamiento=2)
        assert pan.codigos_barra == ()
        assert [c.id for c in tienda.clientes(limite=1)] == ["c1"]
        assert [c.id for c in tienda.clientes(limite=1, desplazamiento=1)] == ["c2"]
        assert tienda.clientes("0602910945", desplazamiento=1) == []

    @pytest.mark.parametrize("leer", ["sucursal", "punto_emision", "bodega", "producto", "cliente"])
    def test_un_id_que_no_existe_es_no_encontrado(
        self, tienda: ConsultasCatalogo, leer: str
    ) -> None:
        with pytest.raises(NoEncontrado) as error:
            getattr(tienda, leer)("nada")
        assert error.value.id == "nada"


class RelojMovil:
    """A clock the test moves (expiry and revocation times)."""

    def __init__(self) -> None:
        self.momento = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)

    def ahora(self) -> datetime:
        return self.momento

    def avanzar(self, **cuanto: float) -> None:
        self.momento += timedelta(**cuanto)


class ContratoRegistroTokens:
    """Subclasses provide `registro`, built with TOKEN_ADMIN as the admin token and the
    clock `reloj.ahora`, and `registro_sin_admin`, built without one."""

    @pytest.fixture
    def reloj(self) -> RelojMovil:
        return RelojMovil()

    def test_un_token_emitido_nombra_a_su_portador(self, registro: RegistroTokens) -> None:
        emitido = registro.emitir("  caja 1  ", "cajero")
        assert (emitido.nombre, emitido.rol) == ("caja 1", Rol.CAJERO)
        assert registro.portador(emitido.token) == Portador("caja 1", Rol.CAJERO, emitido.id)
        assert not registro.es_admin(emitido.token)

    def test_cada_token_es_otro(self, registro: RegistroTokens) -> None:
        uno = registro.emitir("caja", Rol.CAJERO)
        otro = registro.emitir("contabilidad", Rol.CONTADOR)
        assert uno.token != otro.token
        assert uno.id != otro.id
        assert registro.portador(otro.token) == Portador("contabilidad", Rol.CONTADOR, otro.id)

    @pytest.mark.parametrize("repetido", ["caja", "CAJA", " Caja "])
    def test_los_nombres_no_se_repiten(self, registro: RegistroTokens, repetido: str) -> None:
        registro.emitir("caja", Rol.CAJERO)
        with pytest.raises(Duplicado) as error:
            registro.emitir(repetido, Rol.CONTADOR)
        assert error.value.regla == "NombreTokenUnico"
        assert [t.nombre for t in registro.listar()] == ["caja"]

    @pytest.mark.parametrize("nombre", ["admin", "ADMIN", " Admin "])
    def test_nadie_se_llama_como_el_token_admin(
        self, registro: RegistroTokens, nombre: str
    ) -> None:
        with pytest.raises(ValueError, match="PROMETEO_ADMIN_TOKEN"):
            registro.emitir(nombre, Rol.CAJERO)

    def test_un_token_desconocido_no_es_nadie(self, registro: RegistroTokens) -> None:
        registro.emitir("caja", Rol.CAJERO)
        assert registro.portador("desconocido") is None
        assert registro.portador("") is None

    def test_el_token_admin_se_reconoce_sin_guardarlo(self, registro: RegistroTokens) -> None:
        assert registro.es_admin(TOKEN_ADMIN)
        assert registro.portador(TOKEN_ADMIN) == ADMIN
        assert not registro.es_admin(TOKEN_ADMIN + "x")
        assert registro.listar() == []

    def test_sin_token_admin_nadie_es_admin(self, registro_sin_admin: RegistroTokens) -> None:
        assert not registro_sin_admin.es_admin(TOKEN_ADMIN)
        assert not registro_sin_admin.es_admin("")
        assert registro_sin_admin.portador(TOKEN_ADMIN) is None

    @pytest.mark.parametrize("nombre", ["", "   ", "dos\nlíneas", "x" * 101])
    def test_un_nombre_invalido_no_emite_nada(self, registro: RegistroTokens, nombre: str) -> None:
        with pytest.raises(ValueError, match="nombre del token"):
            registro.emitir(nombre, Rol.CAJERO)
        assert registro.listar() == []

    def test_un_rol_desconocido_no_emite_nada(self, registro: RegistroTokens) -> None:
        with pytest.raises(ValueError, match="gerente"):
            registro.emitir("caja", "gerente")

    def test_la_lista_dice_todo_menos_el_secreto(
        self, registro: RegistroTokens, reloj: RelojMovil
    ) -> None:
        vence = reloj.ahora() + timedelta(days=30)
        emitido = registro.emitir("caja", Rol.CAJERO, vence)
        (vista,) = registro.listar()
        assert (vista.id, vista.nombre, vista.rol) == (emitido.id, "caja", Rol.CAJERO)
        assert (vista.creado_en, vista.expira_en) == (reloj.ahora(), vence)
        assert (vista.revocado_en, vista.ultimo_uso) == (None, None)
        assert emitido.token not in repr(vista)

    def test_el_uso_se_anota(self, registro: RegistroTokens, reloj: RelojMovil) -> None:
        emitido = registro.emitir("caja", Rol.CAJERO)
        reloj.avanzar(minutes=5)
        assert registro.portador(emitido.token) is not None
        (vista,) = registro.listar()
        assert vista.ultimo_uso == reloj.ahora()

    def test_un_token_revocado_ya_no_vale(
        self, registro: RegistroTokens, reloj: RelojMovil
    ) -> None:
        emitido = registro.emitir("caja", Rol.CAJERO)
        otro = registro.emitir("bodega", Rol.BODEGUERO)
        revocado = registro.revocar(emitido.id)
        assert revocado.revocado_en == reloj.ahora()
        assert registro.portador(emitido.token) is None
        assert registro.portador(otro.token) is not None
        reloj.avanzar(hours=1)
        assert registro.revocar(emitido.id).revocado_en == revocado.revocado_en
        with pytest.raises(NoEncontrado):
            registro.revocar("no-existe")

    def test_un_token_vencido_ya_no_vale(self, registro: RegistroTokens, reloj: RelojMovil) -> None:
        emitido = registro.emitir("caja", Rol.CAJERO, reloj.ahora() + timedelta(hours=1))
        assert registro.portador(emitido.token) is not None
        reloj.avanzar(hours=1)
        assert registro.portador(emitido.token) is None

    def test_no_se_emite_un_token_ya_vencido(
        self, registro: RegistroTokens, reloj: RelojMovil
    ) -> None:
        with pytest.raises(ValorInvalido):
            registro.emitir("caja", Rol.CAJERO, reloj.ahora())
        assert registro.listar() == []
