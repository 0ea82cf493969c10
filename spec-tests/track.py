#!/usr/bin/env python3
"""Tracks Wasm 3.0 conformance per proposal: runs spec-test on the suite's `main/` scripts and
groups the results by each file's origin in MANIFEST.tsv (e.g. "new in 3.0: multi-memory").

    spec-tests/track.py SUITE_DIR [SPEC_TEST_BINARY]

Swim implements Wasm 2.0; this reports how far the 3.0 suite gets, without failing.
"""
import collections
import os
import re
import subprocess
import sys


def main():
    suite = sys.argv[1]
    binary = sys.argv[2] if len(sys.argv) > 2 else ".build/release/spec-test"
    origins = {}
    with open(os.path.join(suite, "MANIFEST.tsv")) as manifest:
        next(manifest)
        for line in manifest:
            fields = line.rstrip("\n").split("\t")
            origins[fields[0]] = fields[1]
    output = subprocess.run([binary, os.path.join(suite, "main")], capture_output=True, text=True).stdout
    totals = collections.defaultdict(lambda: [0, 0, 0, 0])
    for line in output.splitlines():
        m = re.match(r"^(.*\.wast): (\d+) passed, (\d+) failed, (\d+) skipped$", line)
        if not m:
            continue
        relative = "main/" + os.path.relpath(m.group(1), os.path.join(suite, "main"))
        origin = origins.get(relative, "unknown")
        group = origin.split(": ", 1)[1] if origin.startswith("new in 3.0: ") else origin
        row = totals[group]
        row[0] += 1
        for i in range(3):
            row[i + 1] += int(m.group(i + 2))
    print(f"{'origin / proposal':<44}{'files':>6}{'passed':>9}{'failed':>9}{'skipped':>9}")
    for group, (files, passed, failed, skipped) in sorted(totals.items(), key=lambda kv: -kv[1][1]):
        print(f"{group:<44}{files:>6}{passed:>9}{failed:>9}{skipped:>9}")
    print(output.strip().splitlines()[-1] if output.strip() else "no output")


if __name__ == "__main__":
    main()
