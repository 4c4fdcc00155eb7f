"""Settings (/ajustes) and a document's history (/dueno/documento) in process: only the
admin opens settings, every write checks CSRF and is done once per form, a broken rule
comes back beside its form with the API's message and nothing changed; the history lists
a document's events in order, with who did them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from test_web_ingreso import CLAVE, csrf_de, ingresar

from apoyo_http import TiendaHttp
from prometeo.application.acceso import Rol
from prometeo.application.consultas import EventoVista
from prometeo.application.servicios.comprobantes import USUARIO_FIRMA
from prometeo.application.servicios.envio_sri import USUARIO_SRI
from prometeo.bootstrap import Aplicacion
from prometeo.entrypoints.web.historia_documento import Suceso, suceso_de
from prometeo.infrastructure.db.usuarios import AlmacenUsuarios

_IDEMPOTENCIA = re.compile(r'name="idempotencia" value="([^"]+)"')
_ALERTA = re.compile(r'<div class="error" role="alert" id="errores-([^"]+)"[^>]*>(.*?)</div>', re.S)


@pytest.fixture
def web(aplicacion: Aplicacion, app_http: FastAPI) -> Iterator[TestClient]:
    """A browser-like client (redirects not followed) and a user per role."""
    almacen = AlmacenUsuarios(aplicacion.engine)
    for rol in Rol:
        almacen.crear(rol.value, rol, CLAVE)
    with TestClient(app_http, follow_redirects=False) as cliente:
        yield cliente


def _formulario(pagina: Response, accion: str) -> dict[str, str]:
    """The hidden fields (CSRF token, idempotency key) of the form posting to `accion`."""
    inicio = pagina.text.index(f'action="{accion}"')
    fin = pagina.text.index("</form>", inicio)
    trozo = pagina.text[inicio:fin]
    clave = _IDEMPOTENCIA.search(trozo)
    assert clave is not None, trozo
    return {"csrf": csrf_de(pagina), "idempotencia": clave.group(1)}


def _alertas(html: str) -> dict[str, str]:
    return {m[1]: re.sub(r"<[^>]+>", " ", m[2]) for m in _ALERTA.finditer(html)}


def test_solo_el_admin_abre_ajustes(web: TestClient) -> None:
    for rol in ("cajero", "bodeguero", "contador"):
        ingresar(web, rol)
        for ruta in ("/ajustes", "/ajustes/usuarios"):
            respuesta = web.get(ruta)
            assert respuesta.status_code == 403, (rol, ruta)
            assert "Sin permiso" in respuesta.text
    ingresar(web, "admin")
    pagina = web.get("/ajustes")
    assert pagina.status_code == 200
    assert "<h1>Ajustes</h1>" in pagina.text
    assert "Todavía no hay emisor registrado" in pagina.text
    assert web.get("/ajustes/usuarios").status_code == 200


_EMISOR = {
    "ruc": "1790011674001",
    "razon_social": "Comercial Andina S.A.",
    "nombre_comercial": "Andina",
    "direccion_matriz": "Av. Amazonas, Quito",
    "obligado_contabilidad": "no",
    "ambiente": "1",
    "regimen": "GENERAL",
    "contribuyente_especial": "",
    "agente_retencion": "",
}


def _enviar(web: TestClient, pagina: str, accion: str, **campos: str) -> Response:
    """Post the form of `pagina` that goes to `accion`, with `campos` typed in."""
    return web.post(accion, data={**_formulario(web.get(pagina), accion), **campos})


def test_un_doble_envio_crea_una_sola_sucursal(web: TestClient, aplicacion: Aplicacion) -> None:
    ingresar(web, "admin")
    datos = {
        **_formulario(web.get("/ajustes"), "/ajustes/sucursales"),
        "codigo": "002",
        "nombre": "Norte",
        "direccion": "Av. 6 de Diciembre",
    }
    primera = web.post("/ajustes/sucursales", data=datos)
    segunda = web.post("/ajustes/sucursales", data=datos)
    assert primera.status_code == segunda.status_code == 303
    assert primera.headers["location"] == segunda.headers["location"]
    assert [s.codigo for s in aplicacion.consultas.sucursales()] == ["002"]
    pagina = web.get(primera.headers["location"])
    assert "Sucursal creada." in pagina.text
    assert '<th scope="row">002</th><td>Norte</td>' in pagina.text


def test_sin_marca_csrf_no_se_cambia_nada(web: TestClient, aplicacion: Aplicacion) -> None:
    ingresar(web, "admin")
    datos = _formulario(web.get("/ajustes"), "/ajustes/sucursales")
    datos.update(csrf="otra", codigo="002", nombre="Norte", direccion="Quito")
    respuesta = web.post("/ajustes/sucursales", data=datos)
    assert respuesta.status_code == 403
    assert "Formulario no válido" in respuesta.text
    sin_marca = web.post("/ajustes/usuarios", data={"nombre": "eva", "rol": "cajero"})
    assert sin_marca.status_code == 403
    assert aplicacion.consultas.sucursales() == []
    assert "eva" not in [u.nombre for u in AlmacenUsuarios(aplicacion.engine).listar()]


def test_un_cajero_no_escribe_ajustes(web: TestClient, aplicacion: Aplicacion) -> None:
    ingresar(web, "cajero")
    csrf = csrf_de(web.get("/inicio"))
    datos = {"csrf": csrf, "idempotencia": "k-1", "codigo": "002", "nombre": "N", "direccion": "Q"}
    assert web.post("/ajustes/sucursales", data=datos).status_code == 403
    assert aplicacion.consultas.sucursales() == []


def test_las_reglas_del_dominio_se_muestran_junto_al_formulario(
    web: TestClient, aplicacion: Aplicacion
) -> None:
    ingresar(web, "admin")
    respuesta = _enviar(
        web, "/ajustes", "/ajustes/sucursales", codigo="12", nombre="Norte", direccion="Quito"
    )
    assert respuesta.status_code == 422
    alertas = _alertas(respuesta.text)
    assert "El código de sucursal debe tener 3 dígitos, de 001 a 999" in alertas["sucursal"]
    assert 'data-regla="CodigoValido"' in respuesta.text
    assert 'value="Norte"' in respuesta.text  # what was typed stays
    assert aplicacion.consultas.sucursales() == []
    emisor = _enviar(web, "/ajustes", "/ajustes/emisor", **{**_EMISOR, "ruc": "1790011674002"})
    assert emisor.status_code == 422
    assert "El RUC del emisor debe terminar en 001" in _alertas(emisor.text)["emisor"]
    assert "Todavía no hay emisor registrado" in emisor.text


def test_el_emisor_sucursal_punto_y_bodega_se_crean_y_se_desactivan(
    web: TestClient, aplicacion: Aplicacion
) -> None:
    ingresar(web, "admin")
    emisor = _enviar(web, "/ajustes", "/ajustes/emisor", **_EMISOR)
    assert emisor.status_code == 303, _alertas(emisor.text)
    registrado = aplicacion.consultas.emisor()
    assert (registrado.ruc, registrado.obligado_contabilidad) == ("1790011674001", False)
    assert 'value="Comercial Andina S.A."' in web.get("/ajustes").text
    _enviar(web, "/ajustes", "/ajustes/sucursales", codigo="001", nombre="M", direccion="Q")
    (sucursal,) = aplicacion.consultas.sucursales()
    accion = f"/ajustes/sucursales/{sucursal.id}/puntos"
    no_numero = _enviar(web, "/ajustes", accion, codigo="002", primera_factura="12a")
    assert no_numero.status_code == 422
    assert (
        "La primera factura debe ser un número entero"
        in _alertas(no_numero.text)[f"punto-{sucursal.id}"]
    )
    assert 'value="12a"' in no_numero.text
    creado = _enviar(web, "/ajustes", accion, codigo="002", primera_factura="1500", primera_nota="")
    assert creado.status_code == 303
    repetido = _enviar(web, "/ajustes", accion, codigo="002")
    assert repetido.status_code == 422
    assert "PuntoEmisionUnico" in repetido.text
    (punto,) = aplicacion.consultas.puntos_emision(sucursal.id)
    assert punto.siguiente_secuencial == {"01": 1500, "04": 1}
    bodega = _enviar(
        web, "/ajustes", "/ajustes/bodegas", sucursal_id=sucursal.id, codigo="B1", nombre="Central"
    )
    assert bodega.status_code == 303
    (creada,) = aplicacion.consultas.bodegas()
    consultas = aplicacion.consultas
    for ruta, leer in (
        (f"/ajustes/puntos/{punto.id}/activo", lambda: consultas.punto_emision(punto.id)),
        (f"/ajustes/bodegas/{creada.id}/activo", lambda: consultas.bodega(creada.id)),
        (f"/ajustes/sucursales/{sucursal.id}/activo", lambda: consultas.sucursal(sucursal.id)),
    ):
        assert _enviar(web, "/ajustes", ruta, activo="no").status_code == 303
        assert leer().activo is False
    pagina = web.get("/ajustes")
    assert pagina.text.count('class="ajustes-inactivo"') == 3
    assert 'aria-label="Activar la sucursal 001"' in pagina.text
    assert _enviar(web, "/ajustes", f"/ajustes/sucursales/{sucursal.id}/activo", activo="si")
    assert aplicacion.consultas.sucursal(sucursal.id).activo is True
    assert web.post("/ajustes/otras/x/activo", data={}).status_code == 404


def _crear_eva(web: TestClient, clave: str, repetida: str) -> Response:
    campos = {"nombre": "eva", "rol": "bodeguero", "clave": clave, "clave_repetida": repetida}
    return _enviar(web, "/ajustes/usuarios", "/ajustes/usuarios", **campos)


def test_usuarios_se_crean_una_vez_y_sin_mostrar_la_clave(
    web: TestClient, aplicacion: Aplicacion
) -> None:
    ingresar(web, "admin")
    almacen = AlmacenUsuarios(aplicacion.engine)
    distintas = _crear_eva(web, "secreto-de-eva-1", "secreto-de-eva-2")
    assert distintas.status_code == 422
    assert "Las dos contraseñas no coinciden" in _alertas(distintas.text)["usuario"]
    assert "secreto-de-eva" not in distintas.text
    assert 'value="eva"' in distintas.text
    corta = _crear_eva(web, "corta", "corta")
    assert corta.status_code == 422
    assert "La contraseña debe tener de 8 a 200 caracteres" in corta.text
    assert "eva" not in [u.nombre for u in almacen.listar()]
    datos = {
        **_formulario(web.get("/ajustes/usuarios"), "/ajustes/usuarios"),
        "nombre": "eva",
        "rol": "bodeguero",
        "clave": "secreto-de-eva-1",
        "clave_repetida": "secreto-de-eva-1",
    }
    assert web.post("/ajustes/usuarios", data=datos).status_code == 303
    assert web.post("/ajustes/usuarios", data=datos).status_code == 303
    assert [u.nombre for u in almacen.listar()].count("eva") == 1
    lista = web.get("/ajustes/usuarios?hecho=usuario")
    assert "Usuario creado." in lista.text
    assert '<th scope="row">eva</th>' in lista.text
    assert "secreto-de-eva" not in lista.text
    otra = {**datos, **_formulario(lista, "/ajustes/usuarios"), "nombre": "EVA"}
    duplicado = web.post("/ajustes/usuarios", data=otra)
    assert duplicado.status_code == 422
    assert "Ya existe un usuario llamado «EVA»" in duplicado.text
    assert almacen.verificar("eva", "secreto-de-eva-1") is not None


def test_un_admin_desactiva_a_otro_pero_no_a_si_mismo(
    web: TestClient, aplicacion: Aplicacion
) -> None:
    ingresar(web, "admin")
    almacen = AlmacenUsuarios(aplicacion.engine)
    pagina = web.get("/ajustes/usuarios")
    assert 'aria-label="Desactivar a admin"' not in pagina.text
    accion = "/ajustes/usuarios/desactivar"
    propio = web.post(accion, data={**_formulario(pagina, accion), "nombre": "ADMIN"})
    assert propio.status_code == 422
    assert "No puede desactivar su propio usuario" in _alertas(propio.text)["desactivar"]
    assert almacen.verificar("admin", CLAVE) is not None
    assert _enviar(web, "/ajustes/usuarios", accion, nombre="cajero").status_code == 303
    assert almacen.verificar("cajero", CLAVE) is None
    assert "Inactivo" in web.get("/ajustes/usuarios").text
    nadie = _enviar(web, "/ajustes/usuarios", accion, nombre="nadie")
    assert nadie.status_code == 422
    # Back from leave: reactivated, the same password works again.
    reactivar = "/ajustes/usuarios/reactivar"
    assert 'aria-label="Reactivar a cajero"' in web.get("/ajustes/usuarios").text
    assert _enviar(web, "/ajustes/usuarios", reactivar, nombre="nadie").status_code == 422
    assert _enviar(web, "/ajustes/usuarios", reactivar, nombre="cajero").status_code == 303
    assert almacen.verificar("cajero", CLAVE) is not None
    assert "Usuario reactivado" in web.get("/ajustes/usuarios?hecho=usuario-reactivado").text


# -- a document's history (/dueno/documento) ------------------------------------------------

_SUCESO = re.compile(
    r'<tr><td class="numero">(\d+)</td><td class="historia-cuando">([^<]+)</td>'
    r'<th scope="row">([^<]+)</th><td>([^<]+)</td><td class="historia-datos">([^<]*)</td></tr>'
)


def test_la_historia_de_una_factura_y_su_nota(tienda: TiendaHttp, web: TestClient) -> None:
    tienda.ingresar("cafe", "10", "3.00")
    factura = tienda.facturar(("cafe", "2"))
    nota = tienda.devolver(factura)
    ingresar(web, "contador")
    panel = web.get("/dueno").text
    enlace = f"/dueno/documento/01/{factura['id']}"
    assert f'href="{enlace}"' in panel
    pagina = web.get(enlace)
    assert pagina.status_code == 200
    html = pagina.text
    assert f"<h1>Historia de Factura {factura['numero']}</h1>" in html
    assert f'href="/dueno/ride/01/{factura["id"]}"' in html
    assert "<strong>PENDIENTE</strong>" in html
    sucesos = _SUCESO.findall(html)
    assert [s[0] for s in sucesos] == ["1", "2", "3"]
    assert [s[2] for s in sucesos] == [
        "Factura creada",
        "Factura emitida",
        "Nota de crédito aplicada",
    ]
    assert all(re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", s[1]) for s in sucesos)
    assert {s[3] for s in sucesos} == {"admin"}  # the API token's name
    assert "2 × Producto CAF a $8,00" in sucesos[0][4]
    assert "total $18,40" in sucesos[1][4]
    assert f"Nota de crédito {nota['numero']} por $9,20" in sucesos[2][4]
    assert "<?xml" not in html
    de_la_nota = web.get(f"/dueno/documento/04/{nota['id']}").text
    assert [s[2] for s in _SUCESO.findall(de_la_nota)] == [
        "Nota de crédito creada",
        "Nota de crédito emitida",
    ]


def test_un_documento_se_abre_por_su_numero(tienda: TiendaHttp, web: TestClient) -> None:
    tienda.ingresar("cafe", "10", "3.00")
    factura = tienda.facturar(("cafe", "1"))
    ingresar(web, "admin")
    encontrado = web.get("/dueno/documento", params={"tipo": "01", "numero": "1-1-1"})
    assert encontrado.status_code == 303
    assert encontrado.headers["location"] == f"/dueno/documento/01/{factura['id']}"
    ninguno = web.get("/dueno/documento", params={"tipo": "04", "numero": "001-001-000000001"})
    assert ninguno.status_code == 404
    assert "No hay una nota de crédito emitida con el número 001-001-000000001" in ninguno.text
    mal = web.get("/dueno/documento", params={"tipo": "01", "numero": "factura uno"})
    assert mal.status_code == 422
    assert 'role="alert"' in mal.text
    assert "Escriba el número como 001-001-000000123" in mal.text
    assert web.get("/dueno/documento/07/x").status_code == 404
    assert web.get("/dueno/documento/01/no-existe").status_code == 404
    ingresar(web, "cajero")
    assert web.get(f"/dueno/documento/01/{factura['id']}").status_code == 403


def test_los_eventos_de_un_stream_dicen_quien(tienda: TiendaHttp, aplicacion: Aplicacion) -> None:
    tienda.ingresar("cafe", "10", "3.00")
    factura = tienda.facturar(("cafe", "1"))
    eventos = aplicacion.consultas.eventos_de(f"factura-{factura['id']}")
    assert [(e.version, e.tipo, e.usuario) for e in eventos] == [
        (1, "FacturaCreada", "admin"),
        (2, "FacturaEmitida", "admin"),
    ]
    assert aplicacion.consultas.eventos_de(f"factura-{factura['id']}", limite=1) == eventos[:1]
    assert aplicacion.consultas.eventos_de("factura-ninguna") == []
    assert [e.usuario for e in aplicacion.consultas.eventos(limite=1000)].count(None) == 0


def _evento(tipo: str, datos: dict[str, Any], usuario: str | None) -> EventoVista:
    momento = datetime(2026, 11, 29, 20, 5, tzinfo=UTC)  # 15:05 in Ecuador
    return EventoVista(1, "factura-x", tipo, 1, momento, datos, 1, usuario)


def test_los_eventos_del_sri_se_leen_en_palabras() -> None:
    mensaje = {"identificador": "43", "mensaje": "CLAVE ACCESO REGISTRADA", "tipo": "ERROR"}
    devuelto = suceso_de(_evento("ComprobanteDevuelto", {"mensajes": [mensaje]}, USUARIO_SRI))
    assert devuelto == Suceso(
        1,
        "29/11/2026 15:05",
        "Devuelto por el SRI",
        "Sistema (envío al SRI)",
        "43: CLAVE ACCESO REGISTRADA",
    )
    autorizado = suceso_de(
        _evento(
            "ComprobanteAutorizado",
            {"numero_autorizacion": "2911", "autorizacion": "<autorizacion>…", "mensajes": []},
            USUARIO_SRI,
        )
    )
    assert (autorizado.que, autorizado.detalle) == ("Autorizado por el SRI", "Autorización 2911")
    firmado = suceso_de(
        _evento("ComprobanteFirmado", {"clave_acceso": "29", "xml": "<factura/>"}, USUARIO_FIRMA)
    )
    assert (firmado.quien, firmado.detalle) == ("Sistema (firma electrónica)", "Clave de acceso 29")
    # A shape the summary does not know, and a type it has never heard of: listed anyway.
    raro = suceso_de(_evento("FacturaEmitida", {"numero": "001-001-000000001"}, None))
    assert (raro.que, raro.quien, raro.detalle) == ("Factura emitida", "—", "—")
    nuevo = suceso_de(_evento("AlgoNuevo", {}, "ana"))
    assert (nuevo.que, nuevo.quien) == ("AlgoNuevo", "ana")
    pagado = suceso_de(
        _evento("PagosDefinidos", {"pagos": [{"forma_pago": "19", "total": "1234.5"}]}, "ana")
    )
    assert pagado.detalle == "tarjeta de crédito $1.234,50"
