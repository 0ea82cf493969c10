import Glibc
import ShimKit

/// Runs an engine inside the container process (ShimKit's `ContainerPayload`).
public struct WasmPayload<E: WasmEngine>: ContainerPayload {
    private let engine = E()
    private var prepared: E.Prepared?

    public init() {}

    public mutating func prepare(_ container: ContainerContext) throws {
        var layer: [UInt8]?
        if let fd = container.files[WasmLayerPreparation.fileName] {
            // Sealed by the daemon: what was checked there is what runs here.
            guard SealedFile.isSealed(fd) else { throw ShimWasmError("the wasm layer's memory file is not sealed") }
            do {
                layer = try SealedFile.read(fd)
            } catch {
                throw ShimWasmError("reading the wasm layer: \(error)")
            }
        }
        let context = try RuntimeContext(spec: container.spec, id: container.id,
                                         memoryLimitBytes: container.memoryLimitBytes, layer: layer)
        try engine.canHandle(context)
        prepared = try engine.prepare(context)
    }

    public var allowedSyscalls: [AllowedSyscall] { engine.allowedSyscalls }

    public mutating func run() -> Int32 {
        guard let prepared else { return 137 }
        do {
            return try engine.run(prepared)
        } catch {
            // As runwasi: an engine error (a trap) ends the container with 137.
            var message = "\(E.name): \(error)\n"
            message.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
            return 137
        }
    }
}
