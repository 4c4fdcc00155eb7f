"""Use cases, grouped by what the business does: catálogo, facturas, notas de crédito,
inventario. Each command runs in one unit of work and is retried on a version conflict."""

from prometeo.application.services.catalogo import CatalogoService
from prometeo.application.services.facturas import FacturaService
from prometeo.application.services.inventario import InventarioService
from prometeo.application.services.notas_credito import NotaCreditoService

__all__ = ["CatalogoService", "FacturaService", "InventarioService", "NotaCreditoService"]
