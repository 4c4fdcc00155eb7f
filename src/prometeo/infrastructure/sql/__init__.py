"""The one seam for direct SQL: statements compiled once and run on the DBAPI driver, with
SQLAlchemy's cursor events and error handling kept (ejecucion.py), and the one cache of
compiled statements with their parameter and result processing (sentencias.py).

Only the modules of this package may touch private attributes of SQLAlchemy or of the
drivers. SQLAlchemy is pinned in pyproject.toml; tests/unit/infrastructure/
test_costura_sql.py checks every private attribute used here, and that no module outside
this package uses one, so an upgrade that changes them fails loudly instead of silently
mis-binding a parameter."""
