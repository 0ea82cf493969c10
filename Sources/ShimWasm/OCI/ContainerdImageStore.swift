import ContainerdClient

/// The `ImageStore` of a running containerd, over its gRPC API.
struct ContainerdImageStore: ImageStore {
    let client: ContainerdClient

    func imageName(ofContainer id: String) async throws(ImageStoreError) -> String {
        do {
            return try await client.container(id: id).image
        } catch {
            throw Self.storeError(error, "container \(id)")
        }
    }

    func target(ofImage name: String) async throws(ImageStoreError) -> OCIDescriptor {
        do {
            let image = try await client.image(name: name)
            let target = image.target
            return OCIDescriptor(mediaType: target.mediaType, digest: target.digest, size: target.size)
        } catch {
            throw Self.storeError(error, "image \(name)")
        }
    }

    func read(_ digest: String, _ chunk: @escaping @Sendable ([UInt8]) throws -> Void) async throws {
        do {
            try await client.readContent(digest: digest, chunk)
        } catch let error as ContainerdError {
            throw Self.storeError(error, "blob \(digest)")
        }
    }

    private static func storeError(_ error: any Error, _ subject: String) -> ImageStoreError {
        guard let error = error as? ContainerdError else { return .failed("\(subject): \(error)") }
        switch error.kind {
        case .notFound: return .notFound("\(subject) not found in containerd (\(error.message))")
        case .unavailable: return .unavailable("containerd unreachable: \(error.message)")
        case .failed: return .failed("\(subject): \(error.message)")
        }
    }
}
