"""The emisor's contribuyente especial, agente de retención and régimen; each punto de
emisión's first secuencial per document type; the clave de acceso in the document views.

Existing rows keep what they meant: régimen GENERAL, puntos starting at 1. The views'
clave_acceso is filled by their projections (rebuild them to fill existing rows).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("emisor") as tabla:
        tabla.add_column(sa.Column("contribuyente_especial", sa.String(13)))
        tabla.add_column(sa.Column("agente_retencion", sa.String(8)))
        tabla.add_column(
            sa.Column("regimen", sa.String(30), nullable=False, server_default="GENERAL")
        )
    with op.batch_alter_table("puntos_emision") as tabla:
        for columna in ("secuencial_inicial_factura", "secuencial_inicial_nota_credito"):
            tabla.add_column(sa.Column(columna, sa.Integer, nullable=False, server_default="1"))
    for vista in ("vista_facturas", "vista_notas_credito"):
        with op.batch_alter_table(vista) as tabla:
            tabla.add_column(sa.Column("clave_acceso", sa.String(49)))


def downgrade() -> None:
    for vista in ("vista_facturas", "vista_notas_credito"):
        with op.batch_alter_table(vista) as tabla:
            tabla.drop_column("clave_acceso")
    with op.batch_alter_table("puntos_emision") as tabla:
        tabla.drop_column("secuencial_inicial_nota_credito")
        tabla.drop_column("secuencial_inicial_factura")
    with op.batch_alter_table("emisor") as tabla:
        tabla.drop_column("regimen")
        tabla.drop_column("agente_retencion")
        tabla.drop_column("contribuyente_especial")
