"""`/api/artists`: public artist profiles, their published models and public tables."""

import uuid

from fastapi import APIRouter

from server.api.catalogue_views import asset_out, assets_out
from server.api.deps import CurrentArtist, CurrentUser, OptionalUser, SessionDep
from server.api.responses import errors
from server.api.views import table_out
from server.db.models import User
from server.services import artists, catalogue, mesh_tiers
from terrain_protocol.catalogue import (
    ArtistModelsResponse,
    ArtistOut,
    ArtistResponse,
    ArtistTablesResponse,
    BecomeArtistRequest,
    OwnModelOut,
    OwnModelsResponse,
)

router = APIRouter(prefix="/api/artists", tags=["artists"])


def artist_out(db: SessionDep, artist: User, viewer: User | None) -> ArtistOut:
    models, tables = artists.counts(db, artist.id)
    private = viewer is not None and (viewer.id == artist.id or catalogue.is_admin(viewer))
    return ArtistOut(
        id=artist.id,
        display_name=artist.display_name,
        artist_name=artist.artist_name,
        artist_bio=artist.artist_bio,
        artist_url=artist.artist_url,
        created_at=artist.created_at,
        published_model_count=models,
        public_table_count=tables,
        email=artist.email if private else None,
        commission_rate=artist.commission_rate if private else None,
        stripe_account_id=artist.stripe_account_id if private else None,
        stripe_onboarding_complete=artist.stripe_onboarding_complete if private else None,
    )


@router.post("/me", responses=errors(401))
def become_artist(db: SessionDep, user: CurrentUser, body: BecomeArtistRequest) -> ArtistResponse:
    artist = artists.become_artist(db, user, body)
    db.commit()
    return ArtistResponse(artist=artist_out(db, artist, artist))


@router.get("/me/models", responses=errors(401, 403))
def my_models(db: SessionDep, artist: CurrentArtist) -> OwnModelsResponse:
    """The caller's own models in every state but archived (drafts, processing, failed,
    published), with their views, uses and copies sold: what "My models" shows."""
    rows = artists.own_models(db, artist.id)
    tiers = mesh_tiers.tiers_of(db, [asset.id for asset, _ in rows])
    name = artist.artist_name or artist.display_name
    return OwnModelsResponse(
        models=[
            OwnModelOut(
                **asset_out(asset, name, tiers[asset.id], full=True).model_dump(), paid_sales=sold
            )
            for asset, sold in rows
        ]
    )


@router.get("/{artist_id}", responses=errors(401, 404))
def get_artist(db: SessionDep, viewer: OptionalUser, artist_id: uuid.UUID) -> ArtistResponse:
    return ArtistResponse(artist=artist_out(db, artists.get(db, artist_id), viewer))


@router.get("/{artist_id}/models", responses=errors(404))
def artist_models(db: SessionDep, artist_id: uuid.UUID) -> ArtistModelsResponse:
    artist = artists.get(db, artist_id)
    return ArtistModelsResponse(models=assets_out(db, artists.published_models(db, artist.id)))


@router.get("/{artist_id}/tables", responses=errors(404))
def artist_tables(db: SessionDep, artist_id: uuid.UUID) -> ArtistTablesResponse:
    artist = artists.get(db, artist_id)
    rows = artists.public_tables(db, artist.id)
    return ArtistTablesResponse(tables=[table_out(t, None) for t in rows])
