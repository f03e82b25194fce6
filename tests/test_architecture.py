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
