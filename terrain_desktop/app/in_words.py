"""Errors in the user's words: no request lines, addresses, errno numbers or hex ids.

The network layer's messages are for logs ("GET /api/library/assets/3bba… failed after 3
tries: [Errno 111] Connection refused"); a user needs to know what happened and that nothing
is lost. Every message shown in the window goes through `reason`.
"""

import re

from terrain_desktop.sync.client import ApiRefused, ApiUnavailable

UNREACHABLE = "the server cannot be reached"
_ERRNO = re.compile(r"\s*\[Errno -?\d+\]\s*")
_URL = re.compile(r"\b(?:https?://\S+|(?:GET|POST|PUT|PATCH|DELETE) /\S*)")
_HEX_ID = re.compile(
    r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b|\b[0-9a-f]{16,}\b"
)


def reason(error: BaseException) -> str:
    """What went wrong, in a few plain words (the server's own sentence when it refused)."""
    if isinstance(error, ApiRefused):
        return plain(error.message) or "the server refused"
    if isinstance(error, ApiUnavailable | OSError):
        return unreachable(error)
    return plain(str(error)) or "something went wrong"


def unreachable(error: BaseException) -> str:
    """Why the server could not be reached, as far as a user can act on it."""
    text = str(error).lower()
    if "timed out" in text or "timeout" in text:
        return "the server timed out: it did not answer in time"
    if "refused" in text:
        return "connection refused: nothing answers at the server's address"
    if "name or service" in text or "getaddrinfo" in text or "resolve" in text:
        return "the server's address is not known (check it, and that you are online)"
    return UNREACHABLE


def plain(text: str) -> str:
    """`text` without errno numbers, request lines and addresses, or long hex ids."""
    text = _ERRNO.sub(" ", text)
    text = _URL.sub("", text)
    text = _HEX_ID.sub("", text)
    text = re.sub(r"\(\s*\)|\s{2,}", " ", text).strip(" :;,")
    return text
