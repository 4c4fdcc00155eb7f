"""The HTTP API (FastAPI): `crear_app()` builds it; nothing happens at import time."""
