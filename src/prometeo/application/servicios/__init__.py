"""Use cases, grouped by what the business does: catálogo, facturas, notas de crédito,
inventario. Each command runs in one unit of work and is retried on a version conflict."""

from prometeo.application.servicios.catalogo import ServicioCatalogo
from prometeo.application.servicios.facturas import ServicioFacturas
from prometeo.application.servicios.inventario import ServicioInventario
from prometeo.application.servicios.notas_credito import ServicioNotasCredito

__all__ = ["ServicioCatalogo", "ServicioFacturas", "ServicioInventario", "ServicioNotasCredito"]
