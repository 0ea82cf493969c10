/// Handlers for tables and element segments. References are 64-bit words: 0 is null.
///
/// Indices and counts are read as whole slots: an i32 is kept zero-extended in its slot, so
/// the same handlers serve 32-bit tables and 64-bit ones (table64), at no cost to either.

typealias ElementSegmentRef = UnsafeMutablePointer<ElementSegmentEntity>

/// [h][dst | index << 16][table]
func h_tableGet(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let table = TableRef(bitPattern: UInt(truncatingIfNeeded: pc[2])).unsafelyUnwrapped
    let i = fp[o.s1]
    if i >= UInt64(table.pointee.count) { return trap(.outOfBoundsTableAccess, pc, ctx) }
    fp[o.s0] = table.pointee.elements[Int(truncatingIfNeeded: i)]
    return next(pc + 3, fp, mem, ms, ctx)
}

/// [h][index | value << 16][table]
func h_tableSet(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let table = TableRef(bitPattern: UInt(truncatingIfNeeded: pc[2])).unsafelyUnwrapped
    let i = fp[o.s0]
    if i >= UInt64(table.pointee.count) { return trap(.outOfBoundsTableAccess, pc, ctx) }
    table.pointee.elements[Int(truncatingIfNeeded: i)] = fp[o.s1]
    return next(pc + 3, fp, mem, ms, ctx)
}

/// [h][dst][table]
func h_tableSize(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let table = TableRef(bitPattern: UInt(truncatingIfNeeded: pc[2])).unsafelyUnwrapped
    fp[Int(truncatingIfNeeded: pc[1])] = UInt64(table.pointee.count)
    return next(pc + 3, fp, mem, ms, ctx)
}

/// [h][dst | initial value << 16 | delta << 32][table]
func h_tableGrow(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let table = TableRef(bitPattern: UInt(truncatingIfNeeded: pc[2])).unsafelyUnwrapped
    let old = growTable(table, by: fp[o.s2], initial: fp[o.s1], ctx: ctx)
    // -1 is all ones in the table's index type.
    fp[o.s0] = table.pointee.type.limits.is64 ? old : UInt64(UInt32(truncatingIfNeeded: old))
    return next(pc + 3, fp, mem, ms, ctx)
}

/// [h][index | value << 16 | count << 32][table]
func h_tableFill(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let table = TableRef(bitPattern: UInt(truncatingIfNeeded: pc[2])).unsafelyUnwrapped
    let i = fp[o.s0], n = fp[o.s2]
    let count = UInt64(table.pointee.count)
    if i > count || n > count &- i { return trap(.outOfBoundsTableAccess, pc, ctx) }
    (table.pointee.elements + Int(truncatingIfNeeded: i)).update(repeating: fp[o.s1], count: Int(truncatingIfNeeded: n))
    return next(pc + 3, fp, mem, ms, ctx)
}

/// [h][dst | src << 16 | count << 32][destination table][source table]
func h_tableCopy(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let dst = TableRef(bitPattern: UInt(truncatingIfNeeded: pc[2])).unsafelyUnwrapped
    let src = TableRef(bitPattern: UInt(truncatingIfNeeded: pc[3])).unsafelyUnwrapped
    let d = fp[o.s0], s = fp[o.s1], n = fp[o.s2]
    let dstCount = UInt64(dst.pointee.count), srcCount = UInt64(src.pointee.count)
    if d > dstCount || n > dstCount &- d || s > srcCount || n > srcCount &- s {
        return trap(.outOfBoundsTableAccess, pc, ctx)
    }
    (dst.pointee.elements + Int(truncatingIfNeeded: d)).update(from: src.pointee.elements + Int(truncatingIfNeeded: s), count: Int(truncatingIfNeeded: n))
    return next(pc + 4, fp, mem, ms, ctx)
}

/// [h][dst | src << 16 | count << 32][table][element segment]
func h_tableInit(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let table = TableRef(bitPattern: UInt(truncatingIfNeeded: pc[2])).unsafelyUnwrapped
    let segment = ElementSegmentRef(bitPattern: UInt(truncatingIfNeeded: pc[3])).unsafelyUnwrapped
    let d = fp[o.s0], s = fp[o.s1], n = fp[o.s2]
    let count = UInt64(table.pointee.count), segmentCount = UInt64(segment.pointee.count)
    if d > count || n > count &- d || s > segmentCount || n > segmentCount &- s {
        return trap(.outOfBoundsTableAccess, pc, ctx)
    }
    if n > 0, let elements = segment.pointee.elements {
        (table.pointee.elements + Int(truncatingIfNeeded: d)).update(from: elements + Int(truncatingIfNeeded: s), count: Int(truncatingIfNeeded: n))
    }
    return next(pc + 4, fp, mem, ms, ctx)
}

/// [h][element segment]
func h_elemDrop(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let segment = ElementSegmentRef(bitPattern: UInt(truncatingIfNeeded: pc[1])).unsafelyUnwrapped
    segment.pointee.count = 0
    return next(pc + 2, fp, mem, ms, ctx)
}

/// Table growth, kept out of the handlers: it allocates, and asks the store's accountant.
@inline(never)
func growTable(_ table: TableRef, by delta: UInt64, initial: UInt64, ctx: Ctx) -> UInt64 {
    ctx.pointee.store.takeUnretainedValue().growTable(table, by: delta, initial: initial)
}
