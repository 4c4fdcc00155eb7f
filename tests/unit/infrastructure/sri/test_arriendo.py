"""The SRI dispatcher's lease: its holder renews it, and another takes it only once it has
gone `duracion` seconds without a renewal (PROMETEO_SRI_ARRIENDO), or once released."""

from __future__ import annotations

from sqlalchemy import Engine

from apoyo_comprobantes import Reloj
from prometeo.infrastructure.sri.despachador import Arriendo


def _dos(engine: Engine, reloj: Reloj) -> tuple[Arriendo, Arriendo]:
    """Two dispatchers' leases of three seconds on the same name."""
    return (
        Arriendo(engine, "sri", "uno", reloj, duracion=3),
        Arriendo(engine, "sri", "otro", reloj, duracion=3),
    )


def test_otro_lo_toma_solo_cuando_pasa_su_duracion_sin_renovarse(engine: Engine) -> None:
    reloj = Reloj()
    primero, segundo = _dos(engine, reloj)

    assert primero.tomar()
    reloj.avanzar(2.9)
    assert not segundo.tomar()
    assert primero.tomar()  # renewed: three more seconds from now
    reloj.avanzar(2.9)
    assert not segundo.tomar()
    reloj.avanzar(0.2)  # 3.1 s since the last renewal: the holder is taken for dead
    assert segundo.tomar()
    assert not primero.tomar()


def test_soltado_queda_libre_al_instante(engine: Engine) -> None:
    primero, segundo = _dos(engine, Reloj())
    assert primero.tomar()

    primero.soltar()

    assert segundo.tomar()
