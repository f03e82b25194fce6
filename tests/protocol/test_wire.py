"""Limits on what goes on the wire, the same for the desktop that sends and the server that
reads: text PostgreSQL cannot store, free-form values without bounds, one bad mutation."""

import json
import uuid
from typing import Any

import pytest
from pydantic import ValidationError

from terrain_protocol.auth import LoginRequest, RegisterRequest
from terrain_protocol.sync import AddPlacement, InvalidMutation, PushRequest, UpdateTable
from terrain_protocol.tables import Layout, Placement, TableCreate
from terrain_protocol.wire import (
    MAX_EXTRA_KEYS,
    MAX_FREE_FORM_DEPTH,
    MAX_PLACEMENT_EXTRA_BYTES,
    printable,
)

MODEL = "8c5e6a52-6d3b-4a9e-9d59-0d9e7f3c1a11"


def nested(levels: int) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for _ in range(levels - 1):
        value = {"a": value}
    return value


def placement(**extra: Any) -> dict[str, Any]:
    return {"id": "p1", "modelId": MODEL, **extra}


@pytest.mark.parametrize("bad", ["\ud800@x.io", "a\udfff@example.com", "a\x00@example.com"])
def test_login_and_register_refuse_text_the_database_cannot_store(bad: str) -> None:
    with pytest.raises(ValidationError, match="email"):
        LoginRequest(email=bad, password="whatever")
    with pytest.raises(ValidationError, match="email"):
        RegisterRequest(email=bad, password="long enough")


def test_unstorable_text_is_refused_in_names_keys_and_extras() -> None:
    for body in (
        {"name": "ruins \ud83d"},  # half of an emoji's surrogate pair
        {"name": "ruins", "\udc00": 1},
        {"layout": {"models": [placement(colour="red\x00")]}},
        {"layout": {"models": [placement(**{"\ud800": True})]}},
        {"layout": {"models": [], "notes": {"deep": ["\ud800"]}}},
    ):
        with pytest.raises(ValidationError):
            TableCreate.model_validate(body)
    # Proper text (a whole emoji, accents) is fine.
    assert TableCreate(name="Ruines \U0001f3f0 de l'été").name == "Ruines \U0001f3f0 de l'été"


def test_extra_values_are_bounded_in_depth_keys_and_size() -> None:
    Placement.model_validate(placement(style=nested(MAX_FREE_FORM_DEPTH)))
    with pytest.raises(ValidationError, match="nest at most"):
        Placement.model_validate(placement(style=nested(MAX_FREE_FORM_DEPTH + 1)))
    with pytest.raises(ValidationError, match="nest at most"):
        Layout.model_validate({"models": [], "grid": nested(300)})
    with pytest.raises(ValidationError, match="extra keys"):
        Placement.model_validate(placement(**{f"k{i}": i for i in range(MAX_EXTRA_KEYS + 1)}))
    with pytest.raises(ValidationError, match="bytes"):
        Placement.model_validate(placement(note="x" * MAX_PLACEMENT_EXTRA_BYTES))
    kept = Placement.model_validate(placement(colour="#aa0000", locked=True, tags=["a", 1]))
    assert kept.model_dump(by_alias=True)["tags"] == ["a", 1]


def test_a_deep_value_is_refused_without_exhausting_the_stack() -> None:
    with pytest.raises(ValidationError, match="nest at most"):
        Placement.model_validate(placement(style=nested(50_000)))


def test_one_invalid_mutation_is_read_as_its_own_refusal() -> None:
    table = str(uuid.uuid4())
    request = PushRequest.model_validate(
        {
            "client_id": str(uuid.uuid4()),
            "mutations": [
                {"mutation_id": 1, "kind": "update_table", "table_id": table, "fields": {}},
                {
                    "mutation_id": 2,
                    "kind": "add_placement",
                    "table_id": table,
                    "placement": placement(style=nested(300)),
                },
                {"mutation_id": 3, "kind": "explode", "table_id": "not a uuid"},
            ],
        }
    )

    first, second, third = request.mutations
    assert isinstance(first, UpdateTable)
    assert isinstance(second, InvalidMutation) and second.table_id == uuid.UUID(table)
    assert "nest at most" in second.error
    assert isinstance(third, InvalidMutation) and third.table_id is None
    # Objects the desktop builds go through unchanged.
    valid = AddPlacement(mutation_id=4, table_id=uuid.UUID(table), placement=placement())
    assert PushRequest(client_id=uuid.uuid4(), mutations=[valid]).mutations == [valid]


def test_a_mutation_without_a_usable_id_fails_the_whole_push() -> None:
    for mutations in ([{"kind": "archive_table"}], [{"mutation_id": 0, "kind": "x"}]):
        with pytest.raises(ValidationError):
            PushRequest.model_validate({"client_id": str(uuid.uuid4()), "mutations": mutations})


def test_messages_that_echo_input_stay_encodable() -> None:
    shown = printable("bad \ud800 and \x00")
    assert json.dumps(shown, ensure_ascii=False).encode("utf-8")
    assert "\\ud800" in shown and "\\x00" in shown
