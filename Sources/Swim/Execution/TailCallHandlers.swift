/// Tail calls (`return_call`, `return_call_indirect`): the callee replaces the caller's frame.
///
/// The caller left the arguments in its own operand slots, as for a call. A tail call keeps
/// the caller's frame pointer: it moves the arguments down to slot 0, writes the caller's
/// frame header (return pc, caller's frame pointer, caller's memory) into the callee's
/// header slot and jumps to the callee. The callee then returns straight to the caller's
/// caller, so a chain of tail calls runs in the space of one frame.
///
/// A host callee runs here, in the caller's frame: it must see the calling instance's
/// memory, while the header carries the memory of the function it returns to.

/// Operand word of every tail call: [argument slot | argument slots << 16 | header slot << 32 | s3].
/// The argument slot is above the caller's header, so moving the arguments down in
/// ascending order never overwrites one not yet moved.
@inline(__always)
func tailEnter(_ callee: FunctionRef, _ o: Operands, callerMemory: UInt64, _ pc: Pc, _ fp: Fp, _ ctx: Ctx) -> Pc? {
    if fp + callee.pointee.frameSlots > ctx.pointee.stackLimit {
        return trap(.callStackExhausted, pc, ctx)
    }
    // The header is read before the arguments move: they may cover it.
    let header = fp + o.s2
    let returnPc = header[0]
    let outerFp = header[1]
    let outerMemory = header[2]
    let source = fp + o.s0
    let count = o.s1
    var i = 0
    while i < count {
        fp[i] = source[i]
        i += 1
    }
    if case .host = callee.pointee.kind {
        return tailCallHost(callee, fp, callerMemory: callerMemory, returnPc: returnPc, outerFp: outerFp,
                            outerMemory: outerMemory, pc, ctx)
    }
    let newHeader = fp + callee.pointee.headerSlot
    newHeader[0] = returnPc
    newHeader[1] = outerFp
    newHeader[2] = outerMemory
    let memory = callee.pointee.memory
    return next(callee.pointee.code, fp, memory.pointee.base, memory.pointee.size, ctx)
}

/// Runs a host function whose frame is at `fp`, then returns to the tail-calling function's caller.
@inline(__always)
func tailCallHost(_ callee: FunctionRef, _ fp: Fp, callerMemory: UInt64, returnPc: UInt64, outerFp: UInt64,
                  outerMemory: UInt64, _ pc: Pc, _ ctx: Ctx) -> Pc? {
    let memory = MemoryRef(bitPattern: UInt(callerMemory)).unsafelyUnwrapped
    let outcome = callHost(callee, fp, memory, ctx)
    if outcome != .none {
        if outcome != .uncaughtException { return trap(outcome, pc, ctx) }
        // A host exception is thrown at the call in the function the tail caller returns to.
        let resumption = throwFromHost(returnPc: returnPc, callerFp: outerFp, callerMemory: outerMemory, ctx)
        guard let target = resumption.pc else { return nil }
        let caught = resumption.memory ?? MemoryRef(bitPattern: UInt(outerMemory)).unsafelyUnwrapped
        return next(target, resumption.fp, caught.pointee.base, caught.pointee.size, ctx)
    }
    let returnTo = Pc(bitPattern: UInt(returnPc)).unsafelyUnwrapped
    let returnFp = Fp(bitPattern: UInt(outerFp)).unsafelyUnwrapped
    // Reloaded after the call: the host may have grown the memory.
    let returnMemory = MemoryRef(bitPattern: UInt(outerMemory)).unsafelyUnwrapped
    return next(returnTo, returnFp, returnMemory.pointee.base, returnMemory.pointee.size, ctx)
}

/// [h][argument slot | argument slots << 16 | header slot << 32][callee][caller's memory]
func h_returnCall(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let callee = FunctionRef(bitPattern: UInt(truncatingIfNeeded: pc[2])).unsafelyUnwrapped
    return tailEnter(callee, Operands(pc), callerMemory: pc[3], pc, fp, ctx)
}

/// [h][argument slot | argument slots << 16 | header slot << 32 | index slot << 48][table][type id][caller's memory]
func h_returnCallIndirect(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let table = TableRef(bitPattern: UInt(truncatingIfNeeded: pc[2])).unsafelyUnwrapped
    let index = Int(fp.i32(o.s3))
    if index >= table.pointee.count { return trap(.undefinedElement, pc, ctx) }
    guard let callee = FunctionRef(bitPattern: UInt(table.pointee.elements[index])) else {
        return trap(.uninitializedElement, pc, ctx)
    }
    if UInt64(callee.pointee.typeID) != pc[3] { return trap(.indirectCallTypeMismatch, pc, ctx) }
    return tailEnter(callee, o, callerMemory: pc[4], pc, fp, ctx)
}
