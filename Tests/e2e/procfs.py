"""What the kernel says about processes, mounts and cgroups (read from /proc and /sys)."""

import hashlib
import os
import time

CGROUP_ROOT = "/sys/fs/cgroup"


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            # A zombie has exited: only its parent's wait is missing.
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def wait_gone(pid, timeout=10):
    deadline = time.monotonic() + timeout
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not alive(pid)


def status(pid):
    """/proc/PID/status as a dict of strings."""
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    return fields


def pss(pid):
    """The proportional set size from /proc/PID/smaps_rollup, as "N kB"."""
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            if line.startswith("Pss:"):
                return " ".join(line.split()[1:])
    return "?"


def parent(pid):
    return int(status(pid)["PPid"])


def executable(pid):
    try:
        return os.readlink(f"/proc/{pid}/exe").removesuffix(" (deleted)")
    except OSError:
        return None


def cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def shim_of(task_pid, shim_executable):
    """The shim daemon serving a task: the outermost ancestor of the task's process that runs
    the shim's binary (the container process itself is that binary re-executed too)."""
    shim = None
    pid = task_pid
    while pid > 1:
        if executable(pid) == shim_executable:
            shim = pid
        pid = parent(pid)
    return shim


def namespaces(pid):
    """{kind: "kind:[inode]"} for the namespaces of a process."""
    kinds = ("cgroup", "ipc", "mnt", "net", "pid", "uts", "user")
    return {kind: os.readlink(f"/proc/{pid}/ns/{kind}") for kind in kinds}


def cgroups(pid):
    """{controller: path} from /proc/PID/cgroup (v1 lines; the v2 line is keyed "")."""
    paths = {}
    with open(f"/proc/{pid}/cgroup") as f:
        for line in f:
            _, controllers, path = line.rstrip("\n").split(":", 2)
            for controller in controllers.split(","):
                paths[controller] = path
    return paths


def cgroup_directory(controller, path):
    """The directory of a cgroup: v1 has one hierarchy per controller, v2 one for all."""
    if os.path.isdir(f"{CGROUP_ROOT}/{controller}"):
        return f"{CGROUP_ROOT}/{controller}{path}"
    return f"{CGROUP_ROOT}{path}"


def read(path):
    with open(path) as f:
        return f.read().strip()


def mounts_containing(text):
    with open("/proc/self/mountinfo") as f:
        return [line.split()[4] for line in f if text in line.split()[4]]


def processes_mentioning(text):
    """Pids whose command line contains text (other than this process)."""
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit() and int(name) != os.getpid() and text in cmdline(name) and alive(int(name)):
            found.append(int(name))
    return found


def shim_socket(containerd_address, namespace, group):
    """Where a shim following containerd's convention listens for a task (or pod) id."""
    key = f"{containerd_address}/{namespace}/{group}".encode()
    return "/run/containerd/s/" + hashlib.sha256(key).hexdigest()
