/// The proposals by name, as the WebAssembly proposals repository spells them (and wasmtime's
/// `-W` options, where it has one).
extension WasmFeatures: CustomStringConvertible {
    /// Every feature flag with its proposal's name, in the order of the flags.
    public static let proposalNames: [(name: String, feature: WasmFeatures)] = [
        ("mutable-global", .mutableGlobals),
        ("sign-extension", .signExtension),
        ("saturating-float-to-int", .saturatingFloatToInt),
        ("multi-value", .multiValue),
        ("bulk-memory", .bulkMemory),
        ("reference-types", .referenceTypes),
        ("simd", .simd),
        ("tail-call", .tailCall),
        ("extended-const", .extendedConst),
        ("multi-memory", .multiMemory),
        ("memory64", .memory64),
        ("relaxed-simd", .relaxedSimd),
        ("exceptions", .exceptions),
        ("function-references", .functionReferences),
        ("legacy-exceptions", .legacyExceptions),
    ]

    /// The feature of the proposal `name` (`"relaxed-simd"`), if Swim has a flag for it.
    public init?(proposalName name: String) {
        guard let entry = Self.proposalNames.first(where: { $0.name == name }) else { return nil }
        self = entry.feature
    }

    /// The proposals' names: `[tail-call, memory64]`.
    public var description: String {
        "[" + Self.proposalNames.filter { contains($0.feature) }.map(\.name).joined(separator: ", ") + "]"
    }
}
