"""Conditional GETs: an `ETag` on answers a client may keep, a 304 when it still has them.

A catalogue page is the same for everyone (it lists published public assets only), so its
ETag is a hash of the bytes sent: an unchanged page is a 304 with no body, which costs the
server a dictionary look-up and the client nothing to parse. The tag is checked only after
everything the full answer would have checked (who may see a thumbnail, say), so a 304 never
tells anyone more than the 200 would. Caching headers are left as they were: an answer to a
caller who sent credentials is still `no-store` (see `server.response_headers`); a client
revalidates the copy it holds in memory.
"""

import hashlib


def etag_of(body: bytes) -> str:
    """A strong validator for exactly these bytes."""
    return f'"{hashlib.blake2b(body, digest_size=16).hexdigest()}"'


def not_modified(if_none_match: str | None, etag: str) -> bool:
    """Whether the client's `If-None-Match` already names `etag` (or `*`)."""
    if if_none_match is None:
        return False
    tags = [t.strip() for t in if_none_match.split(",")]
    return "*" in tags or etag in tags or f"W/{etag}" in tags
