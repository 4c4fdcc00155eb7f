"""Issue 13, items 5, 6 and 9 and the clave de acceso: tarifas valid only on their dates
and stored with the document; the emisor and establecimiento copied into the emission
events with the clave; the emisor's RUC ending in 001; a punto's initial secuencial."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from negocio import EMISOR, HOY, Negocio

from prometeo.domain.aggregates.factura import Factura
from prometeo.domain.aggregates.nota_credito import NotaCredito, importes_de_lineas
from prometeo.domain.aggregates.secuencia import SecuenciaComprobantes
from prometeo.domain.entities.catalogo import Emisor, PuntoDeEmision
from prometeo.domain.errores import ReglasIncumplidas, ValorInvalido
from prometeo.domain.events.comprobante import DatosEstablecimiento
from prometeo.domain.events.factura import FacturaEmitida
from prometeo.domain.events.nota_credito import NotaCreditoEmitida
from prometeo.domain.reloj import RelojFijo
from prometeo.domain.value_objects.clave_acceso import ClaveAcceso, codigo_numerico_de
from prometeo.domain.value_objects.direccion import Direccion
from prometeo.domain.value_objects.identificacion import Ruc
from prometeo.domain.value_objects.numero_comprobante import TipoComprobante
from prometeo.domain.value_objects.tarifa_iva import TarifaIva

# -- 5: tarifas with validity dates, stored with the document ------------------------------


@pytest.mark.parametrize(
    ("codigo", "fecha", "vigente"),
    [
        ("2", date(2024, 3, 31), True),
        ("2", date(2024, 4, 1), False),
        ("4", date(2024, 3, 31), False),
        ("4", date(2024, 4, 1), True),
        ("3", date(2016, 6, 1), True),
        ("3", date(2017, 6, 1), False),
        ("8", HOY, False),  # no decreed day in the table
        ("0", HOY, True),
        ("5", HOY, True),
        ("6", HOY, True),
        ("7", HOY, True),
        ("10", HOY, True),
    ],
)
def test_vigencia_de_las_tarifas(codigo: str, fecha: date, vigente: bool) -> None:
    assert TarifaIva.de_codigo(codigo).vigente_en(fecha) is vigente


def test_tarifa_no_vigente_se_rechaza_nombrando_la_regla() -> None:
    with pytest.raises(ValorInvalido) as error:
        TarifaIva.de_codigo("8").exigir_vigente(HOY)
    assert error.value.reglas == ("TarifaIvaVigente",)
    assert "ningún día decretado" in error.value.errores[0].mensaje
    assert TarifaIva.de_codigo("4").exigir_vigente(HOY).codigo == "4"


@pytest.mark.parametrize("codigo", ["2", "8"])
def test_vender_con_tarifa_no_vigente_a_la_fecha_de_la_factura(codigo: str) -> None:
    negocio = Negocio()
    negocio.ingresar("a", "5", "1.00")
    factura = negocio.borrador([("a", "1", "10.00")], tarifa=codigo)
    with pytest.raises(ReglasIncumplidas) as error:
        negocio.emitir(factura)
    assert "TarifaIvaVigente" in error.value.reglas
    assert factura.numero is None


def test_el_12_por_ciento_se_vende_hasta_su_ultimo_dia_y_queda_guardado() -> None:
    ultimo_dia = date(2024, 3, 31)
    negocio = Negocio(reloj=RelojFijo(ultimo_dia))
    negocio.ingresar("a", "5", "1.00")
    factura = negocio.borrador([("a", "1", "10.00")], tarifa="2", fecha_emision=ultimo_dia)
    emitida = negocio.emitir(factura)
    assert emitida.iva == Decimal("1.20")
    assert [(i.tarifa_iva, i.porcentaje) for i in emitida.importes_por_tarifa] == [
        ("2", Decimal(12))
    ]
    assert [ln.porcentaje_iva for ln in emitida.lineas] == [Decimal(12)]
    # A nota issued later credits at the factura's 12 %, not at today's table.
    negocio.reloj = RelojFijo(date(2024, 5, 2))
    nota = negocio.nota(factura, [("a", "1")], devolucion=False)
    (emitida_nota,) = [e for e in nota.eventos_pendientes if isinstance(e, NotaCreditoEmitida)]
    assert emitida_nota.iva == Decimal("1.20")
    assert emitida_nota.importes_por_tarifa[0].porcentaje == Decimal(12)


def test_la_nota_usa_el_porcentaje_guardado_en_la_factura() -> None:
    negocio = Negocio()
    negocio.ingresar("a", "5", "1.00")
    factura = negocio.borrador([("a", "2", "10.00")])
    negocio.emitir(factura)
    assert factura.porcentajes_iva() == {"4": Decimal(15)}
    nota = negocio.nota(factura, [("a", "1")], devolucion=False)
    assert nota.valor_modificacion == Decimal("11.50")


def test_un_porcentaje_guardado_manda_sobre_la_tabla() -> None:
    negocio = Negocio()
    negocio.ingresar("a", "5", "1.00")
    factura = negocio.borrador([("a", "2", "10.00")])
    negocio.emitir(factura)
    nota = negocio.nota(factura, [("a", "1")], devolucion=False)
    (linea,) = nota.lineas
    assert linea.porcentaje_iva == Decimal(15)
    # Were the table to change, the rate stored with the factura's line is the nota's.
    guardada = replace(linea, porcentaje_iva=Decimal(12))
    assert importes_de_lineas([guardada])[0].porcentaje == Decimal(12)
    # Lines stored before they carried their IVA: the factura's rates by code.
    vieja = replace(linea, porcentaje_iva=None, iva=None)
    (importe,) = importes_de_lineas([vieja], {"4": Decimal(12)})
    assert (importe.iva, importe.porcentaje) == (Decimal("1.20"), Decimal(12))


# -- 6 and the clave: the emisor copied into the emission events ---------------------------


def test_factura_emitida_guarda_emisor_establecimiento_y_clave() -> None:
    negocio = Negocio()
    negocio.ingresar("a", "5", "1.00")
    factura = negocio.borrador([("a", "1", "10.00")])
    emitida = negocio.emitir(factura)
    assert emitida.emisor == EMISOR
    assert emitida.establecimiento == DatosEstablecimiento(
        "001", "Av. Amazonas N24-03, Quito", "001"
    )
    clave = ClaveAcceso(emitida.clave_acceso)
    assert clave.fecha_emision == HOY
    assert (clave.tipo_comprobante, clave.ruc, clave.ambiente) == ("01", EMISOR.ruc, "1")
    assert (clave.serie, clave.secuencial) == ("001001", 1)
    assert emitida.codigo_numerico == clave.codigo_numerico == codigo_numerico_de(factura.id)
    assert emitida.tipo_emision == clave.tipo_emision == "1"
    assert factura.clave_acceso == emitida.clave_acceso
    assert factura.emisor == EMISOR
    assert Factura.reconstruir(factura.id, factura.eventos_pendientes) == factura


def test_nota_emitida_guarda_emisor_y_clave_tipo_04() -> None:
    negocio = Negocio()
    negocio.ingresar("a", "5", "1.00")
    factura = negocio.borrador([("a", "2", "10.00")])
    negocio.emitir(factura)
    nota = negocio.nota(factura, [("a", "1")])
    (emitida,) = [e for e in nota.eventos_pendientes if isinstance(e, NotaCreditoEmitida)]
    clave = ClaveAcceso(emitida.clave_acceso)
    assert (clave.tipo_comprobante, clave.ruc, clave.secuencial) == ("04", EMISOR.ruc, 1)
    assert emitida.emisor == EMISOR
    assert emitida.establecimiento.codigo == "001"
    assert nota.clave_acceso == emitida.clave_acceso
    assert NotaCredito.reconstruir(nota.id, nota.eventos_pendientes) == nota


def _emisor(ruc: str, **extra: object) -> Emisor:
    return Emisor(Ruc(ruc), "Andina S.A.", "Andina", Direccion("Quito"), True, "1", **extra)  # type: ignore[arg-type]


def test_ruc_del_emisor_debe_terminar_en_001() -> None:
    with pytest.raises(ValorInvalido) as error:
        _emisor("0602910945002")  # a valid natural-person RUC of establishment 002
    assert error.value.reglas == ("RucEmisorTerminaEn001",)
    assert _emisor("0602910945001").ruc.numero == "0602910945001"


@pytest.mark.parametrize(
    ("extra", "regla"),
    [
        ({"contribuyente_especial": "12"}, "ContribuyenteEspecialValido"),
        ({"contribuyente_especial": "12 34"}, "ContribuyenteEspecialValido"),
        ({"agente_retencion": "123456789"}, "AgenteRetencionValido"),
        ({"agente_retencion": "A1"}, "AgenteRetencionValido"),
        ({"regimen": "RIMPE"}, "RegimenValido"),
    ],
)
def test_campos_nuevos_del_emisor(extra: dict[str, object], regla: str) -> None:
    with pytest.raises(ValorInvalido) as error:
        _emisor("1790011674001", **extra)
    assert error.value.reglas == (regla,)


def test_el_emisor_se_copia_entero() -> None:
    emisor = _emisor(
        "1790011674001",
        contribuyente_especial=" 5368 ",
        agente_retencion="",
        regimen="RIMPE_EMPRENDEDOR",
    )
    datos = emisor.datos()
    assert (datos.ruc, datos.direccion_matriz, datos.contribuyente_especial) == (
        "1790011674001",
        "Quito",
        "5368",
    )
    assert (datos.agente_retencion, datos.regimen) == (None, "RIMPE_EMPRENDEDOR")


# -- 9: the initial secuencial of a punto --------------------------------------------------


def test_el_primer_numero_es_el_inicial_y_luego_sin_huecos() -> None:
    secuencia = SecuenciaComprobantes.para("p", TipoComprobante.FACTURA)
    primero = secuencia.asignar_secuencial("001", "002", "f1", 1500)
    segundo = secuencia.asignar_secuencial("001", "002", "f2", 1500)
    assert (str(primero), str(segundo)) == ("001-002-000001500", "001-002-000001501")
    reconstruida = SecuenciaComprobantes.reconstruir(secuencia.id, secuencia.eventos_pendientes)
    assert str(reconstruida.asignar_secuencial("001", "002", "f3", 7)) == "001-002-000001502"


def test_emitir_desde_un_punto_con_secuencial_inicial() -> None:
    negocio = Negocio()
    negocio.ingresar("a", "5", "1.00")
    emitida: FacturaEmitida = negocio.emitir(
        negocio.borrador([("a", "1", "1.00")]), secuencial_inicial=1500
    )
    assert (emitida.numero, emitida.secuencial) == ("001-001-000001500", 1500)
    assert ClaveAcceso(emitida.clave_acceso).secuencial == 1500


def test_punto_de_emision_con_secuenciales_iniciales() -> None:
    punto = PuntoDeEmision("p", "s", "001", {"01": 1500, "04": 20})  # type: ignore[arg-type]
    assert punto.siguiente_secuencial == (("01", 1500), ("04", 20))
    assert punto.secuencial_inicial(TipoComprobante.NOTA_CREDITO) == 20
    assert PuntoDeEmision("q", "s", "002").secuencial_inicial(TipoComprobante.FACTURA) == 1


@pytest.mark.parametrize(
    "valor",
    [{"05": 3}, {"01": 0}, {"01": 1_000_000_000}, {"01": "3"}, {"01": True}, "01", [("01",)]],
)
def test_secuencial_inicial_invalido(valor: object) -> None:
    with pytest.raises(ValorInvalido) as error:
        PuntoDeEmision("p", "s", "001", valor)  # type: ignore[arg-type]
    assert error.value.reglas == ("SecuencialInicialValido",)
