"""Images whose module is a layer of its own, not a file in a rootfs: runwasi's wasm-layer
image and the CNCF Wasm OCI Artifact. The images are written here (oci_layout.py, not
oci-tar-builder) and imported with `--no-unpack` (containerd 1.6.20 cannot unpack them); the
containers and tasks are made through containerd's gRPC API with no rootfs mounts, so the shim
must read the module from containerd's content store, during Create."""

import os

import grpc
import pytest

import containerd_grpc
import oci_layout
import procfs
import wasm_module
from harness import DEMO_IMAGE, unique_id

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "../.."))
DEMO_MODULE = f"{REPO}/testdata/wasi-demo-app/wasi-demo-app.wasm"
CONTENT_BLOBS = "root/io.containerd.content.v1.content/blobs/sha256"


@pytest.fixture(scope="module")
def containerd_api(tmp_path_factory):
    return containerd_grpc.load_api(tmp_path_factory.mktemp("containerd-generated"))


@pytest.fixture
def client(ctrd, containerd_api):
    client = containerd_grpc.Client(ctrd.address, containerd_api)
    yield client
    client.close()


def imported(ctrd, image, directory):
    """Writes the image's tar and imports it without unpacking (its layers are not tars)."""
    tarball = image.tar(os.path.join(directory, image.name.rsplit("/", 1)[-1].replace(":", "-") + ".tar"))
    ctrd.ctr("images", "import", "--no-unpack", "--all-platforms", tarball, timeout=120)
    return image.name


def unique_module(tag, functions=None, padding=b""):
    """A module no other test's image shares, so that tampering with its blob touches only this test."""
    functions = functions or {"_start": (f"hello from {tag}\n", 0)}
    return wasm_module.module(functions, padding=unique_id(tag).encode() + padding)


def blob_path(ctrd, digest):
    return os.path.join(ctrd.base, CONTENT_BLOBS, digest.split(":", 1)[1])


def failed_create(client, id, image, args, directory, **options):
    """Runs a container whose Create must fail: the gRPC error's details (the shim's message)."""
    with pytest.raises(grpc.RpcError) as failure:
        client.run(id, image, args, directory, **options)
    return failure.value.details()


def assert_nothing_left(ctrd, client, id, directory):
    """A failed Create leaves no bundle behind: the same id can be created and run again."""
    bundle = ctrd.bundle(id)
    assert not os.path.exists(bundle), f"the failed Create left its bundle: {os.listdir(bundle)}"
    good = imported(ctrd, oci_layout.wasm_layer_image(f"docker.io/swim-e2e/reuse-{id}:latest",
                                                      [unique_module("reuse")], ["/reuse.wasm"]), directory)
    outcome = client.run(id, good, ["/reuse.wasm"], directory)
    assert outcome.exit_status == 0 and outcome.stdout == "hello from reuse\n", outcome


# Both formats run, with output and exit code.

def test_wasm_layer_image_runs_the_demo(ctrd, client, containers, tmp_path):
    with open(DEMO_MODULE, "rb") as f:
        demo = f.read()
    image = imported(ctrd, oci_layout.wasm_layer_image("docker.io/swim-e2e/demo-oci:latest", [demo],
                                                       ["wasi-demo-oci.wasm"]), tmp_path)
    outcome = client.run(containers("oci-echo"), image, ["wasi-demo-oci.wasm", "echo", "hello", "layers"], tmp_path)
    assert (outcome.exit_status, outcome.stdout) == (0, "hello layers\n"), outcome
    outcome = client.run(containers("oci-exit"), image, ["wasi-demo-oci.wasm", "exit", "3"], tmp_path)
    assert outcome.exit_status == 3, outcome


def test_wasm_artifact_runs(ctrd, client, containers, tmp_path):
    with open(DEMO_MODULE, "rb") as f:
        demo = f.read()
    image = imported(ctrd, oci_layout.wasm_artifact_image("docker.io/swim-e2e/demo-artifact:latest", demo), tmp_path)
    outcome = client.run(containers("artifact-echo"), image, ["demo.wasm", "echo", "from", "an", "artifact"], tmp_path)
    assert (outcome.exit_status, outcome.stdout) == (0, "from an artifact\n"), outcome
    outcome = client.run(containers("artifact-exit"), image, ["demo.wasm", "exit", "42"], tmp_path)
    assert outcome.exit_status == 42, outcome


def test_arg0_selects_the_function(ctrd, client, containers, tmp_path):
    module = unique_module("func", {"_start": ("from _start\n", 0), "greet": ("from greet\n", 5)})
    for make in (lambda name: oci_layout.wasm_layer_image(name, [module], ["/app.wasm"]),
                 lambda name: oci_layout.wasm_artifact_image(name, module)):
        image = imported(ctrd, make(f"docker.io/swim-e2e/{unique_id('func')}:latest"), tmp_path)
        outcome = client.run(containers("func"), image, ["/app.wasm#greet"], tmp_path)
        assert (outcome.exit_status, outcome.stdout) == (5, "from greet\n"), outcome
        outcome = client.run(containers("start"), image, ["/app.wasm"], tmp_path)
        assert (outcome.exit_status, outcome.stdout) == (0, "from _start\n"), outcome


def test_a_large_layer_streams_through(ctrd, client, containers, tmp_path):
    """Several MiB: containerd streams the blob in many messages over many HTTP/2 frames."""
    module = unique_module("large-ok", padding=bytes(range(256)) * (12 << 12))
    image = imported(ctrd, oci_layout.wasm_layer_image("docker.io/swim-e2e/large-ok:latest", [module], ["/big.wasm"]),
                     tmp_path)
    outcome = client.run(containers("large-ok"), image, ["/big.wasm"], tmp_path)
    assert (outcome.exit_status, outcome.stdout) == (0, "hello from large-ok\n"), outcome


# Every Create error: a clear message, and nothing left behind.

def test_a_component_is_refused(ctrd, client, containers, tmp_path):
    image = imported(ctrd, oci_layout.wasm_layer_image("docker.io/swim-e2e/component:latest",
                                                       [wasm_module.component()], ["/c.wasm"]), tmp_path)
    id = containers("component")
    message = failed_create(client, id, image, ["/c.wasm"], tmp_path)
    assert "is a WebAssembly component" in message and "not supported" in message, message
    assert_nothing_left(ctrd, client, id, tmp_path)


def test_two_module_layers_are_refused(ctrd, client, containers, tmp_path):
    layers = [unique_module("first"), unique_module("second")]
    image = imported(ctrd, oci_layout.wasm_layer_image("docker.io/swim-e2e/two-layers:latest", layers, ["/m.wasm"]),
                     tmp_path)
    id = containers("two-layers")
    message = failed_create(client, id, image, ["/m.wasm"], tmp_path)
    assert "2 wasm module layers" in message and "single module" in message, message
    assert_nothing_left(ctrd, client, id, tmp_path)


def test_a_missing_blob_is_reported(ctrd, client, containers, tmp_path):
    built = oci_layout.wasm_layer_image("docker.io/swim-e2e/missing-blob:latest", [unique_module("missing")],
                                        ["/m.wasm"])
    image = imported(ctrd, built, tmp_path)
    layer = built.layers[0]["digest"]
    os.remove(blob_path(ctrd, layer))
    id = containers("missing-blob")
    message = failed_create(client, id, image, ["/m.wasm"], tmp_path)
    assert f"wasm layer {layer} is missing from containerd's content store" in message, message
    assert_nothing_left(ctrd, client, id, tmp_path)


def test_a_digest_mismatch_is_reported(ctrd, client, containers, tmp_path):
    built = oci_layout.wasm_layer_image("docker.io/swim-e2e/tampered:latest", [unique_module("tampered")],
                                        ["/m.wasm"])
    image = imported(ctrd, built, tmp_path)
    layer = built.layers[0]["digest"]
    path = blob_path(ctrd, layer)
    with open(path, "rb") as f:
        data = bytearray(f.read())
    data[-1] ^= 0xFF  # same size, other bytes
    os.chmod(path, 0o644)
    with open(path, "wb") as f:
        f.write(data)
    id = containers("tampered")
    message = failed_create(client, id, image, ["/m.wasm"], tmp_path)
    assert f"wasm layer {layer} does not match its digest" in message, message
    assert_nothing_left(ctrd, client, id, tmp_path)


def test_a_layer_too_large_for_the_memory_limit_is_refused(ctrd, client, containers, tmp_path):
    limit = 4 << 20
    built = oci_layout.wasm_layer_image("docker.io/swim-e2e/too-large:latest",
                                        [unique_module("large", padding=b"\0" * (limit + 1))], ["/m.wasm"])
    image = imported(ctrd, built, tmp_path)
    id = containers("too-large")
    message = failed_create(client, id, image, ["/m.wasm"], tmp_path, memory_limit=limit)
    assert "too large for the container's memory limit" in message and str(limit) in message, message
    assert_nothing_left(ctrd, client, id, tmp_path)


def test_an_image_without_wasm_layers_uses_the_rootfs(ctrd, client, containers, tmp_path):
    """The demo image (a tar layer holding the module) through the same gRPC path, but with no
    rootfs mounted: the shim looks for layers, finds none, and reads args[0] from the rootfs,
    which is empty here. The error names the file, not the layers; nothing is left behind."""
    id = containers("no-layers")
    message = failed_create(client, id, DEMO_IMAGE, ["/wasi-demo-app.wasm", "echo", "x"], tmp_path)
    assert "/wasi-demo-app.wasm" in message and "layer" not in message, message
    assert_nothing_left(ctrd, client, id, tmp_path)


def test_memory_of_a_wasm_layer_container(ctrd, client, containers, tmp_path, measurements):
    """Figures for the record: the shim daemon after a Create that read a layer over gRPC, and
    the container process, which must carry none of it."""
    with open(DEMO_MODULE, "rb") as f:
        demo = f.read()
    image = imported(ctrd, oci_layout.wasm_layer_image("docker.io/swim-e2e/demo-oci:latest", [demo],
                                                       ["wasi-demo-oci.wasm"]), tmp_path)
    id = containers("oci-memory")
    client.create_container(id, image, ["wasi-demo-oci.wasm", "sleep", "60"])
    pid = client.create_task(id, "/dev/null", "/dev/null").pid
    try:
        client.start(id)
        shim = procfs.shim_of(pid, ctrd.shim)
        assert shim, f"no ancestor of task pid {pid} runs the shim binary {ctrd.shim}"
        daemon, container = procfs.status(shim), procfs.status(pid)
        measurements.record("shim daemon after a wasm-layer Create (VmRSS, VmHWM, threads)",
                            f"{daemon['VmRSS']}, {daemon['VmHWM']}, {daemon['Threads']}")
        measurements.record("wasm-layer container process (VmRSS, Pss)", f"{container['VmRSS']}, {procfs.pss(pid)}")
        open_files = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")]
        assert not any("wasm-layer" in target for target in open_files), \
            f"the container process should have closed the layer's memory file: {open_files}"
    finally:
        client.kill(id)
        client.wait(id)
        client.delete_task(id)
        client.delete_container(id)
