"""Where the real third-party model files are: beside the project, never inside it.

`TERRAIN_TESTDATA` wins; otherwise the project root's sibling `shared/testdata` (in a git
worktree one level deeper, hence the second candidate). Tests that need the files fail, not
skip, when they are missing: the files are part of the test setup in CI.
"""

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


def testdata_dir() -> Path:
    candidates = [
        REPO_ROOT.parent / "shared" / "testdata",
        REPO_ROOT.parent.parent / "shared" / "testdata",
    ]
    if os.environ.get("TERRAIN_TESTDATA"):
        candidates.insert(0, Path(os.environ["TERRAIN_TESTDATA"]))
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    pytest.fail(f"Real model files not found (set TERRAIN_TESTDATA); looked in {candidates}")


def openforge(name: str) -> Path:
    return testdata_dir() / "openforge" / name


def openforge_kit(name: str) -> Path:
    return testdata_dir() / "openforge-kit" / name
