import SwimTypes

/// A WebAssembly value. Floats are carried as their IEEE 754 bit patterns so that
/// NaN payloads survive; use `Value(Float)` and friends to build them.
public enum Value: Hashable, Sendable {
    case i32(UInt32)
    case i64(UInt64)
    case f32(UInt32)
    case f64(UInt64)
    case v128(V128)
    /// A function reference, or null.
    case funcref(Function?)
    /// A host reference (any value but `UInt64.max`), or null.
    case externref(UInt64?)
    /// An exception reference (exception handling), or null.
    case exnref(Exception?)

    public init(_ value: Int32) { self = .i32(UInt32(bitPattern: value)) }
    public init(_ value: Int64) { self = .i64(UInt64(bitPattern: value)) }
    public init(_ value: Float) { self = .f32(value.bitPattern) }
    public init(_ value: Double) { self = .f64(value.bitPattern) }

    public var type: ValueType {
        switch self {
        case .i32: return .i32
        case .i64: return .i64
        case .f32: return .f32
        case .f64: return .f64
        case .v128: return .v128
        case .funcref: return .funcref
        case .externref: return .externref
        case .exnref: return .exnref
        }
    }
}

extension Value: CustomStringConvertible {
    public var description: String {
        switch self {
        case .i32(let v): return "\(v)"
        case .i64(let v): return "\(v)"
        case .f32(let bits): return "\(Float(bitPattern: bits))"
        case .f64(let bits): return "\(Double(bitPattern: bits))"
        case .v128(let v): return "0x" + hex(v.high) + hex(v.low)
        case .funcref(let f): return f == nil ? "null" : "funcref"
        case .externref(let r): return r.map { "externref(\($0))" } ?? "null"
        case .exnref(let e): return e.map { "exnref(tag \($0.tag.name))" } ?? "null"
        }
    }

    private func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}

/// Conversions between values and the slots of the value stack.
extension Value {
    /// Reads a value of `type` from `slots`.
    init(slots: UnsafeMutablePointer<UInt64>, type: ValueType, store: StoreStorage) {
        switch type {
        case .i32: self = .i32(UInt32(truncatingIfNeeded: slots[0]))
        case .i64: self = .i64(slots[0])
        case .f32: self = .f32(UInt32(truncatingIfNeeded: slots[0]))
        case .f64: self = .f64(slots[0])
        case .v128: self = .v128(V128(low: slots[0], high: slots[1]))
        case .ref(let r):
            switch r.heapType {
            case .extern:
                self = .externref(slots[0] == 0 ? nil : slots[0] &- 1)
            case .exn, .noexn:
                self = .exnref(ExceptionRef(slot: slots[0]).map { store.exceptionObject($0) })
            case .func, .index:
                self = .funcref(FunctionRef(bitPattern: UInt(slots[0])).map { Function(entity: $0, store: store) })
            }
        }
    }

    /// The slot words of this value.
    var slotWords: (UInt64, UInt64) {
        switch self {
        case .i32(let v): return (UInt64(v), 0)
        case .i64(let v): return (v, 0)
        case .f32(let v): return (UInt64(v), 0)
        case .f64(let v): return (v, 0)
        case .v128(let v): return (v.low, v.high)
        case .funcref(let f): return (f.map { UInt64(UInt(bitPattern: $0.entity)) } ?? 0, 0)
        case .externref(let r): return (r.map { $0 &+ 1 } ?? 0, 0)
        case .exnref(let e): return (e?.object.slot ?? 0, 0)
        }
    }

    /// Writes this value into `slots`; returns how many slots it took.
    @discardableResult
    func write(to slots: UnsafeMutablePointer<UInt64>) -> Int {
        let words = slotWords
        slots[0] = words.0
        if case .v128 = self {
            slots[1] = words.1
            return 2
        }
        return 1
    }

    /// Whether this value may be passed where `type` is expected in `store` (`type`'s type indices
    /// are store type ids). Null fits nullable reference types only; a function fits `func` and
    /// its own type, if it belongs to `store`.
    func matches(_ type: ValueType, in store: StoreStorage) -> Bool {
        switch (self, type) {
        case (.i32, .i32), (.i64, .i64), (.f32, .f32), (.f64, .f64), (.v128, .v128): return true
        case (.funcref(let f), .ref(let r)):
            guard r.heapType.isFunction else { return false }
            guard let f else { return r.nullable }
            guard f.storage === store else { return false }
            if case .index(let id) = r.heapType { return f.entity.pointee.typeID == id }
            return true
        case (.externref(let v), .ref(let r)):
            guard r.heapType == .extern, v != UInt64.max else { return false }
            return v != nil || r.nullable
        case (.exnref(let e), .ref(let r)):
            guard r.heapType == .exn || r.heapType == .noexn else { return false }
            guard let e else { return r.nullable }
            return r.heapType == .exn && e.storage === store
        default: return false
        }
    }
}

extension HeapType {
    /// Whether references of this heap type are function references.
    var isFunction: Bool {
        switch self {
        case .func, .index: return true
        case .extern, .exn, .noexn: return false
        }
    }
}
