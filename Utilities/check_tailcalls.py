#!/usr/bin/env python3
"""Checks that the interpreter's handlers dispatch with tail calls in a release build.

Every handler (`h_*` functions of the Swim module) must reach the next handler with an
indirect `jmp`, never a `call` through a register: a call there would grow the native
stack by one frame per executed instruction. Usage: check_tailcalls.py OBJECT_FILES...
Exits 1 and lists the offenders.
"""
import re
import subprocess
import sys


def functions(objects):
    out = subprocess.run(["objdump", "-d", "--no-show-raw-insn", *objects], check=True,
                         capture_output=True, text=True).stdout
    name, body = None, []
    for line in out.splitlines():
        m = re.match(r"^[0-9a-f]+ <(.+)>:$", line)
        if m:
            if name:
                yield name, body
            name, body = m.group(1), []
        elif name and "\t" in line:
            body.append(line.split("\t", 1)[1].strip())
    if name:
        yield name, body


def demangled_handler(symbol):
    # Swift mangles `h_i32Add` in module Swim as $s4Swim8h_i32Add...F
    m = re.match(r"^\$s4Swim(\d+)(h_\w+)", symbol)
    if not m:
        return None
    return m.group(2)[: int(m.group(1))]


def main(objects):
    handlers, bad = 0, []
    for symbol, body in functions(objects):
        name = demangled_handler(symbol)
        if not name or "Tests" in symbol:
            continue
        handlers += 1
        # A dispatch that is not a tail call shows up as an indirect call.
        indirect_calls = [i for i in body if re.match(r"call\w*\s+\*", i)]
        if indirect_calls:
            bad.append(f"{name}: calls through a register ({indirect_calls[0]})")
    print(f"{handlers} handlers checked")
    for b in bad:
        print("  " + b)
    if handlers == 0:
        print("no handlers found: is this a release build of Swim?")
        return 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
