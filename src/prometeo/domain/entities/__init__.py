"""Entities shared by several aggregates: the catalog (emisor, sucursales, puntos de
emisión, bodegas, productos, clientes). They are reference data kept as plain state, not
event-sourced ledgers, and are validated when they are built."""
