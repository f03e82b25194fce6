"""A legacy database per test, and the CLI run as an operator runs it."""

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from server import devdb
from server.settings import Settings
from tests.conftest import REPO_ROOT
from tests.server.legacy import legacy_data


@dataclass(frozen=True)
class LegacySource:
    url: str
    uploads: Path
    ids: legacy_data.Legacy


@pytest.fixture
def legacy(pg_server: str, tmp_path: Path) -> Iterator[LegacySource]:
    url = devdb.create_database(pg_server)
    try:
        legacy_data.create_schema(url)
        ids = legacy_data.fill(url, tmp_path / "legacy-uploads")
        yield LegacySource(url, tmp_path / "legacy-uploads", ids)
    finally:
        devdb.drop_database(url)


@dataclass(frozen=True)
class Run:
    exit_code: int
    output: str
    report: dict[str, Any]

    def counts(self, kind: str) -> dict[str, int]:
        counts: dict[str, int] = self.report["counts"][kind]
        return counts

    def issue_codes(self, legacy_id: object) -> list[str]:
        return sorted(i["code"] for i in self.report["issues"] if i["legacy_id"] == str(legacy_id))


def import_legacy(settings: Settings, source: LegacySource, report: Path, *args: str) -> Run:
    """`terrain-server import-legacy` in a process of its own, as an operator runs it."""
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "TERRAIN_STORAGE_DIR": settings.storage_dir,
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "server.cli",
            "import-legacy",
            "--from",
            source.url,
            "--files",
            str(source.uploads),
            "--report",
            str(report),
            *args,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO_ROOT,
    )
    assert done.returncode == 0, done.stderr
    return Run(done.returncode, done.stdout, json.loads(report.read_text()))


def run_worker(settings: Settings) -> str:
    """`terrain-server worker --once`: process the queued jobs (the imported model files)."""
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "TERRAIN_STORAGE_DIR": settings.storage_dir,
    }
    done = subprocess.run(
        [sys.executable, "-m", "server.cli", "worker", "--once"],
        env=env, capture_output=True, text=True, timeout=300, cwd=REPO_ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout
