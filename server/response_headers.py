"""Headers every response carries, and the one responses carrying credentials add.

`nosniff` stops a browser from reading a JSON (or uploaded) body as something executable;
`no-store` keeps tokens and session ids out of browser and proxy caches.
"""

from fastapi import Response
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class NoSniff:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_header(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).setdefault("X-Content-Type-Options", "nosniff")
            await send(message)

        await self.app(scope, receive, send_with_header)


def no_store(response: Response) -> None:
    """A route dependency: this answer carries a credential; never cache it."""
    response.headers["Cache-Control"] = "no-store"
