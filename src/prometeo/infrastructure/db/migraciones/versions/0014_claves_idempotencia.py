"""Idempotency keys: a retried write answers its first result instead of running again.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "claves_idempotencia",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("huella", sa.String(64), nullable=False),
        sa.Column("dueno", sa.String(36), nullable=False),
        sa.Column("estado", sa.String(15), nullable=False),
        sa.Column("creado_ms", sa.BigInteger(), nullable=False),
        sa.Column("tomado_ms", sa.BigInteger(), nullable=False),
        sa.Column("estado_http", sa.Integer()),
        sa.Column("tipo_contenido", sa.String(100)),
        sa.Column("cuerpo", sa.LargeBinary().with_variant(mysql.LONGBLOB(), "mysql", "mariadb")),
        sa.PrimaryKeyConstraint("id", name="pk_claves_idempotencia"),
    )
    op.create_index("ix_claves_idempotencia_creado_ms", "claves_idempotencia", ["creado_ms"])


def downgrade() -> None:
    op.drop_index("ix_claves_idempotencia_creado_ms", table_name="claves_idempotencia")
    op.drop_table("claves_idempotencia")
