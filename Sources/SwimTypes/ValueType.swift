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
    public static let anyref = ValueType.ref(.anyref)
    public static let eqref = ValueType.ref(.eqref)
    public static let i31ref = ValueType.ref(.i31ref)
    public static let structref = ValueType.ref(.structref)
    public static let arrayref = ValueType.ref(.arrayref)
}

/// The heap part of a reference type.
///
/// Wasm 3.0 has three hierarchies of abstract heap types, each with its bottom type:
/// `func` ⊒ `nofunc`; `extern` ⊒ `noextern`; `any` ⊒ `eq` ⊒ {`i31`, `struct`, `array`} ⊒ `none`
/// (GC). A type index names a defined type: a function type sits under `func`, a struct
/// type under `struct`, an array type under `array`.
public enum HeapType: Hashable, Sendable {
    case `func`
    case extern
    /// A type index (Wasm 3.0 typed function references and GC).
    case index(UInt32)
    /// Exception references (Wasm 3.0 exception handling) and their bottom type.
    case exn
    case noexn
    // GC
    case any
    case eq
    case i31
    case `struct`
    case array
    case none
    case nofunc
    case noextern
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
    public static let anyref = RefType(nullable: true, heapType: .any)
    public static let eqref = RefType(nullable: true, heapType: .eq)
    public static let i31ref = RefType(nullable: true, heapType: .i31)
    public static let structref = RefType(nullable: true, heapType: .struct)
    public static let arrayref = RefType(nullable: true, heapType: .array)
    public static let nullref = RefType(nullable: true, heapType: .none)
    public static let nullfuncref = RefType(nullable: true, heapType: .nofunc)
    public static let nullexternref = RefType(nullable: true, heapType: .noextern)
}

extension HeapType: CustomStringConvertible {
    public var description: String {
        switch self {
        case .func: return "func"
        case .extern: return "extern"
        case .index(let i): return String(i)
        case .exn: return "exn"
        case .noexn: return "noexn"
        case .any: return "any"
        case .eq: return "eq"
        case .i31: return "i31"
        case .struct: return "struct"
        case .array: return "array"
        case .none: return "none"
        case .nofunc: return "nofunc"
        case .noextern: return "noextern"
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
        case (true, .any): return "anyref"
        case (true, .eq): return "eqref"
        case (true, .i31): return "i31ref"
        case (true, .struct): return "structref"
        case (true, .array): return "arrayref"
        case (true, .none): return "nullref"
        case (true, .nofunc): return "nullfuncref"
        case (true, .noextern): return "nullexternref"
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
