"""Signing in from the desktop, and keeping the sign-in token in the OS keyring only.

Signing in (or registering) with the device's anonymous session moves that session's tables
to the account, as the server decides. The token never goes into the local store: it lives in
the system keyring; where there is none, only in memory until the app closes, and the caller
is told so.
"""

import contextlib
from dataclasses import dataclass

import keyring
from keyring.errors import KeyringError

from terrain_desktop.sync.client import ApiClient

KEYRING_SERVICE = "terrain-builder"


class NoSecureStorage(Exception):
    """There is no usable keyring: the token can be kept in memory only."""


@dataclass(frozen=True)
class SignedIn:
    token: str
    user_id: str
    email: str
    moved_tables: int
    left_in_session: int


def sign_in(client: ApiClient, email: str, password: str, *, register: bool = False) -> SignedIn:
    """Log in (or register); the client's anonymous session, if any, is claimed."""
    path = "/api/auth/register" if register else "/api/auth/login"
    body = client.request("POST", path, {"email": email, "password": password})
    return SignedIn(
        token=str(body["token"]),
        user_id=str(body["user"]["id"]),
        email=str(body["user"]["email"]),
        moved_tables=len(body.get("moved_table_ids", [])),
        left_in_session=len(body.get("tables_left_in_session", [])),
    )


def save_token(server_url: str, user_id: str, token: str) -> None:
    try:
        keyring.set_password(KEYRING_SERVICE, f"{server_url}|{user_id}", token)
    except KeyringError as error:
        raise NoSecureStorage(str(error)) from None


def load_token(server_url: str, user_id: str) -> str | None:
    try:
        return keyring.get_password(KEYRING_SERVICE, f"{server_url}|{user_id}")
    except KeyringError:
        return None


def forget_token(server_url: str, user_id: str) -> None:
    with contextlib.suppress(KeyringError):  # nothing stored is as good as forgotten
        keyring.delete_password(KEYRING_SERVICE, f"{server_url}|{user_id}")
