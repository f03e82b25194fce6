"""`terrain-desktop tables` and `render`, run as a user runs them (no window)."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image


def terrain_desktop(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TERRAIN_DESKTOP_DATA": str(data)}
    env.pop("DISPLAY", None)  # off-screen rendering must not need a display
    return subprocess.run(
        [sys.executable, "-m", "terrain_desktop.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_tables_lists_id_and_name(tmp_path: Path) -> None:
    result = terrain_desktop(tmp_path, "tables")

    assert result.returncode == 0, result.stderr
    [line] = result.stdout.splitlines()
    table_id, name = line.split("  ", 1)
    assert len(table_id) == 36 and name == "Sample table"


@pytest.mark.parametrize("top", [False, True])
def test_render_writes_a_picture_of_the_table(tmp_path: Path, top: bool) -> None:
    out = tmp_path / "table.png"

    result = terrain_desktop(
        tmp_path,
        "render",
        "sample TABLE",
        "--out",
        str(out),
        "--size",
        "640x480",
        *(["--top"] if top else []),
    )

    assert result.returncode == 0, result.stderr
    image = np.asarray(Image.open(out).convert("RGB"), dtype=float)
    assert image.shape == (480, 640, 3)
    assert image.std(axis=(0, 1)).mean() > 10  # not blank
    greens = ((image[..., 1] > image[..., 0] + 15) & (image[..., 1] > image[..., 2] + 15)).mean()
    assert greens > 0.15  # the table's surface fills a good part of the frame
    colours = {tuple(c) for c in (image[::8, ::8] // 32).reshape(-1, 3).astype(int)}
    assert len(colours) > 12  # pieces of many colours stand on it


def test_render_explains_an_unknown_table(tmp_path: Path) -> None:
    result = terrain_desktop(tmp_path, "render", "No such table", "--out", str(tmp_path / "x.png"))

    assert result.returncode == 1
    assert "no table named" in result.stderr
    assert not (tmp_path / "x.png").exists()


def test_render_refuses_a_silly_size(tmp_path: Path) -> None:
    result = terrain_desktop(tmp_path, "render", "Sample table", "--out", "x.png", "--size", "big")

    assert result.returncode == 2 and "size must look like" in result.stderr
