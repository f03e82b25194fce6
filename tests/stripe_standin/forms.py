"""Stripe's request encoding: `application/x-www-form-urlencoded` with bracketed keys.

The `stripe` library sends `line_items[0][price_data][currency]=usd`; this turns such pairs
back into nested dicts and lists.
"""

import re
from typing import Any
from urllib.parse import parse_qsl

_PART = re.compile(r"\[([^\]]*)\]")


def parse(body: str) -> dict[str, Any]:
    root: dict[str, Any] = {}
    for key, value in parse_qsl(body, keep_blank_values=True):
        head, _, rest = key.partition("[")
        parts = [head, *_PART.findall("[" + rest)] if rest else [head]
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    converted: dict[str, Any] = _lists(root)
    return converted


def _lists(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    items = {key: _lists(value) for key, value in node.items()}
    if items and all(key.isdigit() for key in items):
        return [items[key] for key in sorted(items, key=int)]
    return items
