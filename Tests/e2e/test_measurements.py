"""Figures for the record (printed and written to .build/e2e-measurements.txt, never asserted
beyond the runs succeeding): start-to-exit time of one container against runc, shim memory."""

import statistics

import pytest

import procfs
from harness import BUSYBOX_IMAGE, DEMO_IMAGE, RUNC


def median_run_seconds(ctrd, containers, image, args, runtime, runs=5):
    times = []
    for _ in range(runs):
        result = ctrd.run(containers("timing"), image, *args, runtime=runtime)
        assert result.rc == 0 and result.stdout == "hello\n", result.describe(f"{runtime} echo hello")
        times.append(result.seconds)
    return statistics.median(times), min(times)


def test_time_of_one_run_against_runc(ctrd, containers, measurements):
    swim, swim_best = median_run_seconds(ctrd, containers, DEMO_IMAGE, ["/wasi-demo-app.wasm", "echo", "hello"], "io.containerd.swim.v1")
    measurements.record("`ctr run --rm` wasi-demo-app echo hello (swim)", f"median {swim * 1000:.0f} ms, best {swim_best * 1000:.0f} ms (5 runs)")
    if not ctrd.has_busybox:
        pytest.skip("no static /bin/busybox (apt-get install busybox-static): no runc comparison")
    runc, runc_best = median_run_seconds(ctrd, containers, BUSYBOX_IMAGE, ["/bin/busybox", "echo", "hello"], RUNC)
    measurements.record("`ctr run --rm` static busybox echo hello (runc)", f"median {runc * 1000:.0f} ms, best {runc_best * 1000:.0f} ms (5 runs)")


def test_shim_peak_memory(daemon, measurements):
    shim = procfs.status(daemon["shim"])
    container = procfs.status(daemon["pid"])
    measurements.record("shim daemon peak RSS (VmHWM) with one daemon container", shim["VmHWM"])
    measurements.record("container process peak RSS (VmHWM), wasi-demo-app daemon", container["VmHWM"])
