# The commands of the project. `make console` and `make test` are the two a newcomer needs.
SHELL := /bin/bash
.DEFAULT_GOAL := help
BOOTSTRAP := scripts/bootstrap.sh
WASM_ENV := . .tools/wasm.env
TEST_RUNNER := $(CURDIR)/.tools/bin/wasm-bindgen-test-runner
WASM_TEST := $(WASM_ENV) && CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=$(TEST_RUNNER) \
	WASM_BINDGEN_TEST_TIMEOUT=120 $$WASM_CARGO test --target wasm32-unknown-unknown --test wasm $$WASM_CARGO_FLAGS

.PHONY: help console test pkg bench fuzz test-native test-wasm-node test-wasm-browser test-npm

help:
	@echo "make console   build what is missing and serve the web console (not built yet)"
	@echo "make test      every test suite (native, wasm in Node and Chromium, the packed npm package)"
	@echo "make pkg       build the npm package into pkg/"
	@echo "make bench     the benchmarks"

console:
	@echo "make console: the web console is not built yet (issue 6 of the tracker); nothing was started." >&2
	@exit 1

# Size, validation vs ajv, client vs fetch, start-up, memory: prints a table, writes
# bench/results.json and the table in bench/README.md (about two minutes after `make pkg`).
bench: pkg
	@$(BOOTSTRAP) node chromium
	cargo build --quiet --release -p atlas-emulator
	node bench/run.mjs

pkg:
	@$(BOOTSTRAP) wasm bindgen node
	scripts/build-pkg.sh

test: test-native test-wasm-node test-wasm-browser test-npm
	@echo "make test: all suites passed"

test-native:
	cargo test --workspace --quiet

test-wasm-node:
	@$(BOOTSTRAP) wasm bindgen
	$(WASM_TEST)

test-wasm-browser:
	@$(BOOTSTRAP) wasm bindgen chromium
	export WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER=/usr/bin/chromedriver; $(WASM_TEST)

test-npm: pkg
	@$(BOOTSTRAP) chromium
	cargo build --quiet -p atlas-emulator
	tests/npm/run.sh
