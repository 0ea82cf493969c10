typealias TagRef = UnsafeMutablePointer<TagEntity>

/// An exception: an object of the store's GC heap holding the tag it was thrown with and its
/// payload, laid out as on the value stack:
///
///     [runtime type][next object | mark][tag][payload slot 0][payload slot 1]...
///
/// An `exnref` slot holds the object's address (null is 0); `words` points at the tag. The
/// collector traces the payload slots the tag's parameter types say hold references.
struct ExceptionRef: Hashable {
    let words: UnsafeMutablePointer<UInt64>

    init(words: UnsafeMutablePointer<UInt64>) { self.words = words }

    /// The exception an exnref slot refers to, or nil for null.
    init?(slot: UInt64) {
        guard let object = UnsafeMutablePointer<UInt64>(bitPattern: UInt(slot)) else { return nil }
        self.words = object + ExceptionRef.headerWords
    }

    /// The words of the object header before the tag.
    static let headerWords = ObjectLayout.headerSize / 8

    var slot: UInt64 { UInt64(UInt(bitPattern: words - ExceptionRef.headerWords)) }
    var tag: TagRef { TagRef(bitPattern: UInt(words[0])).unsafelyUnwrapped }
    var payload: UnsafeMutablePointer<UInt64> { words + 1 }
}

extension StoreStorage {
    /// A new exception of `tag`, its payload zero; nil when the memory limit leaves no room.
    /// (It never collects: wasm's `throw` collects first when due, see `throwNewException`.)
    func allocateException(tag: TagRef) -> ExceptionRef? {
        let size = ObjectLayout.headerSize + 8 * (1 + tag.pointee.payloadSlots)
        guard let object = heap.allocate(exceptionType, size: size, accountant: &accountant) else { return nil }
        let exception = ExceptionRef(words: object.assumingMemoryBound(to: UInt64.self) + ExceptionRef.headerWords)
        exception.words[0] = UInt64(UInt(bitPattern: tag))
        return exception
    }

    /// The embedder's object for an exception: the same object as long as one is held.
    func exceptionObject(_ exception: ExceptionRef) -> Exception {
        let key = UInt(truncatingIfNeeded: exception.slot)
        if let existing = exceptionObjects[key]?.object { return existing }
        let wrapper = Exception(object: exception, storage: self)
        exceptionObjects[key] = WeakException(object: wrapper)
        return wrapper
    }
}

/// A weak reference to an embedder's `Exception`: while it lives, the collector marks from it.
struct WeakException {
    weak var object: Exception?
}

extension StoreStorage {
    /// After the memory limit refused an exception: collects, then tries again.
    func collectAndAllocateException(_ tag: TagRef, _ pc: Pc, _ fp: Fp) -> ExceptionRef? {
        collectGarbage(runningAt: pc, fp)
        return allocateException(tag: tag)
    }
}
