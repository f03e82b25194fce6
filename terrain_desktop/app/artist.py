"""Being an artist from the desktop: the profile, uploads and "My models", as operations.

The network calls block, so the window runs them in the background. What they need from the
window's world (which server, whose token) is read here on the calling thread, before the
work starts; the work makes its own client and closes it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from terrain_desktop.app.syncing import SyncOperation
from terrain_desktop.sync.artist_client import ArtistClient, UploadDetails
from terrain_desktop.sync.client import ApiClient
from terrain_protocol.catalogue import AssetOut

T = TypeVar("T")


class NotSignedIn(Exception):
    """Artists' calls need an account: the user should sign in first."""


@dataclass(frozen=True)
class Sending:
    """Progress of an upload's file going out (then `AssetOut`s while the server works)."""

    sent: int
    total: int


UploadWork = Callable[[Callable[[object], None], Callable[[], bool]], AssetOut]


class ArtistOperation:
    def __init__(self, sync: SyncOperation) -> None:
        self.sync = sync

    def signed_in(self) -> bool:
        return self.sync.token() is not None

    def connect(self) -> Callable[[], ArtistClient]:
        """What makes a client of the signed-in account, on any thread: the server and the
        token are read now, on the calling thread (raises `NotSignedIn` when there is none)."""
        url, token = self.sync.server_url(), self.sync.token()
        if token is None:
            raise NotSignedIn("Sign in first (File → Sign in…): uploads belong to an account.")
        return lambda: ArtistClient(ApiClient(url, token=token, timeout=30, retries=2))

    def work(self, call: Callable[[ArtistClient], T]) -> Callable[[], T]:
        """`call` as background work with a client of the signed-in account, closed after."""
        make_client = self.connect()

        def run() -> T:
            client = make_client()
            try:
                return call(client)
            finally:
                client.close()

        return run

    def upload_work(self, path: Path, details: UploadDetails) -> UploadWork:
        """Send a model, then follow the server's processing until it is ready or failed.

        The work takes `report` (given `Sending`, then the asset as the server has it) and
        `cancelled` (True stops it: a file still going out leaves nothing on the server).
        Raises `NotSignedIn` now, on the calling thread, when there is no account."""
        make_client = self.connect()

        def run(report: Callable[[object], None], cancelled: Callable[[], bool]) -> AssetOut:
            client = make_client()
            try:
                answer = client.upload(
                    path,
                    details,
                    on_progress=lambda sent, total: report(Sending(sent, total)),
                    cancelled=cancelled,
                )
                report(answer.asset)
                return client.wait(answer.asset.id, on_progress=report, cancelled=cancelled)
            finally:
                client.close()

        return run
