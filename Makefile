# prometeo — the two commands a user needs: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: instalar run test lint typecheck imports unit integration e2e todas coverage clean bench perfil

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Reinstall only when the declared dependencies change.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

# The virtual environment with prometeo and its dependencies (`. .venv/bin/activate`).
instalar: $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

typecheck: $(STAMP)
	$(BIN)/mypy

imports: $(STAMP)
	$(BIN)/lint-imports

# While working: the domain and the use cases over the in-memory fakes, in seconds.
unit: $(STAMP)
	$(BIN)/pytest tests/unit/domain tests/unit/application

# Real databases (SQLite, PostgreSQL, MariaDB), the broker, several processes.
integration: $(STAMP)
	$(BIN)/pytest tests/integration

# Debian's chromium, for the screens' browser tests (Playwright drives it; never
# `playwright install`). Installed when missing; without root, the browser tests skip.
CHROMIUM := /usr/bin/chromium

$(CHROMIUM):
	@echo "Instalando chromium de Debian para las pruebas en el navegador..."
	@if [ "$$(id -u)" = 0 ]; then apt_get="apt-get"; else apt_get="sudo -n apt-get"; fi; \
	DEBIAN_FRONTEND=noninteractive $$apt_get install -y -q chromium \
	|| { DEBIAN_FRONTEND=noninteractive $$apt_get update -q \
	     && DEBIAN_FRONTEND=noninteractive $$apt_get install -y -q chromium; } \
	|| echo "AVISO: no se pudo instalar chromium; las pruebas en el navegador se omiten"

# The real server process over HTTP (and the screens in chromium).
e2e: $(STAMP) | $(CHROMIUM)
	$(BIN)/pytest tests/e2e

# Every test, with branch coverage.
todas: $(STAMP) | $(CHROMIUM)
	$(BIN)/pytest --cov --cov-report=term

coverage: todas
	$(BIN)/coverage report --include='src/prometeo/domain/*' --fail-under=95

test: lint typecheck imports coverage

# The API on http://127.0.0.1:8000 over a local SQLite file with demo data. The admin
# token is PROMETEO_ADMIN_TOKEN or, unset, one generated once into $(TOKEN_ADMIN).
RUN_DATABASE_URL ?= sqlite:///./prometeo.db
TOKEN_ADMIN      := .prometeo-admin-token
# The demo users' passwords (cajero, bodeguero, contador, admin), readable by the owner only.
CLAVES_DEMO      := .prometeo-demo-usuarios
# Without PROMETEO_FIRMA_ARCHIVO the demo signs with a TEST certificate made on first run.
FIRMA_DEMO       := .prometeo-demo-firma.p12
FIRMA_DEMO_CLAVE := .prometeo-demo-firma.clave
# Without PROMETEO_SRI_URL the demo talks to a local SRI SIMULATOR (no internet needed).
SIMULADOR_PUERTO := 8081

run: $(STAMP)
	@set -e; \
	export PROMETEO_DATABASE_URL='$(RUN_DATABASE_URL)'; \
	$(BIN)/prometeo db upgrade; \
	$(BIN)/prometeo demo --claves-archivo $(CLAVES_DEMO); \
	if [ -z "$$PROMETEO_SRI_URL" ]; then \
		$(BIN)/prometeo sri simulador --port $(SIMULADOR_PUERTO) > .prometeo-simulador.log 2>&1 & \
		simulador=$$!; trap 'kill $$simulador 2>/dev/null' EXIT INT TERM; \
		export PROMETEO_SRI_URL=http://127.0.0.1:$(SIMULADOR_PUERTO); \
		echo "  SRI SIMULADO (sin validez) en $$PROMETEO_SRI_URL: los comprobantes llegan a AUTORIZADO sin internet"; \
	fi; \
	if [ -z "$$PROMETEO_FIRMA_ARCHIVO" ]; then \
		$(BIN)/prometeo sri certificado-prueba --archivo $(FIRMA_DEMO) --clave-archivo $(FIRMA_DEMO_CLAVE); \
		export PROMETEO_FIRMA_ARCHIVO=$(FIRMA_DEMO) PROMETEO_FIRMA_CLAVE_ARCHIVO=$(FIRMA_DEMO_CLAVE); \
	fi; \
	if [ -z "$$PROMETEO_ADMIN_TOKEN" ]; then \
		if [ ! -s $(TOKEN_ADMIN) ]; then \
			(umask 077; $(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(32))' > $(TOKEN_ADMIN)); \
		fi; \
		PROMETEO_ADMIN_TOKEN=$$(cat $(TOKEN_ADMIN)); export PROMETEO_ADMIN_TOKEN; \
		origen="(guardado en $(TOKEN_ADMIN))"; \
	else \
		origen="(de PROMETEO_ADMIN_TOKEN)"; \
	fi; \
	echo ""; \
	echo "  Token de administrador $$origen:"; \
	echo "    $$PROMETEO_ADMIN_TOKEN"; \
	echo "  Documentación interactiva: http://127.0.0.1:8000/docs"; \
	echo ""; \
	echo "  Pantallas para las personas: http://127.0.0.1:8000/ingresar"; \
	if [ -s $(CLAVES_DEMO) ]; then \
		echo "  Usuarios (usuario: contraseña, guardados en $(CLAVES_DEMO)):"; \
		sed 's/^/    /' $(CLAVES_DEMO); \
	fi; \
	echo "  Ejemplo: curl -H \"Authorization: Bearer $$PROMETEO_ADMIN_TOKEN\" http://127.0.0.1:8000/api/v1/productos"; \
	echo ""; \
	$(BIN)/prometeo serve --host 127.0.0.1 --port 8000

# Benchmarks (benchmarks/README.md): BENCH_QUICK=1 make bench runs in under two minutes.
BENCH_STAMP := $(VENV)/.bench-installed

$(BENCH_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[dev,bench]'
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(BIN)/python -m benchmarks

perfil: $(BENCH_STAMP)
	$(BIN)/python -m benchmarks.perfil

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage .import_linter_cache
