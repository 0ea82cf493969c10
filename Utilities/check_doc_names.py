#!/usr/bin/env python3
"""Checks that a design document names only things that exist: every `path` in backticks must
exist in the repository, and every `Identifier` in backticks (a type, function or target name,
optionally qualified like `Swim.Module` or called like `run(...)`) must occur in the sources.

    Utilities/check_doc_names.py docs/architecture.md ...

Exits 1 naming each stale name, so that `make test` keeps the map true.
"""
import os
import re
import subprocess
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
CODE = re.compile(r"`([^`\n]+)`")
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def source_text():
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    chunks = []
    for name in files:
        if name.startswith(("Sources/", "Tests/", "spec-tests/", "Utilities/", "Examples/")) and \
                name.endswith((".swift", ".py", ".txt", ".proto", ".sh", ".modulemap", ".h")) or name in ("Package.swift", "Makefile"):
            with open(os.path.join(ROOT, name), errors="replace") as f:
                chunks.append(f.read())
    return "\n".join(chunks), set(files)


def path_exists(snippet, files):
    """A path from the root, under Sources/, or (for a bare file name) anywhere; `*` matches."""
    pattern = re.escape(snippet.rstrip("/")).replace(r"\*", "[^/]*")
    anywhere = re.compile(r"(^|/)" + pattern + r"($|/)")
    return any(anywhere.search(name) for name in files)


def names_in(snippet):
    """The identifiers a code snippet refers to: `A.b(c:)` gives A and b; prose-like snippets give none."""
    if " " in snippet.strip() and not re.match(r"^[\w.]+\(.*\)$", snippet):
        return []
    head = re.split(r"[(<\[]", snippet, maxsplit=1)[0]
    return [part for part in head.split(".") if IDENTIFIER.match(part)]


def main(documents):
    text, files = source_text()
    stale = []
    for document in documents:
        with open(os.path.join(ROOT, document)) as f:
            content = f.read()
        for snippet in CODE.findall(content):
            snippet = snippet.strip()
            if re.match(r"^[\w+*./-]+\.(swift|py|md|txt|proto|sh|wast|c)$", snippet) or (
                    "/" in snippet and " " not in snippet and not snippet.startswith("/")):
                if not path_exists(snippet, files):
                    stale.append(f"{document}: no such file: {snippet}")
                continue
            for name in names_in(snippet):
                # Short lowercase words (`init`, `run`) are prose as often as code: check names
                # that carry a capital or an underscore, or are longer than a plain word.
                if not (re.search(r"[A-Z_]", name) or len(name) > 12):
                    continue
                if not re.search(r"\b" + re.escape(name) + r"\b", text):
                    stale.append(f"{document}: not in the sources: {name} (in `{snippet}`)")
    for line in stale:
        print(line)
    if stale:
        sys.exit(1)
    print(f"{', '.join(documents)}: every name exists")


if __name__ == "__main__":
    main(sys.argv[1:])
