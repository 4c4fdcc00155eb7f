"""The SRI dispatcher counts a document's authorization queries apart from its failures
in a row: a failure no longer pushes a document along the queries' schedule.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("envios_sri") as tabla:
        tabla.add_column(sa.Column("consultas", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("envios_sri") as tabla:
        tabla.drop_column("consultas")
