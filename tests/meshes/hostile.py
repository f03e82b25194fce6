"""Hostile model files: each one broke (or could break) a loader, VTK or the server.

Small enough to make on the spot; the zip bombs are made at the size asked for.
"""

import io
import json
import struct
import zipfile

from tests.meshes import samples

_PLY_HEAD = (
    "ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\n"
    "property float z\nelement face 1\nproperty list uchar int vertex_indices\nend_header\n"
    "0 0 0\n1 0 0\n0 1 0\n"
)


def ply_face(face: str) -> bytes:
    """A three-vertex ASCII PLY with one face: issue 9's tiny crasher when `face` is "3 0 1 -1"."""
    return (_PLY_HEAD + face + "\n").encode()


def ply_declaring(faces: int, vertices: int = 3, binary: bool = False) -> bytes:
    fmt = "binary_little_endian" if binary else "ascii"
    head = (
        f"ply\nformat {fmt} 1.0\nelement vertex {vertices}\nproperty float x\n"
        "property float y\nproperty float z\n"
        f"element face {faces}\nproperty list uchar int vertex_indices\nend_header\n"
    )
    body = struct.pack("<9f", 0, 0, 0, 1, 0, 0, 0, 1, 0) if binary else b"0 0 0\n1 0 0\n0 1 0\n"
    return head.encode() + body


def stl_with(coordinate: float, triangles: int = 1) -> bytes:
    header = b"\0" * 80 + struct.pack("<I", triangles)
    facet = struct.pack("<12fH", 0, 0, 1, 0, 0, 0, coordinate, 0, 0, 0, 1, 0, 0)
    return header + facet * triangles


def stl_declaring(count: int) -> bytes:
    """A binary STL whose header claims `count` triangles but holds one."""
    return b"\0" * 80 + struct.pack("<I", count) + stl_with(1.0)[84:]


def truncated(kind: str, keep: float = 0.5) -> bytes:
    data = samples.export(samples.heavy(2), kind)
    return data[: int(len(data) * keep)]


def obj_text(body: str) -> bytes:
    return ("v 0 0 0\nv 1 0 0\nv 0 1 0\n" + body).encode()


def glb_declaring(count: int) -> bytes:
    """A GLB whose JSON says one primitive has `count` indices; the data holds three."""
    data = samples.export(samples.hill(), "glb")
    json_length = struct.unpack("<I", data[12:16])[0]
    document = json.loads(data[20 : 20 + json_length])
    accessor = document["meshes"][0]["primitives"][0].get("indices")
    document["accessors"][accessor]["count"] = count
    text = json.dumps(document).encode()
    text += b" " * (-len(text) % 4)
    rest = data[20 + json_length :]
    total = 12 + 8 + len(text) + len(rest)
    head = struct.pack("<4sIIII", b"glTF", 2, total, len(text), 0x4E4F534A)
    return head + text + rest


def glb_nested(depth: int) -> bytes:
    """A usable GLB whose JSON chunk also holds `extras` nested `depth` lists deep."""
    data = samples.export(samples.hill(), "glb")
    json_length = struct.unpack("<I", data[12:16])[0]
    text = data[20 : 20 + json_length].rstrip()
    text = text[:-1] + b',"extras":' + b"[" * depth + b"]" * depth + b"}"
    text += b" " * (-len(text) % 4)
    rest = data[20 + json_length :]
    total = 12 + 8 + len(text) + len(rest)
    head = struct.pack("<4sIIII", b"glTF", 2, total, len(text), 0x4E4F534A)
    return head + text + rest


def three_mf_bomb(unpacked_bytes: int) -> bytes:
    """A 3MF whose model part is `unpacked_bytes` of zeros (about 1/1000 of that packed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("3D/3dmodel.model", "w") as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(unpacked_bytes // len(chunk)):
                member.write(chunk)
    return buffer.getvalue()


def three_mf_lying(unpacked_bytes: int, claimed: int = 1000, bomb: bytes | None = None) -> bytes:
    """A zip bomb whose directory claims its model part unpacks to `claimed` bytes."""
    data = bytearray(bomb or three_mf_bomb(unpacked_bytes))
    directory = data.rfind(b"PK\x01\x02")  # the last entry: the model part
    struct.pack_into("<I", data, directory + 24, claimed)
    local = data.find(b"PK\x03\x04", data.find(b"3D/3dmodel.model") - 40)
    struct.pack_into("<I", data, local + 22, claimed)
    return bytes(data)


def three_mf_many_members(count: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for index in range(count):
            archive.writestr(f"part{index}.txt", "")
    return buffer.getvalue()
