"""The sale screen (/caja, cajero and admin; API.md "People on the web").

A sale is a draft stored on the server from the first scan (a reload, a crash of the
browser or another device loses nothing): /caja is a new sale, /caja/venta/{id} one in
progress. Each change answers the sale's fragment, rebuilt from the draft's own events,
with the rules that would stop its emission beside the cart. Every change carries the
draft's version as the page showed it (a second tab's change in between is refused,
naming it) and an idempotency key (a retry or a double submit does it once; the emission
above all). The punto de emisión and bodega are chosen once per device (a cookie) and
never asked when the business has one of each."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from prometeo.application.acceso import ROLES_QUE_REBAJAN
from prometeo.application.comandos import (
    CambiarLinea,
    CrearCliente,
    DescartarBorrador,
    DescuentoGlobalCmd,
    EmitirFactura,
    ModificarBorrador,
    PagoCmd,
    ProductoEscaneado,
    QuitarLinea,
    SumarAlBorrador,
)
from prometeo.application.consultas import EmisorVista, FacturaVista, ProductoVista
from prometeo.application.unidad_de_trabajo import Metadatos
from prometeo.domain.aggregates.factura import EstadoFactura
from prometeo.domain.errores import NoEncontrado, ValorInvalido
from prometeo.entrypoints.ride import FACTURA, ride
from prometeo.entrypoints.web import formato
from prometeo.entrypoints.web.avisos import RECHAZOS, Aviso, avisos_de
from prometeo.entrypoints.web.caja_puesto import Puesto, elegir_puesto, puesto_de
from prometeo.entrypoints.web.caja_vista import (
    ESTADOS_EN_CAMINO,
    FORMAS_PAGO,
    Venta,
    revisar_identificacion,
    venta_de,
)
from prometeo.entrypoints.web.escaneo import CambioDeCantidad, Escaneo, leer_escaneo
from prometeo.entrypoints.web.escrituras import escribir_una_vez, huella_de
from prometeo.entrypoints.web.formularios import (
    clave_idempotencia,
    comprobar_csrf,
    formulario,
    nueva_clave_idempotencia,
)
from prometeo.entrypoints.web.paginas import pagina
from prometeo.entrypoints.web.sesiones import CAJA, Persona, permitido

router = APIRouter(include_in_schema=False)

Cajero = Annotated[Persona, Depends(permitido(CAJA, "abrir Caja"))]
# How many products a name typed at the till may match and still be offered to pick.
OPCIONES_POR_NOMBRE = 8
_MAXIMO_ESCANEOS = 200


@dataclass(frozen=True, slots=True)
class Opcion:
    """A product offered when a name typed matches several."""

    codigo: str
    nombre: str
    precio: str


def _parcial(request: Request) -> bool:
    return bool(request.headers.get("hx-request")) and not request.headers.get("hx-boosted")


def _venta(
    persona: Persona,
    factura_id: str | None,
    avisos: tuple[Aviso, ...] = (),
    recibido: Decimal | None = None,
) -> Venta:
    """The sale to show (blocking): a new one without `factura_id`."""
    if factura_id is None:
        return Venta(avisos=avisos, clave_emision=nueva_clave_idempotencia())
    try:
        revision = persona.servicios.facturas.revisar_borrador(factura_id)
    except NoEncontrado as error:
        return Venta(avisos=(*avisos, *avisos_de(error)), clave_emision="")
    estado = revision.factura.estado
    if estado not in (EstadoFactura.BORRADOR, EstadoFactura.EMITIDA):
        # A sale thrown away (or annulled) is not taken up again: the till starts anew.
        cerrada = Aviso(
            "VentaAbierta",
            f"Esa venta está {estado.value.lower()}: no se puede seguir. Empiece otra.",
        )
        return Venta(avisos=(*avisos, cerrada), clave_emision=nueva_clave_idempotencia())
    return venta_de(revision, nueva_clave_idempotencia(), avisos, recibido)


def _mostrar(
    request: Request,
    persona: Persona,
    puesto: Puesto,
    venta: Venta,
    *,
    estado: int = 200,
    opciones: tuple[Opcion, ...] = (),
) -> Response:
    """The whole screen, or (for the screen's own requests) only the sale's fragment."""
    cabeceras = {"X-Caja-Venta": venta.id or ""} if _parcial(request) else None
    return pagina(
        request,
        "caja.html",
        persona.sesion,
        estado=estado,
        bloque="venta" if _parcial(request) else None,
        cabeceras=cabeceras,
        venta=venta,
        puesto=puesto,
        opciones=opciones,
        formas_pago=FORMAS_PAGO,
    )


async def _puesto(request: Request, persona: Persona) -> Puesto | Response:
    puesto = await run_in_threadpool(puesto_de, request, persona.servicios)
    if puesto is None:
        return await elegir_puesto(request, persona)
    return puesto


@router.get("/caja", name="caja")
async def caja(request: Request, persona: Cajero) -> Response:
    puesto = await _puesto(request, persona)
    if isinstance(puesto, Response):
        return puesto
    return _mostrar(request, persona, puesto, Venta(clave_emision=nueva_clave_idempotencia()))


@router.get("/caja/venta/{factura_id}", name="caja_venta")
async def venta(request: Request, factura_id: str, persona: Cajero) -> Response:
    if len(factura_id) > 100:
        raise HTTPException(404)
    puesto = await _puesto(request, persona)
    if isinstance(puesto, Response):
        return puesto
    actual = await run_in_threadpool(_venta, persona, factura_id)
    perdida = any(a.regla == "Existe" for a in actual.avisos)
    return _mostrar(request, persona, puesto, actual, estado=404 if perdida else 200)


# -- changes of the sale ---------------------------------------------------------------------

# A change: its metadata and the form's fields in, the sale's id out; it may also name
# products for the cajero to pick (a name typed that matches several) or scans that named
# nothing (`Opcion` with no code), in the list it is given.
Hacer = Callable[[Metadatos, dict[str, str], list["Opcion"]], str | None]


async def _cambiar(
    request: Request,
    persona: Persona,
    hacer: Hacer,
    *,
    recibido: bool = False,
    una_vez: bool = False,
) -> Response:
    """Run one change of the sale and answer the sale as it is after it, with what refused
    it (nothing changed then) beside the cart.

    A change is done once, whatever the retries: a change of a draft the page names with
    its version applies to that version only (a repeated request finds the draft moved on
    and is refused, BorradorSinCambiosAjenos), so the version is its idempotency key and it
    costs no write of its own; a change without one (the scan that opens a sale) and every
    change `una_vez` asks for (the emission) run under the request's idempotency key
    (`escribir_una_vez`)."""
    campos = await formulario(request)
    comprobar_csrf(persona.sesion.csrf, request, campos)
    puesto = await _puesto(request, persona)
    if isinstance(puesto, Response):
        return puesto
    clave = clave_idempotencia(request, campos) or nueva_clave_idempotencia()
    huella = huella_de(request.url.path, campos)
    anterior = campos.get("factura_id") or None

    def correr() -> tuple[Venta, tuple[Opcion, ...]]:
        opciones: list[Opcion] = []
        avisos: tuple[Aviso, ...] = ()
        factura_id = anterior
        con_puesto = {**campos, "_puesto": puesto.clave}
        hecho: str | None
        try:
            if una_vez or anterior is None or _version(campos) is None:
                hecho = escribir_una_vez(
                    persona.servicios,
                    persona.sesion,
                    clave,
                    huella,
                    lambda m: hacer(m, con_puesto, opciones) or "",
                )
            else:
                hecho = hacer(Metadatos(usuario=persona.sesion.usuario), con_puesto, opciones)
            factura_id = hecho or anterior
        except RECHAZOS as error:
            avisos = tuple(avisos_de(error))
        if opciones and opciones[0].codigo == "":
            # Scans some of which named nothing: the rest went in; say which did not.
            avisos = (*avisos, *(Aviso("ProductoExiste", o.nombre) for o in opciones))
            opciones = []
        pagado = _leer_recibido(campos) if recibido and not avisos else None
        return _venta(persona, factura_id, avisos, pagado), tuple(opciones)

    actual, opciones = await run_in_threadpool(correr)
    estado = 422 if actual.avisos and not opciones else 200
    return _mostrar(request, persona, puesto, actual, estado=estado, opciones=opciones)


def _version(campos: dict[str, str]) -> int | None:
    texto = campos.get("version", "")
    return int(texto) if texto.isdigit() else None


def _factura(campos: dict[str, str]) -> str:
    factura_id = campos.get("factura_id", "")
    if not factura_id or len(factura_id) > 100:
        raise ValorInvalido("VentaEnCurso", "Escanee un producto primero: no hay venta en curso.")
    return factura_id


def _escanear(
    persona: Persona, metadatos: Metadatos, campos: dict[str, str], salida: list[Opcion]
) -> str | None:
    textos = [t for t in campos.get("escaneos", "").splitlines() if t.strip()]
    if not textos:
        raise ValorInvalido("EscaneoValido", "Escanee o escriba un código")
    if len(textos) > _MAXIMO_ESCANEOS:
        raise ValorInvalido(
            "EscaneoValido", f"Demasiados escaneos a la vez (máximo {_MAXIMO_ESCANEOS})"
        )
    leidos = [leer_escaneo(t) for t in textos]
    factura_id = campos.get("factura_id") or None
    facturas = persona.servicios.facturas
    if any(isinstance(leido, CambioDeCantidad) for leido in leidos):
        if len(leidos) > 1 or factura_id is None:
            raise ValorInvalido(
                "EscaneoValido",
                "«*cantidad» cambia la cantidad de la última línea: escríbalo solo, con la "
                "venta ya empezada.",
            )
        cambio = leidos[0]
        assert isinstance(cambio, CambioDeCantidad)
        revision = facturas.revisar_borrador(factura_id)
        if not revision.factura.lineas:
            raise ValorInvalido("LineaExistente", "La venta no tiene líneas todavía.")
        ultima = revision.factura.lineas[-1]
        facturas.cambiar_linea(
            CambiarLinea(
                factura_id,
                ultima.numero_linea,
                cambio.cantidad,
                ultima.descuento or None,
                rebajas_autorizadas=persona.sesion.rol in ROLES_QUE_REBAJAN,
                version_esperada=_version(campos),
            ),
            metadatos,
        )
        return factura_id
    productos: list[ProductoEscaneado] = []
    no_hallados: list[Opcion] = []
    opciones: list[Opcion] = []
    for texto, leido in zip(textos, leidos, strict=True):
        assert isinstance(leido, Escaneo)
        producto = _producto(persona, leido.codigo, solo=len(leidos) == 1, opciones=opciones)
        if producto is None:
            if not opciones:
                no_hallados.append(
                    Opcion(
                        "", f"No hay ningún producto con el código o nombre «{texto.strip()}».", ""
                    )
                )
            continue
        productos.append(ProductoEscaneado(producto.id, leido.cantidad))
    salida.extend(opciones or no_hallados)
    if not productos:
        if opciones:
            return factura_id
        raise ValorInvalido("ProductoExiste", no_hallados[0].nombre)
    punto_id, bodega_id = campos["_puesto"].split(",", 1)
    return facturas.sumar_al_borrador(
        SumarAlBorrador(
            tuple(productos),
            factura_id=factura_id,
            punto_emision_id=punto_id,
            bodega_id=bodega_id,
            version_esperada=_version(campos),
        ),
        metadatos,
    )


def _producto(
    persona: Persona, codigo: str, *, solo: bool, opciones: list[Opcion]
) -> ProductoVista | None:
    """The product a scan names: by code or barcode, exactly; a text scanned alone that
    is no code is searched by name (one match is it, several are offered in `opciones`)."""
    consultas = persona.servicios.consultas
    hallados = consultas.productos(limite=1, codigo=codigo)
    if hallados:
        return hallados[0]
    if not solo:
        return None
    parecidos = consultas.productos(limite=OPCIONES_POR_NOMBRE + 1, buscar=codigo, activo=True)
    if len(parecidos) == 1:
        return parecidos[0]
    opciones.extend(
        Opcion(p.codigo, p.nombre, formato.precio(p.precio))
        for p in parecidos[:OPCIONES_POR_NOMBRE]
    )
    return None


@router.post("/caja/escanear", name="caja_escanear")
async def escanear(request: Request, persona: Cajero) -> Response:
    return await _cambiar(request, persona, lambda m, c, o: _escanear(persona, m, c, o))


def _cambiar_linea(persona: Persona, metadatos: Metadatos, campos: dict[str, str]) -> str:
    factura_id = _factura(campos)
    numero = campos.get("numero", "")
    if not numero.isdigit():
        raise ValorInvalido("LineaExistente", "Elija una línea de la venta.")
    texto_descuento = campos.get("descuento", "").strip()
    persona.servicios.facturas.cambiar_linea(
        CambiarLinea(
            factura_id,
            int(numero),
            formato.leer_cantidad(campos.get("cantidad", "")),
            formato.leer_dinero(texto_descuento) if texto_descuento else None,
            rebajas_autorizadas=persona.sesion.rol in ROLES_QUE_REBAJAN,
            version_esperada=_version(campos),
        ),
        metadatos,
    )
    return factura_id


@router.post("/caja/linea", name="caja_linea")
async def cambiar_linea(request: Request, persona: Cajero) -> Response:
    return await _cambiar(request, persona, lambda m, c, _: _cambiar_linea(persona, m, c))


def _quitar_linea(persona: Persona, metadatos: Metadatos, campos: dict[str, str]) -> str:
    factura_id = _factura(campos)
    numero = campos.get("numero", "")
    if not numero.isdigit():
        raise ValorInvalido("LineaExistente", "Elija una línea de la venta.")
    persona.servicios.facturas.quitar_linea(
        QuitarLinea(factura_id, int(numero), version_esperada=_version(campos)), metadatos
    )
    return factura_id


@router.post("/caja/quitar", name="caja_quitar")
async def quitar_linea(request: Request, persona: Cajero) -> Response:
    return await _cambiar(request, persona, lambda m, c, _: _quitar_linea(persona, m, c))


_REGLA_DESCUENTO = "DescuentoGlobalValido"


def _descuento_global(persona: Persona, metadatos: Metadatos, campos: dict[str, str]) -> str:
    factura_id = _factura(campos)
    tipo = campos.get("tipo", "PORCENTAJE")
    if tipo not in ("PORCENTAJE", "MONTO"):
        raise ValorInvalido("DescuentoGlobalValido", "Elija porcentaje o monto.")
    texto = campos.get("valor", "").strip() or "0"
    valor = (
        formato.leer_numero(
            texto, "El descuento", "DescuentoGlobalValido", 2, "DescuentoGlobalValido"
        )
        if tipo == "PORCENTAJE"
        else formato.leer_dinero(texto)
    )
    persona.servicios.facturas.modificar_borrador(
        ModificarBorrador(
            factura_id,
            descuento_global=DescuentoGlobalCmd(tipo, valor),
            rebajas_autorizadas=persona.sesion.rol in ROLES_QUE_REBAJAN,
            version_esperada=_version(campos),
        ),
        metadatos,
    )
    return factura_id


@router.post("/caja/descuento", name="caja_descuento")
async def descuento_global(request: Request, persona: Cajero) -> Response:
    return await _cambiar(request, persona, lambda m, c, _: _descuento_global(persona, m, c))


def _leer_recibido(campos: dict[str, str]) -> Decimal | None:
    texto = campos.get("recibido", "").strip()
    return formato.leer_dinero(texto) if texto else None


def _pago(persona: Persona, metadatos: Metadatos, campos: dict[str, str]) -> str:
    factura_id = _factura(campos)
    forma = campos.get("forma_pago", "01")
    revision = persona.servicios.facturas.revisar_borrador(factura_id)
    total = revision.totales.importe_total
    recibido = _leer_recibido(campos)
    if recibido is not None and recibido < total:
        raise ValorInvalido(
            "RecibidoCubreTotal",
            f"Lo recibido ({formato.dinero(recibido)}) no alcanza el total "
            f"({formato.dinero(total)}).",
        )
    persona.servicios.facturas.modificar_borrador(
        ModificarBorrador(
            factura_id,
            pagos=(PagoCmd(forma, str(total)),),
            version_esperada=_version(campos),
        ),
        metadatos,
    )
    return factura_id


@router.post("/caja/pago", name="caja_pago")
async def pago(request: Request, persona: Cajero) -> Response:
    return await _cambiar(request, persona, lambda m, c, _: _pago(persona, m, c), recibido=True)


def _cliente(persona: Persona, metadatos: Metadatos, campos: dict[str, str]) -> str | None:
    """The buyer: empty = consumidor final; a registered identification is its cliente;
    an unknown one is registered with the name typed beside it."""
    texto = campos.get("identificacion", "").strip()
    revision = revisar_identificacion(texto)
    if not revision.valida:
        raise ValorInvalido("IdentificacionValida", revision.mensaje)
    servicios = persona.servicios
    cliente_id = None
    if texto:
        clientes = servicios.consultas.clientes(identificacion=texto, limite=1)
        if clientes:
            cliente_id = clientes[0].id
        else:
            nombre = campos.get("razon_social", "").strip()
            if not nombre:
                raise ValorInvalido(
                    "RazonSocialRequerida",
                    f"La identificación {texto} no está registrada: escriba el nombre o la "
                    "razón social del cliente para registrarlo.",
                )
            assert revision.tipo is not None
            cliente_id = servicios.catalogo.crear_cliente(
                CrearCliente(
                    revision.tipo, texto, nombre, email=campos.get("email", "").strip() or None
                ),
                Metadatos(usuario=persona.sesion.usuario),
            ).id
    factura_id = campos.get("factura_id") or None
    if factura_id is None:
        punto_id, bodega_id = campos["_puesto"].split(",", 1)
        factura_id = servicios.facturas.sumar_al_borrador(
            SumarAlBorrador((), punto_emision_id=punto_id, bodega_id=bodega_id),
            Metadatos(usuario=persona.sesion.usuario),
        )
    servicios.facturas.modificar_borrador(
        ModificarBorrador(
            factura_id,
            cambiar_cliente=True,
            cliente_id=cliente_id,
            version_esperada=_version(campos) if campos.get("factura_id") else None,
        ),
        metadatos,
    )
    return factura_id


@router.post("/caja/cliente", name="caja_cliente")
async def cliente(request: Request, persona: Cajero) -> Response:
    return await _cambiar(request, persona, lambda m, c, _: _cliente(persona, m, c))


@router.get("/caja/identificacion", name="caja_identificacion")
async def identificacion(
    request: Request,
    persona: Cajero,
    identificacion: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """The identification typed so far, checked as typed, and whose it is if registered."""
    revision = revisar_identificacion(identificacion)
    registrado = None
    if revision.valida and identificacion.strip():
        clientes = await run_in_threadpool(
            persona.servicios.consultas.clientes, identificacion.strip(), 1
        )
        registrado = clientes[0].razon_social if clientes else None
    return pagina(
        request,
        "caja.html",
        persona.sesion,
        bloque="identificacion",
        revision=revision,
        registrado=registrado,
        escrito=identificacion.strip(),
    )


def _emitir(persona: Persona, metadatos: Metadatos, campos: dict[str, str]) -> str:
    factura_id = _factura(campos)
    persona.servicios.facturas.emitir_factura(
        EmitirFactura(factura_id, version_esperada=_version(campos)), metadatos
    )
    return factura_id


@router.post("/caja/emitir", name="caja_emitir")
async def emitir(request: Request, persona: Cajero) -> Response:
    return await _cambiar(
        request, persona, lambda m, c, _: _emitir(persona, m, c), recibido=True, una_vez=True
    )


def _descartar(persona: Persona, metadatos: Metadatos, campos: dict[str, str]) -> str:
    persona.servicios.facturas.descartar_borrador(
        DescartarBorrador(_factura(campos), version_esperada=_version(campos)), metadatos
    )
    return "/caja"


@router.post("/caja/descartar", name="caja_descartar")
async def descartar(request: Request, persona: Cajero) -> Response:
    campos = await formulario(request)
    comprobar_csrf(persona.sesion.csrf, request, campos)
    clave = clave_idempotencia(request, campos) or nueva_clave_idempotencia()

    def correr() -> tuple[Aviso, ...]:
        try:
            escribir_una_vez(
                persona.servicios,
                persona.sesion,
                clave,
                huella_de(request.url.path, campos),
                lambda m: _descartar(persona, m, campos),
            )
        except RECHAZOS as error:
            return tuple(avisos_de(error))
        return ()

    avisos = await run_in_threadpool(correr)
    if avisos:
        puesto = await _puesto(request, persona)
        if isinstance(puesto, Response):
            return puesto
        actual = await run_in_threadpool(_venta, persona, campos.get("factura_id"), avisos)
        return _mostrar(request, persona, puesto, actual, estado=422)
    if _parcial(request):
        return Response(status_code=204, headers={"HX-Redirect": "/caja"})
    return RedirectResponse("/caja", status_code=303)


# -- parked sales, the SRI's answer, receipts --------------------------------------------------


@router.get("/caja/en-espera", name="caja_en_espera")
async def en_espera(request: Request, persona: Cajero) -> Response:
    """The drafts parked at this punto (F8), the newest first."""
    puesto = await _puesto(request, persona)
    if isinstance(puesto, Response):
        return puesto
    borradores = await run_in_threadpool(
        lambda: persona.servicios.consultas.facturas(
            estado="BORRADOR", punto_emision_id=puesto.punto_id, limite=50
        )
    )
    parcial = _parcial(request)
    return pagina(
        request,
        "caja_en_espera.html",
        persona.sesion,
        bloque="lista" if parcial else None,
        borradores=[
            (
                b.id,
                formato.fecha(b.fecha_emision),
                b.cliente.razon_social,
                len(b.lineas),
                formato.dinero(b.totales.importe_total),
            )
            for b in reversed(borradores)
        ],
        actual=request.query_params.get("actual", ""),
    )


@router.get("/caja/sri/{factura_id}", name="caja_sri")
async def estado_sri(request: Request, factura_id: str, persona: Cajero) -> Response:
    """The emitted factura's SRI state, asked again by the screen while it may change."""
    if len(factura_id) > 100:
        raise HTTPException(404)
    vista = await run_in_threadpool(persona.servicios.consultas.factura, factura_id)
    sri = vista.sri
    estado = sri.estado if sri is not None else "PENDIENTE"
    return pagina(
        request,
        "caja.html",
        persona.sesion,
        bloque="sri",
        factura_id=factura_id,
        estado_sri=estado,
        en_camino=estado in ESTADOS_EN_CAMINO,
        mensajes_sri=[m.mensaje for m in sri.mensajes] if sri is not None else [],
    )


@router.get("/caja/recibo/{factura_id}", name="caja_recibo")
async def recibo(
    request: Request,
    factura_id: str,
    persona: Cajero,
    ancho: Annotated[int, Query()] = 80,
) -> Response:
    """The receipt of an emitted factura for an 80 mm or 58 mm printer (print CSS)."""
    if len(factura_id) > 100 or ancho not in (58, 80):
        raise HTTPException(404)

    def leer() -> tuple[FacturaVista, EmisorVista]:
        return persona.servicios.consultas.factura(factura_id), persona.servicios.consultas.emisor()

    try:
        factura, emisor = await run_in_threadpool(leer)
    except NoEncontrado as error:
        raise HTTPException(404) from error
    return pagina(
        request,
        "caja_recibo.html",
        persona.sesion,
        factura=factura,
        emisor=emisor,
        ancho=ancho,
        f=formato,
        formas=dict(FORMAS_PAGO),
    )


@router.get("/caja/ride/{factura_id}", name="caja_ride")
def ride_de_caja(factura_id: str, persona: Cajero) -> Response:
    if len(factura_id) > 100:
        raise HTTPException(404)
    return ride(persona.servicios, FACTURA, factura_id)


@router.post("/caja/puesto", name="caja_puesto")
async def puesto(request: Request, persona: Cajero) -> Response:
    return await elegir_puesto(request, persona)
