import Testing
@testable import SwimWAT

/// Integer and float literals: syntax, ranges and exact rounding.
@Suite struct LiteralTests {
    func f32(_ text: String) -> FloatLiteral.Result { FloatLiteral.parse(Array(text.utf8)[...], format: .f32) }
    func f64(_ text: String) -> FloatLiteral.Result { FloatLiteral.parse(Array(text.utf8)[...], format: .f64) }
    func integer(_ text: String, bits: Int) -> IntegerLiteral.BitPatternResult {
        IntegerLiteral.bitPattern(Array(text.utf8)[...], bits: bits)
    }

    // MARK: Integers

    @Test(arguments: [
        ("0", UInt64(0)), ("+1", 1), ("-1", 0xFFFF_FFFF), ("4294967295", 0xFFFF_FFFF), ("-2147483648", 0x8000_0000),
        ("0xFFFF_FFFF", 0xFFFF_FFFF), ("-0x8000_0000", 0x8000_0000), ("1_000_000", 1_000_000), ("0x0a", 10),
    ])
    func i32Literals(text: String, bits: UInt64) {
        #expect(integer(text, bits: 32) == .value(bits))
    }

    @Test func i64Extremes() {
        #expect(integer("-9223372036854775808", bits: 64) == .value(0x8000_0000_0000_0000))
        #expect(integer("18446744073709551615", bits: 64) == .value(.max))
        #expect(integer("0xffff_ffff_ffff_ffff", bits: 64) == .value(.max))
        #expect(integer("-0x8000000000000000", bits: 64) == .value(0x8000_0000_0000_0000))
        #expect(integer("9223372036854775807", bits: 64) == .value(0x7FFF_FFFF_FFFF_FFFF))
    }

    @Test(arguments: ["4294967296", "-2147483649", "0x1_0000_0000", "-0x80000001", "99999999999999999999999"])
    func i32OutOfRange(text: String) {
        #expect(integer(text, bits: 32) == .outOfRange)
    }

    @Test func i64OutOfRange() {
        #expect(integer("18446744073709551616", bits: 64) == .outOfRange)
        #expect(integer("-9223372036854775809", bits: 64) == .outOfRange)
        #expect(integer("0x1_0000_0000_0000_0000", bits: 64) == .outOfRange)
    }

    @Test(arguments: ["", "-", "0x", "1x", "0xg", "_1", "1_", "1__0", "0x_1", "+_1", "1.0", "0_x1", "--1"])
    func malformedIntegers(text: String) {
        #expect(integer(text, bits: 32) == .malformed)
    }

    // MARK: Floats

    @Test(arguments: [
        ("0", UInt64(0)), ("-0", 0x8000_0000), ("1", 0x3F80_0000), ("1.5", 0x3FC0_0000), ("0.1", 0x3DCC_CCCD),
        ("1e10", 0x5015_02F9), ("1.5e-10", 0x2F24_ED3F), ("16777217", 0x4B80_0000), ("1.", 0x3F80_0000), ("1.e1", 0x4120_0000),
        ("0x1p-149", 1), ("0x1p-150", 0), ("0x1.000002p-150", 1), ("1.401298464324817e-45", 1),
        ("7.00649232162408535461864791644958065640130970938257885878534141944895541342930300743319094181060791015625e-46", 0),
        ("7.0064923216240854e-46", 1), ("1.1754942e-38", 0x007F_FFFF), ("3.4028235e38", 0x7F7F_FFFF),
        ("340282356779733661637539395458142568447", 0x7F7F_FFFF), ("0x1.fffffep127", 0x7F7F_FFFF),
        ("0x1.000001p0", 0x3F80_0000), ("0x1.000003p0", 0x3F80_0002), ("0x1.00000100000000000001p0", 0x3F80_0001),
        ("inf", 0x7F80_0000), ("-inf", 0xFF80_0000), ("nan", 0x7FC0_0000), ("-nan", 0xFFC0_0000),
        ("nan:0x200000", 0x7FA0_0000), ("+nan:0x7f_ffff", 0x7FFF_FFFF), ("1_000.000_1", 0x447A_0002),
        ("0x1_0.8p1_0", 0x4684_0000), ("1e-1000000000", 0), ("0.000000000000000000000000000000000000000000000001", 0),
    ])
    func f32Literals(text: String, bits: UInt64) {
        #expect(f32(text) == .value(bits), "\(text)")
    }

    @Test(arguments: [
        ("0.1", UInt64(0x3FB9_9999_9999_999A)), ("1e23", 0x44B5_2D02_C7E1_4AF6), ("-0", 0x8000_0000_0000_0000),
        ("2.2250738585072011e-308", 0x000F_FFFF_FFFF_FFFF), ("2.2250738585072012e-308", 0x0010_0000_0000_0000),
        ("9007199254740993", 0x4340_0000_0000_0000), ("9007199254740995", 0x4340_0000_0000_0002),
        ("4.9406564584124654e-324", 1), ("2.4703282292062327e-324", 0), ("2.4703282292062328e-324", 1),
        ("1.7976931348623157e308", 0x7FEF_FFFF_FFFF_FFFF), ("0x1.fffffffffffffp-1023", 0x0010_0000_0000_0000),
        ("-0x1p-1074", 0x8000_0000_0000_0001), ("0x1.fffffffffffff7ffffffp1023", 0x7FEF_FFFF_FFFF_FFFF),
        ("nan:0x1", 0x7FF0_0000_0000_0001), ("nan:0xf_ffff_ffff_ffff", 0x7FFF_FFFF_FFFF_FFFF), ("-inf", 0xFFF0_0000_0000_0000),
        ("1.00000000000000011102230246251565404236316680908203125", 0x3FF0_0000_0000_0000),
    ])
    func f64Literals(text: String, bits: UInt64) {
        #expect(f64(text) == .value(bits), "\(text)")
    }

    @Test func longDecimalsKeepTheirStickyDigits() {
        // Exactly halfway between 1 and the next double: ties to even (down)...
        let halfway = "1.00000000000000011102230246251565404236316680908203125"
        #expect(f64(halfway) == .value(0x3FF0_0000_0000_0000))
        // ...but a non-zero digit a thousand places later must round up.
        #expect(f64(halfway + String(repeating: "0", count: 1000) + "1") == .value(0x3FF0_0000_0000_0001))
        #expect(f64("1." + String(repeating: "0", count: 1000) + "1") == .value(0x3FF0_0000_0000_0000))
        #expect(f64(String(repeating: "9", count: 2000) + "e-2000") == .value(0x3FF0_0000_0000_0000))
    }

    @Test(arguments: [
        "1e39", "-1e39", "0x1p128", "-0x1.ffffffp127", "340282356779733661637539395458142568448", "1e1000000000",
        "nan:0x0", "nan:0x80_0000",
    ])
    func f32OutOfRange(text: String) {
        #expect(f32(text) == .outOfRange, "\(text)")
    }

    @Test(arguments: ["1e309", "0x1p1024", "0x1.fffffffffffff8p1023", "nan:0x10_0000_0000_0000"])
    func f64OutOfRange(text: String) {
        #expect(f64(text) == .outOfRange, "\(text)")
    }

    @Test(arguments: [
        "", ".0", ".0e0", "0e", "0e+", "0.0e-", "0x", "0x.", "0x0.g", "0x0p", "0x0pA", "1x", "_1.0", "1_.0", "1._0", "1.0_",
        "1.0e_1", "1.0e1_", "1__0", "0x_1", "0x1p_1", "nan:1", "nan:0x", "infinity", "nan:canonical", "+-1", "1e1.5",
    ])
    func malformedFloats(text: String) {
        #expect(f32(text) == .malformed, "\(text)")
        #expect(f64(text) == .malformed, "\(text)")
    }

    // MARK: Through the text format

    @Test func constantErrorsNameTheProblem() {
        let error = compileError("(func (drop (i32.const 4294967296)))")
        #expect(error?.message.contains("constant out of range") == true)
        #expect(error?.line == 1)
        #expect(error?.column == 24)
        #expect(compileError("(func (drop (f32.const 1e39)))")?.message.contains("constant out of range") == true)
        #expect(compileError("(func (drop (v128.const i8x16 256 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0)))")?.message.contains("constant out of range") == true)
        #expect(compileError("(func (drop (i32.const nan:canonical)))") != nil)
        #expect(compileError("(func (drop (f32.const nan:arithmetic)))") != nil)
        #expect(compileError("(memory 0x1_0000_0000)", features: .wasm2)?.message.contains("out of range") == true)
        #expect(compileError("(memory 1) (func (drop (i32.load offset=4294967296 (i32.const 0))))", features: .wasm2)?.message.contains("out of range") == true)
    }

    @Test func alignmentMustBeAPowerOfTwo() {
        #expect(compileError("(memory 1) (func (drop (i32.load align=3 (i32.const 0))))")?.message.contains("power of two") == true)
        #expect(compileError("(memory 1) (func (drop (i32.load align=0 (i32.const 0))))")?.message.contains("power of two") == true)
        #expect(compileError("(memory 1) (func (drop (i32.load align=-1 (i32.const 0))))") != nil)
    }

    @Test func stringEscapes() {
        let text = #"(memory 1) (data (i32.const 0) "\t\n\r\"\'\\\41\u{e9}\u{1F600}")"#
        let encoded = compile(text)
        let payload: [UInt8] = [0x09, 0x0A, 0x0D, 0x22, 0x27, 0x5C, 0x41, 0xC3, 0xA9, 0xF0, 0x9F, 0x98, 0x80]
        #expect(encoded.map { Array($0.suffix(payload.count)) } == payload)
        #expect(compileError(#"(data "\q")"#) != nil)
        #expect(compileError(#"(data "\u{D800}")"#) != nil)
        #expect(compileError(#"(data "\u{110000}")"#) != nil)
        #expect(compileError("(data \"a\u{01}b\")") != nil)
        #expect(compileError("(data \"unterminated)") != nil)
        // Names must be UTF-8; data need not be.
        #expect(compileError(#"(func (export "\ff"))"#)?.message.contains("malformed UTF-8 encoding") == true)
        #expect(compile(#"(memory 1) (data (i32.const 0) "\ff")"#) != nil)
    }
}
