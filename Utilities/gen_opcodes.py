#!/usr/bin/env python3
"""Generates the operator tables in Sources/SwimTypes (names, encodings, types) from
Utilities/data/opcodes.txt: NumericOp.swift, NumericOp+Signature.swift and MemoryAndLaneOps.swift.

Run `python3 Utilities/gen_opcodes.py` (or `make generate`) after changing the data file.
"""
import os
import sys

# The shared helpers sit next to this script (no bytecode cache left in the tree).
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_common import ROOT, camel, generated_header, save  # noqa: E402
from tables import items, read_tables  # noqa: E402

DATA = "opcodes.txt"
HEADER = generated_header("gen_opcodes.py", DATA)


def raw_value(encoding):
    """An enum case's raw value: the opcode byte, or `(prefix << 16) | sub-opcode` (`0xFD:0x0E` → 0xFD000E)."""
    prefix, _, sub = encoding.rpartition(":")
    return (int(prefix, 16) << 16 | int(sub, 16)) if prefix else int(sub, 16)


def details(row):
    """The `details` field as a dict: `bytes=4` → {"bytes": 4}."""
    return {key: int(value) for key, value in (item.split("=") for item in items(row["details"]))}


instructions = read_tables(DATA)["instructions"]
codes = [raw_value(row["encoding"]) for row in instructions]
duplicates = sorted({hex(c) for c in codes if codes.count(c) > 1})
if duplicates:
    raise SystemExit(f"{DATA}: encodings used twice: {', '.join(duplicates)}")


def rows_of(table):
    return [row for row in instructions if row["table"] == table]


# (name, code, params, result) of the operators without immediates.
numeric = [(row["name"], raw_value(row["encoding"]), items(row["operands"]), row["results"])
           for row in rows_of("NumericOp")]

# (name, code, value type, access bytes, natural alignment log2, is store): a store has no result,
# and stores its second operand.
memory = []
for row in rows_of("MemoryOp"):
    size, is_store = details(row)["bytes"], not row["results"]
    value_type = items(row["operands"])[1] if is_store else row["results"]
    memory.append((row["name"], raw_value(row["encoding"]), value_type, size, size.bit_length() - 1, is_store))

# (name, code, lane bytes, is store)
lane_memory = [(row["name"], raw_value(row["encoding"]), details(row)["bytes"], not row["results"])
               for row in rows_of("MemoryLaneOp")]

# (name, code, lane count, scalar type, is replace): a replacement returns the vector and takes the
# scalar as its second operand.
lanes = []
for row in rows_of("LaneOp"):
    is_replace = row["results"] == "v128"
    scalar = items(row["operands"])[1] if is_replace else row["results"]
    lanes.append((row["name"], raw_value(row["encoding"]), details(row)["lanes"], scalar, is_replace))


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

folder = os.path.join(ROOT, "Sources", "SwimTypes")
for filename, lines in (("NumericOp.swift", numeric_lines), ("NumericOp+Signature.swift", signature_lines),
                        ("MemoryAndLaneOps.swift", out)):
    save(os.path.join(folder, filename), HEADER, ["\n".join(lines) + "\n"])
print(f"{len(numeric)} numeric, {len(memory)} memory, {len(lane_memory)} lane memory, {len(lanes)} lane operators")
