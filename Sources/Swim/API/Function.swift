/// A function of a store: exported by an instance, or defined by the host.
public struct Function: Hashable, @unchecked Sendable {
    let entity: FunctionRef
    let storage: StoreStorage

    init(entity: FunctionRef, store: StoreStorage) {
        self.entity = entity
        self.storage = store
    }

    public static func == (a: Function, b: Function) -> Bool { a.entity == b.entity }
    public func hash(into hasher: inout Hasher) { hasher.combine(entity) }

    /// The function's type. A typed reference in it (`(ref $t)`) names its type by the store's
    /// type id, shared by equivalent types of all the store's modules.
    public var type: FunctionType { storage.types[Int(entity.pointee.typeID)] }

    /// Calls the function. Throws `Trap` when execution traps, `CallError` for
    /// arguments that don't match the type, or whatever a host function threw.
    @discardableResult
    public func call(_ arguments: [Value]) throws -> [Value] {
        try storage.invoke(entity, arguments: arguments)
    }

    @discardableResult
    public func callAsFunction(_ arguments: Value...) throws -> [Value] {
        try call(arguments)
    }

    /// Defines a host function. `body` receives the arguments and returns the results;
    /// what it throws reaches the embedder's `call` unchanged and ends the wasm execution.
    public init(store: Store, type: FunctionType, body: @escaping (Caller, [Value]) throws -> [Value]) {
        let storage = store.storage
        self.init(store: store, type: type, rawBody: { caller, slots in
            var arguments: [Value] = []
            arguments.reserveCapacity(type.parameters.count)
            var slot = 0
            for t in type.parameters {
                arguments.append(Value(slots: slots + slot, type: t, store: storage))
                slot += t.slotCount
            }
            let results = try body(caller, arguments)
            guard results.count == type.results.count,
                  zip(results, type.results).allSatisfy({ $0.matches($1, in: storage) })
            else { throw CallError("host function returned \(results) where \(type.results) was expected") }
            slot = 0
            for r in results { slot += r.write(to: slots + slot) }
        })
    }

    /// Defines a host function working on raw slots: the arguments are in `slots`
    /// (8 bytes each, v128 taking two, i32/f32 zero-extended in the low half), and the
    /// results are written back from slot 0. For hot host functions such as WASI's.
    ///
    /// `requires32BitMemory` says that the body reads its caller's memory 0 with 32-bit
    /// addresses (as WASI preview1 does): a module whose memory 0 is 64-bit (memory64) then
    /// fails to instantiate against it, with an error that says so.
    public init(store: Store, type: FunctionType, requires32BitMemory: Bool = false,
                rawBody: @escaping RawHostFunctionBody) {
        storage = store.storage
        entity = storage.defineHostFunction(HostFunction(type: type, requires32BitMemory: requires32BitMemory, body: rawBody))
    }
}

/// The body of a host function on raw slots (see `Function.init(store:type:rawBody:)`).
public typealias RawHostFunctionBody = (Caller, UnsafeMutablePointer<UInt64>) throws -> Void

struct HostFunction {
    let type: FunctionType
    let body: RawHostFunctionBody
    /// Result slots holding i32 or f32 values: their upper halves are cleared after a call,
    /// because translated code relies on 32-bit values being zero-extended in their slots.
    let narrowResultSlots: [Int]
    /// Whether the body reads its caller's memory 0 with 32-bit addresses only.
    let requires32BitMemory: Bool

    init(type: FunctionType, requires32BitMemory: Bool = false, body: @escaping RawHostFunctionBody) {
        self.type = type
        self.requires32BitMemory = requires32BitMemory
        self.body = body
        var slots: [Int] = []
        var slot = 0
        for t in type.results {
            if t == .i32 || t == .f32 { slots.append(slot) }
            slot += t.slotCount
        }
        narrowResultSlots = slots
    }
}

/// What a host function knows about its caller.
public struct Caller {
    let storage: StoreStorage
    let memoryEntity: MemoryRef

    /// The calling instance's memory 0, if it has one.
    public var memory: Memory? {
        memoryEntity == storage.emptyMemory ? nil : Memory(entity: memoryEntity, store: storage)
    }
}
