import SwimTypes

// The code section: for each function, its local declarations and the range of its
// instructions. The instructions themselves are decoded later, by `InstructionReader`.

extension ModuleParser {
    mutating func readCodeSection() throws(MalformedError) {
        let count = try reader.readLength()
        module.codes.reserveCapacity(reservedCapacity(count))
        for _ in 0..<count {
            let size = try reader.readLength()
            let bodyStart = reader.offset
            let bodyEnd = bodyStart + size
            module.codes.append(try readFunctionBody(start: bodyStart, end: bodyEnd))
            reader.offset = bodyEnd
        }
    }

    private mutating func readFunctionBody(start: Int, end: Int) throws(MalformedError) -> FunctionBody {
        let runCount = try reader.readLength()
        var runs: [LocalRun] = []
        runs.reserveCapacity(reservedCapacity(runCount))
        // Summed in 64 bits and no further once past 2^32 - 1, so it cannot overflow.
        var total: UInt64 = 0
        for _ in 0..<runCount {
            let count = try reader.readVarUInt32()
            let type = try reader.readValueType(features: features)
            runs.append(LocalRun(count: count, type: type))
            if total <= UInt64(UInt32.max) { total += UInt64(count) }
        }
        guard total <= UInt64(UInt32.max) else {
            throw MalformedError("too many locals", offset: start)
        }
        guard total <= UInt64(ParserLimits.maxLocalsPerFunction) else {
            throw MalformedError(
                "too many locals: \(total) declared, at most \(ParserLimits.maxLocalsPerFunction) supported",
                offset: start)
        }
        guard reader.offset <= end else {
            throw MalformedError("section size mismatch", offset: start)
        }

        // The body must finish with the function's `end`. This check is one byte, so
        // bodies stay undecoded on the happy path; a body that fails it is decoded to
        // find the error the reference interpreter reports. (The size was bounded from
        // the start of its LEB128, so the body may also overrun the module by a byte or so.)
        let instructions = reader.offset..<end
        if end <= reader.end, let last = instructions.last, reader.bytes[last] == 0x0B {
            return FunctionBody(locals: runs, localCount: Int(total), range: instructions)
        }
        throw diagnoseMissingEnd(instructionsStart: instructions.lowerBound, bodyStart: start)
    }

    /// The error for a body whose last byte is not `end`. Like the reference interpreter,
    /// decode from the first instruction without stopping at the declared body size:
    /// the first malformed instruction, an `else` or the end of the module, or an `end`
    /// that closes the function somewhere other than at the body's end, decides it.
    private func diagnoseMissingEnd(instructionsStart: Int, bodyStart: Int) -> MalformedError {
        var instructionReader = InstructionReader(
            bytes: reader.bytes, range: instructionsStart..<reader.end, features: features, hasDataCount: true)
        var depth = 0
        do {
            while true {
                let instructionOffset = instructionReader.offset
                switch try instructionReader.read() {
                case .block, .loop, .if, .try, .tryTable:
                    depth += 1
                case .else where depth == 0, .catch where depth == 0, .catchAll where depth == 0,
                     .delegate where depth == 0:
                    return MalformedError("END opcode expected", offset: instructionOffset)
                case .delegate:
                    // `delegate` closes its `try` as `end` does.
                    depth -= 1
                case .end:
                    if depth == 0 { return MalformedError("section size mismatch", offset: bodyStart) }
                    depth -= 1
                default:
                    break
                }
            }
        } catch {
            return error
        }
    }
}
