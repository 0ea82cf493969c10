import FoundationEssentials

/// The one way the builder turns a document into bytes: compact, keys sorted, "/" left
/// alone. Sorted keys make the bytes, and so the digests of the blobs they become, the same
/// on every run whatever order a dictionary happens to iterate in.
enum CanonicalJSON {
    static func bytes(of document: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(document))
    }
}
