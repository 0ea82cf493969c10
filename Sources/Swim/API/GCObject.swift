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

/// A struct or array of a store's GC heap, held by the host.
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

    public var description: String { isStruct ? "struct of type \(typeID)" : "array of type \(typeID)" }
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
