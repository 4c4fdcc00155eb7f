"""prometeo.infrastructure layer (see DESIGN.md)."""
