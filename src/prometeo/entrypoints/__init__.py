"""prometeo.entrypoints layer (see DESIGN.md)."""
