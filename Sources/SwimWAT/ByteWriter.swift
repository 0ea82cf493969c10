import SwimTypes

/// Appends values in the binary format's encodings: LEB128 integers, names, types.
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func byte(_ b: UInt8) { bytes.append(b) }

    mutating func append<C: Collection>(_ other: C) where C.Element == UInt8 { bytes.append(contentsOf: other) }

    /// Unsigned LEB128.
    mutating func unsigned(_ value: UInt64) {
        var v = value
        repeat {
            var b = UInt8(truncatingIfNeeded: v & 0x7F)
            v >>= 7
            if v != 0 { b |= 0x80 }
            bytes.append(b)
        } while v != 0
    }

    mutating func u32(_ value: UInt32) { unsigned(UInt64(value)) }

    mutating func u32(_ value: Int) { unsigned(UInt64(truncatingIfNeeded: value)) }

    /// Signed LEB128 (used for s32, s33 and s64).
    mutating func signed(_ value: Int64) {
        var v = value
        while true {
            let b = UInt8(truncatingIfNeeded: v & 0x7F)
            v >>= 7  // arithmetic shift keeps the sign
            let done = (v == 0 && b & 0x40 == 0) || (v == -1 && b & 0x40 != 0)
            bytes.append(done ? b : b | 0x80)
            if done { return }
        }
    }

    mutating func name(_ s: String) {
        let utf8 = Array(s.utf8)
        u32(utf8.count)
        append(utf8)
    }

    mutating func valueType(_ type: ValueType) {
        switch type {
        case .i32: byte(0x7F)
        case .i64: byte(0x7E)
        case .f32: byte(0x7D)
        case .f64: byte(0x7C)
        case .v128: byte(0x7B)
        case .ref(let r): refType(r)
        }
    }

    mutating func refType(_ r: RefType) {
        switch (r.nullable, r.heapType) {
        case (true, .func): byte(0x70)
        case (true, .extern): byte(0x6F)
        case (true, .exn): byte(0x69)
        case (true, .noexn): byte(0x74)
        default:
            byte(r.nullable ? 0x63 : 0x64)
            heapType(r.heapType)
        }
    }

    mutating func heapType(_ h: HeapType) {
        switch h {
        case .func: byte(0x70)
        case .extern: byte(0x6F)
        case .index(let i): signed(Int64(i))
        case .exn: byte(0x69)
        case .noexn: byte(0x74)
        }
    }

    mutating func limits(_ l: Limits) {
        var flags: UInt8 = l.max == nil ? 0x00 : 0x01
        if l.shared { flags |= 0x02 }
        if l.is64 { flags |= 0x04 }
        byte(flags)
        unsigned(l.min)
        if let max = l.max { unsigned(max) }
    }

    mutating func functionType(_ t: FunctionType) {
        byte(0x60)
        u32(t.parameters.count)
        for p in t.parameters { valueType(p) }
        u32(t.results.count)
        for r in t.results { valueType(r) }
    }

    mutating func globalType(_ g: GlobalType) {
        valueType(g.valueType)
        byte(g.mutability == .variable ? 0x01 : 0x00)
    }

    mutating func tableType(_ t: TableType) {
        refType(t.elementType)
        limits(t.limits)
    }

    /// A vector: the count, then each element.
    mutating func vector<T>(_ items: [T], _ each: (inout ByteWriter, T) -> Void) {
        u32(items.count)
        for item in items { each(&self, item) }
    }
}
