import SwimTypes

// Custom sections, and the one custom section the runtime reads: `name`.

extension ModuleParser {
    /// A custom section: a name, then a payload kept as a range of the binary.
    /// The `name` section is decoded into `DecodedModule.names` when well-formed; a broken
    /// one is kept as a plain custom section and does not fail the module.
    mutating func readCustomSection(contentEnd: Int) throws(MalformedError) {
        let name = try reader.readName()
        guard reader.offset <= contentEnd else {
            throw MalformedError("unexpected end of section or function", offset: contentEnd)
        }
        let payload = try reader.readBytes(contentEnd - reader.offset)
        module.customSections.append(CustomSection(name: name, range: payload))
        if name == "name", module.names == nil {
            module.names = decodeNameSection(bytes: reader.bytes, range: payload)
        }
    }
}

/// Decodes the payload of a `name` section (module, function and local names; other
/// subsections are skipped). Returns nil when it is not well-formed.
public func decodeNameSection(bytes: [UInt8], range: Range<Int>) -> NameSection? {
    var reader = ByteReader(bytes: bytes, range: range)
    do {
        return try readNameSubsections(&reader)
    } catch {
        return nil
    }
}

private func readNameSubsections(_ reader: inout ByteReader) throws(MalformedError) -> NameSection {
    var names = NameSection()
    while !reader.isAtEnd {
        let id = try reader.readByte()
        let size = try reader.readLength()
        let content = try reader.readBytes(size)
        var subsection = ByteReader(bytes: reader.bytes, range: content)
        switch id {
        case 0:
            names.moduleName = try subsection.readName()
        case 1:
            names.functionNames = try readNameMap(&subsection)
        case 2:
            let count = try subsection.readLength()
            var localNames: [UInt32: [UInt32: String]] = [:]
            for _ in 0..<count {
                let function = try subsection.readVarUInt32()
                localNames[function] = try readNameMap(&subsection)
            }
            names.localNames = localNames
        default:
            // Label, type, table, memory, global ... names: not used by the runtime.
            continue
        }
        guard subsection.isAtEnd else {
            throw MalformedError("name subsection size mismatch", offset: subsection.offset)
        }
    }
    return names
}

private func readNameMap(_ reader: inout ByteReader) throws(MalformedError) -> [UInt32: String] {
    let count = try reader.readLength()
    var map: [UInt32: String] = [:]
    map.reserveCapacity(reservedCapacity(count))
    for _ in 0..<count {
        let index = try reader.readVarUInt32()
        map[index] = try reader.readName()
    }
    return map
}
