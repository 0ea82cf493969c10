# Swim: build, test and run. `make test` is what CI runs (see .ci/run).
SHELL := /bin/bash
SWIFT ?= swift
PREFIX ?= /usr/local
RELEASE_BIN = .build/release

# The official spec tests: a checkout of WebAssembly/testsuite (see README), else the shared copy.
WASM_TESTSUITE ?= $(abspath $(firstword $(wildcard spec-tests/testsuite ../shared/wasm-testsuite /work/shared/wasm-testsuite)))
# The unit tests that read the suite find it through the environment.
export WASM_TESTSUITE

# Debian packages the build and the tests need.
APT_PACKAGES = clang-16 lld-16 wasi-libc libclang-rt-16-dev-wasm32 libseccomp-dev pkg-config time

# Release builds: handlers need no frame pointers (SwiftPM adds them by default).
RELEASE_FLAGS = -c release --omit-frame-pointers
PRODUCTS = swim spec-test containerd-shim-swim-v1
# The engine's unit tests, run again in a release build: there the handlers tail-call each
# other, and DispatchTests prove it on small thread stacks.
ENGINE_TESTS = WasmTypesTests|WasmParserTests|WasmValidationTests|WATTests|SwimTests

.PHONY: all deps build release test unit-test release-test spec-test tailcalls install clean

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
	for product in $(PRODUCTS); do $(SWIFT) build $(RELEASE_FLAGS) --product $$product || exit 1; done

unit-test:
	$(SWIFT) test

release-test:
	$(SWIFT) test $(RELEASE_FLAGS) --scratch-path .build-release-tests --filter '$(ENGINE_TESTS)'

spec-test: release
	@test -d "$(WASM_TESTSUITE)/wasm-2.0" || { echo "spec test suite not found: set WASM_TESTSUITE (see README)"; exit 1; }
	$(RELEASE_BIN)/spec-test $(WASM_TESTSUITE)/wasm-2.0

# Every interpreter handler must reach the next one by a jump, never a call.
tailcalls: release
	python3 Utilities/check_tailcalls.py $(RELEASE_BIN)/Swim.build/*.o

test: deps unit-test release-test spec-test tailcalls

install: release
	install -d $(PREFIX)/bin
	install -m 755 $(RELEASE_BIN)/containerd-shim-swim-v1 $(RELEASE_BIN)/swim $(PREFIX)/bin/

clean:
	rm -rf .build .build-release-tests

# The WASI test programs: C sources built with clang + wasi-libc (`make deps` installs them).
# The built .wasm files are committed, so the tests don't need the toolchain; this rebuilds them.
WASI_CC ?= clang-16
WASI_CFLAGS ?= --target=wasm32-wasi -O2 -Wall -Wl,--strip-debug
WASI_PROGRAMS = $(patsubst %.c,%.wasm,$(wildcard testdata/wasi/*.c)) testdata/wasi-demo-app/wasi-demo-app.wasm

.PHONY: testdata
testdata: $(WASI_PROGRAMS)

testdata/wasi/%.wasm: testdata/wasi/%.c testdata/wasi/check.h
	$(WASI_CC) $(WASI_CFLAGS) $< -o $@

testdata/wasi-demo-app/%.wasm: testdata/wasi-demo-app/%.c
	$(WASI_CC) $(WASI_CFLAGS) $< -o $@

# The containerd protobuf messages: Sources/ContainerdAPI/Protos/*.proto → Generated/*.pb.swift
# (committed, so builds need neither protoc nor the plugin). protoc comes from Debian;
# protoc-gen-swift is built from the swift-protobuf release Package.resolved pins, in its own
# scratch path, so the generated code always matches the runtime library.
PROTO_DIR = Sources/ContainerdAPI/Protos
PROTO_OUT = Sources/ContainerdAPI/Generated
PROTOC_SCRATCH = $(CURDIR)/.build-protoc

.PHONY: protos
protos:
	@command -v protoc >/dev/null || { \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get -o DPkg::Lock::Timeout=600 -y -qq update && \
		apt-get -o DPkg::Lock::Timeout=600 -y -qq install protobuf-compiler; }
	$(SWIFT) package resolve
	rm -rf $(PROTOC_SCRATCH)/src
	git clone --quiet --no-checkout .build/checkouts/swift-protobuf $(PROTOC_SCRATCH)/src
	git -C $(PROTOC_SCRATCH)/src -c advice.detachedHead=false checkout --quiet \
		$$(git -C .build/checkouts/swift-protobuf rev-parse HEAD)
	$(SWIFT) build -c release --package-path $(PROTOC_SCRATCH)/src --scratch-path $(PROTOC_SCRATCH)/build \
		--product protoc-gen-swift
	rm -f $(PROTO_OUT)/*.pb.swift
	cd $(PROTO_DIR) && protoc -I. -I/usr/include \
		--plugin=protoc-gen-swift=$(PROTOC_SCRATCH)/build/release/protoc-gen-swift \
		--swift_out=$(CURDIR)/$(PROTO_OUT) \
		--swift_opt=Visibility=Public --swift_opt=FileNaming=PathToUnderscores \
		$$(find . -name '*.proto' | sed 's|^\./||' | LC_ALL=C sort)
