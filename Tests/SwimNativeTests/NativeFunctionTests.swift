import Swim
import SwimNative
import SwimWAT
import Testing

/// The embedding side of native functions: C function pointers (here Swift functions with C
/// calling conventions) behind wasm imports, called through libffi. The WAMR helpers and
/// `dlopen`ed libraries are tested through `swim run` (Tests/native, `make native-test`).
@Suite struct NativeFunctionTests {
    typealias Env = UnsafeMutableRawPointer?

    static func instance(_ wat: String, define: (inout Linker, Store) throws -> Void) throws -> Instance {
        let engine = Engine()
        let store = Store(engine: engine)
        let module = try Module(engine: engine, bytes: try wat2wasm(wat))
        var linker = Linker()
        try define(&linker, store)
        return try linker.instantiate(module, in: store)
    }

    static func pointer<T>(_ function: T) -> UnsafeMutableRawPointer {
        unsafeBitCast(function, to: UnsafeMutableRawPointer.self)
    }

    @Test func numbersOfEveryKind() throws {
        let add: @convention(c) (Env, UInt32, UInt64, Float, Double) -> Double = { _, a, b, c, d in
            Double(a) + Double(b) + Double(c) + d
        }
        let type = FunctionType(parameters: [.i32, .i64, .f32, .f64], results: [.f64])
        let instance = try Self.instance("""
            (module (import "env" "add" (func $add (param i32 i64 f32 f64) (result f64)))
              (func (export "run") (result f64)
                (call $add (i32.const 1) (i64.const 20) (f32.const 300.5) (f64.const 4000))))
            """) { linker, store in
            try linker.defineNative("env", "add", store: store, type: type, function: Self.pointer(add), signature: "(iIfF)F")
        }
        #expect(try instance.function("run")!.call([]) == [Value(4321.5)])
    }

    @Test func narrowResultsAreZeroExtended() throws {
        let negative: @convention(c) (Env) -> Int32 = { _ in -1 }
        let instance = try Self.instance("""
            (module (import "env" "negative" (func $n (result i32)))
              (func (export "run") (result i64) (i64.extend_i32_u (call $n))))
            """) { linker, store in
            try linker.defineNative("env", "negative", store: store, type: FunctionType(parameters: [], results: [.i32]),
                                    function: Self.pointer(negative), signature: "()i")
        }
        #expect(try instance.function("run")!.call([]) == [.i64(0xffff_ffff)])
    }

    @Test func aBufferIsPassedAsANativePointer() throws {
        let fill: @convention(c) (Env, UnsafeMutablePointer<UInt8>?, UInt32) -> Void = { _, buffer, length in
            for i in 0..<Int(length) { buffer![i] = UInt8(i + 1) }
        }
        let instance = try Self.instance("""
            (module (import "env" "fill" (func $fill (param i32 i32)))
              (memory (export "memory") 1)
              (func (export "run") (param i32 i32) (call $fill (local.get 0) (local.get 1))))
            """) { linker, store in
            try linker.defineNative("env", "fill", store: store, type: FunctionType(parameters: [.i32, .i32]),
                                    function: Self.pointer(fill), signature: "(*~)")
        }
        try instance.function("run")!.call([.i32(10), .i32(3)])
        #expect(instance.memory("memory")!.read(at: 9, count: 5) == [0, 1, 2, 3, 0])
        #expect(throws: Trap(.outOfBoundsMemoryAccess)) { try instance.function("run")!.call([.i32(65534), .i32(3)]) }
    }

    @Test func aSignatureThatDoesNotFitIsRefused() throws {
        let f: @convention(c) (Env, UInt32) -> UInt32 = { _, a in a }
        let store = Store(engine: Engine())
        var linker = Linker()
        #expect(throws: NativeLinkError.self) {
            try linker.defineNative("env", "f", store: store, type: FunctionType(parameters: [.i64], results: [.i64]),
                                    function: Self.pointer(f), signature: "(i)i")
        }
    }

    @Test func signatures() {
        let two = FunctionType(parameters: [.i32, .i32], results: [.i32])
        #expect(NativeSignature("(ii)i", type: two)?.parameters == [.i32, .i32])
        #expect(NativeSignature("(*~)i", type: two)?.parameters == [.pointer(hasLength: true), .length])
        #expect(NativeSignature("(*i)i", type: two)?.parameters == [.pointer(hasLength: false), .i32])
        #expect(NativeSignature("($$)i", type: two)?.parameters == [.string, .string])
        #expect(NativeSignature(nil, type: two)?.description == "(ii)i")
        #expect(NativeSignature("", type: two)?.description == "(ii)i")
        // Wrong letters, counts, results and shapes.
        for bad in ["(ii)I", "(ii)", "(i)i", "(iii)i", "(~i)i", "(ii)ii", "ii)i", "(ii", "(iF)i", "(i*~)i"] {
            #expect(NativeSignature(bad, type: two) == nil, "\(bad)")
        }
        // Addresses are i32s; a `~` must follow a `*` over two i32s.
        #expect(NativeSignature("(*)", type: FunctionType(parameters: [.i64])) == nil)
        #expect(NativeSignature("(*~)", type: FunctionType(parameters: [.i32, .i64])) == nil)
        // Reference and vector types cannot cross.
        #expect(NativeSignature(nil, type: FunctionType(parameters: [.externref])) == nil)
        #expect(NativeSignature(nil, type: FunctionType(parameters: [], results: [.v128])) == nil)
    }

    @Test func manyArgumentsGoOnTheStack() throws {
        let sum: @convention(c) (Env, UInt32, UInt64, Float, Double, UInt32, UInt64, Float, Double,
                                 UInt32, UInt64, Float, Double) -> Double = { _, a, b, c, d, e, f, g, h, i, j, k, l in
            Double(a) + 2 * Double(b) + 3 * Double(c) + 4 * d + 5 * Double(e) + 6 * Double(f)
                + 7 * Double(g) + 8 * h + 9 * Double(i) + 10 * Double(j) + 11 * Double(k) + 12 * l
        }
        let type = FunctionType(parameters: [.i32, .i64, .f32, .f64, .i32, .i64, .f32, .f64, .i32, .i64, .f32, .f64],
                                results: [.f64])
        let instance = try Self.instance("""
            (module (import "env" "sum" (func $sum (param i32 i64 f32 f64 i32 i64 f32 f64 i32 i64 f32 f64) (result f64)))
              (func (export "run") (result f64)
                (call $sum (i32.const 1) (i64.const 2) (f32.const 3) (f64.const 4) (i32.const 5) (i64.const 6)
                           (f32.const 7) (f64.const 8) (i32.const 9) (i64.const 10) (f32.const 11) (f64.const 12))))
            """) { linker, store in
            try linker.defineNative("env", "sum", store: store, type: type, function: Self.pointer(sum),
                                    signature: "(iIfFiIfFiIfF)F")
        }
        #expect(try instance.function("run")!.call([]) == [Value(650.0)])
    }
}
