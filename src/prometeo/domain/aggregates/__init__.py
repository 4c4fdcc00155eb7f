"""Aggregates: each changes state only by applying its own events."""
