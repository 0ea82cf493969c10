#!/usr/bin/env python3
"""Generates the interpreter's SIMD handlers into Sources/Swim/Execution/Generated/SIMD*.swift,
from the SIMD sections of Utilities/data/handlers.txt (what each operator computes) and the
instruction formats below (where each handler finds its operands).

Run `python3 Utilities/gen_simd.py` (or `make generate`) after changing either.

Each handler reads its operands as Swift SIMD vectors of concrete types (see
SIMDSupport.swift), computes one expression and stores the result, so LLVM emits vector
code where the ISA has it. Operations that no Swift operator expresses are helpers in
SIMDLaneSemantics.swift. Every handler reads all operands before writing its result (the
destination may be an operand) and ends with `return next(...)`, a tail call at -O.

Formats (16-bit slot indices packed in the operand word, see Slots.swift):
  unary / splat / test   [h][dst | a << 16]
  binary / shift         [h][dst | a << 16 | b << 32]
  ternary (bitselect...)  [h][dst | a << 16 | b << 32 | c << 48]
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
from gen_common import (HANDLERS_FOLDER, camel, case, generated_header, handler, lookup, operator_body,  # noqa: E402
                        read_slot, save as save_file, write_slot)
from tables import items, read_tables  # noqa: E402

DATA = "handlers.txt"
TABLES = read_tables(DATA)

# An output folder may be given as the argument (to try changes outside the tree).
OUT = sys.argv[1] if len(sys.argv) > 1 else HANDLERS_FOLDER


def handler_name(name):
    return "h_" + camel(name)


def operator_handler(row):
    """The handler of an operator: its operands read as the types of the row, its expression written to o.s0."""
    reads = [read_slot(t, slot) for t, slot in zip(items(row["operands"]), ("o.s1", "o.s2", "o.s3"))]
    return handler(handler_name(row["name"]), operator_body(reads, row["expression"], row["result"]), 2, row["name"])


# Integer operators whose result lanes are wider or narrower than their operands'; they get a file
# of their own (the handler table keeps the order of the data file).
LANE_WIDTH_CHANGING = ("narrow_", "extend_", "extmul_", "extadd_pairwise_", "dot_")


def changes_lane_width(name):
    return name.split(".")[1].startswith(LANE_WIDTH_CHANGING)


def gen_lanes():
    out = []
    table = []
    for row in TABLES["simd_lane"]:
        name, vector, mask, conversion = row["name"], row["vector"], row["mask"], row["conversion"]
        if row["result"] == "v":  # a replacement
            body = f"""let o = Operands(pc)
    var v = fp.vector(o.s1, as: {vector}.self)
    let s = fp[o.s2]
    v[o.s3 & {mask}] = {conversion}
    fp.setVector(o.s0, v)"""
        else:
            body = f"""let o = Operands(pc)
    let v = fp.vector(o.s1, as: {vector}.self)[o.s2 & {mask}]
    {write_slot(row["result"], "o.s0", conversion)}"""
        out.append(handler(handler_name(name), body, 2, name))
        table.append((case(name), handler_name(name)))
    shuffle_body = """let o = Operands(pc)
    let a = fp.vector(o.s1, as: U8x16.self), b = fp.vector(o.s2, as: U8x16.self)
    let lanes = UnsafeRawPointer(pc + 2).loadUnaligned(as: U8x16.self)
    fp.setVector(o.s0, shuffleLanes(a, b, lanes))"""
    out.append(handler("h_i8x16Shuffle", shuffle_body, 4, "i8x16.shuffle"))
    return out, table


# Lane accesses carry a full 64-bit offset word: check without wrapping around.
LANE_BOUNDS = """let offset = pc[2], address = UInt64(fp.i32({slot}))
    if offset > ms || address &+ {size} > ms &- offset {{ return trap(.outOfBoundsMemoryAccess, pc, ctx) }}
    let ea = Int(address &+ offset)"""


def gen_memory():
    out = []
    table = []
    for row in TABLES["simd_load"]:
        name = row["name"]
        body = f"""let o = Operands(pc)
    let ea = UInt64(fp.i32(o.s1)) &+ UInt64(o.hi32)
    if ea &+ {row["bytes"]} > ms {{ return trap(.outOfBoundsMemoryAccess, pc, ctx) }}
    let v = mem.loadUnaligned(fromByteOffset: Int(ea), as: {row["type"]}.self)
    fp.setVector(o.s0, {row["expression"]})"""
        out.append(handler(handler_name(name), body, 2, name))
        table.append((case(name), handler_name(name)))
    body = """let o = Operands(pc)
    let ea = UInt64(fp.i32(o.s1)) &+ UInt64(o.hi32)
    if ea &+ 16 > ms { return trap(.outOfBoundsMemoryAccess, pc, ctx) }
    mem.storeBytes(of: fp.vector(o.s0, as: U64x2.self), toByteOffset: Int(ea), as: U64x2.self)"""
    out.append(handler("h_v128Store", body, 2, "v128.store"))
    table.append((case("v128.store"), "h_v128Store"))

    lane_table = []
    for row in TABLES["simd_memory_lane"]:
        name, size, scalar, vector, mask = row["name"], row["bytes"], row["scalar"], row["vector"], row["mask"]
        if ".load" in name:
            body = f"""let o = Operands(pc)
    {LANE_BOUNDS.format(slot="o.s1", size=size)}
    var v = fp.vector(o.s2, as: {vector}.self)
    v[o.s3 & {mask}] = mem.loadUnaligned(fromByteOffset: ea, as: {scalar}.self)
    fp.setVector(o.s0, v)"""
        else:
            body = f"""let o = Operands(pc)
    {LANE_BOUNDS.format(slot="o.s0", size=size)}
    mem.storeBytes(of: fp.vector(o.s1, as: {vector}.self)[o.s2 & {mask}], toByteOffset: ea, as: {scalar}.self)"""
        out.append(handler(handler_name(name), body, 3, name))
        lane_table.append((case(name), handler_name(name)))
    return out, table, lane_table


def gen_operators(rows):
    return [operator_handler(row) for row in rows], [(case(row["name"]), handler_name(row["name"])) for row in rows]


def gen_relaxed(rows, known_handlers):
    """Relaxed SIMD: handlers of their own for the rows without a `handler`; the others share the
    handler they name, which must be one of `known_handlers`."""
    own = [row for row in rows if not row["handler"]]
    for row in rows:
        if row["handler"] and row["handler"] not in known_handlers:
            raise SystemExit(f"{DATA}: {row['name']} shares {row['handler']}, which is no SIMD handler")
    table = [(case(row["name"]), row["handler"] or handler_name(row["name"])) for row in rows]
    return [operator_handler(row) for row in own], table


def save(filename, description, parts):
    save_file(os.path.join(OUT, filename), generated_header("gen_simd.py", DATA, description), parts)


def main():
    integer = TABLES["simd_integer"]
    integer_handlers, integer_table = gen_operators(integer)
    same_shape = [h for row, h in zip(integer, integer_handlers) if not changes_lane_width(row["name"])]
    widen_narrow = [h for row, h in zip(integer, integer_handlers) if changes_lane_width(row["name"])]
    floats, float_table = gen_operators(TABLES["simd_float"])
    vector, vector_table = gen_operators(TABLES["simd_vector"])
    relaxed, relaxed_table = gen_relaxed(TABLES["simd_relaxed"],
                                         {h for _, h in integer_table + float_table + vector_table})
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
    save("SIMDRelaxedHandlers.swift",
         "Relaxed SIMD operators that share no handler with another operator (see docs/relaxed-simd.md).",
         relaxed)
    tables = [
        lookup("The handler of every SIMD numeric operator (nil for scalar ones).",
               "simdHandler(_ op: NumericOp) -> Handler?",
               integer_table + float_table + vector_table + relaxed_table, "nil"),
        lookup("The handler of every v128 load and store (nil for scalar ones).",
               "simdMemoryHandler(_ op: MemoryOp) -> Handler?", memory_table, "nil"),
        lookup("Lane extraction and replacement handlers.", "laneHandler(_ op: LaneOp) -> Handler", lane_table, None),
        lookup("Single-lane load and store handlers.", "memoryLaneHandler(_ op: MemoryLaneOp) -> Handler",
               memory_lane_table, None),
    ]
    save("SIMDHandlerTables.swift", "Which handler each SIMD operator translates to.", ["import SwimTypes\n"] + tables)
    print("generated", len(integer_table + float_table + vector_table + relaxed_table), "operators,",
          len(memory_table), "memory,",
          len(lane_table), "lane,", len(memory_lane_table), "memory-lane handlers")


if __name__ == "__main__":
    main()
