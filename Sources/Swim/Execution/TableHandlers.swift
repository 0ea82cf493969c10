/// Handlers for tables and element segments. References are 64-bit words: 0 is null.

typealias ElementSegmentRef = UnsafeMutablePointer<ElementSegmentEntity>

/// [h][dst | index << 16][table]
func h_tableGet(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let table = TableRef(bitPattern: UInt(truncatingIfNeeded: pc[2])).unsafelyUnwrapped
    let i = Int(fp.i32(o.s1))
    if i >= table.pointee.count { return trap(.outOfBoundsTableAccess, pc, ctx) }
    fp[o.s0] = table.pointee.elements[i]
    return next(pc + 3, fp, mem, ms, ctx)
}

/// [h][index | value << 16][table]
func h_tableSet(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let table = TableRef(bitPattern: UInt(truncatingIfNeeded: pc[2])).unsafelyUnwrapped
    let i = Int(fp.i32(o.s0))
    if i >= table.pointee.count { return trap(.outOfBoundsTableAccess, pc, ctx) }
    table.pointee.elements[i] = fp[o.s1]
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
    let old = TableStorage.grow(table, by: UInt64(fp.i32(o.s2)), initial: fp[o.s1], ctx: ctx)
    fp.setI32(o.s0, UInt32(truncatingIfNeeded: old))
    return next(pc + 3, fp, mem, ms, ctx)
}

/// [h][index | value << 16 | count << 32][table]
func h_tableFill(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let table = TableRef(bitPattern: UInt(truncatingIfNeeded: pc[2])).unsafelyUnwrapped
    let i = UInt64(fp.i32(o.s0)), n = UInt64(fp.i32(o.s2))
    if i &+ n > UInt64(table.pointee.count) { return trap(.outOfBoundsTableAccess, pc, ctx) }
    (table.pointee.elements + Int(truncatingIfNeeded: i)).update(repeating: fp[o.s1], count: Int(truncatingIfNeeded: n))
    return next(pc + 3, fp, mem, ms, ctx)
}

/// [h][dst | src << 16 | count << 32][destination table][source table]
func h_tableCopy(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let dst = TableRef(bitPattern: UInt(truncatingIfNeeded: pc[2])).unsafelyUnwrapped
    let src = TableRef(bitPattern: UInt(truncatingIfNeeded: pc[3])).unsafelyUnwrapped
    let d = UInt64(fp.i32(o.s0)), s = UInt64(fp.i32(o.s1)), n = UInt64(fp.i32(o.s2))
    if d &+ n > UInt64(dst.pointee.count) || s &+ n > UInt64(src.pointee.count) {
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
    let d = UInt64(fp.i32(o.s0)), s = UInt64(fp.i32(o.s1)), n = UInt64(fp.i32(o.s2))
    if d &+ n > UInt64(table.pointee.count) || s &+ n > UInt64(segment.pointee.count) {
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

/// Table growth (kept out of the handlers: it allocates).
enum TableStorage {
    /// Grows `table` by `delta` elements set to `initial`; returns the old size or all ones.
    @inline(never)
    static func grow(_ table: TableRef, by delta: UInt64, initial: UInt64, ctx: Ctx) -> UInt64 {
        let old = UInt64(table.pointee.count)
        let limit = Swift.min(table.pointee.type.limits.max ?? UInt64(UInt32.max),
                              UInt64(ctx.pointee.store.takeUnretainedValue().engine.configuration.maxTableElements))
        let (new, overflow) = old.addingReportingOverflow(delta)
        if overflow || new > limit { return UInt64.max }
        let newCount = Int(new)
        if newCount > table.pointee.capacity {
            let capacity = Swift.max(newCount, table.pointee.capacity * 2)
            let elements = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity)
            elements.initialize(from: table.pointee.elements, count: table.pointee.count)
            table.pointee.elements.deallocate()
            table.pointee.elements = elements
            table.pointee.capacity = capacity
        }
        (table.pointee.elements + table.pointee.count).initialize(repeating: initial, count: Int(delta))
        table.pointee.count = newCount
        return old
    }
}
