"""After a container is deleted nothing of it is left: no mounts, no processes, no shim
socket, no bundle, no cgroup."""

import os

import procfs
from harness import DEMO_IMAGE


def leftovers(ctrd, id, ns="default", socket=None, pids=(), cgroup_dirs=()):
    """Everything still there of container `id`, described; empty when clean."""
    found = []
    bundle = ctrd.bundle(id, ns)
    if os.path.exists(bundle):
        found.append(f"bundle directory {bundle}")
    work = f"{ctrd.base}/root/io.containerd.runtime.v2.task/{ns}/{id}"
    if os.path.exists(work):
        found.append(f"work directory {work}")
    found += [f"mount {m}" for m in sorted(set(procfs.mounts_containing(f"/{id}/") + procfs.mounts_containing(bundle)))]
    # A shim that has answered its last Shutdown may still be exiting: give it a moment.
    found += [f"process {pid}: {procfs.cmdline(pid)}" for pid in procfs.processes_mentioning(f" {id} ")
              if not procfs.wait_gone(pid, timeout=5)]
    found += [f"process {pid} is still alive" for pid in pids if not procfs.wait_gone(pid, timeout=5)]
    if socket and os.path.exists(socket):
        found.append(f"shim socket {socket}")
    found += [f"cgroup {d}" for d in cgroup_dirs if os.path.exists(d)]
    return found


def test_nothing_is_left_after_run_rm(ctrd, containers):
    id = containers("rm")
    result = ctrd.run(id, DEMO_IMAGE, "/wasi-demo-app.wasm", "echo", "hello")
    assert result.rc == 0, result.describe("echo hello should exit 0")
    cgroup_dirs = [procfs.cgroup_directory(c, f"/default/{id}") for c in ("memory", "pids", "cpu")]
    socket = procfs.shim_socket(ctrd.address, "default", id)
    left = leftovers(ctrd, id, socket=socket, cgroup_dirs=cgroup_dirs)
    assert not left, "after ctr run --rm these are left:\n  " + "\n  ".join(left)


def test_nothing_is_left_after_deleting_a_running_container(ctrd, containers, daemon):
    id, pid, shim = daemon["id"], daemon["pid"], daemon["shim"]
    with open(f"{ctrd.bundle(id)}/address") as f:
        socket = f.read().strip().removeprefix("unix://")
    assert os.path.exists(socket), f"the shim's socket {socket} should exist while the task runs"
    cgroup_dirs = [procfs.cgroup_directory(c, p) for c, p in procfs.cgroups(pid).items() if c in ("memory", "pids", "cpu")]
    assert all(os.path.isdir(d) for d in cgroup_dirs), f"the container's cgroups should exist: {cgroup_dirs}"

    ctrd.ctr("task", "kill", "-s", "SIGKILL", id)
    ctrd.wait_for_status(id, "STOPPED")
    ctrd.ctr("task", "rm", id)
    ctrd.ctr("container", "rm", id)

    left = leftovers(ctrd, id, socket=socket, pids=(pid, shim), cgroup_dirs=cgroup_dirs)
    assert not left, "after task rm and container rm these are left:\n  " + "\n  ".join(left)
