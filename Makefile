# Gatehouse — every command a developer or CI runs. See README.md.
SWIFT ?= swift
PORT ?= 3000
GATEHOUSE_DATA ?= .gatehouse
VENV := .venv
PYTHON := $(VENV)/bin/python
# Python peers the tests drive: AWS's runtime client, moto (DynamoDB) with boto3, joserfc (foreign tokens).
PY_PEERS := awslambdaric "moto[server]" boto3 joserfc
PY_CHECK := import awslambdaric, moto.server, flask, boto3, joserfc

.PHONY: run test bench package lint fuzz peers check-system

## run: the local stack on 127.0.0.1:$(PORT) (arrives with the local-stack issue).
run:
	@echo "make run: the local stack (gatehouse serve) is not built yet; it arrives with issue 7." >&2
	@exit 2

## test: every test of every package in one build (packages, apps, Tests/).
test: check-system peers
	GATEHOUSE_PYTHON=$(CURDIR)/$(PYTHON) $(SWIFT) test

## bench: release build, then one `bench NAME VALUE UNIT` line per figure.
bench: check-system
	$(SWIFT) build -c release --product gatehouse-bench
	$(SWIFT) build -c release --product runtime-echo
	$(SWIFT) build -c release --product gatehouse
	.build/release/gatehouse-bench

## package: build/lambda/<app>.zip per app (arrives with the apps issue).
package:
	@echo "make package: no apps exist yet; Lambda zips arrive with issue 6." >&2
	@exit 2

## lint: contract checks (no remote packages, no build output in git).
lint:
	@! grep -n '\.package( *url' Package.swift Packages/*/Package.swift || \
		(echo "lint: remote Swift package found; Gatehouse has zero package dependencies" >&2; exit 1)
	@! git ls-files | grep -E '(^|/)(\.build[^/]*|Package\.resolved)(/|$$)' || \
		(echo "lint: build output or Package.resolved is tracked" >&2; exit 1)
	@echo "lint: ok"

## fuzz: bounded libFuzzer runs per target (arrives with the hardening issue).
fuzz:
	@echo "make fuzz: no fuzz targets yet; they arrive with issue 8." >&2
	@exit 2

## peers: Python test peers in $(VENV)/ (reused when present; tests that need one skip with a reason without it).
peers:
	@test -x $(PYTHON) || python3 -m venv --system-site-packages $(VENV) || true
	@$(PYTHON) -c "$(PY_CHECK)" 2>/dev/null || $(PYTHON) -m pip install -q $(PY_PEERS) || \
		echo "peers: could not install $(PY_PEERS); the tests that drive them will be skipped" >&2

check-system:
	@pkg-config --exists openssl 2>/dev/null || test -f /usr/include/openssl/evp.h || \
		(echo "missing OpenSSL 3 headers: sudo apt-get install libssl-dev" >&2; exit 1)
	@pkg-config --exists sqlite3 2>/dev/null || test -f /usr/include/sqlite3.h || \
		(echo "missing SQLite 3 headers: sudo apt-get install libsqlite3-dev" >&2; exit 1)
