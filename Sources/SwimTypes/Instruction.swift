/// One decoded WebAssembly instruction.
///
/// Operators without immediates and with a fixed type are grouped in `numeric`
/// (see `NumericOp`); loads and stores in `memory` (see `MemoryOp`). Everything
/// else has its own case. `returnCall`, `returnCallIndirect` (tail calls), `callRef`,
/// `returnCallRef`, `refAsNonNull`, `brOnNull` and `brOnNonNull` (typed function references),
/// `throw`, `throwRef` and `tryTable` (exception handling) belong to Wasm 3.0, `try` ...
/// `delegate` to the legacy exception instructions; each is only produced when its feature
/// is enabled.
public enum Instruction: Hashable, Sendable {
    // Control
    case unreachable
    case nop
    case block(BlockType)
    case loop(BlockType)
    case `if`(BlockType)
    case `else`
    case end
    case br(UInt32)
    case brIf(UInt32)
    case brTable(BranchTable)
    case `return`
    case call(UInt32)
    case callIndirect(typeIndex: UInt32, tableIndex: UInt32)
    case returnCall(UInt32)
    case returnCallIndirect(typeIndex: UInt32, tableIndex: UInt32)
    /// Calls the function reference on top of the stack, of type index `typeIndex`.
    case callRef(UInt32)
    case returnCallRef(UInt32)
    case brOnNull(UInt32)
    case brOnNonNull(UInt32)

    // Exceptions
    case `throw`(UInt32)
    case throwRef
    case tryTable(BlockType, [CatchClause])

    // Legacy exceptions: `try` ends with `end` (after `catch`/`catch_all` clauses) or `delegate`.
    case `try`(BlockType)
    case `catch`(UInt32)
    case catchAll
    case rethrow(UInt32)
    case delegate(UInt32)

    // Parametric
    case drop
    case select
    case typedSelect([ValueType])

    // Variables
    case localGet(UInt32)
    case localSet(UInt32)
    case localTee(UInt32)
    case globalGet(UInt32)
    case globalSet(UInt32)

    // Tables
    case tableGet(UInt32)
    case tableSet(UInt32)
    case tableInit(elementIndex: UInt32, tableIndex: UInt32)
    case elemDrop(UInt32)
    case tableCopy(destination: UInt32, source: UInt32)
    case tableGrow(UInt32)
    case tableSize(UInt32)
    case tableFill(UInt32)

    // Memory
    case memory(MemoryOp, MemArg)
    case memorySize(UInt32)
    case memoryGrow(UInt32)
    case memoryInit(dataIndex: UInt32, memoryIndex: UInt32)
    case dataDrop(UInt32)
    case memoryCopy(destination: UInt32, source: UInt32)
    case memoryFill(UInt32)

    // Constants
    case i32Const(Int32)
    case i64Const(Int64)
    /// The IEEE 754 bit pattern, so that NaN payloads survive.
    case f32Const(UInt32)
    /// The IEEE 754 bit pattern, so that NaN payloads survive.
    case f64Const(UInt64)
    case v128Const(V128)

    // References
    case refNull(HeapType)
    case refIsNull
    case refFunc(UInt32)
    case refAsNonNull

    // Numeric and SIMD operators without immediates
    case numeric(NumericOp)

    // SIMD with immediates
    case memoryLane(MemoryLaneOp, MemArg, lane: UInt8)
    case lane(LaneOp, UInt8)
    case shuffle(V128)
}

/// The type of a `block`, `loop` or `if`.
public enum BlockType: Hashable, Sendable {
    case empty
    case value(ValueType)
    /// An index into the type section: a multi-value block.
    case type(UInt32)
}

/// A handler of `try_table`: which exceptions it catches (one tag, or all), whether it
/// also passes the exception reference, and the label it branches to.
public enum CatchClause: Hashable, Sendable {
    case `catch`(tag: UInt32, label: UInt32)
    case catchRef(tag: UInt32, label: UInt32)
    case catchAll(label: UInt32)
    case catchAllRef(label: UInt32)

    /// The tag caught, or nil for the `catch_all` forms.
    public var tag: UInt32? {
        switch self {
        case .catch(let tag, _), .catchRef(let tag, _): return tag
        case .catchAll, .catchAllRef: return nil
        }
    }

    public var label: UInt32 {
        switch self {
        case .catch(_, let label), .catchRef(_, let label), .catchAll(let label), .catchAllRef(let label): return label
        }
    }

    /// Whether the branch also carries the caught exception as an `exnref`.
    public var passesReference: Bool {
        switch self {
        case .catchRef, .catchAllRef: return true
        case .catch, .catchAll: return false
        }
    }
}

/// The immediate of a load or store.
public struct MemArg: Hashable, Sendable {
    /// log2 of the declared alignment.
    public var align: UInt32
    public var offset: UInt64
    /// The memory index (always 0 without multi-memory).
    public var memory: UInt32

    public init(align: UInt32, offset: UInt64, memory: UInt32 = 0) {
        self.align = align
        self.offset = offset
        self.memory = memory
    }
}

/// The immediate of `br_table`.
public struct BranchTable: Hashable, Sendable {
    public var targets: [UInt32]
    public var defaultTarget: UInt32

    public init(targets: [UInt32], defaultTarget: UInt32) {
        self.targets = targets
        self.defaultTarget = defaultTarget
    }
}

/// A 128-bit vector value; lane 0 is in the low bits of `low`.
public struct V128: Hashable, Sendable {
    public var low: UInt64
    public var high: UInt64

    public init(low: UInt64, high: UInt64) {
        self.low = low
        self.high = high
    }

    /// Builds a vector from 16 bytes in memory order.
    public init<C: Collection>(bytes: C) where C.Element == UInt8 {
        precondition(bytes.count == 16, "a v128 has 16 bytes")
        var lo: UInt64 = 0
        var hi: UInt64 = 0
        for (i, b) in bytes.enumerated() {
            if i < 8 { lo |= UInt64(b) << (8 * UInt64(i)) } else { hi |= UInt64(b) << (8 * UInt64(i - 8)) }
        }
        self.init(low: lo, high: hi)
    }

    /// The 16 bytes in memory order.
    public var bytes: [UInt8] {
        (0..<16).map { i in
            i < 8 ? UInt8(truncatingIfNeeded: low >> (8 * UInt64(i))) : UInt8(truncatingIfNeeded: high >> (8 * UInt64(i - 8)))
        }
    }
}

/// The operand and result types of an operator with a fixed type.
public struct OperatorSignature: Hashable, Sendable {
    public var operand0: ValueType
    public var operand1: ValueType?
    public var operand2: ValueType?
    public var result: ValueType

    public init(_ operand0: ValueType, _ operand1: ValueType? = nil, _ operand2: ValueType? = nil, result: ValueType) {
        self.operand0 = operand0
        self.operand1 = operand1
        self.operand2 = operand2
        self.result = result
    }

    public var operandCount: Int { operand2 != nil ? 3 : operand1 != nil ? 2 : 1 }
}
