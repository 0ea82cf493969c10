import ContainerdClient
import ShimKit

/// The wasm side of Create in the shim daemon: reads the container's wasm layer from
/// containerd's content store (`WasmLayerLoader`) and hands it to the container's init as a
/// sealed memory file named `WasmLayerPreparation.fileName`, where `WasmPayload` reads it.
public struct WasmLayerPreparation: ContainerPreparation {
    /// The name of the module's file in `ContainerContext.files`.
    public static let fileName = "wasm-layer"

    /// The store to read from; by default containerd's, at the shim's `-address`.
    private let store: (@Sendable (PreparationContext) -> any ImageStoreConnection)?

    public init() { store = nil }

    /// With a store of the caller's (tests).
    public init(store: @escaping @Sendable (PreparationContext) -> any ImageStoreConnection) {
        self.store = store
    }

    public func prepare(_ container: PreparationContext) throws -> PreparedFiles {
        // A CRI pod's sandbox runs the pause payload, never a module.
        if container.spec.isCRISandbox { return PreparedFiles() }
        let connection = store?(container) ?? ContainerdConnection(
            address: container.containerdAddress, namespace: container.namespace)
        let outcome = try BlockingCall.run {
            try await connection.withStore { store in
                try await WasmLayerLoader(store: store).load(
                    containerID: container.id, memoryLimitBytes: container.memoryLimitBytes)
            }
        }
        switch outcome {
        case .rootfs(let warning):
            return PreparedFiles(warnings: warning.map { [$0] } ?? [])
        case .layer(_, let descriptor):
            return PreparedFiles(files: [ContainerFile(name: Self.fileName, descriptor: descriptor)])
        }
    }
}

/// A way to reach an `ImageStore` for the duration of one Create.
public protocol ImageStoreConnection: Sendable {
    func withStore<Result: Sendable>(_ body: (any ImageStore) async throws -> Result) async throws -> Result
}

/// containerd at its gRPC socket: a connection per Create, closed again afterwards. When it
/// cannot be made, the store answers `unavailable` and the loader falls back to the rootfs.
struct ContainerdConnection: ImageStoreConnection {
    let address: String
    let namespace: String

    func withStore<Result: Sendable>(_ body: (any ImageStore) async throws -> Result) async throws -> Result {
        try await ContainerdClient.withClient(address: address, namespace: namespace) { client in
            try await body(ContainerdImageStore(client: client))
        }
    }
}
