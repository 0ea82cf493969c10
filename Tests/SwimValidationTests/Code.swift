import SwimTypes

/// A small assembler for function bodies: each member is the binary encoding of one
/// instruction, so a test body reads like the text format.
enum Code {
    static let unreachable: [UInt8] = [0x00]
    static let nop: [UInt8] = [0x01]
    static let `else`: [UInt8] = [0x05]
    static let end: [UInt8] = [0x0B]
    static let `return`: [UInt8] = [0x0F]
    static let drop: [UInt8] = [0x1A]
    static let select: [UInt8] = [0x1B]
    static let refIsNull: [UInt8] = [0xD1]

    static func block(_ type: BlockType = .empty) -> [UInt8] { [0x02] + encode(type) }
    static func loop(_ type: BlockType = .empty) -> [UInt8] { [0x03] + encode(type) }
    static func `if`(_ type: BlockType = .empty) -> [UInt8] { [0x04] + encode(type) }
    static func br(_ depth: UInt32) -> [UInt8] { [0x0C] + uleb(depth) }
    static func brIf(_ depth: UInt32) -> [UInt8] { [0x0D] + uleb(depth) }
    static func brTable(_ targets: [UInt32], _ defaultTarget: UInt32) -> [UInt8] {
        [0x0E] + uleb(UInt32(targets.count)) + targets.flatMap(uleb) + uleb(defaultTarget)
    }
    static func call(_ function: UInt32) -> [UInt8] { [0x10] + uleb(function) }
    static func callIndirect(type: UInt32, table: UInt32 = 0) -> [UInt8] { [0x11] + uleb(type) + uleb(table) }
    static func returnCall(_ function: UInt32) -> [UInt8] { [0x12] + uleb(function) }
    static func select(_ types: [ValueType]) -> [UInt8] { [0x1C] + uleb(UInt32(types.count)) + types.map(encode) }

    // Typed function references
    static func callRef(_ type: UInt32) -> [UInt8] { [0x14] + uleb(type) }
    static func returnCallRef(_ type: UInt32) -> [UInt8] { [0x15] + uleb(type) }
    static let refAsNonNull: [UInt8] = [0xD4]
    static func brOnNull(_ depth: UInt32) -> [UInt8] { [0xD5] + uleb(depth) }
    static func brOnNonNull(_ depth: UInt32) -> [UInt8] { [0xD6] + uleb(depth) }
    /// A block with one result of any type, reference types included.
    static func block(result: ValueType) -> [UInt8] { [0x02] + encodeTyped(result) }
    static func refNull(typeIndex: UInt32) -> [UInt8] { [0xD0] + uleb(typeIndex) }

    static func localGet(_ index: UInt32) -> [UInt8] { [0x20] + uleb(index) }
    static func localSet(_ index: UInt32) -> [UInt8] { [0x21] + uleb(index) }
    static func localTee(_ index: UInt32) -> [UInt8] { [0x22] + uleb(index) }
    static func globalGet(_ index: UInt32) -> [UInt8] { [0x23] + uleb(index) }
    static func globalSet(_ index: UInt32) -> [UInt8] { [0x24] + uleb(index) }
    static func tableGet(_ table: UInt32) -> [UInt8] { [0x25] + uleb(table) }
    static func tableSet(_ table: UInt32) -> [UInt8] { [0x26] + uleb(table) }

    /// A load or store: `op` is the opcode, `align` the log2 alignment.
    static func memory(_ op: MemoryOp, align: UInt32, offset: UInt32 = 0) -> [UInt8] {
        opcode(op.rawValue) + uleb(align) + uleb(offset)
    }
    static let memorySize: [UInt8] = [0x3F, 0x00]
    static let memoryGrow: [UInt8] = [0x40, 0x00]

    static func i32Const(_ value: Int32) -> [UInt8] { [0x41] + sleb(Int64(value)) }
    static func i64Const(_ value: Int64) -> [UInt8] { [0x42] + sleb(value) }
    static let f32Const: [UInt8] = [0x43, 0, 0, 0, 0]
    static let f64Const: [UInt8] = [0x44, 0, 0, 0, 0, 0, 0, 0, 0]

    /// An operator without immediates (numeric, conversion, SIMD arithmetic).
    static func op(_ op: NumericOp) -> [UInt8] { opcode(op.rawValue) }

    static func refNull(_ type: RefType) -> [UInt8] { [0xD0, encode(.ref(type))] }
    static func refFunc(_ function: UInt32) -> [UInt8] { [0xD2] + uleb(function) }

    // Bulk memory and tables (0xFC prefix)
    static func memoryInit(_ segment: UInt32) -> [UInt8] { [0xFC, 8] + uleb(segment) + [0x00] }
    static func dataDrop(_ segment: UInt32) -> [UInt8] { [0xFC, 9] + uleb(segment) }
    static let memoryCopy: [UInt8] = [0xFC, 10, 0x00, 0x00]
    static let memoryFill: [UInt8] = [0xFC, 11, 0x00]
    static func tableInit(_ segment: UInt32, table: UInt32 = 0) -> [UInt8] { [0xFC, 12] + uleb(segment) + uleb(table) }
    static func elemDrop(_ segment: UInt32) -> [UInt8] { [0xFC, 13] + uleb(segment) }
    static func tableCopy(_ destination: UInt32, _ source: UInt32) -> [UInt8] {
        [0xFC, 14] + uleb(destination) + uleb(source)
    }
    static func tableGrow(_ table: UInt32) -> [UInt8] { [0xFC, 15] + uleb(table) }
    static func tableSize(_ table: UInt32) -> [UInt8] { [0xFC, 16] + uleb(table) }
    static func tableFill(_ table: UInt32) -> [UInt8] { [0xFC, 17] + uleb(table) }

    // SIMD (0xFD prefix)
    static let v128Const: [UInt8] = [0xFD, 0x0C] + [UInt8](repeating: 0, count: 16)
    static func shuffle(_ lanes: [UInt8]) -> [UInt8] { [0xFD, 0x0D] + lanes }
    static func lane(_ op: LaneOp, _ lane: UInt8) -> [UInt8] { opcode(op.rawValue) + [lane] }
    static func memoryLane(_ op: MemoryLaneOp, align: UInt32, lane: UInt8) -> [UInt8] {
        opcode(op.rawValue) + uleb(align) + uleb(0) + [lane]
    }

    // Exception handling, and the legacy instructions
    static func `throw`(_ tag: UInt32) -> [UInt8] { [0x08] + uleb(tag) }
    static let throwRef: [UInt8] = [0x0A]
    static func tryTable(_ type: BlockType = .empty, _ clauses: [CatchClause]) -> [UInt8] {
        var bytes = [0x1F] + encode(type) + uleb(UInt32(clauses.count))
        for clause in clauses {
            switch clause {
            case .catch(let tag, let label): bytes += [0x00] + uleb(tag) + uleb(label)
            case .catchRef(let tag, let label): bytes += [0x01] + uleb(tag) + uleb(label)
            case .catchAll(let label): bytes += [0x02] + uleb(label)
            case .catchAllRef(let label): bytes += [0x03] + uleb(label)
            }
        }
        return bytes
    }
    static func `try`(_ type: BlockType = .empty) -> [UInt8] { [0x06] + encode(type) }
    static func `catch`(_ tag: UInt32) -> [UInt8] { [0x07] + uleb(tag) }
    static let catchAll: [UInt8] = [0x19]
    static func rethrow(_ depth: UInt32) -> [UInt8] { [0x09] + uleb(depth) }
    static func delegate(_ depth: UInt32) -> [UInt8] { [0x18] + uleb(depth) }

    // MARK: Encodings

    /// The bytes of an opcode given as in `Opcodes.swift`: a byte, or `prefix << 16 | subopcode`.
    static func opcode(_ raw: UInt32) -> [UInt8] {
        raw > 0xFF ? [UInt8(raw >> 16)] + uleb(raw & 0xFFFF) : [UInt8(raw)]
    }

    static func encode(_ type: ValueType) -> UInt8 {
        switch type {
        case .i32: return 0x7F
        case .i64: return 0x7E
        case .f32: return 0x7D
        case .f64: return 0x7C
        case .v128: return 0x7B
        case .ref(let r):
            switch r.heapType {
            case .extern: return 0x6F
            case .exn: return 0x69
            case .noexn: return 0x74
            default: return 0x70
            }
        }
    }

    /// Any value type, typed references (0x63/0x64 and a heap type) included.
    static func encodeTyped(_ type: ValueType) -> [UInt8] {
        guard case .ref(let r) = type else { return [encode(type)] }
        switch (r.nullable, r.heapType) {
        case (true, .func): return [0x70]
        case (true, .extern): return [0x6F]
        case (let nullable, .func): return [nullable ? 0x63 : 0x64, 0x70]
        case (let nullable, .extern): return [nullable ? 0x63 : 0x64, 0x6F]
        case (let nullable, .index(let i)): return [nullable ? 0x63 : 0x64] + sleb(Int64(i))
        case (true, .exn): return [0x69]
        case (true, .noexn): return [0x74]
        case (false, .exn): return [0x64, 0x69]
        case (false, .noexn): return [0x64, 0x74]
        }
    }

    static func encode(_ type: BlockType) -> [UInt8] {
        switch type {
        case .empty: return [0x40]
        case .value(let v): return [encode(v)]
        case .type(let index): return sleb(Int64(index))
        }
    }

    static func uleb(_ value: UInt32) -> [UInt8] {
        var v = value
        var out: [UInt8] = []
        repeat {
            var byte = UInt8(v & 0x7F)
            v >>= 7
            if v != 0 { byte |= 0x80 }
            out.append(byte)
        } while v != 0
        return out
    }

    static func sleb(_ value: Int64) -> [UInt8] {
        var v = value
        var out: [UInt8] = []
        while true {
            let byte = UInt8(v & 0x7F)
            v >>= 7
            if (v == 0 && byte & 0x40 == 0) || (v == -1 && byte & 0x40 != 0) {
                out.append(byte)
                return out
            }
            out.append(byte | 0x80)
        }
    }
}
