"""The repository ports the application needs. Adapters (event-sourced or in memory for
tests) subclass these; the domain never knows how state is stored."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from datetime import UTC, datetime

from prometeo.domain.aggregates.factura import Factura
from prometeo.domain.aggregates.inventario import Inventario
from prometeo.domain.aggregates.nota_credito import NotaCredito
from prometeo.domain.aggregates.secuencia import SecuenciaComprobantes
from prometeo.domain.entities.cambios import CambioCatalogo
from prometeo.domain.entities.catalogo import (
    Bodega,
    Cliente,
    Emisor,
    Producto,
    PuntoDeEmision,
    Sucursal,
)
from prometeo.domain.value_objects.numero_comprobante import TipoComprobante


class RepositorioFacturas(ABC):
    @abstractmethod
    def obtener(self, factura_id: str) -> Factura:
        """The factura, or NoEncontrado."""

    @abstractmethod
    def agregar(self, factura: Factura) -> None:
        """Track a new factura so that the unit of work stores its events."""


class RepositorioNotasCredito(ABC):
    @abstractmethod
    def obtener(self, nota_credito_id: str) -> NotaCredito:
        """The nota de crédito, or NoEncontrado."""

    @abstractmethod
    def agregar(self, nota: NotaCredito) -> None:
        """Track a new nota de crédito."""


class RepositorioInventarios(ABC):
    @abstractmethod
    def obtener(self, producto_id: str, bodega_id: str) -> Inventario:
        """The inventario of a product in a bodega; an empty one if it never had stock."""

    @abstractmethod
    def al_instante(self, producto_id: str, bodega_id: str, instante: datetime) -> Inventario:
        """The inventario as the events stored before `instante` made it (its version
        counts them; an empty one with version 0 when none): a copy to read, never
        stored. Instants are compared at whole seconds, the coarsest precision a backend
        keeps an event's time with (MariaDB's DATETIME): an event stored during the second
        `instante` falls in counts as after it (see `segundo_de`)."""


class RepositorioSecuencias(ABC):
    @abstractmethod
    def obtener(self, punto_emision_id: str, tipo: TipoComprobante) -> SecuenciaComprobantes:
        """The numbering of a punto for a document type (empty before its first number)."""


class RepositorioCatalogo(ABC):
    """Reference data: stored as plain state, not as events. `agregar_*` raises Duplicado
    when a unique code is taken; lookups by id raise NoEncontrado. Every change of an
    entry (`actualizar_*`) is stored with its CambioCatalogo (who, when, what) in the
    same transaction: the catalog's history, readable, numbered in commit order."""

    @abstractmethod
    def registrar_cambio(self, cambio: CambioCatalogo) -> int:
        """Keep a change (or a creation) in the history; its number in commit order."""

    @abstractmethod
    def actualizar_producto(self, producto: Producto, cambio: CambioCatalogo) -> None:
        """Replace a product (its barcodes too; Duplicado when another product has one
        of them), keeping the change."""

    @abstractmethod
    def actualizar_cliente(self, cliente: Cliente, cambio: CambioCatalogo) -> None: ...

    @abstractmethod
    def actualizar_sucursal(self, sucursal: Sucursal, cambio: CambioCatalogo) -> None: ...

    @abstractmethod
    def actualizar_punto_emision(self, punto: PuntoDeEmision, cambio: CambioCatalogo) -> None: ...

    @abstractmethod
    def actualizar_bodega(self, bodega: Bodega, cambio: CambioCatalogo) -> None: ...

    @abstractmethod
    def emisor(self) -> Emisor | None: ...

    @abstractmethod
    def guardar_emisor(self, emisor: Emisor) -> None: ...

    @abstractmethod
    def sucursal(self, sucursal_id: str) -> Sucursal: ...

    @abstractmethod
    def agregar_sucursal(self, sucursal: Sucursal) -> None: ...

    @abstractmethod
    def listar_sucursales(self) -> Sequence[Sucursal]:
        """Every sucursal, by code."""

    @abstractmethod
    def punto_emision(self, punto_emision_id: str) -> PuntoDeEmision: ...

    @abstractmethod
    def agregar_punto_emision(self, punto: PuntoDeEmision) -> None: ...

    @abstractmethod
    def listar_puntos_emision(self, sucursal_id: str | None = None) -> Sequence[PuntoDeEmision]:
        """The puntos de emisión (of one sucursal, when given), by code."""

    @abstractmethod
    def bodega(self, bodega_id: str) -> Bodega: ...

    @abstractmethod
    def agregar_bodega(self, bodega: Bodega) -> None: ...

    @abstractmethod
    def listar_bodegas(self, sucursal_id: str | None = None) -> Sequence[Bodega]:
        """The bodegas (of one sucursal, when given), by code."""

    @abstractmethod
    def producto(self, producto_id: str) -> Producto: ...

    @abstractmethod
    def productos(self) -> Sequence[Producto]: ...

    @abstractmethod
    def agregar_producto(self, producto: Producto) -> None: ...

    @abstractmethod
    def cliente(self, cliente_id: str) -> Cliente: ...

    @abstractmethod
    def clientes(self, identificacion: str | None = None) -> Sequence[Cliente]: ...

    @abstractmethod
    def agregar_cliente(self, cliente: Cliente) -> None: ...


def segundo_de(instante: datetime) -> datetime:
    """The start of the second `instante` falls in, in UTC (a naive instant is taken as
    UTC): what `RepositorioInventarios.al_instante` compares stored times with."""
    if instante.tzinfo is None:
        instante = instante.replace(tzinfo=UTC)
    return instante.astimezone(UTC).replace(microsecond=0)
