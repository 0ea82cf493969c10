// swift-tools-version: 6.2
import PackageDescription

/// The WAMR runtime functions SwimNative implements for native libraries (WAMRHelpers.swift):
/// an executable that loads such libraries exports them, so that the libraries link to them.
let wamrHelperSymbols = [
    "wasm_runtime_get_module_inst", "wasm_runtime_get_function_attachment",
    "wasm_runtime_validate_app_addr", "wasm_runtime_validate_app_str_addr", "wasm_runtime_validate_native_addr",
    "wasm_runtime_addr_app_to_native", "wasm_runtime_addr_native_to_app",
    "wasm_runtime_set_exception", "wasm_runtime_get_exception", "wasm_runtime_clear_exception",
]
let exportWAMRHelpers = wamrHelperSymbols.flatMap { ["-Xlinker", "--export-dynamic-symbol=\($0)"] }

/// Release executables link libstdc++ statically: Linker/libstdc++.so is a linker script that
/// names GCC's archive, found before the shared library.
let staticLibstdcxx = LinkerSetting.unsafeFlags(["-L", Context.packageDirectory + "/Linker"], .when(configuration: .release))

/// Release executables lay out the functions that start-up runs side by side (Linker/startup.order,
/// from Utilities/gen_link_order.py; the Makefile compiles with -function-sections), and export
/// no symbols but those named: the static Swift runtime's link line exports every one, which made
/// the dynamic loader's and `dladdr`'s work at start-up proportional to 3,000 of them.
let startupLayout = LinkerSetting.unsafeFlags([
    "-Xlinker", "--no-export-dynamic",
    "-Xlinker", "--section-ordering-file=" + Context.packageDirectory + "/Linker/startup.order",
], .when(configuration: .release))

let package = Package(
    name: "Swim",
    products: [
        .library(name: "SwimTypes", targets: ["SwimTypes"]),
        .library(name: "SwimParser", targets: ["SwimParser"]),
        .library(name: "SwimValidation", targets: ["SwimValidation"]),
        .library(name: "SwimWAT", targets: ["SwimWAT"]),
        .library(name: "Swim", targets: ["Swim"]),
        .library(name: "SwimWASI", targets: ["SwimWASI"]),
        .library(name: "SwimNative", targets: ["SwimNative"]),
        // The engine-agnostic shim core, for other shims and for the fuzz targets (Fuzz/).
        .library(name: "ShimKit", targets: ["ShimKit"]),
        .executable(name: "swim", targets: ["swim"]),
        .executable(name: "spec-test", targets: ["SpecTest"]),
        .executable(name: "containerd-shim-swim-v1", targets: ["containerd-shim-swim-v1"]),
        .executable(name: "oci-tar-builder", targets: ["oci-tar-builder"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // No traits: the default BinaryDelimitedStreams trait imports full Foundation.
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0", traits: []),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // The shim daemon's gRPC client of containerd (ContainerdClient only): HTTP/2 from
        // swift-nio-http2; grpc-swift's transport would bring TLS it does not need (docs/shim.md).
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-http2", from: "1.46.0"),
    ],
    targets: [
        // The engine: no Foundation anywhere below this line.
        .target(name: "SwimTypes"),
        .target(name: "SwimParser", dependencies: ["SwimTypes"]),
        .target(name: "SwimValidation", dependencies: ["SwimTypes", "SwimParser"]),
        .target(name: "SwimWAT", dependencies: ["SwimTypes", "SwimParser"]),
        .target(
            name: "Swim",
            dependencies: ["SwimTypes", "SwimParser", "SwimValidation"],
            swiftSettings: [
                // Swift 6 mode infers @Sendable for unapplied function references
                // (InferSendableFromCaptures), and the compiler cannot then form the
                // @convention(thin) handler references the interpreter is built on.
                // Swift 5 mode with complete concurrency checking keeps the same safety.
                .swiftLanguageMode(.v5),
                .enableExperimentalFeature("StrictConcurrency"),
                // Keep indirect jumps off 32-byte boundaries (see interpreter-dispatch.md §3b).
                // Handlers need no frame pointer: drop the push/pop SwiftPM's -fno-omit-frame-pointer adds.
                .unsafeFlags([
                    "-Xllvm", "-x86-align-branch-boundary=32", "-Xllvm", "-x86-align-branch=indirect",
                    "-Xcc", "-fomit-frame-pointer",
                    // Identical handlers must stay separate functions, not thunks to a merged one.
                    "-Xfrontend", "-disable-llvm-merge-functions-pass",
                ]),
            ]),
        .target(
            name: "SwimWASI",
            dependencies: ["Swim"],
            // @_extern(c): Linux calls the Glibc module doesn't import (syscall is variadic).
            swiftSettings: [.enableExperimentalFeature("Extern")]),
        // Host functions from C libraries (WAMR's native-library ABI) through libffi. Kept out of
        // the engine, which stays free of C, and out of the shim: images never load host code.
        .systemLibrary(name: "CFFI", pkgConfig: "libffi", providers: [.apt(["libffi-dev"])]),
        .target(name: "SwimNative", dependencies: ["Swim", "CFFI"]),

        // The containerd shim: FoundationEssentials allowed (never full Foundation).
        .target(
            name: "ContainerdAPI",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")],
            exclude: ["Protos"]),
        // SHA-256, for OCI digests and shim socket names.
        .target(name: "Digest"),
        .systemLibrary(name: "CSeccomp", pkgConfig: "libseccomp", providers: [.apt(["libseccomp-dev"])]),
        .target(
            name: "ShimKit",
            dependencies: ["ContainerdAPI", "CSeccomp", "Digest", .product(name: "Logging", package: "swift-log")],
            path: "Sources/ShimKit"),

        // containerd's gRPC API (containers, images, content) for the shim daemon. Kept apart so
        // that the engine and ShimKit never depend on gRPC and SwiftNIO.
        .target(
            name: "ContainerdClient",
            dependencies: [
                "ContainerdAPI",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]),

        .target(name: "ShimWasm", dependencies: ["ShimKit", "SwimWAT", "ContainerdClient", "Digest"]),

        // Executables
        .executableTarget(
            name: "swim",
            dependencies: [
                "SwimTypes", "SwimParser", "SwimValidation", "SwimWAT", "Swim", "SwimWASI", "SwimNative",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // Not a static executable: dlopen (--native-lib) needs the dynamic loader. The
            // release build still carries the Swift runtime (--static-swift-stdlib).
            linkerSettings: [.unsafeFlags(exportWAMRHelpers + ["-Xclang-linker", "-no-pie"]), staticLibstdcxx, startupLayout]),
        .executableTarget(
            name: "containerd-shim-swim-v1",
            dependencies: ["ShimWasm", "Swim", "SwimWASI", "SwimWAT"],
            // Not position-independent, like swim: a PIE shim applied 65,000 relocations at every
            // start, in the daemon and in each container process, and kept the relocated pages
            // (about 1 MiB) private to each process.
            linkerSettings: [.unsafeFlags(["-Xclang-linker", "-no-pie"]), staticLibstdcxx, startupLayout]),
        .executableTarget(
            name: "EmbeddingExample",
            dependencies: ["Swim", "SwimWAT"],
            path: "Examples/Embedding"),
        .executableTarget(
            name: "SpecTest",
            dependencies: ["SwimTypes", "SwimParser", "SwimValidation", "SwimWAT", "Swim"],
            path: "spec-tests/Sources/SpecTest"),
        // Writes OCI image tarballs for `ctr images import` (FoundationEssentials' JSONEncoder, ArgumentParser).
        .executableTarget(
            name: "oci-tar-builder",
            dependencies: ["Digest", .product(name: "ArgumentParser", package: "swift-argument-parser")]),

        // Tests (Swift Testing)
        .testTarget(name: "SwimTypesTests", dependencies: ["SwimTypes"]),
        .testTarget(name: "SwimParserTests", dependencies: ["SwimParser", "SwimWAT"]),
        .testTarget(name: "SwimValidationTests", dependencies: ["SwimValidation", "SwimParser", "SwimWAT"]),
        .testTarget(name: "SwimWATTests", dependencies: ["SwimWAT", "SwimParser"]),
        .testTarget(name: "SwimTests", dependencies: ["Swim", "SwimWAT"]),
        .testTarget(name: "SwimWASITests", dependencies: ["SwimWASI", "Swim", "SwimWAT"]),
        .testTarget(name: "SwimNativeTests", dependencies: ["SwimNative", "Swim", "SwimWAT"]),
        .testTarget(name: "SpecTestTests", dependencies: ["SpecTest", "Swim", "SwimWAT"], path: "spec-tests/Tests/SpecTestTests"),
        .testTarget(name: "OCITarBuilderTests", dependencies: ["oci-tar-builder", "Digest"]),
        .testTarget(name: "DigestTests", dependencies: ["Digest"]),
        .testTarget(name: "ShimWasmTests", dependencies: ["ShimWasm", "ShimKit", "Digest"]),
        .testTarget(
            name: "ContainerdClientTests",
            dependencies: [
                "ContainerdClient",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHPACK", package: "swift-nio-http2"),
            ]),
        // Re-executed by ShimKitTests in init mode to run containers with test payloads.
        .executableTarget(name: "shimkit-test-init", dependencies: ["ShimKit"], path: "Tests/ShimKitTestInit"),
        .testTarget(
            name: "ShimKitTests",
            dependencies: [
                "ShimKit", "ContainerdAPI", "shimkit-test-init",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]),
    ]
)
