#!/usr/bin/env python3
"""Seeds the fuzz corpora (Fuzz/README.md): the spec suite's modules, as binaries through
`wasm-tools json-from-wast` and as text, the repository's own .wasm and .wat files, ttrpc
frames, and OCI config.json files; and FuzzText's dictionary, the text format's keywords.

    Fuzz/seed.py SUITE_DIR CORPUS_DIR    (the dictionaries go beside CORPUS_DIR, in dictionaries/)
"""
import glob
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def save(directory, name, data):
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data)


def spec_scripts(suite):
    return sorted(glob.glob(f"{suite}/wasm-2.0/*.wast") + glob.glob(f"{suite}/main/*.wast"))


def binaries(suite, corpus):
    """Every binary module of the spec scripts (wasm-tools writes them), and the repository's."""
    out = f"{corpus}/FuzzDecode"
    os.makedirs(out, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        for script in spec_scripts(suite):
            base = os.path.basename(os.path.dirname(script)) + "-" + os.path.splitext(os.path.basename(script))[0]
            target = f"{work}/{base}"
            os.makedirs(target)
            subprocess.run(["wasm-tools", "json-from-wast", "--wasm-dir", target, "-o", f"{target}/x.json", script],
                           capture_output=True)
            for module in glob.glob(f"{target}/*.wasm"):
                shutil.copy(module, f"{out}/{base}-{os.path.basename(module)}")
    for module in glob.glob(f"{ROOT}/testdata/**/*.wasm", recursive=True) + glob.glob(f"{ROOT}/Tests/e2e/modules/*.wasm"):
        shutil.copy(module, f"{out}/repo-{os.path.basename(module)}")
    # Running needs modules that validate: the same seeds serve, the invalid ones drop out fast.
    shutil.copytree(out, f"{corpus}/FuzzRun", dirs_exist_ok=True)


def top_level_forms(text):
    """The script's top-level S-expressions, in order: strings and comments may hold parentheses."""
    forms, depth, start, i = [], 0, 0, 0
    while i < len(text):
        c = text[i]
        if c == '"':
            i += 1
            while i < len(text) and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
        elif text.startswith(";;", i):
            i = text.find("\n", i)
            if i < 0:
                break
        elif text.startswith("(;", i):
            nesting, i = 1, i + 2
            while i < len(text) and nesting:
                if text.startswith("(;", i):
                    nesting, i = nesting + 1, i + 2
                elif text.startswith(";)", i):
                    nesting, i = nesting - 1, i + 2
                else:
                    i += 1
            continue
        elif c == "(":
            if depth == 0:
                start = i
            depth += 1
        elif c == ")" and depth:
            depth -= 1
            if depth == 0:
                forms.append(text[start:i + 1])
        i += 1
    return forms


def texts(suite, corpus, chunk_size=8192):
    """Scripts cut into pieces of about chunk_size bytes, each starting with a module: whole scripts
    (up to 1 MiB) make libFuzzer's inputs so long that it runs a hundred a second."""
    out = f"{corpus}/FuzzText"
    os.makedirs(out, exist_ok=True)
    seen = set()
    for script in spec_scripts(suite) + glob.glob(f"{ROOT}/Tests/e2e/modules/*.wat"):
        with open(script, encoding="utf-8", errors="replace") as f:
            forms = top_level_forms(f.read())
        chunks, size, module = [[]], 0, ""
        for form in forms:
            starts_module = form.startswith("(module")
            if size >= chunk_size:
                # A long run of assertions goes on after the module it tests, repeated if small.
                repeat = module and not starts_module and len(module) <= chunk_size // 2
                chunks.append([module] if repeat else [])
                size = len(module) if repeat else 0
            if starts_module:
                module = form
            chunks[-1].append(form)
            size += len(form)
        base = os.path.basename(os.path.dirname(script)) + "-" + os.path.splitext(os.path.basename(script))[0]
        for number, chunk in enumerate(chunks):
            data = "\n".join(chunk).encode()
            if data and data not in seen:
                seen.add(data)
                save(out, f"{base}-{number}.wast", data)


def text_dictionary(suite, corpus):
    """Every keyword of the spec scripts (instruction names, module fields, assertions, value
    syntax such as `nan:canonical`), one libFuzzer dictionary entry each: mutations can then
    insert whole words where byte-by-byte changes rarely spell one."""
    words = set()
    for script in spec_scripts(suite):
        with open(script, encoding="utf-8", errors="replace") as f:
            text = f.read()
        # A word that opens a form, an instruction name (it has a dot), a memarg, a NaN pattern.
        words |= set(re.findall(r"\(([a-z][a-z0-9_.]*)", text))
        words |= set(re.findall(r"(?<![\w$.])[a-z][a-z0-9_]*\.[a-z0-9_.]+", text))
        words |= set(re.findall(r"(?<![\w$])(?:offset|align)=|nan:(?:canonical|arithmetic)", text))
    path = os.path.join(os.path.dirname(os.path.abspath(corpus)), "dictionaries", "FuzzText.dict")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.writelines(f'"{word}"\n' for word in sorted(words))
    print(f"FuzzText dictionary: {len(words)} words")


def varint(n):
    out = b""
    while True:
        byte = n & 0x7F
        n >>= 7
        out += bytes([byte | (0x80 if n else 0)])
        if not n:
            return out


def field(number, payload):
    """A length-delimited protobuf field."""
    return varint(number << 3 | 2) + varint(len(payload)) + payload


def ttrpc_frames(corpus):
    """Frames as containerd sends them: a ttrpc.Request (service 1, method 2, payload 3) with an
    id field (1) in the payload."""
    out = f"{corpus}/FuzzTTRPC"
    for i, method in enumerate(["State", "Kill", "Delete", "Update", "Stats"]):
        request = field(1, b"containerd.task.v2.Task") + field(2, method.encode()) + field(3, field(1, b"container-1"))
        save(out, f"{method}.bin", struct.pack(">IIBB", len(request), 2 * i + 1, 1, 0) + request)
    save(out, "empty.bin", b"")


def oci_configs(corpus):
    out = f"{corpus}/FuzzOCIConfig"
    spec = {
        "ociVersion": "1.0.2",
        "process": {"args": ["/app.wasm", "arg"], "env": ["PATH=/bin"], "cwd": "/", "user": {"uid": 0, "gid": 0},
                    "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}]},
        "root": {"path": "rootfs"},
        "hostname": "fuzz",
        "mounts": [{"destination": "/proc", "type": "proc", "source": "proc", "options": ["nosuid"]}],
        "linux": {"namespaces": [{"type": "pid"}, {"type": "mount"}], "cgroupsPath": "/fuzz",
                  "resources": {"memory": {"limit": 1048576}, "pids": {"limit": 10}},
                  "seccomp": {"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"],
                              "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW"}]}},
        "annotations": {"io.kubernetes.cri.container-type": "container"},
    }
    save(out, "full.json", json.dumps(spec).encode())
    save(out, "minimal.json", json.dumps({"ociVersion": "1.0.2"}).encode())


def main(suite, corpus):
    binaries(suite, corpus)
    texts(suite, corpus)
    text_dictionary(suite, corpus)
    ttrpc_frames(corpus)
    oci_configs(corpus)
    for name in sorted(os.listdir(corpus)):
        print(f"{name}: {len(os.listdir(os.path.join(corpus, name)))} seeds")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
