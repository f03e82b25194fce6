"""Syncing and signing in, as operations: which server and account, and the work itself.

The work (`sign_in`, `sync`) blocks on the network, so the window runs it in the background;
the CLI and tests call it directly. What it needs from the local store it reads here, before
the work starts, so the work can run on its own connection while the user keeps editing.
"""

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from terrain_desktop.app import preferences as prefs
from terrain_desktop.app import token_file
from terrain_desktop.app.preferences import Preferences
from terrain_desktop.store.local_store import LocalStore
from terrain_desktop.sync import account
from terrain_desktop.sync.client import ApiClient
from terrain_desktop.sync.engine import SESSION_KEY, Progress, SyncEngine, SyncReport
from terrain_protocol import auth
from terrain_protocol.plans import TablePlan, UserPlan

DEFAULT_SERVER = "http://127.0.0.1:8000"


class SignInNeeded(Exception):
    """An account is remembered here but its sign-in is not usable: nothing is sent (as an
    anonymous session it would push the account's tables to the wrong owner)."""

    def __init__(self) -> None:
        super().__init__(
            "Signed out — sign in to sync. Your changes wait on this computer; nothing is lost."
        )


def read_timeout() -> float:
    """Seconds to wait for an answer before a try counts as failed (`TERRAIN_SYNC_TIMEOUT`,
    default 15; connecting has 5): a hung server shows as offline after a few tries, never
    as a frozen window, since every call runs in the background anyway."""
    try:
        return max(0.1, float(os.environ.get("TERRAIN_SYNC_TIMEOUT", "15")))
    except ValueError:
        return 15.0


@dataclass(frozen=True)
class SyncResult:
    report: SyncReport
    refused_tables: list[str]
    #: The account's plan as the server has it now (None when not signed in).
    plan: UserPlan | None = None
    #: Changes the server did not accept, waiting for the user (Sync problems).
    not_accepted: int = 0

    def message(self) -> str:
        note = (
            f" Not synced: {', '.join(self.refused_tables)} (see Sync problems)."
            if self.refused_tables
            else ""
        )
        if self.not_accepted:
            n = self.not_accepted
            note += f" {n} change{'' if n == 1 else 's'} not accepted (see Sync problems)."
        return f"Synced: {self.report.pushed} change(s) sent.{note}"


class SyncOperation:
    def __init__(self, store: LocalStore) -> None:
        self.store = store
        self.preferences = Preferences(store)
        #: Tokens kept for this run only, where the system has no secure keyring.
        self._memory_tokens: dict[str, str] = {}

    # -- where and who -------------------------------------------------------------------------

    def server_url(self) -> str:
        return self.preferences.get(prefs.SERVER_URL) or os.environ.get(
            "TERRAIN_SERVER_URL", DEFAULT_SERVER
        )

    def set_server_url(self, url: str) -> None:
        if url.strip():
            self.preferences.set(prefs.SERVER_URL, url.strip().rstrip("/"))

    def server_chosen(self) -> bool:
        """Whether the user (or the environment) named a server: only then does sync run
        by itself; otherwise everything stays on this computer until Sync now."""
        return bool(self.preferences.get(prefs.SERVER_URL) or os.environ.get("TERRAIN_SERVER_URL"))

    def signed_in_user(self) -> str | None:
        return self.preferences.get(prefs.account(self.server_url()))

    def plan(self) -> TablePlan:
        """The plan whose table limit applies to tables made on this device now."""
        if self.signed_in_user() is None:
            return TablePlan.ANON_FREE
        user_plan = self.preferences.get(prefs.account_plan(self.server_url()))
        return TablePlan.PRO if user_plan == UserPlan.PRO else TablePlan.USER_FREE

    def signed_in_email(self) -> str | None:
        if self.signed_in_user() is None:
            return None
        return self.preferences.get(prefs.account_email(self.server_url()))

    def needs_sign_in(self) -> bool:
        """An account is remembered but this computer cannot use its sign-in any more (no
        keyring kept it, say): the user must sign in again before anything is sent."""
        return self.signed_in_user() is not None and self._token() is None

    def kept_in_memory(self) -> bool:
        """The sign-in lasts only until the app closes (no keyring, no file chosen)."""
        user = self.signed_in_user()
        return user is not None and user in self._memory_tokens

    def token(self) -> str | None:
        """The signed-in account's token (from the keyring), or None."""
        return self._token()

    def _token(self) -> str | None:
        user = self.signed_in_user()
        if user is None:
            return None
        url = self.server_url()
        return (
            self._memory_tokens.get(user)
            or account.load_token(url, user)
            or token_file.load(self.token_file(), f"{url}|{user}")
        )

    def token_file(self) -> Path:
        """Where tokens are kept when the user asks for a file instead of the keyring."""
        from terrain_desktop.app_data import data_dir

        return token_file.path(data_dir())

    def credentials(self) -> tuple[str, str | None]:
        """The server's address and the signed-in account's token (None: not signed in)."""
        return self.server_url(), self._token()

    def api_client(self, *, timeout: float = 15, retries: int = 1) -> ApiClient:
        """A client for the server, as the signed-in account or else the device's anonymous
        session (none before the first sync: public reads still work). Read the keyring here,
        on the caller's thread; the client itself may go to a worker."""
        token = self._token()
        session = None if token else self.store.get_meta(SESSION_KEY)
        return ApiClient(
            self.server_url(), token=token, session_id=session, timeout=timeout, retries=retries
        )

    # -- signing in and out --------------------------------------------------------------------

    def sign_in_work(
        self, email: str, password: str, *, register: bool = False
    ) -> Callable[[], account.SignedIn]:
        """The network part of signing in, to run in the background; then `signed_in`."""
        url, session = self.server_url(), self.store.get_meta(SESSION_KEY)

        def work() -> account.SignedIn:
            client = ApiClient(url, session_id=session, timeout=read_timeout(), retries=1)
            try:
                return account.sign_in(client, email, password, register=register)
            finally:
                client.close()

        return work

    def signed_in(self, result: account.SignedIn, *, keep_in_file: bool = False) -> str:
        """Keep the account (the token in the OS keyring); the message for the user. Where
        there is no keyring, `keep_in_file` keeps the token in a file only this user can
        read (`token_file`); otherwise it lasts until the app closes."""
        url = self.server_url()
        try:
            account.save_token(url, result.user_id, result.token)
            kept = ""
        except account.NoSecureStorage:
            if keep_in_file:
                token_file.save(self.token_file(), f"{url}|{result.user_id}", result.token)
                self._memory_tokens.pop(result.user_id, None)
                kept = (
                    " There is no keyring on this system: the sign-in is kept in "
                    f"{self.token_file()}, which only you can read."
                )
            else:
                self._memory_tokens[result.user_id] = result.token
                kept = (
                    " There is no secure keyring on this system, so you will be signed out "
                    "when you close the app."
                )
        self.preferences.set(prefs.account(url), result.user_id)
        self.preferences.set(prefs.account_email(url), result.email)
        self.preferences.set(prefs.account_plan(url), result.plan)
        moved = (
            f" {result.moved_tables} table(s) moved to your account." if result.moved_tables else ""
        )
        return f"Signed in as {result.email}.{moved}{kept}"

    def sign_out_work(self) -> Callable[[], None]:
        """Revoking the token on the server, to run in the background before `sign_out`
        forgets it (a server out of reach only means the token expires by itself)."""
        url, token = self.server_url(), self._token()

        def work() -> None:
            if token is not None:
                client = ApiClient(url, token=token, timeout=10, retries=0)
                try:
                    account.sign_out(client)
                finally:
                    client.close()

        return work

    def sign_out(self) -> bool:
        """Forget the account here: its token, and its tables (safe on the server). Call
        with nothing pending (sync first)."""
        user = self.signed_in_user()
        if user is None:
            return False
        account.forget_token(self.server_url(), user)
        token_file.forget(self.token_file(), f"{self.server_url()}|{user}")
        self._memory_tokens.pop(user, None)
        self.preferences.set(prefs.account(self.server_url()), None)
        account.leave_device(self.store, user)
        return True

    def keep_plan(self, plan: UserPlan | None) -> None:
        """Remember the account's plan as the last sync found it (after an upgrade, say)."""
        if plan is not None and self.signed_in_user() is not None:
            self.preferences.set(prefs.account_plan(self.server_url()), plan)

    # -- syncing -------------------------------------------------------------------------------

    def sync_work(
        self, progress: Callable[[Progress], None] | None = None
    ) -> Callable[[], SyncResult]:
        """Push this device's edits and pull the others': as the signed-in account, or else as
        an anonymous session made on first contact. Runs on its own store connection."""
        path, url = self.store.path, self.server_url()
        token = self._token()
        if token is None and self.signed_in_user() is not None:
            raise SignInNeeded
        user_id = self.signed_in_user() if token is not None else None
        return lambda: sync_store(path, url, token, user_id, progress)


def sync_store(
    path: Path,
    url: str,
    token: str | None,
    user_id: str | None,
    progress: Callable[[Progress], None] | None = None,
) -> SyncResult:
    store = LocalStore(path)
    client = ApiClient(url, token=token, timeout=read_timeout(), retries=2)
    try:
        report = SyncEngine(store, client, user_id=user_id, progress=progress).sync_once()
        refused = [t.name for t in store.tables() if t.sync_state == "rejected"]
        not_accepted = len(store.refusals())
        plan = (
            client.call("GET", "/api/auth/me", None, auth.MeResponse).user.plan if token else None
        )
        return SyncResult(report, refused, plan, not_accepted)
    finally:
        client.close()
        store.close()
