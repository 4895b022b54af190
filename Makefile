# The commands of the project. `make console` and `make test` are the two a newcomer needs.
SHELL := /bin/bash
.DEFAULT_GOAL := help
BOOTSTRAP := scripts/bootstrap.sh
WASM_ENV := . .tools/wasm.env
TEST_RUNNER := $(CURDIR)/.tools/bin/wasm-bindgen-test-runner
WASM_TEST := $(WASM_ENV) && CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=$(TEST_RUNNER) \
	WASM_BINDGEN_TEST_TIMEOUT=120 $$WASM_CARGO test --target wasm32-unknown-unknown --test wasm --test wasm_client $$WASM_CARGO_FLAGS

.PHONY: help lint console emulator-release test pkg bench fuzz test-fuzz test-native test-wasm-node test-wasm-browser test-npm test-e2e

# `make console`: where to serve, and (optionally) the real Atlas to proxy instead of emulating,
# and how the emulator verifies LDAP settings (rules, the default, or real).
PORT ?= 8080
ATLAS_UPSTREAM ?=
LDAP_VERIFY ?=
# The emulated projects survive a restart of `make console` in this gitignored file;
# `rm .console-state.json` starts again from the demo project.
CONSOLE_STATE ?= .console-state.json
EMULATOR := target/release/atlas-emulator

help:
	@echo "make console   build what is missing and serve the web console at http://127.0.0.1:8080"
	@echo "               (PORT=9000 to change; ATLAS_UPSTREAM=https://cloud.mongodb.com to proxy the real service;"
	@echo "               LDAP_VERIFY=real to verify against the real LDAP server; state kept in $(CONSOLE_STATE))"
	@echo "make test      every test suite (native, wasm in Node and Chromium, the packed npm package)"
	@echo "make pkg       build the npm package into pkg/"
	@echo "make bench     the benchmarks"
	@echo "make fuzz      the fuzz targets, FUZZ_SECONDS (300) each"

console: pkg emulator-release
	@echo
	@echo "  Open http://127.0.0.1:$(PORT)/"
	@echo "  ($(if $(ATLAS_UPSTREAM),proxying $(ATLAS_UPSTREAM): enter your own credentials,the local Atlas emulator with the demo project); Ctrl-C stops it)"
	$(if $(ATLAS_UPSTREAM),,@echo "  The emulator's projects are kept in $(CONSOLE_STATE) across restarts: rm $(CONSOLE_STATE) to start over.")
	@echo
	exec $(EMULATOR) --port $(PORT) --www www --pkg pkg$(if $(ATLAS_UPSTREAM), --upstream $(ATLAS_UPSTREAM), --state $(CONSOLE_STATE))$(if $(LDAP_VERIFY), --ldap-verify $(LDAP_VERIFY))

emulator-release:
	cargo build --release -p atlas-emulator

# Size, validation vs ajv, client vs fetch, start-up, memory: prints a table, writes
# bench/results.json and the table in bench/README.md (about two minutes after `make pkg`).
bench: pkg
	@$(BOOTSTRAP) node chromium
	cargo build --quiet --release -p atlas-emulator
	node bench/run.mjs

# pkg/ is rebuilt only when a source of it changed.
PKG_SOURCES := $(shell find src pkg-template scripts -type f) Cargo.toml Cargo.lock package-lock.json
pkg: pkg/package.json
pkg/package.json: $(PKG_SOURCES)
	@$(BOOTSTRAP) wasm bindgen node
	scripts/build-pkg.sh

# Seconds per fuzz target: `make fuzz` runs long, `make test` a short bounded run.
FUZZ_SECONDS ?= 300
TEST_FUZZ_SECONDS ?= 30

fuzz:
	scripts/fuzz.sh $(FUZZ_SECONDS)

test-fuzz:
	scripts/fuzz.sh $(TEST_FUZZ_SECONDS)

test: lint test-native test-fuzz test-wasm-node test-wasm-browser test-npm test-e2e
	@echo "make test: all suites passed"

# Clippy with warnings as errors (missing docs of the public API among them), natively and for
# the two wasm builds of the npm package.
lint:
	@$(BOOTSTRAP) wasm
	cargo clippy --workspace --all-targets --quiet --features atlas-ldap/native -- -D warnings
	$(WASM_ENV) && $$WASM_CARGO clippy --quiet --lib --target wasm32-unknown-unknown $$WASM_CARGO_FLAGS -- -D warnings
	$(WASM_ENV) && $$WASM_CARGO clippy --quiet --lib --no-default-features --target wasm32-unknown-unknown $$WASM_CARGO_FLAGS -- -D warnings
	$(WASM_ENV) && $$WASM_CARGO clippy --quiet --target wasm32-unknown-unknown --test wasm --test wasm_client $$WASM_CARGO_FLAGS -- -D warnings

# The emulator's real LDAP verification tests start a slapd of their own; the native
# client's tests (tests/native.rs) start the debug emulator, built first (with the same
# features as the tests, so it is not built twice).
test-native:
	@$(BOOTSTRAP) ldap
	cargo build --quiet -p atlas-emulator --features atlas-ldap/native
	cargo test --workspace --quiet --features atlas-ldap/native

test-wasm-node:
	@$(BOOTSTRAP) wasm bindgen
	$(WASM_TEST)

test-wasm-browser:
	@$(BOOTSTRAP) wasm bindgen chromium
	export WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER=/usr/bin/chromedriver; $(WASM_TEST)

test-npm: pkg
	@$(BOOTSTRAP) node chromium
	cargo build --quiet -p atlas-emulator
	tests/npm/run.sh

# The web console in Chromium (Playwright), against the server `make console` starts, on a
# free port (or E2E_PORT); screenshots go to tests/artifacts/.
test-e2e: pkg emulator-release
	@$(BOOTSTRAP) node chromium cjk-fonts
	PORT=$${E2E_PORT:-0} tests/e2e/run.sh
