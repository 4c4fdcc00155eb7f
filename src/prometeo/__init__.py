"""prometeo: facturación e inventario event-sourced para negocios ecuatorianos."""

__version__ = "0.1.0"
