import SwimTypes

/// Decodes a WebAssembly binary into a `DecodedModule`.
///
/// Function bodies are not decoded here: only their local declarations and the range
/// of their instructions are recorded (read them with `InstructionReader`), so that a
/// large module parses quickly. Constant expressions are decoded. Every malformed input
/// throws a `MalformedError` with the spec's wording and the absolute byte offset.
public func parseModule(bytes: [UInt8], features: WasmFeatures = .default) throws(MalformedError) -> DecodedModule {
    var parser = ModuleParser(bytes: bytes, features: features)
    return try parser.parse()
}

/// Limits that keep a hostile module from making the decoder allocate without bound.
public enum ParserLimits {
    /// The most locals one function may declare (as wasmtime's decoder); the binary
    /// format itself only forbids more than 2^32 - 1.
    public static let maxLocalsPerFunction = 50_000
}

/// The state of one `parseModule` call.
///
/// Sections are read, as in the reference interpreter, with a reader bounded by the end
/// of the module, and their size is checked after their content ("section size
/// mismatch"); this gives the spec's error for a count larger than the items given.
struct ModuleParser {
    var reader: ByteReader
    var module: DecodedModule
    let features: WasmFeatures

    /// Where the function, code, data count and data sections start, for errors
    /// about their consistency that can only be detected at the end.
    var functionSectionOffset: Int?
    var codeSectionOffset: Int?
    var dataCountSectionOffset: Int?
    var dataSectionOffset: Int?

    init(bytes: [UInt8], features: WasmFeatures) {
        self.reader = ByteReader(bytes: bytes)
        self.module = DecodedModule(bytes: bytes)
        self.features = features
    }

    mutating func parse() throws(MalformedError) -> DecodedModule {
        try readHeader()
        var lastOrder = 0
        while !reader.isAtEnd {
            let sectionOffset = reader.offset
            let id = try reader.readByte()
            guard let order = sectionOrder(id: id) else {
                throw MalformedError("malformed section id", offset: sectionOffset)
            }
            if order != 0 {
                // Each known section at most once, in the prescribed order.
                guard order > lastOrder else {
                    throw MalformedError("unexpected content after last section", offset: sectionOffset)
                }
                lastOrder = order
            }
            let size = try reader.readLength()
            let contentStart = reader.offset
            let contentEnd = contentStart + size
            try readSection(id: id, sectionOffset: sectionOffset, contentEnd: contentEnd)
            guard reader.offset == contentEnd else {
                throw MalformedError("section size mismatch", offset: contentStart)
            }
        }
        try checkSectionConsistency()
        return module
    }

    private mutating func readHeader() throws(MalformedError) {
        let bytes = reader.bytes
        guard bytes.count >= 4 else { throw MalformedError("unexpected end", offset: bytes.count) }
        guard bytes[0] == 0x00, bytes[1] == 0x61, bytes[2] == 0x73, bytes[3] == 0x6D else {
            throw MalformedError("magic header not detected", offset: 0)
        }
        guard bytes.count >= 8 else { throw MalformedError("unexpected end", offset: bytes.count) }
        guard bytes[4] == 0x01, bytes[5] == 0x00, bytes[6] == 0x00, bytes[7] == 0x00 else {
            throw MalformedError("unknown binary version", offset: 4)
        }
        reader.offset = 8
    }

    /// The position of a section id in the required order (custom sections: 0), or nil
    /// for an unknown id. The tag section (13) comes between memory (5) and global (6),
    /// the data count section (12) before code (10).
    private func sectionOrder(id: UInt8) -> Int? {
        switch id {
        case 0...5: return Int(id) * 2
        case 13: return features.hasExceptionTags ? 11 : nil
        case 6...9: return Int(id) * 2
        case 12: return features.contains(.bulkMemory) ? 19 : nil
        case 10: return 20
        case 11: return 22
        default: return nil
        }
    }

    private mutating func readSection(id: UInt8, sectionOffset: Int, contentEnd: Int) throws(MalformedError) {
        switch id {
        case 0: try readCustomSection(contentEnd: contentEnd)
        case 1: try readTypeSection()
        case 2: try readImportSection()
        case 3:
            functionSectionOffset = sectionOffset
            try readFunctionSection()
        case 4: try readTableSection()
        case 5: try readMemorySection()
        case 6: try readGlobalSection()
        case 7: try readExportSection()
        case 8: module.start = try reader.readVarUInt32()
        case 9: try readElementSection()
        case 10:
            codeSectionOffset = sectionOffset
            try readCodeSection()
        case 11:
            dataSectionOffset = sectionOffset
            try readDataSection()
        case 13:
            try readTagSection()
        default:
            dataCountSectionOffset = sectionOffset
            module.dataCount = try reader.readVarUInt32()
        }
    }

    /// The checks that need the whole module, in the reference interpreter's order.
    private func checkSectionConsistency() throws(MalformedError) {
        guard module.functions.count == module.codes.count else {
            throw MalformedError(
                "function and code section have inconsistent lengths",
                offset: codeSectionOffset ?? functionSectionOffset ?? reader.end)
        }
        if let dataCount = module.dataCount, Int(dataCount) != module.data.count {
            throw MalformedError(
                "data count and data section have inconsistent lengths",
                offset: dataSectionOffset ?? dataCountSectionOffset ?? reader.end)
        }
    }

    /// Decodes a constant expression: the instructions up to the `end` that closes it.
    ///
    /// Any instruction is decoded (validation rejects non-constant ones); nested blocks
    /// are tracked so that the right `end` terminates the expression.
    mutating func readConstExpression() throws(MalformedError) -> ConstExpression {
        let start = reader.offset
        var instructionReader = InstructionReader(
            bytes: reader.bytes, range: start..<reader.end, features: features, hasDataCount: true)
        var instructions: [Instruction] = []
        var depth = 0
        while true {
            let instructionOffset = instructionReader.offset
            let instruction = try instructionReader.read()
            switch instruction {
            case .block, .loop, .if, .try, .tryTable:
                depth += 1
            case .else where depth == 0, .catch where depth == 0, .catchAll where depth == 0,
                 .delegate where depth == 0:
                throw MalformedError("END opcode expected", offset: instructionOffset)
            case .delegate:
                // `delegate` closes its `try` as `end` does.
                depth -= 1
            case .end:
                if depth == 0 {
                    reader.offset = instructionReader.offset
                    return ConstExpression(instructions: instructions, offset: start)
                }
                depth -= 1
            default:
                break
            }
            instructions.append(instruction)
        }
    }
}
