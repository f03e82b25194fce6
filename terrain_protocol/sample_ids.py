"""Ids of the bundled sample library's assets, without the wire models (pydantic).

Kept apart so the desktop can name the sample assets while it starts, before it loads the
models it needs only to talk to a server; `terrain_protocol.catalogue` re-exports both names.
"""

import uuid

#: Assets of the bundled sample library have ids derived from their slugs, the same in every
#: desktop install and on every server that publishes the library (`terrain-server seed`).
SAMPLE_LIBRARY_NAMESPACE = uuid.UUID("0f6f3c1e-5a55-4b8e-9c1e-7e2a1b3c4d5e")


def sample_asset_id(slug: str) -> uuid.UUID:
    return uuid.uuid5(SAMPLE_LIBRARY_NAMESPACE, slug)
