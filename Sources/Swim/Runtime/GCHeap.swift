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
        objectCount += 1
        object.storeBytes(of: UInt(bitPattern: type), as: UInt.self)
        object.storeBytes(of: UInt(bitPattern: newest), toByteOffset: 8, as: UInt.self)
        newest = object
        return object
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
