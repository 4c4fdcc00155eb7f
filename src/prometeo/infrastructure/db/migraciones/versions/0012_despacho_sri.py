"""The SRI dispatcher's schedule and the leases that keep one dispatcher per database.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "envios_sri",
        sa.Column("documento_id", sa.String(100), nullable=False),
        sa.Column("tipo_comprobante", sa.String(2), nullable=False),
        sa.Column("proximo_ms", sa.BigInteger(), nullable=False),
        sa.Column("intentos", sa.Integer(), nullable=False),
        sa.Column("ultimo_error", sa.Text()),
        sa.PrimaryKeyConstraint("documento_id", name="pk_envios_sri"),
    )
    op.create_table(
        "arriendos",
        sa.Column("nombre", sa.String(60), nullable=False),
        sa.Column("dueno", sa.String(100), nullable=False),
        sa.Column("hasta_ms", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("nombre", name="pk_arriendos"),
    )


def downgrade() -> None:
    op.drop_table("arriendos")
    op.drop_table("envios_sri")
