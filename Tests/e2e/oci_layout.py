"""OCI image-layout tarballs written here, in a few lines, independently of oci-tar-builder (so
that a mistake shared by the builder and the shim cannot cancel out): `oci-layout`,
`index.json`, the manifest, the config and the layer blobs, as `ctr images import` reads them."""

import hashlib
import io
import json
import tarfile

INDEX = "application/vnd.oci.image.index.v1+json"
MANIFEST = "application/vnd.oci.image.manifest.v1+json"
IMAGE_CONFIG = "application/vnd.oci.image.config.v1+json"
WASM_ARTIFACT_CONFIG = "application/vnd.wasm.config.v0+json"
WASM_COMPONENT_LAYER = "application/vnd.bytecodealliance.wasm.component.layer.v0+wasm"
WASM_LAYER = "application/wasm"


def digest(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def descriptor(media_type, data, **extra):
    return {"mediaType": media_type, "digest": digest(data), "size": len(data), **extra}


class Image:
    """One image: its name, its blobs by digest, and the descriptors of its parts."""

    def __init__(self, name, config_media_type, config, layers, platform):
        self.name = name
        self.blobs = {}
        config_bytes = self._blob(json.dumps(config, sort_keys=True).encode())
        self.layers = [descriptor(media_type, self._blob(data)) for media_type, data in layers]
        manifest = {"schemaVersion": 2, "mediaType": MANIFEST, "config": descriptor(config_media_type, config_bytes),
                    "layers": self.layers}
        manifest_bytes = self._blob(json.dumps(manifest, sort_keys=True).encode())
        self.manifest = descriptor(MANIFEST, manifest_bytes, platform=platform,
                                   annotations={"io.containerd.image.name": name,
                                                "org.opencontainers.image.ref.name": name.rsplit(":", 1)[-1]})

    def _blob(self, data):
        self.blobs[digest(data)] = data
        return data

    def tar(self, path):
        index = {"schemaVersion": 2, "mediaType": INDEX, "manifests": [self.manifest]}
        files = {"oci-layout": json.dumps({"imageLayoutVersion": "1.0.0"}).encode(),
                 "index.json": json.dumps(index).encode()}
        for name, data in self.blobs.items():
            files["blobs/sha256/" + name.split(":", 1)[1]] = data
        with tarfile.open(path, "w") as tar:
            for name, data in files.items():
                info = tarfile.TarInfo(name)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
        return path


def wasm_layer_image(name, modules, entrypoint):
    """runwasi's wasm-layer image: an OCI image config (architecture wasm) whose layers are the
    modules themselves, media type application/vnd.bytecodealliance.wasm.component.layer.v0+wasm."""
    config = {"architecture": "wasm", "os": "wasip1", "config": {"Entrypoint": entrypoint},
              "rootfs": {"type": "layers", "diff_ids": []}}
    return Image(name, IMAGE_CONFIG, config, [(WASM_COMPONENT_LAYER, m) for m in modules],
                 {"architecture": "wasm", "os": "wasip1"})


def wasm_artifact_image(name, module):
    """The CNCF Wasm OCI Artifact: config application/vnd.wasm.config.v0+json, one layer of
    media type application/wasm."""
    config = {"architecture": "wasm", "os": "wasip1", "layerDigests": [digest(module)],
              "created": "2024-01-01T00:00:00Z"}
    return Image(name, WASM_ARTIFACT_CONFIG, config, [(WASM_LAYER, module)],
                 {"architecture": "wasm", "os": "wasip1"})
