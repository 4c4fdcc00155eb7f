"""The catalog: the emisor, its sucursales, puntos de emisión and bodegas, the products
sold and the clientes. Each entry is validated by its domain entity; an entry that names
another one (a punto's or a bodega's sucursal) must name an existing one."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from prometeo.application.comandos import (
    CambiarActivo,
    CrearBodega,
    CrearCliente,
    CrearProducto,
    CrearPuntoEmision,
    CrearSucursal,
    ModificarCliente,
    ModificarProducto,
    RegistrarEmisor,
)
from prometeo.application.resultados import Registrado
from prometeo.application.servicios.base import ServicioAplicacion, nuevo_id
from prometeo.application.unidad_de_trabajo import Metadatos, UnidadDeTrabajo
from prometeo.domain.entities.cambios import CambioCatalogo, campos_cambiados
from prometeo.domain.entities.campos import booleano
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
    refused by the catalog (Duplicado). Every creation and change is kept in the
    catalog's history with who made it and when; documents already emitted never change
    with the catalog (they carry their own copy of what they sold and to whom)."""

    def _cambio(
        self, uow: UnidadDeTrabajo, entidad: str, antes: object | None, despues: Any
    ) -> CambioCatalogo | None:
        """The change from `antes` to `despues` as the history keeps it (None: nothing
        changed)."""
        campos = campos_cambiados(antes, despues)
        if not campos:
            return None
        return CambioCatalogo(
            entidad,
            despues.id,
            campos,
            uow.metadatos.usuario,
            self._reloj.ahora(),
            uow.metadatos.token_id,
        )

    def _creado(self, uow: UnidadDeTrabajo, entidad: str, creada: object) -> None:
        cambio = self._cambio(uow, entidad, None, creada)
        assert cambio is not None  # a creation names every field
        uow.catalogo.registrar_cambio(cambio)

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
            self._creado(uow, "sucursal", sucursal)
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
            self._creado(uow, "punto_emision", punto)
            return Registrado(punto.id)

        return self._ejecutar(operacion, metadatos)

    def crear_bodega(self, cmd: CrearBodega, metadatos: Metadatos | None = None) -> Registrado:
        bodega = Bodega(nuevo_id(cmd.bodega_id), cmd.sucursal_id, cmd.codigo, cmd.nombre)

        def operacion(uow: UnidadDeTrabajo) -> Registrado:
            uow.catalogo.sucursal(bodega.sucursal_id)
            uow.catalogo.agregar_bodega(bodega)
            self._creado(uow, "bodega", bodega)
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
            self._creado(uow, "producto", producto)
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
            self._creado(uow, "cliente", cliente)
            return Registrado(cliente.id, identificacion.advertencias)

        return self._ejecutar(operacion, metadatos)

    def modificar_producto(
        self, cmd: ModificarProducto, metadatos: Metadatos | None = None
    ) -> Registrado:
        """Change a product's price, name, tarifa (from a day), minimum, barcodes, unit
        or whether it is sold at all; every broken rule reported at once."""

        def operacion(uow: UnidadDeTrabajo) -> Registrado:
            actual = uow.catalogo.producto(cmd.producto_id)
            nuevo = actual.modificado(
                self._reloj.hoy(),
                precio=cmd.precio,
                nombre=cmd.nombre,
                tarifa_iva=cmd.tarifa_iva,
                vigente_desde=cmd.vigente_desde,
                stock_minimo=cmd.stock_minimo,
                codigos_barra=cmd.codigos_barra,
                unidad_medida=cmd.unidad_medida,
                activo=cmd.activo,
            )
            # A programmed tarifa whose day came is not a change of this request.
            self._guardar(
                uow,
                "producto",
                actual.vigente(self._reloj.hoy()),
                nuevo,
                uow.catalogo.actualizar_producto,
            )
            return Registrado(nuevo.id)

        return self._ejecutar(operacion, metadatos)

    def modificar_cliente(
        self, cmd: ModificarCliente, metadatos: Metadatos | None = None
    ) -> Registrado:
        """Change a cliente's address, email or phone."""

        def operacion(uow: UnidadDeTrabajo) -> Registrado:
            actual = uow.catalogo.cliente(cmd.cliente_id)
            nuevo = actual.modificado(
                direccion=cmd.direccion, email=cmd.email, telefono=cmd.telefono
            )
            self._guardar(uow, "cliente", actual, nuevo, uow.catalogo.actualizar_cliente)
            return Registrado(nuevo.id)

        return self._ejecutar(operacion, metadatos)

    def cambiar_activo(self, cmd: CambiarActivo, metadatos: Metadatos | None = None) -> Registrado:
        """Deactivate (or activate again) a sucursal, a punto de emisión or a bodega: an
        inactive one sells and receives nothing from then on; what it did stays."""
        activo = booleano(cmd.activo, "ActivoValido", "Activo")

        def operacion(uow: UnidadDeTrabajo) -> Registrado:
            catalogo = uow.catalogo
            leer: Callable[[str], Any]
            guardar: Callable[[Any, CambioCatalogo], None]
            if cmd.entidad == "sucursal":
                leer, guardar = catalogo.sucursal, catalogo.actualizar_sucursal
            elif cmd.entidad == "punto_emision":
                leer, guardar = catalogo.punto_emision, catalogo.actualizar_punto_emision
            else:
                leer, guardar = catalogo.bodega, catalogo.actualizar_bodega
            actual = leer(cmd.entidad_id)
            self._guardar(uow, cmd.entidad, actual, replace(actual, activo=activo), guardar)
            return Registrado(cmd.entidad_id)

        return self._ejecutar(operacion, metadatos)

    def _guardar(
        self,
        uow: UnidadDeTrabajo,
        entidad: str,
        actual: object,
        nuevo: Any,
        actualizar: Callable[[Any, CambioCatalogo], None],
    ) -> None:
        """Store `nuevo` with its change; nothing at all when nothing changed."""
        cambio = self._cambio(uow, entidad, actual, nuevo)
        if cambio is not None:
            actualizar(nuevo, cambio)


def _secuenciales(valor: Mapping[str, int] | None) -> tuple[tuple[str, int], ...]:
    """The punto's initial secuenciales as the catalog keeps them (checked there)."""
    if valor is None:
        return ()
    if not isinstance(valor, Mapping):
        raise ValorInvalido(
            "SecuencialInicialValido", f"El secuencial inicial debe ser por tipo: {valor!r}"
        )
    return tuple(valor.items())
