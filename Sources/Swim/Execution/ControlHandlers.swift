/// Handlers for control flow, moves and constants.
/// Formats are written as [handler][immediate words...].

/// [h] The outermost frame returned here: stop.
func h_halt(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    ctx.pointee.fp = fp
    return nil
}

/// [h]
func h_unreachable(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    trap(.unreachable, pc, ctx)
}

/// [h][offset]
func h_br(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    next(pc + Int(Int64(bitPattern: pc[1])), fp, mem, ms, ctx)
}

/// [h][cond | offset48 << 16]: branch when the i32 is not zero.
func h_brIf32(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    if fp.i32(o.s0) != 0 { return next(pc + o.offset48, fp, mem, ms, ctx) }
    return next(pc + 2, fp, mem, ms, ctx)
}

/// [h][cond | offset48 << 16]: branch when the i32 is zero.
func h_brUnless32(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    if fp.i32(o.s0) == 0 { return next(pc + o.offset48, fp, mem, ms, ctx) }
    return next(pc + 2, fp, mem, ms, ctx)
}

/// [h][cond | offset48 << 16]: branch when the i64 is not zero.
func h_brIf64(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    if fp[o.s0] != 0 { return next(pc + o.offset48, fp, mem, ms, ctx) }
    return next(pc + 2, fp, mem, ms, ctx)
}

/// [h][cond | offset48 << 16]: branch when the i64 is zero.
func h_brUnless64(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    if fp[o.s0] == 0 { return next(pc + o.offset48, fp, mem, ms, ctx) }
    return next(pc + 2, fp, mem, ms, ctx)
}

/// [h][index | count << 16][offset 0]...[offset count-1][default offset]
func h_brTable(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let index = UInt64(fp.i32(o.s0))
    let count = o.word &>> 16
    let entry = index < count ? index : count
    return next(pc + Int(Int64(bitPattern: pc[2 + Int(truncatingIfNeeded: entry)])), fp, mem, ms, ctx)
}

/// [h][dst | src << 16]
func h_copy64(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    fp[o.s0] = fp[o.s1]
    return next(pc + 2, fp, mem, ms, ctx)
}

/// [h][dst1 | src1 << 16 | dst2 << 32 | src2 << 48]: two copies, in order.
func h_copy64x2(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    fp[o.s0] = fp[o.s1]
    fp[o.s2] = fp[o.s3]
    return next(pc + 2, fp, mem, ms, ctx)
}

/// [h][dst | src << 16]
func h_copy128(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let lo = fp[o.s1], hi = fp[o.s1 + 1]
    fp[o.s0] = lo
    fp[o.s0 + 1] = hi
    return next(pc + 2, fp, mem, ms, ctx)
}

/// [h][dst | value << 32]: a 32-bit constant, zero-extended.
func h_const32(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    fp[o.s0] = UInt64(o.hi32)
    return next(pc + 2, fp, mem, ms, ctx)
}

/// [h][dst][value]
func h_const64(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    fp[Int(truncatingIfNeeded: pc[1])] = pc[2]
    return next(pc + 3, fp, mem, ms, ctx)
}

/// [h][dst][low][high]
func h_const128(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let d = Int(truncatingIfNeeded: pc[1])
    fp[d] = pc[2]
    fp[d + 1] = pc[3]
    return next(pc + 4, fp, mem, ms, ctx)
}

/// [h][dst | cond << 16 | a << 32 | b << 48]
func h_select(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    fp[o.s0] = fp.i32(o.s1) != 0 ? fp[o.s2] : fp[o.s3]
    return next(pc + 2, fp, mem, ms, ctx)
}

/// [h][dst | cond << 16 | a << 32 | b << 48]
func h_select128(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let v = fp.i32(o.s1) != 0 ? fp.v128(o.s2) : fp.v128(o.s3)
    fp.setV128(o.s0, v)
    return next(pc + 2, fp, mem, ms, ctx)
}

/// [h][start | count << 16]: zeroes the declared locals on function entry.
func h_zeroLocals(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    (fp + o.s0).update(repeating: 0, count: o.s1)
    return next(pc + 2, fp, mem, ms, ctx)
}

/// [h]: stops with `.interrupted` when an interrupt was requested, and burns one unit of fuel.
func h_checkInterrupt(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    if ctx.pointee.interruptRequested.pointee != 0 { return trap(.interrupted, pc, ctx) }
    ctx.pointee.fuel &-= 1
    if ctx.pointee.fuel < 0 { return trap(.outOfFuel, pc, ctx) }
    return next(pc + 1, fp, mem, ms, ctx)
}
