import SwimTypes

/// Garbage collection: structs, arrays, i31 and casts (handlers in StructHandlers.swift,
/// ArrayHandlers.swift and CastHandlers.swift). A reference is one slot; the conversions between
/// `any` and `extern` are the same word, so they emit nothing.
extension Translator {
    mutating func translateGC(_ instruction: GCInstruction) {
        switch instruction {
        case .structNew(let type):
            let (first, live) = takeOperands(fields(type).count)
            let d = stack.push(reference(to: type))
            recordAllocation(liveBefore: live)
            code.emit(h_structNew, operands(d, first), UInt64(UInt(bitPattern: runtimeType(type))))
            producer = nil
        case .structNewDefault(let type):
            let live = liveReferenceSlots()
            let d = stack.push(reference(to: type))
            recordAllocation(liveBefore: live)
            emitProducer(h_structNewDefault, UInt64(d), slot: d)
            appendToProducer(UInt64(UInt(bitPattern: runtimeType(type))))
        case .structGet(let type, let field, let ext):
            let layout = fieldLayout(type, field)
            let object = readSlot(stack.pop())
            let d = stack.push(instance.storeType(fieldType(type, field).storage.unpacked))
            emitProducer(structGetHandler(size: layout.size, ext), operands(d, object) | UInt64(layout.offset) << 32, slot: d)
        case .structSet(let type, let field):
            let layout = fieldLayout(type, field)
            let value = readSlot(stack.pop())
            let object = readSlot(stack.pop())
            code.emit(structSetHandler(size: layout.size), operands(object, value) | UInt64(layout.offset) << 32)
        case .arrayNew(let type):
            let live = liveReferenceSlots()
            let length = readSlot(stack.pop())
            let value = readSlot(stack.pop())
            let d = stack.push(reference(to: type))
            recordAllocation(liveBefore: live)
            code.emit(h_arrayNew, operands(d, value, length), UInt64(UInt(bitPattern: runtimeType(type))))
            producer = nil
        case .arrayNewDefault(let type):
            let live = liveReferenceSlots()
            let length = readSlot(stack.pop())
            let d = stack.push(reference(to: type))
            recordAllocation(liveBefore: live)
            emitProducer(h_arrayNewDefault, operands(d, length), slot: d)
            appendToProducer(UInt64(UInt(bitPattern: runtimeType(type))))
        case .arrayNewFixed(let type, let count):
            let (first, live) = takeOperands(Int(count))
            let d = stack.push(reference(to: type))
            recordAllocation(liveBefore: live)
            code.emit(h_arrayNewFixed, operands(d, first) | UInt64(count) << 32,
                      UInt64(UInt(bitPattern: runtimeType(type))))
            producer = nil
        case .arrayNewData(let type, let data):
            let live = liveReferenceSlots()
            let length = readSlot(stack.pop())
            let offset = readSlot(stack.pop())
            let d = stack.push(reference(to: type))
            recordAllocation(liveBefore: live)
            code.emit(h_arrayNewData, operands(d, offset, length), UInt64(UInt(bitPattern: runtimeType(type))))
            code.append(pointer: instance.dataSegments[Int(data)])
            producer = nil
        case .arrayNewElem(let type, let segment):
            let live = liveReferenceSlots()
            let length = readSlot(stack.pop())
            let offset = readSlot(stack.pop())
            let d = stack.push(reference(to: type))
            recordAllocation(liveBefore: live)
            code.emit(h_arrayNewElem, operands(d, offset, length), UInt64(UInt(bitPattern: runtimeType(type))))
            code.append(pointer: instance.elementSegments[Int(segment)])
            producer = nil
        case .arrayGet(let type, let ext):
            let element = arrayElement(type)
            let index = readSlot(stack.pop())
            let array = readSlot(stack.pop())
            let d = stack.push(instance.storeType(element.storage.unpacked))
            emitProducer(arrayGetHandler(size: element.storage.byteSize, ext), operands(d, array, index), slot: d)
        case .arraySet(let type):
            let value = readSlot(stack.pop())
            let index = readSlot(stack.pop())
            let array = readSlot(stack.pop())
            code.emit(arraySetHandler(size: arrayElement(type).storage.byteSize), operands(array, index, value))
        case .arrayLen:
            unary(h_arrayLen, result: .i32)
        case .arrayFill:
            let count = readSlot(stack.pop())
            let value = readSlot(stack.pop())
            let offset = readSlot(stack.pop())
            let array = readSlot(stack.pop())
            code.emit(h_arrayFill, operands(array, offset, value, count))
        case .arrayCopy:
            let count = readSlot(stack.pop())
            let sourceOffset = readSlot(stack.pop())
            let source = readSlot(stack.pop())
            let offset = readSlot(stack.pop())
            let destination = readSlot(stack.pop())
            code.emit(h_arrayCopy, operands(destination, offset, source, sourceOffset), UInt64(count))
        case .arrayInitData(_, let data):
            let (array, offsets) = popArrayInitOperands()
            code.emit(h_arrayInitData, operands(array, offsets.0, offsets.1, offsets.2))
            code.append(pointer: instance.dataSegments[Int(data)])
        case .arrayInitElem(_, let segment):
            let (array, offsets) = popArrayInitOperands()
            code.emit(h_arrayInitElem, operands(array, offsets.0, offsets.1, offsets.2))
            code.append(pointer: instance.elementSegments[Int(segment)])
        case .refTest(let target):
            let (test, word) = castTest(target)
            let r = readSlot(stack.pop())
            let d = stack.push(.i32)
            emitProducer(h_refTest, operands(d, r) | UInt64(test) << 32, slot: d)
            appendToProducer(word)
        case .refCast(let target):
            let (test, word) = castTest(target)
            let r = readSlot(stack.pop())
            let d = stack.push(.ref(instance.storeType(target)))
            emitProducer(h_refCast, operands(d, r) | UInt64(test) << 32, slot: d)
            appendToProducer(word)
        case .brOnCast(let label, let from, let to):
            let (test, word) = castTest(to)
            branchOnReference(depth: Int(label), .cast(test: test, target: word, succeeds: true),
                              continuing: instance.storeType(RefType(nullable: from.nullable && !to.nullable,
                                                                     heapType: from.heapType)))
        case .brOnCastFail(let label, let from, let to):
            let (test, word) = castTest(to)
            branchOnReference(depth: Int(label), .cast(test: test, target: word, succeeds: false),
                              continuing: instance.storeType(to))
        case .anyConvertExtern, .externConvertAny:
            let entry = stack.pop()
            let heap: HeapType = instruction == .anyConvertExtern ? .any : .extern
            stack.push(.ref(RefType(nullable: true, heapType: heap)), entry.source)
            producer = nil
        case .refI31:
            unary(h_refI31, result: .ref(RefType(nullable: false, heapType: .i31)))
        case .i31Get(let ext):
            unary(ext == .signed ? h_i31GetS : h_i31GetU, result: .i32)
        case .refEq:
            // Equal references are equal words: i31s by value, objects by address, null is 0.
            numeric(.i64Eq)
        }
    }

    // MARK: Operands

    /// Puts the top `count` entries in their canonical slots and pops them; returns the first
    /// slot, and the slots of the references live before the pop (for the safepoint).
    private mutating func takeOperands(_ count: Int) -> (Int, [UInt16]) {
        let first = stack.count - count
        for i in first..<stack.count { materialize(i) }
        let live = liveReferenceSlots()
        let slot = stack.slot(atHeight: first)
        stack.truncate(to: first)
        return (slot, live)
    }

    /// [array offset source-offset count] of `array.init_data` and `array.init_elem`.
    private mutating func popArrayInitOperands() -> (Int, (Int, Int, Int)) {
        let count = readSlot(stack.pop())
        let source = readSlot(stack.pop())
        let offset = readSlot(stack.pop())
        let array = readSlot(stack.pop())
        return (array, (offset, source, count))
    }

    private mutating func appendToProducer(_ word: UInt64) {
        code.append(word)
        producer?.end = code.position
    }

    // MARK: Types

    private func runtimeType(_ type: UInt32) -> RuntimeTypeRef {
        instance.store.runtimeType(instance.typeIDs[Int(type)])
    }

    /// `(ref type)`, with the store's type id.
    private func reference(to type: UInt32) -> ValueType {
        .ref(RefType(nullable: false, heapType: .index(instance.typeIDs[Int(type)])))
    }

    private func fields(_ type: UInt32) -> [FieldType] {
        if case .struct(let fields) = module.types[Int(type)].composite { return fields }
        return []
    }

    private func fieldType(_ type: UInt32, _ field: UInt32) -> FieldType {
        fields(type)[Int(field)]
    }

    private func fieldLayout(_ type: UInt32, _ field: UInt32) -> FieldLayout {
        let rtt = runtimeType(type)
        return rtt.pointee.fields.unsafelyUnwrapped[Int(field)]
    }

    private func arrayElement(_ type: UInt32) -> FieldType {
        if case .array(let element) = module.types[Int(type)].composite { return element }
        return FieldType(.i8)
    }

    /// The test immediate and target word of a cast to `target` (see `CastTest`).
    private func castTest(_ target: RefType) -> (UInt32, UInt64) {
        let test: CastTest
        var word: UInt64 = 0
        switch target.heapType {
        case .any, .func, .extern, .exn: test = .top
        case .none, .nofunc, .noextern, .noexn: test = .bottom
        case .eq: test = .eq
        case .i31: test = .i31
        case .struct: test = .struct
        case .array: test = .array
        case .index(let type):
            let rtt = runtimeType(type)
            word = UInt64(UInt(bitPattern: rtt))
            test = rtt.pointee.kind == .function ? .definedFunction : .definedObject
        }
        return (CastTest.immediate(test, nullable: target.nullable), word)
    }

    // MARK: Handlers

    private func structGetHandler(size: Int, _ ext: PackedExtension) -> Handler {
        switch (size, ext) {
        case (1, .signed): return h_structGet8S
        case (1, _): return h_structGet8U
        case (2, .signed): return h_structGet16S
        case (2, _): return h_structGet16U
        case (4, _): return h_structGet32
        case (8, _): return h_structGet64
        default: return h_structGet128
        }
    }

    private func structSetHandler(size: Int) -> Handler {
        switch size {
        case 1: return h_structSet8
        case 2: return h_structSet16
        case 4: return h_structSet32
        case 8: return h_structSet64
        default: return h_structSet128
        }
    }

    private func arrayGetHandler(size: Int, _ ext: PackedExtension) -> Handler {
        switch (size, ext) {
        case (1, .signed): return h_arrayGet8S
        case (1, _): return h_arrayGet8U
        case (2, .signed): return h_arrayGet16S
        case (2, _): return h_arrayGet16U
        case (4, _): return h_arrayGet32
        case (8, _): return h_arrayGet64
        default: return h_arrayGet128
        }
    }

    private func arraySetHandler(size: Int) -> Handler {
        switch size {
        case 1: return h_arraySet8
        case 2: return h_arraySet16
        case 4: return h_arraySet32
        case 8: return h_arraySet64
        default: return h_arraySet128
        }
    }
}
