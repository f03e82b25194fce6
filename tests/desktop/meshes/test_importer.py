"""Importing a model for one's own use, without Qt: units guessed, display mesh, thumbnail."""

from pathlib import Path

import pytest

from terrain_desktop.app_data import Catalogue
from terrain_desktop.meshes import importer
from terrain_desktop.store.local_store import LocalStore
from terrain_meshes.analysis import Units
from terrain_meshes.errors import MeshError
from tests.meshes import samples


def test_an_inch_model_is_guessed_and_imported_in_mm(tmp_path: Path) -> None:
    source = samples.write(
        tmp_path, "my_hill.stl", samples.export(samples.scaled(samples.hill(), 1 / 25.4), "stl")
    )
    store = LocalStore(tmp_path / "store.sqlite")

    seen = importer.inspect(source)
    asset = importer.import_model(store, seen, seen.guessed_units, "My hill", tmp_path / "models")

    assert seen.guessed_units == Units.INCH and seen.name == "My hill"
    assert asset.size_mm == pytest.approx((60, 60, 25), abs=0.5)
    assert asset.mesh_path.read_bytes()[:4] == b"glTF"
    assert asset.thumbnail_path.read_bytes()[:4] == b"\x89PNG"
    assert Catalogue(store).get(asset.id) == asset  # known after a restart too


def test_heavy_models_get_a_light_display_mesh(tmp_path: Path) -> None:
    import trimesh

    source = samples.write(tmp_path, "rock.stl", samples.export(samples.heavy(7), "stl"))
    store = LocalStore(tmp_path / "store.sqlite")

    asset = importer.import_model(
        store, importer.inspect(source), Units.MM, "Rock", tmp_path / "models"
    )

    shown = trimesh.load(asset.mesh_path, force="mesh")
    assert len(shown.faces) <= importer.DISPLAY_TRIANGLES * 1.5
    assert store.local_assets()[0]["triangles"] == 327_680


def test_a_file_that_is_not_a_model_is_refused_with_a_reason(tmp_path: Path) -> None:
    source = samples.write(tmp_path, "notes.stl", b"shopping list: glue, paint" * 10)

    with pytest.raises(MeshError, match="not an STL"):
        importer.inspect(source)


@pytest.mark.parametrize(
    ("stem", "name"),
    [
        ("of_face_25", "Face 25"),
        ("of_low_wall_pool_three_quarter_diagonal", "Low wall pool three quarter diagonal"),
        ("my_hill", "My hill"),
        ("GothicArchShrine", "GothicArchShrine"),
        ("___", "Imported model"),
    ],
)
def test_imported_names_are_tidied_from_file_names(stem: str, name: str) -> None:
    assert importer.tidy_name(stem) == name
