// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "Swim",
    products: [
        .library(name: "WasmTypes", targets: ["WasmTypes"]),
        .library(name: "WasmParser", targets: ["WasmParser"]),
        .library(name: "WasmValidation", targets: ["WasmValidation"]),
        .library(name: "WAT", targets: ["WAT"]),
        .library(name: "Swim", targets: ["Swim"]),
        .executable(name: "swim", targets: ["swim"]),
        .executable(name: "spec-test", targets: ["SpecTest"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // The engine: no Foundation anywhere below this line.
        .target(name: "WasmTypes"),
        .target(name: "WasmParser", dependencies: ["WasmTypes"]),
        .target(name: "WasmValidation", dependencies: ["WasmTypes", "WasmParser"]),
        .target(name: "WAT", dependencies: ["WasmTypes", "WasmParser"]),
        .target(
            name: "Swim",
            dependencies: ["WasmTypes", "WasmParser", "WasmValidation"],
            swiftSettings: [
                // Swift 6 mode infers @Sendable for unapplied function references
                // (InferSendableFromCaptures), and the compiler cannot then form the
                // @convention(thin) handler references the interpreter is built on.
                // Swift 5 mode with complete concurrency checking keeps the same safety.
                .swiftLanguageMode(.v5),
                .enableExperimentalFeature("StrictConcurrency"),
                // Keep indirect jumps off 32-byte boundaries (see interpreter-dispatch.md §3b).
                .unsafeFlags(["-Xllvm", "-x86-align-branch-boundary=32", "-Xllvm", "-x86-align-branch=indirect"]),
            ]),

        // Executables
        .executableTarget(
            name: "swim",
            dependencies: [
                "WasmTypes", "WasmParser", "WasmValidation", "WAT", "Swim",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(
            name: "SpecTest",
            dependencies: ["WasmTypes", "WasmParser", "WasmValidation", "WAT", "Swim"],
            path: "spec-tests/Sources/SpecTest"),

        // Tests (Swift Testing)
        .testTarget(name: "WasmTypesTests", dependencies: ["WasmTypes"]),
        .testTarget(name: "WasmParserTests", dependencies: ["WasmParser", "WAT"]),
        .testTarget(name: "WasmValidationTests", dependencies: ["WasmValidation", "WasmParser", "WAT"]),
        .testTarget(name: "WATTests", dependencies: ["WAT", "WasmParser"]),
        .testTarget(name: "SwimTests", dependencies: ["Swim", "WAT"]),
    ]
)
