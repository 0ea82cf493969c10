"""Issue 6 through containerd: each container process in its own namespaces and cgroup,
under seccomp and no_new_privs, unable to leave its rootfs, held to its memory and pids limits."""

import json
import os
import queue
import shutil
import subprocess
import threading
import time

import pytest

import procfs
from harness import MODULES_IMAGE, SWIM


@pytest.mark.parametrize("kind", ["pid", "ipc", "uts", "mnt", "net"])
def test_container_has_its_own_namespace(daemon, kind):
    container = procfs.namespaces(daemon["pid"])[kind]
    shim = procfs.namespaces(daemon["shim"])[kind]
    assert container != shim, f"the container shares the shim's {kind} namespace ({container})"


def test_container_is_in_its_cgroup(daemon):
    id, pid = daemon["id"], daemon["pid"]
    paths = procfs.cgroups(pid)
    for controller in ("memory", "pids", "cpu"):
        assert paths.get(controller) == f"/default/{id}", \
            f"{controller} cgroup should be the spec's cgroupsPath /default/{id}: {paths}"
        procs = procfs.read(procfs.cgroup_directory(controller, f"/default/{id}") + "/cgroup.procs").split()
        assert str(pid) in procs, f"pid {pid} is not in the {controller} cgroup's cgroup.procs {procs}"


def test_seccomp_filter_and_no_new_privs(daemon):
    status = procfs.status(daemon["pid"])
    assert status.get("Seccomp") == "2", f"the container process should be in seccomp filter mode: {status.get('Seccomp')}"
    assert status.get("NoNewPrivs") == "1", f"no_new_privs should be set: {status.get('NoNewPrivs')}"


def test_guest_cannot_leave_its_rootfs(ctrd, containers):
    marker = f"{ctrd.base}/escape-marker"
    secret = "swim-e2e-secret-outside-the-rootfs"
    with open(marker, "w") as f:
        f.write(secret)
    try:
        result = ctrd.run(containers("escape"), MODULES_IMAGE, "/escape.wasm", marker)
        assert result.rc == 0, result.describe("every escape attempt should fail (exit status = attempts that got out)")
        assert "0 escaped" in result.stdout, result.describe("the guest reports its attempts")
        assert secret not in result.stdout and "root:" not in result.stdout, result.describe("host files leaked")
        assert not os.path.exists(marker + ".created"), "the guest created a file outside its rootfs"
    finally:
        for path in (marker, marker + ".created"):
            if os.path.exists(path):
                os.unlink(path)


def test_memory_limit_makes_memory_grow_fail_instead_of_an_oom_kill(ctrd, containers):
    limit_mib = 64
    result = ctrd.run(containers("memhog"), MODULES_IMAGE, "/memhog.wasm", "1024",
                      options=["--memory-limit", str(limit_mib << 20)], timeout=120)
    assert result.rc != 137, result.describe("the container was killed: memory.grow should have failed first")
    assert result.rc == 0, result.describe("the guest should see malloc fail and exit 0")
    allocated = int(result.stdout.split()[1])
    assert 1 <= allocated < limit_mib, result.describe(f"the guest should get some memory, but less than {limit_mib} MiB")


def test_pids_limit_is_set_on_the_cgroup(ctrd, containers):
    """Wasm is one process, so the limit changes nothing for the guest, but it must be applied.
    ctr has no pids flag: the test gives a whole spec (and a rootfs directory) with --config."""
    id = containers("pids")
    rootfs = f"{ctrd.base}/rootfs-{id}"
    os.makedirs(rootfs)
    shutil.copy(os.path.join(os.path.dirname(__file__), "../../testdata/wasi-demo-app/wasi-demo-app.wasm"), rootfs)
    spec = json.loads(ctrd.ctr("oci", "spec").stdout)
    spec["root"] = {"path": rootfs}
    spec["process"]["args"] = ["/wasi-demo-app.wasm", "daemon"]
    spec["linux"]["cgroupsPath"] = f"/default/{id}"
    spec["linux"].setdefault("resources", {})["pids"] = {"limit": 10}
    with open(f"{rootfs}.json", "w") as f:
        json.dump(spec, f)
    try:
        result = ctrd.run(id, None, rm=False, detach=True, null_io=True, options=["--config", f"{rootfs}.json"])
        assert result.rc == 0, result.describe("ctr run --config with a pids limit should start")
        task = ctrd.wait_for_status(id, "RUNNING")
        pids_max = procfs.read(procfs.cgroup_directory("pids", procfs.cgroups(task.pid)["pids"]) + "/pids.max")
        assert pids_max == "10", f"pids.max of the container's cgroup is {pids_max}, expected 10"
    finally:
        ctrd.remove(id)
        shutil.rmtree(rootfs, ignore_errors=True)
        os.unlink(f"{rootfs}.json")


def test_oom_kill_produces_a_task_oom_event(ctrd, containers):
    """oom.wat recurses with wide frames: the value stack is the runtime's own memory, which the
    engine does not keep under the limit the way it does memories and tables: a real OOM kill."""
    id = containers("oom")
    events = subprocess.Popen(ctrd.ctr_command("events"), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    lines = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in events.stdout], daemon=True).start()
    time.sleep(0.5)  # let ctr events subscribe before the container starts
    try:
        result = ctrd.run(id, MODULES_IMAGE, "/oom.wasm", options=["--memory-limit", str(16 << 20)])
        assert result.rc == 137, result.describe("the OOM-killed container should exit with 137")
        seen = []
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                continue
            if id not in line:
                continue
            seen.append(line)
            if "/tasks/oom" in line:
                return
            if "/containers/delete" in line:
                break
        pytest.fail(f"no /tasks/oom event for {id}; its events:\n" + "".join(seen))
    finally:
        events.terminate()
        events.wait()
