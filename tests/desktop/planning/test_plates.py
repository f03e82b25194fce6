"""The print plan: the sample table's pieces on printer plates, read back from the 3MF files a
slicer would open."""

import itertools
import zipfile
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import trimesh

from terrain_desktop.planning.plates import PrintSettings, plan_plates, write_plates
from terrain_desktop.planning.printing import PLA_GRAMS_PER_CM3, PRINTERS, Printer

from .tables import box, sample_table, table


def read_plates(folder: Path) -> dict[str, dict[str, trimesh.Trimesh]]:
    """Each plate file's parts, by name, where they lie on the bed."""
    plates = {}
    for path in sorted(folder.glob("plate-*.3mf")):
        assert b'unit="millimeter"' in zipfile.ZipFile(path).read("3D/3dmodel.model")
        scene = trimesh.load(path)
        parts = {}
        for node in scene.graph.nodes_geometry:
            transform, geometry = scene.graph[node]
            parts[node] = scene.geometry[geometry].copy().apply_transform(transform)
        plates[path.name] = parts
    return plates


@pytest.mark.parametrize("printer", [PRINTERS["Prusa MK4"], PRINTERS["Prusa MINI+"]])
def test_every_piece_once_inside_the_bed_and_apart(tmp_path: Path, printer: Printer) -> None:
    layout = sample_table(copies=2)
    gap = 4.0
    plan = plan_plates(layout, printer, gap)
    write_plates(plan, tmp_path)

    plates = read_plates(tmp_path)
    assert len(plates) == len(plan.plates) > 1
    names = Counter(name for parts in plates.values() for name in parts)
    assert set(names.values()) == {1}  # no part twice
    too_big = [p.name for p in plan.too_big]
    by_asset = Counter(name.rsplit(" ", 1)[0] for name in [*names, *too_big])
    assert by_asset == Counter(p.name for p in layout.pieces)  # every copy the table needs
    # on the small bed only the 181 mm hill fits no way (with the gap to the edges)
    assert too_big == ([] if printer.x > 200 else ["Rolling hill 1", "Rolling hill 2"])
    for parts in plates.values():
        for mesh in parts.values():
            low, high = mesh.bounds
            assert low[0] >= gap / 2 - 1e-6 and low[1] >= gap / 2 - 1e-6
            assert high[0] <= printer.x - gap / 2 + 1e-6 and high[1] <= printer.y - gap / 2 + 1e-6
            assert abs(low[2]) < 1e-6 and high[2] <= printer.z  # on the bed, under the roof
        for a, b in itertools.combinations(parts.values(), 2):
            apart = np.maximum(a.bounds[0] - b.bounds[1], b.bounds[0] - a.bounds[1])[:2]
            assert apart.max() >= gap - 1e-6  # their outlines are a gap apart: no overlap


def test_a_piece_too_tall_for_the_bed_lies_flat_side_down(tmp_path: Path) -> None:
    low_bed = Printer("low", 250, 210, 80)
    layout = sample_table()
    plan = plan_plates(layout, low_bed, 5)
    write_plates(plan, tmp_path)

    parts = {n: m for p in read_plates(tmp_path).values() for n, m in p.items()}
    tower = parts["Ruined tower 1"]  # 110 mm tall as it stands
    assert tower.extents[2] == pytest.approx(73, abs=1)  # on its side
    # it rests on a side wall, not on an edge: a big flat face at the bottom
    bottom = tower.triangles[:, :, 2].max(axis=1) < 0.2
    assert tower.area_faces[bottom].sum() > 500
    orientations = {p.part.name: p.part.orientation for pl in plan.plates for p in pl.parts}
    assert orientations["Boulder 1"] == "upright"
    assert orientations["Ruined tower 1"].startswith("on its side")


def test_a_piece_no_bed_can_hold_is_listed_not_placed(tmp_path: Path) -> None:
    plan = plan_plates(
        table(box("a", 100, 100, (300, 300, 300)), box("b", 400, 100, (20, 20, 20))),
        PRINTERS["Prusa MK4"],
    )
    assert [p.name for p in plan.too_big] == ["Box a 1"]
    assert [p.part.name for plate in plan.plates for p in plate.parts] == ["Box b 1"]
    assert plan.summary()["too_big"] == ["Box a 1"]


def test_filament_and_time_follow_the_stated_infill() -> None:
    cube = table(box("c", 100, 100, (20, 20, 20)))
    sparse = plan_plates(cube, PRINTERS["Prusa MK4"], settings=PrintSettings(infill=0.15))
    solid = plan_plates(cube, PRINTERS["Prusa MK4"], settings=PrintSettings(infill=1.0))

    # 8 cm³ cube: a 1.2 mm shell over its 24 cm² surface (2.88 cm³), 15% of the rest
    expected = (2.88 + 0.15 * (8 - 2.88)) * PLA_GRAMS_PER_CM3
    assert sparse.summary()["filament_g"] == pytest.approx(expected, abs=0.1)
    assert solid.summary()["filament_g"] == pytest.approx(8 * PLA_GRAMS_PER_CM3, abs=0.1)
    assert "15% infill" in str(sparse.summary()["assumptions"])
    [plate] = sparse.summary()["plates"]  # type: ignore[misc]
    assert 5 / 60 < plate["hours"] < 0.5  # heating plus a few minutes of printing


def test_only_included_pieces_are_planned() -> None:
    layout = sample_table()
    plan = plan_plates(layout, PRINTERS["Prusa MK4"], include=lambda p: p.name != "Farmhouse")
    names = [p.part.name for plate in plan.plates for p in plate.parts]
    assert len(names) == len(layout.pieces) - 1 and "Farmhouse 1" not in names


def test_the_build_plan_has_a_page_of_plates(tmp_path: Path) -> None:
    import pypdf

    from terrain_desktop.planning.plan_pdf import export_build_plan

    layout = sample_table()
    export_build_plan(layout, tmp_path / "plan.pdf", PRINTERS["Prusa MK4"])

    texts = [page.extract_text() for page in pypdf.PdfReader(tmp_path / "plan.pdf").pages]
    [plates] = [t for t in texts if t.startswith("Plates for the Prusa MK4")]
    assert "17 parts on 3 plates, 5 mm apart" in plates and "15% infill" in plates
    for piece in layout.pieces:
        assert f"{piece.name} 1" in plates.replace("\n", " ")
    assert texts[-1].startswith("Setup card")  # still the last page
