"""Model files made on the spot, in every accepted format, so tests need no fixtures on disk."""

import io
import struct
from pathlib import Path

import trimesh


def hill(size_mm: float = 60.0, height_mm: float = 25.0, sections: int = 24) -> trimesh.Trimesh:
    """A small cone-ish hill, roughly the size of 28 mm scale terrain."""
    cone = trimesh.creation.cone(radius=size_mm / 2, height=height_mm, sections=sections)
    return cone


def heavy(subdivisions: int = 6) -> trimesh.Trimesh:
    """A rock with many triangles (20 * 4**subdivisions), to exercise decimation."""
    rock = trimesh.creation.icosphere(subdivisions=subdivisions, radius=20.0)
    rock.apply_scale([1.0, 0.8, 0.5])
    return rock


def export(mesh: trimesh.Trimesh, kind: str) -> bytes:
    """The mesh as file bytes; `stl_ascii` gives an ASCII STL."""
    if kind == "stl_ascii":
        text = trimesh.exchange.stl.export_stl_ascii(mesh)
        return text.encode()
    buffer = io.BytesIO()
    mesh.export(buffer, file_type=kind)
    return buffer.getvalue()


def write(tmp: Path, name: str, data: bytes) -> Path:
    path = tmp / name
    path.write_bytes(data)
    return path


def nan_stl() -> bytes:
    """A binary STL whose one triangle has a NaN vertex."""
    header = b"\0" * 80 + struct.pack("<I", 1)
    facet = struct.pack("<12fH", 0, 0, 1, float("nan"), 0, 0, 1, 0, 0, 0, 1, 0, 0)
    return header + facet


def empty_stl() -> bytes:
    return b"solid empty\nendsolid empty\n"


def scaled(mesh: trimesh.Trimesh, factor: float) -> trimesh.Trimesh:
    copy = mesh.copy()
    copy.apply_scale(factor)
    return copy
