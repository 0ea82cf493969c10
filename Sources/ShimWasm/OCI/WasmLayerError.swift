/// Why a container's wasm layer cannot be run: Create fails with the description.
public enum WasmLayerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The layer is a WebAssembly component (Swim runs core modules).
    case component(digest: String)
    /// More than one layer holds a module.
    case multipleModules(digests: [String])
    /// A blob the image names is not in the content store.
    case missingBlob(digest: String, role: String)
    /// A blob's bytes do not hash to its digest.
    case digestMismatch(digest: String, role: String, actual: String)
    /// A blob has more or fewer bytes than its descriptor says.
    case sizeMismatch(digest: String, role: String, expected: Int64, actual: Int64)
    /// The module is larger than the container may hold in memory.
    case tooLarge(digest: String, size: Int64, limit: UInt64)
    /// The image's documents are not what the image spec says they are.
    case badImage(String)
    /// containerd failed to serve content that exists.
    case store(String)

    public var description: String {
        switch self {
        case .component(let digest):
            return "the image's wasm layer \(digest) is a WebAssembly component; Swim runs core modules only "
                + "(components are not supported yet)"
        case .multipleModules(let digests):
            return "the image has \(digests.count) wasm module layers (\(digests.joined(separator: ", "))); "
                + "Swim runs a single module"
        case .missingBlob(let digest, let role):
            return "the image's \(role) \(digest) is missing from containerd's content store"
        case .digestMismatch(let digest, let role, let actual):
            return "the image's \(role) \(digest) does not match its digest: the content store holds \(actual)"
        case .sizeMismatch(let digest, let role, let expected, let actual):
            return "the image's \(role) \(digest) is \(actual) bytes, its descriptor says \(expected)"
        case .tooLarge(let digest, let size, let limit):
            return "the image's wasm layer \(digest) is \(size) bytes, too large for the container's memory limit "
                + "of \(limit) bytes"
        case .badImage(let message):
            return "the image is malformed: \(message)"
        case .store(let message):
            return "reading the image from containerd: \(message)"
        }
    }
}
