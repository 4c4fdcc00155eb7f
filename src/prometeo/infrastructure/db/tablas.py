"""The SQL schema (SQLAlchemy Core). Alembic migrations create exactly these tables; a
test compares the migrated database with this metadata."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.dialects import mysql, postgresql

# JSON is stored as text: exact (Decimal stays a string), portable, and parsed only by us.
# MySQL/MariaDB TEXT holds 64 KB; a factura with many lines may need more.
TextoLargo = Text().with_variant(mysql.LONGTEXT(), "mysql", "mariadb")
# Decimals as text: SQLite has no exact decimal type, and we never do arithmetic in SQL.
Decimal_ = String(40)

# Text compared byte by byte, whatever the database's default collation.
PalabraBinaria = (
    String(40)
    .with_variant(postgresql.VARCHAR(40, collation="C"), "postgresql")
    .with_variant(mysql.VARCHAR(40, collation="utf8mb4_bin"), "mysql", "mariadb")
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

eventos = Table(
    "eventos",
    metadata,
    # Assigned by the appender while it holds the `posicion_global` row lock, so global
    # positions commit in order and a reader that follows them never skips one.
    Column("posicion", BigInteger, primary_key=True, autoincrement=False),
    Column("evento_id", String(36), nullable=False, unique=True),
    Column("stream_id", String(200), nullable=False),
    Column("tipo_stream", String(40), nullable=False),
    Column("version", Integer, nullable=False),
    Column("tipo", String(80), nullable=False),
    Column("version_esquema", Integer, nullable=False),
    Column("datos", TextoLargo, nullable=False),
    Column("metadatos", Text, nullable=False),
    Column("ocurrido_en", DateTime(timezone=True), nullable=False),
    UniqueConstraint("stream_id", "version"),
)

posicion_global = Table(
    "posicion_global",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("ultima", BigInteger, nullable=False),
)

snapshots = Table(
    "snapshots",
    metadata,
    Column("stream_id", String(200), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("version_esquema", Integer, nullable=False),
    Column("datos", TextoLargo, nullable=False),
    Column("tomado_en", DateTime(timezone=True), nullable=False),
)

emisor = Table(
    "emisor",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("ruc", String(13), nullable=False),
    Column("razon_social", String(300), nullable=False),
    Column("nombre_comercial", String(300), nullable=False),
    Column("direccion_matriz", String(300), nullable=False),
    Column("obligado_contabilidad", Boolean, nullable=False),
    Column("ambiente", String(1), nullable=False),
    Column("contribuyente_especial", String(13)),
    Column("agente_retencion", String(8)),
    Column("regimen", String(30), nullable=False, server_default="GENERAL"),
)

sucursales = Table(
    "sucursales",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("codigo", String(3), nullable=False, unique=True),
    Column("nombre", String(300), nullable=False),
    Column("direccion", String(300), nullable=False),
    Column("activo", Boolean, nullable=False, server_default=true()),  # migration 0016
)

puntos_emision = Table(
    "puntos_emision",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("sucursal_id", String(100), ForeignKey("sucursales.id"), nullable=False),
    Column("codigo", String(3), nullable=False),
    # The first secuencial of each document type (a punto coming from another system).
    Column("secuencial_inicial_factura", Integer, nullable=False, server_default="1"),
    Column("secuencial_inicial_nota_credito", Integer, nullable=False, server_default="1"),
    Column("activo", Boolean, nullable=False, server_default=true()),  # migration 0016
    UniqueConstraint("sucursal_id", "codigo"),
)

bodegas = Table(
    "bodegas",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("sucursal_id", String(100), ForeignKey("sucursales.id"), nullable=False),
    Column("codigo", String(20), nullable=False, unique=True),
    Column("nombre", String(300), nullable=False),
    Column("activo", Boolean, nullable=False, server_default=true()),  # migration 0016
)

productos = Table(
    "productos",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("codigo", String(25), nullable=False, unique=True),
    Column("nombre", String(300), nullable=False),
    Column("precio", Decimal_, nullable=False),
    Column("tarifa_iva", String(2), nullable=False),
    Column("stock_minimo", Decimal_, nullable=False),
    Column("unidad_medida", String(50)),  # migration 0010
    # Migration 0016: inactive products are neither sold nor received; a tarifa announced
    # for a later day (both null when none is).
    Column("activo", Boolean, nullable=False, server_default=true()),
    Column("tarifa_programada", String(2)),
    Column("tarifa_vigente_desde", Date),
)

# The words a product is found by (migration 0016): of its name, its code and its
# barcodes, lower case without accents, each at most 40 characters. A search for a word
# is a range over the primary key (`palabra` >= prefix and < the next prefix), which
# every database answers from the index, whatever its collation does with LIKE.
palabras_producto = Table(
    "palabras_producto",
    metadata,
    Column("palabra", PalabraBinaria, primary_key=True),
    Column("producto_id", String(100), ForeignKey("productos.id"), primary_key=True),
)

# A product's barcodes, in its order (the first is the codigoAuxiliar its lines copy).
# A barcode names one product: unique across the catalog, so a scan finds one.
codigos_barra = Table(
    "codigos_barra",
    metadata,
    Column("producto_id", String(100), ForeignKey("productos.id"), primary_key=True),
    Column("posicion", Integer, primary_key=True, autoincrement=False),
    Column("codigo", String(25), nullable=False, unique=True),
)

# The catalog's history (migration 0016): every creation and change of a producto,
# cliente, sucursal, punto or bodega, who made it and when, the fields before and after
# (JSON). `numero` is `generacion_catalogo` as the change left it: commit order.
historial_catalogo = Table(
    "historial_catalogo",
    metadata,
    Column("numero", BigInteger, primary_key=True, autoincrement=False),
    Column("entidad", String(20), nullable=False),
    Column("entidad_id", String(100), nullable=False),
    Column("ocurrido_en", DateTime(timezone=True), nullable=False),
    Column("usuario", String(100), nullable=False),
    Column("token_id", String(36)),
    Column("campos", Text, nullable=False),
    Index("ix_historial_catalogo_entidad", "entidad", "entidad_id", "numero"),
)

# One row: how many changes the catalog has had. A change moves it in its own transaction
# (the row lock orders changes by commit), so a process that reads it before reading
# catalog rows knows whether the rows it keeps in memory may be stale.
generacion_catalogo = Table(
    "generacion_catalogo",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("generacion", BigInteger, nullable=False),
)

clientes = Table(
    "clientes",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("tipo_identificacion", String(2), nullable=False),
    Column("identificacion", String(20), nullable=False, unique=True),
    Column("razon_social", String(300), nullable=False),
    Column("direccion", String(300)),
    Column("email", String(254)),
    Column("telefono", String(20)),  # migration 0010
)

tokens = Table(
    "tokens",
    metadata,
    # Only the SHA-256 of a token is kept: a copy of the database hands out no access.
    Column("hash", String(64), primary_key=True),
    Column("nombre", String(100), nullable=False),
    Column("rol", String(20), nullable=False),
    Column("creado_en", DateTime(timezone=True), nullable=False),
    # Migration 0015: the id revocations and the events' audit name; the name casefolded
    # (names are unique ignoring case); expiry, revocation and last use (kept to the
    # minute, written in the background: never a write on a request's path).
    Column("id", String(36), nullable=False, unique=True),
    Column("nombre_unico", String(100), nullable=False, unique=True),
    Column("expira_en", DateTime(timezone=True)),
    Column("revocado_en", DateTime(timezone=True)),
    Column("ultimo_uso", DateTime(timezone=True)),
)

# Each event follower's durable checkpoint (migration 0006; the relay's row came from
# `relay_checkpoint`): the last position whose effect is done, one row per follower name.
# Followers whose effect lives in this database may keep their own instead (the
# projections: checkpoints_proyeccion). See infrastructure/seguimiento/.
checkpoints_seguidor = Table(
    "checkpoints_seguidor",
    metadata,
    Column("nombre", String(100), primary_key=True),
    Column("posicion", BigInteger, nullable=False),
)

# Events a follower gave up on after its retries (migration 0006): it moved past them, and
# they wait here, with the error, for someone to look. One row per follower and position.
eventos_aparcados = Table(
    "eventos_aparcados",
    metadata,
    Column("seguidor", String(100), primary_key=True),
    Column("posicion", BigInteger, primary_key=True, autoincrement=False),
    Column("evento_id", String(36), nullable=False),
    Column("tipo", String(80), nullable=False),
    Column("error", Text, nullable=False),
    Column("aparcado_en", DateTime(timezone=True), nullable=False),
)

# The SRI dispatcher's schedule (migration 0012): when each document in the SRI's process
# is looked at next, how many tries in a row failed and why, how many queries it had.
# Operational state, not history: the document's own events say what happened; this says
# only when to go back.
# A proximo_ms that never comes: the document waits for a person, out of the rounds.
NUNCA_MS = 2**62
envios_sri = Table(
    "envios_sri",
    metadata,
    Column("documento_id", String(100), primary_key=True),
    Column("tipo_comprobante", String(2), nullable=False),
    Column("proximo_ms", BigInteger, nullable=False),  # Unix time, milliseconds
    Column("intentos", Integer, nullable=False),  # failures in a row
    Column("ultimo_error", Text),
    # Authorization queries so far (migration 0013): where it is in CONSULTAS.
    Column("consultas", Integer, nullable=False, server_default="0"),
)

# Idempotency keys (migration 0014): per caller (`alcance`, a digest of its token) and key,
# the request's digest, who holds it, its state and, once answered, the first answer.
claves_idempotencia = Table(
    "claves_idempotencia",
    metadata,
    Column("id", String(64), primary_key=True),  # sha256 of alcance + clave
    Column("huella", String(64), nullable=False),  # sha256 of method, path and body
    Column("dueno", String(36), nullable=False),
    Column("estado", String(15), nullable=False),  # en_curso, hecha, respondida
    Column("creado_ms", BigInteger, nullable=False, index=True),
    Column("tomado_ms", BigInteger, nullable=False),
    Column("estado_http", Integer),
    Column("tipo_contenido", String(100)),
    Column("cuerpo", LargeBinary().with_variant(mysql.LONGBLOB(), "mysql", "mariadb")),
)

# Leases (migration 0012): one holder at a time for work that must run once per database
# (the SRI dispatcher), even with several processes; a holder that dies loses it at `hasta`.
arriendos = Table(
    "arriendos",
    metadata,
    Column("nombre", String(60), primary_key=True),
    Column("dueno", String(100), nullable=False),
    Column("hasta_ms", BigInteger, nullable=False),
)

# People who sign in on the web screens (migration 0018): only the argon2 hash of each
# password is kept; names are unique ignoring case (`nombre_unico`, casefolded).
usuarios = Table(
    "usuarios",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("nombre", String(50), nullable=False),
    Column("nombre_unico", String(50), nullable=False, unique=True),
    Column("rol", String(20), nullable=False),
    Column("hash_clave", String(200), nullable=False),
    Column("activo", Boolean, nullable=False),
    Column("creado_en", DateTime(timezone=True), nullable=False),
)

# Their sessions (migration 0018): the SHA-256 of the cookie's secret (a copy of the
# database opens no session), the CSRF token its forms carry, and its limits: `expira_en`
# moves with activity, `creada_en` bounds it whatever the activity.
sesiones = Table(
    "sesiones",
    metadata,
    Column("hash", String(64), primary_key=True),
    Column("usuario_id", String(36), ForeignKey("usuarios.id"), nullable=False, index=True),
    Column("csrf", String(64), nullable=False),
    Column("creada_en", DateTime(timezone=True), nullable=False),
    Column("expira_en", DateTime(timezone=True), nullable=False),
    Column("ultima_actividad", DateTime(timezone=True), nullable=False),
)
