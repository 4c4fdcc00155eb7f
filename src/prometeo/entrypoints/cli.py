"""The command line: `prometeo ...` (same PROMETEO_* settings as the server)."""

from __future__ import annotations

import typer
from rich.console import Console

from prometeo.infrastructure.db.engine import crear_engine
from prometeo.infrastructure.db.migracion import esta_al_dia, migrar
from prometeo.infrastructure.settings import Settings

app = typer.Typer(help="prometeo: facturación e inventario.", no_args_is_help=True)
db = typer.Typer(help="Base de datos.", no_args_is_help=True)
app.add_typer(db, name="db")
consola = Console()


@db.command("upgrade")
def db_upgrade() -> None:
    """Aplica las migraciones pendientes a PROMETEO_DATABASE_URL."""
    settings = Settings()
    engine = crear_engine(settings.database_url)
    try:
        if esta_al_dia(engine):
            consola.print("[green]El esquema ya está al día.[/green]")
            return
        migrar(engine)
        consola.print("[green]Esquema actualizado.[/green]")
    finally:
        engine.dispose()
