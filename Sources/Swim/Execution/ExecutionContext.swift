/// State shared by the handlers of one call into the interpreter, reached through
/// the `ctx` register. Only trivial fields: handlers must not touch ARC.
struct ExecutionContext {
    /// Registers saved between instructions by the `-Onone` trampoline.
    var fp: Fp
    var mem: Mem
    var memorySize: UInt64

    /// The first slot past the value stack: a frame must end at or below it.
    var stackLimit: Fp
    /// Why execution stopped, when a handler returned nil.
    var trap: TrapReason = .none
    /// The pc of the instruction that trapped (for diagnostics).
    var trapPc: Pc?
    /// Set from any thread to make running code stop with `.interrupted`
    /// at its next loop back-edge or call (only checked when the engine
    /// was configured as interruptible).
    var interruptRequested: UnsafeMutablePointer<UInt8>
    /// The store, for slow paths that need it (host calls, translation).
    var store: Unmanaged<StoreStorage>
    /// Remaining fuel when fuel metering is on; checked like interrupts.
    var fuel: Int64 = .max
    /// The exception (an exnref) that left the outermost frame, with `trap == .uncaughtException`.
    var exception: UInt64 = 0
}

/// Why the interpreter stopped early (the spec's trap kinds, plus interruption).
public enum TrapReason: UInt8, Sendable {
    case none
    case unreachable
    case integerDivideByZero
    case integerOverflow
    case invalidConversionToInteger
    case outOfBoundsMemoryAccess
    case outOfBoundsTableAccess
    case undefinedElement
    case uninitializedElement
    case indirectCallTypeMismatch
    case callStackExhausted
    case nullFunctionReference
    /// `ref.as_non_null` of null.
    case nullReference
    case interrupted
    case outOfFuel
    /// A host function threw: the error is kept in `StoreStorage.hostError`.
    case hostError
    /// A function could not be translated (an implementation limit).
    case translationFailed
    /// `throw_ref` of a null exception reference.
    case nullExceptionReference
    /// An exception no handler caught: it is in `ExecutionContext.exception`.
    case uncaughtException
    // GC
    case nullStructureReference
    case nullArrayReference
    case nullI31Reference
    case outOfBoundsArrayAccess
    case castFailure
    /// A struct or array did not fit under the engine's memory limit.
    case outOfMemory
    /// A host function raised a trap with its own message (`Trap(hostMessage:)`).
    case hostTrap
}

extension TrapReason {
    /// The spec's wording for each trap.
    public var message: String {
        switch self {
        case .none: return "no trap"
        case .unreachable: return "unreachable"
        case .integerDivideByZero: return "integer divide by zero"
        case .integerOverflow: return "integer overflow"
        case .invalidConversionToInteger: return "invalid conversion to integer"
        case .outOfBoundsMemoryAccess: return "out of bounds memory access"
        case .outOfBoundsTableAccess: return "out of bounds table access"
        case .undefinedElement: return "undefined element"
        case .uninitializedElement: return "uninitialized element"
        case .indirectCallTypeMismatch: return "indirect call type mismatch"
        case .callStackExhausted: return "call stack exhausted"
        case .nullFunctionReference: return "null function reference"
        case .nullReference: return "null reference"
        case .interrupted: return "interrupted"
        case .outOfFuel: return "all fuel consumed"
        case .hostError: return "host function failed"
        case .translationFailed: return "function too large to translate"
        case .nullExceptionReference: return "null exception reference"
        case .uncaughtException: return "uncaught exception"
        case .nullStructureReference: return "null structure reference"
        case .nullArrayReference: return "null array reference"
        case .nullI31Reference: return "null i31 reference"
        case .outOfBoundsArrayAccess: return "out of bounds array access"
        case .castFailure: return "cast failure"
        case .outOfMemory: return "out of memory: the GC heap reached the memory limit"
        case .hostTrap: return "trap raised by a host function"
        }
    }
}

/// Records a trap and stops execution. Kept out of line so that handlers stay small.
@inline(never)
func trap(_ reason: TrapReason, _ pc: Pc, _ ctx: Ctx) -> Pc? {
    ctx.pointee.trap = reason
    ctx.pointee.trapPc = pc
    return nil
}
