/// `throw`, `throw_ref` and the legacy `rethrow`. They hand the exception to the unwinder
/// (`Unwinding.swift`), a slow path, and continue where it says: at a handler, possibly in
/// a caller's frame with its memory, or nowhere when the exception left the outermost frame.

/// [h][payload slot][tag]: throws a new exception of the tag, its payload the slots from
/// the payload slot on.
func h_throw(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let tag = TagRef(bitPattern: UInt(truncatingIfNeeded: pc[2])).unsafelyUnwrapped
    let resumption = throwNewException(tag, payload: fp + Int(truncatingIfNeeded: pc[1]), pc, fp, ctx)
    guard let target = resumption.pc else { return nil }
    if let memory = resumption.memory {
        return next(target, resumption.fp, memory.pointee.base, memory.pointee.size, ctx)
    }
    return next(target, resumption.fp, mem, ms, ctx)
}

/// [h][exnref slot]: throws the exception the slot refers to; traps on null.
func h_throwRef(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    guard let exception = ExceptionRef(slot: fp[Int(truncatingIfNeeded: pc[1])]) else {
        return trap(.nullExceptionReference, pc, ctx)
    }
    let resumption = rethrowException(exception, pc, fp, ctx)
    guard let target = resumption.pc else { return nil }
    if let memory = resumption.memory {
        return next(target, resumption.fp, memory.pointee.base, memory.pointee.size, ctx)
    }
    return next(target, resumption.fp, mem, ms, ctx)
}
