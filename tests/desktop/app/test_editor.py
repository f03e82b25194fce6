"""The operations layer without a window: what the toolbar does, done from a script."""

import csv
from pathlib import Path

import pytest

from terrain_desktop.app import preferences as prefs
from terrain_desktop.app.editor import Editor
from terrain_desktop.app.exports import export_csv
from terrain_desktop.app_data import ensure_sample_table
from terrain_desktop.domain.catalogue import bundled_library
from terrain_desktop.domain.commands import UndoStack
from terrain_desktop.domain.units import LengthUnit
from terrain_desktop.store.local_store import LocalStore, TableLimitReached
from terrain_protocol.plans import TablePlan

LIBRARY = {a.name: a for a in bundled_library().values()}


@pytest.fixture
def editor(tmp_path: Path) -> Editor:
    store = LocalStore(tmp_path / "store.sqlite")
    ensure_sample_table(store)
    editor = Editor(store, plan=lambda: TablePlan.ANON_FREE)
    editor.open_last_table()
    return editor


def test_a_table_made_edited_and_exported_without_a_window(editor: Editor, tmp_path: Path) -> None:
    table = editor.create_table("Script table", 1200, 900)
    assert editor.doc is not None and editor.doc.table_id == table
    editor.place(LIBRARY["Barrel"], 100, 100)
    editor.place(LIBRARY["Boulder"], 400, 300)
    editor.doc.select(set(editor.doc.pieces))
    editor.rotate(30, snapping=True)
    editor.duplicate()

    assert len(editor.doc.pieces) == 4
    assert set(editor.recent()[:2]) == {LIBRARY["Boulder"].id, LIBRARY["Barrel"].id}
    export_csv(editor.doc, editor.catalogue, tmp_path / "print.csv")
    rows = list(csv.reader((tmp_path / "print.csv").open()))
    assert sorted((r[0], r[1]) for r in rows[1:]) == [("Barrel", "2"), ("Boulder", "2")]

    history = editor.history
    assert isinstance(history, UndoStack)
    history.undo()  # the duplicate of two pieces: one step
    assert len(editor.doc.pieces) == 2


def test_archiving_the_open_table_opens_another_and_the_limit_holds(editor: Editor) -> None:
    sample = editor.doc.table_id  # type: ignore[union-attr]
    editor.create_table("Two", 1200, 900)
    editor.create_table("Three", 1200, 900)
    with pytest.raises(TableLimitReached):
        editor.create_table("Four", 1200, 900)

    editor.archive_table(editor.doc.table_id)  # type: ignore[union-attr]
    assert editor.doc is not None and editor.doc.table_id == sample
    editor.create_table("Four", 1200, 900)  # room again


def test_preferences_are_typed_and_survive_a_restart(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "store.sqlite")
    preferences = prefs.Preferences(store)
    assert preferences.get(prefs.LENGTH_UNIT) is LengthUnit.MM
    preferences.set(prefs.LENGTH_UNIT, LengthUnit.INCH)
    preferences.set(prefs.saved_camera("t"), [[1.0, 2.0, 3.0]])
    store.close()

    again = prefs.Preferences(LocalStore(tmp_path / "store.sqlite"))
    assert again.get(prefs.LENGTH_UNIT) is LengthUnit.INCH
    assert again.get(prefs.saved_camera("t")) == [[1.0, 2.0, 3.0]]
    assert again.get(prefs.recent_assets("t")) == []
