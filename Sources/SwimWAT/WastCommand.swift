import SwimTypes

/// One top-level command of a `.wast` script, with the line it starts on.
public struct WastCommand: Sendable {
    public var line: Int
    public var kind: Kind

    public init(line: Int, kind: Kind) {
        self.line = line
        self.kind = kind
    }

    public enum Kind: Sendable {
        /// Define (and, unless `isDefinition`, instantiate) a module.
        case module(WastModule)
        /// `(module instance $instance? $module?)` (Wasm 3.0 scripts): instantiate a module
        /// defined earlier (by default the last one), e.g. with `(module definition $module ...)`.
        case moduleInstance(instance: String?, module: String?)
        /// Make a module's exports importable under `name`; `module` nil means the last one.
        case register(name: String, module: String?)
        /// A bare `invoke` or `get`, whose result is ignored.
        case action(WastAction)
        case assertReturn(WastAction, [WastExpected])
        case assertTrap(WastAction, message: String)
        /// `assert_trap` on a module: instantiation (its start function) must trap.
        case assertModuleTrap(WastModule, message: String)
        case assertExhaustion(WastAction, message: String)
        /// The module must fail validation.
        case assertInvalid(WastModule, message: String)
        /// The module must fail to decode (or, for text, to parse).
        case assertMalformed(WastModule, message: String)
        /// The module must fail to link (imports).
        case assertUnlinkable(WastModule, message: String)
        /// The action must throw a Wasm exception (Wasm 3.0).
        case assertException(WastAction)
        /// Wasm 3.0 `assert_malformed_custom` / `assert_invalid_custom`: the module's custom
        /// section (annotation) is malformed or invalid; engines may just warn.
        case assertMalformedCustom(WastModule, message: String)
        case assertInvalidCustom(WastModule, message: String)
    }
}

/// A module of a script, as written: text (to compile with `encode`), binary or quoted text.
public struct WastModule: Sendable {
    public enum Source: Sendable {
        /// The module's fields as text; `encode` compiles them.
        case text(String)
        /// `(module binary "...")`: the concatenated bytes.
        case binary([UInt8])
        /// `(module quote "...")`: the concatenated text, as bytes.
        case quote([UInt8])
    }

    /// The `$name` the script gives the module, if any (without `$`).
    public var name: String?
    public var source: Source
    /// `(module definition ...)` (Wasm 3.0): define without instantiating.
    public var isDefinition: Bool
    /// The line of the `(module` keyword.
    public var line: Int
    /// The features the script was parsed with; `encode()` uses them.
    public var features: WasmFeatures
    /// Where the text of a `.text` module starts in the script, for error positions.
    var origin: SourceOrigin

    init(name: String?, source: Source, isDefinition: Bool, line: Int, features: WasmFeatures, origin: SourceOrigin) {
        self.name = name
        self.source = source
        self.isDefinition = isDefinition
        self.line = line
        self.features = features
        self.origin = origin
    }

    /// The module's binary: text and quoted modules are compiled (which may throw, as
    /// `assert_malformed` expects), binary modules are returned as written. Errors in text
    /// modules carry the script's line numbers.
    public func encode() throws(WATError) -> [UInt8] {
        switch source {
        case .text(let text):
            return try TextCompiler.compile(Array(text.utf8), features: features, origin: origin)
        case .binary(let bytes):
            return bytes
        case .quote(let text):
            return try TextCompiler.compileQuoted(text, features: features)
        }
    }
}

/// An `invoke` or `get` action.
public enum WastAction: Hashable, Sendable {
    /// Call the export `name` of `module` (nil: the last module defined).
    case invoke(module: String?, name: String, arguments: [WastValue])
    /// Read the global exported as `name`.
    case get(module: String?, name: String)
}

/// A constant written in a script: an argument, or an exactly expected result.
/// Floats are bit patterns, so NaN payloads and the sign of zero are kept.
public enum WastValue: Hashable, Sendable {
    case i32(UInt32)
    case i64(UInt64)
    case f32(UInt32)
    case f64(UInt64)
    case v128(V128)
    case refNull(WastHeapType)
    /// `ref.extern N`: the host reference numbered N.
    case refExtern(UInt32)
    /// `ref.host N` (Wasm 3.0 scripts).
    case refHost(UInt32)
}

/// Heap types that scripts can name in `ref.null`.
public enum WastHeapType: Hashable, Sendable {
    case `func`, extern
    // Wasm 3.0 heap types.
    case any, eq, i31, `struct`, array, none, nofunc, noextern, exn, noexn
    /// A type index or `$name` of the module, as written.
    case concrete(String)
}

/// The NaN patterns a result may be required to match.
public enum NaNPattern: Hashable, Sendable {
    /// Only the canonical NaN (quiet bit set, rest of the payload zero), either sign.
    case canonical
    /// Any NaN with the quiet bit set.
    case arithmetic
}

/// An expected lane of a `v128` result written per lane.
public enum WastLane: Hashable, Sendable {
    /// The lane's exact bits.
    case bits(UInt64)
    case nan(NaNPattern)
}

/// The lane interpretation of a `v128.const`.
public enum WastLaneShape: Hashable, Sendable {
    case i8x16, i16x8, i32x4, i64x2, f32x4, f64x2

    public var laneCount: Int {
        switch self {
        case .i8x16: return 16
        case .i16x8: return 8
        case .i32x4, .f32x4: return 4
        case .i64x2, .f64x2: return 2
        }
    }

    /// Bits per lane.
    public var laneBits: Int { 128 / laneCount }
}

/// An expected result of `assert_return`.
public enum WastExpected: Hashable, Sendable {
    /// Exactly this value; floats and vectors compare bit for bit.
    case value(WastValue)
    case f32NaN(NaNPattern)
    case f64NaN(NaNPattern)
    /// A vector given per lane because some lane is a NaN pattern; the other lanes are exact.
    case v128Lanes(WastLaneShape, [WastLane])
    /// Any non-null function reference (`ref.func` with no index).
    case refFunc
    /// Any non-null external reference (`ref.extern` with no number).
    case refExtern
    /// Any null reference (`ref.null` with no heap type; Wasm 3.0).
    case refNullAny
    /// Any non-null reference of the heap type (Wasm 3.0: `ref.any`, `ref.eq`, `ref.i31`,
    /// `ref.struct`, `ref.array`, `ref.exn`).
    case ref(WastHeapType)
    /// Any one of the alternatives (`either`, Wasm 3.0).
    case either([WastExpected])
}
