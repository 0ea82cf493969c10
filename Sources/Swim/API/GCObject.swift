import SwimTypes

/// A reference of the `any` hierarchy (GC) as the host sees it: an i31, a host value made a
/// reference of the `any` hierarchy (`any.convert_extern` of an `externref`), or a struct or
/// array of a store's GC heap.
public enum AnyRef: Hashable, Sendable, CustomStringConvertible {
    /// An unboxed 31-bit integer (`ref.i31`), read signed (as `i31.get_s`).
    case i31(Int32)
    /// A host value (an `externref` internalized with `any.convert_extern`).
    case host(UInt64)
    /// A struct or array. The host keeps it alive as long as it holds the `GCObject`.
    case object(GCObject)

    /// An i31 of the low 31 bits of `value`.
    public static func i31(bits value: UInt32) -> AnyRef {
        .i31(Int32(bitPattern: value << 1) >> 1)
    }

    public var description: String {
        switch self {
        case .i31(let v): return "i31(\(v))"
        case .host(let v): return "host(\(v))"
        case .object(let o): return o.description
        }
    }
}

/// A struct or array of a store's GC heap, held by the host: wasm hands it out as an
/// `anyref` (`Value.anyref(.object(_))`), and takes it back the same way.
///
/// Who owns what: the store owns every GC object; wasm code and the host only hold references.
/// While a `GCObject` exists, its object is a root: the collector keeps it, and everything it
/// refers to, alive. Dropping the last `GCObject` (and every reference from wasm) lets the next
/// collection free the object. A `GCObject` keeps its store alive; it belongs to the store's
/// thread, as the store does. There is one `GCObject` per object at a time, so `==` is
/// reference identity (`ref.eq`).
public final class GCObject: Hashable, CustomStringConvertible, @unchecked Sendable {
    let address: UnsafeMutableRawPointer
    let storage: StoreStorage

    /// Wraps an object of `storage`; use `StoreStorage.gcObject(_:)`, which keeps one per object.
    init(address: UnsafeMutableRawPointer, storage: StoreStorage) {
        self.address = address
        self.storage = storage
    }

    public static func == (a: GCObject, b: GCObject) -> Bool { a === b }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }

    /// Whether the object is a struct (else it is an array).
    public var isStruct: Bool { address.runtimeType.pointee.kind == .struct }

    /// The object's store type id (its type, as in `Function.type`'s typed references).
    public var typeID: UInt32 { address.runtimeType.pointee.id }

    /// The number of fields of a struct, or of elements of an array.
    public var count: Int {
        isStruct ? address.runtimeType.pointee.fieldCount : Int(address.arrayLength)
    }

    /// Field (struct) or element (array) `index`, or nil when there is none. Packed fields
    /// and elements (`i8`, `i16`) read as zero-extended `i32`s.
    public subscript(index: Int) -> Value? {
        guard let (offset, field) = location(of: index) else { return nil }
        var slots: (UInt64, UInt64) = (0, 0)
        switch field.storage.byteSize {
        case 1: slots.0 = UInt64(address.load(fromByteOffset: offset, as: UInt8.self))
        case 2: slots.0 = UInt64(address.load(fromByteOffset: offset, as: UInt16.self))
        case 4: slots.0 = UInt64(address.load(fromByteOffset: offset, as: UInt32.self))
        case 8: slots.0 = address.load(fromByteOffset: offset, as: UInt64.self)
        default:
            slots.0 = address.load(fromByteOffset: offset, as: UInt64.self)
            slots.1 = address.load(fromByteOffset: offset + 8, as: UInt64.self)
        }
        return withUnsafeMutableBytes(of: &slots) { buffer in
            Value(slots: buffer.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: UInt64.self),
                  type: field.storage.unpacked, store: storage)
        }
    }

    /// Sets mutable field or element `index` to `value` (an `i32` for a packed one, which keeps
    /// its low bits). Throws `CallError` when there is no such field or element, it is
    /// immutable, or `value` does not match its type.
    public func set(_ index: Int, _ value: Value) throws {
        guard let (offset, field) = location(of: index) else {
            throw CallError("no field or element \(index) in \(description) of \(count)")
        }
        guard field.mutable else { throw CallError("field or element \(index) of \(description) is immutable") }
        guard value.matches(field.storage.unpacked, in: storage) else {
            throw CallError("\(value) does not match \(field.storage), field or element \(index) of \(description)")
        }
        let words = try value.slotWords(in: storage)
        switch field.storage.byteSize {
        case 1: address.storeBytes(of: UInt8(truncatingIfNeeded: words.0), toByteOffset: offset, as: UInt8.self)
        case 2: address.storeBytes(of: UInt16(truncatingIfNeeded: words.0), toByteOffset: offset, as: UInt16.self)
        case 4: address.storeBytes(of: UInt32(truncatingIfNeeded: words.0), toByteOffset: offset, as: UInt32.self)
        case 8: address.storeBytes(of: words.0, toByteOffset: offset, as: UInt64.self)
        default:
            address.storeBytes(of: words.0, toByteOffset: offset, as: UInt64.self)
            address.storeBytes(of: words.1, toByteOffset: offset + 8, as: UInt64.self)
        }
    }

    public var description: String { isStruct ? "struct of type \(typeID)" : "array of type \(typeID)" }

    /// The byte offset and type of field or element `index`.
    private func location(of index: Int) -> (Int, FieldType)? {
        guard index >= 0, index < count else { return nil }
        let type = address.runtimeType.pointee
        switch storage.types.definitions[Int(type.id)].composite {
        case .struct(let fields):
            return (type.fields.unsafelyUnwrapped[index].offset, fields[index])
        case .array(let element):
            return (ObjectLayout.arrayElementsOffset + index * type.elementSize, element)
        case .function:
            return nil
        }
    }
}

/// A weak reference to a host's `GCObject`: while the object lives, the collector marks from it.
struct WeakGCObject {
    weak var object: GCObject?
}

extension StoreStorage {
    /// The host's handle on object `address`: the one that exists, or a new one.
    func gcObject(_ address: UnsafeMutableRawPointer) -> GCObject {
        let key = UInt(bitPattern: address)
        if let existing = gcObjects[key]?.object { return existing }
        let object = GCObject(address: address, storage: self)
        gcObjects[key] = WeakGCObject(object: object)
        return object
    }

    /// The host's view of a non-null reference of the `any` hierarchy.
    func anyRef(_ word: UInt64) -> AnyRef {
        if word.isI31 { return .i31(Int32(truncatingIfNeeded: word) >> 1) }
        let object = word.object
        if object.runtimeType.pointee.kind == .hostValue {
            return .host(object.load(fromByteOffset: ObjectLayout.hostValueOffset, as: UInt64.self))
        }
        return .object(gcObject(object))
    }

    /// The reference word of `ref` (boxing a host value); nil when a box does not fit.
    func word(of ref: AnyRef) -> UInt64? {
        switch ref {
        case .i31(let v): return (UInt64(UInt32(bitPattern: v) & 0x7FFF_FFFF) << 1) | 1
        case .host(let v): return hostValueReference(v)
        case .object(let o): return UInt64(UInt(bitPattern: o.address))
        }
    }
}

extension StoreStorage {
    /// `word(of:)`, or an error when the store's memory limit leaves no room for a host value's box.
    func reference(to ref: AnyRef) throws -> UInt64 {
        guard let word = word(of: ref) else { throw Trap(.outOfMemory) }
        return word
    }
}
