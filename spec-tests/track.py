#!/usr/bin/env python3
"""Tracks conformance per proposal: runs spec-test on the suite's folders and groups the
results by each file's origin in spec-tests/origins.tsv (e.g. "new in 3.0: multi-memory"
becomes "multi-memory").

    spec-tests/track.py [--binary BIN] [--update-readme README.md] SUITE_DIR

Prints the table (files, passed, failed, skipped per origin). With --update-readme, also
writes it into the README between the lines `<!-- spec-table:start -->` and
`<!-- spec-table:end -->`. The commands of spec-tests/skip-gc.tsv are skipped, as in
`make spec-test`. Reports; never fails on failing tests.
"""
import argparse
import collections
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FOLDERS = ["wasm-2.0", "main", "main/legacy", "main/custom"]
START, END = "<!-- spec-table:start -->", "<!-- spec-table:end -->"
NEW_IN_3 = "new in 3.0: "


def read_origins():
    """Each script's origin, from spec-tests/origins.tsv."""
    with open(os.path.join(HERE, "origins.tsv")) as f:
        rows = [line.rstrip("\n").split("\t") for line in f if not line.startswith("#")]
    return {fields[0]: fields[1] for fields in rows[1:]}


def group_of(origin):
    return origin[len(NEW_IN_3):] if origin.startswith(NEW_IN_3) else origin


def group_order(group, origins):
    """wasm-2.0 first, then main's 2.0 files, the 3.0 proposals, and the rest."""
    if group == "wasm-2.0":
        return (0, group)
    if group.startswith("wasm-2.0"):
        return (1, group)
    if NEW_IN_3 + group in origins:
        return (2, group)
    return (3, group)


def run(binary, suite):
    folders = [os.path.join(suite, f) for f in FOLDERS if os.path.isdir(os.path.join(suite, f))]
    command = [binary, "--skip", os.path.join(HERE, "skip-gc.tsv"), *folders]
    return subprocess.run(command, capture_output=True, text=True).stdout


def tabulate(output, suite, origins):
    rows = collections.defaultdict(lambda: [0, 0, 0, 0])
    for line in output.splitlines():
        m = re.match(r"^(.*\.wast): (?:(\d+) passed, (\d+) failed, (\d+) skipped|cannot .*)$", line)
        if not m:
            continue
        relative = os.path.relpath(m.group(1), suite)
        row = rows[group_of(origins.get(relative, "unknown"))]
        row[0] += 1
        if m.group(2) is not None:
            for i in range(3):
                row[i + 1] += int(m.group(i + 2))
    known = set(origins.values())
    return sorted(rows.items(), key=lambda kv: group_order(kv[0], known))


def markdown(rows):
    lines = ["| origin / proposal | files | passed | failed | skipped |", "|---|---:|---:|---:|---:|"]
    totals = [0, 0, 0, 0]
    for group, counts in rows:
        lines.append(f"| {group} | " + " | ".join(f"{n:,}" for n in counts) + " |")
        totals = [a + b for a, b in zip(totals, counts)]
    lines.append("| **total** | " + " | ".join(f"**{n:,}**" for n in totals) + " |")
    return "\n".join(lines)


def update_readme(path, table):
    with open(path) as f:
        text = f.read()
    start, end = text.find(START), text.find(END)
    if start < 0 or end < start:
        sys.exit(f"{path}: the markers {START} and {END} were not found")
    text = text[:start + len(START)] + "\n" + table + "\n" + text[end:]
    with open(path, "w") as f:
        f.write(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("suite", help="the suite's root: wasm-2.0/, main/")
    parser.add_argument("legacy_binary", nargs="?", help=argparse.SUPPRESS)
    parser.add_argument("--binary", default=".build/release/spec-test", help="the spec-test runner")
    parser.add_argument("--update-readme", metavar="README", help="write the table into this file")
    args = parser.parse_args()
    binary = args.legacy_binary or args.binary

    origins = read_origins()
    output = run(binary, args.suite)
    rows = tabulate(output, args.suite, origins)
    print(f"{'origin / proposal':<44}{'files':>6}{'passed':>9}{'failed':>9}{'skipped':>9}")
    for group, (files, passed, failed, skipped) in rows:
        print(f"{group:<44}{files:>6}{passed:>9}{failed:>9}{skipped:>9}")
    print(output.strip().splitlines()[-1] if output.strip() else "no output")
    if args.update_readme:
        update_readme(args.update_readme, markdown(rows))
        print(f"table written to {args.update_readme}")


if __name__ == "__main__":
    main()
