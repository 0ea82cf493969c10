"""A small CRI (runtime.v1) client over containerd's gRPC socket, from cri_api.proto."""

import pathlib
import time

import grpc

import grpc_protos

HERE = pathlib.Path(__file__).resolve().parent


def load_api(output_dir):
    """Compiles cri_api.proto with grpc_tools and imports the generated modules."""
    return grpc_protos.load(HERE, ["cri_api.proto"], output_dir)[0]


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
