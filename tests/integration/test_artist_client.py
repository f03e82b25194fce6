"""`ArtistClient` against the real server on loopback: the profile, an upload with its price,
My models, and a cancel while the file is going out (the server keeps nothing)."""

import subprocess
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from server.settings import Settings
from terrain_desktop.sync.artist_client import CHUNK_BYTES, ArtistClient, UploadDetails
from terrain_desktop.sync.client import ApiClient, ApiRefused, UploadCancelled
from terrain_protocol.catalogue import AssetUpdate
from tests.integration.conftest import LiveServer, register
from tests.integration.test_uploads import worker  # noqa: F401 (the worker fixture)
from tests.shared_testdata import openforge, openforge_kit


@pytest.fixture
def client(live: LiveServer) -> ArtistClient:
    token, _ = register(live.url)
    return ArtistClient(ApiClient(live.url, token=token))


def test_a_customer_becomes_an_artist_uploads_and_lists_the_model(
    client: ArtistClient,
    worker: subprocess.Popen[bytes],  # noqa: F811
) -> None:
    with pytest.raises(ApiRefused) as refused:
        client.my_models()
    assert refused.value.code == "artist_required"

    profile = client.become_artist("Ruin Works", "Broken walls", "https://ruins.example.com")
    answer = client.upload(
        openforge("of_smooth_curved_3x3.stl"),
        UploadDetails(
            name="Curved floor",
            category="tiles",
            tags=["floor"],
            price=Decimal("1.25"),
            licence="cc0-1.0",
        ),
    )
    asset = client.wait(answer.asset.id, poll_interval=0.1)

    assert profile.artist_name == "Ruin Works" and profile.artist_url == "https://ruins.example.com"
    assert answer.asset.base_price == Decimal("1.25")  # set right after the upload
    assert asset.processing_state == "ready" and asset.category == "tiles"
    assert asset.licence == "cc0-1.0"
    [mine] = client.my_models()
    assert (mine.id, mine.status, mine.paid_sales) == (asset.id, "draft", 0)
    assert client.publish(asset.id).status == "published"
    assert [a.name for a in client.search("curved floor").assets] == ["Curved floor"]
    renamed = client.update(asset.id, AssetUpdate(name="Curved flagstones"))
    assert renamed.name == "Curved flagstones" and renamed.base_price == Decimal("1.25")
    assert client.unpublish(asset.id).status == "draft"
    assert client.search("curved").total == 0
    client.close()


def test_a_cancel_while_sending_stops_the_request_and_the_server_keeps_nothing(
    client: ArtistClient, settings: Settings, live: LiveServer, tmp_path: Path
) -> None:
    client.become_artist("Second Thoughts")
    path = tmp_path / "wall.stl"
    path.write_bytes(openforge_kit("tudor_wall_1x1.stl").read_bytes())
    sent: list[int] = []

    with pytest.raises(UploadCancelled):
        client.upload(
            path,
            UploadDetails(name="Wall", category="walls"),
            on_progress=lambda n, _: sent.append(n),
            cancelled=lambda: len(sent) >= 2,  # after two pieces of the file
        )

    assert len(sent) == 2 and 0 < sent[-1] <= 2 * CHUNK_BYTES < path.stat().st_size
    assert client.my_models() == []
    stored = [
        p for p in Path(settings.storage_dir).rglob("*") if p.is_file() and "tmp" not in p.parts
    ]
    assert stored == []
    assert httpx.get(f"{live.url}/health").status_code == 200  # the server carries on
    client.close()
