"""What any request may carry, checked the same way by the desktop and the server.

PostgreSQL stores text as UTF-8 without NUL characters, and JSON can spell both a NUL
(`"\\u0000"`) and an unpaired UTF-16 surrogate (`"\\ud800"`), which UTF-8 cannot encode. Such
text is refused while a request is read, so it never reaches the database as an error.

Free-form values (the extra keys a placement or a layout keeps as sent) are bounded in depth,
number of keys and size: they are stored and sent back as they are, and an unbounded value
would let one request make every later read of that table slow or impossible to serialise.
"""

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationInfo, model_validator

#: Levels of nesting inside one free-form value (a placement's `"colour": {"rgb": [..]}` is 2).
MAX_FREE_FORM_DEPTH = 8
#: Extra keys beside the known ones, per placement and per layout.
MAX_EXTRA_KEYS = 32
#: The extra keys of one placement, as compact JSON.
MAX_PLACEMENT_EXTRA_BYTES = 4 * 1024
#: The extra keys of a layout (beside its `models`), as compact JSON.
MAX_LAYOUT_EXTRA_BYTES = 64 * 1024


def unstorable(text: str) -> str | None:
    """Why `text` cannot be stored, or None when it can."""
    if "\x00" in text:
        return "may not contain NUL characters"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "contains an unpaired surrogate (not valid Unicode text)"
    return None


def storable(text: str) -> str:
    """A validator: `text` unchanged, or ValueError when PostgreSQL could not store it."""
    reason = unstorable(text)
    if reason:
        raise ValueError(reason)
    return text


def printable(text: str) -> str:
    """`text` with what cannot be stored or encoded spelled out, for messages that echo input."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8").replace("\x00", "\\x00")


def check_free_form(extras: dict[str, Any], max_bytes: int) -> None:
    """Extra keys kept as sent: storable text (keys too), bounded depth, count and size."""
    if not extras:
        return  # the usual case: nothing beyond the known keys
    if len(extras) > MAX_EXTRA_KEYS:
        raise ValueError(f"at most {MAX_EXTRA_KEYS} extra keys")
    pending: list[tuple[Any, int]] = [(value, 1) for value in extras.values()]
    for key in extras:
        storable(key)
    while pending:  # iterative: a deep value cannot exhaust the stack while being checked
        value, depth = pending.pop()
        if isinstance(value, str):
            storable(value)
        elif isinstance(value, dict | list):
            if depth > MAX_FREE_FORM_DEPTH:
                raise ValueError(f"extra values may nest at most {MAX_FREE_FORM_DEPTH} levels")
            if isinstance(value, dict):
                for key in value:
                    if not isinstance(key, str):
                        raise ValueError("extra values must be JSON")
                    storable(key)
                pending += [(item, depth + 1) for item in value.values()]
            else:
                pending += [(item, depth + 1) for item in value]
        elif value is not None and not isinstance(value, bool | int | float):
            raise ValueError("extra values must be JSON")
    size = len(json.dumps(extras, separators=(",", ":"), allow_nan=False))
    if size > max_bytes:
        raise ValueError(f"extra keys may take at most {max_bytes} bytes (these take {size})")


def _refuse_unstorable(key: Any, text: str) -> None:
    reason = unstorable(text)
    if reason:
        raise ValueError(f"{printable(str(key))}: {reason}")


#: Validation context of a request read by pydantic's own JSON parser from a body without NUL
#: (`parsed_storable`): its parser refuses an unpaired surrogate, so its text is storable.
STORABLE_TEXT: dict[str, bool] = {"storable_text": True}


def parsed_storable(raw: bytes) -> bool:
    """True when pydantic's JSON parser can only read storable text out of `raw`: no NUL,
    raw or escaped (a raw control character is invalid JSON, and an escaped surrogate left
    unpaired is refused by the parser)."""
    return b"\x00" not in raw and b"\\u0000" not in raw


class WireModel(BaseModel):
    """Base of everything a client sends: text that PostgreSQL cannot store is refused.

    Each model checks the keys and strings directly in its own input (and in its lists of
    strings); nested models check theirs, so a request is read once, not once per level.
    """

    @model_validator(mode="before")
    @classmethod
    def _storable_text(cls, data: Any, info: ValidationInfo) -> Any:
        if info.context is STORABLE_TEXT:
            return data  # checked once for the whole body (see `parsed_storable`)
        # Runs for every model read (thousands per push): plain ASCII without NUL, the usual
        # text, is recognised by two C-level string methods before any slower check.
        if isinstance(data, dict):
            for key, value in data.items():
                if isinstance(key, str) and not (key.isascii() and "\x00" not in key):
                    storable(key)
                if isinstance(value, str):
                    if not (value.isascii() and "\x00" not in value):
                        _refuse_unstorable(key, value)
                elif isinstance(value, (list, tuple)):  # a tuple: faster than a union type
                    for item in value:
                        if isinstance(item, str) and not (item.isascii() and "\x00" not in item):
                            _refuse_unstorable(key, item)
        return data


class WireRequest(WireModel):
    """A request body of fixed shape: unknown keys are refused."""

    model_config = ConfigDict(extra="forbid")


#: A write the client may send more than once carries one of these: the same key (one per
#: user action, kept by all its retries) makes the server answer as it did the first time.
IDEMPOTENCY_HEADER = "Idempotency-Key"
#: Keys are 1 to this many visible ASCII characters (a UUID is the usual choice).
MAX_IDEMPOTENCY_KEY_LENGTH = 255
