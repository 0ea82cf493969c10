/// Size limits of a memory or table, in pages or elements.
///
/// `is64` and `shared` are carried for Wasm 3.0 (memory64, table64) and threads;
/// Wasm 2.0 modules always have both false.
public struct Limits: Hashable, Sendable {
    public var min: UInt64
    public var max: UInt64?
    public var is64: Bool
    public var shared: Bool

    public init(min: UInt64, max: UInt64? = nil, is64: Bool = false, shared: Bool = false) {
        self.min = min
        self.max = max
        self.is64 = is64
        self.shared = shared
    }
}

public struct MemoryType: Hashable, Sendable {
    public var limits: Limits
    public init(limits: Limits) { self.limits = limits }

    /// 64 KiB, the size of a WebAssembly page.
    public static let pageSize = 65536
    /// The largest page count a 32-bit memory may declare.
    public static let maxPages32: UInt64 = 65536
    /// The largest page count a 64-bit memory may declare (2^48).
    public static let maxPages64: UInt64 = 1 << 48
}

public struct TableType: Hashable, Sendable {
    public var elementType: RefType
    public var limits: Limits
    public init(elementType: RefType, limits: Limits) {
        self.elementType = elementType
        self.limits = limits
    }
}

public enum Mutability: Hashable, Sendable {
    case constant
    case variable
}

public struct GlobalType: Hashable, Sendable {
    public var mutability: Mutability
    public var valueType: ValueType
    public init(mutability: Mutability, valueType: ValueType) {
        self.mutability = mutability
        self.valueType = valueType
    }
}

extension Limits: CustomStringConvertible {
    public var description: String {
        let prefix = is64 ? "i64 " : ""
        if let max { return "\(prefix)\(min) \(max)" }
        return "\(prefix)\(min)"
    }
}

extension GlobalType: CustomStringConvertible {
    public var description: String {
        mutability == .variable ? "(mut \(valueType))" : valueType.description
    }
}
