/// Unwinding: finding the handler of an exception by walking the frames on the value stack.
///
/// Nothing on the normal path prepares for it: calls and returns do no extra work, and
/// `try_table` emits no code. When an exception is thrown, the unwinder looks up the
/// throwing function's `HandlerTable` by the pc, tries the catch scopes covering that pc
/// from the innermost out, and if none catches, moves to the caller through the frame
/// header (return pc, caller's frame pointer, caller's memory) and looks again at the call
/// instruction there. The walk ends at a handler, or at the activation's halt code, where
/// the exception leaves the interpreter (`TrapReason.uncaughtException`).

/// Where execution continues after an exception was caught; `pc` nil when it was not.
struct Resumption {
    var pc: Pc?
    var fp: Fp
    /// The memory of the catching frame, or nil when that is the throwing frame (whose
    /// memory is in the registers).
    var memory: MemoryRef?
}

/// `throw`: makes an exception of `tag` from the payload slots and unwinds from `pc`.
@inline(never)
func throwNewException(_ tag: TagRef, payload: Fp, _ pc: Pc, _ fp: Fp, _ ctx: Ctx) -> Resumption {
    let store = ctx.pointee.store.takeUnretainedValue()
    // The live part of the value stack ends with the throwing frame.
    let top = store.translatedCode(containing: pc).map { fp + $0.frameSlots } ?? store.stack + store.stackSlots
    let exception = store.allocateException(tag: tag, stackTop: top)
    exception.payload.update(from: payload, count: tag.pointee.payloadSlots)
    return unwind(exception, thrownAt: pc, fp: fp, memory: nil, store: store, ctx)
}

/// `throw_ref` and `rethrow`: throws an existing exception again from `pc`.
@inline(never)
func rethrowException(_ exception: ExceptionRef, _ pc: Pc, _ fp: Fp, _ ctx: Ctx) -> Resumption {
    unwind(exception, thrownAt: pc, fp: fp, memory: nil, store: ctx.pointee.store.takeUnretainedValue(), ctx)
}

/// A host function threw the exception in `ctx.exception`: it is thrown at the call in the
/// function the host function returns to, whose pc, frame pointer and memory are the three
/// words of a frame header (the host frame's own, or a tail caller's).
@inline(never)
func throwFromHost(returnPc returnWord: UInt64, callerFp fpWord: UInt64, callerMemory memoryWord: UInt64,
                   _ ctx: Ctx) -> Resumption {
    let store = ctx.pointee.store.takeUnretainedValue()
    let exception = ExceptionRef(slot: ctx.pointee.exception).unsafelyUnwrapped
    ctx.pointee.exception = 0
    let returnPc = Pc(bitPattern: UInt(returnWord)).unsafelyUnwrapped
    let callerFp = Fp(bitPattern: UInt(fpWord)).unsafelyUnwrapped
    let callerMemory = MemoryRef(bitPattern: UInt(memoryWord)).unsafelyUnwrapped
    if returnPc == UnsafePointer(store.haltCode) {
        // Called straight from the embedder: there is no wasm frame to search.
        return escape(exception, thrownAt: returnPc, fp: callerFp, ctx)
    }
    return unwind(exception, thrownAt: returnPc - 1, fp: callerFp, memory: callerMemory, store: store, ctx)
}

/// Searches the frames from the one at `fp`, where the instruction at `throwPc` threw.
/// `memory` is that frame's memory, or nil for the frame of the running handler.
func unwind(_ exception: ExceptionRef, thrownAt throwPc: Pc, fp: Fp, memory: MemoryRef?,
            store: StoreStorage, _ ctx: Ctx) -> Resumption {
    var pc = throwPc
    var fp = fp
    var memory = memory
    while let code = store.translatedCode(containing: pc) {
        var scope = code.handlers.scope(at: code.position(of: pc))
        while scope >= 0 {
            let candidate = code.handlers.scopes[scope]
            for c in candidate.catches where c.tag == nil || c.tag == exception.tag {
                if c.tag != nil {
                    (fp + c.payloadSlot).update(from: exception.payload, count: exception.tag.pointee.payloadSlots)
                }
                if let slot = c.referenceSlot { fp[slot] = exception.slot }
                switch c.destination {
                case .code(let position):
                    return Resumption(pc: UnsafePointer(code.words.baseAddress.unsafelyUnwrapped) + position,
                                      fp: fp, memory: memory)
                case .functionReturn:
                    // The values are the function's results, in slots 0...: return to the caller.
                    let header = fp + code.headerSlot
                    return Resumption(pc: Pc(bitPattern: UInt(header[0])),
                                      fp: Fp(bitPattern: UInt(header[1])).unsafelyUnwrapped,
                                      memory: MemoryRef(bitPattern: UInt(header[2])))
                }
            }
            scope = candidate.parent
        }
        // Not caught in this function: look in the caller, at its call instruction.
        let header = fp + code.headerSlot
        let returnPc = Pc(bitPattern: UInt(header[0])).unsafelyUnwrapped
        fp = Fp(bitPattern: UInt(header[1])).unsafelyUnwrapped
        memory = MemoryRef(bitPattern: UInt(header[2]))
        if returnPc == UnsafePointer(store.haltCode) { break }
        pc = returnPc - 1
    }
    return escape(exception, thrownAt: throwPc, fp: fp, ctx)
}

/// The exception leaves the interpreter: execution stops, and the embedder gets it.
private func escape(_ exception: ExceptionRef, thrownAt pc: Pc, fp: Fp, _ ctx: Ctx) -> Resumption {
    ctx.pointee.exception = exception.slot
    ctx.pointee.trap = .uncaughtException
    ctx.pointee.trapPc = pc
    return Resumption(pc: nil, fp: fp, memory: nil)
}
