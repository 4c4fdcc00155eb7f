"""Bodies of physical counts (conteos), write-offs of expired lots (bajas) and the lots
about to expire (por vencer)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Self

from pydantic import AfterValidator, AwareDatetime, Field

from prometeo.application.comandos import DarDeBaja, LineaConteoCmd, RegistrarConteo
from prometeo.application.consultas import LotePorVencerVista
from prometeo.application.resultados import AjusteRegistrado, BajaRegistrada, ConteoRegistrado
from prometeo.entrypoints.api import datos_demo as demo
from prometeo.entrypoints.api.esquemas.comunes import (
    FECHA_MAXIMA,
    FECHA_MINIMA,
    Entrada,
    Id,
    Numero,
    Salida,
    Texto,
    dinero,
    ejemplos,
    numero,
    precio,
)

# A count's lines are read in one transaction; a shop counts a shelf, not the catalog.
MAXIMO_LINEAS_CONTEO = 1000


def _instante(valor: datetime) -> datetime:
    # Arithmetic near the ends of the calendar would overflow (as for dates).
    if not FECHA_MINIMA <= valor.date() <= FECHA_MAXIMA:
        raise ValueError(f"debe estar entre {FECHA_MINIMA} y {FECHA_MAXIMA}")
    return valor


Instante = Annotated[AwareDatetime, AfterValidator(_instante)]


class LineaConteoEntrada(Entrada):
    """Un producto contado y las unidades encontradas (0: no había ninguna)."""

    producto_id: Id
    cantidad: Numero = Field(description="Unidades contadas: cero o más, hasta 6 decimales.")


class ConteoEntrada(Entrada):
    """Un conteo físico de productos de una bodega."""

    model_config = ejemplos(
        {
            "bodega_id": demo.BODEGA,
            "referencia": "Conteo mensual 2026-11, percha 3",
            "conteos": [{"producto_id": demo.PRODUCTO, "cantidad": "18"}],
        }
    )

    bodega_id: Id
    referencia: Texto = Field(description="Documento del conteo; el kardex lo muestra.")
    conteos: list[LineaConteoEntrada] = Field(max_length=MAXIMO_LINEAS_CONTEO)
    contado_en: Instante | None = Field(
        default=None,
        description="Fecha y hora (con zona horaria) en que empezó el conteo; por omisión, "
        "ahora. Si un producto tuvo movimientos desde ese segundo, el conteo se rechaza "
        "(ConteoSinMovimientos) salvo con `usar_stock_al_contar`.",
    )
    usar_stock_al_contar: bool = Field(
        default=False,
        description="Comparar cada producto con el stock que tenía al empezar el conteo, "
        "aunque se haya movido después; la diferencia se registra ahora.",
    )

    def a_comando(self) -> RegistrarConteo:
        return RegistrarConteo(
            self.bodega_id,
            self.referencia,
            tuple(LineaConteoCmd(ln.producto_id, ln.cantidad) for ln in self.conteos),
            self.contado_en,
            self.usar_stock_al_contar,
        )


class AjusteRespuesta(Salida):
    """Lo que el conteo encontró de un producto y la diferencia registrada (ninguna si es
    cero; negativa: faltante)."""

    producto_id: str
    producto_codigo: str
    producto_nombre: str
    contada: str = Field(examples=["18"])
    esperada: str = Field(examples=["20"], description="El stock con el que se comparó.")
    diferencia: str = Field(examples=["-2"])
    costo: str = Field(examples=["9.60"], description="Valor que salió o entró, al costo.")

    @classmethod
    def desde(cls, ajuste: AjusteRegistrado) -> Self:
        return cls(
            producto_id=ajuste.producto_id,
            producto_codigo=ajuste.producto_codigo,
            producto_nombre=ajuste.producto_nombre,
            contada=numero(ajuste.contada),
            esperada=numero(ajuste.esperada),
            diferencia=numero(ajuste.diferencia),
            costo=dinero(ajuste.costo),
        )


class ConteoRespuesta(Salida):
    """El conteo registrado: solo las diferencias entraron o salieron del stock."""

    conteo_id: str
    bodega_id: str
    referencia: str
    ajustes: list[AjusteRespuesta]

    @classmethod
    def desde(cls, entrada: ConteoEntrada, conteo: ConteoRegistrado) -> Self:
        return cls(
            conteo_id=conteo.conteo_id,
            bodega_id=entrada.bodega_id,
            referencia=entrada.referencia.strip(),
            ajustes=[AjusteRespuesta.desde(a) for a in conteo.ajustes],
        )


class BajaEntrada(Entrada):
    """La baja de un lote vencido: todo lo que queda de él sale del stock, a su costo."""

    model_config = ejemplos(
        {
            "producto_id": demo.PRODUCTO,
            "bodega_id": demo.BODEGA,
            "lote_id": "3f0c1a52-7b8e-4d5a-9a51-2f3e4c5d6e7f",
            "motivo": "Producto caducado, destruido según acta 12",
        }
    )

    producto_id: Id
    bodega_id: Id
    lote_id: Id
    motivo: Texto = Field(description="Por qué se da de baja; el kardex lo muestra.")

    def a_comando(self) -> DarDeBaja:
        return DarDeBaja(self.producto_id, self.bodega_id, self.lote_id, self.motivo)


class BajaRespuesta(Salida):
    """La baja registrada."""

    baja_id: str
    producto_id: str
    bodega_id: str
    lote_id: str
    cantidad: str = Field(examples=["4"])
    costo: str = Field(examples=["19.20"], description="Valor que salió, al costo del lote.")
    motivo: str

    @classmethod
    def desde(cls, entrada: BajaEntrada, baja: BajaRegistrada) -> Self:
        return cls(
            baja_id=baja.baja_id,
            producto_id=entrada.producto_id,
            bodega_id=entrada.bodega_id,
            lote_id=baja.lote_id,
            cantidad=numero(baja.cantidad),
            costo=dinero(baja.costo),
            motivo=entrada.motivo.strip(),
        )


class LotePorVencerRespuesta(Salida):
    """Un lote con unidades que vence pronto, o ya venció (`vencido`: ninguna salida lo
    toma; espera su baja)."""

    lote_id: str
    producto_id: str
    producto_codigo: str
    producto_nombre: str
    bodega_id: str
    fecha_ingreso: date
    fecha_caducidad: date
    cantidad_disponible: str = Field(examples=["4"])
    costo_unitario: str = Field(examples=["4.80"])
    valor_disponible: str = Field(examples=["19.20"])
    dias_para_vencer: int = Field(examples=[12], description="Negativo si ya venció.")
    vencido: bool

    @classmethod
    def desde(cls, vista: LotePorVencerVista) -> Self:
        return cls(
            lote_id=vista.lote_id,
            producto_id=vista.producto_id,
            producto_codigo=vista.producto_codigo,
            producto_nombre=vista.producto_nombre,
            bodega_id=vista.bodega_id,
            fecha_ingreso=vista.fecha_ingreso,
            fecha_caducidad=vista.fecha_caducidad,
            cantidad_disponible=numero(vista.cantidad_disponible),
            costo_unitario=precio(vista.costo_unitario),
            valor_disponible=dinero(vista.valor_disponible),
            dias_para_vencer=vista.dias_para_vencer,
            vencido=vista.vencido,
        )


class ListaPorVencer(Salida):
    """Lotes por vencer y vencidos."""

    items: list[LotePorVencerRespuesta] = Field(description="El que vence primero, primero.")
