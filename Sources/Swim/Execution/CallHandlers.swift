/// Calls and returns.
///
/// A callee's frame starts at its first argument, which the caller left in its own
/// operand slots; results come back in the same place. Each frame has a 3-slot header
/// at `headerSlot`: the return pc, the caller's frame pointer and the caller's memory.
/// Calls never recurse on the native stack.

typealias FunctionRef = UnsafeMutablePointer<FunctionEntity>
typealias MemoryRef = UnsafeMutablePointer<MemoryEntity>
typealias TableRef = UnsafeMutablePointer<TableEntity>

/// Enters `callee` with its frame at `newFp`, to return to `returnPc` with `callerMemory`.
@inline(__always)
func enter(_ callee: FunctionRef, _ newFp: Fp, returnTo returnPc: Pc, callerFp fp: Fp, callerMemory: UInt64,
           _ pc: Pc, _ ctx: Ctx) -> Pc? {
    if newFp + callee.pointee.frameSlots > ctx.pointee.stackLimit {
        return trap(.callStackExhausted, pc, ctx)
    }
    let header = newFp + callee.pointee.headerSlot
    header[0] = UInt64(UInt(bitPattern: returnPc))
    header[1] = UInt64(UInt(bitPattern: fp))
    header[2] = callerMemory
    let memory = callee.pointee.memory
    return next(callee.pointee.code, newFp, memory.pointee.base, memory.pointee.size, ctx)
}

/// [h][argument slot][callee][caller's memory]
func h_call(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let callee = FunctionRef(bitPattern: UInt(truncatingIfNeeded: pc[2])).unsafelyUnwrapped
    return enter(callee, fp + Int(truncatingIfNeeded: pc[1]), returnTo: pc + 4, callerFp: fp, callerMemory: pc[3], pc, ctx)
}

/// [h][argument slot | index << 16][table][type id][caller's memory]
func h_callIndirect(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let table = TableRef(bitPattern: UInt(truncatingIfNeeded: pc[2])).unsafelyUnwrapped
    // A whole slot: an i32 index is zero-extended, an index into a 64-bit table is an i64.
    let index = fp[o.s1]
    if index >= UInt64(table.pointee.count) { return trap(.undefinedElement, pc, ctx) }
    guard let callee = FunctionRef(bitPattern: UInt(table.pointee.elements[Int(truncatingIfNeeded: index)])) else {
        return trap(.uninitializedElement, pc, ctx)
    }
    if UInt64(callee.pointee.typeID) != pc[3] { return trap(.indirectCallTypeMismatch, pc, ctx) }
    return enter(callee, fp + o.s0, returnTo: pc + 5, callerFp: fp, callerMemory: pc[4], pc, ctx)
}

/// [h][header slot]: returns to the caller (results are already in slots 0...).
func h_return(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let header = fp + Int(truncatingIfNeeded: pc[1])
    let returnPc = Pc(bitPattern: UInt(header[0])).unsafelyUnwrapped
    let callerFp = Fp(bitPattern: UInt(header[1])).unsafelyUnwrapped
    let memory = MemoryRef(bitPattern: UInt(header[2])).unsafelyUnwrapped
    return next(returnPc, callerFp, memory.pointee.base, memory.pointee.size, ctx)
}

/// [h][header slot | src << 16]: moves one 64-bit result to slot 0 and returns.
func h_return1(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    fp[0] = fp[o.s1]
    let header = fp + o.s0
    let returnPc = Pc(bitPattern: UInt(header[0])).unsafelyUnwrapped
    let callerFp = Fp(bitPattern: UInt(header[1])).unsafelyUnwrapped
    let memory = MemoryRef(bitPattern: UInt(header[2])).unsafelyUnwrapped
    return next(returnPc, callerFp, memory.pointee.base, memory.pointee.size, ctx)
}

/// [h][function]: the code of a function not yet translated. Translates it, then runs it.
func h_translate(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let function = FunctionRef(bitPattern: UInt(truncatingIfNeeded: pc[1])).unsafelyUnwrapped
    guard let code = translateOnFirstCall(function, ctx) else { return trap(.translationFailed, pc, ctx) }
    // The caller checked the stack against the frame size known before translation.
    if fp + function.pointee.frameSlots > ctx.pointee.stackLimit { return trap(.callStackExhausted, pc, ctx) }
    return next(code, fp, mem, ms, ctx)
}

/// [h][function]: the code of a host function. Calls it, then returns to the caller.
func h_hostCall(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let function = FunctionRef(bitPattern: UInt(truncatingIfNeeded: pc[1])).unsafelyUnwrapped
    let header = fp + function.pointee.headerSlot
    let callerMemory = MemoryRef(bitPattern: UInt(header[2])).unsafelyUnwrapped
    let outcome = callHost(function, fp, callerMemory, ctx)
    if outcome != .none {
        if outcome != .uncaughtException { return trap(outcome, pc, ctx) }
        let resumption = throwFromHost(returnPc: header[0], callerFp: header[1], callerMemory: header[2], ctx)
        guard let target = resumption.pc else { return nil }
        let memory = resumption.memory ?? callerMemory
        return next(target, resumption.fp, memory.pointee.base, memory.pointee.size, ctx)
    }
    let returnPc = Pc(bitPattern: UInt(header[0])).unsafelyUnwrapped
    let callerFp = Fp(bitPattern: UInt(header[1])).unsafelyUnwrapped
    // The host may have grown the memory: reload its size.
    return next(returnPc, callerFp, callerMemory.pointee.base, callerMemory.pointee.size, ctx)
}
