"""What a user of `ctr run --runtime io.containerd.swim.v1` relies on: output, exit codes,
signals, task states, stdin, and many containers at once."""

import time

import pytest

from harness import DEMO_IMAGE, MODULES_IMAGE

APP = "/wasi-demo-app.wasm"


def test_echo_prints_hello_and_exiting(ctrd, containers):
    result = ctrd.run(containers("echo"), DEMO_IMAGE, APP, "echo", "hello")
    assert result.rc == 0, result.describe("echo hello should exit 0")
    assert result.stdout == "hello\n", result.describe("the guest's stdout should be exactly 'hello'")
    assert "exiting" in result.stderr, result.describe("the demo app says 'exiting' on stderr")


def test_exit_code_is_the_guests(ctrd, containers):
    result = ctrd.run(containers("exit"), DEMO_IMAGE, APP, "exit", "42")
    assert result.rc == 42, result.describe("ctr run should exit with the code the guest passed to proc_exit")


@pytest.mark.parametrize("image,args", [
    (MODULES_IMAGE, ["/trap.wasm"]),                 # `unreachable`
    (DEMO_IMAGE, [APP, "sleep", "not-a-number"]),    # a panic (abort) in the demo app
], ids=["unreachable", "abort"])
def test_trap_exits_137(ctrd, containers, image, args):
    result = ctrd.run(containers("trap"), image, *args)
    assert result.rc == 137, result.describe("a trapping guest ends its container with 137 (runwasi's convention)")


def test_sigterm_stops_a_sleeping_task_with_143(ctrd, containers):
    id = containers("sleep")
    run = ctrd.start_run(id, DEMO_IMAGE, APP, "sleep", "30")
    ctrd.wait_for_status(id, "RUNNING")
    killed = time.monotonic()
    ctrd.ctr("task", "kill", id)  # SIGTERM
    result = ctrd.finish(run, timeout=20)
    assert result.rc == 128 + 15, result.describe("a task ended by SIGTERM exits with 128+15")
    assert time.monotonic() - killed < 10, "SIGTERM should end `sleep 30` at once"


def test_sigkill_stops_the_daemon_with_137(ctrd, containers):
    id = containers("daemon-kill")
    run = ctrd.start_run(id, DEMO_IMAGE, APP, "daemon")
    ctrd.wait_for_status(id, "RUNNING")
    ctrd.ctr("task", "kill", "-s", "SIGKILL", id)
    result = ctrd.finish(run, timeout=20)
    assert result.rc == 128 + 9, result.describe("a task ended by SIGKILL exits with 128+9")
    assert "This is a song that never ends" in result.stdout, result.describe("the daemon's output reaches ctr")


def test_task_list_shows_running_then_stopped(ctrd, containers):
    id = containers("states")
    result = ctrd.run(id, DEMO_IMAGE, APP, "daemon", rm=False, detach=True, null_io=True)
    assert result.rc == 0, result.describe("ctr run -d should start the daemon")
    task = ctrd.tasks().get(id)
    assert task is not None and task.status == "RUNNING", f"ctr task ls should list {id} RUNNING, got {task}"
    assert task.pid > 0
    ctrd.ctr("task", "kill", "-s", "SIGKILL", id)
    ctrd.wait_for_status(id, "STOPPED")
    removed = ctrd.ctr("task", "rm", id)
    assert "137" in removed.stderr, removed.describe("ctr task rm reports the exit status 137")
    assert id not in ctrd.tasks(), "the task should be gone after ctr task rm"


def test_stdin_reaches_the_guest_and_eof_ends_it(ctrd, containers):
    data = b"".join(b"line %d of what ctr reads from its stdin\n" % i for i in range(2500))
    result = ctrd.run(containers("stdin"), MODULES_IMAGE, "/cat.wasm", input=data, timeout=60)
    assert result.rc == 0, result.describe("the stdin copier should exit 0 once its input ends")
    assert result.stdout_bytes == data, f"the guest should echo all {len(data)} bytes, got {len(result.stdout_bytes)}"
    assert f"eof after {len(data)} bytes" in result.stderr, result.describe("the guest should see EOF")


def test_twenty_containers_at_once(ctrd, containers, measurements):
    ids = [containers("many") for _ in range(20)]
    started = time.monotonic()
    runs = [ctrd.start_run(id, DEMO_IMAGE, APP, "echo", f"hello from {id}") for id in ids]
    results = [ctrd.finish(run, timeout=180) for run in runs]
    wall = time.monotonic() - started
    failures = [r.describe(f"container {id}") for id, r in zip(ids, results)
                if r.rc != 0 or r.stdout != f"hello from {id}\n"]
    assert not failures, f"{len(failures)} of 20 concurrent containers failed:\n" + "\n".join(failures)
    measurements.record("20 concurrent `ctr run --rm` (swim, demo echo)",
                        f"{wall:.2f} s wall, {20 / wall:.1f} containers/s")
