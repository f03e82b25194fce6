"""The one shape of the server's own ASGI middleware: act on HTTP requests, pass the rest on.

Each middleware (size limits, the NUL guard, headers, metrics, the request context) is a
subclass that writes only `http`; lifespan and other scopes go straight to the app.
"""

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HttpMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.http(scope, receive, send)

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        """One HTTP request: do this middleware's part and call `self.app`."""
        raise NotImplementedError


async def read_body(receive: Receive) -> bytes:
    """The whole request body (bounded by `BodySizeLimit` outside whoever calls this)."""
    body = b""
    more = True
    while more:
        message = await receive()
        body += message.get("body", b"")
        more = message.get("more_body", False)
    return body


def replaying(body: bytes, receive: Receive) -> Receive:
    """`receive` for the app inside, once `body` has been read here: gives it again."""
    delivered = False

    async def replay() -> Message:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
