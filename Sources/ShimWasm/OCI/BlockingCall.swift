import ShimKit

/// Runs async work from the shim's plain threads (a ttrpc request's), blocking the caller until
/// it is done. The work runs on Swift's global executor, never on the blocked thread.
enum BlockingCall {
    static func run<Result: Sendable>(_ body: @escaping @Sendable () async throws -> Result) throws -> Result {
        let outcome = Monitor<Swift.Result<Result, any Error>?>(nil)
        Task {
            let result: Swift.Result<Result, any Error>
            do {
                result = .success(try await body())
            } catch {
                result = .failure(error)
            }
            outcome.withLock { $0 = result }
        }
        guard let result = outcome.wait(until: nil, { $0 }) else {
            throw ShimWasmError("the containerd request did not finish")
        }
        return try result.get()
    }
}
