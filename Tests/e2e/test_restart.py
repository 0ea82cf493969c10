"""containerd can restart while a container runs: the shim lives on and is reconnected."""

import procfs
from harness import DEMO_IMAGE


def test_running_task_survives_a_containerd_restart(ctrd, containers):
    id = containers("restart")
    result = ctrd.run(id, DEMO_IMAGE, "/wasi-demo-app.wasm", "daemon", rm=False, detach=True, null_io=True)
    assert result.rc == 0, result.describe("ctr run -d should start the daemon")
    task = ctrd.wait_for_status(id, "RUNNING")
    shim = procfs.shim_of(task.pid, ctrd.shim)

    ctrd.stop_daemon()
    try:
        assert procfs.alive(task.pid), "the container process must outlive containerd"
        assert shim and procfs.alive(shim), "the shim must outlive containerd"
    finally:
        ctrd.start_daemon()

    after = ctrd.tasks().get(id)
    assert after is not None and after.status == "RUNNING", \
        f"after the restart ctr task ls should show {id} RUNNING, got {after}\n{ctrd.log_tail()}"
    assert after.pid == task.pid, "the same process, reconnected"

    ctrd.ctr("task", "kill", "-s", "SIGKILL", id)
    ctrd.wait_for_status(id, "STOPPED")
    assert procfs.wait_gone(task.pid), "kill after the restart should end the container process"
    ctrd.ctr("task", "rm", id)
    ctrd.ctr("container", "rm", id)
    assert procfs.wait_gone(shim), "the shim should exit once its only task is deleted"
