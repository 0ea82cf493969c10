"""The images oci-tar-builder writes, as containerd sees them: imported under their names,
unpacked into a rootfs holding the files given, runnable (busybox under runc)."""

import filecmp
import os

import pytest

from harness import BUSYBOX_IMAGE, DEMO_IMAGE, RUNC

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "../.."))


def test_demo_image_is_imported_as_a_wasm_image(ctrd):
    listing = [line.split() for line in ctrd.ctr("images", "ls").stdout.splitlines()[1:]]
    demo = [fields for fields in listing if fields[0] == DEMO_IMAGE]
    assert demo, f"{DEMO_IMAGE} is not in ctr images ls:\n{listing}"
    assert "wasip1/wasm" in demo[0], f"the demo image's platform should be wasip1/wasm: {demo[0]}"


def test_demo_image_rootfs_holds_the_module(ctrd):
    target = f"{ctrd.base}/mnt-demo"
    os.makedirs(target)
    ctrd.ctr("images", "mount", DEMO_IMAGE, target)
    try:
        module = f"{target}/wasi-demo-app.wasm"
        assert os.path.isfile(module), f"the unpacked rootfs has no /wasi-demo-app.wasm: {os.listdir(target)}"
        assert filecmp.cmp(module, f"{REPO}/testdata/wasi-demo-app/wasi-demo-app.wasm", shallow=False), \
            "the module in the rootfs differs from testdata/wasi-demo-app/wasi-demo-app.wasm"
    finally:
        ctrd.ctr("images", "unmount", "--rm", target, check=False)
        os.rmdir(target)


def test_busybox_image_runs_under_runc(ctrd, containers):
    """The builder's ordinary tar layer is a real rootfs: runc runs a static binary from it."""
    if not ctrd.has_busybox:
        pytest.skip("no static /bin/busybox (apt-get install busybox-static)")
    result = ctrd.run(containers("busybox"), BUSYBOX_IMAGE, "/bin/busybox", "sh", "-c", "ls -ld /bin && echo ok",
                      runtime=RUNC)
    assert result.rc == 0, result.describe("busybox from an oci-tar-builder image should run under runc")
    assert result.stdout.startswith("drwxr-xr-x") and result.stdout.endswith("ok\n"), \
        result.describe("/bin is a 0755 directory entry of the layer")
