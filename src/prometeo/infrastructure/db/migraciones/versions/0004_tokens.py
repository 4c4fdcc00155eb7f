"""Tokens de acceso a la API: solo el hash SHA-256 de cada token, con su nombre y rol.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tokens",
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("nombre", sa.String(100), nullable=False),
        sa.Column("rol", sa.String(20), nullable=False),
        sa.Column("creado_en", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("hash", name="pk_tokens"),
    )


def downgrade() -> None:
    op.drop_table("tokens")
