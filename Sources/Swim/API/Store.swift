/// Owns instances and everything they create. Everything in a store lives until the
/// store is released. A store is not thread-safe: use it from one thread at a time
/// (`interrupt()` excepted).
public final class Store: @unchecked Sendable {
    let storage: StoreStorage

    public init(engine: Engine) {
        storage = StoreStorage(engine: engine)
    }

    public var engine: Engine { storage.engine }

    /// Asks running code to stop with `Trap.interrupted`. Safe from any thread;
    /// takes effect when the engine is `interruptible`. Cleared by `resetInterrupt()`.
    public func interrupt() {
        storage.interruptFlag.pointee = 1
    }

    public func resetInterrupt() {
        storage.interruptFlag.pointee = 0
    }

    /// Fuel for later calls on an interruptible engine: each function entry and loop
    /// iteration burns one unit; at zero, execution stops with `Trap.outOfFuel`.
    public var fuel: Int64 {
        get { storage.fuel }
        set { storage.fuel = newValue }
    }
}
