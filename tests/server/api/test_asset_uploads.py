"""Artists' uploads through HTTP with real files and real storage: formats, units,
deduplication, and hostile input that must be refused with nothing stored.

An upload answers 202 with the asset `processing`; `processed` runs the real worker (each job
in its sandboxed child process) and returns the asset as it then is."""

import io
from collections.abc import Iterator
from typing import Any

import pytest
import trimesh
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.db.models import Asset
from server.settings import Settings
from tests.meshes import samples
from tests.server.api.test_auth import assert_error
from tests.server.factories import bearer, register, register_artist
from tests.server.processing import processed

UPLOAD = "/api/library/assets"


def upload(client: TestClient, token: str, name: str, data: bytes, **form: str) -> Any:
    return client.post(
        UPLOAD,
        files={"file": (name, data, "application/octet-stream")},
        data=form,
        headers=bearer(token),
    )


def stored(app: FastAPI) -> list[str]:
    keys: list[str] = app.state.storage.keys()
    return keys


def asset_count(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(Asset)) or 0


@pytest.fixture
def artist(client: TestClient, db: Session) -> str:
    token: str = register_artist(client, db)["token"]
    return token


@pytest.mark.parametrize("kind", ["stl", "stl_ascii", "obj", "ply", "3mf", "glb"])
def test_each_format_becomes_a_draft_asset_with_files(
    client: TestClient, artist: str, app: FastAPI, kind: str
) -> None:
    suffix = "stl" if kind == "stl_ascii" else kind
    response = upload(
        client,
        artist,
        f"rolling_hill.{suffix}",
        samples.export(samples.hill(), kind),
        category="hills",
        tags="hill, Grass",
    )

    assert response.status_code == 202, response.text
    body = response.json()
    assert body["asset"]["processing_state"] == "processing"
    assert body["asset"]["thumbnail_url"] is None and body["asset"]["dimensions_mm"] is None
    assert (body["units_used"], body["units_detected"], body["deduplicated"]) == (None, True, False)
    asset = processed(client, app, artist, body["asset"]["id"])
    assert asset["processing_state"] == "ready", asset["processing_error"]
    assert asset["name"] == "rolling hill" and asset["status"] == "draft"
    assert asset["tags"] == ["hill", "grass"] and asset["category"] == "hills"
    assert asset["dimensions_mm"] == pytest.approx({"x": 60, "y": 60, "z": 25}, abs=0.5)
    assert asset["poly_count"] == len(samples.hill().faces)
    assert asset["source_units"] == "mm"
    kinds = {key.split("/")[0] for key in stored(app)}
    assert kinds == {"originals", "tiers", "thumbnails", "views"}
    thumb = client.get(asset["thumbnail_url"], headers=bearer(artist))
    assert thumb.status_code == 200 and thumb.content.startswith(b"\x89PNG")
    glb = client.get(asset["display_url"], headers=bearer(artist))
    assert glb.status_code == 200 and glb.content[:4] == b"glTF"


def test_inch_scaled_stl_is_recorded_in_millimetres(
    client: TestClient, artist: str, app: FastAPI
) -> None:
    inches = samples.scaled(samples.hill(), 1 / 25.4)

    response = upload(client, artist, "hill.stl", samples.export(inches, "stl"))

    assert response.json()["units_detected"] is True
    asset = processed(client, app, artist, response.json()["asset"]["id"])
    assert asset["source_units"] == "inch"
    assert asset["dimensions_mm"] == pytest.approx({"x": 60, "y": 60, "z": 25}, abs=0.5)


def test_stated_units_are_used(client: TestClient, artist: str, app: FastAPI) -> None:
    small = samples.scaled(samples.hill(), 0.1)

    response = upload(client, artist, "hill.stl", samples.export(small, "stl"), units="cm")

    body = response.json()
    assert (body["units_used"], body["units_detected"]) == ("cm", False)
    asset = processed(client, app, artist, body["asset"]["id"])
    assert asset["source_units"] == "cm" and asset["dimensions_mm"]["x"] == pytest.approx(
        60, abs=0.5
    )


def test_heavy_models_get_a_lighter_display_mesh(
    client: TestClient, artist: str, app: FastAPI
) -> None:
    app.state.settings = Settings(
        database_url=app.state.settings.database_url,
        storage_dir=app.state.settings.storage_dir,
        display_max_triangles=5_000,
    )

    response = upload(client, artist, "rock.stl", samples.export(samples.heavy(5), "stl"))

    assert response.status_code == 202, response.text
    asset = processed(client, app, artist, response.json()["asset"]["id"])
    assert asset["poly_count"] == 20_480
    assert asset["tiers"][0]["triangles"] == 20_480  # the whole mesh, then...
    assert all(t["triangles"] <= 5_000 for t in asset["tiers"][1:])  # ...the ladder under it
    glb = client.get(asset["display_url"], headers=bearer(artist)).content
    light = trimesh.load(io.BytesIO(glb), file_type="glb", force="mesh")
    assert 4_000 <= len(light.faces) <= 5_000


def test_the_same_file_twice_is_stored_once(
    client: TestClient, artist: str, app: FastAPI, db: Session
) -> None:
    data = samples.export(samples.hill(), "stl")
    first = upload(client, artist, "hill.stl", data)
    processed(client, app, artist, first.json()["asset"]["id"])
    files = stored(app)

    second = upload(client, artist, "hill-again.stl", data)

    assert second.status_code == 200
    assert second.json()["deduplicated"] is True
    assert second.json()["asset"]["id"] == first.json()["asset"]["id"]
    assert stored(app) == files and asset_count(db) == 1
    # Another artist uploading the same file gets an asset of their own, sharing the files.
    other = register_artist(client, db)["token"]
    third = upload(client, other, "hill.stl", data)
    assert third.status_code == 202 and third.json()["asset"]["id"] != first.json()["asset"]["id"]
    assert processed(client, app, other, third.json()["asset"]["id"])["processing_state"] == "ready"
    assert stored(app) == files and asset_count(db) == 2


@pytest.mark.parametrize(
    ("name", "data", "status", "code"),
    [
        ("empty.stl", b"", 422, "empty_mesh"),
        ("nothing.stl", samples.empty_stl(), 422, "empty_mesh"),
        ("notes.stl", b"not a mesh at all, just words " * 20, 422, "invalid_mesh"),
        ("model.glb", b"glTF" + b"\xff" * 200, 422, "invalid_mesh"),
        ("hill.exe", b"MZ\x90\x00", 415, "unsupported_file_type"),
        ("../../etc/passwd.stl", samples.export(samples.hill(), "stl"), 400, "invalid_filename"),
        ("..\\hill.stl", samples.export(samples.hill(), "stl"), 400, "invalid_filename"),
        (".hidden.stl", samples.export(samples.hill(), "stl"), 400, "invalid_filename"),
    ],
)
def test_hostile_files_are_refused_and_nothing_is_stored(
    client: TestClient,
    artist: str,
    app: FastAPI,
    db: Session,
    name: str,
    data: bytes,
    status: int,
    code: str,
) -> None:
    response = upload(client, artist, name, data)

    assert_error(response, status, code)
    assert stored(app) == [] and asset_count(db) == 0


def test_too_many_triangles_is_refused(
    client: TestClient, artist: str, app: FastAPI, db: Session
) -> None:
    app.state.settings = Settings(
        database_url=app.state.settings.database_url,
        storage_dir=app.state.settings.storage_dir,
        max_upload_triangles=1_000,
    )

    response = upload(client, artist, "rock.stl", samples.export(samples.heavy(4), "stl"))

    assert_error(response, 413, "mesh_too_large")
    assert stored(app) == [] and asset_count(db) == 0


@pytest.fixture
def small_limit(app: FastAPI) -> None:
    app.state.settings = Settings(
        database_url=app.state.settings.database_url,
        storage_dir=app.state.settings.storage_dir,
        max_upload_bytes=20_000,
    )


def test_over_the_size_limit_is_413(
    client: TestClient, artist: str, app: FastAPI, db: Session, small_limit: None
) -> None:
    big = samples.export(samples.heavy(4), "stl")  # 5,120 triangles: 256 KB, over 20 KB

    response = upload(client, artist, "rock.stl", big)

    assert_error(response, 413, "payload_too_large")
    assert stored(app) == [] and asset_count(db) == 0


def test_oversized_body_without_content_length_is_cut_off(
    client: TestClient, artist: str, app: FastAPI, db: Session, small_limit: None
) -> None:
    boundary = "terrainboundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.stl"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()

    def chunks() -> Iterator[bytes]:  # streamed, so no Content-Length is sent
        yield head
        for _ in range(3 * 1024):
            yield b"\0" * 1024
        yield f"\r\n--{boundary}--\r\n".encode()

    response = client.post(
        UPLOAD,
        content=chunks(),
        headers={**bearer(artist), "Content-Type": f"multipart/form-data; boundary={boundary}"},
    )

    assert_error(response, 413, "payload_too_large")
    assert stored(app) == [] and asset_count(db) == 0


def test_only_artists_upload(client: TestClient, db: Session) -> None:
    customer = register(client)["token"]
    data = samples.export(samples.hill(), "stl")

    assert_error(upload(client, customer, "hill.stl", data), 403, "artist_required")
    anonymous = client.post(UPLOAD, files={"file": ("hill.stl", data)})
    assert_error(anonymous, 401, "auth_required")
    assert asset_count(db) == 0


def test_missing_file_field_is_a_clear_422(client: TestClient, artist: str) -> None:
    response = client.post(UPLOAD, data={"name": "no file"}, headers=bearer(artist))

    assert_error(response, 422, "validation_error")
    assert "body.file" in [d["path"] for d in response.json()["details"]]


def test_json_bodies_are_bounded(client: TestClient) -> None:
    response = client.post(
        "/api/auth/register",
        content=b"{" + b" " * (3 * 1024 * 1024) + b"}",
        headers={"Content-Type": "application/json"},
    )

    assert_error(response, 413, "payload_too_large")


def test_oversized_json_without_content_length_is_cut_off(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"email": "a@example.com", "password": "'
        for _ in range(3 * 1024):
            yield b"x" * 1024
        yield b'"}'

    response = client.post(
        "/api/auth/register", content=chunks(), headers={"Content-Type": "application/json"}
    )

    assert_error(response, 413, "payload_too_large")
