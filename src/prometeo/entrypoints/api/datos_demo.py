"""What the OpenAPI examples name: the demo shop that `prometeo demo` (and `make run`)
loads, whose ids are the same on every database. So what /docs offers to try works as it
is against the demo data: it names what exists there and creates only what does not
(tests/unit/entrypoints/test_api_documentacion.py tries every example on a freshly loaded demo)."""

from __future__ import annotations

from typing import Any

from prometeo.entrypoints.demo import id_demo

SUCURSAL = id_demo("sucursal/001")  # Matriz Quito
PUNTO_EMISION = id_demo("punto/001")
BODEGA = id_demo("bodega/001")  # Bodega Quito
BODEGA_DESTINO = id_demo("bodega/002")  # Bodega Guayaquil
PRODUCTO = id_demo("producto/CAF-500")  # Café molido, 8.00, IVA 15 %
PRODUCTO_DEVUELTO = id_demo("producto/LEC-1L")  # six sold in FACTURA
PRODUCTO_AJUSTADO = id_demo("producto/ARR-2KG")  # two sold in FACTURA, 5.20
CLIENTE = id_demo("cliente/05/0602910945")  # María Fernanda Pérez Guamán
# María's factura: ARR-2KG × 2, LEC-1L × 6, CAF-500 × 1.
FACTURA = id_demo("factura/1")
# Ferretería El Constructor's: not to consumidor final, no notas, so it may be annulled.
FACTURA_ANULABLE = id_demo("factura/3")
# Two drafts parked at the Quito punto: one to add lines to and change (PAN-6 × 1), one to
# emit (CAF-500 × 1 to consumidor final: 9.20).
BORRADOR = id_demo("factura/borrador/1")
BORRADOR_A_EMITIR = id_demo("factura/borrador/2")


def de_la_demo(valor: str) -> dict[str, Any]:
    """A parameter's `openapi_examples`: one value, from the demo data."""
    return {"demo": {"summary": "De los datos de demostración", "value": valor}}
