"""Build the bundled sample terrain library in resources/sample_library/.

Every piece is made here from trimesh primitives (no booleans), at 28-32 mm scale, so the
library can be rebuilt and changed by anyone: `python scripts/build_sample_library.py`.
Writes one GLB and one PNG thumbnail per piece and `catalogue.json`.
"""

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import numpy as np
import trimesh
from modular_kit import KIT  # scripts/modular_kit.py: the modular dungeon kit
from trimesh.creation import box, cone, cylinder, icosphere

from terrain_meshes import display, thumbnail

OUT = Path(__file__).resolve().parents[1] / "resources" / "sample_library"
RNG_SEED = 28


def at(mesh: trimesh.Trimesh, x: float = 0, y: float = 0, z: float = 0) -> trimesh.Trimesh:
    mesh.apply_translation([x, y, z])
    return mesh


def block(
    w: float, d: float, h: float, x: float = 0, y: float = 0, z: float = 0
) -> trimesh.Trimesh:
    """A box standing on z (its base), centred on x, y."""
    return at(box(extents=[w, d, h]), x, y, z + h / 2)


def dome(rx: float, ry: float, h: float, seed: int, roughness: float = 0.06) -> trimesh.Trimesh:
    """A hill: a sphere with a flattened underside, squashed to size, gently uneven."""
    sphere = icosphere(subdivisions=4, radius=1.0)
    rng = np.random.default_rng(seed)
    # Low-frequency waves rather than per-vertex noise: rolling ground, not spikes.
    waves = np.zeros(len(sphere.vertices))
    for _ in range(4):
        kx, ky, kz, phase = (
            rng.uniform(1.5, 4.0),
            rng.uniform(1.5, 4.0),
            rng.uniform(1, 3),
            rng.uniform(0, 6.3),
        )
        x, y, z = sphere.vertices.T
        waves += np.sin(kx * x + ky * y + kz * z + phase)
    vertices = sphere.vertices * (1 + roughness * waves / 2)[:, None]
    vertices[:, 2] = np.maximum(vertices[:, 2], 0)
    vertices *= [rx, ry, h]
    return trimesh.Trimesh(vertices=vertices, faces=sphere.faces, process=True)


def boulder(size: float, seed: int) -> trimesh.Trimesh:
    rock = icosphere(subdivisions=2, radius=size / 2)
    rng = np.random.default_rng(seed)
    rock.vertices *= 1 + rng.uniform(-0.18, 0.18, (len(rock.vertices), 1))
    rock.vertices[:, 2] = np.maximum(rock.vertices[:, 2], -size * 0.3)
    return at(rock, 0, 0, size * 0.3)


def barrel(x: float = 0, y: float = 0) -> trimesh.Trimesh:
    body = at(cylinder(radius=9, height=24, sections=24), x, y, 12)
    bands = [at(cylinder(radius=9.6, height=1.5, sections=24), x, y, z) for z in (4, 12, 20)]
    return trimesh.util.concatenate([body, *bands])


def crate(size: float = 22, x: float = 0, y: float = 0, z: float = 0) -> trimesh.Trimesh:
    parts = [block(size, size, size, x, y, z)]
    for dz in (0, size - 2):
        parts.append(block(size + 1, size + 1, 2, x, y, z + dz))
    return trimesh.util.concatenate(parts)


def pine(x: float = 0, y: float = 0, height: float = 90) -> trimesh.Trimesh:
    trunk = at(cylinder(radius=3.5, height=height * 0.3, sections=12), x, y, height * 0.15)
    tiers = [
        at(cone(radius=height * r, height=height * 0.42, sections=16), x, y, height * z)
        for r, z in ((0.28, 0.18), (0.22, 0.38), (0.15, 0.58))
    ]
    return trimesh.util.concatenate([trunk, *tiers])


def oak(x: float = 0, y: float = 0) -> trimesh.Trimesh:
    trunk = at(cylinder(radius=5, height=40, sections=12), x, y, 20)
    blobs = [
        at(icosphere(subdivisions=2, radius=r), x + dx, y + dy, z)
        for r, dx, dy, z in ((24, 0, 0, 55), (17, 14, 6, 48), (16, -12, -8, 50), (15, 3, -13, 62))
    ]
    return trimesh.util.concatenate([trunk, *blobs])


def base(w: float, d: float) -> trimesh.Trimesh:
    return block(w, d, 3)


def ruined_wall(
    length: float, seed: int, y: float = 0, x0: float | None = None
) -> list[trimesh.Trimesh]:
    """Stone courses of uneven height: a wall broken along its top."""
    rng = np.random.default_rng(seed)
    parts = []
    x = -length / 2 if x0 is None else x0
    while x < (length / 2 if x0 is None else x0 + length) - 1:
        width = float(rng.uniform(8, 14))
        height = float(rng.choice([12, 25, 38, 50, 60]))
        parts.append(block(width, 8, height, x + width / 2, y))
        x += width
    return parts


def prism(w: float, d: float, h: float, z: float) -> trimesh.Trimesh:
    """A gable roof: a triangular prism along y, ridge on top."""
    front = [[-w / 2, -d / 2, z], [w / 2, -d / 2, z], [0, -d / 2, z + h]]
    back = [[x, d / 2, zz] for x, _, zz in front]
    faces = [[0, 1, 2], [3, 5, 4], [0, 3, 4], [0, 4, 1], [1, 4, 5], [1, 5, 2], [2, 5, 3], [2, 3, 0]]
    return trimesh.Trimesh(vertices=front + back, faces=faces, process=True)


def rotated(mesh: trimesh.Trimesh, degrees: float) -> trimesh.Trimesh:
    mesh.apply_transform(trimesh.transformations.rotation_matrix(np.radians(degrees), [0, 0, 1]))
    return mesh


def house() -> trimesh.Trimesh:
    walls = block(80, 60, 50)
    roof = prism(90, 68, 30, 50)
    door = block(16, 2, 28, 0, -30.5)
    chimney = block(10, 10, 30, 22, 10, 55)
    return trimesh.util.concatenate([walls, roof, door, chimney])


def container() -> trimesh.Trimesh:
    shell = block(150, 60, 62)
    ribs = [block(2, 62, 60, x, 0, 1) for x in np.linspace(-70, 70, 15)]
    return trimesh.util.concatenate([shell, *ribs])


def tank() -> trimesh.Trimesh:
    body = cylinder(radius=30, height=110, sections=32)
    body.apply_transform(trimesh.transformations.rotation_matrix(np.pi / 2, [0, 1, 0]))
    body.apply_translation([0, 0, 40])
    legs = [block(8, 50, 12, x) for x in (-35, 35)]
    return trimesh.util.concatenate([body, *legs])


def barricade() -> trimesh.Trimesh:
    posts = [block(5, 5, 35, x) for x in (-45, -15, 15, 45)]
    rails = [block(100, 3, 5, 0, 0, z) for z in (12, 26)]
    return trimesh.util.concatenate([*posts, *rails])


def tower() -> trimesh.Trimesh:
    rng = np.random.default_rng(7)
    parts = [block(70, 70, 3)]
    for i in range(16):
        angle = 2 * np.pi * i / 16
        height = float(rng.choice([30, 45, 70, 90, 110]))
        piece = block(13, 7, height)
        piece.apply_transform(trimesh.transformations.rotation_matrix(angle, [0, 0, 1]))
        parts.append(at(piece, 30 * np.cos(angle), 30 * np.sin(angle), 0))
    return trimesh.util.concatenate(parts)


Piece = tuple[str, str, str, list[str], str, str, str, Callable[[], trimesh.Trimesh]]

PIECES: list[Piece] = [
    (
        "rolling-hill",
        "Rolling hill",
        "hills",
        ["hill", "grass", "low"],
        "3.50",
        "wilds",
        "#7f9a5a",
        lambda: dome(90, 60, 38, seed=1),
    ),
    (
        "steep-hill",
        "Steep hill",
        "hills",
        ["hill", "tall"],
        "4.50",
        "wilds",
        "#7a9353",
        lambda: trimesh.util.concatenate(
            [dome(70, 55, 35, seed=2), at(dome(45, 35, 30, seed=3), 8, 5, 25)]
        ),
    ),
    (
        "long-ridge",
        "Long ridge",
        "hills",
        ["hill", "ridge"],
        "4.00",
        "wilds",
        "#84a05f",
        lambda: dome(95, 28, 30, seed=4),
    ),
    (
        "ruined-wall",
        "Ruined wall",
        "ruins",
        ["wall", "stone", "ruin"],
        "2.50",
        "forge",
        "#9c958a",
        lambda: trimesh.util.concatenate([base(110, 16), *ruined_wall(104, seed=5)]),
    ),
    (
        "ruined-corner",
        "Ruined corner",
        "ruins",
        ["wall", "corner", "ruin"],
        "3.00",
        "forge",
        "#979086",
        lambda: trimesh.util.concatenate(
            [
                base(80, 80),
                *ruined_wall(76, seed=6, y=-34, x0=-38),
                *(rotated(p, 90) for p in ruined_wall(68, seed=8, y=34, x0=-30)),
            ]
        ),
    ),
    (
        "ruined-tower",
        "Ruined tower",
        "ruins",
        ["tower", "stone", "ruin", "tall"],
        "6.00",
        "forge",
        "#a19a8f",
        tower,
    ),
    (
        "wooden-crate",
        "Wooden crate",
        "scatter",
        ["crate", "wood"],
        "0.75",
        "forge",
        "#a57a4a",
        lambda: crate(),
    ),
    (
        "crate-stack",
        "Crate stack",
        "scatter",
        ["crate", "wood", "stack"],
        "1.75",
        "forge",
        "#a0764a",
        lambda: trimesh.util.concatenate(
            [crate(22, -12, 0), crate(22, 12, 0), crate(22, 0, 0, 22)]
        ),
    ),
    (
        "barrel",
        "Barrel",
        "scatter",
        ["barrel", "wood"],
        "0.75",
        "forge",
        "#8b5e3c",
        lambda: barrel(),
    ),
    (
        "barrel-cluster",
        "Barrel cluster",
        "scatter",
        ["barrel", "wood", "cluster"],
        "1.75",
        "forge",
        "#875b3a",
        lambda: trimesh.util.concatenate(
            [base(50, 45), *(at(barrel(x, y), 0, 0, 3) for x, y in ((-11, -9), (11, -9), (0, 10)))]
        ),
    ),
    (
        "pine-tree",
        "Pine tree",
        "forest",
        ["tree", "pine", "conifer"],
        "1.50",
        "wilds",
        "#3f6b3a",
        lambda: trimesh.util.concatenate(
            [at(cylinder(radius=18, height=3, sections=24), 0, 0, 1.5), pine()]
        ),
    ),
    (
        "oak-tree",
        "Oak tree",
        "forest",
        ["tree", "oak", "deciduous"],
        "1.75",
        "wilds",
        "#4d7a3d",
        lambda: trimesh.util.concatenate(
            [at(cylinder(radius=22, height=3, sections=24), 0, 0, 1.5), oak()]
        ),
    ),
    (
        "small-wood",
        "Small wood",
        "forest",
        ["tree", "pine", "forest", "cluster"],
        "4.50",
        "wilds",
        "#456f3b",
        lambda: trimesh.util.concatenate(
            [
                dome(65, 50, 6, seed=9, roughness=0.02),
                pine(-30, -15, 85),
                pine(25, -20, 100),
                pine(0, 25, 75),
            ]
        ),
    ),
    (
        "boulder",
        "Boulder",
        "rocks",
        ["rock", "boulder"],
        "0.90",
        "wilds",
        "#8a8780",
        lambda: boulder(40, seed=10),
    ),
    (
        "rock-cluster",
        "Rock cluster",
        "rocks",
        ["rock", "boulder", "cluster"],
        "2.25",
        "wilds",
        "#85827b",
        lambda: trimesh.util.concatenate(
            [at(boulder(42, 11), -18, 0), at(boulder(30, 12), 20, 8), at(boulder(22, 13), 5, -22)]
        ),
    ),
    (
        "shipping-container",
        "Shipping container",
        "containers",
        ["container", "industrial", "metal"],
        "5.00",
        "forge",
        "#a2473a",
        container,
    ),
    (
        "water-tank",
        "Water tank",
        "containers",
        ["tank", "industrial", "metal"],
        "4.00",
        "forge",
        "#6f7f8c",
        tank,
    ),
    (
        "farmhouse",
        "Farmhouse",
        "buildings",
        ["building", "house", "roof"],
        "9.00",
        "forge",
        "#c2a98a",
        house,
    ),
    (
        "barricade",
        "Barricade",
        "scatter",
        ["fence", "barricade", "wood", "cover"],
        "1.25",
        "forge",
        "#96703f",
        barricade,
    ),
]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    catalogue = []
    for slug, name, category, tags, price, artist, colour, make in PIECES + KIT:
        mesh = display.normalised(make())
        (OUT / f"{slug}.glb").write_bytes(display.to_glb(mesh))
        thumbnail.render_png(mesh, OUT / f"{slug}.png", colour=colour)
        x, y, z = (round(float(v), 1) for v in mesh.extents)
        catalogue.append(
            {
                "slug": slug,
                "name": name,
                "category": category,
                "tags": tags,
                "price": str(Decimal(price)),
                "artist": artist,
                "colour": colour,
                "mesh": f"{slug}.glb",
                "thumbnail": f"{slug}.png",
                "dimensions_mm": {"x": x, "y": y, "z": z},
                "triangles": len(mesh.faces),
            }
        )
        print(f"{slug:20} {x:6.1f} x {y:6.1f} x {z:6.1f} mm  {len(mesh.faces):6d} triangles")
    (OUT / "catalogue.json").write_text(json.dumps({"pieces": catalogue}, indent=2) + "\n")


if __name__ == "__main__":
    main()
