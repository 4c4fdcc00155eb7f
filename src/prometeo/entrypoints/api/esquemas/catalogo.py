"""Bodies of the catalog: emisor, sucursales, puntos de emisión, bodegas, productos and
clientes."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Self

from pydantic import Field, StrictBool, StrictInt

from prometeo.application.comandos import (
    CrearBodega,
    CrearCliente,
    CrearProducto,
    CrearPuntoEmision,
    CrearSucursal,
    ModificarCliente,
    ModificarProducto,
    RegistrarEmisor,
)
from prometeo.application.consultas import (
    BodegaVista,
    ClienteVista,
    EmisorVista,
    ProductoVista,
    PuntoEmisionVista,
    SucursalVista,
)
from prometeo.domain.entities.cambios import CambioCatalogo
from prometeo.domain.errores import ReglaIncumplida, ReglasIncumplidas
from prometeo.domain.value_objects.tarifa_iva import TARIFAS_IVA
from prometeo.entrypoints.api import datos_demo as demo
from prometeo.entrypoints.api.esquemas.comunes import (
    Entrada,
    Id,
    Numero,
    Salida,
    Texto,
    ejemplos,
    numero,
    precio,
)

TIPOS_IDENTIFICACION = {"04": "RUC", "05": "cédula", "06": "pasaporte", "08": "exterior"}
_DESCRIPCION_TARIFAS = ", ".join(f'"{t.codigo}" {t.descripcion}' for t in TARIFAS_IVA.values())


class EmisorEntrada(Entrada):
    """La empresa que emite los comprobantes."""

    model_config = ejemplos(
        {
            "ruc": "1790011674001",
            "razon_social": "Comercial Andina S.A.",
            "nombre_comercial": "Andina",
            "direccion_matriz": "Av. Amazonas N34-120, Quito",
            "obligado_contabilidad": True,
            "ambiente": "1",
            "contribuyente_especial": "5368",
            "regimen": "GENERAL",
        }
    )

    ruc: Texto = Field(description="RUC de 13 dígitos de la empresa.")
    razon_social: Texto
    nombre_comercial: Texto
    direccion_matriz: Texto
    obligado_contabilidad: StrictBool
    ambiente: Texto = Field(description='"1" pruebas, "2" producción.', examples=["1"])
    contribuyente_especial: Texto | None = Field(
        default=None, description="Número de resolución de contribuyente especial, si lo es."
    )
    agente_retencion: Texto | None = Field(
        default=None, description="Número de resolución de agente de retención, si lo es."
    )
    regimen: Texto = Field(
        default="GENERAL",
        description='"GENERAL", "RIMPE_EMPRENDEDOR" o "RIMPE_NEGOCIO_POPULAR".',
    )

    def a_comando(self) -> RegistrarEmisor:
        return RegistrarEmisor(
            self.ruc,
            self.razon_social,
            self.nombre_comercial,
            self.direccion_matriz,
            self.obligado_contabilidad,
            self.ambiente,
            self.contribuyente_especial,
            self.agente_retencion,
            self.regimen,
        )


class EmisorRespuesta(Salida):
    """La empresa emisora registrada."""

    ruc: str
    razon_social: str
    nombre_comercial: str
    direccion_matriz: str
    obligado_contabilidad: bool
    ambiente: str
    contribuyente_especial: str | None
    agente_retencion: str | None
    regimen: str
    advertencias: list[str] = Field(
        default_factory=list,
        description="Avisos que no impiden el registro (p. ej. dígito verificador de un RUC "
        "de sociedad que el SRI emitió igualmente).",
    )

    @classmethod
    def desde(cls, emisor: EmisorVista) -> Self:
        return cls(
            ruc=emisor.ruc,
            razon_social=emisor.razon_social,
            nombre_comercial=emisor.nombre_comercial,
            direccion_matriz=emisor.direccion_matriz,
            obligado_contabilidad=emisor.obligado_contabilidad,
            ambiente=emisor.ambiente,
            contribuyente_especial=emisor.contribuyente_especial,
            agente_retencion=emisor.agente_retencion,
            regimen=emisor.regimen,
            advertencias=list(emisor.advertencias),
        )


class SucursalEntrada(Entrada):
    """Una sucursal (establecimiento) nueva."""

    model_config = ejemplos(
        {"codigo": "003", "nombre": "Sucursal Cuenca", "direccion": "Av. Solano 2-45, Cuenca"}
    )

    codigo: Texto = Field(description="Código de establecimiento, 3 dígitos (001 a 999).")
    nombre: Texto
    direccion: Texto

    def a_comando(self) -> CrearSucursal:
        return CrearSucursal(self.codigo, self.nombre, self.direccion)


class SucursalRespuesta(Salida):
    """Una sucursal (establecimiento): su código abre cada número de comprobante."""

    id: str
    codigo: str
    nombre: str
    direccion: str
    activo: bool = Field(description="Una sucursal inactiva no vende ni recibe mercadería.")

    @classmethod
    def desde(cls, sucursal: SucursalVista) -> Self:
        return cls(
            id=sucursal.id,
            codigo=sucursal.codigo,
            nombre=sucursal.nombre,
            direccion=sucursal.direccion,
            activo=sucursal.activo,
        )


class ActivoEntrada(Entrada):
    """Desactivar (o volver a activar) una sucursal, un punto de emisión o una bodega."""

    model_config = ejemplos({"activo": False})

    activo: StrictBool = Field(
        description="false: desde ahora no vende ni recibe; lo que ya hizo se conserva."
    )


class PuntoEmisionEntrada(Entrada):
    """Un punto de emisión nuevo de la sucursal."""

    model_config = ejemplos({"codigo": "002", "siguiente_secuencial": {"01": 1500, "04": 20}})

    codigo: Texto = Field(description="Código del punto de emisión, 3 dígitos (001 a 999).")
    siguiente_secuencial: dict[str, StrictInt] | None = Field(
        default=None,
        description="Para un punto que ya emitió números en otro sistema: el primer secuencial "
        'que emitirá aquí, por tipo de comprobante ("01" factura, "04" nota de crédito); '
        "1 si no se indica.",
    )

    def a_comando(self, sucursal_id: str) -> CrearPuntoEmision:
        return CrearPuntoEmision(
            sucursal_id, self.codigo, siguiente_secuencial=self.siguiente_secuencial
        )


class PuntoEmisionRespuesta(Salida):
    """Un punto de emisión: los tres dígitos del medio del número."""

    id: str
    codigo: str
    sucursal_id: str
    siguiente_secuencial: dict[str, int] = Field(
        description="El primer secuencial de cada tipo de comprobante, como se creó el punto.",
        examples=[{"01": 1500, "04": 1}],
    )
    activo: bool = Field(description="Un punto inactivo no emite comprobantes.")

    @classmethod
    def desde(cls, punto: PuntoEmisionVista) -> Self:
        return cls(
            id=punto.id,
            codigo=punto.codigo,
            sucursal_id=punto.sucursal_id,
            siguiente_secuencial=dict(punto.siguiente_secuencial),
            activo=punto.activo,
        )


class BodegaEntrada(Entrada):
    """Una bodega nueva de una sucursal."""

    model_config = ejemplos(
        {"sucursal_id": demo.SUCURSAL, "codigo": "QUI-02", "nombre": "Bodega Quito norte"}
    )

    sucursal_id: Id
    codigo: Texto
    nombre: Texto

    def a_comando(self) -> CrearBodega:
        return CrearBodega(self.sucursal_id, self.codigo, self.nombre)


class BodegaRespuesta(Salida):
    """Una bodega, donde se guarda el stock."""

    id: str
    sucursal_id: str
    codigo: str
    nombre: str
    activo: bool = Field(
        description="Una bodega inactiva no vende ni recibe; su stock aún puede transferirse."
    )

    @classmethod
    def desde(cls, bodega: BodegaVista) -> Self:
        return cls(
            id=bodega.id,
            sucursal_id=bodega.sucursal_id,
            codigo=bodega.codigo,
            nombre=bodega.nombre,
            activo=bodega.activo,
        )


class ProductoEntrada(Entrada):
    """Un producto nuevo del catálogo."""

    model_config = ejemplos(
        {
            "codigo": "TE-25",
            "nombre": "Té de manzanilla, 25 sobres",
            "precio": "1.95",
            "tarifa_iva": "4",
        },
        {
            "codigo": "ARR-1",
            "nombre": "Arroz",
            "precio": "1.20",
            "tarifa_iva": "0",
            "codigos_barra": ["7861234567890"],
            "unidad_medida": "kg",
        },
    )

    codigo: Texto
    nombre: Texto
    precio: Numero = Field(description="Precio de lista unitario, sin IVA (hasta 6 decimales).")
    tarifa_iva: Texto = Field(
        description=f"codigoPorcentaje de IVA del SRI: {_DESCRIPCION_TARIFAS}.",
        json_schema_extra={"enum": list(TARIFAS_IVA)},
    )
    stock_minimo: Numero = Field(
        default=Decimal(0), description="Con este stock o menos se avisa StockBajo."
    )
    codigos_barra: list[Texto] = Field(
        default_factory=list,
        max_length=100,
        description="Códigos de barras (EAN, UPC…), de hasta 25 caracteres y sin repetir; "
        "el primero figura como código auxiliar en las facturas.",
    )
    unidad_medida: Texto | None = Field(
        default=None, description="Unidad de medida (hasta 50 caracteres), p. ej. kg."
    )

    def a_comando(self) -> CrearProducto:
        return CrearProducto(
            self.codigo,
            self.nombre,
            self.precio,
            self.tarifa_iva,
            self.stock_minimo,
            codigos_barra=tuple(self.codigos_barra),
            unidad_medida=self.unidad_medida,
        )


class ProductoCambios(Entrada):
    """Lo que cambia de un producto; lo que no se envía se conserva. Su código no cambia
    (las facturas y los lotes lo nombran): otro código es otro producto."""

    model_config = ejemplos(
        {"precio": "2.10"},
        {"tarifa_iva": "4", "vigente_desde": "2031-01-01"},
        {"codigos_barra": ["7860000000017", "7860000000024"], "activo": True},
    )

    codigo: Any = Field(default=None, description="No se admite: el código no cambia.")
    precio: Numero | None = Field(default=None, description="Nuevo precio de lista, sin IVA.")
    nombre: Texto | None = None
    tarifa_iva: Texto | None = Field(
        default=None,
        description=f"Nueva tarifa de IVA (codigoPorcentaje: {_DESCRIPCION_TARIFAS}).",
        json_schema_extra={"enum": list(TARIFAS_IVA)},
    )
    vigente_desde: date | None = Field(
        default=None,
        description="Desde qué día rige la nueva tarifa_iva (hoy si no se indica; nunca "
        "antes de hoy). Hasta ese día se vende con la tarifa actual.",
    )
    stock_minimo: Numero | None = None
    codigos_barra: list[Texto] | None = Field(
        default=None, max_length=100, description="Reemplaza la lista de códigos de barras."
    )
    unidad_medida: Texto | None = Field(default=None, description="null la quita.")
    activo: StrictBool | None = Field(
        default=None, description="false: no se vende ni se ingresa; su historia se conserva."
    )

    def a_comando(self, producto_id: str) -> ModificarProducto:
        if "codigo" in self.model_fields_set:
            raise ReglasIncumplidas(
                [
                    ReglaIncumplida(
                        "CodigoProductoInmutable",
                        "El código de un producto no cambia (las facturas y los lotes lo "
                        "nombran): cree otro producto con el código nuevo",
                    )
                ]
            )
        dados = {
            campo: getattr(self, campo)
            for campo in (
                "precio",
                "nombre",
                "tarifa_iva",
                "stock_minimo",
                "codigos_barra",
                "unidad_medida",
                "activo",
            )
            if campo in self.model_fields_set
        }
        return ModificarProducto(producto_id, vigente_desde=self.vigente_desde, **dados)


class TarifaProgramadaRespuesta(Salida):
    tarifa_iva: str = Field(examples=["4"])
    vigente_desde: date


class ProductoRespuesta(Salida):
    """Un producto: precio de lista, tarifa de IVA (la de hoy, y la anunciada para un día
    futuro, si la hay) y stock mínimo."""

    id: str
    codigo: str
    nombre: str
    precio: str = Field(examples=["8.00"])
    tarifa_iva: str = Field(examples=["4"])
    stock_minimo: str = Field(examples=["0"])
    codigos_barra: list[str] = Field(examples=[["7861234567890"]])
    unidad_medida: str | None = Field(examples=["kg"])
    activo: bool = Field(description="Un producto inactivo no se vende ni se ingresa.")
    tarifa_iva_programada: TarifaProgramadaRespuesta | None = Field(
        default=None, description="La tarifa que rige desde un día futuro."
    )

    @classmethod
    def desde(cls, producto: ProductoVista) -> Self:
        programada = producto.tarifa_programada
        return cls(
            id=producto.id,
            codigo=producto.codigo,
            nombre=producto.nombre,
            precio=precio(producto.precio),
            tarifa_iva=producto.tarifa_iva,
            stock_minimo=numero(producto.stock_minimo),
            codigos_barra=list(producto.codigos_barra),
            unidad_medida=producto.unidad_medida,
            activo=producto.activo,
            tarifa_iva_programada=None
            if programada is None
            else TarifaProgramadaRespuesta(tarifa_iva=programada[1], vigente_desde=programada[0]),
        )


class CampoCambiadoRespuesta(Salida):
    campo: str = Field(examples=["precio"])
    antes: Any = Field(examples=["1.95"], description="null en la creación.")
    despues: Any = Field(examples=["2.10"])


class CambioRespuesta(Salida):
    """Un cambio (o la creación) de una entrada del catálogo: quién, cuándo y qué."""

    numero: int = Field(description="Orden del cambio en la historia del catálogo.")
    fecha: datetime
    usuario: str
    token_id: str | None
    campos: list[CampoCambiadoRespuesta]

    @classmethod
    def desde(cls, cambio: CambioCatalogo) -> Self:
        return cls(
            numero=cambio.numero or 0,
            fecha=cambio.ocurrido_en,
            usuario=cambio.usuario,
            token_id=cambio.token_id,
            campos=[
                CampoCambiadoRespuesta(campo=c.campo, antes=c.antes, despues=c.despues)
                for c in cambio.campos
            ],
        )


class ListaCambios(Salida):
    """Los cambios, del más antiguo al más reciente."""

    items: list[CambioRespuesta]


class ListaProductos(Salida):
    """Productos, por código."""

    items: list[ProductoRespuesta]


class ListaSucursales(Salida):
    items: list[SucursalRespuesta]


class ListaPuntosEmision(Salida):
    items: list[PuntoEmisionRespuesta]


class ListaBodegas(Salida):
    items: list[BodegaRespuesta]


class ClienteEntrada(Entrada):
    """Un cliente nuevo, con su identificación ante el SRI."""

    model_config = ejemplos(
        {
            "tipo_identificacion": "05",
            "identificacion": "1710034065",
            "razon_social": "Jorge Luis Andrade Mora",
            "direccion": "Av. 6 de Diciembre N24-33, Quito",
            "email": "jorge@example.com",
            "telefono": "0991234567",
        }
    )

    tipo_identificacion: Texto = Field(
        description="04 RUC, 05 cédula, 06 pasaporte, 08 identificación del exterior.",
        json_schema_extra={"enum": list(TIPOS_IDENTIFICACION)},
    )
    identificacion: Texto
    razon_social: Texto
    direccion: Texto | None = None
    email: Texto | None = None
    telefono: Texto | None = Field(
        default=None,
        description="Un teléfono: de 7 a 15 dígitos, con espacios, + ( ) o - (hasta 20 "
        "caracteres).",
    )

    def a_comando(self) -> CrearCliente:
        return CrearCliente(
            self.tipo_identificacion,
            self.identificacion,
            self.razon_social,
            self.direccion,
            self.email,
            telefono=self.telefono,
        )


class ClienteRespuesta(Salida):
    """Un cliente; `advertencias` avisa, p. ej., de un RUC de sociedad con dígito verificador
    errado."""

    id: str
    tipo_identificacion: str
    identificacion: str
    razon_social: str
    direccion: str | None
    email: str | None
    telefono: str | None = None
    advertencias: list[str] = Field(default_factory=list)

    @classmethod
    def desde(cls, cliente: ClienteVista) -> Self:
        return cls(
            id=cliente.id,
            tipo_identificacion=cliente.tipo_identificacion,
            identificacion=cliente.identificacion,
            razon_social=cliente.razon_social,
            direccion=cliente.direccion,
            email=cliente.email,
            telefono=cliente.telefono,
            advertencias=list(cliente.advertencias),
        )


class ClienteCambios(Entrada):
    """Los datos de contacto de un cliente; lo que no se envía se conserva y null lo
    borra. La identificación y la razón social no cambian: son las del comprador ante el
    SRI (otro comprador es otro cliente)."""

    model_config = ejemplos({"direccion": "Av. Loja 1-20, Cuenca", "telefono": "072345678"})

    tipo_identificacion: Any = Field(default=None, description="No se admite.")
    identificacion: Any = Field(default=None, description="No se admite.")
    razon_social: Any = Field(default=None, description="No se admite.")
    direccion: Texto | None = None
    email: Texto | None = None
    telefono: Texto | None = None

    def a_comando(self, cliente_id: str) -> ModificarCliente:
        inmutables = sorted(
            {"tipo_identificacion", "identificacion", "razon_social"} & self.model_fields_set
        )
        if inmutables:
            raise ReglasIncumplidas(
                [
                    ReglaIncumplida(
                        "IdentificacionInmutable",
                        f"{', '.join(inmutables)} no cambia: es como el SRI conoce al "
                        "comprador (registre otro cliente)",
                    )
                ]
            )
        dados = {
            c: getattr(self, c)
            for c in ("direccion", "email", "telefono")
            if c in self.model_fields_set
        }
        return ModificarCliente(cliente_id, **dados)


class ListaClientes(Salida):
    """Clientes."""

    items: list[ClienteRespuesta]
