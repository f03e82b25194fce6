"""Reading the display meshes we write ourselves (binary glTF) without trimesh.

Importing trimesh pulls in networkx and costs about a second at start-up, before the first
frame. Our display meshes are plain: triangle primitives with positions and indices, nodes
without transforms. Anything else returns None and the caller uses the full loader.
"""

import json
import struct
from pathlib import Path

import numpy as np
import numpy.typing as npt

_COMPONENTS = {5121: np.uint8, 5123: np.uint16, 5125: np.uint32, 5126: np.float32}
_JSON, _BIN = 0x4E4F534A, 0x004E4942


def read_triangles(path: Path) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.int64]] | None:
    """Vertices (n x 3) and triangles (m x 3) of every primitive, or None if not plain."""
    data = path.read_bytes()
    if len(data) < 20 or data[:4] != b"glTF":
        return None
    chunks: dict[int, bytes] = {}
    offset = 12
    while offset + 8 <= len(data):
        length, kind = struct.unpack_from("<II", data, offset)
        chunks[kind] = data[offset + 8 : offset + 8 + length]
        offset += 8 + length
    if _JSON not in chunks or _BIN not in chunks:
        return None
    gltf = json.loads(chunks[_JSON])
    if any(set(node) - {"name", "mesh", "children", "extras"} for node in gltf.get("nodes", [])):
        return None  # transforms: leave them to the full loader

    def accessor(index: int) -> npt.NDArray[np.generic] | None:
        acc = gltf["accessors"][index]
        view = gltf["bufferViews"][acc["bufferView"]]
        dtype = _COMPONENTS.get(acc["componentType"])
        width = {"SCALAR": 1, "VEC3": 3}.get(acc["type"])
        if dtype is None or width is None or view.get("byteStride") not in (None, 0):
            return None
        start = view.get("byteOffset", 0) + acc.get("byteOffset", 0)
        count = acc["count"] * width
        values = np.frombuffer(chunks[_BIN], dtype=dtype, count=count, offset=start)
        return values.reshape(-1, width)

    vertices: list[npt.NDArray[np.float32]] = []
    faces: list[npt.NDArray[np.int64]] = []
    base = 0
    for mesh in gltf.get("meshes", []):
        for primitive in mesh["primitives"]:
            if primitive.get("mode", 4) != 4 or "indices" not in primitive:
                return None
            points = accessor(primitive["attributes"]["POSITION"])
            indices = accessor(primitive["indices"])
            if points is None or indices is None:
                return None
            vertices.append(points.astype(np.float32))
            faces.append(indices.astype(np.int64).reshape(-1, 3) + base)
            base += len(points)
    if not faces:
        return None
    return np.vstack(vertices), np.vstack(faces)
