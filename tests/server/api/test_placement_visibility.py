"""Pieces may name only models their owner may see: another artist's draft, private or
archived model cannot be put on a table, by REST or by a sync push."""

import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from server.db.models import Asset, User
from tests.server.api.test_auth import assert_error
from tests.server.api.test_sync_api import MODEL, push
from tests.server.api.test_tables import as_session, create, placement
from tests.server.factories import bearer, make_artist, make_asset, new_session, register_artist


@dataclass(frozen=True)
class Models:
    public: Asset
    draft: Asset
    private: Asset


@pytest.fixture
def models(db: Session) -> Models:
    artist = make_artist(db)
    private = make_asset(db, artist, "Secret keep")
    private.visibility = "private"
    db.commit()
    return Models(
        public=make_asset(db, artist, "Open wall"),
        draft=make_asset(db, artist, "Unfinished tower", status="draft"),
        private=private,
    )


def layout(*pieces: dict[str, Any]) -> dict[str, Any]:
    return {"layout": {"models": list(pieces)}}


def test_a_table_cannot_be_made_or_edited_with_someone_elses_hidden_model(
    client: TestClient, db: Session, models: Models
) -> None:
    owner = as_session(new_session(client))
    for hidden in (models.draft, models.private):
        body = layout(placement("ok", models.public.id), placement("bad", hidden.id))
        answer = client.post("/api/tables", json=body, headers=owner)
        assert_error(answer, 422, "asset_not_visible")
        assert "bad" in answer.json()["error"]
    assert client.get("/api/tables/mine", headers=owner).json()["total"] == 0

    table = create(client, owner, **layout(placement("ok", models.public.id)))
    path = f"/api/tables/{table['id']}"
    sneaked = layout(placement("ok", models.public.id), placement("bad", models.private.id))
    assert_error(client.patch(path, json=sneaked, headers=owner), 422, "asset_not_visible")
    after = client.get(path, headers=owner).json()["table"]
    assert [p["id"] for p in after["layout"]["models"]] == ["ok"]

    # A model archived after it was placed stays where it is; the table can still be edited.
    models.public.status = "archived"
    db.commit()
    kept = layout(placement("ok", models.public.id), placement("new", MODEL))
    assert client.patch(path, json=kept, headers=owner).status_code == 200

    # Its own drafts are the artist's to place.
    artist = register_artist(client, db)
    user = db.get(User, uuid.UUID(artist["user"]["id"]))
    assert user is not None
    own_draft = make_asset(db, user, "My draft", status="draft")
    mine = layout(placement("mine", own_draft.id))
    answer = client.post("/api/tables", json=mine, headers=bearer(artist["token"]))
    assert answer.status_code == 201, answer.text


def test_a_push_refuses_only_the_pieces_naming_hidden_models(
    client: TestClient, models: Models
) -> None:
    owner, device = as_session(new_session(client)), str(uuid.uuid4())
    table, other = str(uuid.uuid4()), str(uuid.uuid4())

    def add(mutation_id: int, piece: str, model: object) -> dict[str, Any]:
        return {
            "mutation_id": mutation_id,
            "kind": "add_placement",
            "table_id": table,
            "placement": placement(piece, str(model)),
        }

    answer = push(
        client,
        owner,
        device,
        [
            {"mutation_id": 1, "kind": "create_table", "table_id": table, "name": "T"},
            add(2, "open", models.public.id),
            add(3, "draft", models.draft.id),
            add(4, "secret", models.private.id),
            add(5, "local", MODEL),  # imported on the device only: unknown here, allowed
            {
                "mutation_id": 6,
                "kind": "move_placement",
                "table_id": table,
                "placement_id": "open",
                "changes": {"modelId": str(models.private.id)},
            },
            {
                "mutation_id": 7,
                "kind": "create_table",
                "table_id": other,
                "placements": [placement("p", models.draft.id)],
            },
        ],
    ).json()

    refused = [(r["mutation_id"], r["code"]) for r in answer["rejections"]]
    assert refused == [(n, "asset_not_visible") for n in (3, 4, 6, 7)]
    assert answer["applied"] == 3
    [saved] = client.get("/api/tables/mine", headers=owner).json()["tables"]
    pieces = {p["id"]: p["modelId"] for p in saved["layout"]["models"]}
    assert pieces == {"open": str(models.public.id), "local": MODEL}
