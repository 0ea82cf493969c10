#!/usr/bin/env python3
"""Generates the interpreter's SIMD handlers into Sources/Swim/Execution/Generated/SIMD*.swift.

Run `python3 Utilities/gen_simd.py` after changing the tables below.

Each handler reads its operands as Swift SIMD vectors of concrete types (see
SIMDSupport.swift), computes one expression and stores the result, so LLVM emits vector
code where the ISA has it. Operations that no Swift operator expresses are helpers in
SIMDLaneSemantics.swift. Every handler reads all operands before writing its result (the
destination may be an operand) and ends with `return next(...)`, a tail call at -O.

Formats (16-bit slot indices packed in the operand word, see Slots.swift):
  unary / splat / test   [h][dst | a << 16]
  binary / shift         [h][dst | a << 16 | b << 32]
  bitselect              [h][dst | a << 16 | b << 32 | c << 48]
  load                   [h][dst | address << 16 | offset << 32]
  store                  [h][value | address << 16 | offset << 32]
  extract lane           [h][dst | a << 16 | lane << 32]
  replace lane           [h][dst | a << 16 | scalar << 32 | lane << 48]
  load lane              [h][dst | address << 16 | vector << 32 | lane << 48][offset]
  store lane             [h][address | vector << 16 | lane << 32][offset]
  shuffle                [h][dst | a << 16 | b << 32][lane bytes 0-7][lane bytes 8-15]
"""
import os
import sys

# The shared helpers sit next to this script (no bytecode cache left in the tree).
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_common import HANDLERS_FOLDER, camel, case, generated_header, handler, lookup, save as save_file  # noqa: E402

# An output folder may be given as the argument (to try changes outside the tree).
OUT = sys.argv[1] if len(sys.argv) > 1 else HANDLERS_FOLDER


def handler_name(name):
    return "h_" + camel(name)


SLOTS = ["o.s1", "o.s2", "o.s3"]
NAMES = ["a", "b", "c"]


def read(ty, slot):
    """An operand read: a vector typealias (I8x16 ...) or a scalar (i32, i64)."""
    if ty == "i32":
        return f"fp.i32({slot})"
    if ty == "i64":
        return f"fp.i64({slot})"
    return f"fp.vector({slot}, as: {ty}.self)"


def write(result, expr):
    if result == "v":
        return f"fp.setVector(o.s0, {expr})"
    if result == "i32":
        return f"fp.setI32(o.s0, {expr})"
    if result == "bool":
        return f"fp.setBool(o.s0, {expr})"
    raise ValueError(result)


def operator_handler(name, types, result, expr):
    """`expr` may start with statements, one per line; its last line is the result."""
    reads = ", ".join(f"{NAMES[i]} = {read(t, SLOTS[i])}" for i, t in enumerate(types))
    *statements, value = expr.split("\n")
    lines = ["let o = Operands(pc)", f"let {reads}"] + statements + [write(result, value)]
    return handler(handler_name(name), "\n    ".join(lines), 2, name)


# --- Integer shapes: (shape, signed vector, unsigned vector, lane bits, signed scalar, unsigned scalar) ---
SHAPES = [
    ("i8x16", "I8x16", "U8x16", 8, "Int8", "UInt8"),
    ("i16x8", "I16x8", "U16x8", 16, "Int16", "UInt16"),
    ("i32x4", "I32x4", "U32x4", 32, "Int32", "UInt32"),
    ("i64x2", "I64x2", "U64x2", 64, "Int64", "UInt64"),
]
# Twice-as-wide signed vectors for saturating arithmetic (the `clamp` overloads in SIMDSupport.swift).
WIDE = {"i8x16": "SIMD16<Int16>", "i16x8": "SIMD8<Int32>"}
SIGNED_RANGE = {8: (-128, 127), 16: (-32768, 32767)}
# Half-width vectors for narrowing: (signed, unsigned).
HALF = {"i8x16": ("SIMD8<Int8>", "SIMD8<UInt8>"), "i16x8": ("SIMD4<Int16>", "SIMD4<UInt16>")}
# The shape whose lanes are half as wide, for extend/extmul/extadd/narrow.
NARROWER = {"i16x8": "i8x16", "i32x4": "i16x8", "i64x2": "i32x4"}
COMPARISONS = [("eq", ".==", False), ("ne", ".!=", False),
               ("lt_s", ".<", True), ("lt_u", ".<", False), ("gt_s", ".>", True), ("gt_u", ".>", False),
               ("le_s", ".<=", True), ("le_u", ".<=", False), ("ge_s", ".>=", True), ("ge_u", ".>=", False)]


def integer_ops():
    ops = []
    shape_info = {s[0]: s for s in SHAPES}
    for shape, S, U, bits, Ss, Us in SHAPES:
        vv = lambda T: (T, T)
        ops += [
            (f"{shape}.add", vv(U), "v", "a &+ b"),
            (f"{shape}.sub", vv(U), "v", "a &- b"),
            (f"{shape}.neg", (U,), "v", "0 &- a"),
            # abs of the most negative lane wraps to itself.
            (f"{shape}.abs", (S,), "v", f"a.replacing(with: 0 &- a, where: a .< {S}())"),
            (f"{shape}.all_true", (S,), "bool", f"isZero(laneMask(a .== {S}()))"),
            (f"{shape}.bitmask", ("U64x2",), "i32", f"signBits{bits}(a)"),
            (f"{shape}.shl", (U, "i32"), "v", f"a &<< {Us}(truncatingIfNeeded: b & {bits - 1})"),
            (f"{shape}.shr_s", (S, "i32"), "v", f"a &>> {Ss}(truncatingIfNeeded: b & {bits - 1})"),
            (f"{shape}.shr_u", (U, "i32"), "v", f"a &>> {Us}(truncatingIfNeeded: b & {bits - 1})"),
        ]
        if shape != "i8x16":
            ops.append((f"{shape}.mul", vv(U), "v", "a &* b"))
        # i64x2 has only eq, ne and the signed orderings.
        for cmp, operator, signed in COMPARISONS:
            if shape == "i64x2" and cmp.endswith("_u"):
                continue
            ops.append((f"{shape}.{cmp}", vv(S if signed else U), "v", f"laneMask(a {operator} b)"))
        if shape != "i64x2":
            for kind, T in (("s", S), ("u", U)):
                ops += [(f"{shape}.min_{kind}", vv(T), "v", "a.replacing(with: b, where: b .< a)"),
                        (f"{shape}.max_{kind}", vv(T), "v", "a.replacing(with: b, where: a .< b)")]
        if shape in WIDE:
            # Saturating arithmetic: exact in twice the lane width, then clamped.
            W = WIDE[shape]
            for kind, T, (lo, hi) in (("s", S, SIGNED_RANGE[bits]), ("u", U, (0, 2 ** bits - 1))):
                for op, operator in (("add", "&+"), ("sub", "&-")):
                    expr = (f"let wide = convertLanes(a, to: {W}.self) {operator} convertLanes(b, to: {W}.self)\n"
                            f"convertLanes(clamp(wide, {lo}, {hi}), to: {T}.self)")
                    ops.append((f"{shape}.{op}_sat_{kind}", vv(T), "v", expr))
            ops.append((f"{shape}.avgr_u", vv(U), "v", "roundingAverage(a, b)"))
            # narrow: the wider shape's signed lanes, saturated to this shape's range.
            wider = {"i8x16": "i16x8", "i16x8": "i32x4"}[shape]
            WS = shape_info[wider][1]
            hs, hu = HALF[shape]
            lo, hi = SIGNED_RANGE[bits]
            umax = 2 ** bits - 1
            ops += [
                (f"{shape}.narrow_{wider}_s", vv(WS), "v",
                 f"{S}(lowHalf: convertLanes(clamp(a, {lo}, {hi}), to: {hs}.self), "
                 f"highHalf: convertLanes(clamp(b, {lo}, {hi}), to: {hs}.self))"),
                (f"{shape}.narrow_{wider}_u", vv(WS), "v",
                 f"{U}(lowHalf: convertLanes(clamp(a, 0, {umax}), to: {hu}.self), "
                 f"highHalf: convertLanes(clamp(b, 0, {umax}), to: {hu}.self))"),
            ]
        if shape in NARROWER:
            n = NARROWER[shape]
            _, NS, NU, _, _, _ = shape_info[n]
            for kind, src, dst in (("s", NS, S), ("u", NU, U)):
                for half in ("low", "high"):
                    ops.append((f"{shape}.extend_{half}_{n}_{kind}", (src,), "v",
                                f"convertLanes(a.{half}Half, to: {dst}.self)"))
                    ops.append((f"{shape}.extmul_{half}_{n}_{kind}", vv(src), "v",
                                f"convertLanes(a.{half}Half, to: {dst}.self) &* convertLanes(b.{half}Half, to: {dst}.self)"))
                if shape != "i64x2":
                    ops.append((f"{shape}.extadd_pairwise_{n}_{kind}", (src,), "v",
                                f"convertLanes(a.evenHalf, to: {dst}.self) &+ convertLanes(a.oddHalf, to: {dst}.self)"))
    ops += [
        ("i8x16.popcnt", ("U8x16",), "v", "popcount(a)"),
        ("i16x8.q15mulr_sat_s", ("I16x8", "I16x8"), "v", "q15MulRoundSaturate(a, b)"),
        ("i32x4.dot_i16x8_s", ("I16x8", "I16x8"), "v", "dotProduct(a, b)"),
    ]
    return ops


# Integer operators whose result lanes are wider or narrower than their operands'; they get a file
# of their own (the handler table keeps the order of integer_ops()).
LANE_WIDTH_CHANGING = ("narrow_", "extend_", "extmul_", "extadd_pairwise_", "dot_")


def changes_lane_width(name):
    return name.split(".")[1].startswith(LANE_WIDTH_CHANGING)


# --- Float shapes: (shape, float vector, bits vector, magnitude mask, sign bit, scalar) ---
FLOATS = [("f32x4", "F32x4", "U32x4", "0x7FFF_FFFF", "0x8000_0000", "Float"),
          ("f64x2", "F64x2", "U64x2", "0x7FFF_FFFF_FFFF_FFFF", "0x8000_0000_0000_0000", "Double")]


def float_ops():
    ops = []
    for shape, F, B, magnitude, sign, _ in FLOATS:
        ff = (F, F)
        ops += [
            # abs and neg only touch the sign bit, NaN payloads included.
            (f"{shape}.abs", (B,), "v", f"a & {magnitude}"),
            (f"{shape}.neg", (B,), "v", f"a ^ {sign}"),
            (f"{shape}.sqrt", (F,), "v", "a.squareRoot()"),
            (f"{shape}.ceil", (F,), "v", "a.rounded(.up)"),
            (f"{shape}.floor", (F,), "v", "a.rounded(.down)"),
            (f"{shape}.trunc", (F,), "v", "a.rounded(.towardZero)"),
            (f"{shape}.nearest", (F,), "v", "a.rounded(.toNearestOrEven)"),
            (f"{shape}.add", ff, "v", "a + b"),
            (f"{shape}.sub", ff, "v", "a - b"),
            (f"{shape}.mul", ff, "v", "a * b"),
            (f"{shape}.div", ff, "v", "a / b"),
            (f"{shape}.min", ff, "v", "wasmMinLanes(a, b)"),
            (f"{shape}.max", ff, "v", "wasmMaxLanes(a, b)"),
            # pmin/pmax are defined as `b < a ? b : a` and `a < b ? b : a`.
            (f"{shape}.pmin", ff, "v", "a.replacing(with: b, where: b .< a)"),
            (f"{shape}.pmax", ff, "v", "a.replacing(with: b, where: a .< b)"),
        ]
        for cmp, operator in (("eq", ".=="), ("ne", ".!="), ("lt", ".<"), ("gt", ".>"), ("le", ".<="), ("ge", ".>=")):
            ops.append((f"{shape}.{cmp}", ff, "v", f"laneMask(a {operator} b)"))
    ops += [
        ("f32x4.demote_f64x2_zero", ("F64x2",), "v", "F32x4(Float(a[0]), Float(a[1]), 0, 0)"),
        ("f64x2.promote_low_f32x4", ("F32x4",), "v", "F64x2(Double(a[0]), Double(a[1]))"),
        ("i32x4.trunc_sat_f32x4_s", ("F32x4",), "v", "truncateSaturating(a, signed: true)"),
        ("i32x4.trunc_sat_f32x4_u", ("F32x4",), "v", "truncateSaturating(a, signed: false)"),
        ("i32x4.trunc_sat_f64x2_s_zero", ("F64x2",), "v", "truncateSaturatingZero(a, signed: true)"),
        ("i32x4.trunc_sat_f64x2_u_zero", ("F64x2",), "v", "truncateSaturatingZero(a, signed: false)"),
        ("f32x4.convert_i32x4_s", ("I32x4",), "v", "F32x4(a)"),
        ("f32x4.convert_i32x4_u", ("U32x4",), "v", "F32x4(a)"),
        ("f64x2.convert_low_i32x4_s", ("I32x4",), "v", "F64x2(Double(a[0]), Double(a[1]))"),
        ("f64x2.convert_low_i32x4_u", ("U32x4",), "v", "F64x2(Double(a[0]), Double(a[1]))"),
    ]
    return ops


def vector_ops():
    """Splats, bitwise operators and swizzle (lane types do not matter for bitwise ones)."""
    return [
        ("i8x16.splat", ("i32",), "v", "U8x16(repeating: UInt8(truncatingIfNeeded: a))"),
        ("i16x8.splat", ("i32",), "v", "U16x8(repeating: UInt16(truncatingIfNeeded: a))"),
        ("i32x4.splat", ("i32",), "v", "U32x4(repeating: a)"),
        ("i64x2.splat", ("i64",), "v", "U64x2(repeating: a)"),
        # Float splats copy bits, so NaN payloads survive.
        ("f32x4.splat", ("i32",), "v", "U32x4(repeating: a)"),
        ("f64x2.splat", ("i64",), "v", "U64x2(repeating: a)"),
        ("i8x16.swizzle", ("U8x16", "U8x16"), "v", "swizzle(a, b)"),
        ("v128.not", ("U64x2",), "v", "~a"),
        ("v128.and", ("U64x2", "U64x2"), "v", "a & b"),
        ("v128.andnot", ("U64x2", "U64x2"), "v", "a & ~b"),
        ("v128.or", ("U64x2", "U64x2"), "v", "a | b"),
        ("v128.xor", ("U64x2", "U64x2"), "v", "a ^ b"),
        ("v128.bitselect", ("U64x2", "U64x2", "U64x2"), "v", "(a & c) | (b & ~c)"),
        ("v128.any_true", ("U64x2",), "bool", "(a[0] | a[1]) != 0"),
    ]


# --- Lanes: (shape, extract variants [(suffix, vector, conversion to the result)], scalar writer, lane mask,
#            replace vector, conversion of the scalar slot's 64 bits to a lane) ---
LANES = [
    ("i8x16", [("_s", "I8x16", "UInt32(bitPattern: Int32(v))"), ("_u", "U8x16", "UInt32(v)")], "setI32", 15,
     "U8x16", "UInt8(truncatingIfNeeded: s)"),
    ("i16x8", [("_s", "I16x8", "UInt32(bitPattern: Int32(v))"), ("_u", "U16x8", "UInt32(v)")], "setI32", 7,
     "U16x8", "UInt16(truncatingIfNeeded: s)"),
    ("i32x4", [("", "U32x4", "v")], "setI32", 3, "U32x4", "UInt32(truncatingIfNeeded: s)"),
    ("i64x2", [("", "U64x2", "v")], "setI64", 1, "U64x2", "s"),
    # Float lanes move as bits.
    ("f32x4", [("", "U32x4", "v")], "setI32", 3, "U32x4", "UInt32(truncatingIfNeeded: s)"),
    ("f64x2", [("", "U64x2", "v")], "setI64", 1, "U64x2", "s"),
]


def gen_lanes():
    out = []
    table = []
    for shape, extracts, setter, mask, R, conv in LANES:
        for suffix, V, result in extracts:
            name = f"{shape}.extract_lane{suffix}"
            body = f"""let o = Operands(pc)
    let v = fp.vector(o.s1, as: {V}.self)[o.s2 & {mask}]
    fp.{setter}(o.s0, {result})"""
            out.append(handler(handler_name(name), body, 2, name))
            table.append((case(name), handler_name(name)))
        name = f"{shape}.replace_lane"
        body = f"""let o = Operands(pc)
    var v = fp.vector(o.s1, as: {R}.self)
    let s = fp[o.s2]
    v[o.s3 & {mask}] = {conv}
    fp.setVector(o.s0, v)"""
        out.append(handler(handler_name(name), body, 2, name))
        table.append((case(name), handler_name(name)))
    shuffle_body = """let o = Operands(pc)
    let a = fp.vector(o.s1, as: U8x16.self), b = fp.vector(o.s2, as: U8x16.self)
    let lanes = UnsafeRawPointer(pc + 2).loadUnaligned(as: U8x16.self)
    fp.setVector(o.s0, shuffleLanes(a, b, lanes))"""
    out.append(handler("h_i8x16Shuffle", shuffle_body, 4, "i8x16.shuffle"))
    return out, table


# --- Memory: (name, access size, type loaded, expression of the result from `v`) ---
LOADS = [
    ("v128.load", 16, "U64x2", "v"),
    ("v128.load8x8_s", 8, "SIMD8<Int8>", "convertLanes(v, to: I16x8.self)"),
    ("v128.load8x8_u", 8, "SIMD8<UInt8>", "convertLanes(v, to: U16x8.self)"),
    ("v128.load16x4_s", 8, "SIMD4<Int16>", "convertLanes(v, to: I32x4.self)"),
    ("v128.load16x4_u", 8, "SIMD4<UInt16>", "convertLanes(v, to: U32x4.self)"),
    ("v128.load32x2_s", 8, "SIMD2<Int32>", "convertLanes(v, to: I64x2.self)"),
    ("v128.load32x2_u", 8, "SIMD2<UInt32>", "convertLanes(v, to: U64x2.self)"),
    ("v128.load8_splat", 1, "UInt8", "U8x16(repeating: v)"),
    ("v128.load16_splat", 2, "UInt16", "U16x8(repeating: v)"),
    ("v128.load32_splat", 4, "UInt32", "U32x4(repeating: v)"),
    ("v128.load64_splat", 8, "UInt64", "U64x2(repeating: v)"),
    ("v128.load32_zero", 4, "UInt32", "U32x4(v, 0, 0, 0)"),
    ("v128.load64_zero", 8, "UInt64", "U64x2(v, 0)"),
]
# (lane bytes, scalar type, vector type, lane mask)
MEMORY_LANES = [(1, "UInt8", "U8x16", 15), (2, "UInt16", "U16x8", 7), (4, "UInt32", "U32x4", 3),
                (8, "UInt64", "U64x2", 1)]

# Lane accesses carry a full 64-bit offset word: check without wrapping around.
LANE_BOUNDS = """let offset = pc[2], address = UInt64(fp.i32({slot}))
    if offset > ms || address &+ {size} > ms &- offset {{ return trap(.outOfBoundsMemoryAccess, pc, ctx) }}
    let ea = Int(address &+ offset)"""


def gen_memory():
    out = []
    table = []
    for name, size, T, expr in LOADS:
        body = f"""let o = Operands(pc)
    let ea = UInt64(fp.i32(o.s1)) &+ UInt64(o.hi32)
    if ea &+ {size} > ms {{ return trap(.outOfBoundsMemoryAccess, pc, ctx) }}
    let v = mem.loadUnaligned(fromByteOffset: Int(ea), as: {T}.self)
    fp.setVector(o.s0, {expr})"""
        out.append(handler(handler_name(name), body, 2, name))
        table.append((case(name), handler_name(name)))
    body = """let o = Operands(pc)
    let ea = UInt64(fp.i32(o.s1)) &+ UInt64(o.hi32)
    if ea &+ 16 > ms { return trap(.outOfBoundsMemoryAccess, pc, ctx) }
    mem.storeBytes(of: fp.vector(o.s0, as: U64x2.self), toByteOffset: Int(ea), as: U64x2.self)"""
    out.append(handler("h_v128Store", body, 2, "v128.store"))
    table.append((case("v128.store"), "h_v128Store"))

    lane_table = []
    for size, T, V, mask in MEMORY_LANES:
        name = f"v128.load{size * 8}_lane"
        body = f"""let o = Operands(pc)
    {LANE_BOUNDS.format(slot="o.s1", size=size)}
    var v = fp.vector(o.s2, as: {V}.self)
    v[o.s3 & {mask}] = mem.loadUnaligned(fromByteOffset: ea, as: {T}.self)
    fp.setVector(o.s0, v)"""
        out.append(handler(handler_name(name), body, 3, name))
        lane_table.append((case(name), handler_name(name)))
    for size, T, V, mask in MEMORY_LANES:
        name = f"v128.store{size * 8}_lane"
        body = f"""let o = Operands(pc)
    {LANE_BOUNDS.format(slot="o.s0", size=size)}
    mem.storeBytes(of: fp.vector(o.s1, as: {V}.self)[o.s2 & {mask}], toByteOffset: ea, as: {T}.self)"""
        out.append(handler(handler_name(name), body, 3, name))
        lane_table.append((case(name), handler_name(name)))
    return out, table, lane_table


def gen_operators(ops):
    out = []
    table = []
    for name, types, result, expr in ops:
        out.append(operator_handler(name, types, result, expr))
        table.append((case(name), handler_name(name)))
    return out, table


def save(filename, description, parts):
    save_file(os.path.join(OUT, filename), generated_header("gen_simd.py", description), parts)


def main():
    integer = integer_ops()
    integer_handlers, integer_table = gen_operators(integer)
    same_shape = [h for (name, *_), h in zip(integer, integer_handlers) if not changes_lane_width(name)]
    widen_narrow = [h for (name, *_), h in zip(integer, integer_handlers) if changes_lane_width(name)]
    floats, float_table = gen_operators(float_ops())
    vector, vector_table = gen_operators(vector_ops())
    lanes, lane_table = gen_lanes()
    memory, memory_table, memory_lane_table = gen_memory()
    save("SIMDIntegerHandlers.swift",
         "Integer operators within one lane shape: arithmetic, comparisons, shifts, all_true and bitmask.",
         same_shape)
    save("SIMDWidenNarrowHandlers.swift",
         "Integer operators between lane widths: narrow, extend, extmul, extadd_pairwise and dot.",
         widen_narrow)
    save("SIMDFloatHandlers.swift", "Float lane arithmetic, comparisons, rounding and conversions.", floats)
    save("SIMDVectorHandlers.swift", "Splats, whole-vector bitwise operators, swizzle, shuffle and lane access.",
         vector + lanes)
    save("SIMDMemoryHandlers.swift", "v128 loads and stores, whole-vector and single-lane.", memory)
    tables = [
        lookup("The handler of every SIMD numeric operator (nil for scalar ones).",
               "simdHandler(_ op: NumericOp) -> Handler?", integer_table + float_table + vector_table, "nil"),
        lookup("The handler of every v128 load and store (nil for scalar ones).",
               "simdMemoryHandler(_ op: MemoryOp) -> Handler?", memory_table, "nil"),
        lookup("Lane extraction and replacement handlers.", "laneHandler(_ op: LaneOp) -> Handler", lane_table, None),
        lookup("Single-lane load and store handlers.", "memoryLaneHandler(_ op: MemoryLaneOp) -> Handler",
               memory_lane_table, None),
    ]
    save("SIMDHandlerTables.swift", "Which handler each SIMD operator translates to.", ["import WasmTypes\n"] + tables)
    print("generated", len(integer_table + float_table + vector_table), "operators,", len(memory_table), "memory,",
          len(lane_table), "lane,", len(memory_lane_table), "memory-lane handlers")


if __name__ == "__main__":
    main()
