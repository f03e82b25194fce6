"""What an artist does with the server: the profile, uploads, and their own models.

No Qt: the window runs these calls in the background, tests call them directly. An upload
streams the file and can be cancelled while it is being sent: the file's reader stops the
request, the server never sees a whole body, and so nothing of it is kept there.
"""

import uuid
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from terrain_desktop.sync.client import ApiClient, UploadCancelled
from terrain_protocol.catalogue import (
    DEFAULT_LICENCE,
    ArtistOut,
    ArtistResponse,
    AssetListResponse,
    AssetOut,
    AssetResponse,
    AssetUpdate,
    BecomeArtistRequest,
    Licence,
    OwnModelOut,
    OwnModelsResponse,
    UnitsName,
    UploadResponse,
)

#: Upload bodies go out in pieces of this size, so a cancel is noticed within one piece.
CHUNK_BYTES = 256 * 1024


@dataclass(frozen=True)
class UploadDetails:
    """What the artist says about a model before it is sent."""

    name: str
    category: str
    tags: list[str] = field(default_factory=list)
    description: str = ""
    price: Decimal = Decimal("0.00")
    licence: Licence = DEFAULT_LICENCE
    units: UnitsName | None = None


class _CancellableReader:
    """A file read in pieces that reports progress and stops the upload when asked."""

    def __init__(
        self,
        handle: IO[bytes],
        total: int,
        report: Callable[[int, int], None] | None,
        cancelled: Callable[[], bool] | None,
    ) -> None:
        self.handle = handle
        self.total = total
        self.sent = 0
        self.report = report
        self.cancelled = cancelled

    def read(self, size: int = -1) -> bytes:
        if self.cancelled is not None and self.cancelled():
            raise UploadCancelled("the upload was cancelled while it was being sent")
        chunk = self.handle.read(CHUNK_BYTES if size < 0 else min(size, CHUNK_BYTES))
        self.sent += len(chunk)
        if self.report is not None:
            self.report(self.sent, self.total)
        return chunk


class ArtistClient:
    """The artist's calls over an `ApiClient` signed in as that artist."""

    def __init__(self, api: ApiClient) -> None:
        self.api = api

    def close(self) -> None:
        self.api.close()

    def become_artist(self, name: str, bio: str = "", link: str | None = None) -> ArtistOut:
        """Make the signed-in account an artist, or update the artist's profile."""
        request = BecomeArtistRequest(artist_name=name, artist_bio=bio, artist_url=link or None)
        made = self.api.call("POST", "/api/artists/me", request, ArtistResponse, idempotent=True)
        return made.artist  # repeatable: the profile is set to the same values

    def my_models(self) -> list[OwnModelOut]:
        return self.api.call("GET", "/api/artists/me/models", None, OwnModelsResponse).models

    def update(self, asset_id: uuid.UUID, update: AssetUpdate) -> AssetOut:
        """Change only the fields `update` sets (the server refuses null for most)."""
        body = update.model_dump(mode="json", exclude_unset=True)
        path = f"/api/library/assets/{asset_id}"
        answer = self.api.request("PATCH", path, body, idempotent=True)  # sets the same values
        return AssetResponse.model_validate(answer).asset

    def publish(self, asset_id: uuid.UUID) -> AssetOut:
        return self.update(asset_id, AssetUpdate(status="published"))

    def unpublish(self, asset_id: uuid.UUID) -> AssetOut:
        return self.update(asset_id, AssetUpdate(status="draft"))

    def search(self, text: str) -> AssetListResponse:
        """The public catalogue, as anyone searching it sees it."""
        import httpx  # here, not at start-up: see sync/client.py

        answer = self.api.request("GET", f"/api/library/assets?{httpx.QueryParams(q=text)}")
        return AssetListResponse.model_validate(answer)

    def upload(
        self,
        path: Path,
        details: UploadDetails,
        *,
        on_progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
        timeout: float = 600.0,
    ) -> UploadResponse:
        """Send the file and its details (202: the asset is `processing`); then set its
        price, which the upload form does not carry. `cancelled` returning True while the
        file is going out stops the request with `UploadCancelled`, leaving nothing behind."""
        total = path.stat().st_size
        fields = {
            "name": details.name,
            "category": details.category,
            "description": details.description,
            "units": details.units,
            "licence": details.licence,
            "tags": ",".join(details.tags),
        }

        def body(stack: ExitStack) -> dict[str, Any]:
            import httpx

            handle = stack.enter_context(path.open("rb"))
            reader = _CancellableReader(handle, total, on_progress, cancelled)
            return {
                "files": {"file": (path.name, reader, "application/octet-stream")},
                "data": {k: v for k, v in fields.items() if v},
                "timeout": httpx.Timeout(timeout, connect=5.0),
            }

        answer = UploadResponse.model_validate(
            # Repeatable: the server recognises the same file by its content hash.
            self.api.request("POST", "/api/library/assets", body=body, idempotent=True)
        )
        if details.price != answer.asset.base_price:
            priced = self.update(answer.asset.id, AssetUpdate(base_price=details.price))
            answer = answer.model_copy(update={"asset": priced})
        return answer

    def wait(
        self,
        asset_id: uuid.UUID,
        *,
        on_progress: Callable[[AssetOut], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
        poll_interval: float = 0.5,
    ) -> AssetOut:
        """Follow the server's processing until the asset is `ready` or `failed`."""
        return self.api.wait_for_processing(
            asset_id, on_progress=on_progress, cancelled=cancelled, poll_interval=poll_interval
        )
