import SwimTypes

/// Loads, stores and the bulk memory instructions.
extension FunctionValidator {
    /// The memory a memarg names, after checking its alignment and offset; returns the
    /// memory's address type.
    mutating func addressType(
        for memarg: MemArg, naturalAlignment: UInt32, at offset: Int
    ) throws(ValidationError) -> OperandType {
        let memory = try context.memory(memarg.memory, at: offset)
        guard memarg.align <= naturalAlignment else {
            throw ValidationError(
                "alignment must not be larger than natural: 2^\(memarg.align) > 2^\(naturalAlignment)",
                offset: offset)
        }
        let address = context.addressType(of: memory)
        if address == .i32 && memarg.offset > UInt64(UInt32.max) {
            throw ValidationError("offset out of range: \(memarg.offset) for a 32-bit memory", offset: offset)
        }
        return address
    }

    mutating func validateMemoryAccess(_ op: MemoryOp, _ memarg: MemArg, at offset: Int) throws(ValidationError) {
        let address = try addressType(for: memarg, naturalAlignment: op.naturalAlignment, at: offset)
        let value = OperandType(op.valueType)
        if op.isStore {
            try stack.pop(value, at: offset)
            try stack.pop(address, at: offset)
        } else {
            try stack.pop(address, at: offset)
            stack.push(value)
        }
    }

    mutating func validateMemoryInit(segment: UInt32, memory: UInt32, at offset: Int) throws(ValidationError) {
        let address = context.addressType(of: try context.memory(memory, at: offset))
        try context.checkDataSegment(segment, at: offset)
        try stack.pop(.i32, at: offset)
        try stack.pop(.i32, at: offset)
        try stack.pop(address, at: offset)
    }

    mutating func validateMemoryCopy(destination: UInt32, source: UInt32, at offset: Int) throws(ValidationError) {
        let targetAddress = context.addressType(of: try context.memory(destination, at: offset))
        let originAddress = context.addressType(of: try context.memory(source, at: offset))
        try stack.pop(context.commonAddressType(targetAddress, originAddress), at: offset)
        try stack.pop(originAddress, at: offset)
        try stack.pop(targetAddress, at: offset)
    }

    mutating func validateMemoryFill(_ memory: UInt32, at offset: Int) throws(ValidationError) {
        let address = context.addressType(of: try context.memory(memory, at: offset))
        try stack.pop(address, at: offset)
        try stack.pop(.i32, at: offset)
        try stack.pop(address, at: offset)
    }
}
