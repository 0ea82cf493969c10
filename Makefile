# Swim: build, test and run. `make test` is what CI runs (see .ci/run).
SHELL := /bin/bash
SWIFT ?= swift
PREFIX ?= /usr/local
RELEASE_BIN = .build/release

# The official spec tests: a checkout of WebAssembly/testsuite (see README), else the shared copy.
WASM_TESTSUITE ?= $(firstword $(wildcard spec-tests/testsuite ../shared/wasm-testsuite /work/shared/wasm-testsuite))

# Debian packages the build and the tests need.
APT_PACKAGES = clang-16 lld-16 wasi-libc libclang-rt-16-dev-wasm32 libseccomp-dev pkg-config

.PHONY: all deps build release test unit-test spec-test clean

all: build

# Installs missing Debian packages (only when something is missing: apt is slow).
deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get -o DPkg::Lock::Timeout=600 -y -qq update && \
		apt-get -o DPkg::Lock::Timeout=600 -y -qq install $$missing; \
	fi

build:
	$(SWIFT) build

release:
	$(SWIFT) build -c release

unit-test:
	$(SWIFT) test

spec-test: release
	@test -d "$(WASM_TESTSUITE)/wasm-2.0" || { echo "spec test suite not found: set WASM_TESTSUITE (see README)"; exit 1; }
	$(RELEASE_BIN)/spec-test $(WASM_TESTSUITE)/wasm-2.0

test: deps unit-test spec-test

clean:
	rm -rf .build
