// swift-tools-version: 6.2
// libFuzzer targets for Swim (`make fuzz TARGET=… SECONDS=…`, `make fuzz-smoke`). A package of
// its own: the targets start libFuzzer from `<Target>_main` (FuzzSupport) and need its runtime,
// so they build only with the sanitizer flags the Makefile passes.
import PackageDescription

let libFuzzer: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"]), .enableExperimentalFeature("Extern")]

let package = Package(
    name: "SwimFuzz",
    dependencies: [.package(name: "Swim", path: "..")],
    targets: [
        .target(name: "FuzzSupport", swiftSettings: libFuzzer),
        .executableTarget(
            name: "FuzzDecode",
            dependencies: ["FuzzSupport", .product(name: "SwimParser", package: "Swim"), .product(name: "SwimValidation", package: "Swim")],
            swiftSettings: libFuzzer),
        .executableTarget(
            name: "FuzzText", dependencies: ["FuzzSupport", .product(name: "SwimWAT", package: "Swim")], swiftSettings: libFuzzer),
        .executableTarget(
            name: "FuzzRun", dependencies: ["FuzzSupport", .product(name: "Swim", package: "Swim")], swiftSettings: libFuzzer),
        .executableTarget(
            name: "FuzzTTRPC", dependencies: ["FuzzSupport", .product(name: "ShimKit", package: "Swim")], swiftSettings: libFuzzer),
        .executableTarget(
            name: "FuzzOCIConfig", dependencies: ["FuzzSupport", .product(name: "ShimKit", package: "Swim")], swiftSettings: libFuzzer),
        // Differential runs against wasmtime (differential.py): an ordinary executable.
        .executableTarget(name: "DiffRun", dependencies: [.product(name: "Swim", package: "Swim")]),
    ]
)
