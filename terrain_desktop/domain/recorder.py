"""What the domain needs from persistence, declared here and implemented by the store.

As Sweet Home 3D's `HomeRecorder` is declared in its model and implemented in its I/O layer,
the domain states the few things it asks of storage, and never imports the store.
"""

from typing import Any, Protocol

from terrain_desktop.domain.piece import Batch, Piece
from terrain_desktop.domain.table import LocalTable


class Recorder(Protocol):
    def table(self, table_id: str) -> LocalTable | None: ...

    def pieces(self, table_id: str) -> list[Piece]: ...

    def record_pieces(self, table_id: str, batch: Batch) -> None:
        """Save a batch in one transaction, queueing one sync mutation per piece that holds
        only what changed."""
        ...

    def update_table(self, table_id: str, **fields: Any) -> None: ...
