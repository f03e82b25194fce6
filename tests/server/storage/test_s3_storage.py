"""Uploads and downloads through the S3 storage backend, against a local S3 server (moto)."""

from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from server.app import create_app
from server.clock import ManualClock
from server.s3_storage import S3Storage
from server.settings import Settings
from tests.meshes import samples
from tests.server.api.test_asset_uploads import upload
from tests.server.api.test_auth import assert_error
from tests.server.factories import bearer, register_artist
from tests.server.processing import processed


def s3_settings(settings: Settings, bucket_url: str, tmp_path: Path, **extra: object) -> Settings:
    return Settings(
        database_url=settings.database_url,
        storage_url=bucket_url,
        storage_cache_dir=str(tmp_path / "cache"),
        **extra,  # type: ignore[arg-type]
    )


@pytest.fixture
def s3_app(
    settings: Settings, s3_bucket: str, tmp_path: Path, clock: ManualClock, clean_database: None
) -> FastAPI:
    return create_app(s3_settings(settings, s3_bucket, tmp_path / "api"), clock)


@pytest.fixture
def s3_client(s3_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(s3_app, raise_server_exceptions=False) as client:
        yield client


def bucket_keys(bucket_url: str, endpoint: str) -> list[str]:
    name = bucket_url.removeprefix("s3://").split("/")[0]
    listing = boto3.client("s3", endpoint_url=endpoint).list_objects_v2(Bucket=name)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def test_an_upload_lands_in_the_bucket_under_content_addressed_keys(
    s3_app: FastAPI, s3_client: TestClient, s3_bucket: str, s3_endpoint: str, db: Session
) -> None:
    assert isinstance(s3_app.state.storage, S3Storage)
    artist = register_artist(s3_client, db)["token"]
    data = samples.export(samples.hill(), "stl")

    first = upload(s3_client, artist, "hill.stl", data)
    asset = processed(s3_client, s3_app, artist, first.json()["asset"]["id"])
    keys = bucket_keys(s3_bucket, s3_endpoint)
    again = upload(s3_client, artist, "hill-copy.stl", data)

    assert first.status_code == 202, first.text
    assert asset["processing_state"] == "ready"
    assert again.status_code == 200 and again.json()["deduplicated"] is True
    assert bucket_keys(s3_bucket, s3_endpoint) == keys  # the same content is stored once
    assert {key.split("/")[1] for key in keys} == {"originals", "tiers", "thumbnails", "views"}
    assert all(key.startswith("files/") for key in keys)  # the URL's prefix
    thumb = s3_client.get(asset["thumbnail_url"], headers=bearer(artist))
    assert thumb.status_code == 200 and thumb.content.startswith(b"\x89PNG")


def test_files_are_served_by_another_process_with_an_empty_cache(
    s3_app: FastAPI,
    s3_client: TestClient,
    settings: Settings,
    s3_bucket: str,
    tmp_path: Path,
    clock: ManualClock,
    db: Session,
) -> None:
    artist = register_artist(s3_client, db)["token"]
    uploaded = upload(s3_client, artist, "hill.stl", samples.export(samples.hill(), "stl")).json()
    asset = {"asset": processed(s3_client, s3_app, artist, uploaded["asset"]["id"])}
    other = create_app(s3_settings(settings, s3_bucket, tmp_path / "elsewhere"), clock)

    with TestClient(other, raise_server_exceptions=False) as elsewhere:
        glb = elsewhere.get(asset["asset"]["display_url"], headers=bearer(artist))

    assert glb.status_code == 200 and glb.content[:4] == b"glTF"
    original = s3_client.get(asset["asset"]["display_url"], headers=bearer(artist))
    assert glb.content == original.content


def test_the_upload_limit_holds_and_nothing_reaches_the_bucket(
    settings: Settings,
    s3_bucket: str,
    s3_endpoint: str,
    tmp_path: Path,
    clock: ManualClock,
    db: Session,
) -> None:
    app = create_app(s3_settings(settings, s3_bucket, tmp_path, max_upload_bytes=20_000), clock)
    with TestClient(app, raise_server_exceptions=False) as client:
        artist = register_artist(client, db)["token"]
        big = samples.export(samples.heavy(4), "stl")  # 256 KB, over 20 KB

        response = upload(client, artist, "rock.stl", big)

    assert_error(response, 413, "payload_too_large")
    assert bucket_keys(s3_bucket, s3_endpoint) == []


def test_keys_that_could_climb_out_are_refused(s3_bucket: str, tmp_path: Path) -> None:
    storage = S3Storage.from_url(s3_bucket, tmp_path)
    for key in ("../etc/passwd", "/absolute", "originals/../../x", "Originals/UPPER"):
        with pytest.raises(ValueError, match="invalid storage key"):
            storage.exists(key)
