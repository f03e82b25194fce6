"""Catalogue rows as the protocol's response models."""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.db.models import Asset, AssetSet, MeshTier, User
from server.services import mesh_tiers
from terrain_protocol.catalogue import AssetOut, MeshTierOut, SetDetail, SetOut


def artist_names(db: Session, assets: Sequence[Asset]) -> dict[object, str | None]:
    ids = {a.artist_id for a in assets}
    if not ids:
        return {}
    rows = db.execute(select(User.id, User.artist_name, User.display_name).where(User.id.in_(ids)))
    return {user_id: artist or display for user_id, artist, display in rows}


def base_url(asset: Asset) -> str:
    return f"/api/library/assets/{asset.id}"


def file_urls(asset: Asset) -> tuple[str | None, str | None]:
    """Where the asset's thumbnail and display mesh are served, when it has them."""
    base = f"/api/library/assets/{asset.id}"
    return (
        f"{base}/thumbnail" if asset.thumbnail_path else None,
        f"{base}/display" if asset.glb_file_path else None,
    )


def tier_url(asset_id: object, sha256: str) -> str:
    return f"/api/library/assets/{asset_id}/tiers/{sha256}.glb"


def tiers_out(asset: Asset, tiers: Sequence[MeshTier], full: bool) -> list[MeshTierOut]:
    """The tiers a caller may download: all with the full model, else the previews."""
    return [
        MeshTierOut(
            triangles=t.triangles,
            bytes=t.size_bytes,
            hash=t.sha256,
            url=tier_url(asset.id, t.sha256),
            preview=t.preview,
        )
        for t in tiers
        if full or t.preview
    ]


def asset_out(
    asset: Asset,
    artist_name: str | None,
    tiers: Sequence[MeshTier] = (),
    *,
    full: bool = False,
) -> AssetOut:
    """`full`: the caller may have every tier and the original (`mesh_tiers.owned_ids`)."""
    thumbnail_url, display_url = file_urls(asset)
    size = asset.dimensions_mm or {}
    return AssetOut(
        id=asset.id,
        artist_id=asset.artist_id,
        artist_name=artist_name,
        name=asset.name,
        description=asset.description,
        category=asset.category,
        tags=list(asset.tags or []),
        thumbnail_url=thumbnail_url,
        display_url=display_url,
        dimensions_mm=asset.dimensions_mm,
        width=size.get("x"),
        depth=size.get("y"),
        height=size.get("z"),
        poly_count=asset.poly_count,
        base_price=asset.base_price,
        licence=asset.licence,
        status=asset.status,
        visibility=asset.visibility,
        processing_state=asset.processing_state,
        processing_error=asset.processing_error,
        source_units=asset.source_units,
        view_count=asset.view_count,
        add_count=asset.add_count,
        use_count=asset.use_count,
        download_count=asset.download_count,
        sale_count=asset.sale_count,
        created_at=asset.created_at,
        updated_at=asset.updated_at,
        published_at=asset.published_at,
        tiers=tiers_out(asset, tiers, full),
        full_access=full,
        original_url=f"{base_url(asset)}/original" if full and asset.file_ref else None,
        view_urls={
            name: f"{base_url(asset)}/views/{key.rsplit('/', 1)[-1]}"
            for name, key in (asset.view_paths or {}).items()
        },
    )


def assets_out(db: Session, assets: Sequence[Asset], viewer: User | None = None) -> list[AssetOut]:
    """The assets as `viewer` may have them (None: as anyone may, e.g. for the search cache)."""
    names = artist_names(db, assets)
    tiers = mesh_tiers.tiers_of(db, [a.id for a in assets])
    full = mesh_tiers.owned_ids(db, viewer, assets)
    return [asset_out(a, names.get(a.artist_id), tiers[a.id], full=a.id in full) for a in assets]


def set_out(asset_set: AssetSet, asset_count: int) -> SetOut:
    return SetOut(
        id=asset_set.id,
        curator_id=asset_set.curator_id,
        name=asset_set.name,
        description=asset_set.description,
        is_public=asset_set.is_public,
        asset_count=asset_count,
        created_at=asset_set.created_at,
        updated_at=asset_set.updated_at,
    )


def set_detail(db: Session, asset_set: AssetSet, assets: Sequence[Asset]) -> SetDetail:
    return SetDetail(**set_out(asset_set, len(assets)).model_dump(), assets=assets_out(db, assets))
