/// The 8-byte preamble of a WebAssembly binary: `\0asm`, then a 16-bit version and a 16-bit
/// layer (little-endian). Core modules are version 1, layer 0; components are layer 1.
enum WasmHeader {
    static let size = 8
    static let magic: [UInt8] = [0x00, 0x61, 0x73, 0x6D]

    static func isComponent(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= size, Array(bytes[0..<4]) == magic else { return false }
        return bytes[6] == 0x01 && bytes[7] == 0x00
    }
}
