import SwimTypes

/// The SIMD instructions with immediates: lane accesses and shuffles. (The others have
/// fixed signatures and go through `validateNumeric`; plain vector loads and stores
/// through `validateMemoryAccess`.)
extension FunctionValidator {
    mutating func validateMemoryLane(
        _ op: MemoryLaneOp, _ memarg: MemArg, lane: UInt8, at offset: Int
    ) throws(ValidationError) {
        let address = try addressType(for: memarg, naturalAlignment: op.naturalAlignment, at: offset)
        try checkLane(lane, count: op.laneCount, at: offset)
        try stack.pop(.v128, at: offset)
        try stack.pop(address, at: offset)
        if !op.isStore { stack.push(.v128) }
    }

    mutating func validateLane(_ op: LaneOp, lane: UInt8, at offset: Int) throws(ValidationError) {
        try checkLane(lane, count: op.laneCount, at: offset)
        let scalar = OperandType(op.scalarType)
        if op.isReplace {
            try stack.pop(scalar, at: offset)
            try stack.pop(.v128, at: offset)
            stack.push(.v128)
        } else {
            try stack.pop(.v128, at: offset)
            stack.push(scalar)
        }
    }

    /// Each of the 16 lane indices of `i8x16.shuffle` picks one of the 32 bytes of its
    /// two operands.
    mutating func validateShuffle(_ lanes: V128, at offset: Int) throws(ValidationError) {
        // A byte is below 32 exactly when its top three bits are clear.
        let highBits: UInt64 = 0xE0E0_E0E0_E0E0_E0E0
        guard (lanes.low | lanes.high) & highBits == 0 else {
            throw ValidationError("invalid lane index: i8x16.shuffle lanes must be below 32", offset: offset)
        }
        try stack.pop(.v128, at: offset)
        try stack.pop(.v128, at: offset)
        stack.push(.v128)
    }

    private mutating func checkLane(_ lane: UInt8, count: UInt8, at offset: Int) throws(ValidationError) {
        guard lane < count else {
            throw ValidationError("invalid lane index \(lane): the vector has \(count) lanes", offset: offset)
        }
    }
}
