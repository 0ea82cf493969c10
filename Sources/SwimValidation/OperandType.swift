import SwimTypes

/// A value type as the validator tracks it, packed into 64 bits.
///
/// The operand stack is the hottest structure of validation, so it holds these plain
/// integers rather than `ValueType` enums: equality is one compare and the stack is a
/// flat array with no payloads to copy. `unknown` is the spec's "Unknown" (bottom)
/// type that unreachable code produces.
///
/// Layout: bits 0-7 the kind; for references, bit 8 the nullability, bits 16-23 the heap
/// kind and bits 32-63 a type index (Wasm 3.0 typed references). The validator keeps type
/// indices canonical (`ValidationContext.canonical`), so equal types have equal bits.
///
/// A reference popped from the polymorphic stack of unreachable code has the spec's bottom
/// heap type, which matches every heap type (`ref.as_non_null` after `unreachable`).
struct OperandType: Hashable, Sendable {
    var raw: UInt64

    private static let kindMask: UInt64 = 0xFF
    private static let nullableBit: UInt64 = 1 << 8

    private enum Kind: UInt64 {
        case unknown = 0
        case i32, i64, f32, f64, v128, ref
    }

    private enum HeapKind: UInt64 {
        case function = 0
        case extern, index, bottom, exn, noexn
    }

    @inline(__always) private init(kind: Kind) { raw = kind.rawValue }

    // Computed rather than stored so that they fold to constants (a `static let` is
    // reached through a lazy-initialization accessor).
    static var unknown: OperandType { OperandType(kind: .unknown) }
    static var i32: OperandType { OperandType(kind: .i32) }
    static var i64: OperandType { OperandType(kind: .i64) }
    static var f32: OperandType { OperandType(kind: .f32) }
    static var f64: OperandType { OperandType(kind: .f64) }
    static var v128: OperandType { OperandType(kind: .v128) }
    static var funcref: OperandType { OperandType(RefType.funcref) }
    static var exnref: OperandType { OperandType(RefType.exnref) }
    /// `(ref exn)`: what `catch_ref` and `catch_all_ref` pass.
    static var nonNullExnref: OperandType { OperandType(RefType(nullable: false, heapType: .exn)) }

    init(_ type: ValueType) {
        switch type {
        case .i32: self = .i32
        case .i64: self = .i64
        case .f32: self = .f32
        case .f64: self = .f64
        case .v128: self = .v128
        case .ref(let r): self.init(r)
        }
    }

    init(_ type: RefType) {
        var raw = Kind.ref.rawValue
        if type.nullable { raw |= Self.nullableBit }
        switch type.heapType {
        case .func: raw |= HeapKind.function.rawValue << 16
        case .extern: raw |= HeapKind.extern.rawValue << 16
        case .index(let i): raw |= HeapKind.index.rawValue << 16 | UInt64(i) << 32
        case .exn: raw |= HeapKind.exn.rawValue << 16
        case .noexn: raw |= HeapKind.noexn.rawValue << 16
        }
        self.raw = raw
    }

    /// A non-null reference of the bottom heap type.
    static var bottomReference: OperandType {
        OperandType(raw: Kind.ref.rawValue | HeapKind.bottom.rawValue << 16)
    }

    private init(raw: UInt64) { self.raw = raw }

    private var kind: Kind { Kind(rawValue: raw & Self.kindMask) ?? .unknown }

    /// For a reference: whether it may be null.
    var isNullable: Bool { raw & Self.nullableBit != 0 }

    /// The same reference type without null.
    var nonNullable: OperandType { OperandType(raw: raw & ~Self.nullableBit) }

    /// Whether this is a reference of the bottom heap type.
    var hasBottomHeapType: Bool { kind == .ref && (raw >> 16) & 0xFF == HeapKind.bottom.rawValue }

    /// Whether a local of this type has no default value: a non-nullable reference.
    var isDefaultable: Bool { kind != .ref || isNullable }

    @inline(__always) var isUnknown: Bool { raw == 0 }
    var isNumber: Bool {
        switch kind {
        case .i32, .i64, .f32, .f64: return true
        default: return false
        }
    }
    var isVector: Bool { kind == .v128 }
    var isReference: Bool { kind == .ref }

    /// The number of 8-byte slots a value of this type takes in a frame. An unknown
    /// type (only in unreachable code) counts as the widest so the figure stays an upper bound.
    @inline(__always)
    var slotCount: Int {
        let kind = raw & Self.kindMask
        return kind == Kind.v128.rawValue || kind == Kind.unknown.rawValue ? 2 : 1
    }

    /// The reference type, for reference kinds.
    var refType: RefType? {
        guard kind == .ref else { return nil }
        let heap: HeapType
        switch HeapKind(rawValue: (raw >> 16) & 0xFF) {
        case .function: heap = .func
        case .extern: heap = .extern
        case .index: heap = .index(UInt32(truncatingIfNeeded: raw >> 32))
        case .exn: heap = .exn
        case .noexn: heap = .noexn
        case .bottom, nil: return nil
        }
        return RefType(nullable: raw & Self.nullableBit != 0, heapType: heap)
    }

    /// The value type, or nil for `unknown`.
    var valueType: ValueType? {
        switch kind {
        case .unknown: return nil
        case .i32: return .i32
        case .i64: return .i64
        case .f32: return .f32
        case .f64: return .f64
        case .v128: return .v128
        case .ref: return refType.map { .ref($0) }
        }
    }
}

extension OperandType: CustomStringConvertible {
    var description: String {
        if hasBottomHeapType { return isNullable ? "(ref null bot)" : "(ref bot)" }
        return valueType?.description ?? "_"
    }
}
