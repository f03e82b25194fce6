"""`seed --demo` with STRIPE_API_BASE on the stand-in: a purchase can be tried locally."""

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.db.models import Asset, User
from server.seed import seed
from server.settings import Settings
from server.storage_factory import storage_for
from tests.server.factories import bearer, register
from tests.server.services.support import buy, pay, run_worker
from tests.stripe_standin import StripeStandin


def test_demo_artists_get_connect_accounts_and_their_pieces_can_be_bought(
    client: TestClient, db: Session, standin: StripeStandin, settings: Settings
) -> None:
    seed(db, storage_for(settings), settings, lambda _: None, demo_accounts=True)
    seed(db, storage_for(settings), settings, lambda _: None, demo_accounts=True)  # again

    artists = db.scalars(select(User).where(User.role == "artist")).all()
    assert len(artists) >= 2
    assert all(a.stripe_account_id and a.stripe_onboarding_complete for a in artists)
    assert len(standin.accounts()) == len(artists)
    priced = {
        artist.id: db.scalar(
            select(Asset).where(Asset.artist_id == artist.id, Asset.base_price > 0).limit(1)
        )
        for artist in artists
    }
    assert all(priced.values())
    headers = bearer(register(client)["token"])
    order = buy(client, headers, [(asset, 1) for asset in priced.values()])
    pay(client, standin, str(order["order_id"]))
    run_worker(settings)

    assert {t["destination"] for t in standin.transfers()} == {a.stripe_account_id for a in artists}
