"""The end-to-end harness: a private containerd (started by containerd.sh) driven through ctr."""

import dataclasses
import itertools
import os
import subprocess
import time

SWIM = "io.containerd.swim.v1"
RUNC = "io.containerd.runc.v2"

DEMO_IMAGE = "ghcr.io/containerd/runwasi/wasi-demo-app:latest"
MODULES_IMAGE = "docker.io/swim-e2e/modules:latest"  # the guests in Tests/e2e/modules
BUSYBOX_IMAGE = "docker.io/swim-e2e/busybox:latest"  # a static busybox, for runc
PAUSE_IMAGE = "registry.k8s.io/pause:3.6"  # CRI's sandbox image (see containerd.sh's config)

_ids = itertools.count(1)


def unique_id(prefix):
    """A container id no other test (or earlier run) uses."""
    return f"{prefix}-{os.getpid()}-{next(_ids)}"


@dataclasses.dataclass
class Result:
    """A finished command: its exit status and output, and how to describe it in a failure."""

    command: list
    rc: int
    stdout_bytes: bytes
    stderr_bytes: bytes
    seconds: float

    @property
    def stdout(self):
        return self.stdout_bytes.decode(errors="replace")

    @property
    def stderr(self):
        return self.stderr_bytes.decode(errors="replace")

    def describe(self, expectation):
        def tail(text):
            return text if len(text) < 2000 else "..." + text[-2000:]

        return (
            f"{expectation}\n  command: {' '.join(self.command)}\n  exit status: {self.rc}"
            f"\n  stdout: {tail(self.stdout)!r}\n  stderr: {tail(self.stderr)!r}"
        )


class CommandFailed(AssertionError):
    pass


@dataclasses.dataclass
class Task:
    pid: int
    status: str


class Containerd:
    """One private containerd: its directories, its socket, and ctr bound to them."""

    def __init__(self, base, script, shim_bin):
        self.base = base
        self.script = script
        self.shim = os.path.realpath(shim_bin)
        self.address = f"{base}/run/containerd.sock"
        self.fifo_dir = f"{base}/run/fifo"
        self.runc_root = f"{base}/run/runc"
        self.log = f"{base}/logs/containerd.log"

    # containerd itself

    def start(self):
        self._script("start", self.shim)

    def running(self):
        return subprocess.run([self.script, "status", self.base]).returncode == 0

    def stop(self):
        self._script("stop")

    def stop_daemon(self):
        self._script("stop-daemon")

    def start_daemon(self):
        self._script("start-daemon")

    def _script(self, command, *args):
        subprocess.run([self.script, command, self.base, *args], check=True, timeout=120)

    def log_tail(self, lines=40):
        try:
            with open(self.log, errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError as error:
            return f"(no containerd log: {error})"

    # ctr

    def ctr_command(self, *args, ns="default"):
        return ["ctr", "-a", self.address, "-n", ns, *args]

    def ctr(self, *args, ns="default", input=b"", timeout=60, check=True):
        command = self.ctr_command(*args, ns=ns)
        started = time.monotonic()
        done = subprocess.run(command, input=input, capture_output=True, timeout=timeout)
        result = Result(command, done.returncode, done.stdout, done.stderr, time.monotonic() - started)
        if check and result.rc != 0:
            raise CommandFailed(result.describe("ctr failed"))
        return result

    def run_command(self, id, image, args, runtime=SWIM, rm=True, detach=False, null_io=False, options=(), ns="default"):
        """The `ctr run` command line. Only the image's own files and paths under BASE are used:
        fifos in BASE/run/fifo, runc's state in BASE/run/runc."""
        command = ["run", "--fifo-dir", self.fifo_dir, "--runtime", runtime]
        if runtime == RUNC:
            command += ["--runc-root", self.runc_root]
        if rm:
            command.append("--rm")
        if detach:
            command.append("-d")
        if null_io:
            command.append("--null-io")
        command += [*options]
        if image is not None:
            command.append(image)
        command.append(id)
        return self.ctr_command(*command, *args, ns=ns)

    def run(self, id, image, *args, input=b"", timeout=60, **options):
        """`ctr run` to completion: the container's stdout and stderr are ctr's."""
        command = self.run_command(id, image, args, **options)
        started = time.monotonic()
        try:
            done = subprocess.run(command, input=input, capture_output=True, timeout=timeout)
        except subprocess.TimeoutExpired as expired:
            raise CommandFailed(
                f"timed out after {timeout} s: {' '.join(command)}\n  stdout so far: {expired.stdout!r}"
                f"\n  stderr so far: {expired.stderr!r}"
            ) from None
        return Result(command, done.returncode, done.stdout, done.stderr, time.monotonic() - started)

    def start_run(self, id, image, *args, **options):
        """`ctr run` in the background (for kill tests and concurrency); stdin is empty."""
        command = self.run_command(id, image, args, **options)
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        process.command = command
        process.started = time.monotonic()
        return process

    @staticmethod
    def finish(process, timeout=60):
        """Waits for a start_run process and returns its Result."""
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            stdout, stderr = process.communicate()
            raise CommandFailed(
                f"still running after {timeout} s: {' '.join(process.command)}\n  stdout: {stdout!r}\n  stderr: {stderr!r}"
            ) from None
        return Result(process.command, process.returncode, stdout, stderr, time.monotonic() - process.started)

    def tasks(self, ns="default"):
        """`ctr task ls` as {id: Task}."""
        listing = self.ctr("task", "ls", ns=ns).stdout.splitlines()[1:]
        tasks = {}
        for line in listing:
            fields = line.split()
            if len(fields) >= 3:
                tasks[fields[0]] = Task(int(fields[1]), fields[2])
        return tasks

    def wait_for_status(self, id, status, ns="default", timeout=15):
        deadline = time.monotonic() + timeout
        seen = None
        while time.monotonic() < deadline:
            task = self.tasks(ns).get(id)
            seen = task.status if task else None
            if seen == status:
                return task
            time.sleep(0.05)
        raise CommandFailed(f"task {id} is {seen or 'not listed'} after {timeout} s, expected {status}")

    def remove(self, id, ns="default"):
        """Kills and deletes a container and its task, whatever state they are in."""
        if id in self.tasks(ns):
            self.ctr("task", "kill", "-s", "SIGKILL", id, ns=ns, check=False)
            try:
                self.wait_for_status(id, "STOPPED", ns=ns, timeout=10)
            except CommandFailed:
                pass
            self.ctr("task", "rm", "-f", id, ns=ns, check=False)
        self.ctr("container", "rm", id, ns=ns, check=False)

    def bundle(self, id, ns="default"):
        return f"{self.base}/state/io.containerd.runtime.v2.task/{ns}/{id}"

    def import_image(self, tarball, ns="default"):
        # --all-platforms: wasm images (os wasip1, architecture wasm) are not this host's platform.
        self.ctr("images", "import", "--all-platforms", tarball, ns=ns, timeout=120)
