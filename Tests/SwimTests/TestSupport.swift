#if canImport(Glibc)
import Glibc
#endif
import Swim
import SwimWAT

/// Compiles WAT text and instantiates it with `linker` in a new store.
func instantiate(_ wat: String, engine: Engine = Engine(), linker: Linker = Linker(),
                 store: Store? = nil) throws -> (Store, Instance) {
    let store = store ?? Store(engine: engine)
    let module = try Module(engine: store.engine, bytes: try wat2wasm(wat))
    return (store, try linker.instantiate(module, in: store))
}

/// Runs `body` on a new thread with a native stack of `stackSize` bytes and waits for it.
func onThread(stackSize: Int, _ body: @escaping @Sendable () -> Void) {
    final class Box: @unchecked Sendable { let body: @Sendable () -> Void; init(_ b: @escaping @Sendable () -> Void) { body = b } }
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    pthread_attr_setstacksize(&attributes, stackSize)
    var thread = pthread_t()
    let box = Unmanaged.passRetained(Box(body)).toOpaque()
    pthread_create(&thread, &attributes, { raw in
        let box = Unmanaged<AnyObject>.fromOpaque(raw!).takeRetainedValue() as! Box
        box.body()
        return nil
    }, box)
    pthread_join(thread, nil)
    pthread_attr_destroy(&attributes)
}
