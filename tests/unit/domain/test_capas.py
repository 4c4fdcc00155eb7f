"""The domain imports nothing but the standard library and itself (STYLE.md rule 1)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import prometeo.domain

DOMINIO = Path(prometeo.domain.__file__).parent


def modulos_importados(archivo: Path) -> set[str]:
    arbol = ast.parse(archivo.read_text(encoding="utf-8"))
    nombres: set[str] = set()
    for nodo in ast.walk(arbol):
        if isinstance(nodo, ast.Import):
            nombres.update(alias.name for alias in nodo.names)
        elif isinstance(nodo, ast.ImportFrom) and nodo.level == 0 and nodo.module:
            nombres.add(nodo.module)
    return nombres


def test_el_dominio_solo_importa_la_biblioteca_estandar() -> None:
    ajenos = {
        f"{archivo.relative_to(DOMINIO)}: {modulo}"
        for archivo in DOMINIO.rglob("*.py")
        for modulo in modulos_importados(archivo)
        if modulo.split(".")[0] not in sys.stdlib_module_names
        and not modulo.startswith("prometeo.domain")
    }
    assert not ajenos


def test_la_prueba_detecta_un_import_ajeno(tmp_path: Path) -> None:
    archivo = tmp_path / "malo.py"
    archivo.write_text("import sqlalchemy\nfrom prometeo.infrastructure import x\n")
    assert modulos_importados(archivo) == {"sqlalchemy", "prometeo.infrastructure"}


def test_ningun_evento_tapa_la_propiedad_tipo() -> None:
    from prometeo.domain.events.base import EventoDominio

    def subclases(clase: type) -> list[type]:
        return [s for c in clase.__subclasses__() for s in (c, *subclases(c))]

    import prometeo.domain.events.factura
    import prometeo.domain.events.inventario
    import prometeo.domain.events.nota_credito
    import prometeo.domain.events.secuencia  # noqa: F401

    eventos = subclases(EventoDominio)
    assert len(eventos) >= 13
    assert all(isinstance(e.__dict__.get("tipo", EventoDominio.tipo), property) for e in eventos)
