import SwimTypes

// The sections that declare the module's entities: types, imports, functions, tables,
// memories, tags, globals and exports.

extension ModuleParser {
    mutating func readTypeSection() throws(MalformedError) {
        let count = try reader.readLength()
        module.types.reserveCapacity(reservedCapacity(count))
        for _ in 0..<count {
            module.types.append(try reader.readFunctionType(features: features))
        }
    }

    mutating func readImportSection() throws(MalformedError) {
        let count = try reader.readLength()
        module.imports.reserveCapacity(reservedCapacity(count))
        for _ in 0..<count {
            let moduleName = try reader.readName()
            let name = try reader.readName()
            let kindOffset = reader.offset
            let descriptor: ImportDescriptor
            switch try reader.readByte() {
            case 0x00: descriptor = .function(try reader.readVarUInt32())
            case 0x01: descriptor = .table(try reader.readTableType(features: features))
            case 0x02: descriptor = .memory(try reader.readMemoryType(features: features))
            case 0x03: descriptor = .global(try reader.readGlobalType(features: features))
            case 0x04 where features.hasExceptionTags: descriptor = .tag(try reader.readTagType())
            default: throw MalformedError("malformed import kind", offset: kindOffset)
            }
            module.imports.append(Import(module: moduleName, name: name, descriptor: descriptor))
        }
    }

    mutating func readFunctionSection() throws(MalformedError) {
        let count = try reader.readLength()
        module.functions.reserveCapacity(reservedCapacity(count))
        for _ in 0..<count {
            module.functions.append(try reader.readVarUInt32())
        }
    }

    mutating func readTableSection() throws(MalformedError) {
        let count = try reader.readLength()
        module.tables.reserveCapacity(reservedCapacity(count))
        for _ in 0..<count {
            // Typed function references: 0x40 0x00, then the table type and its initial value.
            if features.contains(.functionReferences), reader.peekByte() == 0x40 {
                reader.offset += 1
                let reservedOffset = reader.offset
                guard try reader.readByte() == 0x00 else {
                    throw MalformedError("malformed table", offset: reservedOffset)
                }
                let type = try reader.readTableType(features: features)
                module.tables.append(TableDefinition(type: type, initializer: try readConstExpression()))
            } else {
                module.tables.append(TableDefinition(type: try reader.readTableType(features: features)))
            }
        }
    }

    mutating func readMemorySection() throws(MalformedError) {
        let count = try reader.readLength()
        module.memories.reserveCapacity(reservedCapacity(count))
        for _ in 0..<count {
            module.memories.append(try reader.readMemoryType(features: features))
        }
    }

    /// The tag section (exception handling): a tag type per tag.
    mutating func readTagSection() throws(MalformedError) {
        let count = try reader.readLength()
        module.tags.reserveCapacity(reservedCapacity(count))
        for _ in 0..<count {
            module.tags.append(try reader.readTagType())
        }
    }

    mutating func readGlobalSection() throws(MalformedError) {
        let count = try reader.readLength()
        module.globals.reserveCapacity(reservedCapacity(count))
        for _ in 0..<count {
            let type = try reader.readGlobalType(features: features)
            let initializer = try readConstExpression()
            module.globals.append(GlobalDefinition(type: type, initializer: initializer))
        }
    }

    mutating func readExportSection() throws(MalformedError) {
        let count = try reader.readLength()
        module.exports.reserveCapacity(reservedCapacity(count))
        for _ in 0..<count {
            let name = try reader.readName()
            let kindOffset = reader.offset
            let kind = try reader.readByte()
            guard kind <= 0x03 || (kind == 0x04 && features.hasExceptionTags) else {
                throw MalformedError("malformed export kind", offset: kindOffset)
            }
            let index = try reader.readVarUInt32()
            let descriptor: ExportDescriptor
            switch kind {
            case 0x00: descriptor = .function(index)
            case 0x01: descriptor = .table(index)
            case 0x02: descriptor = .memory(index)
            case 0x03: descriptor = .global(index)
            default: descriptor = .tag(index)
            }
            module.exports.append(Export(name: name, descriptor: descriptor))
        }
    }
}
