"""Compiles the tests' own .proto files with grpc_tools at test time and imports the modules."""

import importlib
import pathlib
import subprocess
import sys


def load(source_dir, proto_files, output_dir):
    """Compiles `proto_files` (names in `source_dir`) into `output_dir` and returns, per file,
    the pair (messages module, gRPC stubs module)."""
    output_dir = pathlib.Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "grpc_tools.protoc", f"-I{source_dir}", f"--python_out={output_dir}",
                    f"--grpc_python_out={output_dir}", *proto_files], check=True)
    if str(output_dir) not in sys.path:
        sys.path.insert(0, str(output_dir))
    modules = []
    for proto in proto_files:
        stem = pathlib.Path(proto).stem
        modules.append((importlib.import_module(f"{stem}_pb2"), importlib.import_module(f"{stem}_pb2_grpc")))
    return modules
