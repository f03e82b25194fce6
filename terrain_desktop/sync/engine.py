"""One round of sync: push what is pending, then pull what changed.

Works without an account: on first contact it makes an anonymous session and keeps its id in
the store. Progress is reported through a plain callback so any UI (or none) can follow it.
A mutation that can never go through (invalid under the protocol, or one the server refuses
with its whole push) is refused on its own, so it never holds back the edits after it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from terrain_desktop.store import sync_state
from terrain_desktop.store.local_store import LocalStore
from terrain_desktop.sync.client import ApiClient, ApiRefused
from terrain_protocol.sync import MAX_PUSH_MUTATIONS

SESSION_KEY = "anonymous_session_id"
SESSION_GONE = {"session_invalid", "session_expired", "session_claimed"}
#: Statuses that refuse a push for what it carries (not who sends it, nor when).
WHOLE_PUSH_REFUSALS = {400, 413, 422}


@dataclass(frozen=True)
class Progress:
    stage: str  # "push" or "pull"
    done: int
    total: int


@dataclass(frozen=True)
class _Pushed:
    rejected: int
    needs_reset: bool
    kept_back: bool


@dataclass(frozen=True)
class SyncReport:
    pushed: int
    rejected: int
    pulled_tables: int
    cursor: int


class SyncEngine:
    def __init__(
        self,
        store: LocalStore,
        client: ApiClient,
        *,
        user_id: str | None = None,
        progress: Callable[[Progress], None] | None = None,
        batch_size: int = MAX_PUSH_MUTATIONS,
    ) -> None:
        """`user_id` names the signed-in account (its token is in `client`); None: anonymous."""
        self.store = store
        self.client = client
        self.user_id = user_id
        self.progress = progress or (lambda _: None)
        self.batch_size = batch_size

    @property
    def owner(self) -> str:
        if self.user_id:
            return f"user:{self.user_id}"
        return f"session:{self.client.session_id}"

    def _ensure_identity(self) -> None:
        if self.client.token:
            return
        self.client.session_id = self.client.session_id or self.store.get_meta(SESSION_KEY)
        if not self.client.session_id:
            self.client.session_id = self.client.create_session()
            self.store.set_meta(SESSION_KEY, self.client.session_id)

    def sync_once(self) -> SyncReport:
        self._ensure_identity()
        try:
            return self._round()
        except ApiRefused as refusal:
            if self.client.token or refusal.code not in SESSION_GONE:
                raise
            # The anonymous session is gone: start a new one; the local tables go up again.
            self.client.session_id = self.client.create_session()
            self.store.set_meta(SESSION_KEY, self.client.session_id)
            self.store.requeue_all()
            return self._round()

    def _round(self) -> SyncReport:
        pushed = rejected = after = 0
        needs_reset = False
        total = self.store.pending_count()
        while batch := sync_state.next_batch(self.store, after, self.batch_size):
            after = batch[-1].mutation_id
            outcome = self._push(batch)
            needs_reset |= outcome.needs_reset
            pushed += len(batch)
            rejected += outcome.rejected
            self.progress(Progress("push", min(pushed, total), total))
            if outcome.kept_back:
                break  # the server kept some back; try again next round
        cursor = 0 if needs_reset else sync_state.cursor(self.store, self.owner)
        self.progress(Progress("pull", 0, 1))
        # Unless starting afresh, this device holds what it pushed: not downloaded again.
        changes = self.client.pull(self.store.client_id, cursor, keeps_copy=not needs_reset)
        if changes.reset_required:
            needs_reset = True
            changes = self.client.pull(self.store.client_id, 0)
        sync_state.acknowledge(self.store, changes.last_mutation_id, changes.rejections)
        # Only a reset replaces the local copy wholesale; a first pull for a new owner (after
        # signing in) merges, so tables that stayed with the old session are not dropped here.
        sync_state.apply_pull(self.store, self.owner, changes, full=needs_reset)
        self.progress(Progress("pull", 1, 1))
        return SyncReport(pushed, rejected, len(changes.tables), changes.cursor)

    def _push(self, batch: list[sync_state.Queued]) -> _Pushed:
        """Push `batch`. When the server refuses a push as a whole (too large, or a mutation
        it cannot read), halve it until the one mutation it refuses is found, and refuse that
        one here: the edits after it still go up, and the same batch is not sent forever."""
        try:
            answer = self.client.push(self.store.client_id, [q.body for q in batch])
        except ApiRefused as refusal:
            if refusal.status not in WHOLE_PUSH_REFUSALS:
                raise
            if len(batch) == 1:
                rejection = sync_state.rejection(batch[0], refusal.code, refusal.message)
                return _Pushed(1, sync_state.refuse(self.store, [rejection]), kept_back=False)
            half = len(batch) // 2
            first = self._push(batch[:half])
            if first.kept_back:
                return first
            second = self._push(batch[half:])
            return _Pushed(
                first.rejected + second.rejected,
                first.needs_reset or second.needs_reset,
                second.kept_back,
            )
        needs_reset = sync_state.acknowledge(self.store, answer.last_mutation_id, answer.rejections)
        kept_back = answer.last_mutation_id < batch[-1].mutation_id
        return _Pushed(len(answer.rejections), needs_reset, kept_back)
