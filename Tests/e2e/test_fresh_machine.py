"""A machine that has never run containerd: no /run/containerd. The swim shim must create its
socket directory itself (every component, mode 0711), before any runc shim has run."""

import os
import stat

from harness import DEMO_IMAGE

import conftest


def test_swim_shim_starts_without_run_containerd(ctrd, containers):
    assert conftest.RUN_CONTAINERD_ABSENT_AT_START, (
        "/run/containerd was in use when the session started (a system containerd?), so this run "
        "cannot show that the shim creates it; stop that containerd and run again")
    assert not os.path.exists("/run/containerd/s"), "no shim may have run before this test"
    result = ctrd.run(containers("fresh"), DEMO_IMAGE, "/wasi-demo-app.wasm", "echo", "fresh")
    assert result.rc == 0, result.describe("the first container on a fresh machine should run")
    assert result.stdout == "fresh\n", result.describe("its output should reach ctr")
    mode = stat.S_IMODE(os.stat("/run/containerd/s").st_mode)
    assert mode == 0o711, f"/run/containerd/s should be made with mode 0711, got {oct(mode)}"
