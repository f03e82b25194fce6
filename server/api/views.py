"""Turning database rows into the protocol's response models."""

from server.api.catalogue_views import file_urls
from server.db.models import AnonymousSession, Asset, GameTable, TableAsset, User
from server.services.accounts import IssuedToken
from server.services.owners import Owner
from terrain_protocol.auth import AnonymousSessionOut, AuthResponse, UserOut
from terrain_protocol.library import LibraryEntryOut
from terrain_protocol.plans import Role, TablePlan, UserPlan
from terrain_protocol.tables import TableOut


def user_out(user: User) -> UserOut:
    return UserOut(
        id=user.id,
        email=user.email,
        display_name=user.display_name,
        role=Role(user.role),
        plan=UserPlan(user.plan),
        artist_name=user.artist_name,
        created_at=user.created_at,
    )


def auth_response(issued: IssuedToken) -> AuthResponse:
    return AuthResponse(
        user=user_out(issued.user),
        token=issued.token,
        token_expires_at=issued.expires_at,
        claimed_session_id=issued.claim.session_id,
        moved_table_ids=issued.claim.moved_table_ids,
        tables_left_in_session=issued.claim.remaining_table_ids,
    )


def session_out(session: AnonymousSession) -> AnonymousSessionOut:
    return AnonymousSessionOut(
        id=session.id,
        created_at=session.created_at,
        last_seen_at=session.last_seen_at,
        expires_at=session.expires_at,
    )


def table_out(table: GameTable, owner: Owner | None, *, via_share_code: bool = False) -> TableOut:
    """The owner sees everything; others see neither the session nor, unless they came by
    it, the share code."""
    is_owner = owner is not None and owner.owns(table)
    return TableOut(
        id=table.id,
        user_id=table.user_id,
        session_id=table.session_id if is_owner else None,
        name=table.name,
        description=table.description,
        width=table.width,
        depth=table.depth,
        layout=table.layout,
        is_public=table.is_public,
        share_code=table.share_code if is_owner or via_share_code else None,
        view_count=table.view_count,
        clone_count=table.clone_count,
        cloned_from_id=table.cloned_from_id,
        status="archived" if table.status == "archived" else "active",
        plan=TablePlan(table.plan),
        max_assets=table.max_assets,
        version=table.version,
        created_at=table.created_at,
        updated_at=table.updated_at,
        read_only=table.read_only,
    )


def library_entry_out(entry: TableAsset, asset: Asset) -> LibraryEntryOut:
    thumbnail_url, display_url = file_urls(asset)
    return LibraryEntryOut(
        id=asset.id,
        artist_id=asset.artist_id,
        name=asset.name,
        description=asset.description,
        category=asset.category,
        tags=list(asset.tags),
        thumbnail_url=thumbnail_url,
        display_url=display_url,
        dimensions_mm=asset.dimensions_mm,
        poly_count=asset.poly_count,
        base_price=asset.base_price,
        status=asset.status,
        added_at=entry.added_at,
        added_via_set_id=entry.added_via_set_id,
    )
