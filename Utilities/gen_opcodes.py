#!/usr/bin/env python3
"""Generates the operator tables in Sources/WasmTypes (names, encodings, types): NumericOp.swift,
NumericOp+Signature.swift and MemoryAndLaneOps.swift.

Run `python3 Utilities/gen_opcodes.py` after changing the tables below.
Encodings: single-byte opcodes are their byte; prefixed ones are (prefix << 16) | sub-opcode.
"""
import os
import sys

# The shared helpers sit next to this script (no bytecode cache left in the tree).
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_common import ROOT, camel, generated_header, save  # noqa: E402

HEADER = generated_header("gen_opcodes.py")

I32, I64, F32, F64, V128 = "i32", "i64", "f32", "f64", "v128"

numeric = []  # (name, code, params, result)

def add(name, code, params, result):
    numeric.append((name, code, params, result))

# --- MVP numeric operators (0x45 ... 0xC4) ---
add("i32.eqz", 0x45, [I32], I32)
for i, n in enumerate("eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u".split()):
    add("i32." + n, 0x46 + i, [I32, I32], I32)
add("i64.eqz", 0x50, [I64], I32)
for i, n in enumerate("eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u".split()):
    add("i64." + n, 0x51 + i, [I64, I64], I32)
for i, n in enumerate("eq ne lt gt le ge".split()):
    add("f32." + n, 0x5B + i, [F32, F32], I32)
for i, n in enumerate("eq ne lt gt le ge".split()):
    add("f64." + n, 0x61 + i, [F64, F64], I32)
for t, base in ((I32, 0x67), (I64, 0x79)):
    for i, n in enumerate("clz ctz popcnt".split()):
        add(f"{t}.{n}", base + i, [t], t)
    for i, n in enumerate("add sub mul div_s div_u rem_s rem_u and or xor shl shr_s shr_u rotl rotr".split()):
        add(f"{t}.{n}", base + 3 + i, [t, t], t)
for t, base in ((F32, 0x8B), (F64, 0x99)):
    for i, n in enumerate("abs neg ceil floor trunc nearest sqrt".split()):
        add(f"{t}.{n}", base + i, [t], t)
    for i, n in enumerate("add sub mul div min max copysign".split()):
        add(f"{t}.{n}", base + 7 + i, [t, t], t)
conversions = [
    ("i32.wrap_i64", I64, I32), ("i32.trunc_f32_s", F32, I32), ("i32.trunc_f32_u", F32, I32),
    ("i32.trunc_f64_s", F64, I32), ("i32.trunc_f64_u", F64, I32), ("i64.extend_i32_s", I32, I64),
    ("i64.extend_i32_u", I32, I64), ("i64.trunc_f32_s", F32, I64), ("i64.trunc_f32_u", F32, I64),
    ("i64.trunc_f64_s", F64, I64), ("i64.trunc_f64_u", F64, I64), ("f32.convert_i32_s", I32, F32),
    ("f32.convert_i32_u", I32, F32), ("f32.convert_i64_s", I64, F32), ("f32.convert_i64_u", I64, F32),
    ("f32.demote_f64", F64, F32), ("f64.convert_i32_s", I32, F64), ("f64.convert_i32_u", I32, F64),
    ("f64.convert_i64_s", I64, F64), ("f64.convert_i64_u", I64, F64), ("f64.promote_f32", F32, F64),
    ("i32.reinterpret_f32", F32, I32), ("i64.reinterpret_f64", F64, I64), ("f32.reinterpret_i32", I32, F32),
    ("f64.reinterpret_i64", I64, F64),
    # sign extension
    ("i32.extend8_s", I32, I32), ("i32.extend16_s", I32, I32), ("i64.extend8_s", I64, I64),
    ("i64.extend16_s", I64, I64), ("i64.extend32_s", I64, I64),
]
for i, (n, a, r) in enumerate(conversions):
    add(n, 0xA7 + i, [a], r)
# --- 0xFC: saturating truncation ---
for i, (n, a, r) in enumerate([
    ("i32.trunc_sat_f32_s", F32, I32), ("i32.trunc_sat_f32_u", F32, I32),
    ("i32.trunc_sat_f64_s", F64, I32), ("i32.trunc_sat_f64_u", F64, I32),
    ("i64.trunc_sat_f32_s", F32, I64), ("i64.trunc_sat_f32_u", F32, I64),
    ("i64.trunc_sat_f64_s", F64, I64), ("i64.trunc_sat_f64_u", F64, I64)]):
    add(n, 0xFC0000 | i, [a], r)

# --- 0xFD: SIMD operators without immediates ---
U, B, T = "unary", "binary", "ternary"
simd = {
    0x0E: ("i8x16.swizzle", B),
    0x0F: ("i8x16.splat", [I32]), 0x10: ("i16x8.splat", [I32]), 0x11: ("i32x4.splat", [I32]),
    0x12: ("i64x2.splat", [I64]), 0x13: ("f32x4.splat", [F32]), 0x14: ("f64x2.splat", [F64]),
    0x4D: ("v128.not", U), 0x4E: ("v128.and", B), 0x4F: ("v128.andnot", B), 0x50: ("v128.or", B),
    0x51: ("v128.xor", B), 0x52: ("v128.bitselect", T), 0x53: ("v128.any_true", "test"),
    0x5E: ("f32x4.demote_f64x2_zero", U), 0x5F: ("f64x2.promote_low_f32x4", U),
    0x60: ("i8x16.abs", U), 0x61: ("i8x16.neg", U), 0x62: ("i8x16.popcnt", U),
    0x63: ("i8x16.all_true", "test"), 0x64: ("i8x16.bitmask", "test"),
    0x65: ("i8x16.narrow_i16x8_s", B), 0x66: ("i8x16.narrow_i16x8_u", B),
    0x67: ("f32x4.ceil", U), 0x68: ("f32x4.floor", U), 0x69: ("f32x4.trunc", U), 0x6A: ("f32x4.nearest", U),
    0x6B: ("i8x16.shl", "shift"), 0x6C: ("i8x16.shr_s", "shift"), 0x6D: ("i8x16.shr_u", "shift"),
    0x6E: ("i8x16.add", B), 0x6F: ("i8x16.add_sat_s", B), 0x70: ("i8x16.add_sat_u", B),
    0x71: ("i8x16.sub", B), 0x72: ("i8x16.sub_sat_s", B), 0x73: ("i8x16.sub_sat_u", B),
    0x74: ("f64x2.ceil", U), 0x75: ("f64x2.floor", U),
    0x76: ("i8x16.min_s", B), 0x77: ("i8x16.min_u", B), 0x78: ("i8x16.max_s", B), 0x79: ("i8x16.max_u", B),
    0x7A: ("f64x2.trunc", U), 0x7B: ("i8x16.avgr_u", B),
    0x7C: ("i16x8.extadd_pairwise_i8x16_s", U), 0x7D: ("i16x8.extadd_pairwise_i8x16_u", U),
    0x7E: ("i32x4.extadd_pairwise_i16x8_s", U), 0x7F: ("i32x4.extadd_pairwise_i16x8_u", U),
    0x80: ("i16x8.abs", U), 0x81: ("i16x8.neg", U), 0x82: ("i16x8.q15mulr_sat_s", B),
    0x83: ("i16x8.all_true", "test"), 0x84: ("i16x8.bitmask", "test"),
    0x85: ("i16x8.narrow_i32x4_s", B), 0x86: ("i16x8.narrow_i32x4_u", B),
    0x87: ("i16x8.extend_low_i8x16_s", U), 0x88: ("i16x8.extend_high_i8x16_s", U),
    0x89: ("i16x8.extend_low_i8x16_u", U), 0x8A: ("i16x8.extend_high_i8x16_u", U),
    0x8B: ("i16x8.shl", "shift"), 0x8C: ("i16x8.shr_s", "shift"), 0x8D: ("i16x8.shr_u", "shift"),
    0x8E: ("i16x8.add", B), 0x8F: ("i16x8.add_sat_s", B), 0x90: ("i16x8.add_sat_u", B),
    0x91: ("i16x8.sub", B), 0x92: ("i16x8.sub_sat_s", B), 0x93: ("i16x8.sub_sat_u", B),
    0x94: ("f64x2.nearest", U), 0x95: ("i16x8.mul", B),
    0x96: ("i16x8.min_s", B), 0x97: ("i16x8.min_u", B), 0x98: ("i16x8.max_s", B), 0x99: ("i16x8.max_u", B),
    0x9B: ("i16x8.avgr_u", B),
    0x9C: ("i16x8.extmul_low_i8x16_s", B), 0x9D: ("i16x8.extmul_high_i8x16_s", B),
    0x9E: ("i16x8.extmul_low_i8x16_u", B), 0x9F: ("i16x8.extmul_high_i8x16_u", B),
    0xA0: ("i32x4.abs", U), 0xA1: ("i32x4.neg", U),
    0xA3: ("i32x4.all_true", "test"), 0xA4: ("i32x4.bitmask", "test"),
    0xA7: ("i32x4.extend_low_i16x8_s", U), 0xA8: ("i32x4.extend_high_i16x8_s", U),
    0xA9: ("i32x4.extend_low_i16x8_u", U), 0xAA: ("i32x4.extend_high_i16x8_u", U),
    0xAB: ("i32x4.shl", "shift"), 0xAC: ("i32x4.shr_s", "shift"), 0xAD: ("i32x4.shr_u", "shift"),
    0xAE: ("i32x4.add", B), 0xB1: ("i32x4.sub", B), 0xB5: ("i32x4.mul", B),
    0xB6: ("i32x4.min_s", B), 0xB7: ("i32x4.min_u", B), 0xB8: ("i32x4.max_s", B), 0xB9: ("i32x4.max_u", B),
    0xBA: ("i32x4.dot_i16x8_s", B),
    0xBC: ("i32x4.extmul_low_i16x8_s", B), 0xBD: ("i32x4.extmul_high_i16x8_s", B),
    0xBE: ("i32x4.extmul_low_i16x8_u", B), 0xBF: ("i32x4.extmul_high_i16x8_u", B),
    0xC0: ("i64x2.abs", U), 0xC1: ("i64x2.neg", U),
    0xC3: ("i64x2.all_true", "test"), 0xC4: ("i64x2.bitmask", "test"),
    0xC7: ("i64x2.extend_low_i32x4_s", U), 0xC8: ("i64x2.extend_high_i32x4_s", U),
    0xC9: ("i64x2.extend_low_i32x4_u", U), 0xCA: ("i64x2.extend_high_i32x4_u", U),
    0xCB: ("i64x2.shl", "shift"), 0xCC: ("i64x2.shr_s", "shift"), 0xCD: ("i64x2.shr_u", "shift"),
    0xCE: ("i64x2.add", B), 0xD1: ("i64x2.sub", B), 0xD5: ("i64x2.mul", B),
    0xD6: ("i64x2.eq", B), 0xD7: ("i64x2.ne", B), 0xD8: ("i64x2.lt_s", B), 0xD9: ("i64x2.gt_s", B),
    0xDA: ("i64x2.le_s", B), 0xDB: ("i64x2.ge_s", B),
    0xDC: ("i64x2.extmul_low_i32x4_s", B), 0xDD: ("i64x2.extmul_high_i32x4_s", B),
    0xDE: ("i64x2.extmul_low_i32x4_u", B), 0xDF: ("i64x2.extmul_high_i32x4_u", B),
    0xE0: ("f32x4.abs", U), 0xE1: ("f32x4.neg", U), 0xE3: ("f32x4.sqrt", U),
    0xE4: ("f32x4.add", B), 0xE5: ("f32x4.sub", B), 0xE6: ("f32x4.mul", B), 0xE7: ("f32x4.div", B),
    0xE8: ("f32x4.min", B), 0xE9: ("f32x4.max", B), 0xEA: ("f32x4.pmin", B), 0xEB: ("f32x4.pmax", B),
    0xEC: ("f64x2.abs", U), 0xED: ("f64x2.neg", U), 0xEF: ("f64x2.sqrt", U),
    0xF0: ("f64x2.add", B), 0xF1: ("f64x2.sub", B), 0xF2: ("f64x2.mul", B), 0xF3: ("f64x2.div", B),
    0xF4: ("f64x2.min", B), 0xF5: ("f64x2.max", B), 0xF6: ("f64x2.pmin", B), 0xF7: ("f64x2.pmax", B),
    0xF8: ("i32x4.trunc_sat_f32x4_s", U), 0xF9: ("i32x4.trunc_sat_f32x4_u", U),
    0xFA: ("f32x4.convert_i32x4_s", U), 0xFB: ("f32x4.convert_i32x4_u", U),
    0xFC: ("i32x4.trunc_sat_f64x2_s_zero", U), 0xFD: ("i32x4.trunc_sat_f64x2_u_zero", U),
    0xFE: ("f64x2.convert_low_i32x4_s", U), 0xFF: ("f64x2.convert_low_i32x4_u", U),
}
# comparisons 0x23..0x4C
cmp_int = "eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u".split()
cmp_flt = "eq ne lt gt le ge".split()
c = 0x23
for shape in ("i8x16", "i16x8", "i32x4"):
    for n in cmp_int:
        simd[c] = (f"{shape}.{n}", B); c += 1
for shape in ("f32x4", "f64x2"):
    for n in cmp_flt:
        simd[c] = (f"{shape}.{n}", B); c += 1
assert c == 0x4D
for sub, (name, kind) in sorted(simd.items()):
    if isinstance(kind, list):
        params, result = kind, V128
    else:
        params, result = {U: ([V128], V128), B: ([V128, V128], V128), T: ([V128, V128, V128], V128),
                          "test": ([V128], I32), "shift": ([V128, I32], V128)}[kind]
    add(name, 0xFD0000 | sub, params, result)

# --- memory access ---
# (name, code, value type, access bytes, natural alignment log2, is store)
memory = []
for i, (n, vt, size) in enumerate([
    ("i32.load", I32, 4), ("i64.load", I64, 8), ("f32.load", F32, 4), ("f64.load", F64, 8),
    ("i32.load8_s", I32, 1), ("i32.load8_u", I32, 1), ("i32.load16_s", I32, 2), ("i32.load16_u", I32, 2),
    ("i64.load8_s", I64, 1), ("i64.load8_u", I64, 1), ("i64.load16_s", I64, 2), ("i64.load16_u", I64, 2),
    ("i64.load32_s", I64, 4), ("i64.load32_u", I64, 4)]):
    memory.append((n, 0x28 + i, vt, size, size.bit_length() - 1, False))
for i, (n, vt, size) in enumerate([
    ("i32.store", I32, 4), ("i64.store", I64, 8), ("f32.store", F32, 4), ("f64.store", F64, 8),
    ("i32.store8", I32, 1), ("i32.store16", I32, 2), ("i64.store8", I64, 1), ("i64.store16", I64, 2),
    ("i64.store32", I64, 4)]):
    memory.append((n, 0x36 + i, vt, size, size.bit_length() - 1, True))
for sub, n, size in [(0, "v128.load", 16), (1, "v128.load8x8_s", 8), (2, "v128.load8x8_u", 8),
                     (3, "v128.load16x4_s", 8), (4, "v128.load16x4_u", 8), (5, "v128.load32x2_s", 8),
                     (6, "v128.load32x2_u", 8), (7, "v128.load8_splat", 1), (8, "v128.load16_splat", 2),
                     (9, "v128.load32_splat", 4), (10, "v128.load64_splat", 8),
                     (0x5C, "v128.load32_zero", 4), (0x5D, "v128.load64_zero", 8)]:
    memory.append((n, 0xFD0000 | sub, V128, size, size.bit_length() - 1, False))
memory.append(("v128.store", 0xFD000B, V128, 16, 4, True))

lane_memory = []  # (name, code, lane bytes, is store)
for i, size in enumerate([1, 2, 4, 8]):
    lane_memory.append((f"v128.load{size*8}_lane", 0xFD0054 + i, size, False))
for i, size in enumerate([1, 2, 4, 8]):
    lane_memory.append((f"v128.store{size*8}_lane", 0xFD0058 + i, size, True))

lanes = []  # (name, code, lane count, scalar type, is replace)
for sub, n, count, t, rep in [
    (0x15, "i8x16.extract_lane_s", 16, I32, False), (0x16, "i8x16.extract_lane_u", 16, I32, False),
    (0x17, "i8x16.replace_lane", 16, I32, True), (0x18, "i16x8.extract_lane_s", 8, I32, False),
    (0x19, "i16x8.extract_lane_u", 8, I32, False), (0x1A, "i16x8.replace_lane", 8, I32, True),
    (0x1B, "i32x4.extract_lane", 4, I32, False), (0x1C, "i32x4.replace_lane", 4, I32, True),
    (0x1D, "i64x2.extract_lane", 2, I64, False), (0x1E, "i64x2.replace_lane", 2, I64, True),
    (0x1F, "f32x4.extract_lane", 4, F32, False), (0x20, "f32x4.replace_lane", 4, F32, True),
    (0x21, "f64x2.extract_lane", 2, F64, False), (0x22, "f64x2.replace_lane", 2, F64, True)]:
    lanes.append((n, 0xFD0000 | sub, count, t, rep))


def vt(t):
    return "." + t


out = []
w = out.append
w("/// Operators that take no immediates and have a fixed type: numeric, conversion and SIMD arithmetic.")
w("/// The raw value is the encoding: the opcode byte, or `(prefix << 16) | subopcode`.")
w("public enum NumericOp: UInt32, CaseIterable, Sendable {")
for n, code, p, r in numeric:
    w(f"    case {camel(n)} = 0x{code:X}")
w("}\n")
w("extension NumericOp {")
w("    /// The text-format mnemonic.")
w("    public var name: String {")
w("        switch self {")
for n, code, p, r in numeric:
    w(f'        case .{camel(n)}: return "{n}"')
w("        }\n    }\n}\n")
numeric_lines = out

out = []
w = out.append
w("extension NumericOp {")
w("    /// Operand and result types.")
w("    public var signature: OperatorSignature {")
w("        switch self {")
for n, code, p, r in numeric:
    args = ", ".join(vt(x) for x in p)
    w(f"        case .{camel(n)}: return OperatorSignature({args}, result: {vt(r)})")
w("        }\n    }\n}\n")
signature_lines = out

out = []
w = out.append
w("/// Loads and stores of whole values: the scalar ones and the SIMD `v128.load*`/`v128.store`.")
w("public enum MemoryOp: UInt32, CaseIterable, Sendable {")
for n, code, t, size, align, st in memory:
    w(f"    case {camel(n)} = 0x{code:X}")
w("}\n")
w("extension MemoryOp {")
for prop, typ, idx in (("name", "String", 0), ("valueType", "ValueType", 2), ("accessSize", "Int", 3),
                       ("naturalAlignment", "UInt32", 4), ("isStore", "Bool", 5)):
    doc = {"name": "The text-format mnemonic.", "valueType": "The type of the value loaded or stored.",
           "accessSize": "How many bytes of memory the access touches.",
           "naturalAlignment": "log2 of the access width: the largest alignment a memarg may declare.",
           "isStore": "True for stores."}[prop]
    w(f"    /// {doc}")
    w(f"    public var {prop}: {typ} {{")
    w("        switch self {")
    for m in memory:
        v = m[idx]
        lit = f'"{v}"' if prop == "name" else (vt(v) if prop == "valueType" else ("true" if v is True else "false" if v is False else str(v)))
        w(f"        case .{camel(m[0])}: return {lit}")
    w("        }\n    }\n")
w("}\n")

w("/// SIMD loads and stores of one lane (`v128.load8_lane` ...).")
w("public enum MemoryLaneOp: UInt32, CaseIterable, Sendable {")
for n, code, size, st in lane_memory:
    w(f"    case {camel(n)} = 0x{code:X}")
w("}\n")
w("extension MemoryLaneOp {")
w("    public var name: String {\n        switch self {")
for n, code, size, st in lane_memory:
    w(f'        case .{camel(n)}: return "{n}"')
w("        }\n    }\n")
w("    /// Bytes per lane; also the access size.")
w("    public var laneSize: Int {\n        switch self {")
for n, code, size, st in lane_memory:
    w(f"        case .{camel(n)}: return {size}")
w("        }\n    }\n")
w("    public var laneCount: UInt8 { UInt8(16 / laneSize) }")
w("    public var naturalAlignment: UInt32 { UInt32(laneSize.trailingZeroBitCount) }")
w("    public var isStore: Bool {\n        switch self {")
for n, code, size, st in lane_memory:
    w(f"        case .{camel(n)}: return {'true' if st else 'false'}")
w("        }\n    }\n}\n")

w("/// SIMD lane extraction and replacement (`i32x4.extract_lane` ...).")
w("public enum LaneOp: UInt32, CaseIterable, Sendable {")
for n, code, count, t, rep in lanes:
    w(f"    case {camel(n)} = 0x{code:X}")
w("}\n")
w("extension LaneOp {")
w("    public var name: String {\n        switch self {")
for n, code, count, t, rep in lanes:
    w(f'        case .{camel(n)}: return "{n}"')
w("        }\n    }\n")
w("    public var laneCount: UInt8 {\n        switch self {")
for n, code, count, t, rep in lanes:
    w(f"        case .{camel(n)}: return {count}")
w("        }\n    }\n")
w("    /// The scalar type extracted or inserted.")
w("    public var scalarType: ValueType {\n        switch self {")
for n, code, count, t, rep in lanes:
    w(f"        case .{camel(n)}: return {vt(t)}")
w("        }\n    }\n")
w("    public var isReplace: Bool {\n        switch self {")
for n, code, count, t, rep in lanes:
    w(f"        case .{camel(n)}: return {'true' if rep else 'false'}")
w("        }\n    }\n}")

folder = os.path.join(ROOT, "Sources", "WasmTypes")
for filename, lines in (("NumericOp.swift", numeric_lines), ("NumericOp+Signature.swift", signature_lines),
                        ("MemoryAndLaneOps.swift", out)):
    save(os.path.join(folder, filename), HEADER, ["\n".join(lines) + "\n"])
print(f"{len(numeric)} numeric, {len(memory)} memory, {len(lane_memory)} lane memory, {len(lanes)} lane operators")
