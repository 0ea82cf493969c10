import SwimTypes

/// Loads, stores, memory and table management, bulk operations.
extension Translator {
    /// The memory at `index` of the instance.
    func memory(_ index: UInt32) -> UnsafeMutablePointer<MemoryEntity> {
        instance.memories[Int(index)]
    }

    /// Whether `index` names a 64-bit memory (memory64).
    func memoryIs64(_ index: UInt32) -> Bool {
        memory(index).pointee.type.limits.is64
    }

    /// Whether accesses to memory `index` take the fast path: memory 0 of 32 bits, whose base
    /// and size are in the `mem`/`ms` registers. Others go through their entity.
    func isRegisterMemory(_ index: UInt32) -> Bool {
        index == 0 && !memoryIs64(0)
    }

    /// The type of addresses (and sizes) of memory `index`.
    func addressType(ofMemory index: UInt32) -> ValueType {
        memoryIs64(index) ? .i64 : .i32
    }

    /// The type of indices (and sizes) of table `index`.
    func indexType(ofTable index: Int) -> ValueType {
        instance.tables[index].pointee.type.limits.is64 ? .i64 : .i32
    }

    mutating func memoryAccess(_ op: MemoryOp, _ memarg: MemArg) {
        guard isRegisterMemory(memarg.memory) else { return windowedAccess(op, memarg) }
        // Offsets of 32-bit memories fit in 32 bits (validated).
        let offset = UInt64(UInt32(truncatingIfNeeded: memarg.offset))
        if op.valueType == .v128 {
            guard let handler = simdMemoryHandler(op) else { return }
            if op.isStore {
                let value = stack.pop(), address = stack.pop()
                let v = readSlot(value), a = readSlot(address)
                code.emit(handler, UInt64(v) | UInt64(a) << 16 | offset << 32)
            } else {
                let address = stack.pop()
                let a = readSlot(address)
                let d = stack.push(op.valueType)
                emitProducer(handler, UInt64(d) | UInt64(a) << 16 | offset << 32, slot: d)
            }
            return
        }
        if op.isStore {
            store(op, offset: offset)
        } else {
            load(op, offset: offset)
        }
    }

    /// A load or store on a memory reached through its entity (see MemoryEntityHandlers.swift):
    /// a window instruction checks the effective address and points the registers at it, the
    /// memory-0 handler of the access runs with its address in the scratch slot (0 there) and
    /// offset 0, and memory 0 goes back into the registers. The scratch slot is the address's
    /// own canonical slot: free once the operands are popped.
    private mutating func windowedAccess(_ op: MemoryOp, _ memarg: MemArg) {
        if op.isStore {
            let value = stack.pop(), address = stack.pop()
            let v = readSlot(value), a = readSlot(address)
            let handler = op.valueType == .v128 ? simdMemoryHandler(op) : storeHandler(op, .slot, immediateValue: false)
            guard let handler else { return }
            emitWindow(scratch: address.slot, address: a, memarg)
            code.emit(handler, operands(v, address.slot))
        } else {
            let address = stack.pop()
            let a = readSlot(address)
            let handler = op.valueType == .v128 ? simdMemoryHandler(op) : loadHandler(op, .slot)
            guard let handler else { return }
            emitWindow(scratch: address.slot, address: a, memarg)
            let d = stack.push(op.valueType)
            code.emit(handler, operands(d, address.slot))
        }
        emitRestoreMemory0()
    }

    /// [h_memoryWindow][scratch | address << 16][offset][memory]
    mutating func emitWindow(scratch: Int, address: Int, _ memarg: MemArg) {
        code.emit(h_memoryWindow, operands(scratch, address), memarg.offset)
        code.append(pointer: memory(memarg.memory))
    }

    /// [h_restoreMemory0][memory 0]; no fusion reaches back across it.
    mutating func emitRestoreMemory0() {
        code.emit(h_restoreMemory0)
        code.append(pointer: instance.memory0)
        producer = nil
        lastOperation = nil
        lastLoad = nil
    }

    /// The `i32.add` that computed `address` just before, removed from the code so that the
    /// access can do the addition itself.
    private mutating func takeAddressAddition(for address: StackEntry) -> Operation? {
        guard let add = lastOperation, add.op == .i32Add, code.isLastInstruction(start: add.start, end: add.end),
              address.source == .canonical, address.slot == add.slot else { return nil }
        code.truncate(to: add.start)
        lastOperation = nil
        producer = nil
        return add
    }

    /// How a load or store gets its address, in order of preference: a constant (folded with
    /// the offset), a lazy `x + constant`, an `i32.add` emitted just before, or a slot.
    private enum Address {
        case absolute(UInt64)
        case slotPlusImmediate(Int, UInt32)
        case slotPlusSlot(Int, Int)
        case slot(Int)
    }

    private mutating func address(of entry: StackEntry, offset: UInt64) -> Address {
        switch entry.source {
        case .constant(let c):
            return .absolute(UInt64(UInt32(truncatingIfNeeded: c)) + offset)
        case .sum(let base, let immediate):
            return .slotPlusImmediate(base, immediate)
        default:
            if let add = takeAddressAddition(for: entry) {
                if let rhs = add.rhs { return .slotPlusSlot(add.lhs, rhs) }
                return .slotPlusImmediate(add.lhs, add.immediate)
            }
            return .slot(readSlot(entry))
        }
    }

    private mutating func load(_ op: MemoryOp, offset: UInt64) {
        let entry = stack.pop()
        let address = address(of: entry, offset: offset)
        let d = stack.push(op.valueType)
        switch address {
        case .absolute(let ea):
            guard let handler = loadHandler(op, .absolute) else { return }
            emitProducer(handler, UInt64(d), slot: d)
            code.append(ea)
        case .slotPlusImmediate(let base, let immediate):
            guard let handler = loadHandler(op, .slotPlusImmediate) else { return }
            let start = code.position
            emitProducer(handler, operands(d, base) | UInt64(immediate) << 32, slot: d)
            code.append(offset)
            if op == .f32Load || op == .f64Load {
                lastLoad = LoadRecord(start: start, end: code.position, slot: d, base: base, immediate: immediate, offset: offset)
            }
        case .slotPlusSlot(let a, let b):
            guard let handler = loadHandler(op, .slotPlusSlot) else { return }
            emitProducer(handler, operands(d, a, b), slot: d)
            code.append(offset)
        case .slot(let a):
            guard let handler = loadHandler(op, .slot) else { return }
            let start = code.position
            emitProducer(handler, UInt64(d) | UInt64(a) << 16 | offset << 32, slot: d)
            if op == .f32Load || op == .f64Load {
                lastLoad = LoadRecord(start: start, end: code.position, slot: d, base: a, immediate: nil, offset: offset)
            }
        }
        producer?.end = code.position
    }

    private mutating func store(_ op: MemoryOp, offset: UInt64) {
        let value = stack.pop(), entry = stack.pop()
        // A constant value rides in the instruction. It costs no code, so an address
        // addition emitted just before can still be fused.
        var constant: UInt64?
        if case .constant(let c) = value.source { constant = c }
        // Read the value first: if that emits code (a lazy sum), no earlier addition may be
        // fused into the address, since the value's slot could be one of its operands.
        let v = constant == nil ? readSlot(value) : 0
        let address = address(of: entry, offset: offset)
        let immediate = constant != nil
        let word = constant ?? 0
        switch address {
        case .absolute(let ea):
            guard let handler = storeHandler(op, .absolute, immediateValue: immediate) else { return }
            if immediate { code.emit(handler, ea, word) } else { code.emit(handler, UInt64(v), ea) }
        case .slotPlusImmediate(let base, let imm):
            guard let handler = storeHandler(op, .slotPlusImmediate, immediateValue: immediate) else { return }
            if immediate {
                code.emit(handler, operands(base) | UInt64(imm) << 32, offset)
                code.append(word)
            } else {
                code.emit(handler, operands(v, base) | UInt64(imm) << 32, offset)
            }
        case .slotPlusSlot(let a, let b):
            guard let handler = storeHandler(op, .slotPlusSlot, immediateValue: immediate) else { return }
            if immediate {
                code.emit(handler, operands(a, b) | offset << 32, word)
            } else {
                code.emit(handler, operands(v, a, b), offset)
            }
        case .slot(let a):
            guard let handler = storeHandler(op, .slot, immediateValue: immediate) else { return }
            if immediate {
                code.emit(handler, UInt64(a) | offset << 32, word)
            } else {
                code.emit(handler, UInt64(v) | UInt64(a) << 16 | offset << 32)
            }
        }
    }

    mutating func memorySize(_ index: UInt32) {
        let d = stack.push(addressType(ofMemory: index))
        if index == 0 {
            // Memory 0's size is in the `ms` register, whatever its address type.
            emitProducer(h_memorySize, UInt64(d), slot: d)
        } else {
            emitProducer(h_memorySizeOf, UInt64(d), slot: d)
            code.append(pointer: memory(index))
            producer?.end = code.position
        }
    }

    mutating func memoryGrow(_ index: UInt32) {
        let delta = stack.pop()
        let s = readSlot(delta)
        let is64 = memoryIs64(index)
        let d = stack.push(is64 ? .i64 : .i32)
        if isRegisterMemory(index) {
            code.emit(h_memoryGrow, operands(d, s))
            code.append(pointer: instance.memory0)
        } else {
            code.emit(h_memoryGrowOf, operands(d, s) | (is64 ? 1 << 32 : 0))
            code.append(pointer: memory(index))
            code.append(pointer: instance.memory0)
        }
    }

    mutating func memoryFill(_ index: UInt32) {
        if isRegisterMemory(index) {
            bulk(h_memoryFill, extra: [])
        } else {
            bulk(h_memoryFillOf, extra: [UInt64(UInt(bitPattern: memory(index)))])
        }
    }

    mutating func memoryCopy(destination: UInt32, source: UInt32) {
        if isRegisterMemory(destination) && isRegisterMemory(source) {
            bulk(h_memoryCopy, extra: [])
        } else {
            bulk(h_memoryCopyOf, extra: [UInt64(UInt(bitPattern: memory(destination))),
                                         UInt64(UInt(bitPattern: memory(source)))])
        }
    }

    mutating func memoryInit(data: UInt32, memory index: UInt32) {
        let segment = UInt64(UInt(bitPattern: instance.dataSegments[Int(data)]))
        if isRegisterMemory(index) {
            bulk(h_memoryInit, extra: [segment])
        } else {
            bulk(h_memoryInitOf, extra: [segment, UInt64(UInt(bitPattern: memory(index)))])
        }
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
        let d = stack.push(indexType(ofTable: table))
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
        let typeID = instance.typeIDs[Int(typeIndex)]
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
    mutating func emitCall(_ calleeType: FunctionType, emit: (inout Translator, Int) -> Void) {
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
