"""No call to Stripe happens while one of our database transactions is open.

The stand-in looks at PostgreSQL as each call arrives: no connection to the test database may
be `idle in transaction` (a transaction left open across the network call) at that moment.
"""

from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from server.settings import Settings
from tests.server.factories import bearer, register, register_artist
from tests.server.services.support import buy, onboarded_artist, pay, priced_asset, run_worker
from tests.stripe_standin import StripeStandin

OPEN = text(
    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
    "AND state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()"
)


def test_stripe_is_never_called_inside_a_database_transaction(
    client: TestClient, db: Session, engine: Engine, standin: StripeStandin, settings: Settings
) -> None:
    seen: list[tuple[str, int]] = []

    def look(method: str, path: str) -> None:
        with engine.connect() as connection:
            seen.append((f"{method} {path}", int(connection.execute(OPEN).scalar_one())))

    wall = priced_asset(db, onboarded_artist(db, standin, "Ana"), "Wall", "4.50")
    artist = bearer(register_artist(client, db)["token"])
    buyer = bearer(register(client)["token"])
    db.close()  # the test's own session holds no transaction either
    standin.state.observers.append(look)

    order = buy(client, buyer, [(wall, 1)])
    pay(client, standin, str(order["order_id"]))
    run_worker(settings)
    assert client.post("/api/artists/me/stripe/onboard", headers=artist).status_code == 200
    assert client.post("/api/account/pro/checkout", headers=buyer).status_code == 200

    calls = [call for call, _ in seen]
    assert calls == [
        "POST /v1/checkout/sessions",
        "POST /v1/transfers",
        "POST /v1/accounts",
        "POST /v1/account_links",
        "POST /v1/checkout/sessions",
    ]
    assert [open_transactions for _, open_transactions in seen] == [0] * len(seen)
