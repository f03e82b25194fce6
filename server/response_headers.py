"""Headers every response carries, and the one responses carrying credentials add.

`nosniff` stops a browser from reading a JSON (or uploaded) body as something executable;
`no-store` keeps tokens, session ids and a caller's own data (orders, tables, owned assets)
out of browser and proxy caches.
"""

from fastapi import Response
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import Message, Receive, Scope, Send

from server.asgi import HttpMiddleware

#: Request headers that make an answer the caller's own: a bearer token or an anonymous session.
CREDENTIAL_HEADERS = ("authorization", "x-session-id")


class NoSniff(HttpMiddleware):
    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:

        async def send_with_header(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).setdefault("X-Content-Type-Options", "nosniff")
            await send(message)

        await self.app(scope, receive, send_with_header)


class NoStoreForCallers(HttpMiddleware):
    """Answers to a request that carried credentials are `Cache-Control: no-store`.

    Only when the route did not choose a Cache-Control itself: a file that is the same for
    everyone with access (`private, immutable`, say) keeps what its route says.
    """

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not any(name in Headers(scope=scope) for name in CREDENTIAL_HEADERS):
            await self.app(scope, receive, send)
            return

        async def send_with_header(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_header)


def no_store(response: Response) -> None:
    """A route dependency: this answer carries a credential; never cache it."""
    response.headers["Cache-Control"] = "no-store"
