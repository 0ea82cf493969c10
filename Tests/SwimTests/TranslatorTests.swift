import Swim
import Testing

/// The translator's rewrites (lazy locals and sums, fused comparisons and addresses, merged
/// copies, redirected destinations) each have hazards the spec suite rarely reaches. Each
/// test runs code built to hit one, with results worked out by hand.
@Suite struct TranslatorTests {
    private func call(_ wat: String, _ name: String = "f", _ arguments: [Value] = []) throws -> [Value] {
        let (_, instance) = try instantiate(wat)
        return try #require(instance.function(name)).call(arguments)
    }

    @Test func aLazyLocalKeepsItsValueWhenTheLocalIsOverwritten() throws {
        // The first local.get is still on the stack when local 0 changes.
        let wat = """
            (module (func (export "f") (param i32) (result i32)
              (local.get 0)
              (local.set 0 (i32.add (local.get 0) (i32.const 100)))
              (i32.sub (local.get 0))))
            """
        // (x + 100) - x, with the operands in this order: old x first.
        #expect(try call(wat, "f", [.i32(5)]) == [.i32(UInt32(bitPattern: -100))])
    }

    @Test func aLazySumKeepsItsValueWhenItsBaseIsOverwritten() throws {
        let wat = """
            (module (func (export "f") (param i32) (result i32)
              (i32.add (local.get 0) (i32.const 7))
              (local.set 0 (i32.const 1000))
              (i32.mul (local.get 0))))
            """
        #expect(try call(wat, "f", [.i32(3)]) == [.i32(10 * 1000)])
    }

    @Test func aSumStoredAsAValueDoesNotClobberAFusedAddress() throws {
        // The address is an i32.add of a loaded value; the value stored is a lazy sum whose
        // slot is the slot of the address's second operand.
        let wat = """
            (module (memory 1) (data (i32.const 0) "\\10")
              (func (export "f") (param i32) (result i32)
                (i32.store (i32.add (local.get 0) (i32.load8_u (i32.const 0)))
                           (i32.add (local.get 0) (i32.const 1)))
                (i32.load (i32.const 24))))
            """
        // address = 8 + 16 = 24, value = 8 + 1.
        #expect(try call(wat, "f", [.i32(8)]) == [.i32(9)])
    }

    @Test func addressArithmeticWrapsBeforeTheOffsetIsAdded() throws {
        let wat = """
            (module (memory 1) (data (i32.const 4) "\\2a")
              (func (export "lazy") (param i32) (result i32) (i32.load8_u offset=8 (i32.add (local.get 0) (i32.const -4))))
              (func (export "fused") (param i32 i32) (result i32) (i32.load8_u offset=8 (i32.add (local.get 0) (local.get 1))))
              (func (export "absolute") (result i32) (i32.load8_u offset=1 (i32.const 3))))
            """
        let (_, instance) = try instantiate(wat)
        // 0 + (-4) wraps to 0xFFFFFFFC; + 8 is out of bounds (no wrap after the offset).
        #expect(throws: Trap(.outOfBoundsMemoryAccess)) { try instance.function("lazy")?.call([.i32(0)]) }
        #expect(throws: Trap(.outOfBoundsMemoryAccess)) {
            try instance.function("fused")?.call([.i32(0xFFFF_FFFC), .i32(0)])
        }
        // 2 + 0xFFFFFFFE wraps to 0; + 8 reads byte 8, a zero (the data is at 4).
        #expect(try instance.function("fused")?.call([.i32(2), .i32(0xFFFF_FFFE)]) == [.i32(0)])
        #expect(throws: Trap(.outOfBoundsMemoryAccess)) {
            try instance.function("fused")?.call([.i32(0xFFFF_FFFD), .i32(0)])
        }
        #expect(try instance.function("absolute")?.call([]) == [.i32(0x2A)])
    }

    @Test func aFusedComparisonRespectsABranchTargetBetween() throws {
        // The comparison's result reaches the br_if through a block end (a label): it must
        // not be fused across it, since the other path into the label carries another value.
        let wat = """
            (module (func (export "f") (param i32) (result i32)
              (block $out (result i32)
                i32.const 111
                (block $mid (result i32)
                  (drop (br_if $mid (i32.const 0) (i32.eqz (local.get 0))))
                  (i32.lt_s (local.get 0) (i32.const 10)))
                br_if $out
                drop
                i32.const 222)))
            """
        #expect(try call(wat, "f", [.i32(0)]) == [.i32(222)])  // 0 arrives at $mid: no branch
        #expect(try call(wat, "f", [.i32(5)]) == [.i32(111)])  // 5 < 10
        #expect(try call(wat, "f", [.i32(50)]) == [.i32(222)])
    }

    @Test func mergedCopiesRespectABranchTargetBetween() throws {
        let wat = """
            (module (func (export "f") (param i32 i32 i32) (result i32) (local i32 i32)
              (local.set 3 (local.get 1))
              (block $b (br_if $b (local.get 0)) (local.set 3 (local.get 2)))
              (local.set 4 (local.get 3))
              (i32.add (local.get 4) (local.get 3))))
            """
        #expect(try call(wat, "f", [.i32(1), .i32(10), .i32(20)]) == [.i32(20)])
        #expect(try call(wat, "f", [.i32(0), .i32(10), .i32(20)]) == [.i32(40)])
    }

    @Test func resultsComingFromSwappedParametersAreNotClobbered() throws {
        let wat = """
            (module (func (export "swap") (param i32 i32) (result i32 i32) (local.get 1) (local.get 0)))
            """
        #expect(try call(wat, "swap", [.i32(1), .i32(2)]) == [.i32(2), .i32(1)])
    }

    @Test func branchTableMovesValuesForEachTarget() throws {
        let wat = """
            (module (func (export "f") (param i32) (result i32)
              (block $a (result i32)
                (block $b (result i32)
                  (i32.add
                    (block $c (result i32)
                      (br_table $a $b $c (i32.const 7) (local.get 0)))
                    (i32.const 100)))
                (i32.add (i32.const 1000)))))
            """
        #expect(try call(wat, "f", [.i32(0)]) == [.i32(7)])
        #expect(try call(wat, "f", [.i32(1)]) == [.i32(1007)])
        #expect(try call(wat, "f", [.i32(2)]) == [.i32(1107)])
        #expect(try call(wat, "f", [.i32(9)]) == [.i32(1107)])
    }

    @Test func zeroExtensionAndReinterpretationCostNoCodeButKeepTheirMeaning() throws {
        let wat = """
            (module
              (func (export "ext") (param i32) (result i64) (i64.extend_i32_u (local.get 0)))
              (func (export "ext_add") (param i32 i32) (result i64) (i64.extend_i32_u (i32.add (local.get 0) (local.get 1))))
              (func (export "wrap_ext") (param i64) (result i64) (i64.extend_i32_u (i32.wrap_i64 (local.get 0))))
              (func (export "bits") (param f32) (result i64) (i64.extend_i32_u (i32.reinterpret_f32 (local.get 0)))))
            """
        let (_, instance) = try instantiate(wat)
        #expect(try instance.function("ext")?.call([.i32(0xFFFF_FFFF)]) == [.i64(0xFFFF_FFFF)])
        #expect(try instance.function("ext_add")?.call([.i32(0xFFFF_FFFF), .i32(2)]) == [.i64(1)])
        #expect(try instance.function("wrap_ext")?.call([.i64(0x1234_5678_9ABC_DEF0)]) == [.i64(0x9ABC_DEF0)])
        #expect(try instance.function("bits")?.call([Value(Float(-1))]) == [.i64(0xBF80_0000)])
    }

    @Test func hostResultsAreZeroExtended() throws {
        let store = Store(engine: Engine())
        var linker = Linker()
        linker.define("env", "dirty", .function(Function(store: store, type: FunctionType(results: [.i32]),
                                                         rawBody: { _, slots in slots[0] = 0xDEAD_BEEF_0000_0001 })))
        let (_, instance) = try instantiate("""
            (module (import "env" "dirty" (func $d (result i32)))
              (func (export "f") (result i64) (i64.extend_i32_u (call $d))))
            """, linker: linker, store: store)
        #expect(try instance.function("f")?.call([]) == [.i64(1)])
    }

    @Test func immediateFormsOfEveryKind() throws {
        let wat = """
            (module
              (func (export "i64big") (param i64) (result i64) (i64.mul (local.get 0) (i64.const 0x9E3779B97F4A7C15)))
              (func (export "f64") (param f64) (result f64) (f64.sub (f64.mul (local.get 0) (f64.const 2.5)) (f64.const 1)))
              (func (export "f32cmp") (param f32) (result i32) (f32.lt (f32.const 1.5) (local.get 0)))
              (func (export "ltconst") (param i32) (result i32) (i32.lt_s (i32.const 3) (local.get 0))))
            """
        let (_, instance) = try instantiate(wat)
        #expect(try instance.function("i64big")?.call([.i64(3)]) == [.i64(3 &* 0x9E37_79B9_7F4A_7C15)])
        #expect(try instance.function("f64")?.call([Value(4.0)]) == [Value(9.0)])
        #expect(try instance.function("f32cmp")?.call([Value(Float(2))]) == [.i32(1)])
        #expect(try instance.function("f32cmp")?.call([.f32(Float.nan.bitPattern)]) == [.i32(0)])
        #expect(try instance.function("ltconst")?.call([.i32(4)]) == [.i32(1)])
        #expect(try instance.function("ltconst")?.call([.i32(3)]) == [.i32(0)])
    }
}


@Suite struct FusedShiftTests {
    @Test func shiftsByConstantsFuseIntoTheOperatorThatConsumesThem() throws {
        let wat = """
            (module
              (func (export "xorshift") (param i64) (result i64)
                (local.set 0 (i64.xor (local.get 0) (i64.shl (local.get 0) (i64.const 13))))
                (local.set 0 (i64.xor (i64.shr_u (local.get 0) (i64.const 7)) (local.get 0)))
                (i64.xor (local.get 0) (i64.shl (local.get 0) (i64.const 17))))
              (func (export "index") (param i32 i32) (result i32) (i32.add (local.get 0) (i32.shl (local.get 1) (i32.const 2))))
              (func (export "sub") (param i32 i32) (result i32) (i32.sub (i32.shl (local.get 1) (i32.const 4)) (local.get 0)))
              (func (export "rot") (param i32 i32) (result i32) (i32.xor (local.get 0) (i32.rotr (local.get 1) (i32.const 38))))
              (func (export "sar") (param i64 i64) (result i64) (i64.or (local.get 0) (i64.shr_s (local.get 1) (i64.const -1)))))
            """
        let (_, instance) = try instantiate(wat)
        var x: UInt64 = 88172645463325252
        x ^= x << 13; x ^= x >> 7; x ^= x << 17
        #expect(try instance.function("xorshift")?.call([.i64(88172645463325252)]) == [.i64(x)])
        #expect(try instance.function("index")?.call([.i32(1000), .i32(3)]) == [.i32(1012)])
        // Not commutative: (b << 4) - a.
        #expect(try instance.function("sub")?.call([.i32(1), .i32(2)]) == [.i32(31)])
        // Rotation counts are taken modulo 32: 38 → 6.
        #expect(try instance.function("rot")?.call([.i32(0), .i32(0x40)]) == [.i32(1)])
        // shr_s by -1 shifts by 63.
        #expect(try instance.function("sar")?.call([.i64(1), .i64(0x8000_0000_0000_0000)]) == [.i64(UInt64.max)])
    }
}

@Suite struct ConditionalReturnTests {
    /// A `br_if` to the function's label returns on one path only: the other path must still
    /// see its operands (lazy locals and sums) unchanged.
    @Test func aConditionalReturnLeavesTheFallThroughPathIntact() throws {
        let wat = """
            (module
              (func (export "sum") (param i32 i32) (result i32)
                (br_if 0 (i32.add (local.get 0) (i32.const 1)) (local.get 1)))
              (func (export "local") (param i32 i32) (result i32)
                (br_if 0 (local.get 0) (local.get 1)))
              (func (export "swap") (param i32 i32 i32) (result i32 i32)
                (br_if 0 (local.get 1) (local.get 0) (local.get 2)))
              (func (export "table") (param i32 i32) (result i32)
                (block $b (result i32)
                  (br_table $b 1 (i32.add (local.get 0) (i32.const 10)) (local.get 1)))
                (i32.add (i32.const 100))))
            """
        let (_, instance) = try instantiate(wat)
        #expect(try instance.function("sum")?.call([.i32(5), .i32(0)]) == [.i32(6)])
        #expect(try instance.function("sum")?.call([.i32(5), .i32(1)]) == [.i32(6)])
        #expect(try instance.function("local")?.call([.i32(7), .i32(0)]) == [.i32(7)])
        #expect(try instance.function("local")?.call([.i32(7), .i32(1)]) == [.i32(7)])
        #expect(try instance.function("swap")?.call([.i32(1), .i32(2), .i32(0)]) == [.i32(2), .i32(1)])
        #expect(try instance.function("swap")?.call([.i32(1), .i32(2), .i32(1)]) == [.i32(2), .i32(1)])
        // Target 0 leaves the block (+100), target 1 returns directly.
        #expect(try instance.function("table")?.call([.i32(5), .i32(0)]) == [.i32(115)])
        #expect(try instance.function("table")?.call([.i32(5), .i32(1)]) == [.i32(15)])
    }
}

@Suite struct LoadOperandTests {
    @Test func floatArithmeticTakesAFreshlyLoadedOperand() throws {
        let wat = """
            (module (memory 1)
              (data (i32.const 8) "\\00\\00\\00\\00\\00\\00\\24\\40")
              (data (i32.const 16) "\\00\\00\\20\\41")
              (func (export "sub") (param f64 i32) (result f64) (f64.sub (local.get 0) (f64.load (local.get 1))))
              (func (export "div_ri") (param f64 i32) (result f64) (f64.div (local.get 0) (f64.load offset=4 (i32.add (local.get 1) (i32.const 4)))))
              (func (export "mul_first") (param f32 i32) (result f32) (f32.mul (f32.load (local.get 1)) (local.get 0)))
              (func (export "oob") (param f64 i32) (result f64) (f64.add (local.get 0) (f64.load (local.get 1)))))
            """
        let (_, instance) = try instantiate(wat)
        // memory[8] = 10.0 (f64), memory[16] = 10.0 (f32)
        #expect(try instance.function("sub")?.call([Value(1.0), .i32(8)]) == [Value(-9.0)])
        #expect(try instance.function("div_ri")?.call([Value(5.0), .i32(0)]) == [Value(0.5)])
        #expect(try instance.function("mul_first")?.call([Value(Float(3)), .i32(16)]) == [Value(Float(30))])
        #expect(throws: Trap(.outOfBoundsMemoryAccess)) { try instance.function("oob")?.call([Value(1.0), .i32(65530)]) }
    }
}

/// A float comparison fused with the branch on it. A false `a < b` is not `a >= b` when an
/// operand is NaN, so `if` (which branches when its condition is false) needs handlers that
/// branch on the negation; every comparison is checked in both senses against Swift's.
@Suite struct FusedFloatBranchTests {
    static let operators: [(name: String, holds: @Sendable (Double, Double) -> Bool)] = [
        ("eq", { $0 == $1 }), ("ne", { $0 != $1 }), ("lt", { $0 < $1 }),
        ("gt", { $0 > $1 }), ("le", { $0 <= $1 }), ("ge", { $0 >= $1 }),
    ]
    static let values: [Double] = [0, -0.0, 1.5, -1, .infinity, -.infinity, .nan]

    /// For each operator: `if_OP` (branch when false), `br_if_OP` (branch when true), and the
    /// same against the constant 1.5 (`if_OP_k`, `br_if_OP_k`).
    static func module(_ type: String) -> String {
        var functions = ""
        for (name, _) in operators {
            let registers = "(\(type).\(name) (local.get 0) (local.get 1))"
            let constant = "(\(type).\(name) (local.get 0) (\(type).const 1.5))"
            for (suffix, condition) in [("", registers), ("_k", constant)] {
                functions += """
                    (func (export "if_\(name)\(suffix)") (param \(type) \(type)) (result i32)
                      (if (result i32) \(condition) (then (i32.const 1)) (else (i32.const 0))))
                    (func (export "br_if_\(name)\(suffix)") (param \(type) \(type)) (result i32)
                      (block (result i32) (drop (br_if 0 (i32.const 1) \(condition))) (i32.const 0)))

                    """
            }
        }
        return "(module\n\(functions))"
    }

    @Test(arguments: ["f32", "f64"]) func fusedFloatComparisonsBranchBothWays(type: String) throws {
        let (_, instance) = try instantiate(Self.module(type))
        func value(_ x: Double) -> Value { type == "f32" ? .f32(Float(x).bitPattern) : .f64(x.bitPattern) }
        for (name, holds) in Self.operators {
            for a in Self.values {
                for b in Self.values {
                    let expected: [Value] = [.i32(holds(a, b) ? 1 : 0)]
                    let expectedConstant: [Value] = [.i32(holds(a, 1.5) ? 1 : 0)]
                    for form in ["if_", "br_if_"] {
                        #expect(try instance.function(form + name)?.call([value(a), value(b)]) == expected,
                                "\(type).\(name) \(a) \(b) through \(form)")
                        #expect(try instance.function(form + name + "_k")?.call([value(a), value(b)]) == expectedConstant,
                                "\(type).\(name) \(a) 1.5 through \(form)")
                    }
                }
            }
        }
    }
}
