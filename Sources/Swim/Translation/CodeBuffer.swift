/// The code of one function while it is translated: 64-bit words, handlers and
/// immediates, with forward branches patched when their target is known.
struct CodeBuffer {
    private(set) var words: [UInt64] = []
    /// The last position that is a branch target. Peephole fusions must not reach back
    /// across it: a branch there would skip or change what they rewrite.
    private(set) var lastLabel = 0

    var position: Int { words.count }

    /// Marks the current position as a branch target.
    mutating func markLabel() {
        lastLabel = words.count
    }

    /// Whether the instruction at `start..<end` is the last one emitted, with no label after its start.
    func isLastInstruction(start: Int, end: Int) -> Bool {
        end == words.count && start >= lastLabel
    }

    mutating func reserve(_ count: Int) {
        words.reserveCapacity(count)
    }

    /// Starts an instruction; returns its position.
    @discardableResult
    mutating func emit(_ handler: Handler) -> Int {
        let start = words.count
        words.append(handlerWord(handler))
        return start
    }

    mutating func emit(_ handler: Handler, _ immediate: UInt64) {
        words.append(handlerWord(handler))
        words.append(immediate)
    }

    mutating func emit(_ handler: Handler, _ a: UInt64, _ b: UInt64) {
        words.append(handlerWord(handler))
        words.append(a)
        words.append(b)
    }

    mutating func append(_ word: UInt64) {
        words.append(word)
    }

    mutating func append<T>(pointer: UnsafeMutablePointer<T>) {
        words.append(UInt64(UInt(bitPattern: pointer)))
    }

    subscript(index: Int) -> UInt64 {
        get { words[index] }
        set { words[index] = newValue }
    }

    /// Drops the instructions from `position` on (to replace the last one by a fused form).
    mutating func truncate(to position: Int) {
        words.removeSubrange(position...)
    }

    /// Rewrites the destination slot (bits 0-15 of the first immediate) of the instruction at `start`.
    mutating func redirectDestination(ofInstructionAt start: Int, to slot: Int) {
        words[start + 1] = (words[start + 1] & ~0xFFFF) | UInt64(slot)
    }

    /// Sets a branch offset, relative to the branch instruction's start.
    mutating func patch(_ fixup: BranchFixup, target: Int) {
        if target == words.count { lastLabel = target }
        let offset = target - fixup.instruction
        switch fixup.encoding {
        case .word:
            words[fixup.word] = UInt64(bitPattern: Int64(offset))
        case .high32:
            words[fixup.word] = (words[fixup.word] & 0xFFFF_FFFF) | (UInt64(UInt32(bitPattern: Int32(offset))) << 32)
        case .high48:
            words[fixup.word] = (words[fixup.word] & 0xFFFF) | (UInt64(bitPattern: Int64(offset)) << 16)
        }
    }
}

/// Where a branch keeps its offset, so it can be set once the target is known.
struct BranchFixup {
    enum Encoding {
        /// The whole word is a signed offset.
        case word
        /// Bits 32-63 are a signed 32-bit offset.
        case high32
        /// Bits 16-63 are a signed 48-bit offset.
        case high48
    }

    var instruction: Int
    var word: Int
    var encoding: Encoding
}
