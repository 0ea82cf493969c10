#!/usr/bin/env python3
"""Checks that the text-format parser knows the same instructions as Utilities/data/opcodes.txt.

The generated enums give SwimWAT the mnemonics of their operators; the Instruction lines of the
data file, decoded and parsed by hand, are listed by hand in SwimWAT's OperatorTable.swift. This
compares that list with those lines, so that the data file stays the one list of instructions.
"""
import os
import re
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_common import ROOT  # noqa: E402
from tables import read_tables  # noqa: E402

OPERATOR_TABLE = "Sources/SwimWAT/OperatorTable.swift"
# Words of the text format that OperatorTable.swift lists but that are no instructions.
KEYWORDS = {"then"}

with open(os.path.join(ROOT, OPERATOR_TABLE)) as f:
    # The entries of its `special` list: ("br_if", .brIf)
    parsed = set(re.findall(r'\("([^"]+)", \.', f.read())) - KEYWORDS
data = {row["name"] for row in read_tables("opcodes.txt")["instructions"] if row["table"] == "Instruction"}

problems = [f"{OPERATOR_TABLE} does not parse {name}, an Instruction line of Utilities/data/opcodes.txt"
            for name in sorted(data - parsed)]
problems += [f"{OPERATOR_TABLE} parses {name}, which Utilities/data/opcodes.txt lacks (add its line)"
             for name in sorted(parsed - data)]
if problems:
    raise SystemExit("\n".join(problems))
print(f"the text-format parser knows the {len(data)} hand-parsed instructions of opcodes.txt")
