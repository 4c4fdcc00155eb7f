"""The catalog: the emisor, its sucursales, puntos de emisión and bodegas, the products
sold and the clientes. Each entry is validated by its domain entity; an entry that names
another one (a punto's or a bodega's sucursal) must name an existing one."""

from __future__ import annotations

from collections.abc import Mapping

from prometeo.application.comandos import (
    CrearBodega,
    CrearCliente,
    CrearProducto,
    CrearPuntoEmision,
    CrearSucursal,
    RegistrarEmisor,
)
from prometeo.application.resultados import Registrado
from prometeo.application.servicios.base import ServicioAplicacion, nuevo_id
from prometeo.application.unidad_de_trabajo import Metadatos, UnidadDeTrabajo
from prometeo.domain.entities.catalogo import (
    Bodega,
    Cliente,
    Emisor,
    Producto,
    PuntoDeEmision,
    Sucursal,
)
from prometeo.domain.errores import ValorInvalido
from prometeo.domain.value_objects.direccion import Direccion
from prometeo.domain.value_objects.identificacion import Ruc


class ServicioCatalogo(ServicioAplicacion):
    """Maintains the reference data documents are made of. A code already taken is
    refused by the catalog (Duplicado)."""

    def registrar_emisor(
        self, cmd: RegistrarEmisor, metadatos: Metadatos | None = None
    ) -> Registrado:
        """Register or replace the issuing company; its id is its RUC."""
        ruc = Ruc(cmd.ruc)
        emisor = Emisor(
            ruc,
            cmd.razon_social,
            cmd.nombre_comercial,
            Direccion(cmd.direccion_matriz),
            cmd.obligado_contabilidad,
            cmd.ambiente,
            cmd.contribuyente_especial,
            cmd.agente_retencion,
            cmd.regimen,
        )

        def operacion(uow: UnidadDeTrabajo) -> Registrado:
            uow.catalogo.guardar_emisor(emisor)
            return Registrado(ruc.numero, ruc.advertencias)

        return self._ejecutar(operacion, metadatos)

    def crear_sucursal(self, cmd: CrearSucursal, metadatos: Metadatos | None = None) -> Registrado:
        sucursal = Sucursal.nueva(nuevo_id(cmd.sucursal_id), cmd.codigo, cmd.nombre, cmd.direccion)

        def operacion(uow: UnidadDeTrabajo) -> Registrado:
            uow.catalogo.agregar_sucursal(sucursal)
            return Registrado(sucursal.id)

        return self._ejecutar(operacion, metadatos)

    def crear_punto_emision(
        self, cmd: CrearPuntoEmision, metadatos: Metadatos | None = None
    ) -> Registrado:
        punto = PuntoDeEmision(
            nuevo_id(cmd.punto_emision_id),
            cmd.sucursal_id,
            cmd.codigo,
            _secuenciales(cmd.siguiente_secuencial),
        )

        def operacion(uow: UnidadDeTrabajo) -> Registrado:
            uow.catalogo.sucursal(punto.sucursal_id)
            uow.catalogo.agregar_punto_emision(punto)
            return Registrado(punto.id)

        return self._ejecutar(operacion, metadatos)

    def crear_bodega(self, cmd: CrearBodega, metadatos: Metadatos | None = None) -> Registrado:
        bodega = Bodega(nuevo_id(cmd.bodega_id), cmd.sucursal_id, cmd.codigo, cmd.nombre)

        def operacion(uow: UnidadDeTrabajo) -> Registrado:
            uow.catalogo.sucursal(bodega.sucursal_id)
            uow.catalogo.agregar_bodega(bodega)
            return Registrado(bodega.id)

        return self._ejecutar(operacion, metadatos)

    def crear_producto(self, cmd: CrearProducto, metadatos: Metadatos | None = None) -> Registrado:
        producto = Producto.nuevo(
            nuevo_id(cmd.producto_id),
            cmd.codigo,
            cmd.nombre,
            cmd.precio,
            cmd.tarifa_iva,
            cmd.stock_minimo,
            tuple(cmd.codigos_barra),
            cmd.unidad_medida,
        )

        def operacion(uow: UnidadDeTrabajo) -> Registrado:
            uow.catalogo.agregar_producto(producto)
            return Registrado(producto.id)

        return self._ejecutar(operacion, metadatos)

    def crear_cliente(self, cmd: CrearCliente, metadatos: Metadatos | None = None) -> Registrado:
        """A cliente; a company RUC whose check digit fails is accepted with a warning."""
        cliente = Cliente.nuevo(
            nuevo_id(cmd.cliente_id),
            cmd.tipo_identificacion,
            cmd.identificacion,
            cmd.razon_social,
            cmd.direccion,
            cmd.email,
            cmd.telefono,
        )
        identificacion = cliente.identificacion

        def operacion(uow: UnidadDeTrabajo) -> Registrado:
            uow.catalogo.agregar_cliente(cliente)
            return Registrado(cliente.id, identificacion.advertencias)

        return self._ejecutar(operacion, metadatos)


def _secuenciales(valor: Mapping[str, int] | None) -> tuple[tuple[str, int], ...]:
    """The punto's initial secuenciales as the catalog keeps them (checked there)."""
    if valor is None:
        return ()
    if not isinstance(valor, Mapping):
        raise ValorInvalido(
            "SecuencialInicialValido", f"El secuencial inicial debe ser por tipo: {valor!r}"
        )
    return tuple(valor.items())
