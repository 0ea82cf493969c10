import SwimTypes

/// SIMD instructions with immediates. The handlers and their formats are in SIMDHandlers*.swift.
extension Translator {
    /// Lane extraction [h][dst | vector << 16 | lane << 32] and replacement
    /// [h][dst | vector << 16 | scalar << 32 | lane << 48].
    mutating func laneOperation(_ op: LaneOp, lane: UInt8) {
        let handler = laneHandler(op)
        if op.isReplace {
            let scalar = stack.pop(), vector = stack.pop()
            let s = readSlot(scalar), v = readSlot(vector)
            let d = stack.push(.v128)
            emitProducer(handler, operands(d, v, s, Int(lane)), slot: d)
        } else {
            let vector = stack.pop()
            let v = readSlot(vector)
            let d = stack.push(op.scalarType)
            emitProducer(handler, operands(d, v, Int(lane)), slot: d)
        }
    }

    /// Loads [h][dst | address << 16 | vector << 32 | lane << 48][offset] and
    /// stores [h][address | vector << 16 | lane << 32][offset] of one lane.
    mutating func memoryLane(_ op: MemoryLaneOp, _ memarg: MemArg, lane: UInt8) {
        let handler = memoryLaneHandler(op)
        let vector = stack.pop(), address = stack.pop()
        let v = readSlot(vector), a = readSlot(address)
        if !isRegisterMemory(memarg.memory) {
            // Through the memory's entity, as `windowedAccess`: the address in the scratch slot.
            emitWindow(scratch: address.slot, address: a, memarg)
            if op.isStore {
                code.emit(handler, operands(address.slot, v, Int(lane)), 0)
            } else {
                let d = stack.push(.v128)
                code.emit(handler, operands(d, address.slot, v, Int(lane)), 0)
            }
            emitRestoreMemory0()
            return
        }
        if op.isStore {
            code.emit(handler, operands(a, v, Int(lane)), memarg.offset)
        } else {
            let d = stack.push(.v128)
            code.emit(handler, operands(d, a, v, Int(lane)), memarg.offset)
        }
    }

    /// [h][dst | a << 16 | b << 32][lanes low][lanes high]
    mutating func shuffle(_ lanes: V128) {
        let b = stack.pop(), a = stack.pop()
        let bs = readSlot(b), asl = readSlot(a)
        let d = stack.push(.v128)
        code.emit(h_i8x16Shuffle, operands(d, asl, bs), lanes.low)
        code.append(lanes.high)
    }
}
