"""Request bodies are bounded before they are read, uploads by their own larger limit.

A declared Content-Length over the limit is refused at once; a body sent without one is
counted as it streams and cut off when it passes the limit. Either way the answer is 413.
"""

from collections.abc import Callable

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.asgi import HttpMiddleware
from server.errors import error_response
from terrain_protocol.errors import ErrorCode

TOO_LARGE = "The request is too large."


class BodySizeLimit(HttpMiddleware):
    def __init__(self, app: ASGIApp, limit_for: Callable[[str, str], int]) -> None:
        super().__init__(app)
        self.limit_for = limit_for

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = self.limit_for(scope["method"], scope["path"])
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            response = error_response(413, ErrorCode.PAYLOAD_TOO_LARGE, _message(limit))
            await response(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise HTTPException(413, _message(limit))
            return message

        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except HTTPException as too_large:
            # Raised while a middleware (not a route) was reading the body: answer here.
            if too_large.status_code != 413 or started:
                raise
            response = error_response(413, ErrorCode.PAYLOAD_TOO_LARGE, str(too_large.detail))
            await response(scope, receive, send)


def _message(limit: int) -> str:
    return f"{TOO_LARGE} The limit is {limit / 1024 / 1024:.1f} MB."
