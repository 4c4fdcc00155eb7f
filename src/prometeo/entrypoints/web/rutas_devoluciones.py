"""Returns (/devoluciones, cajero and admin): a factura's lines turned into a nota de crédito."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
