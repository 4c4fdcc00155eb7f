"""Domain events: frozen dataclasses, past tense, one module per aggregate."""

from prometeo.domain.events.base import EventoDominio

__all__ = ["EventoDominio"]
