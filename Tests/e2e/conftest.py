"""Fixtures: one private containerd for the session with the test images imported, a
per-test list of containers that is cleaned up whatever happens, and the measurements."""

import os
import pathlib
import platform
import socket
import stat
import subprocess

import pytest

import procfs
from harness import DEMO_IMAGE, Containerd, unique_id

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parents[1]


def setting(name, default):
    return os.environ.get(name) or str(default)


BASE = setting("E2E_BASE", "/tmp/swim-e2e")
SHIM_BIN = setting("SHIM_BIN", REPO / ".build/release/containerd-shim-swim-v1")
OCI_TAR_BUILDER = setting("OCI_TAR_BUILDER", REPO / ".build/debug/oci-tar-builder")
DEMO_IMAGE_TAR = setting("DEMO_IMAGE_TAR", REPO / ".build/images/wasi-demo-app.tar")
MEASUREMENTS_FILE = setting("E2E_MEASUREMENTS", REPO / ".build/e2e-measurements.txt")
BUSYBOX = "/bin/busybox"


class Measurements:
    """Figures the tests print and write down; nothing asserts on them."""

    def __init__(self):
        self.lines = []

    def record(self, name, value):
        self.lines.append(f"{name}: {value}")


MEASUREMENTS = Measurements()

# The shared runtime directories a shim may need; removed (when empty) before the session so
# that it starts as on a machine that has never run containerd (test_fresh_machine).
RUN_CONTAINERD = "/run/containerd"
RUN_CONTAINERD_ABSENT_AT_START = False


def remove_dead_sockets(directory):
    """Shim sockets nothing listens on any more (a shim killed before it could clean up)."""
    for name in os.listdir(directory) if os.path.isdir(directory) else []:
        path = os.path.join(directory, name)
        if not stat.S_ISSOCK(os.lstat(path).st_mode):
            continue
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            try:
                probe.connect(path)
            except ConnectionRefusedError:
                os.remove(path)
            except OSError:
                pass


def clear_run_containerd():
    """Removes /run/containerd when nothing is in it but empty directories and dead sockets
    (no containerd or shim uses it)."""
    global RUN_CONTAINERD_ABSENT_AT_START
    remove_dead_sockets(f"{RUN_CONTAINERD}/s")
    if os.path.isdir(RUN_CONTAINERD):
        for root, dirs, files in os.walk(RUN_CONTAINERD, topdown=False):
            if files:
                break
            try:
                os.rmdir(root)
            except OSError:
                break
    RUN_CONTAINERD_ABSENT_AT_START = not os.path.exists(RUN_CONTAINERD)


def pytest_collection_modifyitems(items):
    """The fresh-machine test runs first: before it, no shim (swim or runc) has run."""
    items.sort(key=lambda item: 0 if item.module.__name__ == "test_fresh_machine" else 1)


def build_image(output, repository, name, tag, files, entrypoint=(), os_name=None, architecture=None):
    command = [OCI_TAR_BUILDER, "--repo", repository, "--name", name, "--tag", tag, "-o", output]
    for path_in_image, host_file in files:
        command += ["--file", f"{path_in_image}={host_file}"]
    for argument in entrypoint:
        command += ["--entrypoint", argument]
    if os_name:
        command += ["--os", os_name, "--arch", architecture]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return output


def busybox_is_static():
    done = subprocess.run(["ldd", BUSYBOX], capture_output=True, text=True)
    return os.path.exists(BUSYBOX) and "not a dynamic executable" in done.stdout + done.stderr


@pytest.fixture(scope="session")
def ctrd():
    """The private containerd, with the demo, test-module, busybox and pause images imported."""
    for path, what in ((SHIM_BIN, "the shim (make shim)"), (OCI_TAR_BUILDER, "oci-tar-builder (make oci-tar-builder)")):
        if not os.access(path, os.X_OK):
            pytest.exit(f"{what} is not built: {path} is missing", returncode=1)
    containerd = Containerd(BASE, str(HERE / "containerd.sh"), SHIM_BIN)
    if containerd.running():
        pytest.exit(f"a containerd is already running in {BASE} (another e2e run?): set E2E_BASE, or stop it "
                    f"with Tests/e2e/containerd.sh stop {BASE}", returncode=1)
    containerd.stop()  # whatever a killed earlier run left behind
    clear_run_containerd()
    containerd.start()
    try:
        images = f"{BASE}/images"
        if not os.path.exists(DEMO_IMAGE_TAR):
            build_image(f"{images}/wasi-demo-app.tar", "ghcr.io/containerd/runwasi", "wasi-demo-app", "latest",
                        [("/wasi-demo-app.wasm", REPO / "testdata/wasi-demo-app/wasi-demo-app.wasm")],
                        entrypoint=["/wasi-demo-app.wasm"])
            demo = f"{images}/wasi-demo-app.tar"
        else:
            demo = DEMO_IMAGE_TAR
        modules = build_image(f"{images}/modules.tar", "docker.io/swim-e2e", "modules", "latest",
                              [(f"/{m.name}", m) for m in sorted((HERE / "modules").glob("*.wasm"))])
        containerd.import_image(demo)
        containerd.import_image(demo, ns="k8s.io")
        containerd.import_image(modules)
        if busybox_is_static():
            arch = {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())
            busybox = build_image(f"{images}/busybox.tar", "docker.io/swim-e2e", "busybox", "latest",
                                  [("/bin/busybox", BUSYBOX)], os_name="linux", architecture=arch)
            # CRI needs a sandbox image even when the shim runs the sandbox itself.
            pause = build_image(f"{images}/pause.tar", "registry.k8s.io", "pause", "3.6", [("/bin/busybox", BUSYBOX)],
                                entrypoint=["/bin/busybox", "sleep", "2147483647"], os_name="linux", architecture=arch)
            containerd.import_image(busybox)
            containerd.import_image(pause, ns="k8s.io")
        containerd.has_busybox = busybox_is_static()
        yield containerd
    finally:
        containerd.stop()
        write_measurements()


@pytest.fixture
def containers(ctrd):
    """Hands out container ids and removes those containers after the test, pass or fail."""
    made = []

    def new(prefix, ns="default"):
        id = unique_id(prefix)
        made.append((id, ns))
        return id

    yield new
    for id, ns in made:
        ctrd.remove(id, ns)


@pytest.fixture
def measurements():
    return MEASUREMENTS


@pytest.fixture
def daemon(ctrd, containers):
    """A running demo container printing its song forever (output to /dev/null): its id,
    the task's pid and the shim daemon's pid."""
    id = containers("daemon")
    result = ctrd.run(id, DEMO_IMAGE, "/wasi-demo-app.wasm", "daemon", rm=False, detach=True, null_io=True)
    assert result.rc == 0, result.describe("ctr run -d of the daemon container should succeed")
    task = ctrd.wait_for_status(id, "RUNNING")
    shim = procfs.shim_of(task.pid, ctrd.shim)
    assert shim, f"no ancestor of task pid {task.pid} runs the shim binary {ctrd.shim}"
    return {"id": id, "pid": task.pid, "shim": shim}


def write_measurements():
    if not MEASUREMENTS.lines:
        return
    os.makedirs(os.path.dirname(MEASUREMENTS_FILE), exist_ok=True)
    with open(MEASUREMENTS_FILE, "w") as f:
        f.write("\n".join(MEASUREMENTS.lines) + "\n")


def pytest_terminal_summary(terminalreporter):
    if MEASUREMENTS.lines:
        terminalreporter.section("measurements (not asserted)")
        for line in MEASUREMENTS.lines:
            terminalreporter.write_line(line)
        terminalreporter.write_line(f"(written to {MEASUREMENTS_FILE})")
