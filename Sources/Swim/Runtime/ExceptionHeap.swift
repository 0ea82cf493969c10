typealias TagRef = UnsafeMutablePointer<TagEntity>

/// An exception: the tag it was thrown with and its payload, laid out as on the value stack.
///
///     [tag][payload slot 0][payload slot 1]...
///
/// An `exnref` slot holds its address (null is 0).
struct ExceptionRef: Hashable {
    let words: UnsafeMutablePointer<UInt64>

    init(words: UnsafeMutablePointer<UInt64>) { self.words = words }

    /// The exception an exnref slot refers to, or nil for null.
    init?(slot: UInt64) {
        guard let words = UnsafeMutablePointer<UInt64>(bitPattern: UInt(slot)) else { return nil }
        self.words = words
    }

    var slot: UInt64 { UInt64(UInt(bitPattern: words)) }
    var tag: TagRef { TagRef(bitPattern: UInt(words[0])).unsafelyUnwrapped }
    var payload: UnsafeMutablePointer<UInt64> { words + 1 }
}

/// The exceptions of a store, with a collector that frees those nothing refers to.
///
/// Wasm code copies `exnref`s as plain words (between slots, globals, tables and other
/// exceptions' payloads), so nothing counts references. Instead, once enough exceptions were
/// made since the last collection, the next allocation first marks every exception a root
/// may refer to, and frees the rest. The roots are:
/// - every word of the live part of the value stack: its slots are untyped, so any word
///   that equals an exception's address keeps that exception (a conservative scan);
/// - globals and tables of exception references;
/// - the `Exception` objects embedders hold (tracked weakly);
///
/// and, transitively, the payloads of kept exceptions. Throwing is the only way to allocate,
/// so code that does not throw never runs any of this.
struct ExceptionHeap {
    /// The address of every exception.
    private var live: Set<UInt> = []
    /// The lowest and highest addresses in `live`: a cheap first test for a stack word.
    private var lowest = UInt.max
    private var highest: UInt = 0
    /// Allocations that trigger the next collection: twice the survivors of the last one.
    private var threshold = ExceptionHeap.minimumThreshold
    static let minimumThreshold = 1024
    /// The `Exception` object of each exception an embedder has seen.
    private var wrappers: [UInt: WeakException] = [:]

    var count: Int { live.count }

    var needsCollection: Bool { live.count >= threshold }

    /// A new exception of `tag`, its payload uninitialized.
    mutating func allocate(tag: TagRef) -> ExceptionRef {
        let words = UnsafeMutablePointer<UInt64>.allocate(capacity: 1 + tag.pointee.payloadSlots)
        words[0] = UInt64(UInt(bitPattern: tag))
        let address = UInt(bitPattern: words)
        live.insert(address)
        lowest = Swift.min(lowest, address)
        highest = Swift.max(highest, address)
        return ExceptionRef(words: words)
    }

    /// Whether `word` is the address of an exception.
    func contains(_ word: UInt64) -> Bool {
        let address = UInt(truncatingIfNeeded: word)
        return address >= lowest && address <= highest && live.contains(address)
    }

    // MARK: Embedder objects

    func wrapper(of exception: ExceptionRef) -> Exception? {
        wrappers[UInt(bitPattern: exception.words)]?.object
    }

    mutating func register(_ wrapper: Exception) {
        wrappers[UInt(bitPattern: wrapper.object.words)] = WeakException(object: wrapper)
    }

    // MARK: Collection

    /// Frees every exception not reachable from the roots: the value stack words in
    /// `stack..<stackTop`, `globals` and `tables` holding exception references, and live wrappers.
    mutating func collect(stack: UnsafeMutablePointer<UInt64>, stackTop: UnsafeMutablePointer<UInt64>,
                          globals: [UnsafeMutablePointer<GlobalEntity>], tables: [UnsafeMutablePointer<TableEntity>]) {
        var marked = Set<UInt>()
        var pending: [UInt] = []
        func mark(_ word: UInt64) {
            guard contains(word) else { return }
            let address = UInt(truncatingIfNeeded: word)
            if marked.insert(address).inserted { pending.append(address) }
        }
        var slot = stack
        while slot < stackTop {
            mark(slot.pointee)
            slot += 1
        }
        for global in globals where global.pointee.type.valueType.holdsExceptions {
            mark(global.pointee.value.0)
        }
        for table in tables where ValueType.ref(table.pointee.type.elementType).holdsExceptions {
            for i in 0..<table.pointee.count { mark(table.pointee.elements[i]) }
        }
        for (address, wrapper) in wrappers {
            if wrapper.object == nil {
                wrappers[address] = nil
            } else {
                mark(UInt64(address))
            }
        }
        // Payloads are scanned whole, as the stack is: a payload holds few words.
        while let address = pending.popLast() {
            let exception = ExceptionRef(words: UnsafeMutablePointer(bitPattern: address).unsafelyUnwrapped)
            for i in 0..<exception.tag.pointee.payloadSlots { mark(exception.payload[i]) }
        }
        for address in live where !marked.contains(address) {
            UnsafeMutablePointer<UInt64>(bitPattern: address).unsafelyUnwrapped.deallocate()
        }
        live = marked
        lowest = marked.min() ?? .max
        highest = marked.max() ?? 0
        threshold = Swift.max(ExceptionHeap.minimumThreshold, 2 * live.count)
    }

    mutating func deallocateAll() {
        for address in live { UnsafeMutablePointer<UInt64>(bitPattern: address).unsafelyUnwrapped.deallocate() }
        live = []
        wrappers = [:]
    }
}

/// A weak reference to an embedder's `Exception`.
struct WeakException {
    weak var object: Exception?
}

extension ValueType {
    /// Whether a value of this type may refer to an exception.
    var holdsExceptions: Bool {
        guard case .ref(let r) = self else { return false }
        return r.heapType == .exn
    }
}
