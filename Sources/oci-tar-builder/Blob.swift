import Digest

/// A content-addressed blob: its bytes, and what a descriptor says about them.
struct Blob: Sendable {
    var mediaType: String
    var bytes: [UInt8]
    var digest: String  // "sha256:<hex>"

    init(mediaType: String, bytes: [UInt8]) {
        self.mediaType = mediaType
        self.bytes = bytes
        self.digest = "sha256:" + SHA256.hex(of: bytes)
    }

    /// A JSON document (a config, a manifest) as a blob.
    init(mediaType: String, document: some Encodable) throws {
        self.init(mediaType: mediaType, bytes: try CanonicalJSON.bytes(of: document))
    }

    var hex: String { String(digest.dropFirst("sha256:".count)) }
    /// Where the blob lives in an image layout.
    var path: String { "blobs/sha256/" + hex }

    var descriptor: Descriptor {
        Descriptor(mediaType: mediaType, digest: digest, size: Int64(bytes.count))
    }
}
