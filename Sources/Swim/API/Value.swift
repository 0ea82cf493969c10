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
    /// A host reference, or null.
    case externref(UInt64?)
    /// A reference of the `any` hierarchy (GC: `anyref`, `eqref`, `i31ref`, `structref`,
    /// `arrayref` and the struct and array types), or null.
    case anyref(AnyRef?)
    /// An `extern` reference made from a reference of the `any` hierarchy (`extern.convert_any`)
    /// that is no host value: an i31, struct or array. (A host value stays `.externref`.)
    case externalized(AnyRef)
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
        case .externref, .externalized: return .externref
        case .anyref: return .anyref
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
        case .anyref(let r): return r.map { "anyref(\($0))" } ?? "null"
        case .externalized(let r): return "externref(\(r))"
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
            let word = slots[0]
            switch r.heapType.top(in: store.types) {
            case .extern?:
                if word == 0 {
                    self = .externref(nil)
                } else if case .host(let v) = store.anyRef(word) {
                    self = .externref(v)
                } else {
                    self = .externalized(store.anyRef(word))
                }
            case .any?:
                self = .anyref(word == 0 ? nil : store.anyRef(word))
            case .exn?:
                self = .exnref(ExceptionRef(slot: word).map { store.exceptionObject($0) })
            default:
                self = .funcref(FunctionRef(bitPattern: UInt(word)).map { Function(entity: $0, store: store) })
            }
        }
    }

    /// The slot words of this value in `store`: a host value is boxed (see `GCHeap`), which
    /// fails only when the store's memory limit is reached.
    func slotWords(in store: StoreStorage) throws -> (UInt64, UInt64) {
        switch self {
        case .i32(let v): return (UInt64(v), 0)
        case .i64(let v): return (v, 0)
        case .f32(let v): return (UInt64(v), 0)
        case .f64(let v): return (v, 0)
        case .v128(let v): return (v.low, v.high)
        case .funcref(let f): return (f.map { UInt64(UInt(bitPattern: $0.entity)) } ?? 0, 0)
        case .externref(nil), .anyref(nil): return (0, 0)
        case .externref(let v?): return (try store.reference(to: .host(v)), 0)
        case .anyref(let r?), .externalized(let r): return (try store.reference(to: r), 0)
        case .exnref(let e): return (e?.object.slot ?? 0, 0)
        }
    }

    /// Writes this value into `slots`; returns how many slots it took.
    @discardableResult
    func write(to slots: UnsafeMutablePointer<UInt64>, in store: StoreStorage) throws -> Int {
        let words = try slotWords(in: store)
        slots[0] = words.0
        if case .v128 = self {
            slots[1] = words.1
            return 2
        }
        return 1
    }

    /// Whether this value may be passed where `type` is expected in `store` (`type`'s type indices
    /// are store type ids). Null fits nullable reference types only; a function or GC object fits
    /// its own type and its supertypes, if it belongs to `store`.
    func matches(_ type: ValueType, in store: StoreStorage) -> Bool {
        switch (self, type) {
        case (.i32, .i32), (.i64, .i64), (.f32, .f32), (.f64, .f64), (.v128, .v128): return true
        case (.funcref(let f), .ref(let r)):
            guard r.heapType.top(in: store.types) == .func else { return false }
            guard let f else { return r.nullable }
            guard f.storage === store else { return false }
            return HeapType.index(f.entity.pointee.typeID).matches(r.heapType, in: store.types)
        case (.externref(let v), .ref(let r)):
            guard r.heapType == .extern || (r.heapType == .noextern && v == nil) else { return false }
            return v != nil || r.nullable
        case (.externalized(let a), .ref(let r)):
            guard r.heapType == .extern else { return false }
            if case .object(let o) = a { return o.storage === store }
            return true
        case (.anyref(let a), .ref(let r)):
            guard r.heapType.top(in: store.types) == .any else { return false }
            guard let a else { return r.nullable }
            switch a {
            case .i31: return HeapType.i31.matches(r.heapType, in: store.types)
            case .host: return r.heapType == .any
            case .object(let o):
                return o.storage === store && HeapType.index(o.typeID).matches(r.heapType, in: store.types)
            }
        case (.exnref(let e), .ref(let r)):
            guard r.heapType == .exn || r.heapType == .noexn else { return false }
            guard let e else { return r.nullable }
            return r.heapType == .exn && e.storage === store
        default: return false
        }
    }
}
