#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import SwimTypes

/// The objects of a store's GC heap: structs, arrays and host value boxes (see `ObjectLayout`).
///
/// Every object is one `malloc` block, linked into a list through its second word, so that the
/// whole heap can be walked (and freed when the store goes). The bytes of each block (its size
/// with malloc's overhead) are taken from the store's `MemoryAccountant`: the GC heap counts
/// against `Engine.Configuration.memoryLimit` with memories and tables, and an allocation that
/// does not fit fails (a trap), never the process.
struct GCHeap {
    /// The most recently allocated object; each object's word 1 links to the one before.
    private(set) var newest: UnsafeMutableRawPointer?
    private(set) var objectCount = 0
    /// The bytes of all objects, as taken from the accountant.
    private(set) var bytes: UInt64 = 0
    /// The bytes allocated since the last collection, and how many trigger the next one: as
    /// many as survived it, at least `minimumThreshold` (so the heap stays within about twice
    /// its live data).
    private(set) var allocatedSinceCollection: UInt64 = 0
    private(set) var threshold: UInt64 = GCHeap.defaultMinimumThreshold
    var minimumThreshold: UInt64 = GCHeap.defaultMinimumThreshold {
        didSet { threshold = Swift.max(minimumThreshold, bytes) }
    }
    static let defaultMinimumThreshold: UInt64 = 4 << 20
    /// How many collections ran.
    private(set) var collections = 0

    /// Collect before every allocation (`Engine.Configuration.collectsOnEveryAllocation`).
    var collectsOnEveryAllocation = false

    /// Whether allocating `size` more bytes should collect first.
    func isCollectionDue(adding size: Int) -> Bool {
        collectsOnEveryAllocation || allocatedSinceCollection &+ UInt64(truncatingIfNeeded: size) >= threshold
    }

    /// Allocates a zeroed object of `size` bytes (at least the header) of type `type`; nil when
    /// the accountant or malloc refuses.
    mutating func allocate(_ type: RuntimeTypeRef, size: Int, accountant: inout MemoryAccountant) -> UnsafeMutableRawPointer? {
        let taken = GCHeap.blockSize(size)
        guard accountant.take(taken) else { return nil }
        guard let object = calloc(1, size) else {
            accountant.give(taken)
            return nil
        }
        bytes += taken
        allocatedSinceCollection += taken
        objectCount += 1
        object.storeBytes(of: UInt(bitPattern: type), as: UInt.self)
        object.storeBytes(of: UInt(bitPattern: newest), toByteOffset: 8, as: UInt.self)
        newest = object
        return object
    }

    /// Frees every object whose mark bit is clear (calling `willFree` first), clears the mark
    /// bit of the others, and gives the freed bytes back to the accountant.
    mutating func sweep(accountant: inout MemoryAccountant, willFree: (UnsafeMutableRawPointer) -> Void) {
        var newer: UnsafeMutableRawPointer?  // the last object kept, which links to `object`
        var object = newest
        while let current = object {
            let word = current.load(fromByteOffset: 8, as: UInt.self)
            object = UnsafeMutableRawPointer(bitPattern: word & ~1)
            if word & 1 != 0 {
                current.storeBytes(of: word & ~1, toByteOffset: 8, as: UInt.self)
                newer = current
                continue
            }
            willFree(current)
            let size = GCHeap.objectSize(current)
            let freed = GCHeap.blockSize(size)
            // Testing the collector: a dangling reference then reads garbage, not a valid object.
            if collectsOnEveryAllocation { current.initializeMemory(as: UInt8.self, repeating: 0xA5, count: size) }
            bytes -= freed
            accountant.give(freed)
            objectCount -= 1
            free(current)
            if let newer {
                newer.storeBytes(of: UInt(bitPattern: object), toByteOffset: 8, as: UInt.self)
            } else {
                newest = object
            }
        }
        collections += 1
        allocatedSinceCollection = 0
        threshold = Swift.max(minimumThreshold, bytes)
    }

    /// The size an object was allocated with, from its runtime type (and length or tag).
    static func objectSize(_ object: UnsafeMutableRawPointer) -> Int {
        let type = object.runtimeType.pointee
        switch type.kind {
        case .struct, .hostValue, .function: return type.size
        case .array: return ObjectLayout.arrayElementsOffset + Int(object.arrayLength) * type.elementSize
        case .exception:
            let tag = TagRef(bitPattern: object.load(fromByteOffset: ObjectLayout.headerSize, as: UInt.self))
            return ObjectLayout.headerSize + 8 * (1 + (tag?.pointee.payloadSlots ?? 0))
        }
    }

    /// Frees every object (the store is going away).
    mutating func deallocateAll(accountant: inout MemoryAccountant) {
        var object = newest
        while let current = object {
            object = GCHeap.link(of: current)
            free(current)
        }
        accountant.give(bytes)
        newest = nil
        objectCount = 0
        bytes = 0
    }

    /// The object allocated before `object` (word 1 without its mark bit).
    @inline(__always)
    static func link(of object: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
        UnsafeMutableRawPointer(bitPattern: object.load(fromByteOffset: 8, as: UInt.self) & ~1)
    }

    /// The bytes a malloc block of `size` bytes takes: glibc's chunk, the size and an 8-byte
    /// header rounded up to 16, at least 32 bytes.
    static func blockSize(_ size: Int) -> UInt64 {
        UInt64(Swift.max(32, (size + 8 + 15) & ~15))
    }
}

/// Reading references as heap objects.
extension UInt64 {
    /// Whether this reference is an i31 (the low bit set); null and objects are not.
    @inline(__always) var isI31: Bool { self & 1 != 0 }

    /// The object a non-null, non-i31 reference points to.
    @inline(__always) var object: UnsafeMutableRawPointer {
        UnsafeMutableRawPointer(bitPattern: UInt(truncatingIfNeeded: self)).unsafelyUnwrapped
    }
}

extension UnsafeMutableRawPointer {
    /// The runtime type in an object's header.
    @inline(__always) var runtimeType: RuntimeTypeRef {
        RuntimeTypeRef(bitPattern: load(as: UInt.self)).unsafelyUnwrapped
    }

    /// An array's length.
    @inline(__always) var arrayLength: UInt32 {
        load(fromByteOffset: ObjectLayout.arrayLengthOffset, as: UInt32.self)
    }

    @inline(__always) var arrayElements: UnsafeMutableRawPointer {
        self + ObjectLayout.arrayElementsOffset
    }
}

extension StoreStorage {
    /// A new zeroed struct of `type`, or nil when the memory limit or malloc refuses.
    func allocateStruct(_ type: RuntimeTypeRef) -> UnsafeMutableRawPointer? {
        heap.allocate(type, size: type.pointee.size, accountant: &accountant)
    }

    /// A new zeroed array of `type` with `length` elements, or nil when it does not fit.
    func allocateArray(_ type: RuntimeTypeRef, length: UInt32) -> UnsafeMutableRawPointer? {
        let (elementBytes, overflow) = UInt64(length).multipliedReportingOverflow(by: UInt64(type.pointee.elementSize))
        guard !overflow, elementBytes <= accountant.available else { return nil }
        guard let array = heap.allocate(type, size: ObjectLayout.arrayElementsOffset + Int(elementBytes),
                                        accountant: &accountant)
        else { return nil }
        array.storeBytes(of: UInt64(length), toByteOffset: ObjectLayout.arrayLengthOffset, as: UInt64.self)
        return array
    }

    /// The reference to the box of host value `value` (an `externref` from the embedder); boxes
    /// are shared by equal values. Nil when the memory limit refuses a new box.
    func hostValueReference(_ value: UInt64) -> UInt64? {
        if let box = hostValueBoxes[value] { return UInt64(UInt(bitPattern: box)) }
        guard let box = heap.allocate(hostValueType, size: hostValueType.pointee.size, accountant: &accountant) else {
            return nil
        }
        box.storeBytes(of: value, toByteOffset: ObjectLayout.hostValueOffset, as: UInt64.self)
        hostValueBoxes[value] = box
        return UInt64(UInt(bitPattern: box))
    }
}
