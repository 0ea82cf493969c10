/// The WebAssembly proposals a decoder or validator accepts.
public struct WasmFeatures: OptionSet, Hashable, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    // Wasm 2.0
    public static let mutableGlobals = WasmFeatures(rawValue: 1 << 0)
    public static let signExtension = WasmFeatures(rawValue: 1 << 1)
    public static let saturatingFloatToInt = WasmFeatures(rawValue: 1 << 2)
    public static let multiValue = WasmFeatures(rawValue: 1 << 3)
    public static let bulkMemory = WasmFeatures(rawValue: 1 << 4)
    public static let referenceTypes = WasmFeatures(rawValue: 1 << 5)
    public static let simd = WasmFeatures(rawValue: 1 << 6)

    // Wasm 3.0
    public static let tailCall = WasmFeatures(rawValue: 1 << 7)
    public static let extendedConst = WasmFeatures(rawValue: 1 << 8)
    public static let multiMemory = WasmFeatures(rawValue: 1 << 9)
    public static let memory64 = WasmFeatures(rawValue: 1 << 10)
    public static let relaxedSimd = WasmFeatures(rawValue: 1 << 11)
    /// Exception handling: tags, `throw`, `throw_ref`, `try_table` and `exnref`.
    public static let exceptions = WasmFeatures(rawValue: 1 << 12)
    /// Typed function references: `(ref null? ht)` types, `call_ref`, `ref.as_non_null`,
    /// `br_on_null`, `br_on_non_null`, non-nullable locals and tables with initial values.
    /// (`return_call_ref` also needs `tailCall`.)
    public static let functionReferences = WasmFeatures(rawValue: 1 << 13)
    /// The legacy exception instructions (`try`, `catch`, `catch_all`, `rethrow`, `delegate`):
    /// not part of Wasm 3.0, but what deployed toolchains (clang `-fwasm-exceptions`) still emit.
    public static let legacyExceptions = WasmFeatures(rawValue: 1 << 14)

    /// Whether tags, their section, imports and exports, and `throw` are accepted: both the
    /// exception proposal and its legacy instructions have them.
    public var hasExceptionTags: Bool { !isDisjoint(with: [.exceptions, .legacyExceptions]) }

    /// The MVP (Wasm 1.0).
    public static let mvp: WasmFeatures = []
    /// Everything in Wasm 2.0.
    public static let wasm2: WasmFeatures = [
        .mutableGlobals, .signExtension, .saturatingFloatToInt, .multiValue, .bulkMemory, .referenceTypes, .simd,
    ]
    /// The features Swim enables by default: Wasm 2.0 and the Wasm 3.0 proposals the
    /// interpreter runs.
    public static let `default`: WasmFeatures =
        wasm2.union([.tailCall, .extendedConst, .relaxedSimd, .functionReferences, .multiMemory, .memory64,
                     .exceptions, .legacyExceptions])
}
