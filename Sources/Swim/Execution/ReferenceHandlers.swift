/// Typed function references: calls through a reference and the null check.
/// (`br_on_null` and `br_on_non_null` are `h_brUnless64` and `h_brIf64` on the reference:
/// null is 0.)

/// [h][argument slot | reference slot << 16][caller's memory]
func h_callRef(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    guard let callee = FunctionRef(bitPattern: UInt(fp[o.s1])) else {
        return trap(.nullFunctionReference, pc, ctx)
    }
    return enter(callee, fp + o.s0, returnTo: pc + 3, callerFp: fp, callerMemory: pc[2], pc, ctx)
}

/// [h][argument slot | argument slots << 16 | header slot << 32 | reference slot << 48][caller's memory]
func h_returnCallRef(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    // Read before the arguments move: the reference may be in a slot they cover.
    guard let callee = FunctionRef(bitPattern: UInt(fp[o.s3])) else {
        return trap(.nullFunctionReference, pc, ctx)
    }
    return tailEnter(callee, o, callerMemory: pc[2], pc, fp, ctx)
}

/// [h][slot]: traps when the reference in the slot is null.
func h_refAsNonNull(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    if fp[Int(truncatingIfNeeded: pc[1])] == 0 { return trap(.nullReference, pc, ctx) }
    return next(pc + 2, fp, mem, ms, ctx)
}
