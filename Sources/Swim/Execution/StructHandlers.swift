/// Structs (GC): allocation, field reads and writes. A reference is the object's address
/// (see `ObjectLayout`); validation proves its type, so only null is checked. Fields are at
/// byte offsets the translator computed from the type's layout.

/// Allocation, out of line: it may make the store collect garbage (from the roots of the
/// frame at `fp`, stopped at `pc`): when due, and when the memory limit refuses the object.
/// Nil when the object does not fit even then.
@inline(never)
func allocateStruct(_ type: RuntimeTypeRef, _ pc: Pc, _ fp: Fp, _ ctx: Ctx) -> UnsafeMutableRawPointer? {
    let store = ctx.pointee.store.takeUnretainedValue()
    store.collectIfDue(adding: type.pointee.size, at: pc, fp)
    if let object = store.allocateStruct(type) { return object }
    store.collectGarbage(runningAt: pc, fp)
    return store.allocateStruct(type)
}

/// Stores the value in `slots[field.slot]` into `object`'s field.
@inline(__always)
func storeField(_ object: UnsafeMutableRawPointer, _ field: FieldLayout, from slots: Fp) {
    let value = slots[field.slot]
    switch field.size {
    case 1: object.storeBytes(of: UInt8(truncatingIfNeeded: value), toByteOffset: field.offset, as: UInt8.self)
    case 2: object.storeBytes(of: UInt16(truncatingIfNeeded: value), toByteOffset: field.offset, as: UInt16.self)
    case 4: object.storeBytes(of: UInt32(truncatingIfNeeded: value), toByteOffset: field.offset, as: UInt32.self)
    case 8: object.storeBytes(of: value, toByteOffset: field.offset, as: UInt64.self)
    default:
        object.storeBytes(of: value, toByteOffset: field.offset, as: UInt64.self)
        object.storeBytes(of: slots[field.slot + 1], toByteOffset: field.offset + 8, as: UInt64.self)
    }
}

@inline(__always)
func runtimeType(_ word: UInt64) -> RuntimeTypeRef {
    RuntimeTypeRef(bitPattern: UInt(truncatingIfNeeded: word)).unsafelyUnwrapped
}

@inline(__always)
func objectReference(_ object: UnsafeMutableRawPointer) -> UInt64 {
    UInt64(UInt(bitPattern: object))
}

/// [h][dst | first field's operand << 16][type]
func h_structNew(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let type = runtimeType(pc[2])
    guard let object = allocateStruct(type, pc, fp, ctx) else { return trap(.outOfMemory, pc, ctx) }
    if let fields = type.pointee.fields {
        let operands = fp + o.s1
        var i = 0
        while i < type.pointee.fieldCount {
            storeField(object, fields[i], from: operands)
            i += 1
        }
    }
    fp[o.s0] = objectReference(object)
    return next(pc + 3, fp, mem, ms, ctx)
}

/// [h][dst][type]: every field zero (its default: 0, +0.0 or null).
func h_structNewDefault(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    guard let object = allocateStruct(runtimeType(pc[2]), pc, fp, ctx) else { return trap(.outOfMemory, pc, ctx) }
    fp[Int(truncatingIfNeeded: pc[1])] = objectReference(object)
    return next(pc + 3, fp, mem, ms, ctx)
}

// MARK: struct.get: [h][dst | struct << 16 | field offset << 32]

func h_structGet8S(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let r = fp[o.s1]
    if r == 0 { return trap(.nullStructureReference, pc, ctx) }
    fp.setI32(o.s0, UInt32(bitPattern: Int32(r.object.load(fromByteOffset: Int(o.hi32), as: Int8.self))))
    return next(pc + 2, fp, mem, ms, ctx)
}

func h_structGet8U(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let r = fp[o.s1]
    if r == 0 { return trap(.nullStructureReference, pc, ctx) }
    fp.setI32(o.s0, UInt32(r.object.load(fromByteOffset: Int(o.hi32), as: UInt8.self)))
    return next(pc + 2, fp, mem, ms, ctx)
}

func h_structGet16S(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let r = fp[o.s1]
    if r == 0 { return trap(.nullStructureReference, pc, ctx) }
    fp.setI32(o.s0, UInt32(bitPattern: Int32(r.object.load(fromByteOffset: Int(o.hi32), as: Int16.self))))
    return next(pc + 2, fp, mem, ms, ctx)
}

func h_structGet16U(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let r = fp[o.s1]
    if r == 0 { return trap(.nullStructureReference, pc, ctx) }
    fp.setI32(o.s0, UInt32(r.object.load(fromByteOffset: Int(o.hi32), as: UInt16.self)))
    return next(pc + 2, fp, mem, ms, ctx)
}

func h_structGet32(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let r = fp[o.s1]
    if r == 0 { return trap(.nullStructureReference, pc, ctx) }
    fp.setI32(o.s0, r.object.load(fromByteOffset: Int(o.hi32), as: UInt32.self))
    return next(pc + 2, fp, mem, ms, ctx)
}

func h_structGet64(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let r = fp[o.s1]
    if r == 0 { return trap(.nullStructureReference, pc, ctx) }
    fp[o.s0] = r.object.load(fromByteOffset: Int(o.hi32), as: UInt64.self)
    return next(pc + 2, fp, mem, ms, ctx)
}

func h_structGet128(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let r = fp[o.s1]
    if r == 0 { return trap(.nullStructureReference, pc, ctx) }
    let offset = Int(o.hi32)
    let low = r.object.load(fromByteOffset: offset, as: UInt64.self)
    fp[o.s0 + 1] = r.object.load(fromByteOffset: offset + 8, as: UInt64.self)
    fp[o.s0] = low
    return next(pc + 2, fp, mem, ms, ctx)
}

// MARK: struct.set: [h][struct | value << 16 | field offset << 32]

func h_structSet8(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let r = fp[o.s0]
    if r == 0 { return trap(.nullStructureReference, pc, ctx) }
    r.object.storeBytes(of: UInt8(truncatingIfNeeded: fp[o.s1]), toByteOffset: Int(o.hi32), as: UInt8.self)
    return next(pc + 2, fp, mem, ms, ctx)
}

func h_structSet16(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let r = fp[o.s0]
    if r == 0 { return trap(.nullStructureReference, pc, ctx) }
    r.object.storeBytes(of: UInt16(truncatingIfNeeded: fp[o.s1]), toByteOffset: Int(o.hi32), as: UInt16.self)
    return next(pc + 2, fp, mem, ms, ctx)
}

func h_structSet32(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let r = fp[o.s0]
    if r == 0 { return trap(.nullStructureReference, pc, ctx) }
    r.object.storeBytes(of: UInt32(truncatingIfNeeded: fp[o.s1]), toByteOffset: Int(o.hi32), as: UInt32.self)
    return next(pc + 2, fp, mem, ms, ctx)
}

func h_structSet64(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let r = fp[o.s0]
    if r == 0 { return trap(.nullStructureReference, pc, ctx) }
    r.object.storeBytes(of: fp[o.s1], toByteOffset: Int(o.hi32), as: UInt64.self)
    return next(pc + 2, fp, mem, ms, ctx)
}

func h_structSet128(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let r = fp[o.s0]
    if r == 0 { return trap(.nullStructureReference, pc, ctx) }
    let offset = Int(o.hi32)
    r.object.storeBytes(of: fp[o.s1], toByteOffset: offset, as: UInt64.self)
    r.object.storeBytes(of: fp[o.s1 + 1], toByteOffset: offset + 8, as: UInt64.self)
    return next(pc + 2, fp, mem, ms, ctx)
}
