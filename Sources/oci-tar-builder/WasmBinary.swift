/// Tells a core module from a component by the preamble's version and layer fields.
enum WasmBinary {
    static func isComponent(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 8 && bytes[0..<4].elementsEqual([0x00, 0x61, 0x73, 0x6D])
            && bytes[6..<8].elementsEqual([0x01, 0x00])
    }
}
