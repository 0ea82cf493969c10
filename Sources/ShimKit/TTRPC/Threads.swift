import Glibc

/// Starts detached pthreads running Swift closures.
///
/// The shim needs a handful of long-lived readers plus one short-lived thread per
/// request; plain pthreads keep it free of any async runtime and fast to start.
enum Threads {
    /// Runs `body` on a new detached thread named `name` (at most 15 bytes are kept).
    /// Returns false when the system refuses another thread.
    @discardableResult
    static func spawn(name: String, _ body: @escaping @Sendable () -> Void) -> Bool {
        let box = Unmanaged.passRetained(ThreadBody(name: name, body: body))
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        var thread = pthread_t()
        let result = pthread_create(&thread, &attributes, { context in
            guard let context else { return nil }
            let box = Unmanaged<ThreadBody>.fromOpaque(context).takeRetainedValue()
            GNUFunctions.nameCurrentThread(box.name)
            box.body()
            return nil
        }, box.toOpaque())
        if result != 0 {
            box.release()
            return false
        }
        return true
    }
}

private final class ThreadBody {
    let name: String
    let body: @Sendable () -> Void

    init(name: String, body: @escaping @Sendable () -> Void) {
        self.name = name
        self.body = body
    }
}
