"""The files behind a catalogue asset: its ladder's meshes by tier, thumbnail, original.

Who gets what is `server.services.mesh_tiers`: preview tiers for anyone who can see the asset,
every tier and the original only for those who own the model (or anyone, when it is free).
A tier's URL names its SHA-256, so it is served as immutable: `public` for what anyone may
have, `private` for what only owners may; `If-None-Match` with its ETag answers 304.
"""

import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Path, Response
from fastapi.responses import FileResponse

from server.api.deps import OptionalUser, SessionDep, SettingsDep, StorageDep
from server.api.http_cache import etag_of, not_modified
from server.api.responses import errors
from server.errors import ApiError
from server.services import catalogue, mesh_tiers
from server.storage import Storage
from terrain_protocol.errors import ErrorCode

router = APIRouter(prefix="/api/library/assets", tags=["catalogue"])

GLB = "model/gltf-binary"
IMMUTABLE = "max-age=31536000, immutable"
#: What differs by caller (the display mesh, the original) is never kept by a shared cache.
PER_CALLER = "private, no-cache"
Sha256 = Annotated[str, Path(pattern=r"^[0-9a-f]{64}$")]


def _file(
    storage: Storage,
    key: str | None,
    media_type: str,
    filename: str,
    headers: dict[str, str] | None = None,
) -> FileResponse:
    if not key or not storage.exists(key):
        raise ApiError(404, ErrorCode.FILE_NOT_FOUND, "This asset has no such file.")
    return FileResponse(
        storage.local_path(key), media_type=media_type, filename=filename, headers=headers
    )


@router.get(
    "/{asset_id}/tiers/{sha256}.glb",
    response_class=FileResponse,
    responses=errors(401, 403, 404),
)
def mesh_tier(
    db: SessionDep,
    user: OptionalUser,
    storage: StorageDep,
    asset_id: uuid.UUID,
    sha256: Sha256,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """One mesh of the asset's ladder (a GLB): 403 `not_owned` for a full tier of a model the
    caller does not own."""
    asset = catalogue.visible(db, user, asset_id)
    tier = mesh_tiers.tier_for(db, user, asset, sha256)
    shared = tier.preview or mesh_tiers.is_free(asset)
    listed = asset.status == "published" and asset.visibility in ("public", "unlisted")
    headers = {
        "ETag": f'"{tier.sha256}"',
        "Cache-Control": f"{'public' if shared and listed else 'private'}, {IMMUTABLE}",
    }
    if not_modified(if_none_match, headers["ETag"]):
        return Response(status_code=304, headers=headers)
    return _file(storage, tier.storage_key, GLB, f"{tier.sha256}.glb", headers)


@router.get(
    "/{asset_id}/views/{sha256}.png", response_class=FileResponse, responses=errors(401, 404)
)
def view_picture(
    db: SessionDep,
    user: OptionalUser,
    storage: StorageDep,
    asset_id: uuid.UUID,
    sha256: Sha256,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """One of the catalogue page's server-rendered views of the full mesh: a picture anyone
    who can see the asset may look at."""
    asset = catalogue.visible(db, user, asset_id)
    key = mesh_tiers.view_key(sha256)
    if key not in (asset.view_paths or {}).values():
        raise ApiError(404, ErrorCode.FILE_NOT_FOUND, "This asset has no such view.")
    listed = asset.status == "published" and asset.visibility in ("public", "unlisted")
    headers = {
        "ETag": f'"{sha256}"',
        "Cache-Control": f"{'public' if listed else 'private'}, {IMMUTABLE}",
    }
    if not_modified(if_none_match, headers["ETag"]):
        return Response(status_code=304, headers=headers)
    return _file(storage, key, "image/png", f"{sha256}.png", headers)


@router.get("/{asset_id}/display", response_class=FileResponse, responses=errors(401, 404))
def display_mesh(
    db: SessionDep,
    user: OptionalUser,
    storage: StorageDep,
    settings: SettingsDep,
    asset_id: uuid.UUID,
) -> FileResponse:
    """The one mesh to show, for clients that take no ladder: the densest display tier for
    those who own the model, the densest preview tier for everyone else."""
    asset = catalogue.visible(db, user, asset_id)
    best = mesh_tiers.best_display(db, user, asset, settings.display_max_triangles)
    if best is not None:
        key: str | None = best.storage_key
    elif mesh_tiers.full_access(db, user, asset):
        key = asset.display_file_path  # processed before ladders were kept
    else:
        raise ApiError(404, ErrorCode.FILE_NOT_FOUND, "This asset has no preview mesh yet.")
    headers = {"Cache-Control": PER_CALLER}
    return _file(storage, key, GLB, f"{asset.id}.glb", headers)


@router.get("/{asset_id}/thumbnail", response_class=FileResponse, responses=errors(401, 404))
def thumbnail(
    db: SessionDep,
    user: OptionalUser,
    storage: StorageDep,
    asset_id: uuid.UUID,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """The asset's picture for catalogue pages. Its ETag names the stored file (processing
    names it by the model's digest, so a new picture is a new key) and its size, checked
    after who may see the asset: a client revalidating a page of thumbnails gets 304s."""
    asset = catalogue.visible(db, user, asset_id)
    key = asset.thumbnail_path
    if not key or not storage.exists(key):
        raise ApiError(404, ErrorCode.FILE_NOT_FOUND, "This asset has no such file.")
    size = storage.local_path(key).stat().st_size
    headers = {"ETag": etag_of(f"{asset.id}/{key}/{size}".encode())}
    if not_modified(if_none_match, headers["ETag"]):
        return Response(status_code=304, headers=headers)
    return _file(storage, key, "image/png", f"{asset.id}.png", headers)


@router.get("/{asset_id}/original", response_class=FileResponse, responses=errors(401, 403, 404))
def original_file(
    db: SessionDep, user: OptionalUser, storage: StorageDep, asset_id: uuid.UUID
) -> FileResponse:
    """The uploaded file itself: for its artist, admins, buyers with a paid order, and anyone
    when the model is free; 403 `not_owned` for everyone else."""
    asset = catalogue.visible(db, user, asset_id)
    if not mesh_tiers.full_access(db, user, asset):
        raise mesh_tiers.not_owned()
    name = asset.original_filename or f"{asset.id}"
    headers = {"Cache-Control": PER_CALLER}
    return _file(storage, asset.file_ref, "application/octet-stream", name, headers)
