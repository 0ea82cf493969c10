"""Containers and tasks made through containerd's own gRPC API (no ctr), with the tests' own
.proto subsets in containerd_api/: a container record with an image and an OCI spec, then a
task with no rootfs mounts and its stdio in plain files. This is how a wasm-layer image runs on
a containerd that cannot unpack it (1.6.20 here: `ctr run` fails, the content is imported with
`--no-unpack`)."""

import dataclasses
import json
import os
import pathlib

import grpc
from google.protobuf import any_pb2

import grpc_protos

HERE = pathlib.Path(__file__).resolve().parent
SPEC_TYPE_URL = "types.containerd.io/opencontainers/runtime-spec/1/Spec"


def load_api(output_dir):
    modules = grpc_protos.load(HERE / "containerd_api",
                               ["containerd_types.proto", "containerd_containers.proto", "containerd_tasks.proto"],
                               output_dir)
    return {"containers": modules[1], "tasks": modules[2]}


def spec(id, args, memory_limit=None, namespace="default"):
    """An OCI runtime spec like ctr's default one: the same mounts (which the shim must create
    as mount points in the empty rootfs) and namespaces, root `rootfs` in the bundle."""
    linux = {
        "namespaces": [{"type": t} for t in ("pid", "ipc", "uts", "mount", "network")],
        "cgroupsPath": f"/{namespace}/{id}",
        "maskedPaths": ["/proc/kcore", "/sys/firmware"],
        "readonlyPaths": ["/proc/sys", "/proc/sysrq-trigger"],
    }
    if memory_limit is not None:
        linux["resources"] = {"memory": {"limit": memory_limit}}
    return {
        "ociVersion": "1.0.2-dev",
        "process": {"args": args, "env": ["PATH=/usr/local/bin:/usr/bin:/bin"], "cwd": "/",
                    "user": {"uid": 0, "gid": 0}, "noNewPrivileges": True},
        "root": {"path": "rootfs"},
        "mounts": [
            {"destination": "/proc", "type": "proc", "source": "proc", "options": ["nosuid", "noexec", "nodev"]},
            {"destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
            {"destination": "/dev/pts", "type": "devpts", "source": "devpts",
             "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]},
            {"destination": "/dev/shm", "type": "tmpfs", "source": "shm", "options": ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]},
            {"destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue", "options": ["nosuid", "noexec", "nodev"]},
            {"destination": "/sys", "type": "sysfs", "source": "sysfs", "options": ["nosuid", "noexec", "nodev", "ro"]},
            {"destination": "/run", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
        ],
        "linux": linux,
    }


@dataclasses.dataclass
class Outcome:
    exit_status: int
    stdout: str
    stderr: str


class Client:
    def __init__(self, address, api, namespace="default", timeout=60):
        (self.containers_pb, containers_grpc), (self.tasks_pb, tasks_grpc) = api["containers"], api["tasks"]
        self.channel = grpc.insecure_channel(f"unix://{address}")
        self.containers = containers_grpc.ContainersStub(self.channel)
        self.tasks = tasks_grpc.TasksStub(self.channel)
        self.metadata = [("containerd-namespace", namespace)]
        self.namespace = namespace
        self.timeout = timeout

    def close(self):
        self.channel.close()

    def _call(self, method, request):
        return method(request, metadata=self.metadata, timeout=self.timeout)

    def create_container(self, id, image, args, runtime="io.containerd.swim.v1", memory_limit=None):
        value = json.dumps(spec(id, args, memory_limit, self.namespace)).encode()
        container = self.containers_pb.Container(
            id=id, image=image, runtime=self.containers_pb.Container.Runtime(name=runtime),
            spec=any_pb2.Any(type_url=SPEC_TYPE_URL, value=value))
        self._call(self.containers.Create, self.containers_pb.CreateContainerRequest(container=container))

    def delete_container(self, id):
        self._call(self.containers.Delete, self.containers_pb.DeleteContainerRequest(id=id))

    def create_task(self, id, stdout, stderr):
        """Tasks/Create with no rootfs mounts; stdout and stderr go to existing plain files."""
        request = self.tasks_pb.CreateTaskRequest(container_id=id, stdout=stdout, stderr=stderr)
        return self._call(self.tasks.Create, request)

    def start(self, id):
        return self._call(self.tasks.Start, self.tasks_pb.StartRequest(container_id=id))

    def wait(self, id):
        return self._call(self.tasks.Wait, self.tasks_pb.WaitRequest(container_id=id))

    def kill(self, id, signal=9):
        return self._call(self.tasks.Kill, self.tasks_pb.KillRequest(container_id=id, signal=signal))

    def delete_task(self, id):
        return self._call(self.tasks.Delete, self.tasks_pb.DeleteTaskRequest(container_id=id))

    def run(self, id, image, args, directory, memory_limit=None):
        """Creates the container and its task, runs it to its end and removes both. Returns
        the Outcome; a failed Create raises grpc.RpcError (the container record is removed)."""
        stdout, stderr = os.path.join(directory, f"{id}.out"), os.path.join(directory, f"{id}.err")
        for path in (stdout, stderr):
            open(path, "w").close()
        self.create_container(id, image, args, memory_limit=memory_limit)
        try:
            self.create_task(id, stdout, stderr)
        except grpc.RpcError:
            self._quietly(self.delete_container, id)
            raise
        try:
            # Wait answers once the task has ended: ask before it can end.
            waiting = self.tasks.Wait.future(self.tasks_pb.WaitRequest(container_id=id),
                                             metadata=self.metadata, timeout=self.timeout)
            self.start(id)
            status = waiting.result().exit_status
        except BaseException:
            self._quietly(self.kill, id)
            self._quietly(self.delete_task, id)
            self._quietly(self.delete_container, id)
            raise
        self.delete_task(id)
        self.delete_container(id)
        with open(stdout) as out, open(stderr) as err:
            return Outcome(status, out.read(), err.read())

    @staticmethod
    def _quietly(step, id):
        """A clean-up step that must not hide the error that made it run (the `containers`
        fixture removes whatever is left)."""
        try:
            step(id)
        except grpc.RpcError:
            pass
