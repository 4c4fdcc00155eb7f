"""The fakes of the read ports keep the ports' contracts (contrato_lecturas.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fakes import CatalogoEnMemoria, ConsultasCatalogoEnMemoria, TokensEnMemoria

from contrato_lecturas import (
    TOKEN_ADMIN,
    ContratoConsultasCatalogo,
    ContratoRegistroTokens,
    RelojMovil,
)
from prometeo.domain.repositories import RepositorioCatalogo


@pytest.fixture
def catalogo() -> CatalogoEnMemoria:
    return CatalogoEnMemoria()


class TestConsultasCatalogoEnMemoria(ContratoConsultasCatalogo):
    @pytest.fixture
    def consultas(self, catalogo: CatalogoEnMemoria) -> ConsultasCatalogoEnMemoria:
        return ConsultasCatalogoEnMemoria(catalogo)

    @pytest.fixture
    def sembrar(
        self, catalogo: CatalogoEnMemoria
    ) -> Callable[[Callable[[RepositorioCatalogo], None]], None]:
        return lambda siembra: siembra(catalogo)


class TestTokensEnMemoria(ContratoRegistroTokens):
    @pytest.fixture
    def registro(self, reloj: RelojMovil) -> TokensEnMemoria:
        return TokensEnMemoria(TOKEN_ADMIN, reloj=reloj.ahora)

    @pytest.fixture
    def registro_sin_admin(self) -> TokensEnMemoria:
        return TokensEnMemoria()
