/// Arrays (GC): allocation, element reads and writes, and the bulk operations. The length is
/// in the object's header and elements follow it (see `ObjectLayout`); the bulk operations
/// take the element size from the array's runtime type.

/// Allocation, out of line (see `allocateStruct`).
@inline(never)
func allocateArray(_ type: RuntimeTypeRef, length: UInt32, _ pc: Pc, _ fp: Fp, _ ctx: Ctx) -> UnsafeMutableRawPointer? {
    let store = ctx.pointee.store.takeUnretainedValue()
    let size = ObjectLayout.arrayElementsOffset &+ Int(length) &* type.pointee.elementSize
    store.collectIfDue(adding: size, at: pc, fp)
    if let array = store.allocateArray(type, length: length) { return array }
    store.collectGarbage(runningAt: pc, fp)
    return store.allocateArray(type, length: length)
}

/// Stores `count` copies of the element in `slots` (two for a v128) from `elements`.
@inline(__always)
func fillElements(_ elements: UnsafeMutableRawPointer, size: Int, count: Int, value slots: Fp) {
    let value = slots[0]
    var i = 0
    switch size {
    case 1:
        elements.initializeMemory(as: UInt8.self, repeating: UInt8(truncatingIfNeeded: value), count: count)
    case 2:
        while i < count {
            elements.storeBytes(of: UInt16(truncatingIfNeeded: value), toByteOffset: 2 * i, as: UInt16.self)
            i += 1
        }
    case 4:
        while i < count {
            elements.storeBytes(of: UInt32(truncatingIfNeeded: value), toByteOffset: 4 * i, as: UInt32.self)
            i += 1
        }
    case 8:
        while i < count {
            elements.storeBytes(of: value, toByteOffset: 8 * i, as: UInt64.self)
            i += 1
        }
    default:
        let high = slots[1]
        while i < count {
            elements.storeBytes(of: value, toByteOffset: 16 * i, as: UInt64.self)
            elements.storeBytes(of: high, toByteOffset: 16 * i + 8, as: UInt64.self)
            i += 1
        }
    }
}

/// [h][dst | value << 16 | length << 32][type]
func h_arrayNew(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let type = runtimeType(pc[2])
    let length = fp.i32(o.s2)
    guard let array = allocateArray(type, length: length, pc, fp, ctx) else { return trap(.outOfMemory, pc, ctx) }
    fillElements(array.arrayElements, size: type.pointee.elementSize, count: Int(length), value: fp + o.s1)
    fp[o.s0] = objectReference(array)
    return next(pc + 3, fp, mem, ms, ctx)
}

/// [h][dst | length << 16][type]: every element zero (its default).
func h_arrayNewDefault(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    guard let array = allocateArray(runtimeType(pc[2]), length: fp.i32(o.s1), pc, fp, ctx) else {
        return trap(.outOfMemory, pc, ctx)
    }
    fp[o.s0] = objectReference(array)
    return next(pc + 3, fp, mem, ms, ctx)
}

/// [h][dst | first operand << 16 | count << 32][type]: the elements are consecutive operands.
func h_arrayNewFixed(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let type = runtimeType(pc[2])
    let count = Int(o.hi32)
    guard let array = allocateArray(type, length: o.hi32, pc, fp, ctx) else { return trap(.outOfMemory, pc, ctx) }
    let size = type.pointee.elementSize
    let stride = size == 16 ? 2 : 1
    let operands = fp + o.s1
    let elements = array.arrayElements
    var i = 0
    while i < count {
        fillElements(elements + size * i, size: size, count: 1, value: operands + stride * i)
        i += 1
    }
    fp[o.s0] = objectReference(array)
    return next(pc + 3, fp, mem, ms, ctx)
}

/// [h][dst | source offset << 16 | length << 32][type][data segment]: the elements' bytes, in
/// little-endian order, from a data segment.
func h_arrayNewData(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let type = runtimeType(pc[2])
    let segment = DataSegmentRef(bitPattern: UInt(truncatingIfNeeded: pc[3])).unsafelyUnwrapped
    let offset = UInt64(fp.i32(o.s1)), length = fp.i32(o.s2)
    let bytes = UInt64(length) * UInt64(type.pointee.elementSize)
    if offset + bytes > UInt64(segment.pointee.count) { return trap(.outOfBoundsMemoryAccess, pc, ctx) }
    guard let array = allocateArray(type, length: length, pc, fp, ctx) else { return trap(.outOfMemory, pc, ctx) }
    if bytes > 0, let source = segment.pointee.bytes {
        array.arrayElements.copyMemory(from: source + Int(offset), byteCount: Int(bytes))
    }
    fp[o.s0] = objectReference(array)
    return next(pc + 4, fp, mem, ms, ctx)
}

/// [h][dst | source offset << 16 | length << 32][type][element segment]
func h_arrayNewElem(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let type = runtimeType(pc[2])
    let segment = ElementSegmentRef(bitPattern: UInt(truncatingIfNeeded: pc[3])).unsafelyUnwrapped
    let offset = UInt64(fp.i32(o.s1)), length = fp.i32(o.s2)
    if offset + UInt64(length) > UInt64(segment.pointee.count) { return trap(.outOfBoundsTableAccess, pc, ctx) }
    guard let array = allocateArray(type, length: length, pc, fp, ctx) else { return trap(.outOfMemory, pc, ctx) }
    if length > 0, let source = segment.pointee.elements {
        array.arrayElements.copyMemory(from: source + Int(offset), byteCount: 8 * Int(length))
    }
    fp[o.s0] = objectReference(array)
    return next(pc + 4, fp, mem, ms, ctx)
}

// MARK: array.get: [h][dst | array << 16 | index << 32]

/// The array `r` and whether `index` is inside it; a trap reason for null or out of bounds.
@inline(__always)
func checkedElement(_ r: UInt64, _ index: UInt32) -> TrapReason {
    if r == 0 { return .nullArrayReference }
    if index >= r.object.arrayLength { return .outOfBoundsArrayAccess }
    return .none
}

func h_arrayGet8S(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let r = fp[o.s1], i = fp.i32(o.s2)
    let check = checkedElement(r, i)
    if check != .none { return trap(check, pc, ctx) }
    fp.setI32(o.s0, UInt32(bitPattern: Int32(r.object.arrayElements.load(fromByteOffset: Int(i), as: Int8.self))))
    return next(pc + 2, fp, mem, ms, ctx)
}

func h_arrayGet8U(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let r = fp[o.s1], i = fp.i32(o.s2)
    let check = checkedElement(r, i)
    if check != .none { return trap(check, pc, ctx) }
    fp.setI32(o.s0, UInt32(r.object.arrayElements.load(fromByteOffset: Int(i), as: UInt8.self)))
    return next(pc + 2, fp, mem, ms, ctx)
}

func h_arrayGet16S(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let r = fp[o.s1], i = fp.i32(o.s2)
    let check = checkedElement(r, i)
    if check != .none { return trap(check, pc, ctx) }
    fp.setI32(o.s0, UInt32(bitPattern: Int32(r.object.arrayElements.load(fromByteOffset: 2 * Int(i), as: Int16.self))))
    return next(pc + 2, fp, mem, ms, ctx)
}

func h_arrayGet16U(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let r = fp[o.s1], i = fp.i32(o.s2)
    let check = checkedElement(r, i)
    if check != .none { return trap(check, pc, ctx) }
    fp.setI32(o.s0, UInt32(r.object.arrayElements.load(fromByteOffset: 2 * Int(i), as: UInt16.self)))
    return next(pc + 2, fp, mem, ms, ctx)
}

func h_arrayGet32(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let r = fp[o.s1], i = fp.i32(o.s2)
    let check = checkedElement(r, i)
    if check != .none { return trap(check, pc, ctx) }
    fp.setI32(o.s0, r.object.arrayElements.load(fromByteOffset: 4 * Int(i), as: UInt32.self))
    return next(pc + 2, fp, mem, ms, ctx)
}

func h_arrayGet64(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let r = fp[o.s1], i = fp.i32(o.s2)
    let check = checkedElement(r, i)
    if check != .none { return trap(check, pc, ctx) }
    fp[o.s0] = r.object.arrayElements.load(fromByteOffset: 8 * Int(i), as: UInt64.self)
    return next(pc + 2, fp, mem, ms, ctx)
}

func h_arrayGet128(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let r = fp[o.s1], i = fp.i32(o.s2)
    let check = checkedElement(r, i)
    if check != .none { return trap(check, pc, ctx) }
    let element = r.object.arrayElements + 16 * Int(i)
    let low = element.load(as: UInt64.self)
    fp[o.s0 + 1] = element.load(fromByteOffset: 8, as: UInt64.self)
    fp[o.s0] = low
    return next(pc + 2, fp, mem, ms, ctx)
}

// MARK: array.set: [h][array | index << 16 | value << 32]

func h_arraySet8(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let r = fp[o.s0], i = fp.i32(o.s1)
    let check = checkedElement(r, i)
    if check != .none { return trap(check, pc, ctx) }
    r.object.arrayElements.storeBytes(of: UInt8(truncatingIfNeeded: fp[o.s2]), toByteOffset: Int(i), as: UInt8.self)
    return next(pc + 2, fp, mem, ms, ctx)
}

func h_arraySet16(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let r = fp[o.s0], i = fp.i32(o.s1)
    let check = checkedElement(r, i)
    if check != .none { return trap(check, pc, ctx) }
    r.object.arrayElements.storeBytes(of: UInt16(truncatingIfNeeded: fp[o.s2]), toByteOffset: 2 * Int(i), as: UInt16.self)
    return next(pc + 2, fp, mem, ms, ctx)
}

func h_arraySet32(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let r = fp[o.s0], i = fp.i32(o.s1)
    let check = checkedElement(r, i)
    if check != .none { return trap(check, pc, ctx) }
    r.object.arrayElements.storeBytes(of: UInt32(truncatingIfNeeded: fp[o.s2]), toByteOffset: 4 * Int(i), as: UInt32.self)
    return next(pc + 2, fp, mem, ms, ctx)
}

func h_arraySet64(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let r = fp[o.s0], i = fp.i32(o.s1)
    let check = checkedElement(r, i)
    if check != .none { return trap(check, pc, ctx) }
    r.object.arrayElements.storeBytes(of: fp[o.s2], toByteOffset: 8 * Int(i), as: UInt64.self)
    return next(pc + 2, fp, mem, ms, ctx)
}

func h_arraySet128(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let r = fp[o.s0], i = fp.i32(o.s1)
    let check = checkedElement(r, i)
    if check != .none { return trap(check, pc, ctx) }
    let element = r.object.arrayElements + 16 * Int(i)
    element.storeBytes(of: fp[o.s2], as: UInt64.self)
    element.storeBytes(of: fp[o.s2 + 1], toByteOffset: 8, as: UInt64.self)
    return next(pc + 2, fp, mem, ms, ctx)
}

// MARK: Length and bulk operations

/// [h][dst | array << 16]
func h_arrayLen(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let r = fp[o.s1]
    if r == 0 { return trap(.nullArrayReference, pc, ctx) }
    fp.setI32(o.s0, r.object.arrayLength)
    return next(pc + 2, fp, mem, ms, ctx)
}

/// Whether `offset..<offset + count` lies inside an array of `length` elements.
@inline(__always)
func inBounds(_ offset: UInt32, _ count: UInt32, _ length: UInt32) -> Bool {
    UInt64(offset) + UInt64(count) <= UInt64(length)
}

/// [h][array | offset << 16 | value << 32 | count << 48]
func h_arrayFill(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let r = fp[o.s0]
    if r == 0 { return trap(.nullArrayReference, pc, ctx) }
    let offset = fp.i32(o.s1), count = fp.i32(o.s3)
    if !inBounds(offset, count, r.object.arrayLength) { return trap(.outOfBoundsArrayAccess, pc, ctx) }
    let size = r.object.runtimeType.pointee.elementSize
    fillElements(r.object.arrayElements + size * Int(offset), size: size, count: Int(count), value: fp + o.s2)
    return next(pc + 2, fp, mem, ms, ctx)
}

/// [h][destination | destination offset << 16 | source << 32 | source offset << 48][count slot]:
/// overlapping ranges of one array copy as if through a buffer.
func h_arrayCopy(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let d = fp[o.s0], s = fp[o.s2]
    if d == 0 || s == 0 { return trap(.nullArrayReference, pc, ctx) }
    let dOffset = fp.i32(o.s1), sOffset = fp.i32(o.s3), count = fp.i32(Int(truncatingIfNeeded: pc[2]))
    if !inBounds(dOffset, count, d.object.arrayLength) || !inBounds(sOffset, count, s.object.arrayLength) {
        return trap(.outOfBoundsArrayAccess, pc, ctx)
    }
    let size = d.object.runtimeType.pointee.elementSize
    (d.object.arrayElements + size * Int(dOffset))
        .copyMemory(from: s.object.arrayElements + size * Int(sOffset), byteCount: size * Int(count))
    return next(pc + 3, fp, mem, ms, ctx)
}

/// [h][array | offset << 16 | source offset << 32 | count << 48][data segment]
func h_arrayInitData(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let r = fp[o.s0]
    if r == 0 { return trap(.nullArrayReference, pc, ctx) }
    let segment = DataSegmentRef(bitPattern: UInt(truncatingIfNeeded: pc[2])).unsafelyUnwrapped
    let offset = fp.i32(o.s1), source = UInt64(fp.i32(o.s2)), count = fp.i32(o.s3)
    if !inBounds(offset, count, r.object.arrayLength) { return trap(.outOfBoundsArrayAccess, pc, ctx) }
    let size = r.object.runtimeType.pointee.elementSize
    let bytes = UInt64(count) * UInt64(size)
    if source + bytes > UInt64(segment.pointee.count) { return trap(.outOfBoundsMemoryAccess, pc, ctx) }
    if bytes > 0, let data = segment.pointee.bytes {
        (r.object.arrayElements + size * Int(offset)).copyMemory(from: data + Int(source), byteCount: Int(bytes))
    }
    return next(pc + 3, fp, mem, ms, ctx)
}

/// [h][array | offset << 16 | source offset << 32 | count << 48][element segment]
func h_arrayInitElem(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    let o = Operands(pc)
    let r = fp[o.s0]
    if r == 0 { return trap(.nullArrayReference, pc, ctx) }
    let segment = ElementSegmentRef(bitPattern: UInt(truncatingIfNeeded: pc[2])).unsafelyUnwrapped
    let offset = fp.i32(o.s1), source = UInt64(fp.i32(o.s2)), count = fp.i32(o.s3)
    if !inBounds(offset, count, r.object.arrayLength) { return trap(.outOfBoundsArrayAccess, pc, ctx) }
    if source + UInt64(count) > UInt64(segment.pointee.count) { return trap(.outOfBoundsTableAccess, pc, ctx) }
    if count > 0, let elements = segment.pointee.elements {
        (r.object.arrayElements + 8 * Int(offset)).copyMemory(from: elements + Int(source), byteCount: 8 * Int(count))
    }
    return next(pc + 3, fp, mem, ms, ctx)
}
