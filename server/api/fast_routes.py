"""The hottest routes, answered without FastAPI's per-request machinery.

A table opened, an edit, a sync push and a catalogue search are most of what the server
answers (benchmarks/load.py). For each, FastAPI's routing (a match against every route of
every router), its dependency solving (which builds a `Response` per request for the
dependencies' headers) and its exit stacks cost more CPU than the request's own work when
the search is answered from the cache, and about a third of it for the others. So this
layer, the innermost of the app's middleware (every header, limit and guard outside it still
applies), matches these few routes itself and calls the very functions their FastAPI
endpoints call, with the very models to validate their input.

It answers only what it can answer exactly as FastAPI would: input its models accept. Any
other request of these routes (a malformed id, an invalid body, an unusual query string) goes
on to the FastAPI route, which refuses it with its usual error. Errors raised while answering
(`ApiError`, the database down) go to the app's own exception handlers, as FastAPI's would.
The FastAPI routes stay registered: they document these operations in the OpenAPI schema
and answer everything this layer passes on.
"""

import json
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from fastapi import APIRouter
from fastapi.routing import APIRoute
from pydantic import BaseModel, ValidationError
from starlette.datastructures import Headers, State
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from server.api.deps import token_of
from server.asgi import HttpMiddleware, read_body, replaying

M = TypeVar("M", bound=BaseModel)

#: A path segment FastAPI's `uuid.UUID` accepts, in the canonical form clients send.
UUID_SEGMENT = "([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"


@dataclass(frozen=True)
class FastRequest:
    """What a fast route's answer reads: the app's state, the path's groups, headers, body."""

    state: State
    groups: Sequence[str]
    headers: Headers
    scope: Scope
    body: bytes = b""


#: An answer, or None to let the FastAPI route answer (input only it can refuse properly).
Answer = Callable[[FastRequest], Awaitable[Response | None]]


@dataclass(frozen=True)
class FastRoute:
    """`method` on paths matching `pattern`: answered by `answer` for the FastAPI route of
    `router` with the same method and `path` (the template metrics and errors name)."""

    method: str
    pattern: re.Pattern[str]
    path: str
    router: APIRouter
    answer: Answer
    #: Reads a JSON body: only with `Content-Type: application/json`, else FastAPI answers.
    json_body: bool = False
    _route: list[APIRoute] = field(default_factory=list, compare=False)

    def api_route(self) -> APIRoute:
        if not self._route:
            self._route.extend(
                r
                for r in self.router.routes
                if isinstance(r, APIRoute)
                and r.path == self.path
                and self.method in (r.methods or ())
            )
        assert len(self._route) == 1, f"no single FastAPI route {self.method} {self.path}"
        return self._route[0]


def _json(headers: Headers) -> bool:
    content_type = headers.get("content-type", "")
    return content_type.partition(";")[0].strip().lower() == "application/json"


class FastRoutes(HttpMiddleware):
    def __init__(self, app: ASGIApp, routes: Sequence[FastRoute]) -> None:
        super().__init__(app)
        self.routes = routes

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        path, method = scope["path"], scope["method"]
        for route in self.routes:
            if route.method == method and (match := route.pattern.fullmatch(path)):
                break
        else:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        body = b""
        if route.json_body:
            if not _json(headers):
                await self.app(scope, receive, send)
                return
            body = await read_body(receive)
            receive = replaying(body, receive)
        state = scope["app"].state
        scope["route"] = route.api_route()  # as routing sets it: metrics label by its path
        try:
            response = await route.answer(FastRequest(state, match.groups(), headers, scope, body))
        except Exception as exc:
            handler = _handler_for(scope["app"].exception_handlers, exc)
            if handler is None:
                raise  # to the server-error handler outside, as from a FastAPI route
            response = await handler(Request(scope, receive), exc)
        if response is None:
            await self.app(scope, receive, send)
            return
        await response(scope, receive, send)


def _handler_for(
    handlers: Mapping[Any, Callable[..., Any]], exc: Exception
) -> Callable[..., Any] | None:
    """The app's handler for `exc`, as Starlette's exception middleware finds it (by class,
    nearest first); None for what only the outermost server-error handler takes."""
    for cls in type(exc).__mro__:
        if cls is Exception:
            return None
        if cls in handlers:
            return handlers[cls]
    return None


def model_from_json(model: type[M], body: bytes) -> M | None:
    """`body` as FastAPI makes a `model` body parameter of it (decoded, then validated as
    Python data); None when FastAPI would refuse it (it then does, with its usual error)."""
    try:
        return model.model_validate(json.loads(body))
    except (ValueError, ValidationError):  # JSONDecodeError is a ValueError
        return None


def caller(request: FastRequest) -> tuple[str | None, str | None]:
    """(bearer token, `x-session-id`) as the routes' `TokenDep` and `SessionIdHeader` read
    them (a malformed `Authorization` header is the same 401)."""
    return token_of(request.headers.get("authorization")), request.headers.get("x-session-id")
