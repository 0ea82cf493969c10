/// Entering the interpreter from Swift, and calling host functions from wasm.
extension StoreStorage {
    /// Nested wasm → host → wasm activations allowed (each uses native stack).
    static let maxActivations = 200

    func invoke(_ function: FunctionRef, arguments: [Value]) throws -> [Value] {
        let type = types[Int(function.pointee.typeID)]
        guard arguments.count == type.parameters.count else {
            throw CallError("expected \(type.parameters.count) arguments, got \(arguments.count)")
        }
        for (a, t) in zip(arguments, type.parameters) where !a.matches(t, in: self) {
            throw CallError("argument \(a) does not match parameter type \(t)")
        }
        guard activations < StoreStorage.maxActivations else { throw Trap(.callStackExhausted) }
        let fp = stackTop
        let stackLimit = stack + stackSlots
        // The frame, and the argument slots which may be larger than the frame for a host function.
        guard fp + Swift.max(function.pointee.frameSlots, 2 * arguments.count + 2) <= stackLimit else {
            throw Trap(.callStackExhausted)
        }
        var slot = 0
        for a in arguments { slot += a.write(to: fp + slot) }
        let header = fp + function.pointee.headerSlot
        header[0] = UInt64(UInt(bitPattern: UnsafePointer(haltCode)))
        header[1] = UInt64(UInt(bitPattern: fp))
        header[2] = UInt64(UInt(bitPattern: emptyMemory))
        let memory = function.pointee.memory
        var context = ExecutionContext(
            fp: fp, mem: memory.pointee.base, memorySize: memory.pointee.size, stackLimit: stackLimit,
            interruptRequested: interruptFlag, store: Unmanaged.passUnretained(self), fuel: fuel)
        activations += 1
        defer { activations -= 1 }
        withUnsafeMutablePointer(to: &context) { ctx in
            run(function.pointee.code, fp, memory.pointee.base, memory.pointee.size, ctx)
        }
        if engine.configuration.interruptible { fuel = context.fuel }
        switch context.trap {
        case .none:
            break
        case .hostError:
            let error = hostError ?? Trap(.hostError)
            hostError = nil
            throw error
        case .translationFailed:
            let error = hostError ?? Trap(.translationFailed)
            hostError = nil
            throw error
        case .uncaughtException:
            guard let exception = ExceptionRef(slot: context.exception) else { throw Trap(.uncaughtException) }
            throw exceptionObject(exception)
        default:
            throw Trap(context.trap, location: context.trapPc.flatMap { describeLocation(of: $0) })
        }
        var results: [Value] = []
        results.reserveCapacity(type.results.count)
        slot = 0
        for t in type.results {
            results.append(Value(slots: fp + slot, type: t, store: self))
            slot += t.slotCount
        }
        return results
    }

    func defineHostFunction(_ host: HostFunction) -> FunctionRef {
        let index = hostFunctions.count
        hostFunctions.append(host)
        let parameterSlots = host.type.parameters.reduce(0) { $0 + $1.slotCount }
        let resultSlots = host.type.results.reduce(0) { $0 + $1.slotCount }
        let headerSlot = Swift.max(parameterSlots, resultSlots)
        let entity = allocateFunction(FunctionEntity(
            code: UnsafePointer(haltCode), headerSlot: headerSlot, frameSlots: headerSlot + 3,
            memory: emptyMemory, typeID: typeID(of: host.type), kind: .host(index: index), instance: nil))
        entity.pointee.stub = (handlerWord(h_hostCall), UInt64(UInt(bitPattern: entity)))
        entity.pointee.code = stubCode(of: entity)
        return entity
    }

    /// The address of an entity's two stub words.
    func stubCode(of entity: FunctionRef) -> Pc {
        UnsafeRawPointer(entity).advanced(by: MemoryLayout<FunctionEntity>.offset(of: \.stub) ?? 0)
            .assumingMemoryBound(to: UInt64.self)
    }

}

/// Calls a host function with its frame at `fp`. Returns `.none`, or the reason to stop:
/// `.uncaughtException` when it threw an `Exception` of this store, which is then in
/// `ctx.exception`, to be thrown at the call.
@inline(never)
func callHost(_ function: FunctionRef, _ fp: Fp, _ callerMemory: MemoryRef, _ ctx: Ctx) -> TrapReason {
    let store = ctx.pointee.store.takeUnretainedValue()
    guard case .host(let index) = function.pointee.kind else { return .hostError }
    let host = store.hostFunctions[index]
    let savedTop = store.stackTop
    // Calls back into wasm build their frames above this one.
    store.stackTop = fp + function.pointee.frameSlots
    defer { store.stackTop = savedTop }
    do {
        try host.body(Caller(storage: store, memoryEntity: callerMemory), fp)
        for slot in host.narrowResultSlots { fp[slot] &= 0xFFFF_FFFF }
        return .none
    } catch let exception as Exception where exception.storage === store {
        ctx.pointee.exception = exception.object.slot
        return .uncaughtException
    } catch {
        store.hostError = error
        return .hostError
    }
}

/// Translates a function on its first call; returns its code, or nil (with the error kept).
@inline(never)
func translateOnFirstCall(_ function: FunctionRef, _ ctx: Ctx) -> Pc? {
    guard case .wasm(let definedIndex) = function.pointee.kind,
          let instance = function.pointee.instance?.takeUnretainedValue()
    else { return nil }
    do {
        let output = try instance.translate(definedIndex: definedIndex)
        let installed = instance.store.installCode(output, instance: instance, definedIndex: definedIndex)
        function.pointee.code = UnsafePointer(installed)
        return function.pointee.code
    } catch {
        instance.store.hostError = error
        return nil
    }
}
