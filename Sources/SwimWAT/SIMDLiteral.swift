import SwimTypes

/// What the text parser needs of a `v128.const` shape beyond the public `WastLaneShape`.
extension WastLaneShape {
    static let all: [WastLaneShape] = [.i8x16, .i16x8, .i32x4, .i64x2, .f32x4, .f64x2]

    var isFloat: Bool { self == .f32x4 || self == .f64x2 }

    var name: String {
        switch self {
        case .i8x16: return "i8x16"
        case .i16x8: return "i16x8"
        case .i32x4: return "i32x4"
        case .i64x2: return "i64x2"
        case .f32x4: return "f32x4"
        case .f64x2: return "f64x2"
        }
    }

    /// Packs lane bit patterns (lane 0 first) into a vector.
    func pack(_ lanes: [UInt64]) -> V128 {
        var low: UInt64 = 0
        var high: UInt64 = 0
        let bits = laneBits
        let mask: UInt64 = bits == 64 ? .max : (1 << UInt64(bits)) - 1
        for (i, lane) in lanes.enumerated() {
            let position = i * bits
            if position < 64 {
                low |= (lane & mask) << UInt64(position)
            } else {
                high |= (lane & mask) << UInt64(position - 64)
            }
        }
        return V128(low: low, high: high)
    }
}

extension TextParser {
    /// The shape keyword of a `v128.const`.
    func expectV128Shape() throws(TextError) -> WastLaneShape {
        for shape in WastLaneShape.all where current.kind == .keyword && text(current) == shape.name {
            advance()
            return shape
        }
        throw unexpected("a vector shape (i8x16, i16x8, i32x4, i64x2, f32x4 or f64x2)")
    }

    /// One lane literal of the given shape, as a bit pattern.
    func expectLane(_ shape: WastLaneShape) throws(TextError) -> UInt64 {
        switch shape {
        case .f32x4: return try expectFloat(.f32)
        case .f64x2: return try expectFloat(.f64)
        default: return try expectInteger(bits: shape.laneBits)
        }
    }

    /// `shape lane*` after `v128.const`.
    func parseV128Literal() throws(TextError) -> V128 {
        let shape = try expectV128Shape()
        var lanes: [UInt64] = []
        lanes.reserveCapacity(shape.laneCount)
        for _ in 0..<shape.laneCount {
            guard current.kind == .number || current.kind == .keyword else {
                throw unexpected("\(shape.laneCount) lanes for \(shape.name), found \(lanes.count)")
            }
            lanes.append(try expectLane(shape))
        }
        return shape.pack(lanes)
    }

    /// The 16 lane indices of `i8x16.shuffle`.
    func parseShuffleLanes() throws(TextError) -> V128 {
        var lanes: [UInt64] = []
        for _ in 0..<16 {
            guard current.kind == .number else {
                throw unexpected("16 lane indices for i8x16.shuffle (invalid lane length: found \(lanes.count))")
            }
            lanes.append(UInt64(try expectLaneIndex()))
        }
        return WastLaneShape.i8x16.pack(lanes)
    }
}
