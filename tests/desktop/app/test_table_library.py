"""The table library manager's operation, without a window: filters, and removals that can be
undone for five minutes and not after."""

from pathlib import Path

import pytest

from terrain_desktop.app.editor import Editor
from terrain_desktop.app.syncing import SyncOperation
from terrain_desktop.app.table_library import TableLibrary, UndoExpired
from terrain_desktop.domain.catalogue import bundled_library
from terrain_desktop.store.local_store import LocalStore
from terrain_protocol.library import UNDO_WINDOW_SECONDS


class Clock:
    """The time the operation reads; the test moves it instead of sleeping."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[TableLibrary, Clock]:
    monkeypatch.setenv("TERRAIN_DESKTOP_DATA", str(tmp_path))
    store = LocalStore(tmp_path / "terrain.sqlite")
    editor = Editor(store)
    editor.create_table("Library", 1200, 900)
    clock = Clock()
    return TableLibrary(editor, SyncOperation(store), clock), clock


def test_filters_by_text_category_and_source(library: tuple[TableLibrary, Clock]) -> None:
    manager, _ = library
    everything = manager.entries()
    assert len(everything) == len(bundled_library())
    assert {e.source for e in everything} == {"sample"} and all(e.on_device for e in everything)
    hills = manager.entries(category="hills")
    assert hills and all(e.asset.category == "hills" for e in hills)
    assert [e.asset.name for e in manager.entries(text="BARREL")] == ["Barrel", "Barrel cluster"]
    assert manager.entries(source="catalogue") == []
    assert "hills" in manager.categories()


def test_a_removal_can_be_undone_for_five_minutes(library: tuple[TableLibrary, Clock]) -> None:
    manager, clock = library
    store, doc = manager.editor.store, manager.editor.doc
    assert doc is not None
    barrel = next(a for a in bundled_library().values() if a.name == "Barrel")
    heard: list[None] = []
    manager.editor.library_changed.connect(heard.append)

    removal = manager.remove(barrel.id)
    assert removal is not None and removal.name == "Barrel"
    assert barrel.id not in store.library(doc.table_id) and heard

    clock.now += UNDO_WINDOW_SECONDS - 1
    work = manager.undo_work(removal)
    on_server = work()  # this table never reached a server: undone here
    assert on_server is False
    assert "back in the library" in manager.undone(removal, on_server)
    assert barrel.id in store.library(doc.table_id)
    assert store.pending()[-1].kind == "restore_library_asset"  # it syncs like the removal

    again = manager.remove(barrel.id)
    assert again is not None
    clock.now += UNDO_WINDOW_SECONDS + 1
    with pytest.raises(UndoExpired, match="five minutes"):
        manager.undo_work(again)
    assert barrel.id not in store.library(doc.table_id)
