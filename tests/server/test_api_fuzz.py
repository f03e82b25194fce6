"""Schemathesis over the whole OpenAPI spec, signed in with a bearer token and as an anonymous
session: no generated request (valid or not) gets a 5xx, and every status the server answers
is one the spec documents for that operation.

CI runs a small fixed budget per operation; `TERRAIN_FUZZ_EXAMPLES=200` runs a longer soak.
"""

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, status_code_conformance
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from server.app import create_app
from server.clock import ManualClock
from server.db.models import Base, User
from server.settings import Settings
from tests.conftest import UNLIMITED
from tests.server.conftest import serving
from tests.server.factories import DEFAULT_PASSWORD, make_asset, unique_email
from tests.stripe_standin import StripeStandin

EXAMPLES = int(os.environ.get("TERRAIN_FUZZ_EXAMPLES", "4"))

# The spec comes from the code alone (making the app opens no connection); the requests go to
# one app on this run's database, served by uvicorn on a loopback port.
schema = schemathesis.openapi.from_dict(create_app(Settings()).openapi())
schema.config.phases.update(phases=["examples", "fuzzing"])
FUZZ = settings(
    max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance]


@pytest.fixture(scope="module")
def server(
    database_url: str, engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    storage = Path(tmp_path_factory.mktemp("fuzz-storage"))
    settings = Settings(database_url=database_url, storage_dir=str(storage), **UNLIMITED)
    with StripeStandin.running() as stripe_standin:  # orders and onboarding reach "Stripe"
        payments = {
            "stripe_api_base": stripe_standin.url,
            "stripe_secret_key": stripe_standin.api_key,
            "stripe_webhook_secret": "whsec_fuzz",
        }
        settings = settings.model_copy(update=payments)
        with serving(create_app(settings, ManualClock())) as url:
            yield url
    names = ", ".join(table.name for table in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {names} CASCADE"))


@pytest.fixture(scope="module")
def artist(server: str, engine: Engine) -> dict[str, str]:
    """An artist with an asset, for the generated requests to meet some data."""
    email = unique_email("fuzz")
    account = httpx.post(
        f"{server}/api/auth/register", json={"email": email, "password": DEFAULT_PASSWORD}
    ).json()
    with Session(engine) as db:
        user = db.get(User, uuid.UUID(account["user"]["id"]))
        assert user is not None
        user.role, user.artist_name = "artist", "Fuzz Studio"
        db.commit()
        make_asset(db, user)
    return {"email": email, "token": account["token"]}


@pytest.fixture
def credentials(server: str, artist: dict[str, str]) -> dict[str, dict[str, str]]:
    """Valid callers for each operation: signing in again if an earlier one signed out."""
    bearer = {"Authorization": f"Bearer {artist['token']}"}
    if httpx.get(f"{server}/api/auth/me", headers=bearer).status_code == 401:
        login = {"email": artist["email"], "password": DEFAULT_PASSWORD}
        artist["token"] = httpx.post(f"{server}/api/auth/login", json=login).json()["token"]
        bearer = {"Authorization": f"Bearer {artist['token']}"}
    session = httpx.post(f"{server}/api/sessions").json()["session"]["id"]
    return {"bearer": bearer, "session": {"x-session-id": session}}


@schema.parametrize()
@FUZZ
def test_signed_in_requests_never_get_a_server_error(
    case: schemathesis.Case, server: str, credentials: dict[str, dict[str, str]]
) -> None:
    case.headers = {**(case.headers or {}), **credentials["bearer"]}
    case.headers.pop("x-session-id", None)
    case.call_and_validate(base_url=server, checks=CHECKS)


@schema.parametrize()
@FUZZ
def test_anonymous_requests_never_get_a_server_error(
    case: schemathesis.Case, server: str, credentials: dict[str, dict[str, str]]
) -> None:
    case.headers = {**(case.headers or {}), **credentials["session"]}
    case.call_and_validate(base_url=server, checks=CHECKS)
