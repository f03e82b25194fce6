"""Using an asset on the desktop reaches the server's recent list and popularity, by sync."""

import dataclasses
from pathlib import Path

import httpx
from sqlalchemy.orm import Session

from terrain_desktop.app.editor import Editor
from terrain_desktop.domain.catalogue import bundled_library
from tests.integration.conftest import LiveServer, make_device, register
from tests.server.factories import make_artist, make_asset

BARREL = next(a for a in bundled_library().values() if a.name == "Barrel")


def test_placing_an_asset_counts_as_recent_use_on_the_server(
    tmp_path: Path, live: LiveServer, db: Session
) -> None:
    artist = make_artist(db)
    wall, hill = make_asset(db, artist, "Ruined wall"), make_asset(db, artist, "Hill")
    db.commit()
    token, user_id = register(live.url)
    device = make_device(tmp_path, "a", live.url, token=token, user_id=user_id)
    editor = Editor(device.store)
    table = editor.create_table("Usage", 1200, 900)
    for asset in (wall, hill):
        device.store.add_library_asset(table, str(asset.id))
    on_desktop = {
        asset.id: dataclasses.replace(BARREL, id=str(asset.id), name=asset.name)
        for asset in (wall, hill)
    }

    editor.place(on_desktop[wall.id], 100, 100)
    editor.place(on_desktop[hill.id], 300, 100)
    editor.place(on_desktop[wall.id], 500, 100)
    device.sync()

    recent = httpx.get(
        f"{live.url}/api/tables/{table}/library/recent",
        headers={"Authorization": f"Bearer {token}"},
    ).json()["assets"]
    assert [(r["asset"]["id"], r["use_count"]) for r in recent] == [
        (str(wall.id), 2),
        (str(hill.id), 1),
    ]
    assert editor.recent()[:2] == [str(wall.id), str(hill.id)]  # the drawer agrees
    assert device.store.pending_count() == 0
