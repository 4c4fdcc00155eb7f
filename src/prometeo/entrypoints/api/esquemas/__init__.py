"""Request and response bodies of the HTTP API (Pydantic models, with examples)."""
