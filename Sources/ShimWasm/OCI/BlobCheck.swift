import Digest

/// Checks a blob against its descriptor while it streams in: never more bytes than the
/// descriptor's size, and at the end exactly that size and a SHA-256 equal to its digest (the
/// content store is not trusted to hold what it names).
struct BlobCheck: Sendable {
    let descriptor: OCIDescriptor
    /// What the blob is to the image ("manifest", "wasm layer", ...), for error messages.
    let role: String
    private let expectedHex: String
    private var hasher = SHA256()
    private(set) var count: Int64 = 0

    init(_ descriptor: OCIDescriptor, role: String) throws(WasmLayerError) {
        self.descriptor = descriptor
        self.role = role
        let prefix = "sha256:"
        let hex = descriptor.digest.dropFirst(prefix.count)
        guard descriptor.digest.hasPrefix(prefix), hex.count == 64,
              hex.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
            throw .badImage("the \(role)'s digest \"\(descriptor.digest)\" is not sha256:<64 lowercase hex digits>")
        }
        guard descriptor.size >= 0 else { throw .badImage("the \(role) \(descriptor.digest) has a negative size") }
        expectedHex = String(hex)
    }

    mutating func take(_ chunk: [UInt8]) throws(WasmLayerError) {
        count += Int64(chunk.count)
        guard count <= descriptor.size else {
            throw .sizeMismatch(digest: descriptor.digest, role: role, expected: descriptor.size, actual: count)
        }
        hasher.update(chunk)
    }

    mutating func finish() throws(WasmLayerError) {
        guard count == descriptor.size else {
            throw .sizeMismatch(digest: descriptor.digest, role: role, expected: descriptor.size, actual: count)
        }
        let actual = hasher.finalizeHex()
        guard actual == expectedHex else {
            throw .digestMismatch(digest: descriptor.digest, role: role, actual: "sha256:" + actual)
        }
    }
}
