"""The package graph and the schema vocabulary, enforced rather than hoped for."""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from server.db.models import Base

REPO_ROOT = Path(__file__).resolve().parent.parent
CODE_DIRS = ["terrain_protocol", "server", "terrain_desktop", "migrations"]
#: The legacy importer is the one place allowed to name the original system's tables.
LEGACY_IMPORTER = REPO_ROOT / "server" / "legacy"

LEGACY_PATTERNS = [
    re.compile(r"\b(user_tables|example_tables|stripe_transfers)\b"),
    re.compile(r"\b(FROM|JOIN|INTO|UPDATE|TABLE)\s+\"?artists\b", re.IGNORECASE),
    re.compile(r"__tablename__\s*=\s*[\"']artists[\"']"),
    re.compile(r"\borders\.items\b"),
]


def test_import_contracts_hold() -> None:
    """terrain_protocol imports neither side; server and desktop never import each other; the
    desktop's domain sits at the bottom of its layers."""
    result = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    contracts = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    assert f"Contracts: {len(contracts['contracts'])} kept, 0 broken" in result.stdout
    assert "The domain depends on nothing else in the desktop KEPT" in result.stdout


def legacy_hits(root: Path) -> list[str]:
    hits = []
    for directory in CODE_DIRS:
        for path in sorted((root / directory).rglob("*.py")):
            if LEGACY_IMPORTER in path.parents:
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if any(p.search(line) for p in LEGACY_PATTERNS):
                    hits.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    return hits


def test_no_legacy_schema_names_in_code() -> None:
    assert legacy_hits(REPO_ROOT) == []


def test_the_legacy_name_check_finds_a_planted_name(tmp_path: Path) -> None:
    planted = tmp_path / "server" / "bad.py"
    planted.parent.mkdir()
    planted.write_text('QUERY = "SELECT * FROM user_tables"\nOTHER = "SELECT * FROM artists"\n')

    assert len(legacy_hits(tmp_path)) == 2


@pytest.mark.parametrize(
    "legacy", ["artists", "user_tables", "example_tables", "stripe_transfers", "models"]
)
def test_no_legacy_table_in_the_models(legacy: str) -> None:
    assert legacy not in Base.metadata.tables


def test_no_order_items_json_column() -> None:
    assert "items" not in Base.metadata.tables["orders"].columns


def desktop_cycles() -> list[list[str]]:
    """Groups of desktop modules that import each other in a circle (TYPE_CHECKING imports
    count: a circle there still ties the modules together for a reader and for mypy)."""
    import grimp

    graph = grimp.build_graph("terrain_desktop")
    modules = sorted(graph.modules)
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:  # Tarjan's strongly connected components
        order[module] = low[module] = len(order)
        stack.append(module)
        for other in sorted(graph.find_modules_directly_imported_by(module)):
            if not other.startswith("terrain_desktop"):
                continue
            if other not in order:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], order[other])
        if low[module] == order[module]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in modules:
        if module not in order:
            visit(module)
    return found


def test_no_import_cycle_in_the_desktop() -> None:
    """Controllers take the window through a protocol (ui/window_view.py), the viewport's
    helpers through ui/viewport_view.py; a new circle fails here, naming its modules."""
    assert desktop_cycles() == []


def test_the_desktop_layers_name_every_module() -> None:
    """Each desktop module sits in a layer of the layers contract, so none escapes it."""
    import grimp

    config = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    [layers] = [c for c in config["contracts"] if c["type"] == "layers"]
    named = {n.strip() for layer in layers["layers"] for n in re.split(r"[|:]", layer)}
    graph = grimp.build_graph("terrain_desktop")
    outside = [
        m
        for m in sorted(graph.modules)
        if m != "terrain_desktop" and not any(m == n or m.startswith(n + ".") for n in named)
    ]
    assert outside == []


def test_desktop_tests_mirror_its_packages() -> None:
    """A desktop test lives in the folder of the package it tests (tests/desktop/scene/ for
    terrain_desktop/scene/), so a reader finds a module's tests where its name says."""
    packages = {p.name for p in (REPO_ROOT / "terrain_desktop").iterdir() if p.is_dir()}
    misplaced = [
        str(path.relative_to(REPO_ROOT))
        for path in sorted((REPO_ROOT / "tests" / "desktop").rglob("test_*.py"))
        if path.relative_to(REPO_ROOT / "tests" / "desktop").parts[0] not in packages
    ]
    assert misplaced == []


#: Most modules stay under 200 lines; none may pass this (split it by what it is about).
MAX_MODULE_LINES = 500
#: The main window composes docks and controllers; features live in modules of their own.
MAX_MAIN_WINDOW_LINES = 250


def test_no_module_is_too_long() -> None:
    packages = ["server", "terrain_desktop", "terrain_meshes", "terrain_protocol"]
    lengths = {
        str(path.relative_to(REPO_ROOT)): len(path.read_text().splitlines())
        for package in packages
        for path in sorted((REPO_ROOT / package).rglob("*.py"))
    }
    assert {name: n for name, n in lengths.items() if n > MAX_MODULE_LINES} == {}
    assert lengths["terrain_desktop/ui/main_window.py"] <= MAX_MAIN_WINDOW_LINES
