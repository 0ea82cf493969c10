"""Faults through containerd: a container process or a shim killed with SIGKILL, a hundred
containers at once, and broken ttrpc frames on the shim's socket. After each, containerd's view
stays consistent and nothing of the container is left behind."""

import json
import os
import signal
import socket
import struct
import subprocess
import time

import procfs
from harness import DEMO_IMAGE, MODULES_IMAGE
from test_cleanup import leftovers

APP = "/wasi-demo-app.wasm"


def container_cgroups(pid):
    return [procfs.cgroup_directory(c, p) for c, p in procfs.cgroups(pid).items() if c in ("memory", "pids", "cpu")]


def shim_socket_of(ctrd, id):
    with open(f"{ctrd.bundle(id)}/address") as f:
        return f.read().strip().removeprefix("unix://")


def test_sigkill_of_the_container_process_is_exit_137(ctrd, containers):
    id = containers("kill9")
    run = ctrd.start_run(id, DEMO_IMAGE, APP, "daemon", null_io=True)
    task = ctrd.wait_for_status(id, "RUNNING")
    cgroup_dirs = container_cgroups(task.pid)
    os.kill(task.pid, signal.SIGKILL)
    result = ctrd.finish(run, timeout=20)
    assert result.rc == 137, result.describe("a container process killed by SIGKILL exits with 128+9")
    left = leftovers(ctrd, id, pids=(task.pid,), cgroup_dirs=cgroup_dirs)
    assert not left, "after the --rm run these are left:\n  " + "\n  ".join(left)


def test_sigkill_of_the_shim_leaves_containerd_consistent(ctrd, containers, daemon):
    id, pid, shim = daemon["id"], daemon["pid"], daemon["shim"]
    socket_path = shim_socket_of(ctrd, id)
    cgroup_dirs = container_cgroups(pid)
    os.kill(shim, signal.SIGKILL)
    assert procfs.wait_gone(shim, timeout=10), "the shim should be gone after SIGKILL"

    # containerd notices the shim is gone: the task stops (or is cleaned up), never hangs RUNNING.
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        task = ctrd.tasks().get(id)
        if task is None or task.status == "STOPPED":
            break
        time.sleep(0.1)
    task = ctrd.tasks().get(id)
    assert task is None or task.status == "STOPPED", f"ctr task ls should not list {id} as {task}"
    if task is not None:
        ctrd.ctr("task", "rm", "-f", id)
    ctrd.ctr("container", "rm", id)
    assert id not in ctrd.tasks(), "the task should be gone after task rm"
    assert id not in ctrd.ctr("container", "ls", "-q").stdout.split(), "the container should be gone"
    left = leftovers(ctrd, id, socket=socket_path, pids=(pid,), cgroup_dirs=cgroup_dirs)
    assert not left, "after the shim was killed and the task removed these are left:\n  " + "\n  ".join(left)


def test_a_hundred_containers_at_once(ctrd, containers, measurements):
    ids = [containers("hundred") for _ in range(100)]
    started = time.monotonic()
    runs = [ctrd.start_run(id, DEMO_IMAGE, APP, "echo", f"hello from {id}") for id in ids]
    results = [ctrd.finish(run, timeout=300) for run in runs]
    wall = time.monotonic() - started
    failures = [r.describe(f"container {id}") for id, r in zip(ids, results)
                if r.rc != 0 or r.stdout != f"hello from {id}\n"]
    assert not failures, f"{len(failures)} of 100 concurrent containers failed:\n" + "\n".join(failures[:5])
    measurements.record("100 concurrent `ctr run --rm` (swim, demo echo)",
                        f"{wall:.2f} s wall, {100 / wall:.1f} containers/s")


def frame(length, stream_id, message_type, flags=0):
    """A ttrpc frame header: length and stream id (u32 BE), type and flags (u8)."""
    return struct.pack(">IIBB", length, stream_id, message_type, flags)


BROKEN_FRAMES = {
    "garbage": b"\xff" * 64,
    "truncated header": frame(16, 1, 1)[:6],
    "truncated data": frame(100, 1, 1) + b"\x0a\x05",
    "oversized": frame(64 << 20, 1, 1) + b"\x00" * 32,
    "response type": frame(0, 1, 2),
    "undecodable request": frame(8, 1, 1) + b"\xff" * 8,
    "even stream id": frame(0, 2, 1),
}


def test_broken_frames_do_not_stop_the_shim(ctrd, containers, daemon):
    id, shim = daemon["id"], daemon["shim"]
    path = shim_socket_of(ctrd, id)
    for name, data in BROKEN_FRAMES.items():
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(5)
            connection.connect(path)
            try:
                connection.sendall(data)
                connection.shutdown(socket.SHUT_WR)
                while connection.recv(65536):
                    pass
            except OSError:
                pass  # the shim may drop a broken connection at once
        assert procfs.alive(shim), f"the shim died after a {name} frame"
    # It still serves containerd: state, then a kill that ends the task.
    assert ctrd.tasks().get(id).status == "RUNNING", "the task should still be listed RUNNING"
    ctrd.ctr("task", "kill", "-s", "SIGKILL", id)
    ctrd.wait_for_status(id, "STOPPED")


def test_a_full_bundle_directory_fails_start_cleanly(ctrd, tmp_path):
    """containerd runs `shim start` in the bundle; on a full file system it must fail with the
    reason, leave no daemon or socket behind, and work once there is room again."""
    bundle = f"{ctrd.base}/full-bundle"
    os.makedirs(bundle)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", bundle], check=True)
    id = f"full-{os.getpid()}"
    try:
        with open(f"{bundle}/config.json", "w") as f:
            json.dump({"ociVersion": "1.0.2", "process": {"args": [APP], "cwd": "/"}, "root": {"path": "rootfs"}}, f)
        filler = os.open(f"{bundle}/filler", os.O_WRONLY | os.O_CREAT)
        try:
            while os.write(filler, b"\0" * 512):
                pass
        except OSError:
            pass  # full
        finally:
            os.close(filler)
        command = [ctrd.shim, "-namespace", "default", "-address", ctrd.address, "-publish-binary", "containerd",
                   "-id", id, "start"]
        failed = subprocess.run(command, cwd=bundle, capture_output=True, text=True, timeout=30)
        assert failed.returncode != 0, f"start should fail on a full bundle directory: {failed}"
        assert "No space left on device" in failed.stdout + failed.stderr, f"the reason should be given: {failed}"
        socket_path = procfs.shim_socket(ctrd.address, "default", id)
        assert not os.path.exists(socket_path), "a failed start leaves no socket"
        assert not procfs.processes_mentioning(f"-id {id} "), "a failed start leaves no daemon"

        os.remove(f"{bundle}/filler")
        started = subprocess.run(command, cwd=bundle, capture_output=True, text=True, timeout=30)
        assert started.returncode == 0, f"start should work once there is room: {started}"
        assert started.stdout.strip() == f"unix://{socket_path}"
        with open(f"{bundle}/address") as f:
            assert f.read() == f"unix://{socket_path}"
    finally:
        for pid in procfs.processes_mentioning(f"-id {id} "):
            os.kill(pid, signal.SIGKILL)
            procfs.wait_gone(pid)  # its cwd is the bundle: umount fails while it lives
        subprocess.run(["umount", bundle], check=False)
        os.rmdir(bundle)
        socket_path = procfs.shim_socket(ctrd.address, "default", id)
        if os.path.exists(socket_path):
            os.remove(socket_path)


def test_a_module_asking_for_too_many_tables_fails_cleanly(ctrd, containers):
    """100 tables of 10 million elements are over the store's default memory limit: the
    container fails to start with the reason, and the shim lives on."""
    result = ctrd.run(containers("tables"), MODULES_IMAGE, "/tables.wasm")
    assert result.rc != 0, result.describe("the module should not run")
    assert "cannot allocate a table" in result.stderr, result.describe("the reason should reach ctr")
    again = ctrd.run(containers("after-tables"), DEMO_IMAGE, APP, "echo", "still here")
    assert again.rc == 0 and again.stdout == "still here\n", again.describe("the next container should run")
