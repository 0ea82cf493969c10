import SwimTypes

/// Compiles and runs WebAssembly modules. An engine holds configuration shared by
/// its stores; it is cheap and may be shared.
public final class Engine: Sendable {
    public let configuration: Configuration

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// The proposals the interpreter runs: Wasm 2.0, tail calls, extended constant expressions,
    /// relaxed SIMD, typed function references, several memories, memory64 (with table64) and
    /// exception handling (with its legacy instructions).
    public static let supportedFeatures: WasmFeatures = WasmFeatures.wasm2.union(
        [.tailCall, .extendedConst, .relaxedSimd, .functionReferences, .multiMemory, .memory64, .exceptions,
         .legacyExceptions])

    public struct Configuration: Sendable {
        /// The WebAssembly proposals accepted.
        public var features: WasmFeatures = .default
        /// Bytes of value stack per store: bounds the depth of wasm recursion
        /// ("call stack exhausted"). Reserved lazily: untouched pages cost nothing.
        public var stackSize: Int = 16 << 20
        /// The most pages any memory may grow to, whatever it declares. The shim sets
        /// this under the container's memory limit so `memory.grow` fails (returns -1)
        /// before the kernel's OOM killer acts.
        public var maxMemoryPages: UInt64 = 65536
        /// The most elements any table may hold.
        public var maxTableElements: Int = 10_000_000
        /// The most bytes that all memories and tables of a store may hold together (memory
        /// pages in use, table elements at 8 bytes). Going over makes `memory.grow` and
        /// `table.grow` fail (-1) and instantiation throw. It also bounds the address space a
        /// memory reserves. The shim sets it under the container's memory limit. The default,
        /// 6 GiB, holds a full 4 GiB 32-bit memory with room to spare, and stops a module whose
        /// tables alone would take the host's memory (100 tables of 10 million elements).
        public var memoryLimit: UInt64 = 6 << 30
        /// Emit checks at loop heads and function entries so that `Store.interrupt()`
        /// and fuel can stop running code. Costs a little speed.
        public var interruptible: Bool = false

        public init() {}
    }
}
