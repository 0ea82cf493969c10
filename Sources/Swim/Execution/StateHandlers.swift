/// Handlers for globals, memory management and bulk memory.

typealias GlobalRef = UnsafeMutablePointer<GlobalEntity>
typealias DataSegmentRef = UnsafeMutablePointer<DataSegmentEntity>

@inline(__always)
private func globalValue(_ word: UInt64) -> UnsafeMutablePointer<UInt64> {
    // `value` is the first field of GlobalEntity.
    UnsafeMutableRawPointer(bitPattern: UInt(word)).unsafelyUnwrapped.assumingMemoryBound(to: UInt64.self)
}

/// [h][dst][global]
func h_globalGet(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    fp[Int(truncatingIfNeeded: pc[1])] = globalValue(pc[2]).pointee
    return next(pc + 3, fp, mem, ms, ctx)
}

/// [h][src][global]
func h_globalSet(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    globalValue(pc[2]).pointee = fp[Int(truncatingIfNeeded: pc[1])]
    return next(pc + 3, fp, mem, ms, ctx)
}

/// [h][dst][global]
func h_globalGet128(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let g = globalValue(pc[2])
    let d = Int(truncatingIfNeeded: pc[1])
    fp[d] = g[0]
    fp[d + 1] = g[1]
    return next(pc + 3, fp, mem, ms, ctx)
}

/// [h][src][global]
func h_globalSet128(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let g = globalValue(pc[2])
    let s = Int(truncatingIfNeeded: pc[1])
    g[0] = fp[s]
    g[1] = fp[s + 1]
    return next(pc + 3, fp, mem, ms, ctx)
}

/// [h][dst]: memory 0's size in pages.
func h_memorySize(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    fp[Int(truncatingIfNeeded: pc[1])] = ms &>> 16
    return next(pc + 2, fp, mem, ms, ctx)
}

/// [h][dst | delta << 16][memory]
func h_memoryGrow(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let memory = MemoryRef(bitPattern: UInt(truncatingIfNeeded: pc[2])).unsafelyUnwrapped
    let old = growMemory(memory, by: UInt64(fp.i32(o.s1)), ctx)
    fp.setI32(o.s0, UInt32(truncatingIfNeeded: old))
    return next(pc + 3, fp, memory.pointee.base, memory.pointee.size, ctx)
}

/// Memory growth, kept out of the handlers: it changes protections and asks the store's accountant.
@inline(never)
func growMemory(_ memory: MemoryRef, by deltaPages: UInt64, _ ctx: Ctx) -> UInt64 {
    ctx.pointee.store.takeUnretainedValue().growMemory(memory, by: deltaPages)
}

/// [h][dst | value << 16 | count << 32]
func h_memoryFill(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let d = UInt64(fp.i32(o.s0)), n = UInt64(fp.i32(o.s2))
    if d &+ n > ms { return trap(.outOfBoundsMemoryAccess, pc, ctx) }
    (mem + Int(truncatingIfNeeded: d)).initializeMemory(as: UInt8.self, repeating: UInt8(truncatingIfNeeded: fp[o.s1]), count: Int(truncatingIfNeeded: n))
    return next(pc + 2, fp, mem, ms, ctx)
}

/// [h][dst | src << 16 | count << 32]
func h_memoryCopy(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let d = UInt64(fp.i32(o.s0)), s = UInt64(fp.i32(o.s1)), n = UInt64(fp.i32(o.s2))
    if d &+ n > ms || s &+ n > ms { return trap(.outOfBoundsMemoryAccess, pc, ctx) }
    (mem + Int(truncatingIfNeeded: d)).copyMemory(from: mem + Int(truncatingIfNeeded: s), byteCount: Int(truncatingIfNeeded: n))
    return next(pc + 2, fp, mem, ms, ctx)
}

/// [h][dst | src << 16 | count << 32][data segment]
func h_memoryInit(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let segment = DataSegmentRef(bitPattern: UInt(truncatingIfNeeded: pc[2])).unsafelyUnwrapped
    let d = UInt64(fp.i32(o.s0)), s = UInt64(fp.i32(o.s1)), n = UInt64(fp.i32(o.s2))
    if d &+ n > ms || s &+ n > UInt64(segment.pointee.count) { return trap(.outOfBoundsMemoryAccess, pc, ctx) }
    if n > 0, let bytes = segment.pointee.bytes {
        (mem + Int(truncatingIfNeeded: d)).copyMemory(from: bytes + Int(truncatingIfNeeded: s), byteCount: Int(truncatingIfNeeded: n))
    }
    return next(pc + 3, fp, mem, ms, ctx)
}

/// [h][data segment]
func h_dataDrop(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let segment = DataSegmentRef(bitPattern: UInt(truncatingIfNeeded: pc[1])).unsafelyUnwrapped
    segment.pointee.count = 0
    return next(pc + 2, fp, mem, ms, ctx)
}
