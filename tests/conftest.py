"""Registers the shared fixtures (defined in bases_de_datos.py).

Helpers are imported by tests from uniquely named modules (bases_de_datos, negocio, ...):
several conftest.py files outside packages would all be the module `conftest`."""

from bases_de_datos import engine, url_base

__all__ = ["engine", "url_base"]
