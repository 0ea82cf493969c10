extension NumericOp {
    /// The first sub-opcode of the relaxed SIMD operators (Wasm 3.0): `0xFD 0x100` and up.
    public static let firstRelaxedSIMDSubopcode: UInt32 = 0x100

    /// Whether this is a relaxed SIMD operator, which needs `WasmFeatures.relaxedSimd`.
    public var isRelaxedSIMD: Bool {
        rawValue >> 16 == 0xFD && rawValue & 0xFFFF >= Self.firstRelaxedSIMDSubopcode
    }
}
