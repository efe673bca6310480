# backroad: `make run` serves the app, `make test` checks everything. Both install what
# is missing first (only when missing or the wrong version). See ../shared/BUILD-NOTES.md.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

CARGO_LEPTOS_VERSION := 0.3.10
# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
WASM_BINDGEN_VERSION := $(shell sed -n '/^name = "wasm-bindgen"$$/{n;s/^version = "\(.*\)"$$/\1/p;}' Cargo.lock)
# npm's wasm-opt (Debian's is too old and breaks hydration) and the cargo-installed tools.
export PATH := $(CURDIR)/end2end/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
NPM_STAMP := end2end/node_modules/.installed

.PHONY: help run build test fmt fmt-check lint unit check-content e2e reliability bench tools tool-wasm-target \
        tool-cargo-leptos tool-wasm-bindgen tool-node tool-chromium tool-wrk tool-nginx clean

help:
	@echo "make run    install what is missing, build, serve http://127.0.0.1:3000 (data in ./data)"
	@echo "make test   install what is missing, then format check, lint, unit/HTTP tests, release build, browser tests"
	@echo "make build  release build (target/release/backroad and target/site)"
	@echo "make reliability  crash tests against the release server (20 kill -9 cycles, 50 kills at start-up),"
	@echo "                  2,000 bad-input cases, concurrent tabs, backup/restore, 60 s load run with wrk,"
	@echo "                  60 s abuse run (slow clients, junk addresses, write floods beside real users),"
	@echo "                  disk growth over 3 million updates"
	@echo "make bench  pages vs nginx serving the same bytes, durable writes vs fsync, bytes on the wire, hydration,"
	@echo "            start-up and memory; table + target/bench/results.json (see BENCHMARKS.md)"
	@echo "make fmt | lint | unit | check-content | e2e"

## ---- tools (each step runs only when needed) -------------------------------------

tools: tool-wasm-target tool-cargo-leptos tool-wasm-bindgen $(NPM_STAMP)

tool-wasm-target:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

tool-cargo-leptos:
	@if ! cargo-leptos --version 2>/dev/null | grep -qw "$(CARGO_LEPTOS_VERSION)"; then \
	  echo "installing cargo-leptos $(CARGO_LEPTOS_VERSION) (one time, ~15 minutes on 2 cores)"; \
	  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
	    cargo install cargo-leptos@$(CARGO_LEPTOS_VERSION) --locked --features no_downloads; \
	fi

tool-wasm-bindgen:
	@test -n "$(WASM_BINDGEN_VERSION)" || { echo "no wasm-bindgen version in Cargo.lock"; exit 1; }
	@if ! wasm-bindgen --version 2>/dev/null | grep -qw "$(WASM_BINDGEN_VERSION)"; then \
	  echo "installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION) (one time)"; \
	  cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION); \
	fi

tool-node:
	@command -v npm >/dev/null || { $(SUDO) apt-get update && $(SUDO) apt-get install -y nodejs npm; }

$(NPM_STAMP): end2end/package.json end2end/package-lock.json | tool-node
	cd end2end && npm ci --no-audit --no-fund
	touch $@

tool-wrk:
	@command -v wrk >/dev/null || { $(SUDO) apt-get update && $(SUDO) apt-get install -y wrk; }

tool-chromium:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update && $(SUDO) apt-get install -y chromium; }

# The bench's outside reference for serving a page (nginx with gzip_static). The bench
# starts its own instance on a free port; any system one Debian starts is left alone.
tool-nginx:
	@command -v nginx >/dev/null || { $(SUDO) apt-get update && $(SUDO) apt-get install -y nginx-light || $(SUDO) apt-get install -y nginx; }

## ---- build and run -----------------------------------------------------------------

build: tools
	cargo leptos build --release --split

run: build
	./target/release/backroad

## ---- checks ------------------------------------------------------------------------

fmt:
	cargo fmt

fmt-check:
	cargo fmt --check

lint: tool-wasm-target
	cargo clippy --features ssr --all-targets -- -D warnings
	cargo clippy --lib --features hydrate --target wasm32-unknown-unknown -- -D warnings

# One test at a time: Leptos can stall a server-side render when several tokio runtimes in
# one process render at once (each parallel test has its own runtime; the server has one).
# Every test on sled (and the PostgreSQL ones: contract, two nodes, outage), then the HTTP
# tests once more with the router on PostgreSQL.
unit:
	scripts/with-postgres cargo test --features ssr -- --test-threads=1
	BACKROAD_TEST_STORE=postgres scripts/with-postgres cargo test --features ssr --test http --test accounts \
	  --test sharing --test notes --test undo --test changes --test security --test bad_input --test concurrency --test overlay --test store_failure \
	  -- --test-threads=1

check-content:
	cargo run --quiet --features ssr -- check-content

e2e: build tool-chromium
	cd end2end && npx playwright test

# The crash tests at full length against the release binary (`make test` runs 3 cycles).
reliability: build tool-wrk
	BACKROAD_BIN=$(CURDIR)/target/release/backroad CRASH_CYCLES=20 START_KILLS=50 PROPTEST_CASES=2000 \
	  scripts/with-postgres cargo test --features ssr --test reliability --test reliability_pg --test store_failure --test bad_input \
	    --test concurrency --test backup -- --test-threads=1 --nocapture
	BACKROAD_BIN=$(CURDIR)/target/release/backroad scripts/with-postgres cargo test --features ssr --test load --test abuse \
	  -- --ignored --nocapture --test-threads=1
	scripts/with-postgres cargo test --features ssr --lib -- --ignored --nocapture

# Not part of `make test`: about three minutes of load against the release binary. The
# driver is built with the dev profile so it cannot replace the release binary cargo-leptos made.
bench: build tool-wrk tool-chromium tool-nginx
	BACKROAD_BIN=$(CURDIR)/target/release/backroad scripts/with-postgres cargo bench --profile dev --features ssr --bench bench

test: tools fmt-check lint unit e2e
	./target/release/backroad check-content

clean:
	cargo clean
	rm -rf end2end/node_modules end2end/.data
