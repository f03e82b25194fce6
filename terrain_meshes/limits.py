"""How big a model file says it is, read from its headers before any mesh is loaded.

A loader given a hostile file (a header claiming a billion faces, a 1 GiB member in a 1 MB
3MF) allocates first and fails later, so every file is measured here first, in bounded memory:
binary STL and PLY declare their counts, OBJ is counted line by line, GLB declares accessor
counts in its JSON chunk, and 3MF's zip central directory declares each member's size (and a
streamed decompression checks the member really is no bigger).
"""

import json
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from terrain_meshes.errors import MeshError, MeshProblem

CHUNK = 1024 * 1024
MAX_PLY_HEADER = 64 * 1024
MAX_GLB_JSON = 2 * 1024 * 1024
MAX_ZIP_MEMBERS = 1_000
MAX_CENTRAL_DIRECTORY = 1024 * 1024
MAX_EOCD_SEARCH = 65_536 + 22


@dataclass(frozen=True)
class Limits:
    max_triangles: int
    #: Bytes a compressed container (3MF) may expand to.
    max_decompressed_bytes: int


def _too_many(count: int, limits: Limits, what: str = "triangles") -> MeshError:
    return MeshError(
        MeshProblem.TOO_MANY_TRIANGLES,
        f"The file declares {count:,} {what}; at most {limits.max_triangles:,} triangles "
        "are accepted.",
    )


def _not(kind: str, why: str) -> MeshError:
    return MeshError(MeshProblem.NOT_A_MESH, f"This file is not a usable {kind} mesh: {why}.")


def _empty() -> MeshError:
    return MeshError(MeshProblem.EMPTY, "This file holds no triangles.")


def declared_triangles(path: Path, kind: str, limits: Limits) -> int:
    """The triangle count the file declares (a lower bound for polygons); refuses what is over."""
    count = {
        "stl": _stl,
        "ply": _ply,
        "obj": _obj,
        "glb": _glb,
        "3mf": _three_mf,
    }[kind](path, limits)
    if count == 0:
        raise _empty()
    if count > limits.max_triangles:
        raise _too_many(count, limits)
    return count


def preflight(path: Path, kind: str, limits: Limits) -> None:
    """The checks cheap enough for the process that receives uploads: fixed-size headers,
    a byte count of OBJ and ASCII STL, a 3MF's central directory (not its contents)."""
    if kind == "3mf":
        _three_mf(path, limits, unpack=False)
    else:
        declared_triangles(path, kind, limits)


def _stl(path: Path, limits: Limits) -> int:
    size = path.stat().st_size
    with path.open("rb") as handle:
        head = handle.read(84)
    if size >= 84:
        declared = int.from_bytes(head[80:84], "little")
        if 84 + 50 * declared == size:
            return declared
    if not head.lstrip().lower().startswith(b"solid"):
        if size >= 84:
            raise _not("STL", "its size does not match the triangle count it declares")
        raise _not("STL", "it is too short")
    return _count_tokens(path, b"endfacet", limits)


def _count_tokens(path: Path, token: bytes, limits: Limits, prefix: bytes = b"") -> int:
    """Occurrences of `token` in the file, counted chunk by chunk in bounded memory.

    `prefix` is prepended once so a token at the very start of the file (for line-anchored
    tokens such as b"\\nf ") is counted too.
    """
    count = 0
    tail = prefix
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            window = tail + chunk
            count += window.count(token)
            tail = window[-(len(token) - 1) :]
            if count > limits.max_triangles:
                raise _too_many(count, limits, "faces or more")
    return count


def _obj(path: Path, limits: Limits) -> int:
    return _count_tokens(path, b"\nf ", limits, b"\n") + _count_tokens(
        path, b"\nf\t", limits, b"\n"
    )


def _ply(path: Path, limits: Limits) -> int:
    with path.open("rb") as handle:
        head = handle.read(MAX_PLY_HEADER)
    end = head.find(b"end_header")
    if not head.startswith(b"ply") or end < 0:
        raise _not("PLY", "it has no complete PLY header")
    counts: dict[str, int] = {}
    for line in head[:end].decode("ascii", "replace").splitlines():
        words = line.split()
        if len(words) == 3 and words[0] == "element":
            try:
                counts[words[1]] = int(words[2])
            except ValueError:
                raise _not("PLY", f"element {words[1]!r} has no count") from None
    vertices, faces = counts.get("vertex", 0), counts.get("face", 0)
    if vertices < 0 or faces < 0:
        raise _not("PLY", "it declares a negative count")
    if vertices > 3 * limits.max_triangles:
        raise _too_many(vertices, limits, "vertices")
    if vertices == 0:
        raise _empty()
    # Binary bodies hold at least 12 bytes per vertex and 13 per triangle; a header
    # declaring more than the file holds is truncated or lying.
    if b"binary" in head[:end] and path.stat().st_size < end + 12 * vertices + 13 * faces:
        raise _not("PLY", "it is shorter than its header declares")
    return faces


def _glb(path: Path, limits: Limits) -> int:
    size = path.stat().st_size
    with path.open("rb") as handle:
        header = handle.read(20)
        if len(header) < 20:
            raise _not("GLB", "it is too short")
        magic, _version, length, json_length, json_type = struct.unpack("<4sIIII", header)
        if magic != b"glTF" or json_type != 0x4E4F534A:
            raise _not("GLB", "it does not start with a glTF header")
        if length != size:
            raise _not("GLB", "its length does not match its header (truncated?)")
        if json_length > MAX_GLB_JSON or 20 + json_length > size:
            raise _not("GLB", "its JSON chunk is larger than the file allows")
        try:
            document = json.loads(handle.read(json_length))
        except (ValueError, UnicodeDecodeError):
            raise _not("GLB", "its JSON chunk cannot be read") from None
        except RecursionError:  # a glTF nests a few levels; thousands are an attack
            raise _not("GLB", "its JSON chunk is nested too deeply") from None
        bin_length = 0
        rest = handle.read(8)
        if len(rest) == 8:
            bin_length = struct.unpack("<I", rest[:4])[0]
    try:
        return _glb_triangles(document, bin_length, limits)
    except (KeyError, TypeError, IndexError, ValueError, AttributeError):
        raise _not("GLB", "its JSON chunk does not describe meshes the usual way") from None


def _glb_triangles(document: dict[str, object], bin_length: int, limits: Limits) -> int:
    accessors = document.get("accessors", [])
    views = document.get("bufferViews", [])
    meshes = document.get("meshes", [])
    nodes = document.get("nodes", [])
    assert isinstance(accessors, list) and isinstance(views, list)
    assert isinstance(meshes, list) and isinstance(nodes, list)
    for view in views:
        if int(view.get("byteOffset", 0)) + int(view["byteLength"]) > bin_length:
            raise _not("GLB", "a buffer view reaches past the end of the data (truncated?)")
    per_mesh = []
    for mesh in meshes:
        triangles = 0
        for primitive in mesh["primitives"]:
            source = primitive.get("indices", primitive["attributes"]["POSITION"])
            triangles += int(accessors[source]["count"]) // 3
        per_mesh.append(triangles)
    uses = [0] * len(per_mesh)
    for node in nodes:
        if "mesh" in node:
            uses[int(node["mesh"])] += 1
    return sum(t * (u if nodes else 1) for t, u in zip(per_mesh, uses, strict=True))


def _central_directory_size(path: Path) -> int:
    """The size the zip's end record gives its central directory (which zipfile reads whole)."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        handle.seek(max(0, size - MAX_EOCD_SEARCH))
        tail = handle.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        raise _not("3MF", "it is not a zip container")
    return int(struct.unpack("<I", tail[at + 12 : at + 16])[0])


def _three_mf(path: Path, limits: Limits, unpack: bool = True) -> int:
    if _central_directory_size(path) > MAX_CENTRAL_DIRECTORY:
        raise _not("3MF", "its zip directory is implausibly large")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > MAX_ZIP_MEMBERS:
                raise _not("3MF", f"it holds more than {MAX_ZIP_MEMBERS} files")
            declared = sum(m.file_size for m in members)
            if declared > limits.max_decompressed_bytes:
                raise _unpacks_too_large(limits)
            models = [m for m in members if m.filename.lower().endswith(".model")]
            if not models:
                raise _not("3MF", "it holds no 3D model part")
            if not unpack:
                return 0
            unpacked = 0
            triangles = 0
            for member in models:
                with archive.open(member) as stream:
                    tail = b""
                    while chunk := stream.read(CHUNK):
                        unpacked += len(chunk)
                        if unpacked > limits.max_decompressed_bytes:
                            raise _unpacks_too_large(limits)
                        window = tail + chunk
                        triangles += window.count(b"<triangle ")
                        tail = window[-9:]
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError) as exc:
        raise _not("3MF", f"its zip container is damaged ({type(exc).__name__})") from None
    return triangles


def _unpacks_too_large(limits: Limits) -> MeshError:
    return MeshError(
        MeshProblem.TOO_MANY_TRIANGLES,
        f"The 3MF file unpacks to more than {limits.max_decompressed_bytes / 2**20:.0f} MB.",
    )
