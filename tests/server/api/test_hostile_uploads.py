"""Hostile uploads end as a 4xx or as an asset `failed` with a reason, with nothing left on
disk and the server answering; a refused row or a failing commit leaves no file behind."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from server.db.models import Asset, Job
from server.settings import Settings
from tests.meshes import hostile, samples
from tests.server.api.test_auth import assert_error
from tests.server.factories import bearer, register_artist
from tests.server.processing import processed, run_worker

UPLOAD = "/api/library/assets"


def upload(client: TestClient, token: str, filename: str, data: bytes, **form: str) -> Any:
    return client.post(
        UPLOAD,
        files={"file": (filename, data, "application/octet-stream")},
        data=form,
        headers=bearer(token),
    )


def leftovers(app: FastAPI) -> list[str]:
    """Every file in storage, the temporary area included."""
    root = Path(app.state.storage.root)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.fixture
def artist(client: TestClient, db: Session) -> str:
    token: str = register_artist(client, db)["token"]
    return token


@pytest.fixture
def tight(app: FastAPI) -> None:
    """Limits small enough for small hostile files to cross them."""
    app.state.settings = Settings(
        database_url=app.state.settings.database_url,
        storage_dir=app.state.settings.storage_dir,
        max_upload_triangles=10_000,
        max_decompressed_bytes=8 * 2**20,
    )


@pytest.mark.parametrize(
    ("name", "data", "status", "code"),
    [
        ("count.ply", hostile.ply_declaring(10**12), 413, "mesh_too_large"),
        ("short.ply", hostile.ply_declaring(500, 500, binary=True), 422, "invalid_mesh"),
        ("count.stl", hostile.stl_declaring(2**32 - 1), 422, "invalid_mesh"),
        ("cut.stl", hostile.truncated("stl"), 422, "invalid_mesh"),
        ("cut.glb", hostile.truncated("glb"), 422, "invalid_mesh"),
        ("count.glb", hostile.glb_declaring(3 * 10**9), 413, "mesh_too_large"),
        ("deep.glb", hostile.glb_nested(100_000), 422, "invalid_mesh"),
        ("many.obj", hostile.obj_text("f 1 2 3\n" * 20_000), 413, "mesh_too_large"),
        ("bomb.3mf", hostile.three_mf_bomb(16 * 2**20), 413, "mesh_too_large"),
        ("parts.3mf", hostile.three_mf_many_members(1_500), 422, "invalid_mesh"),
    ],
)
def test_files_refused_from_their_headers_get_a_4xx_and_leave_nothing(
    client: TestClient,
    artist: str,
    app: FastAPI,
    db: Session,
    tight: None,
    name: str,
    data: bytes,
    status: int,
    code: str,
) -> None:
    assert_error(upload(client, artist, name, data), status, code)

    assert leftovers(app) == []
    assert db.scalar(select(func.count()).select_from(Asset)) == 0
    assert db.scalar(select(func.count()).select_from(Job)) == 0


FAILING = [
    ("issue9.ply", hostile.ply_face("3 0 1 -1"), {}, "do not exist"),
    ("far.ply", hostile.ply_face("3 0 1 1000000"), {}, "do not exist"),
    ("far.obj", hostile.obj_text("f 1 2 99\n"), {}, "could not be read"),
    ("nan.stl", samples.nan_stl(), {}, "not finite"),
    ("inf.stl", hostile.stl_with(float("inf")), {}, "not finite"),
    ("huge.stl", hostile.stl_with(3e38), {"units": "inch"}, "too large"),
    ("wide.stl", hostile.stl_with(1e6), {"units": "inch"}, "m across"),
    ("lying.3mf", hostile.three_mf_lying(16 * 2**20), {}, "damaged"),
]


def test_files_refused_by_the_worker_end_failed_with_a_reason_and_leave_nothing(
    client: TestClient, artist: str, app: FastAPI, tight: None
) -> None:
    accepted = {}
    for name, data, form, _ in FAILING:
        response = upload(client, artist, name, data, **form)
        assert response.status_code == 202, response.text
        accepted[name] = response.json()["asset"]["id"]

    assert run_worker(app) == len(FAILING)

    for name, _, _, reason in FAILING:
        asset = processed(client, app, artist, accepted[name])
        assert asset["processing_state"] == "failed", name
        assert reason in asset["processing_error"], (name, asset["processing_error"])
        assert asset["thumbnail_url"] is None and asset["display_url"] is None
    assert leftovers(app) == []
    assert client.get("/health").status_code == 200
    publish = client.patch(
        f"{UPLOAD}/{accepted['issue9.ply']}",
        json={"status": "published", "category": "hills"},
        headers=bearer(artist),
    )
    assert_error(publish, 409, "cannot_publish")


def test_an_asset_is_not_published_while_processing(
    client: TestClient, artist: str, app: FastAPI
) -> None:
    asset_id = upload(client, artist, "hill.stl", samples.export(samples.hill(), "stl")).json()[
        "asset"
    ]["id"]
    publish = {"status": "published", "category": "hills"}

    early = client.patch(f"{UPLOAD}/{asset_id}", json=publish, headers=bearer(artist))

    assert_error(early, 409, "cannot_publish")
    assert "still being processed" in early.json()["error"]
    assert processed(client, app, artist, asset_id)["processing_state"] == "ready"
    later = client.patch(f"{UPLOAD}/{asset_id}", json=publish, headers=bearer(artist))
    assert later.status_code == 200 and later.json()["asset"]["status"] == "published"


def test_a_nul_in_the_name_is_refused_before_anything_is_kept(
    client: TestClient, artist: str, app: FastAPI, db: Session
) -> None:
    data = samples.export(samples.hill(), "stl")

    for form in ({"name": "Hill\x00"}, {"description": "a\x00b"}, {"tags": "x\x00"}):
        assert_error(upload(client, artist, "hill.stl", data, **form), 400, "invalid_characters")

    assert leftovers(app) == [] and db.scalar(select(func.count()).select_from(Asset)) == 0


@pytest.fixture
def failing_commits(engine: Engine, db: Session) -> Iterator[None]:
    """A trigger that fails the commit of any new asset, as a database that went away would."""
    with engine.begin() as connection:
        connection.execute(
            text(
                "CREATE FUNCTION refuse_assets() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'refused' USING ERRCODE = '40001'; END $$"
            )
        )
        connection.execute(
            text(
                "CREATE CONSTRAINT TRIGGER refuse_assets AFTER INSERT ON assets "
                "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_assets()"
            )
        )
    yield
    db.rollback()  # the test's reads hold a lock the DROP needs
    with engine.begin() as connection:
        connection.execute(text("DROP TRIGGER refuse_assets ON assets"))
        connection.execute(text("DROP FUNCTION refuse_assets()"))


def test_a_failing_commit_leaves_no_file(
    client: TestClient, artist: str, app: FastAPI, db: Session, failing_commits: None
) -> None:
    response = upload(client, artist, "hill.stl", samples.export(samples.hill(), "stl"))

    assert_error(response, 503, "database_unavailable")
    assert leftovers(app) == [] and db.scalar(select(func.count()).select_from(Asset)) == 0


def test_a_child_over_its_wall_time_fails_the_asset_and_nothing_else(
    client: TestClient, artist: str, app: FastAPI
) -> None:
    good = upload(client, artist, "hill.stl", samples.export(samples.hill(), "stl"))
    good_asset = processed(client, app, artist, good.json()["asset"]["id"])
    files = leftovers(app)
    app.state.settings = Settings(
        database_url=app.state.settings.database_url,
        storage_dir=app.state.settings.storage_dir,
        processing_wall_seconds=0.05,
    )

    slow = upload(client, artist, "rock.stl", samples.export(samples.heavy(3), "stl"))
    asset = processed(client, app, artist, slow.json()["asset"]["id"])

    assert asset["processing_state"] == "failed"
    assert "longer than the 0.05 seconds" in asset["processing_error"]
    assert leftovers(app) == files  # the other asset's files, untouched
    again = client.get(f"{UPLOAD}/{good_asset['id']}", headers=bearer(artist)).json()["asset"]
    assert again == {**good_asset, "view_count": again["view_count"]}


def test_a_child_out_of_memory_fails_the_asset_with_a_reason(
    client: TestClient, artist: str, app: FastAPI
) -> None:
    app.state.settings = Settings(
        database_url=app.state.settings.database_url,
        storage_dir=app.state.settings.storage_dir,
        processing_memory_mb=256,
    )

    response = upload(client, artist, "rock.stl", samples.export(samples.heavy(3), "stl"))
    asset = processed(client, app, artist, response.json()["asset"]["id"])

    assert asset["processing_state"] == "failed"
    assert "256 MB of memory" in asset["processing_error"]
    assert leftovers(app) == []
