import SwimParser
import SwimTypes

// Hand-made binary encodings for the tests: LEB128, vectors, names, sections, modules.

func uleb(_ value: UInt64) -> [UInt8] {
    var value = value
    var out: [UInt8] = []
    repeat {
        var byte = UInt8(value & 0x7F)
        value >>= 7
        if value != 0 { byte |= 0x80 }
        out.append(byte)
    } while value != 0
    return out
}

func uleb(_ value: Int) -> [UInt8] { uleb(UInt64(value)) }

func sleb(_ value: Int64) -> [UInt8] {
    var value = value
    var out: [UInt8] = []
    while true {
        let byte = UInt8(value & 0x7F)
        value >>= 7
        let done = (value == 0 && byte & 0x40 == 0) || (value == -1 && byte & 0x40 != 0)
        out.append(done ? byte : byte | 0x80)
        if done { return out }
    }
}

/// A vector: its count, then the items.
func vec(_ items: [[UInt8]]) -> [UInt8] {
    uleb(items.count) + items.flatMap { $0 }
}

func name(_ string: String) -> [UInt8] {
    let utf8 = Array(string.utf8)
    return uleb(utf8.count) + utf8
}

func section(_ id: UInt8, _ content: [UInt8]) -> [UInt8] {
    [id] + uleb(content.count) + content
}

let header: [UInt8] = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]

func module(_ sections: [UInt8]...) -> [UInt8] {
    header + sections.flatMap { $0 }
}

/// A code-section entry: size, locals, instructions (which should end with 0x0B).
func body(locals: [(UInt32, UInt8)] = [], _ instructions: [UInt8]) -> [UInt8] {
    let content = vec(locals.map { uleb(UInt64($0.0)) + [$0.1] }) + instructions
    return uleb(content.count) + content
}

/// A type section with one `[] -> []` function type.
let voidType = section(1, vec([[0x60, 0x00, 0x00]]))

/// A module with one `[] -> []` function whose body is `instructions`.
func moduleWithFunction(locals: [(UInt32, UInt8)] = [], _ instructions: [UInt8], memory: Bool = false) -> [UInt8] {
    var bytes = header + voidType + section(3, vec([[0x00]]))
    if memory { bytes += section(5, vec([[0x00, 0x01]])) }
    return bytes + section(10, vec([body(locals: locals, instructions)]))
}

/// The error `parseModule` throws for `bytes`, or nil when it succeeds.
func parseError(_ bytes: [UInt8], features: WasmFeatures = .default) -> MalformedError? {
    do {
        _ = try parseModule(bytes: bytes, features: features)
        return nil
    } catch {
        return error
    }
}

/// Decodes every instruction of `bytes`.
func decodeAll(_ bytes: [UInt8], features: WasmFeatures = .default, hasDataCount: Bool = true) throws(MalformedError)
    -> [Instruction]
{
    var reader = InstructionReader(bytes: bytes, range: 0..<bytes.count, features: features, hasDataCount: hasDataCount)
    var result: [Instruction] = []
    while !reader.isAtEnd {
        result.append(try reader.read())
    }
    return result
}

/// The single instruction `bytes` encode, or nil when they encode something else.
func decodeOne(_ bytes: [UInt8], features: WasmFeatures = .default) -> Instruction? {
    guard let all = try? decodeAll(bytes, features: features), all.count == 1 else { return nil }
    return all[0]
}

/// The error decoding `bytes` as instructions throws, or nil.
func decodeError(_ bytes: [UInt8], features: WasmFeatures = .default, hasDataCount: Bool = true) -> MalformedError? {
    do {
        _ = try decodeAll(bytes, features: features, hasDataCount: hasDataCount)
        return nil
    } catch {
        return error
    }
}

/// The encoding of an opcode raw value: one byte, or a prefix byte and a LEB128 sub-opcode.
func opcodeBytes(_ raw: UInt32) -> [UInt8] {
    raw < 0x100 ? [UInt8(raw)] : [UInt8(raw >> 16)] + uleb(UInt64(raw & 0xFFFF))
}
