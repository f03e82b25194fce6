"""Who is on the other end of the request being served, for records written deep inside it.

The activity log is written by database hooks that never see the request; this middleware
puts the client's address in a context variable they can read. The address is the one uvicorn
settled on (with trusted proxy headers, the forwarded client's). Sync routes run in a thread
pool that copies the context, so they see it too; outside a request (the worker, the CLI) it
is unset.
"""

from contextvars import ContextVar

from starlette.types import Receive, Scope, Send

from server.asgi import HttpMiddleware

_address: ContextVar[str | None] = ContextVar("client_address", default=None)


def client_address() -> str | None:
    return _address.get()


class RequestContext(HttpMiddleware):
    """Outer ASGI middleware: sets the client address for the rest of the request."""

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client")
        token = _address.set(str(client[0])[:64] if client else None)
        try:
            await self.app(scope, receive, send)
        finally:
            _address.reset(token)
