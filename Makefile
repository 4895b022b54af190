# The commands of the project. `make console` and `make test` are the two a newcomer needs.
SHELL := /bin/bash
.DEFAULT_GOAL := help
BOOTSTRAP := scripts/bootstrap.sh
WASM_ENV := . .tools/wasm.env
TEST_RUNNER := $(CURDIR)/.tools/bin/wasm-bindgen-test-runner
WASM_TEST := $(WASM_ENV) && CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=$(TEST_RUNNER) \
	WASM_BINDGEN_TEST_TIMEOUT=120 $$WASM_CARGO test --target wasm32-unknown-unknown --test wasm $$WASM_CARGO_FLAGS

.PHONY: help console test pkg bench fuzz test-fuzz test-native test-wasm-node test-wasm-browser test-npm

help:
	@echo "make console   build what is missing and serve the web console (not built yet)"
	@echo "make test      every test suite (native, wasm in Node and Chromium, the packed npm package)"
	@echo "make pkg       build the npm package into pkg/"
	@echo "make bench     the benchmarks"
	@echo "make fuzz      the fuzz targets, FUZZ_SECONDS (300) each"

console:
	@echo "make console: the web console is not built yet (issue 6 of the tracker); nothing was started." >&2
	@exit 1

bench:
	@echo "make bench: the benchmarks are not written yet (issue 7 of the tracker)." >&2
	@exit 1

pkg:
	@$(BOOTSTRAP) wasm bindgen node
	scripts/build-pkg.sh

# Seconds per fuzz target: `make fuzz` runs long, `make test` a short bounded run.
FUZZ_SECONDS ?= 300
TEST_FUZZ_SECONDS ?= 30

fuzz:
	scripts/fuzz.sh $(FUZZ_SECONDS)

test-fuzz:
	scripts/fuzz.sh $(TEST_FUZZ_SECONDS)

test: test-native test-fuzz test-wasm-node test-wasm-browser test-npm
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
	tests/npm/run.sh
