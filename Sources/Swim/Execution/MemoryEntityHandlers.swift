/// Handlers for memories other than a function's 32-bit memory 0: the other memories of a
/// module (multi-memory) and 64-bit memories (memory64).
///
/// Memory 0 of 32 bits keeps its fast path: its base and size travel in the `mem`/`ms`
/// registers and its handlers are untouched. Every other memory is reached through its entity,
/// whose address is in the instruction. A load or store on it runs as three instructions:
///
///     [h_memoryWindow][scratch | address << 16][offset][memory]
///     [the memory-0 handler of the access, its address the scratch slot, its offset 0]
///     [h_restoreMemory0][memory 0]
///
/// The window computes the effective address without wrapping (an i64 address plus a 64-bit
/// offset may overflow), checks it against the memory's size, and runs the access handler with
/// `mem` = base + address and `ms` = the bytes left from there: that handler's own bounds check
/// then checks the access's width. So every load, store, SIMD and lane access works on any
/// memory with no handler of its own. Addresses are read as whole slots: an i32 is kept
/// zero-extended in its slot, so one window serves 32-bit and 64-bit memories.

/// [h][scratch | address << 16][offset][memory]: points `mem` at the effective address and
/// sets the scratch slot to 0 (the address of the access that follows).
func h_memoryWindow(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let memory = MemoryRef(bitPattern: UInt(truncatingIfNeeded: pc[3])).unsafelyUnwrapped
    let (ea, overflow) = fp[o.s1].addingReportingOverflow(pc[2])
    let size = memory.pointee.size
    if overflow || ea > size { return trap(.outOfBoundsMemoryAccess, pc, ctx) }
    fp[o.s0] = 0
    return next(pc + 4, fp, memory.pointee.base + Int(truncatingIfNeeded: ea), size &- ea, ctx)
}

/// [h][memory 0]: puts memory 0 back in the registers after a windowed access.
func h_restoreMemory0(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let memory = MemoryRef(bitPattern: UInt(truncatingIfNeeded: pc[1])).unsafelyUnwrapped
    return next(pc + 2, fp, memory.pointee.base, memory.pointee.size, ctx)
}

/// [h][dst][memory]: the memory's size in pages.
func h_memorySizeOf(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let memory = MemoryRef(bitPattern: UInt(truncatingIfNeeded: pc[2])).unsafelyUnwrapped
    fp[Int(truncatingIfNeeded: pc[1])] = memory.pointee.size &>> 16
    return next(pc + 3, fp, mem, ms, ctx)
}

/// [h][dst | delta << 16 | is64 << 32][memory][memory 0]. The grown memory may also be memory 0
/// (a memory imported twice), so memory 0's registers are reloaded.
func h_memoryGrowOf(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let memory = MemoryRef(bitPattern: UInt(truncatingIfNeeded: pc[2])).unsafelyUnwrapped
    let memory0 = MemoryRef(bitPattern: UInt(truncatingIfNeeded: pc[3])).unsafelyUnwrapped
    let old = growMemory(memory, by: fp[o.s1], ctx)
    // -1 is all ones in the memory's address type.
    fp[o.s0] = o.hi32 != 0 ? old : UInt64(UInt32(truncatingIfNeeded: old))
    return next(pc + 4, fp, memory0.pointee.base, memory0.pointee.size, ctx)
}

/// Whether `[start, start + count)` lies within `size` bytes, without wrapping.
@inline(__always)
private func within(_ start: UInt64, _ count: UInt64, _ size: UInt64) -> Bool {
    start <= size && count <= size &- start
}

/// [h][dst | value << 16 | count << 32][memory]
func h_memoryFillOf(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let memory = MemoryRef(bitPattern: UInt(truncatingIfNeeded: pc[2])).unsafelyUnwrapped
    let d = fp[o.s0], n = fp[o.s2]
    if !within(d, n, memory.pointee.size) { return trap(.outOfBoundsMemoryAccess, pc, ctx) }
    (memory.pointee.base + Int(truncatingIfNeeded: d))
        .initializeMemory(as: UInt8.self, repeating: UInt8(truncatingIfNeeded: fp[o.s1]), count: Int(truncatingIfNeeded: n))
    return next(pc + 3, fp, mem, ms, ctx)
}

/// [h][dst | src << 16 | count << 32][destination memory][source memory]
func h_memoryCopyOf(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let target = MemoryRef(bitPattern: UInt(truncatingIfNeeded: pc[2])).unsafelyUnwrapped
    let origin = MemoryRef(bitPattern: UInt(truncatingIfNeeded: pc[3])).unsafelyUnwrapped
    let d = fp[o.s0], s = fp[o.s1], n = fp[o.s2]
    if !within(d, n, target.pointee.size) || !within(s, n, origin.pointee.size) {
        return trap(.outOfBoundsMemoryAccess, pc, ctx)
    }
    (target.pointee.base + Int(truncatingIfNeeded: d))
        .copyMemory(from: origin.pointee.base + Int(truncatingIfNeeded: s), byteCount: Int(truncatingIfNeeded: n))
    return next(pc + 4, fp, mem, ms, ctx)
}

/// [h][dst | src << 16 | count << 32][data segment][memory]
func h_memoryInitOf(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let segment = DataSegmentRef(bitPattern: UInt(truncatingIfNeeded: pc[2])).unsafelyUnwrapped
    let memory = MemoryRef(bitPattern: UInt(truncatingIfNeeded: pc[3])).unsafelyUnwrapped
    let d = fp[o.s0], s = fp[o.s1], n = fp[o.s2]
    if !within(d, n, memory.pointee.size) || !within(s, n, UInt64(segment.pointee.count)) {
        return trap(.outOfBoundsMemoryAccess, pc, ctx)
    }
    if n > 0, let bytes = segment.pointee.bytes {
        (memory.pointee.base + Int(truncatingIfNeeded: d))
            .copyMemory(from: bytes + Int(truncatingIfNeeded: s), byteCount: Int(truncatingIfNeeded: n))
    }
    return next(pc + 4, fp, mem, ms, ctx)
}
