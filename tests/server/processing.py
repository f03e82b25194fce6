"""Running the real job worker from tests: jobs run in their sandboxed child processes."""

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from server.jobs import registry, runner
from server.jobs.context import WorkerContext
from tests.server.factories import bearer


def run_worker(app: FastAPI) -> int:
    """Run every due job as `terrain-server worker --once` would, with the app's settings."""
    settings = app.state.settings
    context = WorkerContext(settings, app.state.sessionmaker, app.state.storage)
    return runner.run(context, registry.job_kinds(settings), once=True)


def processed(client: TestClient, app: FastAPI, token: str, asset_id: str) -> dict[str, Any]:
    """The asset as its artist sees it once the worker has run its job."""
    run_worker(app)
    response = client.get(f"/api/library/assets/{asset_id}", headers=bearer(token))
    assert response.status_code == 200, response.text
    asset: dict[str, Any] = response.json()["asset"]
    assert asset["processing_state"] in ("ready", "failed")
    return asset
