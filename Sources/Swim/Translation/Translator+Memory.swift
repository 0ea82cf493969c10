import WasmTypes

/// Loads, stores, memory and table management, bulk operations.
extension Translator {
    mutating func memoryAccess(_ op: MemoryOp, _ memarg: MemArg) {
        guard let handler = memoryHandler(op) ?? simdMemoryHandler(op) else { return }
        // Offsets of 32-bit memories fit in 32 bits (validated).
        let offset = UInt64(UInt32(truncatingIfNeeded: memarg.offset)) << 32
        if op.isStore {
            let value = stack.pop(), address = stack.pop()
            let v = readSlot(value), a = readSlot(address)
            code.emit(handler, UInt64(v) | UInt64(a) << 16 | offset)
        } else {
            let address = stack.pop()
            let a = readSlot(address)
            let d = stack.push(op.valueType)
            emitProducer(handler, UInt64(d) | UInt64(a) << 16 | offset, slot: d)
        }
    }

    mutating func memoryGrow() {
        let delta = stack.pop()
        let s = readSlot(delta)
        let d = stack.push(.i32)
        code.emit(h_memoryGrow, operands(d, s))
        code.append(pointer: instance.memory0)
    }

    /// Operators of the form [h][a | b << 16 | c << 32][pointers...] that pop three operands and push nothing.
    mutating func bulk(_ handler: Handler, extra: [UInt64]) {
        let c = stack.pop(), b = stack.pop(), a = stack.pop()
        let cs = readSlot(c), bs = readSlot(b), asl = readSlot(a)
        code.emit(handler, operands(asl, bs, cs))
        for word in extra { code.append(word) }
    }

    mutating func tableGet(_ table: Int) {
        let index = stack.pop()
        let i = readSlot(index)
        let d = stack.push(.ref(instance.tables[table].pointee.type.elementType))
        emitProducer(h_tableGet, operands(d, i), slot: d)
        code.append(pointer: instance.tables[table])
        producer?.end = code.position
    }

    mutating func tableSet(_ table: Int) {
        let value = stack.pop(), index = stack.pop()
        let v = readSlot(value), i = readSlot(index)
        code.emit(h_tableSet, operands(i, v))
        code.append(pointer: instance.tables[table])
    }

    mutating func tableGrow(_ table: Int) {
        let delta = stack.pop(), initial = stack.pop()
        let n = readSlot(delta), v = readSlot(initial)
        let d = stack.push(.i32)
        code.emit(h_tableGrow, operands(d, v, n))
        code.append(pointer: instance.tables[table])
    }

    // MARK: Calls

    mutating func call(_ index: UInt32) {
        let callee = instance.functions[Int(index)]
        let calleeType = instance.store.types[Int(callee.pointee.typeID)]
        emitCall(calleeType) { translator, argumentSlot in
            translator.code.emit(h_call, UInt64(argumentSlot), UInt64(UInt(bitPattern: callee)))
            translator.code.append(pointer: translator.instance.memory0)
        }
    }

    mutating func callIndirect(typeIndex: UInt32, tableIndex: UInt32) {
        let calleeType = module.types[Int(typeIndex)]
        let typeID = instance.store.typeID(of: calleeType)
        let table = instance.tables[Int(tableIndex)]
        let index = stack.pop()
        let indexSlot = readSlot(index)
        emitCall(calleeType) { translator, argumentSlot in
            translator.code.emit(h_callIndirect, operands(argumentSlot, indexSlot), UInt64(UInt(bitPattern: table)))
            translator.code.append(UInt64(typeID))
            translator.code.append(pointer: translator.instance.memory0)
        }
    }

    /// Puts the arguments in their canonical slots, emits the call, and pushes the results.
    private mutating func emitCall(_ calleeType: FunctionType, emit: (inout Translator, Int) -> Void) {
        let argumentCount = calleeType.parameters.count
        let first = stack.count - argumentCount
        for i in first..<stack.count { materialize(i) }
        let argumentSlot = stack.slot(atHeight: first)
        stack.truncate(to: first)
        emit(&self, argumentSlot)
        for t in calleeType.results { stack.push(t) }
        producer = nil
    }
}
