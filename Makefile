# Two commands do all the set-up on a fresh Debian machine with Python 3.11:
#   make run   — install what is missing, migrate, load demo data, serve
#   make test  — install what is missing and run the whole suite
# A production machine instead: make install-runtime, then make release
# (docs/PRODUCTION.md, "Release").
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMPS := .stamps
PORT ?= 8000
HOST ?= 127.0.0.1
CI_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
CI_REDIS_URL ?= redis://127.0.0.1:6379/0

SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-nanum
# KRDS (the government design system) from the npm registry: design tokens and
# the Pretendard GOV web fonts, served from project/static/vendor/krds.
KRDS_VERSION := 1.1.0
KRDS_DIR := project/static/vendor/krds
# GNU gettext: `make messages` and the test that the English catalog is in step with the code.
# nginx: the production smoke test runs the shipped docs/nginx.conf with Debian's nginx (its
# own configuration and ports; the package's daemon is not started, see apt_install).
# systemd: systemd-analyze checks the units in deploy/systemd.
TEST_SYSTEM_PACKAGES := chromium gettext nginx systemd
MAKEMESSAGES := $(BIN)/python manage.py makemessages -l en --no-obsolete --add-location=file \
	--ignore=.venv --ignore=staticfiles --ignore=tests --ignore=bench --ignore=media

.PHONY: run test lint install install-runtime install-test release migrate demo messages fuzz api-fuzz bench-form bench-pdf clean apt-packages stack bench-load bench-layers bench-soak bench-report bench-submit bench-estimate

# --- installation -----------------------------------------------------------
# Packages are installed without starting their services: Debian's nginx would
# start a daemon on port 80 (and fail to install where the port is taken); the
# tests run their own. A policy-rc.d that already exists (container images ship
# one) is left as it is. Production installs nginx as docs/PRODUCTION.md says.
define apt_install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing system packages:$$missing"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
		guard=""; if [ ! -e /usr/sbin/policy-rc.d ]; then guard=1; \
			printf '#!/bin/sh\nexit 101\n' | $$SUDO tee /usr/sbin/policy-rc.d >/dev/null && $$SUDO chmod 755 /usr/sbin/policy-rc.d; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
		status=$$?; if [ -n "$$guard" ]; then $$SUDO rm -f /usr/sbin/policy-rc.d; fi; exit $$status; \
	fi
endef

$(STAMPS)/system:
	$(call apt_install,$(SYSTEM_PACKAGES))
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/system-test:
	$(call apt_install,$(TEST_SYSTEM_PACKAGES))
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/krds-$(KRDS_VERSION):
	@command -v npm >/dev/null || { $(MAKE) --no-print-directory APT_PACKAGES=npm apt-packages; }
	@tmp=$$(mktemp -d) && cd $$tmp && npm pack --silent krds-uiux@$(KRDS_VERSION) >/dev/null && tar xzf krds-uiux-$(KRDS_VERSION).tgz && cd - >/dev/null && \
	rm -rf $(KRDS_DIR) && mkdir -p $(KRDS_DIR)/fonts && \
	cp $$tmp/package/resources/fonts/PretendardGOV-*.subset.woff2 $(KRDS_DIR)/fonts/ && \
	cp $$tmp/package/package.json $(KRDS_DIR)/ && rm -rf $$tmp
	@mkdir -p $(STAMPS) && touch $@

apt-packages:
	$(call apt_install,$(APT_PACKAGES))

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMPS)/requirements: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	@mkdir -p $(STAMPS) && touch $@

# Production: the runtime requirements only (no pytest, Playwright, mypy).
$(STAMPS)/runtime-requirements: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	@mkdir -p $(STAMPS) && touch $@

install: $(STAMPS)/system $(STAMPS)/requirements $(STAMPS)/krds-$(KRDS_VERSION)
install-runtime: $(STAMPS)/system $(STAMPS)/runtime-requirements $(STAMPS)/krds-$(KRDS_VERSION)
install-test: install $(STAMPS)/system-test

# --- run --------------------------------------------------------------------
migrate: install
	$(BIN)/python manage.py migrate --noinput -v 0

demo: migrate
	$(BIN)/python manage.py load_demo

run: demo
	@echo ""
	@echo "  종이 없는 민원실 (paperless 민원) is running"
	@echo "  Resident (phone):   http://$(HOST):$(PORT)/"
	@echo "  Counter QR entry:   http://$(HOST):$(PORT)/o/seocho-gu/counter/1/qr.svg"
	@echo "  Officer console:    http://$(HOST):$(PORT)/console/   (officer.seocho / demo1234!)"
	@echo "  Other officers:     officer.health, officer.banpo1, officer.seocho1 (demo1234!)"
	@echo "  Manager:            manager / demo1234!"
	@echo "  Admin (forms):      http://$(HOST):$(PORT)/admin/   (admin / demo1234!)"
	@echo "  Ctrl-C stops the server and the worker."
	@echo ""
	@HOST=$(HOST) PORT=$(PORT) $(BIN)/python -m project.run

# A release on a production machine (docs/PRODUCTION.md, "Release"), as root in
# the checkout, with the environment the services get. Never loads demo data.
# Then: systemctl restart minwon.target
RELEASE_ENV ?= /etc/minwon/minwon.env
release: install-runtime
	@test -r $(RELEASE_ENV) || { echo "make release needs $(RELEASE_ENV) (deploy/minwon.env.example)"; exit 2; }
	set -a && . $(RELEASE_ENV) && set +a && \
		$(BIN)/python manage.py check --deploy --fail-level WARNING && \
		$(BIN)/python manage.py migrate --noinput && \
		$(BIN)/python manage.py collectstatic --noinput -v 1

# Production layout on one machine, to try it: SERVERS uvicorn processes on ports PORT,
# PORT+1, ... and WORKERS workers, on the PostgreSQL and Redis that run.
stack: install
	@test -n "$$DATABASE_URL" -a -n "$$REDIS_URL" || { echo "make stack needs DATABASE_URL and REDIS_URL (PostgreSQL and Redis)"; exit 2; }
	$(BIN)/python manage.py migrate --noinput -v 0
	@HOST=$(HOST) PORT=$(PORT) $(BIN)/python -m project.stack

# --- translations -----------------------------------------------------------
# Korean is the source language. This extracts new strings into
# locale/en/LC_MESSAGES/django.po (translate them there) and compiles django.mo,
# which is committed so that running the project needs no gettext.
messages: install-test
	$(MAKEMESSAGES)
	$(BIN)/python manage.py compilemessages -l en

# --- checks -----------------------------------------------------------------
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports --no-logo

test: install-test lint
	$(BIN)/python -m pytest -p no:cacheprovider
	@if [ "$$CI" = "true" ]; then \
		echo "== CI: the suite again against PostgreSQL and Redis =="; \
		DATABASE_URL=$(CI_DATABASE_URL) REDIS_URL=$(CI_REDIS_URL) REQUIRE_SERVICES=1 \
			$(BIN)/python -m pytest -p no:cacheprovider; \
	fi

# Every endpoint (tests/test_http_fuzz.py: FUZZ_REQUESTS malformed requests, FUZZ_SEED picks
# them), every field type and every WebSocket; the suite runs the same tests with a few hundred.
fuzz: install
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-10000} FUZZ_FRAMES=$${FUZZ_FRAMES:-10000} FUZZ_REQUESTS=$${FUZZ_REQUESTS:-10000} \
		$(BIN)/python -m pytest -q -s -p no:cacheprovider tests/test_http_fuzz.py tests/test_fuzz.py tests/test_ws_fuzz.py

# The API against its served OpenAPI schema (schemathesis): API_FUZZ_EXAMPLES requests per
# operation, valid and invalid; the suite runs 12.
api-fuzz: install
	API_FUZZ_EXAMPLES=$${API_FUZZ_EXAMPLES:-1000} $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_api_schema.py

bench-form: install
	$(BIN)/python bench/form_page.py

bench-pdf: install
	@# Liberation Sans: the benchmark's Latin baseline (the archive itself uses Nanum Gothic).
	@$(MAKE) --no-print-directory APT_PACKAGES=fonts-liberation apt-packages
	$(BIN)/python bench/pdf_bench.py --explain

# Past one machine (docs/PRODUCTION.md). The load and soak benchmarks create
# and migrate their own database; each prints a table.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/minwon_bench
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/10
bench-layers: install
	$(BIN)/python bench/layers.py

# ARGS passes options through, e.g. make bench-load ARGS="--rate 100 --server daphne".
bench-load: install
	DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) $(BIN)/python bench/load.py $(ARGS)

bench-submit: install
	DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) $(BIN)/python bench/submit_profile.py $(ARGS)

bench-soak: install
	DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) $(BIN)/python bench/soak.py --minutes $${MINUTES:-10} $(ARGS)

# The manager report on 1,000,000 submissions (loaded once, then reused).
REPORT_BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/minwon_report_bench
bench-report: install
	DATABASE_URL=$(REPORT_BENCH_DATABASE_URL) $(BIN)/python bench/report_bench.py

# The wait estimate ("약 m분") replayed over simulated days against the waits that followed:
# p50/p90 error in minutes, target p50 ≤ 3 (intake/estimates.py, the app's own code).
bench-estimate: install
	$(BIN)/python bench/estimate.py $(ARGS)

clean:
	rm -rf $(VENV) $(STAMPS) .pytest_db*.sqlite3* staticfiles $(KRDS_DIR)
