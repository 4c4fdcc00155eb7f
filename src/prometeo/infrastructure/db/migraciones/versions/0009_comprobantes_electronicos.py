"""The electronic documents: each document view's SRI state, messages and authorization,
and the signed XML of every comprobante.

Documents emitted before this version are PENDIENTE: nothing signed them yet.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_VISTAS = ("vista_facturas", "vista_notas_credito")


def upgrade() -> None:
    for vista in _VISTAS:
        with op.batch_alter_table(vista) as tabla:
            tabla.add_column(sa.Column("estado_sri", sa.String(15)))
            tabla.add_column(sa.Column("mensajes_sri", sa.Text()))
            tabla.add_column(sa.Column("numero_autorizacion", sa.String(49)))
            tabla.add_column(sa.Column("fecha_autorizacion", sa.String(40)))
            tabla.create_index(f"ix_{vista}_estado_sri", ["estado_sri"])
        op.execute(
            sa.text(
                f"UPDATE {vista} SET estado_sri = 'PENDIENTE', mensajes_sri = '[]' "
                "WHERE numero IS NOT NULL"
            )
        )
    op.create_table(
        "vista_xml_comprobantes",
        sa.Column("documento_id", sa.String(100), nullable=False),
        sa.Column("tipo_comprobante", sa.String(2), nullable=False),
        sa.Column("clave_acceso", sa.String(49), nullable=False),
        sa.Column("firmado_en", sa.String(40), nullable=False),
        sa.Column(
            "xml", sa.Text().with_variant(mysql.MEDIUMTEXT(), "mysql", "mariadb"), nullable=False
        ),
        sa.PrimaryKeyConstraint("documento_id", name="pk_vista_xml_comprobantes"),
    )


def downgrade() -> None:
    op.drop_table("vista_xml_comprobantes")
    for vista in _VISTAS:
        with op.batch_alter_table(vista) as tabla:
            tabla.drop_index(f"ix_{vista}_estado_sri")
            for columna in ("fecha_autorizacion", "numero_autorizacion", "mensajes_sri"):
                tabla.drop_column(columna)
            tabla.drop_column("estado_sri")
