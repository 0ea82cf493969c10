import SwimTypes

// The element and data sections: segments that initialise tables and memories.

extension ModuleParser {
    /// Element segments. The u32 flags (0 ... 7) combine three bits: bit 0 passive or
    /// declarative, bit 1 explicit table index (active) or declarative (not active),
    /// bit 2 items as constant expressions rather than function indices.
    mutating func readElementSection() throws(MalformedError) {
        let count = try reader.readLength()
        module.elements.reserveCapacity(reservedCapacity(count))
        for _ in 0..<count {
            module.elements.append(try readElementSegment())
        }
    }

    private mutating func readElementSegment() throws(MalformedError) -> ElementSegment {
        let flagsOffset = reader.offset
        let flags = try reader.readVarUInt32()
        guard flags <= 7, flags == 0 || features.contains(.bulkMemory) else {
            throw MalformedError("malformed elements segment kind", offset: flagsOffset)
        }
        let isActive = flags & 0b001 == 0
        let hasTypeOrKind = flags & 0b011 != 0
        let usesExpressions = flags & 0b100 != 0

        let mode: ElementSegment.Mode
        if isActive {
            let table = try flags & 0b010 != 0 ? reader.readVarUInt32() : 0
            mode = .active(table: table, offset: try readConstExpression())
        } else {
            mode = flags & 0b010 == 0 ? .passive : .declarative
        }

        // Function indices are never null: with typed references, their segments are of `(ref func)`.
        var type = !usesExpressions && features.contains(.functionReferences) ? RefType.funcref.nonNullable : .funcref
        if hasTypeOrKind {
            if usesExpressions {
                type = try reader.readRefType(features: features)
            } else {
                let kindOffset = reader.offset
                guard try reader.readByte() == 0x00 else {
                    throw MalformedError("malformed element kind", offset: kindOffset)
                }
            }
        }

        let itemCount = try reader.readLength()
        let items: ElementSegment.Items
        if usesExpressions {
            var expressions: [ConstExpression] = []
            expressions.reserveCapacity(reservedCapacity(itemCount))
            for _ in 0..<itemCount {
                expressions.append(try readConstExpression())
            }
            items = .expressions(expressions)
        } else {
            var functions: [UInt32] = []
            functions.reserveCapacity(reservedCapacity(itemCount))
            for _ in 0..<itemCount {
                functions.append(try reader.readVarUInt32())
            }
            items = .functions(functions)
        }
        return ElementSegment(type: type, mode: mode, items: items)
    }

    /// Data segments: flags 0 (active, memory 0), 1 (passive), 2 (active, explicit memory).
    mutating func readDataSection() throws(MalformedError) {
        let count = try reader.readLength()
        module.data.reserveCapacity(reservedCapacity(count))
        for _ in 0..<count {
            let flagsOffset = reader.offset
            let flags = try reader.readVarUInt32()
            guard flags <= 2, flags == 0 || features.contains(.bulkMemory) else {
                throw MalformedError("malformed data segment kind", offset: flagsOffset)
            }
            let mode: DataSegment.Mode
            switch flags {
            case 0: mode = .active(memory: 0, offset: try readConstExpression())
            case 1: mode = .passive
            default:
                let memory = try reader.readVarUInt32()
                mode = .active(memory: memory, offset: try readConstExpression())
            }
            let length = try reader.readLength()
            let range = try reader.readBytes(length)
            module.data.append(DataSegment(mode: mode, range: range))
        }
    }
}
