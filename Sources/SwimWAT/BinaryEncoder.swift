import SwimTypes

/// Writes a `ModuleDefinition` in the binary format, sections in the spec's order.
enum BinaryEncoder {
    static func encode(_ module: ModuleDefinition) -> [UInt8] {
        var out = ByteWriter()
        out.append([0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00])

        if !module.types.isEmpty {
            section(1, into: &out) { w in w.vector(module.types) { $0.functionType($1) } }
        }
        if !module.imports.isEmpty {
            section(2, into: &out) { w in w.vector(module.imports, importEntry) }
        }
        if !module.functions.isEmpty {
            section(3, into: &out) { w in w.vector(module.functions) { $0.u32($1.typeIndex) } }
        }
        if !module.tables.isEmpty {
            section(4, into: &out) { w in w.vector(module.tables, tableEntry) }
        }
        if !module.memories.isEmpty {
            section(5, into: &out) { w in w.vector(module.memories) { $0.limits($1.limits) } }
        }
        if !module.tags.isEmpty {
            section(13, into: &out) { w in
                w.vector(module.tags) { w, type in
                    w.byte(0x00)  // the attribute: an exception
                    w.u32(type)
                }
            }
        }
        if !module.globals.isEmpty {
            section(6, into: &out) { w in
                w.vector(module.globals) { w, g in
                    w.globalType(g.type)
                    w.constExpression(g.initializer)
                }
            }
        }
        if !module.exports.isEmpty {
            section(7, into: &out) { w in w.vector(module.exports, exportEntry) }
        }
        if let start = module.start {
            section(8, into: &out) { w in w.u32(start) }
        }
        if !module.elements.isEmpty {
            section(9, into: &out) { w in w.vector(module.elements, elementSegment) }
        }
        if module.needsDataCount {
            section(12, into: &out) { w in w.u32(module.data.count) }
        }
        if !module.functions.isEmpty {
            section(10, into: &out) { w in w.vector(module.functions, functionBody) }
        }
        if !module.data.isEmpty {
            section(11, into: &out) { w in w.vector(module.data, dataSegment) }
        }
        return out.bytes
    }

    private static func section(_ id: UInt8, into out: inout ByteWriter, _ body: (inout ByteWriter) -> Void) {
        var payload = ByteWriter()
        body(&payload)
        out.byte(id)
        out.u32(payload.bytes.count)
        out.append(payload.bytes)
    }

    private static func importEntry(_ w: inout ByteWriter, _ i: Import) {
        w.name(i.module)
        w.name(i.name)
        switch i.descriptor {
        case .function(let t): w.byte(0x00); w.u32(t)
        case .table(let t): w.byte(0x01); w.tableType(t)
        case .memory(let m): w.byte(0x02); w.limits(m.limits)
        case .global(let g): w.byte(0x03); w.globalType(g)
        case .tag(let t): w.byte(0x04); w.byte(0x00); w.u32(t)
        }
    }

    private static func tableEntry(_ w: inout ByteWriter, _ t: TableDefinition) {
        if let initializer = t.initializer {
            // Wasm 3.0: a table with an initial value.
            w.byte(0x40)
            w.byte(0x00)
            w.tableType(t.type)
            w.constExpression(initializer)
        } else {
            w.tableType(t.type)
        }
    }

    private static func exportEntry(_ w: inout ByteWriter, _ e: Export) {
        w.name(e.name)
        switch e.descriptor {
        case .function(let i): w.byte(0x00); w.u32(i)
        case .table(let i): w.byte(0x01); w.u32(i)
        case .memory(let i): w.byte(0x02); w.u32(i)
        case .global(let i): w.byte(0x03); w.u32(i)
        case .tag(let i): w.byte(0x04); w.u32(i)
        }
    }

    /// Picks the most compact of the eight element segment encodings that fits.
    private static func elementSegment(_ w: inout ByteWriter, _ e: ElementSegment) {
        let isFuncref = e.type == .funcref
        switch e.items {
        case .functions(let functions):
            switch e.mode {
            case .active(let table, let offset) where table == 0 && isFuncref:
                w.u32(0)
                w.constExpression(offset)
            case .active(let table, let offset):
                w.u32(2)
                w.u32(table)
                w.constExpression(offset)
                w.byte(0x00)
            case .passive:
                w.u32(1)
                w.byte(0x00)
            case .declarative:
                w.u32(3)
                w.byte(0x00)
            }
            w.vector(functions) { $0.u32($1) }
        case .expressions(let expressions):
            switch e.mode {
            case .active(let table, let offset) where table == 0 && isFuncref:
                w.u32(4)
                w.constExpression(offset)
            case .active(let table, let offset):
                w.u32(6)
                w.u32(table)
                w.constExpression(offset)
                w.refType(e.type)
            case .passive:
                w.u32(5)
                w.refType(e.type)
            case .declarative:
                w.u32(7)
                w.refType(e.type)
            }
            w.vector(expressions) { $0.constExpression($1) }
        }
    }

    private static func functionBody(_ w: inout ByteWriter, _ f: FunctionDefinition) {
        var body = ByteWriter()
        localDeclarations(f.locals, into: &body)
        for ins in f.body { body.instruction(ins) }
        w.u32(body.bytes.count)
        w.append(body.bytes)
    }

    /// Locals as runs of equal types.
    private static func localDeclarations(_ locals: [ValueType], into body: inout ByteWriter) {
        var runs: [(count: Int, type: ValueType)] = []
        for t in locals {
            if let last = runs.last, last.type == t {
                runs[runs.count - 1].count += 1
            } else {
                runs.append((1, t))
            }
        }
        body.u32(runs.count)
        for run in runs {
            body.u32(run.count)
            body.valueType(run.type)
        }
    }

    /// Where each instruction of `f` starts in its encoded body, which begins with the
    /// local declarations (the offsets code metadata such as branch hints use).
    static func instructionOffsets(_ f: FunctionDefinition) -> [Int] {
        var body = ByteWriter()
        localDeclarations(f.locals, into: &body)
        var offsets: [Int] = []
        offsets.reserveCapacity(f.body.count)
        for ins in f.body {
            offsets.append(body.bytes.count)
            body.instruction(ins)
        }
        return offsets
    }

    private static func dataSegment(_ w: inout ByteWriter, _ d: DataDefinition) {
        switch d.mode {
        case .passive:
            w.u32(1)
        case .active(let memory, let offset):
            if memory == 0 {
                w.u32(0)
            } else {
                w.u32(2)
                w.u32(memory)
            }
            w.constExpression(offset)
        }
        w.u32(d.bytes.count)
        w.append(d.bytes)
    }
}
