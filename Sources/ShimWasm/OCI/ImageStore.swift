/// containerd's records and content store as the wasm-layer loader reads them:
/// `ContainerdImageStore` over containerd's gRPC API; tests bring one of their own.
public protocol ImageStore: Sendable {
    /// The name of the image container `id` was made from; empty when it has none.
    func imageName(ofContainer id: String) async throws(ImageStoreError) -> String
    /// The image's target: its index or manifest.
    func target(ofImage name: String) async throws(ImageStoreError) -> OCIDescriptor
    /// Streams the blob `digest` to `chunk` in order. An error `chunk` throws stops the read
    /// and is rethrown as it is.
    func read(_ digest: String, _ chunk: @escaping @Sendable ([UInt8]) throws -> Void) async throws
}

/// Why the store could not answer.
public enum ImageStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No such container, image or blob.
    case notFound(String)
    /// The store could not be reached.
    case unavailable(String)
    case failed(String)

    public var description: String {
        switch self {
        case .notFound(let message), .unavailable(let message), .failed(let message): return message
        }
    }
}
