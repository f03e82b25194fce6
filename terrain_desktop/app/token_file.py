"""Sign-in tokens in a file only this user can read, for computers without a system keyring.

The keyring stays the first choice. Where there is none (a server, a minimal desktop, CI), a
user who asks for it keeps the token here instead of signing in again at every start: one JSON
object of `server|user` -> token, written whole to a new file made with mode 0600 and moved
into place, so no other user can read it and a crash never leaves half a file.
"""

import contextlib
import json
import os
from pathlib import Path

FILE_NAME = "sign-in-tokens.json"


def path(folder: Path) -> Path:
    return folder / FILE_NAME


def _read(file: Path) -> dict[str, str]:
    try:
        data = json.loads(file.read_text())
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _write(file: Path, tokens: dict[str, str]) -> None:
    file.parent.mkdir(parents=True, exist_ok=True)
    if not tokens:
        with contextlib.suppress(FileNotFoundError):
            file.unlink()
        return
    partial = file.with_name(file.name + ".partial")
    with contextlib.suppress(FileNotFoundError):
        partial.unlink()
    handle = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(handle, "w") as out:
        json.dump(tokens, out)
    os.replace(partial, file)


def save(file: Path, key: str, token: str) -> None:
    tokens = _read(file)
    tokens[key] = token
    _write(file, tokens)


def load(file: Path, key: str) -> str | None:
    return _read(file).get(key)


def forget(file: Path, key: str) -> None:
    tokens = _read(file)
    if tokens.pop(key, None) is not None:
        _write(file, tokens)
