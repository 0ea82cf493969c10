#!/usr/bin/env python3
"""Generates the interpreter's formulaic scalar handlers into Sources/Swim/Execution/Generated/,
from the scalar sections of Utilities/data/handlers.txt (what each operator computes) and the
instruction formats below (where each handler finds its operands).

Run `python3 Utilities/gen_handlers.py` (or `make generate`) after changing either.

Every handler has the signature of `Handler` (see Dispatch.swift) and ends with
`return next(...)`, which is a tail call at -O. Operand words pack 16-bit slot
indices (`o.s0`, `o.s1`, ...) and a 32-bit immediate or memory offset (`o.hi32`).
"""
import os
import re
import sys

# The shared helpers sit next to this script (no bytecode cache left in the tree).
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_common import (HANDLERS_FOLDER as OUT, SIG, camel, case, generated_header, handler, lookup,  # noqa: E402
                        operator_body, read_slot, save, write_slot)
from tables import items, read_tables  # noqa: E402

DATA = "handlers.txt"
HEADER = generated_header("gen_handlers.py", DATA) + "\nimport SwimTypes\n"
TABLES = read_tables(DATA)

SWIFT = {"i32": "UInt32", "i64": "UInt64", "f32": "Float", "f64": "Double"}


def write(filename, parts):
    save(os.path.join(OUT, filename), HEADER, parts)


def handler_name(row):
    """The handler of an operator's register form: its own, or the one it shares."""
    return row["handler"] or "h_" + camel(row["name"])


def imm_value(t):
    """The right operand of an integer immediate form: the 32-bit immediate, sign-extended for i64."""
    return "o.hi32" if t == "i32" else "UInt64(bitPattern: Int64(Int32(bitPattern: o.hi32)))"


def handler_file(operand, result):
    """The file of a scalar handler: within one type, by type; between types, conversions."""
    if operand == result or result == "bool":
        return "IntegerHandlers" if operand in ("i32", "i64") else "FloatHandlers"
    return "ConversionHandlers"


def gen_numeric():
    # One file per kind of operator, and one for the lookup tables.
    files = {"IntegerHandlers": [], "FloatHandlers": [], "ConversionHandlers": []}
    table = []  # (case pattern, handler name)
    imm_table = []
    imm64_table = []
    float_imm_table = []
    for row in TABLES["scalar"]:
        name, expr, rt, forms = row["name"], row["expression"], row["result"], items(row["forms"])
        h = handler_name(row)
        table.append((case(name), h))
        if row["handler"]:  # it shares another operator's handlers
            continue
        operands = items(row["operands"])
        t = operands[0]
        bucket = files[handler_file(t, rt)]
        # [h][dst | a << 16 | b << 32]
        reads = [read_slot(t, slot) for slot in ("o.s1", "o.s2")[:len(operands)]]
        bucket.append(handler(h, operator_body(reads, expr, rt), 2))
        # [h][dst | a << 16 | imm << 32]
        if "imm" in forms and t in ("i32", "i64"):
            bucket.append(handler(h + "Imm", operator_body([read_slot(t, "o.s1"), imm_value(t)], expr, rt), 2))
            imm_table.append((case(name), h + "Imm"))
        # [h][dst | a << 16][imm word]
        if "imm" in forms and t in ("f32", "f64"):
            b = "Float(bitPattern: UInt32(truncatingIfNeeded: pc[2]))" if t == "f32" else "Double(bitPattern: pc[2])"
            bucket.append(handler(h + "Imm", operator_body([read_slot(t, "o.s1"), b], expr, rt), 3))
            float_imm_table.append((case(name), h + "Imm"))
        # [h][dst | a << 16][imm]
        if "imm64" in forms:
            bucket.append(handler(h + "Imm64", operator_body([read_slot(t, "o.s1"), "pc[2]"], expr, rt), 3))
            imm64_table.append((case(name), h + "Imm64"))
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


# Fused "a OP (b SHIFT k)": [h][dst | a << 16 | b << 32 | k << 48].
def gen_fused():
    out = []
    table = []
    for shift in TABLES["fused_shift"]:
        t, shift_name = shift["name"].split(".")
        for combine in TABLES["fused_shift_combine"]:
            op = combine["name"]
            h = f"h_{t}{op.capitalize()}_{camel(shift_name)}"
            out.append(f"""/// [h][dst | a << 16 | b << 32 | k << 48]: a {op} (b {shift_name} k)
func {h}{SIG} {{
    let o = Operands(pc)
    let a = {read_slot(t, 'o.s1')}, b = {read_slot(t, 'o.s2')}, k = {SWIFT[t]}(truncatingIfNeeded: o.s3)
    let c = {shift['expression']}
    {write_slot(t, 'o.s0', combine['expression'])}
    return next(pc + 2, fp, mem, ms, ctx)
}}
""")
            table.append((f"({case(f'{t}.{op}')}, {case(shift['name'])})", h))
    out.append(lookup("`a OP (b SHIFT k)` in one instruction: [h][dst | a << 16 | b << 32 | k << 48].",
                      "fusedShiftHandler(_ op: NumericOp, shift: NumericOp) -> Handler?", table, subject="(op, shift)"))
    write("FusedShiftHandlers.swift", out)


# Fused "a OP load(address)", for the float operators with the `load` form:
#   R:  [h][dst | a << 16 | address << 32][offset]
#   RI: [h][dst | a << 16 | base << 32][imm | offset << 32]
LOAD_OPERAND_MODES = {"R": "UInt64(fp.i32(o.s2)) &+ pc[2]",
                      "RI": "UInt64(fp.i32(o.s2) &+ UInt32(truncatingIfNeeded: pc[2])) &+ (pc[2] &>> 32)"}
# The size of each float type, and the unsigned integer type of its bits.
FLOAT_LOADS = {"f32": (4, "UInt32"), "f64": (8, "UInt64")}


def gen_load_ops():
    out = []
    table = []
    for row in TABLES["scalar"]:
        if "load" not in items(row["forms"]):
            continue
        name, t = row["name"], items(row["operands"])[0]
        size, raw = FLOAT_LOADS[t]
        # The register operand is read in place: `a + b` → `fp.f32(o.s1) + b`.
        value = re.sub(r"\ba\b", read_slot(t, "o.s1"), row["expression"])
        for mode, ea in LOAD_OPERAND_MODES.items():
            h = "h_" + camel(name) + "_load" + ("_ri" if mode == "RI" else "")
            out.append(f"""func {h}{SIG} {{
    let o = Operands(pc)
    let ea = {ea}
    if ea &+ {size} > ms {{ return trap(.outOfBoundsMemoryAccess, pc, ctx) }}
    let b = {SWIFT[t]}(bitPattern: mem.loadUnaligned(fromByteOffset: Int(truncatingIfNeeded: ea), as: {raw}.self))
    {write_slot(t, 'o.s0', value)}
    return next(pc + 3, fp, mem, ms, ctx)
}}
""")
            table.append((f"({case(name)}, {SWIFT_MODE[mode]})", h))
    out.append(lookup("`a OP load(address)` for float arithmetic; formats in Utilities/gen_handlers.py.",
                      "loadOperandHandler(_ op: NumericOp, _ mode: AddressMode) -> Handler?", table,
                      subject="(op, mode)"))
    write("LoadOperandHandlers.swift", out)


# Fused compare-and-branch, `br_if (cmp a b)`, for the comparisons with the `branch` form.
# A branch on a false comparison is a branch on its complement (`a < b` false is `a >= b`,
# `a == b` false is `a != b`), but float orderings have none, both being false when an operand
# is NaN: they also get handlers that branch when the comparison does not hold (`h_brUnless_...`).
FLOAT_ORDERINGS = ("lt", "gt", "le", "ge")
# The immediate form needs the operand in 32 bits: integers and f32, not f64.
BRANCH_IMMEDIATE = {"i32": "o.hi32", "i64": imm_value("i64"), "f32": "Float(bitPattern: o.hi32)"}


def gen_branches():
    out = []
    tables = {"reg": [], "imm": [], "negated reg": [], "negated imm": []}
    for row in TABLES["scalar"]:
        if "branch" not in items(row["forms"]):
            continue
        name, t, test = row["name"], items(row["operands"])[0], row["expression"]
        ordering = t in ("f32", "f64") and name.split(".")[1] in FLOAT_ORDERINGS
        senses = [("brIf", test, "")] + ([("brUnless", f"!({test})", "negated ")] if ordering else [])
        for prefix, condition, table in senses:
            # register form: [h][a | b << 16 | offset32 << 32]
            h = f"h_{prefix}_{camel(name)}"
            out.append(f"""func {h}{SIG} {{
    let o = Operands(pc)
    let a = {read_slot(t, 'o.s0')}, b = {read_slot(t, 'o.s1')}
    if {condition} {{ return next(pc + o.offset32, fp, mem, ms, ctx) }}
    return next(pc + 2, fp, mem, ms, ctx)
}}
""")
            tables[table + "reg"].append((case(name), h))
            if t not in BRANCH_IMMEDIATE:
                continue
            # immediate form: [h][a | imm << 32][offset]
            hi = h + "Imm"
            out.append(f"""func {hi}{SIG} {{
    let o = Operands(pc)
    let a = {read_slot(t, 'o.s0')}, b = {BRANCH_IMMEDIATE[t]}
    if {condition} {{ return next(pc + Int(Int64(bitPattern: pc[2])), fp, mem, ms, ctx) }}
    return next(pc + 3, fp, mem, ms, ctx)
}}
""")
            tables[table + "imm"].append((case(name), hi))
    out.append(lookup("Branches taken when a comparison holds, register form: [h][a | b << 16 | offset << 32].",
                      "compareBranchHandler(_ op: NumericOp) -> Handler?", tables["reg"]))
    out.append(lookup("Branches taken when a comparison holds, immediate form: [h][a | imm << 32][offset].",
                      "compareBranchImmediateHandler(_ op: NumericOp) -> Handler?", tables["imm"]))
    out.append(lookup("Branches taken when a float ordering does not hold, register form (as above).",
                      "negatedCompareBranchHandler(_ op: NumericOp) -> Handler?", tables["negated reg"]))
    out.append(lookup("Branches taken when a float ordering does not hold, immediate form (as above).",
                      "negatedCompareBranchImmediateHandler(_ op: NumericOp) -> Handler?", tables["negated imm"]))
    write("BranchHandlers.swift", out)


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
    for row in TABLES["load"]:
        name = row["name"]
        for mode, (fmt, ea, words) in LOAD_MODES.items():
            h = handler_name(row) + suffix(mode)
            load_table[mode].append((name, h))
            if row["handler"]:
                continue
            out.append(f"""/// {fmt}
func {h}{SIG} {{
    let o = Operands(pc)
    let ea = {ea}
    if ea &+ {row['bytes']} > ms {{ return trap(.outOfBoundsMemoryAccess, pc, ctx) }}
    let v = mem.loadUnaligned(fromByteOffset: Int(truncatingIfNeeded: ea), as: {row['type']}.self)
    {write_slot(row['result'], 'o.s0', row['conversion'])}
    return next(pc + {words}, fp, mem, ms, ctx)
}}
""")
    for row in TABLES["store"]:
        name, conv = row["name"], row["conversion"]
        for (mode, source), (fmt, ea, value, words) in STORE_MODES.items():
            h = handler_name(row) + suffix(mode, source)
            store_table[(mode, source)].append((name, h))
            if row["handler"]:
                continue
            out.append(f"""/// {fmt}
func {h}{SIG} {{
    let o = Operands(pc)
    let ea = {ea}
    if ea &+ {row['bytes']} > ms {{ return trap(.outOfBoundsMemoryAccess, pc, ctx) }}
    let v = {value}
    mem.storeBytes(of: {conv}, toByteOffset: Int(truncatingIfNeeded: ea), as: type(of: {conv}))
    return next(pc + {words}, fp, mem, ms, ctx)
}}
""")
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
