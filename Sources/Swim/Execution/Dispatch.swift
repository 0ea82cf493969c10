/// Direct-threaded dispatch.
///
/// Translated code is an array of 64-bit words. Each instruction starts with the
/// address of its handler, followed by its immediates. A handler is a
/// `@convention(thin)` function that takes the hot state as parameters and ends by
/// calling the next instruction's handler: at `-O`, LLVM turns that call into a
/// `jmp`, so a whole run is one chain of jumps. Nothing guarantees the tail call at
/// `-Onone`, so debug builds return to a trampoline loop after every instruction
/// (see interpreter-dispatch.md: the fallback costs nothing at `-O`).
///
/// A handler returns nil when execution stops: the outermost function returned
/// (`ctx.trap == .none`) or a trap was raised (`ctx.trap` says which).

/// The program counter: points at an instruction's handler word.
typealias Pc = UnsafePointer<UInt64>
/// The frame pointer: slot 0 of the current function's frame (8-byte slots).
typealias Fp = UnsafeMutablePointer<UInt64>
/// The base address of the current instance's memory 0.
typealias Mem = UnsafeMutableRawPointer
/// The per-call execution context.
typealias Ctx = UnsafeMutablePointer<ExecutionContext>

typealias Handler = @convention(thin) (Pc, Fp, Mem, UInt64, Ctx) -> Pc?

/// Continues with the instruction at `pc`.
@inline(__always)
func next(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? {
    if _isDebugAssertConfiguration() {
        // -Onone: hand the registers back to the trampoline loop in `run`.
        ctx.pointee.fp = fp
        ctx.pointee.mem = mem
        ctx.pointee.memorySize = ms
        return pc
    }
    return unsafeBitCast(pc.pointee, to: Handler.self)(pc, fp, mem, ms, ctx)
}

/// The address of a handler, as stored in a code word.
@inline(__always)
func handlerWord(_ handler: Handler) -> UInt64 {
    unsafeBitCast(handler, to: UInt64.self)
}

/// Runs code until it stops. At `-O` the first handler call runs the whole chain.
@inline(never)
func run(_ code: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) {
    var pc: Pc? = unsafeBitCast(code.pointee, to: Handler.self)(code, fp, mem, ms, ctx)
    while let p = pc {
        let c = ctx.pointee
        pc = unsafeBitCast(p.pointee, to: Handler.self)(p, c.fp, c.mem, c.memorySize, ctx)
    }
}
