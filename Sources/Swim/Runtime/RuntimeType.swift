import SwimTypes

/// What handlers need to know about a store type at run time, at a fixed address: the layout
/// of its objects, which of their words the collector traces, and its supertypes for casts.
///
/// Casts use a display: `display[d]` is the type's ancestor at depth `d` (its own entry at
/// `depth`), so "is a subtype of T" is one load and one compare against T's entry.
struct RuntimeType {
    var id: UInt32
    var kind: ObjectKind
    /// How many declared supertypes are above the type.
    var depth: Int
    /// `display[0...depth]`: the type's ancestors, itself last.
    var display: UnsafeMutablePointer<RuntimeTypeRef>
    /// A struct's (or host value box's) object size in bytes; an array's header size.
    var size: Int
    /// A struct's fields, in order.
    var fields: UnsafeMutablePointer<FieldLayout>?
    var fieldCount: Int
    /// An array's element size in bytes (1, 2, 4, 8 or 16).
    var elementSize: Int
    /// Whether an array's elements are references the collector traces.
    var elementsAreTraced: Bool

    /// Whether this type is `target` or declares it as a supertype.
    @inline(__always)
    func isSubtype(of target: RuntimeTypeRef) -> Bool {
        let targetDepth = target.pointee.depth
        return targetDepth <= depth && display[targetDepth] == target
    }
}

typealias RuntimeTypeRef = UnsafeMutablePointer<RuntimeType>

/// What kind of heap object (or function) a runtime type describes.
enum ObjectKind: UInt8 {
    case function
    case `struct`
    case array
    /// A host value made an `externref` (or internalized as an `anyref`): a box of one word.
    case hostValue
    /// An exception (see `ExceptionRef`).
    case exception
}

/// Where a struct field lives in its object, and how it is stored.
struct FieldLayout {
    /// Byte offset from the object's start.
    var offset: Int
    /// 1, 2, 4, 8 or 16 bytes.
    var size: Int
    /// The slot of the field's value among `struct.new`'s operands (a v128 takes two).
    var slot: Int
    /// Whether the collector traces the field (a reference to a heap object).
    var isTraced: Bool
}

/// The layout of heap objects:
///
///     struct:      [runtime type][next object | mark][fields...]
///     array:       [runtime type][next object | mark][length][elements...]
///     host value:  [runtime type][next object | mark][value]
///
/// A reference is the object's address (malloc'ed, so 16-aligned); null is 0, and an i31 is
/// its value shifted left by one with the low bit set, never an address.
enum ObjectLayout {
    static let headerSize = 16
    static let arrayLengthOffset = 16
    static let arrayElementsOffset = 24
    static let hostValueOffset = 16

    /// The byte offsets of a struct's fields and the object's size: each field at the next
    /// offset aligned to its size (at most 8).
    static func structLayout(_ fields: [FieldType], isTraced: (StorageType) -> Bool) -> (fields: [FieldLayout], size: Int) {
        var offset = headerSize
        var slot = 0
        var layout: [FieldLayout] = []
        layout.reserveCapacity(fields.count)
        for field in fields {
            let size = field.storage.byteSize
            let alignment = Swift.min(size, 8)
            offset = (offset + alignment - 1) & ~(alignment - 1)
            layout.append(FieldLayout(offset: offset, size: size, slot: slot, isTraced: isTraced(field.storage)))
            offset += size
            slot += size == 16 ? 2 : 1
        }
        return (layout, (offset + 7) & ~7)
    }
}

extension ValueType {
    /// Whether a value of this type may be a reference to a heap object the collector traces:
    /// references of the `any`, `extern` and `exn` hierarchies (function references are
    /// entities of the store, never collected). `types` resolves type indices (store ids).
    func isTracedReference(in types: TypeRegistry) -> Bool {
        guard case .ref(let r) = self else { return false }
        switch r.heapType.top(in: types) {
        case .any, .extern, .exn: return true
        default: return false
        }
    }
}

extension StorageType {
    func isTracedReference(in types: TypeRegistry) -> Bool {
        if case .value(let t) = self { return t.isTracedReference(in: types) }
        return false
    }
}

extension StoreStorage {
    /// The runtime type of store type `id`, made on first use (with those of its supertypes).
    func runtimeType(_ id: UInt32) -> RuntimeTypeRef {
        let i = Int(id)
        if i < runtimeTypes.count, let existing = runtimeTypes[i] { return existing }
        let definition = types.definitions[i]
        let supertype = definition.supertype.map { runtimeType($0) }
        let depth = supertype.map { $0.pointee.depth + 1 } ?? 0
        let display = UnsafeMutablePointer<RuntimeTypeRef>.allocate(capacity: depth + 1)
        let rtt = RuntimeTypeRef.allocate(capacity: 1)
        if let supertype { display.initialize(from: supertype.pointee.display, count: depth) }
        (display + depth).initialize(to: rtt)
        var type = RuntimeType(id: id, kind: .function, depth: depth, display: display, size: 0, fields: nil,
                               fieldCount: 0, elementSize: 0, elementsAreTraced: false)
        switch definition.composite {
        case .function:
            break
        case .struct(let fields):
            type.kind = .struct
            let layout = ObjectLayout.structLayout(fields) { $0.isTracedReference(in: types) }
            type.size = layout.size
            type.fieldCount = layout.fields.count
            if !layout.fields.isEmpty {
                let buffer = UnsafeMutablePointer<FieldLayout>.allocate(capacity: layout.fields.count)
                buffer.initialize(from: layout.fields, count: layout.fields.count)
                type.fields = buffer
            }
        case .array(let element):
            type.kind = .array
            type.size = ObjectLayout.arrayElementsOffset
            type.elementSize = element.storage.byteSize
            type.elementsAreTraced = element.storage.isTracedReference(in: types)
        }
        rtt.initialize(to: type)
        while runtimeTypes.count <= i { runtimeTypes.append(nil) }
        runtimeTypes[i] = rtt
        return rtt
    }

    /// The runtime type of host value boxes or exceptions: objects of no store type id.
    static func makeSingletonType(_ kind: ObjectKind, size: Int) -> RuntimeTypeRef {
        let rtt = RuntimeTypeRef.allocate(capacity: 1)
        let display = UnsafeMutablePointer<RuntimeTypeRef>.allocate(capacity: 1)
        display.initialize(to: rtt)
        rtt.initialize(to: RuntimeType(id: UInt32.max, kind: kind, depth: 0, display: display, size: size,
                                       fields: nil, fieldCount: 0, elementSize: 0, elementsAreTraced: false))
        return rtt
    }

    static func deallocate(_ rtt: RuntimeTypeRef) {
        rtt.pointee.display.deallocate()
        rtt.pointee.fields?.deallocate()
        rtt.deinitialize(count: 1)
        rtt.deallocate()
    }
}
