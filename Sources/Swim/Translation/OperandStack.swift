import SwimTypes

/// The translator's model of the wasm operand stack.
///
/// Every entry owns a canonical slot (its position on the stack, counted in
/// 8-byte slots). Its value may not be there yet: `local.get` and constants are
/// not copied anywhere when they are pushed; consumers read the local's slot or
/// use the constant as an immediate. Such lazy entries are materialized into
/// their canonical slot only when needed (block boundaries, calls, a write to
/// the local they alias).
extension StackEntry.Source {
    /// Whether the value depends on the current content of the slot `slot` (a local).
    func reads(_ slot: Int) -> Bool {
        switch self {
        case .local(let s), .sum(let s, _): return s == slot
        default: return false
        }
    }
}

struct StackEntry {
    enum Source: Equatable {
        /// The value is in the entry's canonical slot.
        case canonical
        /// The value is the current content of a local's slot.
        case local(Int)
        /// A constant (i32/f32 in the low 32 bits).
        case constant(UInt64)
        case vectorConstant(V128)
        /// An i32 slot plus a constant, wrapping: `i32.add` of a constant, kept lazy so that
        /// a load or store can take it as its address for free.
        case sum(base: Int, immediate: UInt32)
    }

    var type: ValueType
    var slot: Int
    var source: Source

    var width: Int { type.slotCount }
}

struct OperandStack {
    private(set) var entries: [StackEntry] = []
    /// The canonical slot of the first entry.
    let base: Int
    /// The slot just past the top entry.
    private(set) var top: Int
    /// The largest `top` reached (for the frame size).
    private(set) var highWater: Int

    init(base: Int) {
        self.base = base
        self.top = base
        self.highWater = base
    }

    var count: Int { entries.count }

    subscript(index: Int) -> StackEntry {
        get { entries[index] }
        set { entries[index] = newValue }
    }

    /// Pushes an entry of `type` with its value from `source`; returns its canonical slot.
    @discardableResult
    mutating func push(_ type: ValueType, _ source: StackEntry.Source = .canonical) -> Int {
        let entry = StackEntry(type: type, slot: top, source: source)
        entries.append(entry)
        top += entry.width
        if top > highWater { highWater = top }
        return entry.slot
    }

    mutating func pop() -> StackEntry {
        let entry = entries.removeLast()
        top = entry.slot
        return entry
    }

    var last: StackEntry? { entries.last }

    /// Drops entries down to `height`.
    mutating func truncate(to height: Int) {
        guard height < entries.count else { return }
        top = entries[height].slot
        entries.removeSubrange(height...)
    }

    /// The canonical slot an entry at `height` has (or would have).
    func slot(atHeight height: Int) -> Int {
        height < entries.count ? entries[height].slot : top
    }
}
