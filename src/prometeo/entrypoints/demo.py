"""Demo data: a small Ecuadorian shop with two sucursales, twenty products in stock at
different costs, a few clientes and facturas. Loaded through the application services,
so every rule applies and every event is stored; loading twice loads nothing."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from decimal import Decimal
from uuid import NAMESPACE_URL, uuid5

from prometeo.application.acceso import Rol
from prometeo.application.comandos import (
    CrearBodega,
    CrearCliente,
    CrearFactura,
    CrearProducto,
    CrearPuntoEmision,
    CrearSucursal,
    DescuentoGlobalCmd,
    LineaFacturaCmd,
    RegistrarEmisor,
    RegistrarIngreso,
)
from prometeo.application.unidad_de_trabajo import Metadatos
from prometeo.bootstrap import Servicios
from prometeo.domain.errores import Duplicado, NoEncontrado

USUARIO = "demo"
# The people of the demo shop who sign in on the screens: user name = role.
USUARIOS_DEMO = (Rol.CAJERO, Rol.BODEGUERO, Rol.CONTADOR, Rol.ADMIN)


def ean13_interno(numero: int) -> str:
    """An EAN-13 for the demo's product `numero`: GS1 prefix 200 (a store's internal
    numbering, never a real product's), the number, and the check digit, so that a
    real scanner and the sale screen read the demo's labels."""
    cuerpo = f"200{numero:09d}"
    suma = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(cuerpo))
    return cuerpo + str((10 - suma % 10) % 10)


def id_demo(que: str) -> str:
    """A fixed id per demo entity, the same on every database."""
    return str(uuid5(NAMESPACE_URL, f"prometeo-demo/{que}"))


# codigo, nombre, precio, tarifa de IVA (codigoPorcentaje), stock mínimo
PRODUCTOS: tuple[tuple[str, str, str, str, int], ...] = (
    ("ARR-2KG", "Arroz blanco Flor 2 kg", "2.60", "0", 10),
    ("AZU-1KG", "Azúcar blanca Valdez 1 kg", "1.25", "0", 10),
    ("LEC-1L", "Leche entera Vita 1 L", "1.05", "0", 24),
    ("HUE-30", "Huevos de gallina, cubeta de 30", "4.50", "0", 5),
    ("ACE-1L", "Aceite de girasol La Favorita 1 L", "3.10", "0", 6),
    ("PAN-6", "Pan de yuca, funda de 6", "1.50", "0", 5),
    ("QUE-500", "Queso fresco Kiosko 500 g", "3.75", "0", 4),
    ("VER-1KG", "Plátano verde barraganete 1 kg", "0.90", "0", 10),
    ("PAR-500", "Paracetamol 500 mg, caja de 10", "1.20", "0", 5),
    ("CUA-100", "Cuaderno universitario 100 hojas", "1.80", "0", 10),
    ("CAF-500", "Café molido Minerva 500 g", "8.00", "4", 3),
    ("CHO-100", "Chocolate Pacari 70 % cacao 100 g", "4.25", "4", 5),
    ("ATU-180", "Atún Real en aceite 180 g", "1.60", "4", 12),
    ("GAS-3L", "Gaseosa Tropical 3 L", "2.10", "4", 6),
    ("AGU-625", "Agua mineral Güitig 625 ml", "0.85", "4", 12),
    ("DET-1KG", "Detergente en polvo Deja 1 kg", "3.40", "4", 4),
    ("JAB-3U", "Jabón de tocador Lava, 3 unidades", "2.20", "4", 4),
    ("PAP-12", "Papel higiénico Familia, 12 rollos", "6.80", "4", 3),
    ("CEM-50", "Cemento Holcim Fuerte 50 kg", "8.20", "5", 10),
    ("TEJ-100", "Tejas de fibrocemento Eternit 1 m", "12.40", "5", 5),
)

# tipo, identificación (válidas según SRI.md), razón social, dirección, email
CLIENTES: tuple[tuple[str, str, str, str, str | None], ...] = (
    ("05", "0602910945", "María Fernanda Pérez Guamán", "Av. Daniel León Borja, Riobamba", None),
    ("05", "0910005917", "Carlos Andrés Mendoza Vera", "Cdla. Kennedy Norte, Guayaquil", None),
    ("04", "1001152287001", "Luis Alberto Cevallos Yépez", "Calle Bolívar 4-56, Ibarra", None),
    (
        "04",
        "1792060346001",
        "Ferretería El Constructor S.A.",
        "Av. 10 de Agosto N52, Quito",
        "compras@example.com",
    ),
    ("06", "AB1234567", "John Smith", "Hotel Quito, Av. González Suárez", None),
)

SUCURSALES = (
    ("001", "Matriz Quito", "Av. Amazonas N34-120 y Atahualpa, Quito", "QUI-01", "Bodega Quito"),
    ("002", "Guayaquil Centro", "Av. 9 de Octubre 1520, Guayaquil", "GYE-01", "Bodega Guayaquil"),
)


@dataclass
class ResumenDemo:
    """What was loaded (nothing when `cargado` is False: it was there already)."""

    cargado: bool
    sucursales: int = 0
    productos: int = 0
    clientes: int = 0
    facturas: list[str] = field(default_factory=list)


def ya_cargada(servicios: Servicios) -> bool:
    try:
        servicios.consultas.sucursal(id_demo("sucursal/001"))
    except NoEncontrado:
        return False
    return True


def cargar_demo(servicios: Servicios) -> ResumenDemo:
    """Load the demo shop unless it is there already."""
    if ya_cargada(servicios):
        return ResumenDemo(cargado=False)
    meta = Metadatos(usuario=USUARIO)
    _catalogo(servicios, meta)
    _stock(servicios, meta)
    facturas = _facturas(servicios, meta)
    return ResumenDemo(True, len(SUCURSALES), len(PRODUCTOS), len(CLIENTES), facturas)


def _catalogo(servicios: Servicios, meta: Metadatos) -> None:
    catalogo = servicios.catalogo
    catalogo.registrar_emisor(
        RegistrarEmisor(
            "1790011674001",
            "Comercial Andina S.A.",
            "Tienda Andina",
            "Av. Amazonas N34-120 y Atahualpa, Quito",
            True,
            "1",
        ),
        meta,
    )
    for codigo, nombre, direccion, codigo_bodega, nombre_bodega in SUCURSALES:
        sucursal = id_demo(f"sucursal/{codigo}")
        catalogo.crear_sucursal(CrearSucursal(codigo, nombre, direccion, sucursal), meta)
        catalogo.crear_punto_emision(
            CrearPuntoEmision(sucursal, "001", id_demo(f"punto/{codigo}")), meta
        )
        catalogo.crear_bodega(
            CrearBodega(sucursal, codigo_bodega, nombre_bodega, id_demo(f"bodega/{codigo}")), meta
        )
    for n, (codigo, nombre, precio, tarifa, minimo) in enumerate(PRODUCTOS, start=1):
        catalogo.crear_producto(
            CrearProducto(
                codigo,
                nombre,
                precio,
                tarifa,
                minimo,
                id_demo(f"producto/{codigo}"),
                codigos_barra=(ean13_interno(n),),
            ),
            meta,
        )
    for tipo, identificacion, razon_social, direccion, email in CLIENTES:
        cliente = id_demo(f"cliente/{tipo}/{identificacion}")
        catalogo.crear_cliente(
            CrearCliente(tipo, identificacion, razon_social, direccion, email, cliente), meta
        )


def _stock(servicios: Servicios, meta: Metadatos) -> None:
    """Two lots per product in Quito (the second bought dearer) and one in Guayaquil."""
    for i, (codigo, _, precio, _, minimo) in enumerate(PRODUCTOS):
        producto = id_demo(f"producto/{codigo}")
        base = Decimal(precio)
        lotes = (
            ("001", 4 * minimo, base * Decimal("0.60"), f"FP-001-{1000 + i}"),
            ("001", 2 * minimo, base * Decimal("0.66"), f"FP-001-{2000 + i}"),
            ("002", 3 * minimo, base * Decimal("0.62"), f"FP-002-{3000 + i}"),
        )
        for sucursal, cantidad, costo, referencia in lotes:
            servicios.inventario.registrar_ingreso(
                RegistrarIngreso(
                    producto,
                    id_demo(f"bodega/{sucursal}"),
                    cantidad,
                    costo.quantize(Decimal("0.0001")),
                    referencia=referencia,
                ),
                meta,
            )


def _linea(codigo: str, cantidad: str) -> LineaFacturaCmd:
    return LineaFacturaCmd(id_demo(f"producto/{codigo}"), cantidad)


def _facturas(servicios: Servicios, meta: Metadatos) -> list[str]:
    quito = (id_demo("punto/001"), id_demo("bodega/001"))
    guayaquil = (id_demo("punto/002"), id_demo("bodega/002"))
    pedidos = (
        (quito, "05/0602910945", (("ARR-2KG", "2"), ("LEC-1L", "6"), ("CAF-500", "1")), None),
        # Consumidor final: at most USD 50.00.
        (quito, None, (("PAN-6", "2"), ("GAS-3L", "1"), ("QUE-500", "1")), None),
        (
            quito,
            "04/1792060346001",
            (("CEM-50", "20"), ("TEJ-100", "10")),
            DescuentoGlobalCmd("PORCENTAJE", "5"),
        ),
        (guayaquil, "05/0910005917", (("ATU-180", "6"), ("ACE-1L", "2"), ("AGU-625", "12")), None),
    )
    numeros: list[str] = []
    for i, ((punto, bodega), cliente, lineas, descuento) in enumerate(pedidos, start=1):
        comprobante = servicios.facturas.crear_factura(
            CrearFactura(
                punto,
                bodega,
                tuple(_linea(c, q) for c, q in lineas),
                cliente_id=None if cliente is None else id_demo(f"cliente/{cliente}"),
                descuento_global=descuento,
                factura_id=id_demo(f"factura/{i}"),
            ),
            meta,
        )
        numeros.append(comprobante.numero or comprobante.id)
    # Drafts a cajero left parked (the OpenAPI examples of the draft routes name them).
    for i, lineas in enumerate(((("PAN-6", "1"),), (("CAF-500", "1"),)), start=1):
        servicios.facturas.crear_factura(
            CrearFactura(
                *quito,
                tuple(_linea(c, q) for c, q in lineas),
                borrador=True,
                factura_id=id_demo(f"factura/borrador/{i}"),
            ),
            meta,
        )
    return numeros


def crear_usuarios_demo(servicios: Servicios) -> dict[str, str]:
    """A user per role, named as the role, with a random password; those that exist
    already are left as they are. The new ones' passwords, by user name (shown once)."""
    nuevas: dict[str, str] = {}
    existentes = {u.nombre.casefold() for u in servicios.usuarios.listar()}
    for rol in USUARIOS_DEMO:
        if rol.value in existentes:
            continue
        clave = secrets.token_urlsafe(9)
        try:
            servicios.usuarios.crear(rol.value, rol, clave)
        except Duplicado:  # created meanwhile by another demo
            continue
        nuevas[rol.value] = clave
    return nuevas
