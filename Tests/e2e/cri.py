"""A small CRI (runtime.v1) client over containerd's gRPC socket, from cri_api.proto."""

import importlib
import pathlib
import subprocess
import sys
import time

import grpc

HERE = pathlib.Path(__file__).resolve().parent


def load_api(output_dir):
    """Compiles cri_api.proto with grpc_tools and imports the generated modules."""
    output_dir = pathlib.Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "grpc_tools.protoc", f"-I{HERE}", f"--python_out={output_dir}",
                    f"--grpc_python_out={output_dir}", "cri_api.proto"], check=True)
    sys.path.insert(0, str(output_dir))
    return importlib.import_module("cri_api_pb2"), importlib.import_module("cri_api_pb2_grpc")


class Client:
    def __init__(self, address, api, timeout=30):
        self.api, grpc_api = api
        self.channel = grpc.insecure_channel(f"unix://{address}")
        self.runtime = grpc_api.RuntimeServiceStub(self.channel)
        self.timeout = timeout

    def close(self):
        self.channel.close()

    def call(self, method, **fields):
        request = getattr(self.api, f"{method}Request")(**fields)
        return getattr(self.runtime, method)(request, timeout=self.timeout)

    def host_network_pod(self, name, uid, log_directory):
        """A pod sandbox config on the host's network (no CNI) and without a hostname, which a
        host-network pod must not set."""
        api = self.api
        return api.PodSandboxConfig(
            metadata=api.PodSandboxMetadata(name=name, uid=uid, namespace="swim-e2e"),
            log_directory=log_directory,
            linux=api.LinuxPodSandboxConfig(security_context=api.LinuxSandboxSecurityContext(
                namespace_options=api.NamespaceOption(network=api.NODE))),
        )

    def wait_exited(self, container_id, timeout=60):
        deadline = time.monotonic() + timeout
        while True:
            status = self.call("ContainerStatus", container_id=container_id).status
            if status.state == self.api.CONTAINER_EXITED or time.monotonic() > deadline:
                return status
            time.sleep(0.1)
