"""The catalog as plain state tables (reference data, not the ledger)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import asdict
from decimal import Decimal
from functools import lru_cache
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    Connection,
    Row,
    Select,
    Table,
    and_,
    bindparam,
    case,
    delete,
    false,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from prometeo.domain.entities.cambios import CambioCatalogo, CampoCambiado
from prometeo.domain.entities.catalogo import (
    Bodega,
    Cliente,
    Emisor,
    Producto,
    PuntoDeEmision,
    Sucursal,
)
from prometeo.domain.errores import Duplicado, NoEncontrado
from prometeo.domain.repositories import RepositorioCatalogo
from prometeo.domain.value_objects.dinero import Precio
from prometeo.domain.value_objects.direccion import Direccion
from prometeo.domain.value_objects.identificacion import Ruc, crear_identificacion
from prometeo.domain.value_objects.numero_comprobante import TipoComprobante
from prometeo.infrastructure.db import tablas as t
from prometeo.infrastructure.db.busqueda import normalizar, palabras_de, rango
from prometeo.infrastructure.sql.sentencias import consultar

E = TypeVar("E")


_POR_ID = {
    tabla.name: select(tabla).where(tabla.c.id == bindparam("id"))
    for tabla in (t.sucursales, t.puntos_emision, t.bodegas, t.productos, t.clientes)
}


_EMISOR = select(t.emisor).where(t.emisor.c.id == bindparam("id"))
_GENERACION = select(t.generacion_catalogo.c.generacion).where(
    t.generacion_catalogo.c.id == bindparam("id")
)
_CLAVE_EMISOR = ("emisor", "1")
_AVANZAR_GENERACION = (
    update(t.generacion_catalogo)
    .where(t.generacion_catalogo.c.id == 1)
    .values(generacion=t.generacion_catalogo.c.generacion + 1)
)

_CODIGOS_BARRA = (
    select(t.codigos_barra.c.codigo)
    .where(t.codigos_barra.c.producto_id == bindparam("id"))
    .order_by(t.codigos_barra.c.posicion)
)
_TODOS_CODIGOS_BARRA = select(t.codigos_barra.c.producto_id, t.codigos_barra.c.codigo).order_by(
    t.codigos_barra.c.producto_id, t.codigos_barra.c.posicion
)
_CODIGOS_BARRA_DE = _TODOS_CODIGOS_BARRA.where(
    t.codigos_barra.c.producto_id.in_(bindparam("ids", expanding=True))
)
_CODIGOS_BARRA_USADOS = select(t.codigos_barra.c.codigo).where(
    t.codigos_barra.c.codigo.in_(bindparam("codigos", expanding=True)),
    t.codigos_barra.c.producto_id != bindparam("producto_id"),
)


@lru_cache(maxsize=16)
def _emisor(fila: Any) -> Emisor:
    """The emisor of a row (a hashable named tuple): an immutable entity, so one per
    distinct row can be shared."""
    return Emisor(
        ruc=Ruc(fila.ruc),
        razon_social=fila.razon_social,
        nombre_comercial=fila.nombre_comercial,
        direccion_matriz=Direccion(fila.direccion_matriz),
        obligado_contabilidad=fila.obligado_contabilidad,
        ambiente=fila.ambiente,
        contribuyente_especial=fila.contribuyente_especial,
        agente_retencion=fila.agente_retencion,
        regimen=fila.regimen,
    )


class CacheCatalogo:
    """Sucursales, puntos, bodegas, productos and clientes by id, kept in memory, for the
    catalog's generation they were read in.

    Every change of those rows moves `generacion_catalogo` in its own transaction. A
    unit of work reads the generation before any catalog row: when it moved, whatever
    was kept is dropped (another process changed the catalog). A row is kept only when
    it was read in the cache's current generation, and never one written by a
    transaction that might still roll back. A unit of work whose generation is older
    than the cache's (it started before a change another one already saw) neither reads
    nor fills the cache. Replacing the emisor (PUT /emisor) moves the generation too."""

    def __init__(self) -> None:
        self._entidades: dict[tuple[str, str], object] = {}
        self._generacion = -1
        self._candado = threading.Lock()

    @property
    def generacion(self) -> int:
        """The generation of the rows kept (-1 before any)."""
        return self._generacion

    def al_dia(self, generacion: int) -> bool:
        """Whether a unit of work that read `generacion` may use the cache (emptied when
        the catalog changed since it was filled)."""
        with self._candado:
            if generacion > self._generacion:
                self._entidades.clear()
                self._generacion = generacion
            return generacion == self._generacion

    def get(self, clave: tuple[str, str], generacion: int) -> object | None:
        with self._candado:
            if generacion != self._generacion:
                return None
            return self._entidades.get(clave)

    def guardar(self, clave: tuple[str, str], entidad: object, generacion: int) -> None:
        with self._candado:
            if generacion == self._generacion:
                self._entidades[clave] = entidad


class RepositorioCatalogoSql(RepositorioCatalogo):
    def __init__(self, conexion: Connection, cache: CacheCatalogo | None = None) -> None:
        self.conexion = conexion
        self.cache = cache
        self._escritos: set[tuple[str, str]] = set()
        # The catalog's generation as this transaction first saw it (None: not read yet).
        self._generacion: int | None = None

    # -- helpers ---------------------------------------------------------------------------

    def _uno(self, tabla: Table, que: str, id: str) -> Row[Any]:
        fila = self.conexion.execute(_POR_ID[tabla.name], {"id": id}).first()
        if fila is None:
            raise NoEncontrado(que, id)
        return fila

    def _leer(self, tabla: Table, que: str, id: str, mapear: Callable[[Row[Any]], E]) -> E:
        """The entity, from the cache when another command already read it in the
        catalog's current generation (never one this transaction changed)."""
        entidad = self._por_cache((tabla.name, id), lambda: mapear(self._uno(tabla, que, id)))
        assert entidad is not None
        return entidad

    def _por_cache(self, clave: tuple[str, str], leer: Callable[[], E | None]) -> E | None:
        """What `leer` reads, taken from and kept in the cache for the catalog's current
        generation; nothing (None) is kept."""
        generacion = None
        if self.cache is not None and clave not in self._escritos:
            generacion = self._generacion_vista()
            cacheada = self.cache.get(clave, generacion)
            if cacheada is not None:
                return cacheada  # type: ignore[return-value]
        entidad = leer()
        if (
            entidad is not None
            and self.cache is not None
            and generacion is not None
            and clave not in self._escritos
        ):
            self.cache.guardar(clave, entidad, generacion)
        return entidad

    def _generacion_vista(self) -> int:
        """The catalog's generation, read once per transaction before any cached row is
        used: rows read after it are at least as new as it. Usually a command's first
        statement: on PostgreSQL it then goes with the BEGIN in one round trip."""
        if self._generacion is None:
            if self.conexion.in_transaction():
                filas = consultar(self.conexion, _GENERACION, {"id": 1}, comenzando=True)
                self._generacion = int(filas[0][0])
            else:  # a reader's connection: SQLAlchemy's execute begins its transaction
                self._generacion = self.conexion.execute(_GENERACION, {"id": 1}).scalar_one()
            assert self.cache is not None
            self.cache.al_dia(self._generacion)
        return self._generacion

    # -- history ---------------------------------------------------------------------------

    def registrar_cambio(self, cambio: CambioCatalogo) -> int:
        # The row lock taken by the UPDATE is held to commit: changes get their numbers
        # in commit order, and a reader of the generation never sees a later change
        # without the earlier ones.
        self.conexion.execute(_AVANZAR_GENERACION)
        numero: int = self.conexion.execute(_GENERACION, {"id": 1}).scalar_one()
        self.conexion.execute(
            insert(t.historial_catalogo).values(
                numero=numero,
                entidad=cambio.entidad,
                entidad_id=cambio.entidad_id,
                ocurrido_en=cambio.ocurrido_en,
                usuario=cambio.usuario[:100],
                token_id=cambio.token_id,
                campos=json.dumps(
                    [
                        {"campo": c.campo, "antes": c.antes, "despues": c.despues}
                        for c in cambio.campos
                    ],
                    ensure_ascii=False,
                ),
            )
        )
        return numero

    def historial(self, entidad: str, entidad_id: str) -> list[CambioCatalogo]:
        """Every change of one entry, oldest first."""
        h = t.historial_catalogo
        filas = self.conexion.execute(
            select(h)
            .where(h.c.entidad == entidad, h.c.entidad_id == entidad_id)
            .order_by(h.c.numero)
        )
        return [
            CambioCatalogo(
                fila.entidad,
                fila.entidad_id,
                tuple(
                    CampoCambiado(c["campo"], c["antes"], c["despues"])
                    for c in json.loads(fila.campos)
                ),
                fila.usuario,
                fila.ocurrido_en,
                fila.token_id,
                fila.numero,
            )
            for fila in filas
        ]

    def _actualizar(
        self, tabla: Table, id: str, valores: dict[str, Any], cambio: CambioCatalogo
    ) -> None:
        self._escritos.add((tabla.name, id))
        self.registrar_cambio(cambio)
        self.conexion.execute(update(tabla).where(tabla.c.id == id).values(**valores))

    def _insertar(self, tabla: Table, valores: dict[str, Any], regla: str, mensaje: str) -> None:
        self._escritos.add((tabla.name, str(valores["id"])))
        self._insertar_filas(tabla, [valores], regla, mensaje)

    def _insertar_filas(
        self, tabla: Table, filas: list[dict[str, Any]], regla: str, mensaje: str
    ) -> None:
        # A savepoint keeps the command's transaction usable after a duplicate (PostgreSQL
        # aborts the whole transaction on an error otherwise).
        try:
            with self.conexion.begin_nested():
                self.conexion.execute(insert(tabla), filas)
        except IntegrityError as error:
            raise Duplicado(regla, mensaje) from error

    # -- emisor ----------------------------------------------------------------------------

    def emisor(self) -> Emisor | None:
        # Every emission copies it: cached like the catalog's rows, since replacing it
        # moves the generation too.
        def leer() -> Emisor | None:
            filas = consultar(self.conexion, _EMISOR, {"id": 1})
            return _emisor(filas[0]) if filas else None

        return self._por_cache(_CLAVE_EMISOR, leer)

    def guardar_emisor(self, emisor: Emisor) -> None:
        # PUT /emisor may come from any process: the generation tells every cache.
        self._escritos.add(_CLAVE_EMISOR)
        self.conexion.execute(_AVANZAR_GENERACION)
        self.conexion.execute(delete(t.emisor))
        # The row holds exactly what a document copies of its emisor.
        self.conexion.execute(insert(t.emisor).values(id=1, **asdict(emisor.datos())))

    # -- sucursales y puntos ---------------------------------------------------------------

    def sucursal(self, sucursal_id: str) -> Sucursal:
        return self._leer(t.sucursales, "la sucursal", sucursal_id, _sucursal)

    def agregar_sucursal(self, sucursal: Sucursal) -> None:
        self._insertar(
            t.sucursales,
            {
                "id": sucursal.id,
                "codigo": sucursal.codigo,
                "nombre": sucursal.nombre,
                "direccion": sucursal.direccion.texto,
                "activo": sucursal.activo,
            },
            "SucursalUnica",
            f"Ya existe una sucursal con el código {sucursal.codigo}",
        )

    def actualizar_sucursal(self, sucursal: Sucursal, cambio: CambioCatalogo) -> None:
        valores = {
            "nombre": sucursal.nombre,
            "direccion": sucursal.direccion.texto,
            "activo": sucursal.activo,
        }
        self._actualizar(t.sucursales, sucursal.id, valores, cambio)

    def listar_sucursales(self) -> Sequence[Sucursal]:
        filas = self.conexion.execute(select(t.sucursales).order_by(t.sucursales.c.codigo))
        return [_sucursal(f) for f in filas]

    def punto_emision(self, punto_emision_id: str) -> PuntoDeEmision:
        return self._leer(t.puntos_emision, "el punto de emisión", punto_emision_id, _punto)

    def agregar_punto_emision(self, punto: PuntoDeEmision) -> None:
        self._insertar(
            t.puntos_emision,
            {
                "id": punto.id,
                "sucursal_id": punto.sucursal_id,
                "codigo": punto.codigo,
                "secuencial_inicial_factura": punto.secuencial_inicial(TipoComprobante.FACTURA),
                "secuencial_inicial_nota_credito": punto.secuencial_inicial(
                    TipoComprobante.NOTA_CREDITO
                ),
                "activo": punto.activo,
            },
            "PuntoEmisionUnico",
            f"La sucursal ya tiene un punto de emisión con el código {punto.codigo}",
        )

    def actualizar_punto_emision(self, punto: PuntoDeEmision, cambio: CambioCatalogo) -> None:
        self._actualizar(t.puntos_emision, punto.id, {"activo": punto.activo}, cambio)

    def listar_puntos_emision(self, sucursal_id: str | None = None) -> Sequence[PuntoDeEmision]:
        consulta = select(t.puntos_emision).order_by(
            t.puntos_emision.c.sucursal_id, t.puntos_emision.c.codigo
        )
        if sucursal_id is not None:
            consulta = consulta.where(t.puntos_emision.c.sucursal_id == sucursal_id)
        return [_punto(f) for f in self.conexion.execute(consulta)]

    # -- bodegas ---------------------------------------------------------------------------

    def bodega(self, bodega_id: str) -> Bodega:
        return self._leer(t.bodegas, "la bodega", bodega_id, _bodega)

    def agregar_bodega(self, bodega: Bodega) -> None:
        self._insertar(
            t.bodegas,
            {
                "id": bodega.id,
                "sucursal_id": bodega.sucursal_id,
                "codigo": bodega.codigo,
                "nombre": bodega.nombre,
                "activo": bodega.activo,
            },
            "BodegaUnica",
            f"Ya existe una bodega con el código {bodega.codigo}",
        )

    def actualizar_bodega(self, bodega: Bodega, cambio: CambioCatalogo) -> None:
        valores = {"nombre": bodega.nombre, "activo": bodega.activo}
        self._actualizar(t.bodegas, bodega.id, valores, cambio)

    def listar_bodegas(self, sucursal_id: str | None = None) -> Sequence[Bodega]:
        consulta = select(t.bodegas).order_by(t.bodegas.c.codigo)
        if sucursal_id is not None:
            consulta = consulta.where(t.bodegas.c.sucursal_id == sucursal_id)
        return [_bodega(f) for f in self.conexion.execute(consulta)]

    # -- productos -------------------------------------------------------------------------

    @staticmethod
    def _producto(fila: Row[Any], codigos_barra: Sequence[str]) -> Producto:
        programada = (
            None
            if fila.tarifa_programada is None
            else (fila.tarifa_vigente_desde, fila.tarifa_programada)
        )
        return Producto(
            fila.id,
            fila.codigo,
            fila.nombre,
            Precio(fila.precio),
            fila.tarifa_iva,
            Decimal(fila.stock_minimo),
            tuple(codigos_barra),
            fila.unidad_medida,
            bool(fila.activo),
            programada,
        )

    def _producto_con_codigos(self, fila: Row[Any]) -> Producto:
        codigos = self.conexion.execute(_CODIGOS_BARRA, {"id": fila.id}).scalars().all()
        return self._producto(fila, codigos)

    def producto(self, producto_id: str) -> Producto:
        return self._leer(t.productos, "el producto", producto_id, self._producto_con_codigos)

    def productos(
        self,
        limite: int | None = None,
        desplazamiento: int = 0,
        *,
        codigo: str | None = None,
        buscar: str | None = None,
        activo: bool | None = None,
    ) -> Sequence[Producto]:
        """Every producto by código or, with `limite`, one page of them (the código is
        unique: pages never overlap). `codigo`: the one whose code or one of whose
        barcodes it is (a scan). `buscar`: those with, for every word typed, a word of
        their name, code or barcodes that starts with it. `activo`: only those."""
        consulta = select(t.productos).order_by(t.productos.c.codigo)
        for condicion in _filtros_producto(codigo, buscar, activo):
            consulta = consulta.where(condicion)
        if limite is not None:
            consulta = consulta.limit(limite).offset(desplazamiento)
        filas = list(self.conexion.execute(consulta))
        if limite is None and codigo is None and buscar is None and activo is None:
            de_todos = self.conexion.execute(_TODOS_CODIGOS_BARRA)
        elif filas:
            de_todos = self.conexion.execute(_CODIGOS_BARRA_DE, {"ids": [f.id for f in filas]})
        else:
            return []
        codigos: dict[str, list[str]] = {}
        for producto_id, codigo_barra in de_todos:
            codigos.setdefault(producto_id, []).append(codigo_barra)
        return [self._producto(fila, codigos.get(fila.id, ())) for fila in filas]

    def agregar_producto(self, producto: Producto) -> None:
        self._exigir_codigos_barra_libres(producto.codigos_barra, producto.id)
        self._insertar(
            t.productos,
            {"id": producto.id, "codigo": producto.codigo, **_columnas_producto(producto)},
            "ProductoUnico",
            f"Ya existe un producto con el código {producto.codigo}",
        )
        self._guardar_codigos_barra(producto)

    def actualizar_producto(self, producto: Producto, cambio: CambioCatalogo) -> None:
        self._exigir_codigos_barra_libres(producto.codigos_barra, producto.id)
        self._actualizar(t.productos, producto.id, _columnas_producto(producto), cambio)
        self.conexion.execute(
            delete(t.codigos_barra).where(t.codigos_barra.c.producto_id == producto.id)
        )
        self.conexion.execute(
            delete(t.palabras_producto).where(t.palabras_producto.c.producto_id == producto.id)
        )
        self._guardar_codigos_barra(producto)

    def _guardar_codigos_barra(self, producto: Producto) -> None:
        """Its barcodes in its order, and the words it is found by."""
        if producto.codigos_barra:
            # Checked before; the unique index still settles two products racing for one.
            self._insertar_filas(
                t.codigos_barra,
                [
                    {"producto_id": producto.id, "posicion": posicion, "codigo": codigo}
                    for posicion, codigo in enumerate(producto.codigos_barra, start=1)
                ],
                "CodigoBarraUnico",
                "Otro producto ya tiene uno de los códigos de barras "
                f"{', '.join(producto.codigos_barra)}",
            )
        palabras = palabras_de(producto.codigo, producto.nombre, producto.codigos_barra)
        # A code and name without a letter or digit (say "☕", "茶") give no word: the
        # product is found by its code only, and an empty insert is not one of nothing.
        if palabras:
            self.conexion.execute(
                insert(t.palabras_producto),
                [{"palabra": p, "producto_id": producto.id} for p in sorted(palabras)],
            )

    def _exigir_codigos_barra_libres(self, codigos: Sequence[str], producto_id: str) -> None:
        if not codigos:
            return
        usados = self.conexion.execute(
            _CODIGOS_BARRA_USADOS, {"codigos": list(codigos), "producto_id": producto_id}
        )
        ocupados = sorted(usados.scalars())
        if ocupados:
            raise Duplicado(
                "CodigoBarraUnico",
                f"Otro producto ya tiene el código de barras {', '.join(ocupados)}",
            )

    # -- clientes --------------------------------------------------------------------------

    @staticmethod
    def _cliente(fila: Row[Any]) -> Cliente:
        return Cliente(
            fila.id,
            crear_identificacion(fila.tipo_identificacion, fila.identificacion),
            fila.razon_social,
            Direccion(fila.direccion) if fila.direccion else None,
            fila.email,
            fila.telefono,
        )

    def cliente(self, cliente_id: str) -> Cliente:
        return self._leer(t.clientes, "el cliente", cliente_id, self._cliente)

    def clientes(
        self, identificacion: str | None = None, limite: int | None = None, desplazamiento: int = 0
    ) -> Sequence[Cliente]:
        """The clientes by razón social (then id: pages never overlap), all of them or,
        with `limite`, one page."""
        consulta = select(t.clientes).order_by(t.clientes.c.razon_social, t.clientes.c.id)
        if identificacion is not None:
            consulta = consulta.where(t.clientes.c.identificacion == identificacion.strip())
        if limite is not None:
            consulta = consulta.limit(limite).offset(desplazamiento)
        return [self._cliente(fila) for fila in self.conexion.execute(consulta)]

    def agregar_cliente(self, cliente: Cliente) -> None:
        self._insertar(
            t.clientes,
            {
                "id": cliente.id,
                "tipo_identificacion": cliente.identificacion.tipo.value,
                "identificacion": cliente.identificacion.numero,
                "razon_social": cliente.razon_social,
                "direccion": cliente.direccion.texto if cliente.direccion else None,
                "email": cliente.email,
                "telefono": cliente.telefono,
            },
            "ClienteUnico",
            f"Ya existe un cliente con la identificación {cliente.identificacion.numero}",
        )

    def actualizar_cliente(self, cliente: Cliente, cambio: CambioCatalogo) -> None:
        valores = {
            "direccion": cliente.direccion.texto if cliente.direccion else None,
            "email": cliente.email,
            "telefono": cliente.telefono,
        }
        self._actualizar(t.clientes, cliente.id, valores, cambio)


def _columnas_producto(producto: Producto) -> dict[str, Any]:
    """What a product's row holds besides its id and code (which never change)."""
    programada = producto.tarifa_programada
    return {
        "nombre": producto.nombre,
        "precio": str(producto.precio.valor),
        "tarifa_iva": producto.tarifa_iva,
        "stock_minimo": str(producto.stock_minimo),
        "unidad_medida": producto.unidad_medida,
        "activo": producto.activo,
        "tarifa_programada": None if programada is None else programada[1],
        "tarifa_vigente_desde": None if programada is None else programada[0],
    }


def _filtros_producto(
    codigo: str | None, buscar: str | None, activo: bool | None
) -> list[ColumnElement[bool]]:
    p = t.productos
    filtros: list[ColumnElement[bool]] = []
    if codigo is not None:
        escaneado = codigo.strip()
        # A barcode names at most one product (unique), so its owner is one value: the
        # subquery is computed once and both sides of the OR are index lookups (with IN,
        # PostgreSQL checked the OR on every product).
        dueno_del_codigo = (
            select(t.codigos_barra.c.producto_id)
            .where(t.codigos_barra.c.codigo == escaneado)
            .scalar_subquery()
        )
        filtros.append(or_(p.c.codigo == escaneado, p.c.id == dueno_del_codigo))
    rangos = [rango(palabra) for palabra in dict.fromkeys(normalizar(buscar or ""))]
    if rangos:
        filtros.append(p.c.id.in_(_con_todas(rangos)))
    elif buscar is not None and buscar.strip():
        # Something typed with no letter or digit ("***", "茶") names no word: nothing
        # matches it (a blank search is no filter at all).
        filtros.append(false())
    if activo is not None:
        filtros.append(p.c.activo == activo)
    return filtros


def _con_todas(rangos: list[tuple[str, str]]) -> Select[tuple[str]]:
    """The ids of the products with a word in every range: one pass over the words in any
    of them (an index range each), grouped by product. With one subquery per word typed,
    PostgreSQL went through the second word's whole range once per product of the first,
    and MariaDB cannot run an INTERSECT inside IN but by reading every product."""
    palabra, producto_id = t.palabras_producto.c.palabra, t.palabras_producto.c.producto_id
    en = [and_(palabra >= desde, palabra < hasta) for desde, hasta in rangos]
    consulta = select(producto_id).where(or_(*en))
    if len(en) == 1:
        return consulta
    # A word may fall in two ranges ("ma" and "mar" typed): each range is checked apart.
    return consulta.group_by(producto_id).having(
        and_(*(func.max(case((condicion, 1), else_=0)) == 1 for condicion in en))
    )


def _sucursal(fila: Row[Any]) -> Sucursal:
    return Sucursal(fila.id, fila.codigo, fila.nombre, Direccion(fila.direccion), bool(fila.activo))


def _punto(fila: Row[Any]) -> PuntoDeEmision:
    iniciales = (
        (TipoComprobante.FACTURA.value, fila.secuencial_inicial_factura),
        (TipoComprobante.NOTA_CREDITO.value, fila.secuencial_inicial_nota_credito),
    )
    # Only the types that do not start at 1, as the punto was created.
    return PuntoDeEmision(
        fila.id,
        fila.sucursal_id,
        fila.codigo,
        tuple((t, n) for t, n in iniciales if n != 1),
        bool(fila.activo),
    )


def _bodega(fila: Row[Any]) -> Bodega:
    return Bodega(fila.id, fila.sucursal_id, fila.codigo, fila.nombre, bool(fila.activo))
