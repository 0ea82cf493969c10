/// The value types of WebAssembly.
///
/// Reference types carry a nullability flag and a heap type so that the typed
/// references of Wasm 3.0 fit without a new representation; Wasm 2.0 only uses
/// the nullable `funcref` and `externref`.
public enum ValueType: Hashable, Sendable {
    case i32
    case i64
    case f32
    case f64
    case v128
    case ref(RefType)

    public static let funcref = ValueType.ref(.funcref)
    public static let externref = ValueType.ref(.externref)
    public static let exnref = ValueType.ref(.exnref)
}

/// The heap part of a reference type.
public enum HeapType: Hashable, Sendable {
    case `func`
    case extern
    /// A type index (Wasm 3.0 typed function references).
    case index(UInt32)
    /// Exception references (Wasm 3.0 exception handling) and their bottom type.
    case exn
    case noexn
}

public struct RefType: Hashable, Sendable {
    public var nullable: Bool
    public var heapType: HeapType

    public init(nullable: Bool, heapType: HeapType) {
        self.nullable = nullable
        self.heapType = heapType
    }

    public static let funcref = RefType(nullable: true, heapType: .func)
    public static let externref = RefType(nullable: true, heapType: .extern)
    public static let exnref = RefType(nullable: true, heapType: .exn)
}

extension HeapType: CustomStringConvertible {
    public var description: String {
        switch self {
        case .func: return "func"
        case .extern: return "extern"
        case .index(let i): return String(i)
        case .exn: return "exn"
        case .noexn: return "noexn"
        }
    }
}

extension RefType: CustomStringConvertible {
    public var description: String {
        switch (nullable, heapType) {
        case (true, .func): return "funcref"
        case (true, .extern): return "externref"
        case (true, .exn): return "exnref"
        case (true, .noexn): return "nullexnref"
        case (true, let h): return "(ref null \(h))"
        case (false, let h): return "(ref \(h))"
        }
    }
}

extension ValueType: CustomStringConvertible {
    public var description: String {
        switch self {
        case .i32: return "i32"
        case .i64: return "i64"
        case .f32: return "f32"
        case .f64: return "f64"
        case .v128: return "v128"
        case .ref(let r): return r.description
        }
    }
}

/// A function signature.
public struct FunctionType: Hashable, Sendable {
    public var parameters: [ValueType]
    public var results: [ValueType]

    public init(parameters: [ValueType] = [], results: [ValueType] = []) {
        self.parameters = parameters
        self.results = results
    }
}

extension FunctionType: CustomStringConvertible {
    public var description: String {
        let p = parameters.map(\.description).joined(separator: " ")
        let r = results.map(\.description).joined(separator: " ")
        return "[\(p)] -> [\(r)]"
    }
}
