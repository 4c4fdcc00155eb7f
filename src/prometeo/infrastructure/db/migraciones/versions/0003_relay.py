"""Checkpoint del relay del outbox: la última posición publicada y confirmada por el broker.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "relay_checkpoint",
        sa.Column("nombre", sa.String(100), nullable=False),
        sa.Column("posicion", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("nombre", name="pk_relay_checkpoint"),
    )


def downgrade() -> None:
    op.drop_table("relay_checkpoint")
