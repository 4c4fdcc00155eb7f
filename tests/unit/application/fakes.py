"""In-memory adapters of the application's ports, subclassing the real ports (no mocks).

`AlmacenEnMemoria` plays the event store: streams of events with a version each, appended
atomically with an optimistic version check. `FakeUnidadDeTrabajo` hands out repositories
that rebuild aggregates from the stored events (so an uncommitted change is really
discarded) and stores, on commit, the new events of every aggregate it handed out."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TypeVar

from prometeo.application.acceso import (
    ADMIN,
    Portador,
    RegistroTokens,
    Rol,
    TokenEmitido,
    TokenVista,
    nombre_repetido,
    nombre_valido,
)
from prometeo.application.consultas import (
    BodegaVista,
    ClienteVista,
    ConsultasCatalogo,
    EmisorVista,
    ProductoVista,
    PuntoEmisionVista,
    SucursalVista,
    sin_emisor,
)
from prometeo.application.unidad_de_trabajo import EventoConfirmado, Metadatos, UnidadDeTrabajo
from prometeo.domain.aggregates.base import Agregado
from prometeo.domain.aggregates.factura import Factura
from prometeo.domain.aggregates.inventario import Inventario
from prometeo.domain.aggregates.nota_credito import NotaCredito
from prometeo.domain.aggregates.secuencia import SecuenciaComprobantes
from prometeo.domain.entities.cambios import CambioCatalogo, solo_campo
from prometeo.domain.entities.catalogo import (
    Bodega,
    Cliente,
    Emisor,
    Producto,
    PuntoDeEmision,
    Sucursal,
)
from prometeo.domain.errores import Duplicado, ErrorDeConcurrencia, NoEncontrado, ValorInvalido
from prometeo.domain.events.base import EventoDominio
from prometeo.domain.repositories import (
    RepositorioCatalogo,
    RepositorioFacturas,
    RepositorioInventarios,
    RepositorioNotasCredito,
    RepositorioSecuencias,
    segundo_de,
)
from prometeo.domain.value_objects.numero_comprobante import TipoComprobante

A = TypeVar("A", bound=Agregado)
T = TypeVar("T")
E = TypeVar("E")


@dataclass
class AlmacenEnMemoria:
    """The event store: streams, every committed transaction, the metadata of each event,
    and ways for a test to play a concurrent writer."""

    streams: dict[str, list[EventoDominio]] = field(default_factory=dict)
    transacciones: list[list[EventoConfirmado]] = field(default_factory=list)
    metadatos: list[tuple[EventoConfirmado, Metadatos]] = field(default_factory=list)
    # When each stored event was stored (the store's own clock; a test may set it).
    instantes: dict[str, list[datetime]] = field(default_factory=dict)
    ahora: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    _interferencias: list[Callable[[], None]] = field(default_factory=list)
    _conflictos: int = 0
    # The streams each attempt reserved before it ran (UnidadDeTrabajo.reservar).
    reservas: list[tuple[str, ...]] = field(default_factory=list)

    def version(self, stream_id: str) -> int:
        return len(self.streams.get(stream_id, ()))

    def eventos(self, stream_id: str) -> list[EventoDominio]:
        return list(self.streams.get(stream_id, ()))

    def interferir(self, accion: Callable[[], None]) -> None:
        """Another writer runs `accion` (which commits on its own) right before the next
        commit checks its versions, as if it had been faster."""
        self._interferencias.append(accion)

    def provocar_conflictos(self, veces: int) -> None:
        """The next `veces` commits find their streams moved by someone else."""
        self._conflictos = veces

    def antes_de_confirmar(self) -> None:
        if self._interferencias:
            self._interferencias.pop(0)()
        if self._conflictos:
            self._conflictos -= 1
            raise ErrorDeConcurrencia("Otro escritor modificó los streams (simulado)")

    def agregar(
        self,
        cambios: Sequence[tuple[str, int, Sequence[EventoDominio]]],
        metadatos: Metadatos,
    ) -> list[EventoConfirmado]:
        """Append to several streams atomically: all or nothing."""
        for stream_id, esperada, _ in cambios:
            if self.version(stream_id) != esperada:
                raise ErrorDeConcurrencia(
                    f"El stream {stream_id} está en la versión {self.version(stream_id)}; "
                    f"se esperaba {esperada}",
                    [stream_id],
                )
        confirmados = []
        instante = self.ahora()
        for stream_id, esperada, eventos in cambios:
            self.streams.setdefault(stream_id, []).extend(eventos)
            self.instantes.setdefault(stream_id, []).extend(instante for _ in eventos)
            for i, evento in enumerate(eventos, start=esperada + 1):
                confirmado = EventoConfirmado(stream_id, i, evento)
                confirmados.append(confirmado)
                self.metadatos.append((confirmado, metadatos))
        if confirmados:  # a catalog-only commit writes no event
            self.transacciones.append(confirmados)
        return confirmados

    def todos(self) -> list[EventoDominio]:
        return [c.evento for t in self.transacciones for c in t]


class CatalogoEnMemoria(RepositorioCatalogo):
    """Reference data in dicts; ids and codes unique, as the real catalog keeps them."""

    def __init__(self) -> None:
        self.emisor_: Emisor | None = None
        self.sucursales: dict[str, Sucursal] = {}
        self.puntos: dict[str, PuntoDeEmision] = {}
        self.bodegas: dict[str, Bodega] = {}
        self.productos_: dict[str, Producto] = {}
        self.clientes_: dict[str, Cliente] = {}
        self.historial_: list[CambioCatalogo] = []

    def copia(self) -> CatalogoEnMemoria:
        otro = CatalogoEnMemoria()
        otro.fusionar(self)
        return otro

    def fusionar(self, otro: CatalogoEnMemoria) -> None:
        """Take in what another copy (a unit of work's) holds."""
        self.emisor_ = otro.emisor_
        self.sucursales.update(otro.sucursales)
        self.puntos.update(otro.puntos)
        self.bodegas.update(otro.bodegas)
        self.productos_.update(otro.productos_)
        self.clientes_.update(otro.clientes_)
        self.historial_ = list(otro.historial_)

    def registrar_cambio(self, cambio: CambioCatalogo) -> int:
        numero = len(self.historial_) + 1
        self.historial_.append(replace(cambio, numero=numero))
        return numero

    def actualizar_producto(self, producto: Producto, cambio: CambioCatalogo) -> None:
        usados = {
            c for p in self.productos_.values() if p.id != producto.id for c in p.codigos_barra
        }
        if usados.intersection(producto.codigos_barra):
            raise Duplicado("CodigoBarraUnico", "Otro producto ya tiene ese código de barras")
        self._actualizar(self.productos_, producto, cambio)

    def actualizar_cliente(self, cliente: Cliente, cambio: CambioCatalogo) -> None:
        self._actualizar(self.clientes_, cliente, cambio)

    def actualizar_sucursal(self, sucursal: Sucursal, cambio: CambioCatalogo) -> None:
        self._actualizar(self.sucursales, sucursal, cambio)

    def actualizar_punto_emision(self, punto: PuntoDeEmision, cambio: CambioCatalogo) -> None:
        self._actualizar(self.puntos, punto, cambio)

    def actualizar_bodega(self, bodega: Bodega, cambio: CambioCatalogo) -> None:
        self._actualizar(self.bodegas, bodega, cambio)

    def _actualizar(self, tabla: dict[str, E], entidad: E, cambio: CambioCatalogo) -> None:
        id = entidad.id  # type: ignore[attr-defined]
        _buscar(tabla, id, cambio.entidad)
        self.registrar_cambio(cambio)
        tabla[id] = entidad

    def emisor(self) -> Emisor | None:
        return self.emisor_

    def guardar_emisor(self, emisor: Emisor) -> None:
        self.emisor_ = emisor

    def sucursal(self, sucursal_id: str) -> Sucursal:
        return _buscar(self.sucursales, sucursal_id, "sucursal")

    def agregar_sucursal(self, sucursal: Sucursal) -> None:
        choca = any(s.codigo == sucursal.codigo for s in self.sucursales.values())
        _exigir_unico(self.sucursales, sucursal.id, choca, "SucursalUnica", "esa sucursal")
        self.sucursales[sucursal.id] = sucursal

    def listar_sucursales(self) -> Sequence[Sucursal]:
        return sorted(self.sucursales.values(), key=lambda s: s.codigo)

    def listar_puntos_emision(self, sucursal_id: str | None = None) -> Sequence[PuntoDeEmision]:
        return sorted(
            (p for p in self.puntos.values() if sucursal_id in (None, p.sucursal_id)),
            key=lambda p: (p.sucursal_id, p.codigo),
        )

    def listar_bodegas(self, sucursal_id: str | None = None) -> Sequence[Bodega]:
        return sorted(
            (b for b in self.bodegas.values() if sucursal_id in (None, b.sucursal_id)),
            key=lambda b: b.codigo,
        )

    def punto_emision(self, punto_emision_id: str) -> PuntoDeEmision:
        return _buscar(self.puntos, punto_emision_id, "punto de emisión")

    def agregar_punto_emision(self, punto: PuntoDeEmision) -> None:
        clave = (punto.sucursal_id, punto.codigo)
        choca = any((p.sucursal_id, p.codigo) == clave for p in self.puntos.values())
        _exigir_unico(self.puntos, punto.id, choca, "PuntoEmisionUnico", "ese punto de emisión")
        self.puntos[punto.id] = punto

    def bodega(self, bodega_id: str) -> Bodega:
        return _buscar(self.bodegas, bodega_id, "bodega")

    def agregar_bodega(self, bodega: Bodega) -> None:
        choca = any(b.codigo == bodega.codigo for b in self.bodegas.values())
        _exigir_unico(self.bodegas, bodega.id, choca, "BodegaUnica", "esa bodega")
        self.bodegas[bodega.id] = bodega

    def producto(self, producto_id: str) -> Producto:
        return _buscar(self.productos_, producto_id, "producto")

    def productos(self) -> Sequence[Producto]:
        return list(self.productos_.values())

    def agregar_producto(self, producto: Producto) -> None:
        usados = {c for p in self.productos_.values() for c in p.codigos_barra}
        if usados.intersection(producto.codigos_barra):
            raise Duplicado("CodigoBarraUnico", "Otro producto ya tiene ese código de barras")
        choca = any(p.codigo == producto.codigo for p in self.productos_.values())
        _exigir_unico(self.productos_, producto.id, choca, "ProductoUnico", "ese producto")
        self.productos_[producto.id] = producto

    def cliente(self, cliente_id: str) -> Cliente:
        return _buscar(self.clientes_, cliente_id, "cliente")

    def clientes(self, identificacion: str | None = None) -> Sequence[Cliente]:
        return [
            c
            for c in self.clientes_.values()
            if identificacion is None or c.identificacion.numero == identificacion
        ]

    def agregar_cliente(self, cliente: Cliente) -> None:
        numero = cliente.identificacion.numero
        choca = any(c.identificacion.numero == numero for c in self.clientes_.values())
        _exigir_unico(self.clientes_, cliente.id, choca, "ClienteUnico", "ese cliente")
        self.clientes_[cliente.id] = cliente


class ConsultasCatalogoEnMemoria(ConsultasCatalogo):
    """The catalog's reads over a CatalogoEnMemoria, in the orders the port promises."""

    def __init__(self, catalogo: CatalogoEnMemoria) -> None:
        self.catalogo = catalogo

    def emisor(self) -> EmisorVista:
        if self.catalogo.emisor_ is None:
            raise sin_emisor()
        return EmisorVista.de(self.catalogo.emisor_)

    def sucursales(self) -> list[SucursalVista]:
        return [SucursalVista.de(s) for s in self.catalogo.listar_sucursales()]

    def sucursal(self, sucursal_id: str) -> SucursalVista:
        return SucursalVista.de(self.catalogo.sucursal(sucursal_id))

    def puntos_emision(self, sucursal_id: str) -> list[PuntoEmisionVista]:
        self.catalogo.sucursal(sucursal_id)
        puntos = self.catalogo.listar_puntos_emision(sucursal_id)
        return [PuntoEmisionVista.de(p) for p in puntos]

    def punto_emision(self, punto_emision_id: str) -> PuntoEmisionVista:
        return PuntoEmisionVista.de(self.catalogo.punto_emision(punto_emision_id))

    def bodegas(self, sucursal_id: str | None = None) -> list[BodegaVista]:
        return [BodegaVista.de(b) for b in self.catalogo.listar_bodegas(sucursal_id)]

    def bodega(self, bodega_id: str) -> BodegaVista:
        return BodegaVista.de(self.catalogo.bodega(bodega_id))

    def productos(
        self,
        limite: int = 100,
        desplazamiento: int = 0,
        *,
        codigo: str | None = None,
        buscar: str | None = None,
        activo: bool | None = None,
    ) -> list[ProductoVista]:
        # Whole words of the name only: the prefix search itself is the SQL adapter's.
        productos = sorted(
            (
                p
                for p in self.catalogo.productos()
                if codigo in (None, p.codigo, *p.codigos_barra)
                and activo in (None, p.activo)
                and all(w in p.nombre.lower().split() for w in (buscar or "").lower().split())
            ),
            key=lambda p: p.codigo,
        )
        return [ProductoVista.de(p) for p in productos[desplazamiento:][:limite]]

    def historial(
        self,
        entidad: str,
        entidad_id: str,
        limite: int = 100,
        desplazamiento: int = 0,
        campo: str | None = None,
    ) -> list[CambioCatalogo]:
        leer = {
            "producto": self.catalogo.producto,
            "cliente": self.catalogo.cliente,
            "sucursal": self.catalogo.sucursal,
            "punto_emision": self.catalogo.punto_emision,
            "bodega": self.catalogo.bodega,
        }[entidad]
        leer(entidad_id)  # NoEncontrado for an unknown entry
        de_la_entrada = [
            c
            for c in self.catalogo.historial_
            if (c.entidad, c.entidad_id) == (entidad, entidad_id)
        ]
        return solo_campo(de_la_entrada, campo)[desplazamiento:][:limite]

    def producto(self, producto_id: str) -> ProductoVista:
        return ProductoVista.de(self.catalogo.producto(producto_id))

    def clientes(
        self, identificacion: str | None = None, limite: int = 100, desplazamiento: int = 0
    ) -> list[ClienteVista]:
        buscada = None if identificacion is None else identificacion.strip()
        clientes = sorted(self.catalogo.clientes(buscada), key=lambda c: (c.razon_social, c.id))
        return [ClienteVista.de(c) for c in clientes[desplazamiento:][:limite]]

    def cliente(self, cliente_id: str) -> ClienteVista:
        return ClienteVista.de(self.catalogo.cliente(cliente_id))


class TokensEnMemoria(RegistroTokens):
    """Tokens in a dict (the real registry keeps only their hashes)."""

    def __init__(
        self,
        token_admin: str | None = None,
        reloj: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.token_admin = token_admin
        self._reloj = reloj
        self._por_token: dict[str, TokenVista] = {}

    def emitir(
        self, nombre: str, rol: Rol | str, expira_en: datetime | None = None
    ) -> TokenEmitido:
        rol = Rol(rol)
        nombre = nombre_valido(nombre)
        if any(v.nombre.casefold() == nombre.casefold() for v in self._por_token.values()):
            raise nombre_repetido(nombre)
        creado_en = self._reloj()
        if expira_en is not None and expira_en <= creado_en:
            raise ValorInvalido("ExpiracionFutura", "La expiración debe ser futura")
        token = f"token-{len(self._por_token) + 1}-{nombre}"
        token_id = f"id-{len(self._por_token) + 1}"
        self._por_token[token] = TokenVista(token_id, nombre, rol, creado_en, expira_en, None, None)
        return TokenEmitido(token, token_id, nombre, rol, creado_en, expira_en)

    def listar(self) -> list[TokenVista]:
        return list(self._por_token.values())

    def revocar(self, token_id: str) -> TokenVista:
        for token, vista in self._por_token.items():
            if vista.id == token_id:
                if vista.revocado_en is None:
                    vista = self._por_token[token] = replace(vista, revocado_en=self._reloj())
                return vista
        raise NoEncontrado("un token", token_id)

    def es_admin(self, token: str) -> bool:
        return bool(self.token_admin) and token == self.token_admin

    def portador(self, token: str) -> Portador | None:
        if self.es_admin(token):
            return ADMIN
        vista = self._por_token.get(token)
        ahora = self._reloj()
        if vista is None or vista.revocado_en is not None:
            return None
        if vista.expira_en is not None and vista.expira_en <= ahora:
            return None
        self._por_token[token] = replace(vista, ultimo_uso=ahora)
        return Portador(vista.nombre, vista.rol, vista.id)


def _buscar(tabla: Mapping[str, T], id: str, que: str) -> T:
    if id not in tabla:
        raise NoEncontrado(que, id)
    return tabla[id]


def _exigir_unico(tabla: Mapping[str, object], id: str, choca: bool, regla: str, que: str) -> None:
    if id in tabla or choca:
        raise Duplicado(regla, f"Ya existe {que} (id {id} o su código)")


class FakeUnidadDeTrabajo(UnidadDeTrabajo):
    """One transaction over the in-memory store. Aggregates are rebuilt from their
    events when first asked for, and the same instance is handed out again within the
    unit of work; commit appends their new events, streams in sorted order, checking
    that no stream moved since it was read."""

    def __init__(
        self,
        almacen: AlmacenEnMemoria,
        catalogo: CatalogoEnMemoria,
        metadatos: Metadatos | None = None,
    ) -> None:
        super().__init__(metadatos)
        self._almacen = almacen
        self._catalogo_confirmado = catalogo
        self._catalogo_de_trabajo = catalogo.copia()
        self.catalogo = self._catalogo_de_trabajo
        self._vistos: dict[str, Agregado] = {}
        self._leidas: dict[str, int] = {}
        self.facturas = FacturasEnMemoria(self)
        self.notas_credito = NotasCreditoEnMemoria(self)
        self.inventarios = InventariosEnMemoria(self)
        self.secuencias = SecuenciasEnMemoria(self)
        self.commits = 0
        self.rollbacks = 0

    @property
    def almacen(self) -> AlmacenEnMemoria:
        return self._almacen

    def cargar(self, clase: type[A], id: str) -> A | None:
        """The aggregate as stored (None if its stream is empty), tracked for commit."""
        stream_id = f"{clase.TIPO_STREAM}-{id}"
        if stream_id in self._vistos:
            visto = self._vistos[stream_id]
            assert isinstance(visto, clase)
            return visto
        eventos = self._almacen.eventos(stream_id)
        if not eventos:
            return None
        return self.seguir(clase.reconstruir(id, eventos))

    def seguir(self, agregado: A) -> A:
        """Track an aggregate: its version now is the one its stream must still have."""
        self._vistos.setdefault(agregado.stream_id, agregado)
        self._leidas.setdefault(
            agregado.stream_id, agregado.version - len(agregado.eventos_pendientes)
        )
        return agregado

    def reservar(self, streams: Sequence[str]) -> None:
        self._almacen.reservas.append(tuple(streams))

    def commit(self) -> None:
        self._almacen.antes_de_confirmar()
        cambios = [
            (stream_id, self._leidas[stream_id], agregado.eventos_pendientes)
            for stream_id, agregado in sorted(self._vistos.items())
            if agregado.eventos_pendientes
        ]
        self.confirmados = self._almacen.agregar(cambios, self.metadatos)
        for stream_id, agregado in self._vistos.items():
            agregado.recolectar_eventos()
            self._leidas[stream_id] = agregado.version
        self._catalogo_confirmado.fusionar(self._catalogo_de_trabajo)
        self.commits += 1

    def rollback(self) -> None:
        self.rollbacks += 1
        self._vistos.clear()
        self._leidas.clear()
        self._catalogo_de_trabajo = self._catalogo_confirmado.copia()
        self.catalogo = self._catalogo_de_trabajo


class FacturasEnMemoria(RepositorioFacturas):
    def __init__(self, uow: FakeUnidadDeTrabajo) -> None:
        self._uow = uow

    def obtener(self, factura_id: str) -> Factura:
        factura = self._uow.cargar(Factura, factura_id)
        if factura is None:
            raise NoEncontrado("factura", factura_id)
        return factura

    def agregar(self, factura: Factura) -> None:
        self._uow.seguir(factura)


class NotasCreditoEnMemoria(RepositorioNotasCredito):
    def __init__(self, uow: FakeUnidadDeTrabajo) -> None:
        self._uow = uow

    def obtener(self, nota_credito_id: str) -> NotaCredito:
        nota = self._uow.cargar(NotaCredito, nota_credito_id)
        if nota is None:
            raise NoEncontrado("nota de crédito", nota_credito_id)
        return nota

    def agregar(self, nota: NotaCredito) -> None:
        self._uow.seguir(nota)


class InventariosEnMemoria(RepositorioInventarios):
    def __init__(self, uow: FakeUnidadDeTrabajo) -> None:
        self._uow = uow

    def obtener(self, producto_id: str, bodega_id: str) -> Inventario:
        inventario = self._uow.cargar(Inventario, Inventario.id_para(producto_id, bodega_id))
        return inventario or self._uow.seguir(Inventario.para(producto_id, bodega_id))

    def al_instante(self, producto_id: str, bodega_id: str, instante: datetime) -> Inventario:
        id_ = Inventario.id_para(producto_id, bodega_id)
        stream_id = f"{Inventario.TIPO_STREAM}-{id_}"
        antes = segundo_de(instante)
        instantes = self._uow.almacen.instantes.get(stream_id, [])
        eventos = [
            evento
            for evento, cuando in zip(self._uow.almacen.eventos(stream_id), instantes, strict=True)
            if cuando < antes
        ]
        if not eventos:
            return Inventario.para(producto_id, bodega_id)
        return Inventario.reconstruir(id_, eventos)


class SecuenciasEnMemoria(RepositorioSecuencias):
    def __init__(self, uow: FakeUnidadDeTrabajo) -> None:
        self._uow = uow

    def obtener(self, punto_emision_id: str, tipo: TipoComprobante) -> SecuenciaComprobantes:
        punto = self._uow.cargar(
            SecuenciaComprobantes, SecuenciaComprobantes.id_para(punto_emision_id, tipo)
        )
        return punto or self._uow.seguir(SecuenciaComprobantes.para(punto_emision_id, tipo))
