"""The SRI's <autorizacion> document of every authorized comprobante, beside its signed XML.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("vista_xml_comprobantes") as tabla:
        tabla.add_column(
            sa.Column(
                "autorizacion", sa.Text().with_variant(mysql.MEDIUMTEXT(), "mysql", "mariadb")
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("vista_xml_comprobantes") as tabla:
        tabla.drop_column("autorizacion")
