import SwimTypes

/// The spec's module instantiation.
extension StoreStorage {
    func instantiate(_ module: Module, imports: [ExternalEntity]) throws -> InstanceStorage {
        let parsed = module.parsed
        let instance = InstanceStorage(module: module, store: self)
        instance.typeIDs = internTypes(parsed.types)
        try bindImports(parsed, imports, into: instance)

        for type in parsed.memories {
            guard let memory = createMemory(type: type) else {
                throw InstantiationError("cannot allocate a memory of \(type.limits.min) pages (the limit is "
                    + "\(engine.configuration.maxMemoryPages) pages a memory, and \(accountant.available) bytes "
                    + "left of the store's memory limit)")
            }
            instance.memories.append(memory)
        }
        // Tags are named for errors by their export name, else by their index.
        for typeIndex in parsed.tags {
            let index = UInt32(instance.tags.count)
            let exportName = parsed.exports.first { $0.descriptor == .tag(index) }?.name
            let name = exportName.map { "\"\($0)\"" } ?? String(index)
            instance.tags.append(allocateTag(type: parsed.types[Int(typeIndex)], name: name))
        }
        // Functions exist before anything that may reference them (globals, tables, elements).
        for (i, typeIndex) in parsed.functions.enumerated() {
            let size = module.frameSizes[i]
            let function = allocateFunction(FunctionEntity(
                code: UnsafePointer(haltCode), headerSlot: size.headerSlot, frameSlots: size.frameSlots,
                memory: instance.memory0, typeID: instance.typeIDs[Int(typeIndex)],
                kind: .wasm(definedIndex: i), instance: Unmanaged.passUnretained(instance)))
            function.pointee.stub = (handlerWord(h_translate), UInt64(UInt(bitPattern: function)))
            function.pointee.code = stubCode(of: function)
            instance.functions.append(function)
        }
        for global in parsed.globals {
            let value = try evaluate(global.initializer, in: instance)
            let type = GlobalType(mutability: global.type.mutability, valueType: instance.storeType(global.type.valueType))
            instance.globals.append(allocateGlobal(type: type, value: value))
        }
        for table in parsed.tables {
            let initial = try table.initializer.map { try evaluate($0, in: instance).0 } ?? 0
            let type = TableType(elementType: instance.storeType(table.type.elementType), limits: table.type.limits)
            guard let entity = allocateTable(type: type, initial: initial) else {
                throw InstantiationError("cannot allocate a table of \(table.type.limits.min) elements (the limit is "
                    + "\(engine.configuration.maxTableElements) elements a table, and \(accountant.available) bytes "
                    + "left of the store's memory limit)")
            }
            instance.tables.append(entity)
        }
        for export in parsed.exports {
            let i: Int
            let entity: ExternalEntity
            switch export.descriptor {
            case .function(let x): i = Int(x); entity = .function(instance.functions[i])
            case .table(let x): i = Int(x); entity = .table(instance.tables[i])
            case .memory(let x): i = Int(x); entity = .memory(instance.memories[i])
            case .global(let x): i = Int(x); entity = .global(instance.globals[i])
            case .tag(let x): i = Int(x); entity = .tag(instance.tags[i])
            }
            instance.exports[ExactName(export.name)] = entity
        }
        instances.append(instance)

        for segment in parsed.elements {
            var values: [UInt64] = []
            values.reserveCapacity(segment.count)
            switch segment.items {
            case .functions(let indices):
                for f in indices { values.append(UInt64(UInt(bitPattern: instance.functions[Int(f)]))) }
            case .expressions(let expressions):
                for e in expressions { values.append(try evaluate(e, in: instance).0) }
            }
            instance.elementSegments.append(allocateElementSegment(values))
        }
        for segment in parsed.data {
            if case .passive = segment.mode {
                instance.dataSegments.append(copyDataSegment(parsed.bytes[segment.range]))
            } else {
                instance.dataSegments.append(allocateDataSegment(bytes: nil, count: 0))
            }
        }

        // Active segments are applied in order; the first out of bounds traps, earlier writes stay.
        for (i, segment) in parsed.elements.enumerated() {
            switch segment.mode {
            case .active(let tableIndex, let offsetExpression):
                let table = instance.tables[Int(tableIndex)]
                let offset = address(try evaluate(offsetExpression, in: instance).0, is64: table.pointee.type.limits.is64)
                let source = instance.elementSegments[i]
                let n = UInt64(source.pointee.count)
                let count = UInt64(table.pointee.count)
                guard offset <= count && n <= count - offset else { throw Trap(.outOfBoundsTableAccess) }
                if n > 0, let elements = source.pointee.elements {
                    (table.pointee.elements + Int(offset)).update(from: elements, count: Int(n))
                }
                source.pointee.count = 0
            case .declarative:
                instance.elementSegments[i].pointee.count = 0
            case .passive:
                break
            }
        }
        for segment in parsed.data {
            guard case .active(let memoryIndex, let offsetExpression) = segment.mode else { continue }
            let memory = instance.memories[Int(memoryIndex)]
            let offset = address(try evaluate(offsetExpression, in: instance).0, is64: memory.pointee.type.limits.is64)
            let n = UInt64(segment.range.count)
            let size = memory.pointee.size
            guard offset <= size && n <= size - offset else { throw Trap(.outOfBoundsMemoryAccess) }
            parsed.bytes.withUnsafeBufferPointer { bytes in
                if n > 0, let base = bytes.baseAddress {
                    (memory.pointee.base + Int(offset)).copyMemory(from: base + segment.range.lowerBound, byteCount: Int(n))
                }
            }
        }

        if let start = parsed.start {
            _ = try invoke(instance.functions[Int(start)], arguments: [])
        }
        return instance
    }

    private func bindImports(_ parsed: SwimTypes.DecodedModule, _ imports: [ExternalEntity], into instance: InstanceStorage) throws {
        for (i, entity) in zip(parsed.imports, imports) {
            let incompatible = InstantiationError("incompatible import type: \(i.module).\(i.name)")
            switch (i.descriptor, entity) {
            case (.function(let t), .function(let f)):
                guard instance.typeIDs[Int(t)] == f.pointee.typeID else { throw incompatible }
                if case .host(let index) = f.pointee.kind, hostFunctions[index].requires32BitMemory,
                   parsed.allMemories.first?.limits.is64 == true {
                    throw InstantiationError("\(i.module).\(i.name) reads its caller's memory 0 with 32-bit addresses "
                        + "(as WASI preview1 does), but this module's memory 0 is 64-bit (memory64)")
                }
                instance.functions.append(f)
            case (.table(let expected), .table(let t)):
                // Element types must be equivalent: a table is read and written.
                guard t.pointee.type.elementType == instance.storeType(expected.elementType),
                      limitsMatch(current: UInt64(t.pointee.count), t.pointee.type.limits, expected.limits)
                else { throw incompatible }
                instance.tables.append(t)
            case (.memory(let expected), .memory(let m)):
                guard limitsMatch(current: m.pointee.size / UInt64(MemoryType.pageSize), m.pointee.type.limits,
                                  expected.limits)
                else { throw incompatible }
                instance.memories.append(m)
            case (.global(let expected), .global(let g)):
                // An immutable global may be of a subtype; a mutable one must be of the same type.
                let actual = g.pointee.type
                let expectedType = instance.storeType(expected.valueType)
                let matches = actual.mutability == expected.mutability
                    && (expected.mutability == .constant ? actual.valueType.matches(expectedType)
                                                         : actual.valueType == expectedType)
                guard matches else { throw incompatible }
                instance.globals.append(g)
            case (.tag(let t), .tag(let tag)):
                guard typeID(of: parsed.types[Int(t)]) == tag.pointee.typeID else { throw incompatible }
                instance.tags.append(tag)
            default:
                throw incompatible
            }
        }
    }

    /// A segment's offset: an i32 for 32-bit memories and tables, an i64 for 64-bit ones.
    private func address(_ word: UInt64, is64: Bool) -> UInt64 {
        is64 ? word : UInt64(UInt32(truncatingIfNeeded: word))
    }

    /// Import subtyping of limits: the same address type, at least the expected minimum, and a
    /// maximum within the expected one.
    private func limitsMatch(current: UInt64, _ actual: Limits, _ expected: Limits) -> Bool {
        guard actual.is64 == expected.is64, current >= expected.min else { return false }
        let max = actual.max
        if let expectedMax = expected.max {
            guard let max, max <= expectedMax else { return false }
        }
        return true
    }

    private func copyDataSegment(_ bytes: ArraySlice<UInt8>) -> UnsafeMutablePointer<DataSegmentEntity> {
        guard !bytes.isEmpty else { return allocateDataSegment(bytes: nil, count: 0) }
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: bytes.count)
        buffer.initialize(from: Array(bytes), count: bytes.count)
        ownedBytes.append(buffer)
        return allocateDataSegment(bytes: UnsafePointer(buffer), count: bytes.count)
    }

    /// Evaluates a constant expression (validated) to its slot words.
    func evaluate(_ expression: ConstExpression, in instance: InstanceStorage) throws -> (UInt64, UInt64) {
        var stack: [(UInt64, UInt64)] = []
        for instruction in expression.instructions {
            switch instruction {
            case .i32Const(let v): stack.append((UInt64(UInt32(bitPattern: v)), 0))
            case .i64Const(let v): stack.append((UInt64(bitPattern: v), 0))
            case .f32Const(let v): stack.append((UInt64(v), 0))
            case .f64Const(let v): stack.append((v, 0))
            case .v128Const(let v): stack.append((v.low, v.high))
            case .refNull: stack.append((0, 0))
            case .refFunc(let f): stack.append((UInt64(UInt(bitPattern: instance.functions[Int(f)])), 0))
            case .globalGet(let g): stack.append(instance.globals[Int(g)].pointee.value)
            case .numeric(let op) where stack.count >= 2:
                let b = stack.removeLast().0, a = stack.removeLast().0
                switch op {
                case .i32Add: stack.append((UInt64(UInt32(truncatingIfNeeded: a) &+ UInt32(truncatingIfNeeded: b)), 0))
                case .i32Sub: stack.append((UInt64(UInt32(truncatingIfNeeded: a) &- UInt32(truncatingIfNeeded: b)), 0))
                case .i32Mul: stack.append((UInt64(UInt32(truncatingIfNeeded: a) &* UInt32(truncatingIfNeeded: b)), 0))
                case .i64Add: stack.append((a &+ b, 0))
                case .i64Sub: stack.append((a &- b, 0))
                case .i64Mul: stack.append((a &* b, 0))
                default: throw InstantiationError("unsupported constant expression operator \(op.name)")
                }
            default:
                throw InstantiationError("unsupported constant expression instruction \(instruction)")
            }
        }
        guard let value = stack.last else { throw InstantiationError("empty constant expression") }
        return value
    }
}
