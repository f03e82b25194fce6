"""Signing in from the desktop, and keeping the sign-in token in the OS keyring only.

Signing in (or registering) with the device's anonymous session moves that session's tables
to the account, as the server decides. The token never goes into the local store: it lives in
the system keyring; where there is none, only in memory until the app closes, and the caller
is told so.
"""

import contextlib
from dataclasses import dataclass

from pydantic import ValidationError

from terrain_desktop.store import sync_state
from terrain_desktop.store.local_store import LocalStore
from terrain_desktop.sync.client import ApiClient
from terrain_desktop.sync.engine import SESSION_KEY
from terrain_protocol import auth
from terrain_protocol.plans import UserPlan

KEYRING_SERVICE = "terrain-builder"


class NoSecureStorage(Exception):
    """There is no usable keyring: the token can be kept in memory only."""


class BadCredentials(ValueError):
    """What was typed cannot be sent (e.g. a password shorter than the server accepts)."""


@dataclass(frozen=True)
class SignedIn:
    token: str
    user_id: str
    email: str
    plan: UserPlan
    moved_tables: int
    left_in_session: int


def sign_in(client: ApiClient, email: str, password: str, *, register: bool = False) -> SignedIn:
    """Log in (or register); the client's anonymous session, if any, is claimed."""
    try:
        if register:
            answer = client.register(auth.RegisterRequest(email=email, password=password))
        else:
            answer = client.login(auth.LoginRequest(email=email, password=password))
    except ValidationError as error:
        first = error.errors()[0]
        raise BadCredentials(f"{first['loc'][-1]}: {first['msg']}") from None
    return SignedIn(
        token=answer.token,
        user_id=str(answer.user.id),
        email=answer.user.email,
        plan=answer.user.plan,
        moved_tables=len(answer.moved_table_ids),
        left_in_session=len(answer.tables_left_in_session),
    )


# keyring is imported where a token is read or written, not with the window: its import looks
# its back-ends up through every installed package's metadata (a tenth of a second or more).


def save_token(server_url: str, user_id: str, token: str) -> None:
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(KEYRING_SERVICE, f"{server_url}|{user_id}", token)
    except KeyringError as error:
        raise NoSecureStorage(str(error)) from None


def load_token(server_url: str, user_id: str) -> str | None:
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(KEYRING_SERVICE, f"{server_url}|{user_id}")
    except KeyringError:
        return None


def forget_token(server_url: str, user_id: str) -> None:
    import keyring
    from keyring.errors import KeyringError

    with contextlib.suppress(KeyringError):  # nothing stored is as good as forgotten
        keyring.delete_password(KEYRING_SERVICE, f"{server_url}|{user_id}")


def sign_out(client: ApiClient) -> None:
    """Revoke the token on the server (it stops working at once, wherever it was copied)."""
    client.request("POST", "/api/auth/logout", idempotent=True)  # revoking twice is once


def leave_device(store: LocalStore, user_id: str) -> None:
    """After signing out, the account's tables leave this computer: they are safe on the
    server and come back at the next sign-in. The next sync starts a new anonymous session
    holding nothing of the account's (the old session belongs to the account now). Call
    only with nothing pending, or those edits would go to the new session."""
    sync_state.forget_server_state(store)
    store.set_meta(sync_state.CURSOR_KEY.format(owner=f"user:{user_id}"), None)
    store.set_meta(SESSION_KEY, None)
