"""The catalog: emisor, sucursales, puntos de emisión, bodegas, productos, clientes.
Writes are for admin only; every role may read."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from prometeo.domain.errores import NoEncontrado
from prometeo.entrypoints.api.esquemas.catalogo import (
    BodegaEntrada,
    BodegaRespuesta,
    ClienteEntrada,
    ClienteRespuesta,
    EmisorEntrada,
    EmisorRespuesta,
    ListaBodegas,
    ListaClientes,
    ListaProductos,
    ListaPuntosEmision,
    ListaSucursales,
    ProductoEntrada,
    ProductoRespuesta,
    PuntoEmisionEntrada,
    PuntoEmisionRespuesta,
    SucursalEntrada,
    SucursalRespuesta,
)
from prometeo.entrypoints.api.parametros import IdRuta
from prometeo.entrypoints.api.seguridad import Administracion, Lectura

router = APIRouter(tags=["catálogo"])
SOLO_ADMIN = "Solo el rol admin."


@router.put("/emisor", summary="Registrar o reemplazar el emisor", description=SOLO_ADMIN)
def registrar_emisor(cuerpo: EmisorEntrada, ctx: Administracion) -> EmisorRespuesta:
    ctx.app.catalogo.registrar_emisor(cuerpo.a_comando(), ctx.metadatos)
    return consultar_emisor(ctx)


@router.get("/emisor", summary="El emisor registrado")
def consultar_emisor(ctx: Lectura) -> EmisorRespuesta:
    with ctx.catalogo.leer() as catalogo:
        emisor = catalogo.emisor()
    if emisor is None:
        raise NoEncontrado("el emisor", "único")
    return EmisorRespuesta.desde(emisor)


@router.post("/sucursales", status_code=201, summary="Crear una sucursal", description=SOLO_ADMIN)
def crear_sucursal(cuerpo: SucursalEntrada, ctx: Administracion) -> SucursalRespuesta:
    registrado = ctx.app.catalogo.crear_sucursal(cuerpo.a_comando(), ctx.metadatos)
    return consultar_sucursal(registrado.id, ctx)


@router.get("/sucursales", summary="Todas las sucursales, por código")
def listar_sucursales(ctx: Lectura) -> ListaSucursales:
    with ctx.catalogo.leer() as catalogo:
        return ListaSucursales(
            items=[SucursalRespuesta.desde(s) for s in catalogo.listar_sucursales()]
        )


@router.get(
    "/sucursales/{sucursal_id}/puntos-emision", summary="Los puntos de emisión de una sucursal"
)
def listar_puntos_emision(sucursal_id: IdRuta, ctx: Lectura) -> ListaPuntosEmision:
    with ctx.catalogo.leer() as catalogo:
        catalogo.sucursal(sucursal_id)  # 404 for an unknown sucursal
        puntos = catalogo.listar_puntos_emision(sucursal_id)
        return ListaPuntosEmision(items=[PuntoEmisionRespuesta.desde(p) for p in puntos])


@router.get("/bodegas", summary="Las bodegas, opcionalmente de una sucursal")
def listar_bodegas(
    ctx: Lectura,
    sucursal_id: Annotated[str | None, Query(max_length=100)] = None,
) -> ListaBodegas:
    with ctx.catalogo.leer() as catalogo:
        bodegas = catalogo.listar_bodegas(sucursal_id)
        return ListaBodegas(items=[BodegaRespuesta.desde(b) for b in bodegas])


@router.get("/sucursales/{sucursal_id}", summary="Una sucursal")
def consultar_sucursal(sucursal_id: IdRuta, ctx: Lectura) -> SucursalRespuesta:
    with ctx.catalogo.leer() as catalogo:
        return SucursalRespuesta.desde(catalogo.sucursal(sucursal_id))


@router.post(
    "/sucursales/{sucursal_id}/puntos-emision",
    status_code=201,
    summary="Crear un punto de emisión en una sucursal",
    description=SOLO_ADMIN,
)
def crear_punto_emision(
    sucursal_id: IdRuta, cuerpo: PuntoEmisionEntrada, ctx: Administracion
) -> PuntoEmisionRespuesta:
    registrado = ctx.app.catalogo.crear_punto_emision(cuerpo.a_comando(sucursal_id), ctx.metadatos)
    with ctx.catalogo.leer() as catalogo:
        return PuntoEmisionRespuesta.desde(catalogo.punto_emision(registrado.id))


@router.get("/puntos-emision/{punto_emision_id}", summary="Un punto de emisión")
def consultar_punto_emision(punto_emision_id: IdRuta, ctx: Lectura) -> PuntoEmisionRespuesta:
    with ctx.catalogo.leer() as catalogo:
        return PuntoEmisionRespuesta.desde(catalogo.punto_emision(punto_emision_id))


@router.post("/bodegas", status_code=201, summary="Crear una bodega", description=SOLO_ADMIN)
def crear_bodega(cuerpo: BodegaEntrada, ctx: Administracion) -> BodegaRespuesta:
    registrado = ctx.app.catalogo.crear_bodega(cuerpo.a_comando(), ctx.metadatos)
    return consultar_bodega(registrado.id, ctx)


@router.get("/bodegas/{bodega_id}", summary="Una bodega")
def consultar_bodega(bodega_id: IdRuta, ctx: Lectura) -> BodegaRespuesta:
    with ctx.catalogo.leer() as catalogo:
        return BodegaRespuesta.desde(catalogo.bodega(bodega_id))


@router.post("/productos", status_code=201, summary="Crear un producto", description=SOLO_ADMIN)
def crear_producto(cuerpo: ProductoEntrada, ctx: Administracion) -> ProductoRespuesta:
    registrado = ctx.app.catalogo.crear_producto(cuerpo.a_comando(), ctx.metadatos)
    return consultar_producto(registrado.id, ctx)


@router.get("/productos", summary="Todos los productos, por código")
def listar_productos(ctx: Lectura) -> ListaProductos:
    with ctx.catalogo.leer() as catalogo:
        return ListaProductos(items=[ProductoRespuesta.desde(p) for p in catalogo.productos()])


@router.get("/productos/{producto_id}", summary="Un producto")
def consultar_producto(producto_id: IdRuta, ctx: Lectura) -> ProductoRespuesta:
    with ctx.catalogo.leer() as catalogo:
        return ProductoRespuesta.desde(catalogo.producto(producto_id))


@router.post(
    "/clientes",
    status_code=201,
    summary="Registrar un cliente",
    description="La cédula y el RUC de persona natural se validan con su dígito verificador; "
    "un RUC de sociedad o entidad pública cuyo dígito falla se acepta con `advertencias`. "
    + SOLO_ADMIN,
)
def crear_cliente(cuerpo: ClienteEntrada, ctx: Administracion) -> ClienteRespuesta:
    registrado = ctx.app.catalogo.crear_cliente(cuerpo.a_comando(), ctx.metadatos)
    return consultar_cliente(registrado.id, ctx)


@router.get("/clientes", summary="Clientes, opcionalmente por identificación")
def listar_clientes(
    ctx: Lectura,
    identificacion: Annotated[
        str | None,
        Query(max_length=20, pattern=r"^[^\x00-\x1f\x7f]*$", examples=["0602910945"]),
    ] = None,
) -> ListaClientes:
    with ctx.catalogo.leer() as catalogo:
        return ListaClientes(
            items=[ClienteRespuesta.desde(c) for c in catalogo.clientes(identificacion)]
        )


@router.get("/clientes/{cliente_id}", summary="Un cliente")
def consultar_cliente(cliente_id: IdRuta, ctx: Lectura) -> ClienteRespuesta:
    with ctx.catalogo.leer() as catalogo:
        return ClienteRespuesta.desde(catalogo.cliente(cliente_id))
