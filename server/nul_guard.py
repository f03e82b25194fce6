"""PostgreSQL cannot store NUL characters in text or JSON: refuse them at the door.

A NUL in the path, the query string or a JSON body gets a 400 before any route runs, so such
input never reaches the database (where it would fail as an internal error).

Except in the body of a sync push: it carries thousands of a device's edits, and refusing all
of them for one bad name would leave that device unable to sync ever again. Its reader
refuses the mutation holding such text by itself (`terrain_protocol.sync`, `invalid_characters`)
and applies the others.
"""

from starlette.types import Receive, Scope, Send

from server.asgi import HttpMiddleware, read_body, replaying
from server.errors import error_response
from terrain_protocol.errors import ErrorCode

MESSAGE = "Text may not contain NUL characters."
#: Bodies whose reader refuses unstorable text item by item.
CHECKED_PER_ITEM = frozenset({"/api/sync/push"})


def _has_nul(raw: bytes) -> bool:
    return b"\x00" in raw or b"%00" in raw.lower()


class NulGuard(HttpMiddleware):
    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        if _has_nul(scope.get("raw_path") or b"") or _has_nul(scope.get("query_string", b"")):
            await self._refuse(scope, receive, send)
            return
        headers = dict(scope["headers"])
        content_type = headers.get(b"content-type", b"").lower()
        if b"json" not in content_type or scope["path"] in CHECKED_PER_ITEM:
            await self.app(scope, receive, send)
            return
        body = await read_body(receive)  # JSON bodies are small: the size limit outside bounds them
        if b"\x00" in body or b"\\u0000" in body.lower():
            await self._refuse(scope, receive, send)
            return
        await self.app(scope, replaying(body, receive), send)

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send) -> None:
        response = error_response(400, ErrorCode.INVALID_CHARACTERS, MESSAGE)
        await response(scope, receive, send)


__all__ = ["NulGuard"]
