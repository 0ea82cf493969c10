/// A WebAssembly exception: a tag and the values thrown with it. Wasm code holds it as an
/// `exnref`.
///
/// An exception that no wasm handler catches leaves `Function.call` as this error. A host
/// function throws an exception into wasm by throwing one of these: the calling wasm code
/// sees a `throw` at the call, which its `try_table` (or legacy `try`) handlers may catch.
///
/// ```swift
/// let failure = Tag(store: store, parameters: [.i32], name: "failure")
/// linker.define("env", "failure", .tag(failure))
/// linker.defineFunction("env", "check", store: store, type: FunctionType(parameters: [.i32])) { _, args in
///     if args[0] == .i32(0) { throw try Exception(tag: failure, payload: [.i32(42)]) }
///     return []
/// }
/// do {
///     try instance.function("run")?.call([])
/// } catch let exception as Exception where exception.tag == failure {
///     print("uncaught: \(exception.payload)")
/// }
/// ```
///
/// Rethrowing an exception that came out of wasm throws the same exception (the same
/// `exnref`), as `throw_ref` does. The object keeps the exception alive in its store.
public final class Exception: Error, Hashable, CustomStringConvertible, @unchecked Sendable {
    let object: ExceptionRef
    let storage: StoreStorage

    /// Wraps an exception of the store; use `StoreStorage.exceptionObject(_:)`, which keeps
    /// one wrapper per exception.
    init(object: ExceptionRef, storage: StoreStorage) {
        self.object = object
        self.storage = storage
    }

    /// A new exception of `tag` carrying `payload`, which must match the tag's parameters.
    public init(tag: Tag, payload: [Value]) throws {
        let types = tag.parameters
        guard payload.count == types.count,
              zip(payload, types).allSatisfy({ $0.matches($1, in: tag.storage) })
        else { throw CallError("exception payload \(payload) does not match tag \(tag.name) \(types)") }
        storage = tag.storage
        object = storage.allocateException(tag: tag.entity, stackTop: storage.stackTop)
        var slot = 0
        for value in payload { slot += value.write(to: object.payload + slot) }
        storage.exceptions.register(self)
    }

    public var tag: Tag { Tag(entity: object.tag, store: storage) }

    /// The values thrown with the exception.
    public var payload: [Value] {
        var values: [Value] = []
        var slot = 0
        for type in tag.parameters {
            values.append(Value(slots: object.payload + slot, type: type, store: storage))
            slot += type.slotCount
        }
        return values
    }

    public static func == (a: Exception, b: Exception) -> Bool { a.object == b.object }
    public func hash(into hasher: inout Hasher) { hasher.combine(object) }

    public var description: String {
        let values = payload
        if values.isEmpty { return "uncaught wasm exception: tag \(tag.name)" }
        return "uncaught wasm exception: tag \(tag.name) with \(values.map(\.description).joined(separator: ", "))"
    }
}

extension StoreStorage {
    /// A new exception of `tag`, its payload uninitialized. Collects unreferenced exceptions
    /// first when due; the live part of the value stack ends at `stackTop`.
    func allocateException(tag: TagRef, stackTop: Fp) -> ExceptionRef {
        if exceptions.needsCollection {
            exceptions.collect(stack: stack, stackTop: Swift.min(stackTop, stack + stackSlots),
                               globals: globals, tables: tables)
        }
        return exceptions.allocate(tag: tag)
    }

    /// The embedder's object for an exception: the same object as long as one is held.
    func exceptionObject(_ exception: ExceptionRef) -> Exception {
        if let existing = exceptions.wrapper(of: exception) { return existing }
        let wrapper = Exception(object: exception, storage: self)
        exceptions.register(wrapper)
        return wrapper
    }
}
