"""The API process never imports the mesh stack: the deployment's `api` image does not install
it (pyproject's `api` extra), so an import of trimesh, numpy or VTK on the way to serving would
stop the API from starting there. Only the worker (and its sandboxed child) opens meshes."""

import subprocess
import sys

from tests.conftest import REPO_ROOT

MESH_STACK = ("trimesh", "numpy", "vtk", "vtkmodules", "pyvista", "fast_simplification", "lxml")

# A fresh interpreter: what `terrain-server serve` and `migrate` import, then the app built.
PROBE = f"""
import sys
import server.cli
import server.migrate
from server.app import create_app
from server.settings import Settings
create_app(Settings())
print(" ".join(sorted({{name.split(".")[0] for name in sys.modules}} & set({MESH_STACK!r}))))
"""


def test_the_api_process_imports_no_mesh_stack() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "", f"the API imported {done.stdout.strip()}"
