"""Immutable values of the business, validated on construction."""
