"""The backup and restore the deployment guide prescribes, run for real into a scratch database."""

import subprocess
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from server import devdb
from server.app import create_app
from server.clock import ManualClock
from server.db.engine import engine_for
from server.settings import Settings
from tests.conftest import REPO_ROOT
from tests.server.factories import DEFAULT_PASSWORD, bearer, register


def script(name: str, *args: str) -> str:
    done = subprocess.run(
        ["bash", str(REPO_ROOT / "scripts" / name), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_backup_restores_into_a_scratch_database_that_serves_the_same_data(
    client: TestClient, settings: Settings, pg_server: str, tmp_path: Path
) -> None:
    user = register(client)
    token = user["token"]
    made = client.post("/api/tables", json={"name": "Backed up"}, headers=bearer(token))
    assert made.status_code == 201, made.text
    backup = tmp_path / "terrain.dump"

    script("backup-db.sh", settings.database_url, str(backup))
    scratch = devdb.create_database(pg_server)
    try:
        restored = script("restore-db.sh", str(backup), scratch)
        restored_settings = Settings(database_url=scratch, storage_dir=settings.storage_dir)
        with TestClient(create_app(restored_settings, ManualClock())) as other:
            signed_in = other.post(
                "/api/auth/login",
                json={"email": user["user"]["email"], "password": DEFAULT_PASSWORD},
            )
            tables = other.get("/api/tables/mine", headers=bearer(signed_in.json()["token"]))
            ready = other.get("/ready")
        assert signed_in.status_code == 200
        assert [t["name"] for t in tables.json()["tables"]] == ["Backed up"]
        assert ready.status_code == 200 and ready.json()["migration"] in restored
        engine = create_engine(scratch)
        with engine.connect() as connection:
            assert connection.scalar(text("SELECT count(*) FROM users")) == 1
        engine.dispose()
    finally:
        engine_for(scratch).dispose()
        devdb.drop_database(scratch)
