# Gatehouse — every command a developer or CI runs. See README.md.
SWIFT ?= swift
PORT ?= 3000
GATEHOUSE_DATA ?= .gatehouse
VENV := .venv
# Every app's executable, as Package.swift lists the apps (one `App(...)` line each; `gatehouse new` writes it).
APPS := $(shell sed -n 's/^ *App.*executable: "\([a-z0-9-]*\)".*/\1/p' Package.swift)
PYTHON := $(VENV)/bin/python
# Python peers the tests drive: AWS's runtime client, moto (DynamoDB) with boto3, joserfc (foreign tokens),
# cfn-lint and SAM (lint, sam build), openapi-spec-validator and schemathesis (the OpenAPI document), cedarpy
# (Rust's Cedar: the engine's answers and speed are compared with it), authlib (an OAuth/OIDC client: the code flow).
PY_PEERS := awslambdaric "moto[server]" boto3 joserfc cfn-lint aws-sam-cli openapi-spec-validator schemathesis cedarpy authlib
PY_CHECK := import awslambdaric, moto.server, flask, boto3, joserfc, cfnlint, samcli, openapi_spec_validator, schemathesis, cedarpy, authlib

.PHONY: run test conformance bench package lint fuzz sanitize peers check-system

## run: the local stack on 127.0.0.1:$(PORT), data under $(GATEHOUSE_DATA)/ (Ctrl-C stops it); it rebuilds and
## reloads what you change under Apps/ and Packages/, template.json and dev/identities.json.
run: check-system
	$(SWIFT) build -c release --product gatehouse
	@for app in $(APPS); do $(SWIFT) build -c release --product $$app || exit 1; done
	GATEHOUSE_DATA=$(GATEHOUSE_DATA) PORT=$(PORT) .build/release/gatehouse serve --port $(PORT) --watch

## test: every test of every package in one build (packages, apps, Tests/).
test: check-system peers
	GATEHOUSE_PYTHON=$(CURDIR)/$(PYTHON) $(SWIFT) test

## conformance: Cedar's official conformance tests in full (the handwritten ones and all 7,809 corpus tests, 62,472
## requests) against the engine; prints `N/M requests agree` (make test runs a fixed sample of the corpus).
conformance: check-system
	CEDAR_CORPUS_LIMIT=7809 $(SWIFT) test --filter "CedarCorpusTests|CedarFormatTests"

## bench: release build, then one `bench NAME VALUE UNIT` line per figure.
bench: check-system
	$(SWIFT) build -c release --product gatehouse-bench
	$(SWIFT) build -c release --product runtime-echo
	$(SWIFT) build -c release --product gatehouse
	@for app in $(APPS); do $(SWIFT) build -c release --product $$app || exit 1; done
	.build/release/gatehouse-bench

LAMBDA_BUILD := .build-lambda
HOST_ARCH := $(shell uname -m | sed 's/aarch64/arm64/')
# The architecture to package for: ARCH=, else the template's `Architecture` default.
ARCH ?= $(shell sed -n '/"Architecture": {/,/}/s/.*"Default": "\(.*\)".*/\1/p' template.json)
# A Swift SDK (`swift sdk list`) that targets ARCH from another host; docs/deploy.md says how to get one.
SWIFT_SDK ?=
CROSS := $(if $(filter $(ARCH),$(HOST_ARCH)),,$(if $(SWIFT_SDK),--swift-sdk $(SWIFT_SDK),refuse))
# A native build links OpenSSL, SQLite and libstdc++ into the bootstrap (Tools/package/static-archives): loading them
# as shared libraries cost 2 ms of every cold start (docs/deploy.md). A cross build links what its SDK provides.
STATIC_ARCHIVES := $(LAMBDA_BUILD)/static
STATIC := $(if $(filter $(ARCH),$(HOST_ARCH)),PKG_CONFIG_PATH=$(CURDIR)/$(STATIC_ARCHIVES))

## package: build/lambda/<app>.zip per app for $(ARCH): release, static Swift stdlib, stripped `bootstrap` that passes
## the provided.al2023 ABI check (Tools/package/abi-check), and the app's `policies/` folder when it has one.
package: check-system
	@if [ "$(CROSS)" = refuse ]; then echo "make package: the template's functions are $(ARCH) but this host builds $(HOST_ARCH) and no Swift SDK for $(ARCH) is given: set SWIFT_SDK=<id from 'swift sdk list'> (docs/deploy.md) or ARCH=$(HOST_ARCH) with Architecture=$(HOST_ARCH) on deploy" >&2; exit 1; fi
	@# A scratch folder copied from another tree (sam build copies the source) names that tree's paths: start afresh.
	@if [ -f $(LAMBDA_BUILD)/release.yaml ] && ! grep -q '$(CURDIR)/' $(LAMBDA_BUILD)/release.yaml; then rm -rf $(LAMBDA_BUILD); fi
	@# Linked afresh each time: SwiftPM would not notice an updated archive (an OpenSSL security fix) by itself.
	@$(if $(STATIC),Tools/package/static-archives $(STATIC_ARCHIVES) && \
		for app in $(APPS); do rm -f $(LAMBDA_BUILD)/release/$$app; done)
	@for app in $(APPS); do \
		$(STATIC) $(SWIFT) build -c release --static-swift-stdlib $(CROSS) --scratch-path $(LAMBDA_BUILD) --product $$app || exit 1; \
	done
	@mkdir -p build/lambda
	@bin=$$($(SWIFT) build -c release $(CROSS) --scratch-path $(LAMBDA_BUILD) --show-bin-path) && for app in $(APPS); do \
		rm -rf build/lambda/$$app && mkdir -p build/lambda/$$app && \
		cp $$bin/$$app build/lambda/$$app/bootstrap && strip build/lambda/$$app/bootstrap && \
		policies=Apps/$$(ls -d Apps/*/Sources/$$app | cut -d/ -f2)/policies && \
		if [ -d $$policies ]; then cp -R $$policies build/lambda/$$app/policies; fi && \
		(cd build/lambda/$$app && rm -f ../$$app.zip && zip -q -X -r ../$$app.zip .) && \
		printf '%-20s %6s KB zipped, %6s KB bootstrap\n' $$app \
			$$(( $$(stat -c %s build/lambda/$$app.zip) / 1024 )) $$(( $$(stat -c %s build/lambda/$$app/bootstrap) / 1024 )); \
	done
	@Tools/package/abi-check $(ARCH) $(foreach app,$(APPS),build/lambda/$(app)/bootstrap)

# `sam build` (BuildMethod: makefile) calls build-<LogicalId> with ARTIFACTS_DIR set: package that one app, the
# executable of the app whose Package.swift line names the folder <LogicalId> less `Function` (DPoPAuthorizer).
build-%Function:
	@app=$$(sed -n 's/^ *App("$*", executable: "\([a-z0-9-]*\)".*/\1/p' Package.swift) && test -n "$$app" && \
		$(MAKE) --no-print-directory package APPS=$$app && cp -R build/lambda/$$app/. $(ARTIFACTS_DIR)/

## lint: contract checks (no remote packages, no build output in git), cfn-lint and sam validate on every template
## (template.json and the test stacks' templates), Package.swift's app lines against the apps' imports, and
## `gatehouse check` (template and handlers agree).
TEMPLATES := template.json $(wildcard Tests/LocalStackTests/Templates/*.json)
lint: peers
	@! grep -n '\.package( *url' Package.swift Packages/*/Package.swift Tools/*/Package.swift || \
		(echo "lint: remote Swift package found; Gatehouse has zero package dependencies" >&2; exit 1)
	@! git ls-files | grep -E '(^|/)(\.build[^/]*|Package\.resolved)(/|$$)' || \
		(echo "lint: build output or Package.resolved is tracked" >&2; exit 1)
	$(VENV)/bin/cfn-lint $(TEMPLATES)
	@for template in $(TEMPLATES); do \
		SAM_CLI_TELEMETRY=0 AWS_DEFAULT_REGION=us-east-1 $(VENV)/bin/sam validate --lint --template $$template || exit 1; \
	done
	@# Package.swift's app lines match the apps' folders and imports (each finding prints the line to write), then
	@# the template and the handlers agree (routes, authorizers, scopes, tables): read from the apps themselves.
	$(SWIFT) build --product gatehouse
	.build/debug/gatehouse check --manifest
	@for app in $(APPS); do $(SWIFT) build --product $$app || exit 1; done
	.build/debug/gatehouse check --template template.json
	@# Every Swift sample of the docs compiles against the modules just built (or is an excerpt of compiled code).
	.build/debug/gatehouse check --docs
	@echo "lint: ok"

FUZZ_SECONDS ?= 60
FUZZ_BUILD := .build-fuzz
FUZZERS := jws jwks apigateway-event http-request policy cedar-policy cedar-authorization

## fuzz: each libFuzzer target for $(FUZZ_SECONDS) s from the seeds in Tools/fuzz/Corpus/;
## the first crash stops it, its input saved under $(FUZZ_BUILD)/artifacts/ (make it a file in Tools/fuzz/Regressions/).
fuzz: check-system
	cd Tools/fuzz && $(SWIFT) build -c release --sanitize=fuzzer -Xswiftc -enable-testing \
		--scratch-path $(CURDIR)/$(FUZZ_BUILD)
	@for target in $(FUZZERS); do \
		mkdir -p $(FUZZ_BUILD)/corpus/$$target $(FUZZ_BUILD)/artifacts/$$target && \
		SWIFT_BACKTRACE=enable=no $(FUZZ_BUILD)/release/fuzz-$$target \
			$(FUZZ_BUILD)/corpus/$$target Tools/fuzz/Corpus/$$target -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
			-rss_limit_mb=2048 -artifact_prefix=$(FUZZ_BUILD)/artifacts/$$target/ -print_final_stats=1 \
			> $(FUZZ_BUILD)/fuzz-$$target.log 2>&1; \
		status=$$?; \
		printf 'fuzz-%-17s %s, corpus %s inputs\n' $$target \
			"$$(grep -o 'Done [0-9]* runs in [0-9]* second(s)' $(FUZZ_BUILD)/fuzz-$$target.log || echo 'stopped early')" \
			"$$(ls $(FUZZ_BUILD)/corpus/$$target | wc -l)"; \
		if [ $$status -ne 0 ]; then tail -40 $(FUZZ_BUILD)/fuzz-$$target.log; exit 1; fi; \
	done

## sanitize: the whole test suite under AddressSanitizer, then ThreadSanitizer, each in its own build directory.
sanitize: check-system peers
	ASAN_OPTIONS=detect_leaks=0 GATEHOUSE_PYTHON=$(CURDIR)/$(PYTHON) \
		$(SWIFT) test --sanitize=address --scratch-path .build-asan
	GATEHOUSE_PYTHON=$(CURDIR)/$(PYTHON) $(SWIFT) test --sanitize=thread --scratch-path .build-tsan

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
