"""Meshes on demand: which of a table's assets still need their display mesh, and the work of
fetching them (what is known of each asset first, so placeholders get the right size, then
the meshes, with progress), without a window.

The window runs `download` in the background when a table opens (a sync brought its pieces)
or its library grows (an asset or a set was added); the CLI and tests call it directly.
"""

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field

from terrain_desktop.domain.catalogue import bundled_library
from terrain_desktop.store.local_store import LocalStore
from terrain_desktop.store.mesh_cache import (
    DRAWN_TRIANGLES,
    DisplayMeshCache,
    DownloadRejected,
    TierRef,
)
from terrain_desktop.sync import mesh_client
from terrain_desktop.sync.client import ApiClient, ApiRefused, ApiUnavailable


@dataclass(frozen=True)
class MeshProgress:
    """One step of a download round, for a status bar or a drawer item."""

    asset_id: str
    name: str
    #: 1-based position of this asset in the round, and how many there are.
    index: int
    count: int
    done_bytes: int
    total_bytes: int | None
    #: "info" while learning what the assets are, "known" once this one's size is known (its
    #: placeholder can take it); "mesh" while a mesh streams; "done" once this asset's mesh
    #: is on disk (the view can swap it in).
    stage: str

    @property
    def percent(self) -> int | None:
        if not self.total_bytes:
            return None
        return min(100, round(100 * self.done_bytes / self.total_bytes))

    def message(self) -> str:
        if self.stage == "info":
            return f"Looking up {self.count} piece(s) on the server…"
        share = f" {self.percent}%" if self.percent is not None else ""
        return f"Downloading “{self.name}” ({self.index} of {self.count}){share}…"


@dataclass
class DownloadReport:
    downloaded: list[str] = field(default_factory=list)
    #: Assets the server refused or sent damaged, with the reason.
    failed: dict[str, str] = field(default_factory=dict)
    #: The server could not be reached: the rest waits for the next try.
    offline: bool = False

    def message(self) -> str:
        if self.offline:
            return "Offline: pieces without their mesh show as boxes until the server answers."
        if self.failed:
            return f"{len(self.failed)} mesh(es) could not be downloaded: " + "; ".join(
                sorted(set(self.failed.values()))
            )
        return f"Downloaded {len(self.downloaded)} mesh(es)."


def local_ids(store: LocalStore) -> set[str]:
    """Assets whose meshes are on this device anyway: the bundled library and imports."""
    return set(bundled_library()) | {str(row["id"]) for row in store.local_assets()}


def wanted(store: LocalStore, table_id: str) -> list[str]:
    """The server assets a table uses or offers: its pieces first, then its library."""
    ids = [p.asset_id for p in store.pieces(table_id)] + store.library(table_id)
    local = local_ids(store)
    return [a for a in dict.fromkeys(ids) if a and a not in local]


def missing(store: LocalStore, cache: DisplayMeshCache, table_id: str) -> list[str]:
    """What `wanted` lists and the cache lacks (or holds damaged): no mesh yet, or tiers of
    its ladder still to come."""
    return [a for a in wanted(store, table_id) if incomplete(cache, a)]


def incomplete(cache: DisplayMeshCache, asset_id: str) -> bool:
    """No mesh on disk yet, or tiers of its ladder still to come."""
    return cache.path(asset_id) is None or bool(_to_fetch(cache, asset_id))


def _to_fetch(cache: DisplayMeshCache, asset_id: str) -> list[TierRef]:
    """The asset's listed tiers the view may draw and the disk lacks, coarsest first."""
    on_disk = {p.stem for p in cache.tier_paths(asset_id, DRAWN_TRIANGLES)}
    drawn = [t for t in cache.ladder(asset_id) if t.triangles <= DRAWN_TRIANGLES]
    return [t for t in reversed(drawn) if t.sha256 not in on_disk]


def download(
    client: ApiClient,
    cache: DisplayMeshCache,
    asset_ids: Iterable[str],
    report: Callable[[MeshProgress], None] = lambda _: None,
    cancelled: Callable[[], bool] = lambda: False,
    refresh_info: bool = False,
    refresh: Collection[str] = (),
) -> DownloadReport:
    """Learn what each asset is and which tiers of its ladder this device may have (unless
    known), then stream the tiers into the cache: every asset's coarsest tier first, so the
    whole table shows soon, then the finer ones round by round. The server builds the
    ladder; nothing here rebuilds one. An asset the server lists no tiers for (a server from
    before ladders) gets its one display mesh instead.

    Stops at the first sign the server is unreachable (`offline`), so an offline device
    spends one attempt, not one per asset. Refusals and damaged downloads are per asset.
    `refresh_info` asks again about every asset, `refresh` about those (after a purchase:
    the full tiers join the previews).
    """
    ids = list(dict.fromkeys(asset_ids))
    result = DownloadReport()
    known = cache.known()
    unknown = [
        a for a in ids if refresh_info or a in refresh or a not in known or not cache.ladder(a)
    ]
    try:
        for position, asset_id in enumerate(unknown, 1):
            report(MeshProgress(asset_id, "", position, len(unknown), 0, None, "info"))
            try:
                asset = mesh_client.fetch_asset(client, asset_id)
            except ApiRefused as refusal:
                result.failed[asset_id] = refusal.message
                continue
            info = mesh_client.asset_info(asset)
            cache.remember(info)
            cache.set_ladder(asset_id, mesh_client.tier_refs(asset))
            report(MeshProgress(asset_id, info.name, position, len(unknown), 0, None, "known"))
        known = cache.known()
        queue = _rounds(cache, [a for a in ids if a not in result.failed])
        for position, (asset_id, tier) in enumerate(queue, 1):
            if asset_id in result.failed or cancelled():
                continue
            name = known[asset_id].name if asset_id in known else asset_id
            progress = _streaming(report, asset_id, name, position, len(queue))
            try:
                if tier is None:
                    mesh_client.download_display(client, cache, asset_id, progress, cancelled)
                else:
                    mesh_client.download_tier(
                        client, cache, asset_id, tier, DRAWN_TRIANGLES, progress, cancelled
                    )
            except ApiRefused as refusal:
                result.failed[asset_id] = refusal.message
                continue
            except DownloadRejected as damaged:
                result.failed[asset_id] = f"damaged download ({damaged})"
                continue
            except mesh_client.DownloadCancelled:
                break
            if not cache.thumbnail_path(asset_id).is_file():
                mesh_client.download_thumbnail(client, cache, asset_id)
            if asset_id not in result.downloaded:
                result.downloaded.append(asset_id)
            report(MeshProgress(asset_id, name, position, len(queue), 1, 1, "done"))
    except ApiUnavailable:
        result.offline = True
    return result


def _rounds(cache: DisplayMeshCache, ids: list[str]) -> list[tuple[str, TierRef | None]]:
    """What to fetch, in order: round one is each asset's coarsest missing tier (or its
    display mesh when the server lists no ladder), later rounds the next finer ones."""
    plans: list[list[tuple[str, TierRef | None]]] = []
    for asset_id in ids:
        if cache.ladder(asset_id):
            plans.append([(asset_id, t) for t in _to_fetch(cache, asset_id)])
        elif cache.path(asset_id) is None:
            plans.append([(asset_id, None)])
    depth = max((len(p) for p in plans), default=0)
    return [plan[i] for i in range(depth) for plan in plans if i < len(plan)]


def _streaming(
    report: Callable[[MeshProgress], None], asset_id: str, name: str, index: int, count: int
) -> mesh_client.BytesProgress:
    def progress(done: int, total: int | None) -> None:
        report(MeshProgress(asset_id, name, index, count, done, total, "mesh"))

    return progress
