"""Kubernetes' path: CRI with the `swim` runtime handler. The pod's sandbox (pause) container
goes to the swim shim too, and the workload runs in the same shim."""

import os

import pytest

import cri
import procfs
from harness import DEMO_IMAGE, unique_id


@pytest.fixture(scope="module")
def cri_api(tmp_path_factory):
    return cri.load_api(tmp_path_factory.mktemp("cri-generated"))


@pytest.fixture
def client(ctrd, cri_api):
    client = cri.Client(ctrd.address, cri_api)
    yield client
    client.close()


def test_cri_version(client):
    version = client.call("Version", version="v1")
    assert version.runtime_name == "containerd" and version.runtime_api_version == "v1", str(version)


def test_pod_with_a_wasm_container_runs_on_the_swim_shim(ctrd, client):
    api = client.api
    uid = unique_id("pod")
    logs = f"{ctrd.base}/logs/pods/{uid}"
    os.makedirs(logs)
    pod = client.host_network_pod("swim-e2e-pod", uid, logs)
    sandbox_id = client.call("RunPodSandbox", config=pod, runtime_handler="swim").pod_sandbox_id
    try:
        sandbox = client.call("PodSandboxStatus", pod_sandbox_id=sandbox_id).status
        assert sandbox.state == api.SANDBOX_READY, f"the sandbox should be ready: {sandbox}"
        info = ctrd.ctr("container", "info", sandbox_id, ns="k8s.io").stdout
        assert '"io.containerd.swim.v1"' in info, "the sandbox (pause) container should run on the swim shim"
        sandbox_task = ctrd.tasks("k8s.io").get(sandbox_id)
        assert sandbox_task and sandbox_task.status == "RUNNING", f"the sandbox task should run: {sandbox_task}"

        config = api.ContainerConfig(
            metadata=api.ContainerMetadata(name="demo"), image=api.ImageSpec(image=DEMO_IMAGE),
            args=["echo", "hello"], log_path="demo.log")
        container_id = client.call("CreateContainer", pod_sandbox_id=sandbox_id, config=config,
                                   sandbox_config=pod).container_id
        client.call("StartContainer", container_id=container_id)
        status = client.wait_exited(container_id)
        assert status.state == api.CONTAINER_EXITED, f"the container should exit: {status}"
        assert status.exit_code == 0, f"the container should exit 0: {status}"
        with open(f"{logs}/demo.log") as f:
            log = f.read()
        assert " stdout F hello" in log, f"the CRI log should hold the guest's 'hello':\n{log}"
        assert " stderr F exiting" in log, f"the CRI log should hold the guest's stderr:\n{log}"

        shim = procfs.shim_of(sandbox_task.pid, ctrd.shim)
        client.call("RemoveContainer", container_id=container_id)
    finally:
        client.call("StopPodSandbox", pod_sandbox_id=sandbox_id)
        client.call("RemovePodSandbox", pod_sandbox_id=sandbox_id)
    assert sandbox_id not in ctrd.tasks("k8s.io"), "the sandbox task should be gone"
    assert procfs.wait_gone(shim), "the pod's shim should exit once the pod is removed"
    assert not os.path.exists(ctrd.bundle(sandbox_id, "k8s.io")), "the sandbox bundle should be removed"
    assert not procfs.mounts_containing(sandbox_id), f"mounts left: {procfs.mounts_containing(sandbox_id)}"
