#!/usr/bin/env python3
"""Differential execution: Swim against wasmtime on modules from `wasm-tools smith`.

    Fuzz/differential.py DIFFRUN SECONDS OUT_DIR

Each round writes random bytes, has `wasm-tools smith --ensure-termination` turn them into a
module (no imports, everything exported, NaNs canonical), runs it under wasmtime (the PyPI
`wasmtime` package) and under Swim (DIFFRUN, Fuzz/Sources/DiffRun) the same way: instantiate,
call each exported function in export order with zero arguments, then read the exported
globals and a CRC-32 of each exported memory. Results, trap kinds and memory must agree.
DiffRun runs first and prints the exports' types: the bindings abort when asked for a v128 or
typed-reference type, so exports of those types are skipped, by both.
A module where either side exhausts its stack or GC heap is counted as inconclusive (the limits
differ).
Differences are kept in OUT_DIR with both transcripts; the summary line says how many modules
were compared.
"""
import json
import os
import random
import struct
import subprocess
import sys
import tempfile
import time
import zlib

import wasmtime

SMITH = [
    "wasm-tools", "smith", "--ensure-termination", "--canonicalize-nans", "true", "--export-everything", "true",
    "--max-imports", "0", "--min-funcs", "1", "--max-memory32-bytes", str(16 << 20),
    "--max-memory64-bytes", str(16 << 20), "--max-memories", "4", "--max-table-elements", "1000",
    # Wasm 3.0, which both implement (run_wasmtime turns wasmtime's proposals on to match), but
    # relaxed SIMD: its results may differ between engines by design.
    "--simd-enabled", "true", "--relaxed-simd-enabled", "false", "--tail-call-enabled", "true",
    "--extended-const-enabled", "true", "--exceptions-enabled", "true", "--gc-enabled", "true",
    "--memory64-enabled", "true",
    "--threads-enabled", "false", "--custom-page-sizes-enabled", "false",
    "--wide-arithmetic-enabled", "false", "--shared-everything-threads-enabled", "false",
    "--custom-descriptors-enabled", "false",
]

# Trap messages, both engines', as one vocabulary.
TRAP_KINDS = [
    ("call stack exhausted", "stack"), ("stack overflow", "stack"),
    ("out of bounds memory access", "memory"), ("memory out of bounds", "memory"),
    ("undefined element", "table"), ("out of bounds table access", "table"), ("table out of bounds", "table"),
    ("uninitialized element", "null-call"), ("indirect call to null", "null-call"),
    # call_ref on null: the spec's wording is Swim's; wasmtime says "null reference".
    ("null function reference", "null"),
    ("indirect call type mismatch", "signature"), ("bad signature", "signature"),
    ("integer divide by zero", "divide-by-zero"), ("integer division by zero", "divide-by-zero"),
    ("integer overflow", "overflow"), ("invalid conversion to integer", "conversion"),
    ("unreachable", "unreachable"), ("null reference", "null"), ("null structure reference", "null"),
    ("null array reference", "null"), ("null i31 reference", "null"), ("null exception reference", "null"),
    ("out of bounds array access", "array"), ("cast failure", "cast"),
    ("allocation size too large", "gc-memory"), ("out of memory", "gc-memory"),
    ("thrown wasm exception", "exception"),
]


def trap_kind(message):
    text = message.lower()
    for needle, kind in TRAP_KINDS:
        if needle in text:
            return kind
    return "other: " + message.splitlines()[0][:80]


def normalize(value):
    """f32/f64 NaNs of any payload are one value (smith canonicalizes those it computes)."""
    kind, _, payload = value.partition(":")
    if kind == "f32" and (int(payload) & 0x7F800000) == 0x7F800000 and int(payload) & 0x7FFFFF:
        return "f32:nan"
    if kind == "f64" and (int(payload) >> 52 & 0x7FF) == 0x7FF and int(payload) & ((1 << 52) - 1):
        return "f64:nan"
    return value


def describe(value, kind):
    if kind == "i32":
        return f"i32:{value & 0xFFFFFFFF}"
    if kind == "i64":
        return f"i64:{value & 0xFFFFFFFFFFFFFFFF}"
    if kind == "f32":
        return f"f32:{struct.unpack('<I', struct.pack('<f', value))[0]}"
    if kind == "f64":
        return f"f64:{struct.unpack('<Q', struct.pack('<d', value))[0]}"
    if kind == "funcref":
        # The bindings give a null funcref as a bare Val (or None), a function as a Func.
        return "funcref:ref" if isinstance(value, wasmtime.Func) else "funcref:null"
    raise ValueError(f"cannot describe {kind}")


def zero(kind):
    return {"i32": 0, "i64": 0, "f32": 0.0, "f64": 0.0}.get(kind)


def signatures(transcript):
    """DiffRun's "signature #N: func P,Q -> R" and "signature #N: global K" lines, by export index:
    the bindings abort when asked for a v128 or typed-reference type's kind, so the types come
    from Swim's decoder, and exports of those types are skipped by both."""
    out = {}
    for line in transcript:
        if line.startswith("signature #"):
            index, _, rest = line[len("signature #"):].partition(": ")
            what, _, kinds = rest.partition(" ")
            if what == "func":
                params, _, results = kinds.partition(" -> ")
                out[index] = (params.split(",") if params else [], results.split(",") if results else [])
            else:
                out[index] = kinds
    return out


def run_wasmtime(path, kinds):
    """The same transcript DiffRun prints, from wasmtime; kinds as signatures() gives them."""
    config = wasmtime.Config()
    config.max_wasm_stack = 1 << 20
    config.wasm_memory64 = config.wasm_multi_memory = config.wasm_exceptions = True
    config.wasm_function_references = config.wasm_gc = True
    engine = wasmtime.Engine(config)
    store = wasmtime.Store(engine)
    lines = []
    try:
        module = wasmtime.Module.from_file(engine, path)
    except Exception as error:
        return [f"compile: error {' '.join(str(error).split())}"]
    try:
        instance = wasmtime.Instance(store, module, [])
    except wasmtime.Trap as trap:
        return [f"instantiate: trap {' '.join(trap.message.split())}"]
    except Exception as error:
        return [f"instantiate: error {' '.join(str(error).split())}"]
    exports = instance.exports(store)
    for index, export in enumerate(module.exports):
        if not isinstance(export.type, wasmtime.FuncType):
            continue
        if str(index) not in kinds:
            lines.append(f"call #{index}: skipped")
            continue
        params, result_kinds = kinds[str(index)]
        try:
            results = exports[export.name](store, *[zero(k) for k in params])
            if len(result_kinds) == 0:
                results = []
            elif len(result_kinds) == 1:
                results = [results]
            lines.append(f"call #{index}: ok " + " ".join(describe(v, k) for v, k in zip(results, result_kinds)))
        except wasmtime.Trap as trap:
            lines.append(f"call #{index}: trap {' '.join(trap.message.split())}")
        except wasmtime.WasmtimeError as error:
            lines.append(f"call #{index}: error {' '.join(str(error).split())}")
    for index, export in enumerate(module.exports):
        if isinstance(export.type, wasmtime.GlobalType):
            if str(index) not in kinds:
                lines.append(f"global #{index}: skipped")
            else:
                lines.append(f"global #{index}: {describe(exports[export.name].value(store), kinds[str(index)])}")
        elif isinstance(export.type, wasmtime.MemoryType):
            memory = exports[export.name]
            data = memory.read(store, 0, memory.data_len(store))
            lines.append(f"memory #{index}: {len(data)} bytes crc32 {zlib.crc32(data)}")
    return lines


def wasmtime_transcript(path, kinds):
    """run_wasmtime in a child process, None when it fails: the bindings may abort the process."""
    done = subprocess.run([sys.executable, __file__, "--wasmtime", path, json.dumps(kinds)],
                          capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        return None
    return [line for line in done.stdout.splitlines() if line]


def canonical(lines):
    """Transcript lines with trap messages as kinds and NaNs as one value."""
    out = []
    for line in lines:
        head, _, rest = line.partition(": ")
        if rest.startswith("trap "):
            out.append(f"{head}: trap {trap_kind(rest[5:])}")
        elif rest.startswith("ok"):
            out.append(f"{head}: ok " + " ".join(normalize(v) for v in rest[3:].split()))
        elif head.startswith("global "):
            out.append(f"{head}: {normalize(rest)}")
        elif rest.startswith("error") and ("uncaught wasm exception" in rest or "thrown Wasm exception" in rest):
            # An exception out of a call or a start function: an error or a trap, by engine.
            out.append(f"{head}: trap exception")
        elif rest.startswith("error"):
            out.append(f"{head}: error")
        else:
            out.append(line)
    return out


def main(diffrun, seconds, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    deadline = time.monotonic() + seconds
    compared = inconclusive = unsupported = differences = 0
    rng = random.Random(int.from_bytes(os.urandom(8), "little"))
    with tempfile.TemporaryDirectory() as work:
        module = f"{work}/module.wasm"
        while time.monotonic() < deadline:
            seed = bytes(rng.getrandbits(8) for _ in range(rng.choice([64, 512, 4096, 16384])))
            made = subprocess.run(SMITH + ["-o", module], input=seed, capture_output=True)
            if made.returncode != 0:
                continue
            done = subprocess.run([diffrun, module], capture_output=True, text=True, timeout=120)
            swim = done.stdout.splitlines()
            if done.returncode != 0:
                swim.append(f"crash: exit status {done.returncode}: {done.stderr[-2000:]}")
            reference = wasmtime_transcript(module, signatures(swim))
            if reference is None:
                unsupported += 1
                continue
            swim = [line for line in swim if not line.startswith("signature #")]
            expected, actual = canonical(reference), canonical(swim)
            if any(": trap stack" in line or ": trap gc-memory" in line for line in expected + actual):
                inconclusive += 1
                continue
            compared += 1
            if expected != actual:
                differences += 1
                name = f"{out_dir}/difference-{differences}"
                with open(module, "rb") as source, open(f"{name}.wasm", "wb") as target:
                    target.write(source.read())
                with open(f"{name}.txt", "w") as report:
                    report.write("wasmtime:\n" + "\n".join(reference) + "\n\nswim:\n" + "\n".join(swim) + "\n")
                print(f"difference: {name}.wasm ({name}.txt)")
    print(f"differential: {compared} modules compared, {differences} differed, {inconclusive} inconclusive "
          f"(stack or GC heap exhausted), {unsupported} skipped (the wasmtime bindings failed)")
    return 1 if differences else 0


if __name__ == "__main__":
    if sys.argv[1] == "--wasmtime":
        print("\n".join(run_wasmtime(sys.argv[2], json.loads(sys.argv[3]))))
    else:
        sys.exit(main(sys.argv[1], float(sys.argv[2]), sys.argv[3]))
