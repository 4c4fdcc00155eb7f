"""prometeo.application layer (see DESIGN.md)."""
