/// Casts and i31 (GC): `ref.test`, `ref.cast`, `br_on_cast`, `br_on_cast_fail`, `ref.i31` and
/// `i31.get_s/u`. An i31 is its value shifted left by one with the low bit set.

/// What a cast checks a non-null reference against (the low byte of its test immediate; bit
/// 8 says whether null passes). Validation proves the reference is of the target's hierarchy.
enum CastTest: UInt8 {
    /// The top of the hierarchy (`any`, `func`, `extern`): every reference passes.
    case top
    case eq
    case i31
    case `struct`
    case array
    /// A bottom type (`none`, `nofunc`, `noextern`): no reference but null passes.
    case bottom
    /// A struct or array type: objects whose runtime type is it or declares it.
    case definedObject
    /// A function type: functions whose type is it or declares it.
    case definedFunction

    /// The immediate of a cast: the test, and whether null passes.
    static func immediate(_ test: CastTest, nullable: Bool) -> UInt32 {
        UInt32(test.rawValue) | (nullable ? 1 << 8 : 0)
    }
}

/// Whether reference `r` passes the cast `test` (a `CastTest.immediate`) to `target`.
@inline(__always)
func castSucceeds(_ r: UInt64, _ test: UInt32, _ target: UInt64, _ ctx: Ctx) -> Bool {
    if r == 0 { return test & (1 << 8) != 0 }
    switch CastTest(rawValue: UInt8(truncatingIfNeeded: test)).unsafelyUnwrapped {
    case .top: return true
    case .bottom: return false
    case .i31: return r.isI31
    case .eq: return r.isI31 || r.object.runtimeType.pointee.kind != .hostValue
    case .struct: return !r.isI31 && r.object.runtimeType.pointee.kind == .struct
    case .array: return !r.isI31 && r.object.runtimeType.pointee.kind == .array
    case .definedObject: return !r.isI31 && r.object.runtimeType.pointee.isSubtype(of: runtimeType(target))
    case .definedFunction: return functionMatches(r, runtimeType(target), ctx)
    }
}

/// Whether function reference `r` is of type `target` or one of its declared subtypes.
@inline(never)
func functionMatches(_ r: UInt64, _ target: RuntimeTypeRef, _ ctx: Ctx) -> Bool {
    let function = FunctionRef(bitPattern: UInt(truncatingIfNeeded: r)).unsafelyUnwrapped
    return ctx.pointee.store.takeUnretainedValue().types.isSubtype(function.pointee.typeID, of: target.pointee.id)
}

/// [h][dst | src << 16 | test << 32][target type]
func h_refTest(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    fp.setBool(o.s0, castSucceeds(fp[o.s1], o.hi32, pc[2], ctx))
    return next(pc + 3, fp, mem, ms, ctx)
}

/// [h][dst | src << 16 | test << 32][target type]
func h_refCast(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let r = fp[o.s1]
    if !castSucceeds(r, o.hi32, pc[2], ctx) { return trap(.castFailure, pc, ctx) }
    fp[o.s0] = r
    return next(pc + 3, fp, mem, ms, ctx)
}

/// [h][reference | test << 32][target type][offset]: branches when the cast succeeds.
func h_brOnCast(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    if castSucceeds(fp[o.s0], o.hi32, pc[2], ctx) { return next(pc + Int(Int64(bitPattern: pc[3])), fp, mem, ms, ctx) }
    return next(pc + 4, fp, mem, ms, ctx)
}

/// [h][reference | test << 32][target type][offset]: branches when the cast fails.
func h_brOnCastFail(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    if !castSucceeds(fp[o.s0], o.hi32, pc[2], ctx) { return next(pc + Int(Int64(bitPattern: pc[3])), fp, mem, ms, ctx) }
    return next(pc + 4, fp, mem, ms, ctx)
}

/// [h][dst | src << 16]: the low 31 bits of an i32.
func h_refI31(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    fp[o.s0] = (UInt64(fp.i32(o.s1) & 0x7FFF_FFFF) << 1) | 1
    return next(pc + 2, fp, mem, ms, ctx)
}

/// [h][dst | src << 16]: the value, sign-extended from 31 bits.
func h_i31GetS(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let r = fp[o.s1]
    if r == 0 { return trap(.nullI31Reference, pc, ctx) }
    fp.setI32(o.s0, UInt32(bitPattern: Int32(truncatingIfNeeded: r) >> 1))
    return next(pc + 2, fp, mem, ms, ctx)
}

/// [h][dst | src << 16]: the value, zero-extended from 31 bits.
func h_i31GetU(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let r = fp[o.s1]
    if r == 0 { return trap(.nullI31Reference, pc, ctx) }
    fp.setI32(o.s0, UInt32(truncatingIfNeeded: r >> 1) & 0x7FFF_FFFF)
    return next(pc + 2, fp, mem, ms, ctx)
}
