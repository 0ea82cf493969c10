import SwimParser

/// A custom section written in the text (`@custom`, or made from `@name` and branch hint
/// annotations), and where it goes among the module's sections.
struct CustomSectionDefinition {
    var name: [UInt8]
    var content: [UInt8]
    var placement: Placement
}

/// `(before section)` or `(after section)`, ordered as the sections themselves.
struct Placement: Comparable {
    /// The sections a custom section can be placed against, in binary order.
    enum Section: Int, Comparable {
        case type = 1, `import`, function, table, memory, tag, global, export, start, element, dataCount, code, data

        /// The keywords of placements: `(after func)`, `(before first)`, ...
        init?(keyword: String) {
            switch keyword {
            case "type", "first": self = .type
            case "import": self = .import
            case "func": self = .function
            case "table": self = .table
            case "memory": self = .memory
            case "tag": self = .tag
            case "global": self = .global
            case "export": self = .export
            case "start": self = .start
            case "elem": self = .element
            case "datacount": self = .dataCount
            case "code": self = .code
            case "data", "last": self = .data
            default: return nil
            }
        }

        /// The section of a binary section id (not custom, not unknown).
        init?(id: UInt8) {
            switch id {
            case 1: self = .type
            case 2: self = .import
            case 3: self = .function
            case 4: self = .table
            case 5: self = .memory
            case 13: self = .tag
            case 6: self = .global
            case 7: self = .export
            case 8: self = .start
            case 9: self = .element
            case 12: self = .dataCount
            case 10: self = .code
            case 11: self = .data
            default: return nil
            }
        }

        static func < (a: Section, b: Section) -> Bool { a.rawValue < b.rawValue }
    }

    var section: Section
    var isAfter: Bool

    static let afterLast = Placement(section: .data, isAfter: true)

    /// `(before s)` comes just before `(after s)`, which comes before anything of a later section.
    static func < (a: Placement, b: Placement) -> Bool {
        a.section != b.section ? a.section < b.section : (!a.isAfter && b.isAfter)
    }
}

enum CustomSectionPlacement {
    /// Inserts `sections` into the encoded `module` at their placements; sections with the
    /// same placement keep their order. A placement against an absent section falls where
    /// that section would be.
    static func insert(_ sections: [CustomSectionDefinition], into module: [UInt8]) -> [UInt8] {
        guard !sections.isEmpty else { return module }
        var pending = sections.enumerated().sorted {
            $0.element.placement != $1.element.placement ? $0.element.placement < $1.element.placement : $0.offset < $1.offset
        }.map(\.element)[...]
        var out = ByteWriter()
        out.append(module.prefix(8))
        var i = 8
        while i < module.count {
            // The encoder's own output: an id, a well-formed size, the payload.
            let id = module[i]
            var reader = ByteReader(bytes: module, range: (i + 1)..<module.count)
            guard let size = try? reader.readVarUInt32() else { break }
            let end = min(module.count, reader.offset + Int(size))
            if let section = Placement.Section(id: id) {
                // Everything placed up to `(before section)`.
                while let next = pending.first, next.placement < Placement(section: section, isAfter: true) {
                    write(next, into: &out)
                    pending.removeFirst()
                }
            }
            out.append(module[i..<end])
            i = end
        }
        for section in pending { write(section, into: &out) }
        return out.bytes
    }

    private static func write(_ section: CustomSectionDefinition, into out: inout ByteWriter) {
        var payload = ByteWriter()
        payload.u32(section.name.count)
        payload.append(section.name)
        payload.append(section.content)
        out.byte(0)
        out.u32(payload.bytes.count)
        out.append(payload.bytes)
    }
}
