"""The catalog: emisor, sucursales, puntos de emisión, bodegas, productos, clientes.
Writes are for admin only; every role may read. Writes are commands like any other
(`Contexto.comando`, hilos.py) that answer with the entry as the catalog's reads show it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from prometeo.application.comandos import CambiarActivo
from prometeo.entrypoints.api.esquemas.catalogo import (
    ActivoEntrada,
    BodegaEntrada,
    BodegaRespuesta,
    CambioRespuesta,
    ClienteCambios,
    ClienteEntrada,
    ClienteRespuesta,
    EmisorEntrada,
    EmisorRespuesta,
    ListaBodegas,
    ListaCambios,
    ListaClientes,
    ListaProductos,
    ListaPuntosEmision,
    ListaSucursales,
    ProductoCambios,
    ProductoEntrada,
    ProductoRespuesta,
    PuntoEmisionEntrada,
    PuntoEmisionRespuesta,
    SucursalEntrada,
    SucursalRespuesta,
)
from prometeo.entrypoints.api.parametros import (
    PAGINADA,
    BodegaRuta,
    ClienteRuta,
    Desplazamiento,
    Limite,
    ProductoRuta,
    PuntoEmisionRuta,
    SucursalRuta,
)
from prometeo.entrypoints.api.seguridad import Administracion, Lectura

router = APIRouter(tags=["catálogo"])
SOLO_ADMIN = "Solo el rol admin."
HISTORIAL = (
    "Cada cambio (y la creación): quién, cuándo, y cada campo antes y después, del más "
    "antiguo al más reciente."
)
Campo = Annotated[
    str | None,
    Query(
        max_length=40,
        pattern=r"^[a-z_]+$",
        description="Solo los cambios de este campo (p. ej. `precio`: su historia de precios).",
    ),
]


def _historial(
    ctx: Lectura, entidad: str, id: str, campo: str | None, limite: int, desplazamiento: int
) -> ListaCambios:
    cambios = ctx.servicios.consultas.historial(entidad, id, limite, desplazamiento, campo)
    return ListaCambios(items=[CambioRespuesta.desde(c) for c in cambios])


@router.put("/emisor", summary="Registrar o reemplazar el emisor", description=SOLO_ADMIN)
async def registrar_emisor(cuerpo: EmisorEntrada, ctx: Administracion) -> EmisorRespuesta:
    def registrar() -> EmisorRespuesta:
        ctx.servicios.catalogo.registrar_emisor(cuerpo.a_comando(), ctx.metadatos)
        return EmisorRespuesta.desde(ctx.servicios.consultas.emisor())

    return await ctx.comando(registrar)


@router.get("/emisor", summary="El emisor registrado")
def consultar_emisor(ctx: Lectura) -> EmisorRespuesta:
    return EmisorRespuesta.desde(ctx.servicios.consultas.emisor())


@router.post("/sucursales", status_code=201, summary="Crear una sucursal", description=SOLO_ADMIN)
async def crear_sucursal(cuerpo: SucursalEntrada, ctx: Administracion) -> SucursalRespuesta:
    def crear() -> SucursalRespuesta:
        registrado = ctx.servicios.catalogo.crear_sucursal(cuerpo.a_comando(), ctx.metadatos)
        return SucursalRespuesta.desde(ctx.servicios.consultas.sucursal(registrado.id))

    return await ctx.comando(crear)


@router.get("/sucursales", summary="Todas las sucursales, por código")
def listar_sucursales(ctx: Lectura) -> ListaSucursales:
    sucursales = ctx.servicios.consultas.sucursales()
    return ListaSucursales(items=[SucursalRespuesta.desde(s) for s in sucursales])


@router.get(
    "/sucursales/{sucursal_id}/puntos-emision", summary="Los puntos de emisión de una sucursal"
)
def listar_puntos_emision(sucursal_id: SucursalRuta, ctx: Lectura) -> ListaPuntosEmision:
    puntos = ctx.servicios.consultas.puntos_emision(sucursal_id)  # 404 for an unknown sucursal
    return ListaPuntosEmision(items=[PuntoEmisionRespuesta.desde(p) for p in puntos])


@router.get("/bodegas", summary="Las bodegas, opcionalmente de una sucursal")
def listar_bodegas(
    ctx: Lectura,
    sucursal_id: Annotated[str | None, Query(max_length=100)] = None,
) -> ListaBodegas:
    bodegas = ctx.servicios.consultas.bodegas(sucursal_id)
    return ListaBodegas(items=[BodegaRespuesta.desde(b) for b in bodegas])


@router.get("/sucursales/{sucursal_id}", summary="Una sucursal")
def consultar_sucursal(sucursal_id: SucursalRuta, ctx: Lectura) -> SucursalRespuesta:
    return SucursalRespuesta.desde(ctx.servicios.consultas.sucursal(sucursal_id))


@router.patch(
    "/sucursales/{sucursal_id}",
    summary="Desactivar o activar una sucursal",
    description="Inactiva, ninguno de sus puntos emite y ninguna de sus bodegas vende ni "
    "recibe. " + SOLO_ADMIN,
)
async def modificar_sucursal(
    sucursal_id: SucursalRuta, cuerpo: ActivoEntrada, ctx: Administracion
) -> SucursalRespuesta:
    def cambiar() -> SucursalRespuesta:
        comando = CambiarActivo("sucursal", sucursal_id, cuerpo.activo)
        ctx.servicios.catalogo.cambiar_activo(comando, ctx.metadatos)
        return SucursalRespuesta.desde(ctx.servicios.consultas.sucursal(sucursal_id))

    return await ctx.comando(cambiar)


@router.get(
    "/sucursales/{sucursal_id}/historial",
    summary="Los cambios de una sucursal",
    description=HISTORIAL + PAGINADA,
)
def historial_sucursal(
    sucursal_id: SucursalRuta,
    ctx: Lectura,
    campo: Campo = None,
    limite: Limite = 100,
    desplazamiento: Desplazamiento = 0,
) -> ListaCambios:
    return _historial(ctx, "sucursal", sucursal_id, campo, limite, desplazamiento)


@router.post(
    "/sucursales/{sucursal_id}/puntos-emision",
    status_code=201,
    summary="Crear un punto de emisión en una sucursal",
    description=SOLO_ADMIN,
)
async def crear_punto_emision(
    sucursal_id: SucursalRuta, cuerpo: PuntoEmisionEntrada, ctx: Administracion
) -> PuntoEmisionRespuesta:
    def crear() -> PuntoEmisionRespuesta:
        comando = cuerpo.a_comando(sucursal_id)
        registrado = ctx.servicios.catalogo.crear_punto_emision(comando, ctx.metadatos)
        return PuntoEmisionRespuesta.desde(ctx.servicios.consultas.punto_emision(registrado.id))

    return await ctx.comando(crear)


@router.get("/puntos-emision/{punto_emision_id}", summary="Un punto de emisión")
def consultar_punto_emision(
    punto_emision_id: PuntoEmisionRuta, ctx: Lectura
) -> PuntoEmisionRespuesta:
    return PuntoEmisionRespuesta.desde(ctx.servicios.consultas.punto_emision(punto_emision_id))


@router.patch(
    "/puntos-emision/{punto_emision_id}",
    summary="Desactivar o activar un punto de emisión",
    description="Inactivo, no emite; sus números emitidos se conservan. " + SOLO_ADMIN,
)
async def modificar_punto_emision(
    punto_emision_id: PuntoEmisionRuta, cuerpo: ActivoEntrada, ctx: Administracion
) -> PuntoEmisionRespuesta:
    def cambiar() -> PuntoEmisionRespuesta:
        comando = CambiarActivo("punto_emision", punto_emision_id, cuerpo.activo)
        ctx.servicios.catalogo.cambiar_activo(comando, ctx.metadatos)
        return PuntoEmisionRespuesta.desde(ctx.servicios.consultas.punto_emision(punto_emision_id))

    return await ctx.comando(cambiar)


@router.get(
    "/puntos-emision/{punto_emision_id}/historial",
    summary="Los cambios de un punto de emisión",
    description=HISTORIAL + PAGINADA,
)
def historial_punto_emision(
    punto_emision_id: PuntoEmisionRuta,
    ctx: Lectura,
    campo: Campo = None,
    limite: Limite = 100,
    desplazamiento: Desplazamiento = 0,
) -> ListaCambios:
    return _historial(ctx, "punto_emision", punto_emision_id, campo, limite, desplazamiento)


@router.post("/bodegas", status_code=201, summary="Crear una bodega", description=SOLO_ADMIN)
async def crear_bodega(cuerpo: BodegaEntrada, ctx: Administracion) -> BodegaRespuesta:
    def crear() -> BodegaRespuesta:
        registrado = ctx.servicios.catalogo.crear_bodega(cuerpo.a_comando(), ctx.metadatos)
        return BodegaRespuesta.desde(ctx.servicios.consultas.bodega(registrado.id))

    return await ctx.comando(crear)


@router.get("/bodegas/{bodega_id}", summary="Una bodega")
def consultar_bodega(bodega_id: BodegaRuta, ctx: Lectura) -> BodegaRespuesta:
    return BodegaRespuesta.desde(ctx.servicios.consultas.bodega(bodega_id))


@router.patch(
    "/bodegas/{bodega_id}",
    summary="Desactivar o activar una bodega",
    description="Inactiva, no vende ni recibe (compras ni transferencias); su stock aún "
    "puede transferirse a otra bodega. " + SOLO_ADMIN,
)
async def modificar_bodega(
    bodega_id: BodegaRuta, cuerpo: ActivoEntrada, ctx: Administracion
) -> BodegaRespuesta:
    def cambiar() -> BodegaRespuesta:
        comando = CambiarActivo("bodega", bodega_id, cuerpo.activo)
        ctx.servicios.catalogo.cambiar_activo(comando, ctx.metadatos)
        return BodegaRespuesta.desde(ctx.servicios.consultas.bodega(bodega_id))

    return await ctx.comando(cambiar)


@router.get(
    "/bodegas/{bodega_id}/historial",
    summary="Los cambios de una bodega",
    description=HISTORIAL + PAGINADA,
)
def historial_bodega(
    bodega_id: BodegaRuta,
    ctx: Lectura,
    campo: Campo = None,
    limite: Limite = 100,
    desplazamiento: Desplazamiento = 0,
) -> ListaCambios:
    return _historial(ctx, "bodega", bodega_id, campo, limite, desplazamiento)


@router.post("/productos", status_code=201, summary="Crear un producto", description=SOLO_ADMIN)
async def crear_producto(cuerpo: ProductoEntrada, ctx: Administracion) -> ProductoRespuesta:
    def crear() -> ProductoRespuesta:
        registrado = ctx.servicios.catalogo.crear_producto(cuerpo.a_comando(), ctx.metadatos)
        return ProductoRespuesta.desde(ctx.servicios.consultas.producto(registrado.id))

    return await ctx.comando(crear)


@router.get(
    "/productos",
    summary="Los productos, por código; buscar por código, código de barras o nombre",
    description="`codigo`: el producto con ese código o código de barras (lo que da el "
    "lector). `buscar`: los que tienen, por cada palabra escrita, una palabra del nombre, "
    "del código o de un código de barras que empieza así (sin distinguir mayúsculas ni "
    "tildes: `cafe mol` encuentra «Café molido»)." + PAGINADA,
)
def listar_productos(
    ctx: Lectura,
    codigo: Annotated[
        str | None,
        Query(max_length=25, pattern=r"^[^\x00-\x1f\x7f]*$", examples=["TE-25"]),
    ] = None,
    buscar: Annotated[
        str | None,
        Query(max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$", examples=["te manz"]),
    ] = None,
    activo: Annotated[
        bool | None, Query(description="Solo los activos (true) o los inactivos (false).")
    ] = None,
    limite: Limite = 100,
    desplazamiento: Desplazamiento = 0,
) -> ListaProductos:
    productos = ctx.servicios.consultas.productos(
        limite, desplazamiento, codigo=codigo, buscar=buscar, activo=activo
    )
    return ListaProductos(items=[ProductoRespuesta.desde(p) for p in productos])


@router.get("/productos/{producto_id}", summary="Un producto")
def consultar_producto(producto_id: ProductoRuta, ctx: Lectura) -> ProductoRespuesta:
    return ProductoRespuesta.desde(ctx.servicios.consultas.producto(producto_id))


@router.patch(
    "/productos/{producto_id}",
    summary="Cambiar un producto",
    description="Precio, nombre, tarifa de IVA (desde un día), stock mínimo, códigos de "
    "barras, unidad de medida, activo. Lo que no se envía se conserva; los comprobantes ya "
    "emitidos no cambian (llevan su propia copia de lo que vendieron). " + SOLO_ADMIN,
)
async def modificar_producto(
    producto_id: ProductoRuta, cuerpo: ProductoCambios, ctx: Administracion
) -> ProductoRespuesta:
    comando = cuerpo.a_comando(producto_id)

    def cambiar() -> ProductoRespuesta:
        ctx.servicios.catalogo.modificar_producto(comando, ctx.metadatos)
        return ProductoRespuesta.desde(ctx.servicios.consultas.producto(producto_id))

    return await ctx.comando(cambiar)


@router.get(
    "/productos/{producto_id}/historial",
    summary="Los cambios de un producto (su historia de precios con campo=precio)",
    description=HISTORIAL + PAGINADA,
)
def historial_producto(
    producto_id: ProductoRuta,
    ctx: Lectura,
    campo: Campo = None,
    limite: Limite = 100,
    desplazamiento: Desplazamiento = 0,
) -> ListaCambios:
    return _historial(ctx, "producto", producto_id, campo, limite, desplazamiento)


@router.post(
    "/clientes",
    status_code=201,
    summary="Registrar un cliente",
    description="La cédula y el RUC de persona natural se validan con su dígito verificador; "
    "un RUC de sociedad o entidad pública cuyo dígito falla se acepta con `advertencias`. "
    + SOLO_ADMIN,
)
async def crear_cliente(cuerpo: ClienteEntrada, ctx: Administracion) -> ClienteRespuesta:
    def crear() -> ClienteRespuesta:
        registrado = ctx.servicios.catalogo.crear_cliente(cuerpo.a_comando(), ctx.metadatos)
        return ClienteRespuesta.desde(ctx.servicios.consultas.cliente(registrado.id))

    return await ctx.comando(crear)


@router.get(
    "/clientes",
    summary="Clientes, opcionalmente por identificación",
    description="Por razón social." + PAGINADA,
)
def listar_clientes(
    ctx: Lectura,
    identificacion: Annotated[
        str | None,
        Query(max_length=20, pattern=r"^[^\x00-\x1f\x7f]*$", examples=["0602910945"]),
    ] = None,
    limite: Limite = 100,
    desplazamiento: Desplazamiento = 0,
) -> ListaClientes:
    clientes = ctx.servicios.consultas.clientes(identificacion, limite, desplazamiento)
    return ListaClientes(items=[ClienteRespuesta.desde(c) for c in clientes])


@router.get("/clientes/{cliente_id}", summary="Un cliente")
def consultar_cliente(cliente_id: ClienteRuta, ctx: Lectura) -> ClienteRespuesta:
    return ClienteRespuesta.desde(ctx.servicios.consultas.cliente(cliente_id))


@router.patch(
    "/clientes/{cliente_id}",
    summary="Cambiar los datos de contacto de un cliente",
    description="Dirección, correo y teléfono (null los borra); nunca la identificación. "
    "Las facturas ya emitidas conservan los datos con los que se emitieron. " + SOLO_ADMIN,
)
async def modificar_cliente(
    cliente_id: ClienteRuta, cuerpo: ClienteCambios, ctx: Administracion
) -> ClienteRespuesta:
    comando = cuerpo.a_comando(cliente_id)

    def cambiar() -> ClienteRespuesta:
        ctx.servicios.catalogo.modificar_cliente(comando, ctx.metadatos)
        return ClienteRespuesta.desde(ctx.servicios.consultas.cliente(cliente_id))

    return await ctx.comando(cambiar)


@router.get(
    "/clientes/{cliente_id}/historial",
    summary="Los cambios de un cliente",
    description=HISTORIAL + PAGINADA,
)
def historial_cliente(
    cliente_id: ClienteRuta,
    ctx: Lectura,
    campo: Campo = None,
    limite: Limite = 100,
    desplazamiento: Desplazamiento = 0,
) -> ListaCambios:
    return _historial(ctx, "cliente", cliente_id, campo, limite, desplazamiento)
