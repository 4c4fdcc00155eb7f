"""A shop driven over HTTP, the same with FastAPI's TestClient or httpx against the real
server: the catalog of the worked example (CAF at 8.00, IVA "4") and helpers that
assert the status of every call."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

API = "/api/v1"
CEDULA = "0602910945"


def exigir(respuesta: httpx.Response, status: int) -> Any:
    assert respuesta.status_code == status, (
        f"{respuesta.request.method} {respuesta.request.url} → {respuesta.status_code} "
        f"(se esperaba {status}): {respuesta.text}"
    )
    return respuesta.json()


def reglas(respuesta: httpx.Response) -> set[str]:
    assert respuesta.headers["content-type"].startswith("application/problem+json"), respuesta.text
    return {e["regla"] for e in respuesta.json()["errores"]}


@dataclass
class TiendaHttp:
    """One sucursal (001) with one punto (001) and two bodegas; products CAF (8.00, IVA
    15 %, minimum 2) and PAN (1.50, IVA 0 %); one cliente with a cédula."""

    http: httpx.Client
    ids: dict[str, str] = field(default_factory=dict)

    def post(self, ruta: str, cuerpo: Any, status: int = 201) -> Any:
        return exigir(self.http.post(API + ruta, json=cuerpo), status)

    def get(self, ruta: str, status: int = 200, **params: Any) -> Any:
        return exigir(self.http.get(API + ruta, params=params), status)

    def sembrar(self) -> TiendaHttp:
        emisor = {
            "ruc": "1790011674001",
            "razon_social": "Comercial Andina S.A.",
            "nombre_comercial": "Andina",
            "direccion_matriz": "Av. Amazonas N34-120, Quito",
            "obligado_contabilidad": True,
            "ambiente": "1",
        }
        exigir(self.http.put(API + "/emisor", json=emisor), 200)
        sucursal = self.post(
            "/sucursales", {"codigo": "001", "nombre": "Matriz", "direccion": "Av. Amazonas"}
        )
        self.ids["sucursal"] = sucursal["id"]
        punto = self.post(f"/sucursales/{sucursal['id']}/puntos-emision", {"codigo": "001"})
        self.ids["punto"] = punto["id"]
        for clave, codigo in (("bodega", "B1"), ("bodega2", "B2")):
            bodega = self.post(
                "/bodegas", {"sucursal_id": sucursal["id"], "codigo": codigo, "nombre": codigo}
            )
            self.ids[clave] = bodega["id"]
        for clave, codigo, precio, tarifa, minimo in (
            ("cafe", "CAF", "8.00", "4", "2"),
            ("pan", "PAN", "1.50", "0", "0"),
        ):
            producto = self.post(
                "/productos",
                {
                    "codigo": codigo,
                    "nombre": f"Producto {codigo}",
                    "precio": precio,
                    "tarifa_iva": tarifa,
                    "stock_minimo": minimo,
                },
            )
            self.ids[clave] = producto["id"]
        cliente = self.post(
            "/clientes",
            {"tipo_identificacion": "05", "identificacion": CEDULA, "razon_social": "María Pérez"},
        )
        self.ids["cliente"] = cliente["id"]
        return self

    def ingresar(
        self,
        producto: str,
        cantidad: str,
        costo: str,
        bodega: str = "bodega",
        caducidad: str | None = None,
    ) -> str:
        cuerpo = {
            "producto_id": self.ids[producto],
            "bodega_id": self.ids[bodega],
            "cantidad": cantidad,
            "costo_unitario": costo,
        }
        if caducidad is not None:
            cuerpo["fecha_caducidad"] = caducidad
        lote_id: str = self.post("/inventario/ingresos", cuerpo)["lote_id"]
        return lote_id

    def cuerpo_factura(self, *lineas: tuple[str, Any], **extra: Any) -> dict[str, Any]:
        cuerpo: dict[str, Any] = {
            "punto_emision_id": self.ids["punto"],
            "bodega_id": self.ids["bodega"],
            "cliente_id": self.ids["cliente"],
            "lineas": [{"producto_id": self.ids[p], "cantidad": c} for p, c in lineas],
        }
        cuerpo.update(extra)
        return {k: v for k, v in cuerpo.items() if v is not None}

    def intentar_factura(self, *lineas: tuple[str, Any], **extra: Any) -> httpx.Response:
        return self.http.post(API + "/facturas", json=self.cuerpo_factura(*lineas, **extra))

    def facturar(self, *lineas: tuple[str, Any], **extra: Any) -> Any:
        return exigir(self.intentar_factura(*lineas, **extra), 201)

    def devolver(self, factura: dict[str, Any], cantidad: str = "1", producto: str = "cafe") -> Any:
        """A nota de crédito returning `cantidad` of `producto` to stock."""
        return self.post(
            "/notas-credito",
            {
                "factura_id": factura["id"],
                "motivo": "Devolución",
                "devolucion_inventario": True,
                "lineas": [{"producto_id": self.ids[producto], "cantidad": cantidad}],
            },
        )

    def stock(self, producto: str, bodega: str = "bodega") -> dict[str, Any]:
        items = self.get(
            "/inventario/stock", producto_id=self.ids[producto], bodega_id=self.ids[bodega]
        )["items"]
        assert len(items) == 1, items
        resultado: dict[str, Any] = items[0]
        return resultado

    def lotes(self, producto: str, bodega: str = "bodega") -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = self.get(
            "/inventario/lotes", producto_id=self.ids[producto], bodega_id=self.ids[bodega]
        )["items"]
        return items

    def kardex(self, producto: str, bodega: str = "bodega") -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = self.get(
            "/inventario/kardex", producto_id=self.ids[producto], bodega_id=self.ids[bodega]
        )["items"]
        return items

    def ultima_posicion(self) -> int:
        """The position of the last event in the log."""
        desde = 0
        while True:
            pagina = self.get("/eventos", desde=desde, limite=1000)
            if not pagina["items"]:
                return desde
            desde = pagina["siguiente"]
