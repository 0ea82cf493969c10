#!/usr/bin/env python3
"""Generates the interpreter's formulaic handlers into Sources/Swim/Execution/Generated/.

Run `python3 Utilities/gen_handlers.py` after changing the tables below.

Every handler has the signature of `Handler` (see Dispatch.swift) and ends with
`return next(...)`, which is a tail call at -O. Operand words pack 16-bit slot
indices (`o.s0`, `o.s1`, ...) and a 32-bit immediate or memory offset (`o.hi32`).
"""
import os
import sys

# The shared helpers sit next to this script (no bytecode cache left in the tree).
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_common import HANDLERS_FOLDER as OUT, SIG, camel, case, generated_header, handler, lookup, save  # noqa: E402

HEADER = generated_header("gen_handlers.py") + "\nimport WasmTypes\n"


def write(filename, parts):
    save(os.path.join(OUT, filename), HEADER, parts)


# Reading and writing typed values in slots.
READ = {"i32": "fp.i32({})", "i64": "fp.i64({})", "f32": "fp.f32({})", "f64": "fp.f64({})"}
WRITE = {"i32": "fp.setI32({}, {})", "i64": "fp.setI64({}, {})", "f32": "fp.setF32({}, {})",
         "f64": "fp.setF64({}, {})", "bool": "fp.setBool({}, {})"}
SWIFT = {"i32": "UInt32", "i64": "UInt64", "f32": "Float", "f64": "Double"}
SIGNED = {"i32": "Int32", "i64": "Int64"}


def s(t, x):
    return f"{SIGNED[t]}(bitPattern: {x})"


def u(t, x):
    return f"{SWIFT[t]}(bitPattern: {x})"


# --- Scalar binary operators: (name, operand type, result type, expression or None for custom) ---
binary = []
for t in ("i32", "i64"):
    bits = 32 if t == "i32" else 64
    binary += [
        (f"{t}.add", t, t, "a &+ b"), (f"{t}.sub", t, t, "a &- b"), (f"{t}.mul", t, t, "a &* b"),
        (f"{t}.and", t, t, "a & b"), (f"{t}.or", t, t, "a | b"), (f"{t}.xor", t, t, "a ^ b"),
        (f"{t}.shl", t, t, "a &<< b"), (f"{t}.shr_s", t, t, u(t, f"{s(t, 'a')} &>> {s(t, 'b')}")),
        (f"{t}.shr_u", t, t, "a &>> b"),
        (f"{t}.rotl", t, t, f"(a &<< b) | (a &>> ({bits} &- (b & {bits - 1})))"),
        (f"{t}.rotr", t, t, f"(a &>> b) | (a &<< ({bits} &- (b & {bits - 1})))"),
        (f"{t}.eq", t, "bool", "a == b"), (f"{t}.ne", t, "bool", "a != b"),
        (f"{t}.lt_s", t, "bool", f"{s(t, 'a')} < {s(t, 'b')}"), (f"{t}.lt_u", t, "bool", "a < b"),
        (f"{t}.gt_s", t, "bool", f"{s(t, 'a')} > {s(t, 'b')}"), (f"{t}.gt_u", t, "bool", "a > b"),
        (f"{t}.le_s", t, "bool", f"{s(t, 'a')} <= {s(t, 'b')}"), (f"{t}.le_u", t, "bool", "a <= b"),
        (f"{t}.ge_s", t, "bool", f"{s(t, 'a')} >= {s(t, 'b')}"), (f"{t}.ge_u", t, "bool", "a >= b"),
        (f"{t}.div_s", t, t, None), (f"{t}.div_u", t, t, None), (f"{t}.rem_s", t, t, None), (f"{t}.rem_u", t, t, None),
    ]
for t in ("f32", "f64"):
    ut = SWIFT["i32" if t == "f32" else "i64"]
    sign = "0x8000_0000" if t == "f32" else "0x8000_0000_0000_0000"
    binary += [
        (f"{t}.add", t, t, "a + b"), (f"{t}.sub", t, t, "a - b"), (f"{t}.mul", t, t, "a * b"),
        (f"{t}.div", t, t, "a / b"), (f"{t}.min", t, t, "wasmMin(a, b)"), (f"{t}.max", t, t, "wasmMax(a, b)"),
        (f"{t}.copysign", t, t, f"{SWIFT[t]}(bitPattern: (a.bitPattern & ~{sign}) | (b.bitPattern & {sign}))"),
        (f"{t}.eq", t, "bool", "a == b"), (f"{t}.ne", t, "bool", "a != b"), (f"{t}.lt", t, "bool", "a < b"),
        (f"{t}.gt", t, "bool", "a > b"), (f"{t}.le", t, "bool", "a <= b"), (f"{t}.ge", t, "bool", "a >= b"),
    ]

DIVREM = {
    "div_s": """if b == 0 {{ return trap(.integerDivideByZero, pc, ctx) }}
    if a == {min} && b == {allones} {{ return trap(.integerOverflow, pc, ctx) }}
    let r = {U}(bitPattern: {S}(bitPattern: a) / {S}(bitPattern: b))""",
    "div_u": """if b == 0 {{ return trap(.integerDivideByZero, pc, ctx) }}
    let r = a / b""",
    "rem_s": """if b == 0 {{ return trap(.integerDivideByZero, pc, ctx) }}
    let r = b == {allones} ? 0 : {U}(bitPattern: {S}(bitPattern: a) % {S}(bitPattern: b))""",
    "rem_u": """if b == 0 {{ return trap(.integerDivideByZero, pc, ctx) }}
    let r = a % b""",
}

# --- Scalar unary operators and conversions: (name, operand type, result type, expression) ---
unary = []
for t in ("i32", "i64"):
    T = SWIFT[t]
    unary += [
        (f"{t}.clz", t, t, f"{T}(a.leadingZeroBitCount)"), (f"{t}.ctz", t, t, f"{T}(a.trailingZeroBitCount)"),
        (f"{t}.popcnt", t, t, f"{T}(a.nonzeroBitCount)"), (f"{t}.eqz", t, "bool", "a == 0"),
        (f"{t}.extend8_s", t, t, f"{T}(bitPattern: {SIGNED[t]}(Int8(truncatingIfNeeded: a)))"),
        (f"{t}.extend16_s", t, t, f"{T}(bitPattern: {SIGNED[t]}(Int16(truncatingIfNeeded: a)))"),
    ]
unary.append(("i64.extend32_s", "i64", "i64", "UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: a)))"))
for t in ("f32", "f64"):
    T = SWIFT[t]
    mask = "0x7FFF_FFFF" if t == "f32" else "0x7FFF_FFFF_FFFF_FFFF"
    sign = "0x8000_0000" if t == "f32" else "0x8000_0000_0000_0000"
    unary += [
        (f"{t}.abs", t, t, f"{T}(bitPattern: a.bitPattern & {mask})"),
        (f"{t}.neg", t, t, f"{T}(bitPattern: a.bitPattern ^ {sign})"),
        (f"{t}.ceil", t, t, "a.rounded(.up)"), (f"{t}.floor", t, t, "a.rounded(.down)"),
        (f"{t}.trunc", t, t, "a.rounded(.towardZero)"), (f"{t}.nearest", t, t, "a.rounded(.toNearestOrEven)"),
        (f"{t}.sqrt", t, t, "a.squareRoot()"),
    ]
unary += [
    ("i32.wrap_i64", "i64", "i32", "UInt32(truncatingIfNeeded: a)"),
    ("i64.extend_i32_s", "i32", "i64", "UInt64(bitPattern: Int64(Int32(bitPattern: a)))"),
    ("i64.extend_i32_u", "i32", "i64", "UInt64(a)"),
    ("f32.convert_i32_s", "i32", "f32", "Float(Int32(bitPattern: a))"),
    ("f32.convert_i32_u", "i32", "f32", "Float(a)"),
    ("f32.convert_i64_s", "i64", "f32", "Float(Int64(bitPattern: a))"),
    ("f32.convert_i64_u", "i64", "f32", "Float(a)"),
    ("f32.demote_f64", "f64", "f32", "Float(a)"),
    ("f64.convert_i32_s", "i32", "f64", "Double(Int32(bitPattern: a))"),
    ("f64.convert_i32_u", "i32", "f64", "Double(a)"),
    ("f64.convert_i64_s", "i64", "f64", "Double(Int64(bitPattern: a))"),
    ("f64.convert_i64_u", "i64", "f64", "Double(a)"),
    ("f64.promote_f32", "f32", "f64", "Double(a)"),
    ("i32.reinterpret_f32", "f32", "i32", "a.bitPattern"),
    ("i64.reinterpret_f64", "f64", "i64", "a.bitPattern"),
    ("f32.reinterpret_i32", "i32", "f32", "Float(bitPattern: a)"),
    ("f64.reinterpret_i64", "i64", "f64", "Double(bitPattern: a)"),
]
# Trapping float-to-int truncations: (name, float type, int type, signed, lower bound (exclusive), upper bound (exclusive))
trunc = [
    ("i32.trunc_f32_s", "f32", "i32", True, "-2147483904.0", "2147483648.0"),
    ("i32.trunc_f32_u", "f32", "i32", False, "-1.0", "4294967296.0"),
    ("i32.trunc_f64_s", "f64", "i32", True, "-2147483649.0", "2147483648.0"),
    ("i32.trunc_f64_u", "f64", "i32", False, "-1.0", "4294967296.0"),
    ("i64.trunc_f32_s", "f32", "i64", True, "-9223373136366403584.0", "9223372036854775808.0"),
    ("i64.trunc_f32_u", "f32", "i64", False, "-1.0", "18446744073709551616.0"),
    ("i64.trunc_f64_s", "f64", "i64", True, "-9223372036854777856.0", "9223372036854775808.0"),
    ("i64.trunc_f64_u", "f64", "i64", False, "-1.0", "18446744073709551616.0"),
]
# Saturating truncations map to helper functions in Numerics.swift.
sat = [("i32.trunc_sat_f32_s", "f32", "i32", "truncSatI32S"), ("i32.trunc_sat_f32_u", "f32", "i32", "truncSatI32U"),
       ("i32.trunc_sat_f64_s", "f64", "i32", "truncSatI32S"), ("i32.trunc_sat_f64_u", "f64", "i32", "truncSatI32U"),
       ("i64.trunc_sat_f32_s", "f32", "i64", "truncSatI64S"), ("i64.trunc_sat_f32_u", "f32", "i64", "truncSatI64U"),
       ("i64.trunc_sat_f64_s", "f64", "i64", "truncSatI64S"), ("i64.trunc_sat_f64_u", "f64", "i64", "truncSatI64U")]
unary += [(n, a, r, f"{fn}(a)") for n, a, r, fn in sat]

# Operators whose handlers would be identical share one (LLVM would otherwise merge them into
# thunks that cost an extra jump per dispatch).
# Values are handler function names.
ALIASES = {
    "i64.extend32_s": "h_i64ExtendI32S",
    "i64.extend_i32_u": "h_i32WrapI64", "i32.reinterpret_f32": "h_i32WrapI64", "f32.reinterpret_i32": "h_i32WrapI64",
    "f64.reinterpret_i64": "h_copy64", "i64.reinterpret_f64": "h_copy64",
}

# Binary operators that also get a form with a 32-bit immediate right operand (sign-extended for i64).
IMM_OPS = {"add", "sub", "mul", "and", "or", "xor", "shl", "shr_s", "shr_u", "rotl", "rotr",
           "eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"}
# Float operators that also get a form with an immediate right operand.
FLOAT_IMM_OPS = {"add", "sub", "mul", "div", "min", "max", "eq", "ne", "lt", "gt", "le", "ge"}
CMP_OPS = ["eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"]


def write_result(rt, expr):
    return WRITE[rt].format("o.s0", expr)


def imm_value(t):
    return "o.hi32" if t == "i32" else "UInt64(bitPattern: Int64(Int32(bitPattern: o.hi32)))"


def gen_numeric():
    # One file per kind of operator, and one for the lookup tables.
    files = {"IntegerHandlers": [], "FloatHandlers": [], "ConversionHandlers": []}
    table = []  # (case pattern, handler name)
    imm_table = []
    imm64_table = []
    float_imm_table = []
    for name, t, rt, expr in binary:
        h = "h_" + camel(name)
        op = name.split(".")[1]
        bucket = files["IntegerHandlers" if t in ("i32", "i64") else "FloatHandlers"]
        if expr is None:
            T, S = SWIFT[t], SIGNED[t]
            mn = "0x8000_0000" if t == "i32" else "0x8000_0000_0000_0000"
            body = f"let o = Operands(pc)\n    let a = {READ[t].format('o.s1')}, b = {READ[t].format('o.s2')}\n    " + \
                DIVREM[op].format(min=mn, allones=f"{T}.max", U=T, S=S) + "\n    " + write_result(rt, "r")
        else:
            body = f"let o = Operands(pc)\n    let a = {READ[t].format('o.s1')}, b = {READ[t].format('o.s2')}\n    " + \
                write_result(rt, expr)
        bucket.append(handler(h, body, 2))
        table.append((case(name), h))
        if t in ("i32", "i64") and op in IMM_OPS:
            hi = h + "Imm"
            body = f"let o = Operands(pc)\n    let a = {READ[t].format('o.s1')}, b = {imm_value(t)}\n    " + write_result(rt, expr)
            bucket.append(handler(hi, body, 2))
            imm_table.append((case(name), hi))
        if t in ("f32", "f64") and op in FLOAT_IMM_OPS:
            hf = h + "Imm"
            b = "Float(bitPattern: UInt32(truncatingIfNeeded: pc[2]))" if t == "f32" else "Double(bitPattern: pc[2])"
            body = f"let o = Operands(pc)\n    let a = {READ[t].format('o.s1')}, b = {b}\n    " + write_result(rt, expr)
            bucket.append(handler(hf, body, 3))
            float_imm_table.append((case(name), hf))
        if t == "i64" and op in IMM_OPS:
            hw = h + "Imm64"
            body = f"let o = Operands(pc)\n    let a = {READ[t].format('o.s1')}, b = pc[2]\n    " + write_result(rt, expr)
            bucket.append(handler(hw, body, 3))
            imm64_table.append((case(name), hw))
    for name, t, rt, expr in unary:
        if name in ALIASES:
            table.append((case(name), ALIASES[name]))
            continue
        h = "h_" + camel(name)
        body = f"let o = Operands(pc)\n    let a = {READ[t].format('o.s1')}\n    " + write_result(rt, expr)
        kind = "IntegerHandlers" if t == rt or rt == "bool" else "ConversionHandlers"
        if t in ("f32", "f64") and t == rt:
            kind = "FloatHandlers"
        files[kind].append(handler(h, body, 2))
        table.append((case(name), h))
    for name, ft, it, signed, lo, hi in trunc:
        h = "h_" + camel(name)
        conv = f"{SWIFT[it]}(bitPattern: {SIGNED[it]}(a))" if signed else f"{SWIFT[it]}(a)"
        body = f"""let o = Operands(pc)
    let a = {READ[ft].format('o.s1')}
    if a.isNaN {{ return trap(.invalidConversionToInteger, pc, ctx) }}
    if !(a > {lo} && a < {hi}) {{ return trap(.integerOverflow, pc, ctx) }}
    {WRITE[it].format('o.s0', conv)}"""
        files["ConversionHandlers"].append(handler(h, body, 2))
        table.append((case(name), h))
    write("NumericHandlerTables.swift", [
        lookup("The register form of each scalar numeric operator (nil for SIMD ones).",
               "numericHandler(_ op: NumericOp) -> Handler?", table),
        lookup("The form of a binary operator whose right operand is a 32-bit immediate, if it has one.",
               "numericImmediateHandler(_ op: NumericOp) -> Handler?", imm_table),
        lookup("The form of a float binary operator whose right operand is an immediate word "
               "(f32 bits in the low half): [h][d | a << 16][imm].",
               "floatImmediateHandler(_ op: NumericOp) -> Handler?", float_imm_table),
        lookup("The form of an i64 binary operator whose right operand is a 64-bit immediate word: [h][d | a << 16][imm].",
               "numericImmediate64Handler(_ op: NumericOp) -> Handler?", imm64_table),
    ])
    for name, parts in files.items():
        write(name + ".swift", parts)


# --- Fused compare-and-branch: br_if (cmp a b) ---
def cmp_expr(t, op, a, b):
    if op == "eq": return f"{a} == {b}"
    if op == "ne": return f"{a} != {b}"
    rel = {"lt": "<", "gt": ">", "le": "<=", "ge": ">="}[op[:2]]
    if op.endswith("_s"):
        return f"{s(t, a)} {rel} {s(t, b)}"
    return f"{a} {rel} {b}"


# Fused "x OP (y SHIFT k)" for a shift or rotate by a constant consumed at once by a
# binary operator: hashes, xorshift generators and array indexing (base + (i << 2)).
FUSED_OPS = ["add", "sub", "and", "or", "xor"]
FUSED_SHIFTS = ["shl", "shr_s", "shr_u", "rotl", "rotr"]


def gen_fused():
    out = []
    table = []
    for t in ("i32", "i64"):
        bits = 32 if t == "i32" else 64
        T = SWIFT[t]
        for shift in FUSED_SHIFTS:
            shifted = {
                "shl": "b &<< k", "shr_u": "b &>> k", "shr_s": u(t, f"{s(t, 'b')} &>> {SIGNED[t]}(truncatingIfNeeded: k)"),
                "rotl": f"(b &<< k) | (b &>> ({bits} &- k))", "rotr": f"(b &>> k) | (b &<< ({bits} &- k))",
            }[shift]
            for op in FUSED_OPS:
                combine = {"add": "a &+ c", "sub": "a &- c", "and": "a & c", "or": "a | c", "xor": "a ^ c"}[op]
                h = f"h_{t}{op.capitalize()}_{camel(shift)}"
                out.append(f"""/// [h][dst | a << 16 | b << 32 | k << 48]: a {op} (b {shift} k)
func {h}{SIG} {{
    let o = Operands(pc)
    let a = {READ[t].format('o.s1')}, b = {READ[t].format('o.s2')}, k = {T}(truncatingIfNeeded: o.s3)
    let c = {shifted}
    {WRITE[t].format('o.s0', combine)}
    return next(pc + 2, fp, mem, ms, ctx)
}}
""")
                table.append((f"({case(f'{t}.{op}')}, {case(f'{t}.{shift}')})", h))
    out.append(lookup("`a OP (b SHIFT k)` in one instruction: [h][dst | a << 16 | b << 32 | k << 48].",
                      "fusedShiftHandler(_ op: NumericOp, shift: NumericOp) -> Handler?", table, subject="(op, shift)"))
    write("FusedShiftHandlers.swift", out)


# Fused "x OP load" for float arithmetic whose right operand was just loaded from memory
# (nbody, matmul: every product reads an array element).
#   R:  [h][dst | a << 16 | address << 32][offset]
#   RI: [h][dst | a << 16 | base << 32][imm | offset << 32]
LOAD_OPS = {"add": "+", "sub": "-", "mul": "*", "div": "/"}


def gen_load_ops():
    out = []
    table = []
    for t, size, raw in (("f32", 4, "UInt32"), ("f64", 8, "UInt64")):
        T = SWIFT[t]
        for op, symbol in LOAD_OPS.items():
            for mode, ea in (("R", "UInt64(fp.i32(o.s2)) &+ pc[2]"),
                             ("RI", "UInt64(fp.i32(o.s2) &+ UInt32(truncatingIfNeeded: pc[2])) &+ (pc[2] &>> 32)")):
                h = f"h_{t}{op.capitalize()}_load" + ("_ri" if mode == "RI" else "")
                out.append(f"""func {h}{SIG} {{
    let o = Operands(pc)
    let ea = {ea}
    if ea &+ {size} > ms {{ return trap(.outOfBoundsMemoryAccess, pc, ctx) }}
    let b = {T}(bitPattern: mem.loadUnaligned(fromByteOffset: Int(truncatingIfNeeded: ea), as: {raw}.self))
    {WRITE[t].format('o.s0', f"{READ[t].format('o.s1')} {symbol} b")}
    return next(pc + 3, fp, mem, ms, ctx)
}}
""")
                table.append((f"({case(f'{t}.{op}')}, {SWIFT_MODE[mode]})", h))
    out.append(lookup("`a OP load(address)` for float arithmetic; formats in Utilities/gen_handlers.py.",
                      "loadOperandHandler(_ op: NumericOp, _ mode: AddressMode) -> Handler?", table,
                      subject="(op, mode)"))
    write("LoadOperandHandlers.swift", out)


def gen_branches():
    out = []
    reg, imm = [], []
    for t in ("i32", "i64"):
        for op in CMP_OPS:
            test = cmp_expr(t, op, "a", "b")
            # register form: [h][a | b << 16 | offset32 << 32]
            h = f"h_brIf_{camel(t + '.' + op)}"
            out.append(f"""func {h}{SIG} {{
    let o = Operands(pc)
    let a = {READ[t].format('o.s0')}, b = {READ[t].format('o.s1')}
    if {test} {{ return next(pc + o.offset32, fp, mem, ms, ctx) }}
    return next(pc + 2, fp, mem, ms, ctx)
}}
""")
            reg.append((case(t + "." + op), h))
            # immediate form: [h][a | imm << 32][offset]
            hi = h + "Imm"
            out.append(f"""func {hi}{SIG} {{
    let o = Operands(pc)
    let a = {READ[t].format('o.s0')}, b = {imm_value(t)}
    if {test} {{ return next(pc + Int(Int64(bitPattern: pc[2])), fp, mem, ms, ctx) }}
    return next(pc + 3, fp, mem, ms, ctx)
}}
""")
            imm.append((case(t + "." + op), hi))
    out.append(lookup("Branches taken when a comparison holds, register form: [h][a | b << 16 | offset << 32].",
                      "compareBranchHandler(_ op: NumericOp) -> Handler?", reg))
    out.append(lookup("Branches taken when a comparison holds, immediate form: [h][a | imm << 32][offset].",
                      "compareBranchImmediateHandler(_ op: NumericOp) -> Handler?", imm))
    write("BranchHandlers.swift", out)


# --- Loads and stores on memory 0: [h][value | address << 16 | offset << 32] ---
loads = [  # (name, size, swift load type, result type, conversion of the loaded value)
    ("i32.load", 4, "UInt32", "i32", "v"), ("i64.load", 8, "UInt64", "i64", "v"),
    ("f32.load", 4, "UInt32", "i64", "UInt64(v)"), ("f64.load", 8, "UInt64", "i64", "v"),
    ("i32.load8_s", 1, "Int8", "i32", "UInt32(bitPattern: Int32(v))"), ("i32.load8_u", 1, "UInt8", "i32", "UInt32(v)"),
    ("i32.load16_s", 2, "Int16", "i32", "UInt32(bitPattern: Int32(v))"), ("i32.load16_u", 2, "UInt16", "i32", "UInt32(v)"),
    ("i64.load8_s", 1, "Int8", "i64", "UInt64(bitPattern: Int64(v))"), ("i64.load8_u", 1, "UInt8", "i64", "UInt64(v)"),
    ("i64.load16_s", 2, "Int16", "i64", "UInt64(bitPattern: Int64(v))"), ("i64.load16_u", 2, "UInt16", "i64", "UInt64(v)"),
    ("i64.load32_s", 4, "Int32", "i64", "UInt64(bitPattern: Int64(v))"), ("i64.load32_u", 4, "UInt32", "i64", "UInt64(v)"),
]
stores = [  # (name, size, conversion of the slot's 64 bits to the stored type)
    ("i32.store", 4, "UInt32(truncatingIfNeeded: v)"), ("i64.store", 8, "v"),
    ("f32.store", 4, "UInt32(truncatingIfNeeded: v)"), ("f64.store", 8, "v"),
    ("i32.store8", 1, "UInt8(truncatingIfNeeded: v)"), ("i32.store16", 2, "UInt16(truncatingIfNeeded: v)"),
    ("i64.store8", 1, "UInt8(truncatingIfNeeded: v)"), ("i64.store16", 2, "UInt16(truncatingIfNeeded: v)"),
    ("i64.store32", 4, "UInt32(truncatingIfNeeded: v)"),
]


# Address modes of loads and stores. An `i32.add` that computes an address just before the
# access is fused into it: wasm adds the two i32s with wraparound, then adds the offset
# without wraparound, and the fused handlers do exactly that.
#   R:  address in a slot
#   RR: address = slot + slot
#   RI: address = slot + 32-bit immediate
LOAD_MODES = {
    # mode: (operand word, effective address expression, instruction words)
    "R": ("[h][dst | address << 16 | offset << 32]", "UInt64(fp.i32(o.s1)) &+ UInt64(o.hi32)", 2),
    "RR": ("[h][dst | a << 16 | b << 32][offset]", "UInt64(fp.i32(o.s1) &+ fp.i32(o.s2)) &+ pc[2]", 3),
    "RI": ("[h][dst | a << 16 | imm << 32][offset]", "UInt64(fp.i32(o.s1) &+ o.hi32) &+ pc[2]", 3),
    "A": ("[h][dst][effective address]", "pc[2]", 3),
}
STORE_MODES = {
    # (mode, value from): (format, effective address, value expression, instruction words)
    ("R", "slot"): ("[h][value | address << 16 | offset << 32]", "UInt64(fp.i32(o.s1)) &+ UInt64(o.hi32)", "fp[o.s0]", 2),
    ("R", "imm"): ("[h][address | offset << 32][value]", "UInt64(fp.i32(o.s0)) &+ UInt64(o.hi32)", "pc[2]", 3),
    ("RR", "slot"): ("[h][value | a << 16 | b << 32][offset]", "UInt64(fp.i32(o.s1) &+ fp.i32(o.s2)) &+ pc[2]", "fp[o.s0]", 3),
    ("RR", "imm"): ("[h][a | b << 16 | offset << 32][value]", "UInt64(fp.i32(o.s0) &+ fp.i32(o.s1)) &+ UInt64(o.hi32)", "pc[2]", 3),
    ("RI", "slot"): ("[h][value | a << 16 | imm << 32][offset]", "UInt64(fp.i32(o.s1) &+ o.hi32) &+ pc[2]", "fp[o.s0]", 3),
    ("RI", "imm"): ("[h][a | imm << 32][offset][value]", "UInt64(fp.i32(o.s0) &+ o.hi32) &+ pc[2]", "pc[3]", 4),
    ("A", "slot"): ("[h][value][effective address]", "pc[2]", "fp[o.s0]", 3),
    ("A", "imm"): ("[h][effective address][value]", "pc[1]", "pc[2]", 3),
}


# Accesses whose handlers would be identical (32-bit values are kept zero-extended, floats are
# bit patterns) share the handlers of the first.
MEMORY_ALIASES = {
    "f32.load": "i32.load", "i64.load32_u": "i32.load", "f64.load": "i64.load",
    "i64.load8_u": "i32.load8_u", "i64.load16_u": "i32.load16_u",
    "f32.store": "i32.store", "i64.store32": "i32.store", "f64.store": "i64.store",
    "i64.store8": "i32.store8", "i64.store16": "i32.store16",
}


# The `AddressMode` case of each mode.
SWIFT_MODE = {"R": ".slot", "RR": ".slotPlusSlot", "RI": ".slotPlusImmediate", "A": ".absolute"}


def suffix(mode, value=None):
    return {"R": "", "RR": "_rr", "RI": "_ri", "A": "_abs"}[mode] + ("_imm" if value == "imm" else "")


def gen_memory():
    out = []
    out.append("/// Address modes of a fused load or store (see Utilities/gen_handlers.py).")
    out.append("enum AddressMode {\n    /// The address is in a slot.\n    case slot\n"
               "    /// The address is the sum of two slots.\n    case slotPlusSlot\n"
               "    /// The address is a slot plus a 32-bit immediate.\n    case slotPlusImmediate\n"
               "    /// The address is a constant: the effective address is in the instruction.\n    case absolute\n}\n")
    load_table = {m: [] for m in LOAD_MODES}
    store_table = {k: [] for k in STORE_MODES}
    for name, size, ty, rt, conv in loads:
        for mode, (fmt, ea, words) in LOAD_MODES.items():
            if name in MEMORY_ALIASES:
                load_table[mode].append((name, "h_" + camel(MEMORY_ALIASES[name]) + suffix(mode)))
                continue
            h = "h_" + camel(name) + suffix(mode)
            out.append(f"""/// {fmt}
func {h}{SIG} {{
    let o = Operands(pc)
    let ea = {ea}
    if ea &+ {size} > ms {{ return trap(.outOfBoundsMemoryAccess, pc, ctx) }}
    let v = mem.loadUnaligned(fromByteOffset: Int(truncatingIfNeeded: ea), as: {ty}.self)
    {WRITE[rt].format('o.s0', conv)}
    return next(pc + {words}, fp, mem, ms, ctx)
}}
""")
            load_table[mode].append((name, h))
    for name, size, conv in stores:
        for (mode, source), (fmt, ea, value, words) in STORE_MODES.items():
            if name in MEMORY_ALIASES:
                store_table[(mode, source)].append((name, "h_" + camel(MEMORY_ALIASES[name]) + suffix(mode, source)))
                continue
            h = "h_" + camel(name) + suffix(mode, source)
            out.append(f"""/// {fmt}
func {h}{SIG} {{
    let o = Operands(pc)
    let ea = {ea}
    if ea &+ {size} > ms {{ return trap(.outOfBoundsMemoryAccess, pc, ctx) }}
    let v = {value}
    mem.storeBytes(of: {conv}, toByteOffset: Int(truncatingIfNeeded: ea), as: type(of: {conv}))
    return next(pc + {words}, fp, mem, ms, ctx)
}}
""")
            store_table[(mode, source)].append((name, h))
    out.append(lookup("Scalar loads on memory 0, by address mode; formats above.",
                      "loadHandler(_ op: MemoryOp, _ mode: AddressMode) -> Handler?",
                      [(f"({case(name)}, {SWIFT_MODE[mode]})", h)
                       for mode, entries in load_table.items() for name, h in entries],
                      subject="(op, mode)"))
    out.append(lookup("Scalar stores on memory 0, by address mode and whether the value is an immediate word.",
                      "storeHandler(_ op: MemoryOp, _ mode: AddressMode, immediateValue: Bool) -> Handler?",
                      [(f"({case(name)}, {SWIFT_MODE[mode]}, {'true' if source == 'imm' else 'false'})", h)
                       for (mode, source), entries in store_table.items() for name, h in entries],
                      subject="(op, mode, immediateValue)"))
    write("MemoryHandlers.swift", out)


os.makedirs(OUT, exist_ok=True)
gen_numeric()
gen_fused()
gen_load_ops()
gen_branches()
gen_memory()
print("generated")
