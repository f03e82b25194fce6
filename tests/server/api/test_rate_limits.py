"""Rate limits: 429 with Retry-After once a caller repeats too much, counted in Redis so every
API process sees the same counts; popularity counts each owner once per asset per day."""

import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from server.app import create_app
from server.clock import ManualClock
from server.settings import Settings
from tests.server.api.test_auth import assert_error
from tests.server.api.test_tables import as_session, create
from tests.server.factories import (
    DEFAULT_PASSWORD,
    make_artist,
    make_asset,
    new_session,
    register,
    unique_email,
)
from tests.server.redis_server import redis_url  # noqa: F401 (the fixture)


@pytest.fixture
def limited(settings: Settings, redis_url: str) -> Settings:  # noqa: F811
    """Small limits, counted in the real Redis under a prefix of this test's own."""
    return settings.model_copy(
        update={
            "rate_limit_storage": redis_url,
            "rate_limit_prefix": f"test-{uuid.uuid4().hex}",
            "rate_limit_login_account_address": "3/minute",
            "rate_limit_login_address": "8/minute",
            "rate_limit_register_address": "2/hour",
            "rate_limit_session_address": "2/hour",
            "rate_limit_usage_owner": "4/minute",
        }
    )


@pytest.fixture
def api(limited: Settings, clock: ManualClock, clean_database: None) -> Iterator[TestClient]:
    with TestClient(create_app(limited, clock), raise_server_exceptions=False) as client:
        yield client


def assert_limited(response: Any) -> None:
    assert_error(response, 429, "rate_limited")
    assert int(response.headers["Retry-After"]) >= 1


def login(client: TestClient, email: str, password: str) -> Any:
    return client.post("/api/auth/login", json={"email": email, "password": password})


def test_wrong_passwords_lock_the_account_for_a_while(api: TestClient) -> None:
    email = unique_email()
    register(api, email=email)
    for _ in range(3):
        assert_error(login(api, email, "wrong password"), 401, "invalid_credentials")

    assert_limited(login(api, email, "wrong password"))
    assert_limited(login(api, email, DEFAULT_PASSWORD))  # from this address, even the right one
    other = unique_email()
    register(api, email=other)
    assert login(api, other, DEFAULT_PASSWORD).status_code == 200  # others are not locked out


def test_a_strangers_guesses_never_lock_the_owner_out_from_elsewhere(
    limited: Settings, clock: ManualClock, clean_database: None
) -> None:
    """OWASP's lockout guidance: failures count per (account, address) and per address."""
    with ExitStack() as stack:
        stranger, owner, home = (
            stack.enter_context(
                TestClient(
                    create_app(limited, clock),
                    raise_server_exceptions=False,
                    client=(address, 40000),
                )
            )
            for address in ("198.51.100.7", "203.0.113.9", "192.0.2.44")
        )
        email = unique_email()
        register(home, email=email)
        answers = [login(stranger, email, f"guess {n}").status_code for n in range(20)]
        assert answers == [401] * 3 + [429] * 17

        assert login(owner, email, DEFAULT_PASSWORD).status_code == 200
        assert login(owner, email, DEFAULT_PASSWORD).status_code == 200
        assert_limited(login(stranger, email, DEFAULT_PASSWORD))  # (account, address A)

        for _ in range(5):  # other accounts from A: 8 failures from A in all
            assert_error(login(stranger, unique_email(), "guess"), 401, "invalid_credentials")
        other = unique_email()
        register(home, email=other)
        assert_limited(login(stranger, other, DEFAULT_PASSWORD))  # address A
        assert login(owner, other, DEFAULT_PASSWORD).status_code == 200


def test_one_address_trying_many_accounts_is_limited(api: TestClient) -> None:
    for _ in range(8):
        assert_error(login(api, unique_email(), "guess"), 401, "invalid_credentials")
    assert_limited(login(api, unique_email(), "guess"))


def test_registrations_and_sessions_are_limited_per_address(api: TestClient) -> None:
    register(api)
    register(api)
    email = unique_email()
    answer = api.post("/api/auth/register", json={"email": email, "password": DEFAULT_PASSWORD})
    assert_limited(answer)
    assert_error(login(api, email, DEFAULT_PASSWORD), 401, "invalid_credentials")  # not made

    new_session(api)
    new_session(api)
    assert_limited(api.post("/api/sessions"))


def test_counts_are_shared_by_every_process_using_the_storage(
    limited: Settings, clock: ManualClock, clean_database: None
) -> None:
    """Two apps stand for two API processes: only the Redis between them can count both."""
    elsewhere = limited.model_copy(update={"rate_limit_prefix": f"other-{uuid.uuid4().hex}"})
    with ExitStack() as stack:
        one, two, other = (
            stack.enter_context(TestClient(create_app(s, clock), raise_server_exceptions=False))
            for s in (limited, limited, elsewhere)
        )
        new_session(one)
        new_session(two)
        assert_limited(one.post("/api/sessions"))
        assert_limited(two.post("/api/sessions"))
        new_session(other)  # another run (another prefix) on the same Redis counts on its own


def test_usage_records_are_limited_per_owner(api: TestClient, db: Session) -> None:
    asset = make_asset(db, make_artist(db))
    owner = as_session(new_session(api))
    table = create(api, owner)["id"]
    api.post(
        f"/api/tables/{table}/library/assets", json={"asset_id": str(asset.id)}, headers=owner
    ).raise_for_status()
    usage = {"asset_id": str(asset.id)}
    for _ in range(4):
        assert api.post(f"/api/tables/{table}/library/usage", json=usage, headers=owner).is_success
    assert_limited(api.post(f"/api/tables/{table}/library/usage", json=usage, headers=owner))


def test_repeated_usage_cannot_push_an_asset_up_the_popular_list(
    client: TestClient, db: Session, clock: ManualClock
) -> None:
    artist = make_artist(db)
    liked, pushed = make_asset(db, artist, "Liked tower"), make_asset(db, artist, "Pushed wall")

    def use(asset_id: uuid.UUID, times: int) -> None:
        owner = as_session(new_session(client))
        table = create(client, owner)["id"]
        body = {"asset_id": str(asset_id)}
        assert client.post(f"/api/tables/{table}/library/assets", json=body, headers=owner)
        for _ in range(times):
            answer = client.post(f"/api/tables/{table}/library/usage", json=body, headers=owner)
            assert answer.status_code == 200, answer.text

    for _ in range(3):
        use(liked.id, 1)  # three owners, once each
    use(pushed.id, 60)  # one owner, sixty times

    popular = client.get("/api/library/assets", params={"sort": "popular"}).json()["assets"]
    assert [a["name"] for a in popular] == ["Liked tower", "Pushed wall"]
    db.refresh(pushed)
    assert (pushed.add_count, pushed.use_count) == (1, 1)
