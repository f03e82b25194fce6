"""What the sync indicator says, worked out without a window: the state, and its words.

A user should never have to think about syncing, but should always be able to see where it
stands: no server chosen, offline (edits kept), syncing, up to date, changes waiting, or an
error with the server's reason. The window's indicator shows a `SyncStatus`; the functions
here turn what happened (a finished round, a failure, the outbox count) into one.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from terrain_desktop.app import in_words
from terrain_desktop.sync.client import ApiUnavailable


class SyncState(StrEnum):
    NOT_CONNECTED = "not connected"
    OFFLINE = "offline"
    SYNCING = "syncing"
    UP_TO_DATE = "up to date"
    WAITING = "waiting"
    ERROR = "error"
    #: Changes the server refused wait for the user (Sync problems…).
    NOT_ACCEPTED = "not accepted"
    #: A remembered account with no usable sign-in here: nothing is sent until signing in.
    SIGNED_OUT = "signed out"


@dataclass(frozen=True)
class SyncStatus:
    state: SyncState
    #: Changes in the outbox, not yet on the server.
    pending: int = 0
    #: Why: the server's refusal, or why it could not be reached.
    reason: str = ""
    #: When the last round finished well.
    last_synced: datetime | None = None
    #: Changes (and tables) the server did not accept, not yet dealt with.
    refused: int = 0

    @property
    def text(self) -> str:
        """The few words the status bar shows."""
        changes = f"{self.pending} change{'' if self.pending == 1 else 's'}"
        match self.state:
            case SyncState.NOT_CONNECTED:
                return "Not syncing"
            case SyncState.OFFLINE:
                return f"Offline · {changes} waiting" if self.pending else "Offline"
            case SyncState.SYNCING:
                return "Syncing…"
            case SyncState.UP_TO_DATE:
                return "Up to date"
            case SyncState.WAITING:
                return f"{changes} waiting" if self.pending else "Not synced yet"
            case SyncState.ERROR:
                return f"Sync error: {self.reason}"
            case SyncState.NOT_ACCEPTED:
                n = self.refused
                return f"{n} change{'' if n == 1 else 's'} not accepted"
            case SyncState.SIGNED_OUT:
                return "Signed out — sign in to sync"

    @property
    def tooltip(self) -> str:
        """The longer story, on hover."""
        kept = "Your edits are kept on this computer and sync when it can."
        when = f" Last synced {self.last_synced:%H:%M:%S}." if self.last_synced else ""
        match self.state:
            case SyncState.NOT_CONNECTED:
                return "No server chosen (File → Server address…). Everything stays here."
            case SyncState.OFFLINE:
                return f"The server cannot be reached ({self.reason}). {kept}{when}"
            case SyncState.ERROR:
                return f"The last sync failed: {self.reason}. {kept}{when}"
            case SyncState.NOT_ACCEPTED:
                return (
                    "The server did not accept some changes. Click to see each, with its "
                    f"reason, and retry, keep or undo it.{when}"
                )
            case SyncState.SIGNED_OUT:
                return (
                    "This computer cannot use your sign-in any more (there is no keyring to "
                    f"keep it). Sign in again to sync: {self.pending} change(s) wait here, "
                    "nothing is lost."
                )
            case _:
                return f"{self.text}.{when}"


def settled(pending: int, last_synced: datetime | None, refused: int = 0) -> SyncStatus:
    """After a round that went through: changes not accepted (these first: they wait for the
    user), up to date, or changes made meanwhile waiting."""
    if refused:
        return SyncStatus(SyncState.NOT_ACCEPTED, pending, last_synced=last_synced, refused=refused)
    if pending:
        return SyncStatus(SyncState.WAITING, pending, last_synced=last_synced)
    return SyncStatus(SyncState.UP_TO_DATE, 0, last_synced=last_synced)


def failed(error: Exception, pending: int, last_synced: datetime | None) -> SyncStatus:
    """After a round that did not: offline when the server could not be reached (it comes
    back by itself), an error with the server's reason when it refused."""
    if isinstance(error, ApiUnavailable | OSError):
        return SyncStatus(SyncState.OFFLINE, pending, in_words.unreachable(error), last_synced)
    return SyncStatus(SyncState.ERROR, pending, _short(in_words.reason(error)), last_synced)


def _short(reason: str, limit: int = 120) -> str:
    return reason if len(reason) <= limit else reason[: limit - 1] + "…"
