"""An artist's journey in the real window against the real server on loopback, with a real
`terrain-server worker` processing the uploads: become an artist, upload a real OpenForge
STL through the wizard (checking its units), wait for processing, publish it in My models and
find it in the app's catalogue browser; a broken file shows the server's reason; Cancel
during an upload leaves nothing on the server."""

import subprocess
from decimal import Decimal
from pathlib import Path

import httpx
import numpy as np
import trimesh
from pytestqt.qtbot import QtBot

from server.settings import Settings
from terrain_desktop.ui.catalogue_window import CatalogueWindow
from terrain_desktop.ui.main_window import MainWindow
from terrain_desktop.ui.my_models import EditModelDialog, MyModelsDialog
from terrain_desktop.ui.qt import (
    QApplication,
    QDialogButtonBox,
    QMessageBox,
    Qt,
    QWidget,
    QWizard,
)
from terrain_desktop.ui.upload_wizard import UploadWizard
from tests.desktop.ui.conftest import answer_next_dialog
from tests.integration.conftest import LiveServer
from tests.integration.test_uploads import worker  # noqa: F401 (the worker fixture)
from tests.keyring_memory import MemoryKeyring
from tests.shared_testdata import openforge

WAIT_MS = 120_000


def sign_in_as_new_account(qtbot: QtBot, window: MainWindow, email: str) -> None:
    from terrain_desktop.ui.sign_in_dialog import SignInDialog

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, SignInDialog)
        dialog.email.setText(email)
        dialog.password.setText("a long enough password")
        dialog.register.setChecked(True)
        dialog.confirm.setText("a long enough password")  # typed twice for a new account
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    answer_next_dialog(qtbot, fill)
    window.sign_in_action.trigger()
    qtbot.waitUntil(lambda: window.signed_in_user() is not None, timeout=30_000)
    qtbot.waitUntil(lambda: window.sync_action.isEnabled(), timeout=30_000)


def become_artist(qtbot: QtBot, window: MainWindow, name: str) -> None:
    from terrain_desktop.ui.artist_profile_dialog import ArtistProfileDialog

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, ArtistProfileDialog)
        qtbot.keyClicks(dialog.name, name)
        qtbot.keyClicks(dialog.bio, "Gothic ruins for 28 mm skirmish games.")
        qtbot.keyClicks(dialog.link, "https://ruins.example.com")
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    answer_next_dialog(qtbot, fill)
    window.artists.become_action.trigger()
    qtbot.waitUntil(
        lambda: "You are an artist now" in window.statusBar().currentMessage(), timeout=30_000
    )


def start_wizard(qtbot: QtBot, window: MainWindow, path: Path) -> UploadWizard:
    window.artists.upload_action.trigger()
    wizard = window.artists.wizard
    assert isinstance(wizard, UploadWizard)
    qtbot.waitExposed(wizard)
    qtbot.keyClicks(wizard.file_page.path, str(path))
    next_button(wizard).click()
    qtbot.waitUntil(wizard.check_page.isComplete, timeout=WAIT_MS)
    return wizard


def next_button(wizard: UploadWizard) -> QWidget:
    button = wizard.button(QWizard.WizardButton.NextButton)
    assert button.isEnabled()
    return button


def fill_details(qtbot: QtBot, wizard: UploadWizard, name: str, price: str) -> None:
    page = wizard.details_page
    page.name.clear()
    qtbot.keyClicks(page.name, name)
    page.category.setCurrentText("Walls")
    qtbot.keyClicks(page.tags, "gothic, ruin")
    page.price.clear()
    qtbot.keyClicks(page.price, price)
    page.licence.setCurrentIndex(page.licence.findData("commercial-prints"))


def bearer(keyring: MemoryKeyring, live: LiveServer, window: MainWindow) -> dict[str, str]:
    token = keyring.get_password("terrain-builder", f"{live.url}|{window.signed_in_user()}")
    assert token
    return {"Authorization": f"Bearer {token}"}


def test_an_artist_uploads_a_real_stl_publishes_it_and_finds_it_in_the_catalogue(
    qtbot: QtBot,
    open_window,  # type: ignore[no-untyped-def]
    live: LiveServer,
    worker: subprocess.Popen[bytes],  # noqa: F811
    memory_keyring: MemoryKeyring,
) -> None:
    window: MainWindow = open_window()
    window.store.set_meta("server_url", live.url)
    sign_in_as_new_account(qtbot, window, "sculptor@example.com")
    become_artist(qtbot, window, "Crumbling Keep Studio")
    profile = httpx.get(f"{live.url}/api/auth/me", headers=bearer(memory_keyring, live, window))
    assert profile.json()["user"]["role"] == "artist"

    wizard = start_wizard(qtbot, window, openforge("of_face_25.stl"))

    check = wizard.check_page
    assert "of_face_25.stl: 2,168 triangles" in check.status.text()
    assert "drawn in millimetres" in check.status.text()
    mm_size = check.size_label.text()
    check.units.setCurrentIndex(check.units.findText("inches"))  # the artist tries inches…
    assert check.size_label.text() != mm_size and "in these units" not in check.problems.text()
    check.units.setCurrentIndex(check.units.findText("millimetres"))  # …and goes back
    assert check.size_label.text() == mm_size
    assert check.preview is not None and check.preview.isVisible()
    next_button(wizard).click()
    assert wizard.details_page.name.text() == "Face 25"  # tidied from the file name
    fill_details(qtbot, wizard, "Crumbling face", "2.5")
    next_button(wizard).click()

    page = wizard.upload_page
    qtbot.waitUntil(lambda: page.ended, timeout=WAIT_MS)
    assert page.asset is not None and page.asset.processing_state == "ready", page.status.text()
    assert "is ready" in page.status.text()
    wizard.button(QWizard.WizardButton.FinishButton).click()

    dialog = window.artists.models_dialog
    assert isinstance(dialog, MyModelsDialog)
    qtbot.waitUntil(lambda: len(dialog.models) == 1 and not dialog.busy, timeout=30_000)
    model = dialog.models[0]
    assert model.name == "Crumbling face" and model.status == "draft"
    assert str(model.base_price) == "2.50" and model.category == "walls"
    assert model.tags == ["gothic", "ruin"] and model.source_units == "mm"
    assert model.licence == "commercial-prints"
    assert dialog.selected() == model  # the new model is the one chosen
    assert [dialog.table.item(0, c).text() for c in range(6)] == [
        "Crumbling face",
        "draft",
        "$2.50",
        "0",
        "0",
        "0",
    ]
    not_yet = httpx.get(f"{live.url}/api/library/assets", params={"q": "crumbling"}).json()
    assert not_yet["total"] == 0  # a draft is not in the catalogue

    dialog.publish.click()
    qtbot.waitUntil(
        lambda: not dialog.busy and dialog.models[0].status == "published", timeout=30_000
    )
    assert dialog.table.item(0, 1).text() == "published" and dialog.unpublish.isEnabled()

    # The artist finds it in the app's catalogue browser, with a typo, and opens it.
    window.actions_.catalogue.trigger()
    catalogue = window.catalogue_window
    assert isinstance(catalogue, CatalogueWindow)
    qtbot.waitExposed(catalogue)
    browser = catalogue.browser
    browser.search.clear()
    qtbot.keyClicks(browser.search, "crumblng")
    qtbot.waitUntil(
        lambda: (
            browser.query.text == "crumblng" and browser.item_named("Crumbling face") is not None
        ),
        timeout=30_000,
    )
    item = browser.item_named("Crumbling face")
    assert item is not None and browser.total == 1
    assert "preview" not in item.text()  # the artist's own model: no preview mark
    rect = browser.list.visualItemRect(item)
    qtbot.mouseClick(browser.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    detail = catalogue.detail
    qtbot.waitUntil(lambda: detail.mesh_shown, timeout=30_000)  # its display mesh, in 3D
    assert detail.title.text() == "Crumbling face"
    assert detail.artist.text() == "Crumbling Keep Studio" and detail.price.text() == "$2.50"
    assert detail.triangles.text() == f"{model.poly_count:,}"
    catalogue.close()

    # Edit: a new price and tags, from My models.
    def edit(box: QWidget) -> None:
        assert isinstance(box, EditModelDialog)
        box.price.clear()
        qtbot.keyClicks(box.price, "3.75")
        box.tags.clear()
        qtbot.keyClicks(box.tags, "gothic, ruin, face")
        assert box.licence.currentData() == "commercial-prints"
        box.licence.setCurrentIndex(box.licence.findData("cc-by-4.0"))
        box.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    answer_next_dialog(qtbot, edit)
    dialog.edit.click()
    qtbot.waitUntil(
        lambda: not dialog.busy and dialog.models[0].base_price == Decimal("3.75"), timeout=30_000
    )
    assert dialog.models[0].tags == ["gothic", "ruin", "face"]
    assert dialog.models[0].licence == "cc-by-4.0"
    assert dialog.table.item(0, 2).text() == "$3.75"

    dialog.unpublish.click()
    qtbot.waitUntil(lambda: not dialog.busy and dialog.models[0].status == "draft", timeout=30_000)
    gone = httpx.get(f"{live.url}/api/library/assets", params={"q": "crumbling"}).json()
    assert gone["total"] == 0


def too_big_stl(path: Path) -> Path:
    """A real, readable mesh 20 m across: the local check warns, the server's worker refuses."""
    box = trimesh.creation.box(extents=(20_000.0, 400.0, 300.0))
    path.write_bytes(box.export(file_type="stl"))
    return path


def test_the_wizard_shows_a_models_size_in_the_units_setting(
    qtbot: QtBot,
    open_window,  # type: ignore[no-untyped-def]
    live: LiveServer,
) -> None:
    window: MainWindow = open_window()
    window.store.set_meta("server_url", live.url)
    sign_in_as_new_account(qtbot, window, "inches@example.com")
    become_artist(qtbot, window, "Imperial Works")
    window.inch_action.trigger()  # View ▸ Show inches

    wizard = start_wizard(qtbot, window, openforge("of_face_25.stl"))

    size = wizard.check_page.size_label.text()
    assert size.splitlines()[0].endswith(" in") and "mm" not in size
    wizard.reject()


def test_a_file_the_server_refuses_shows_the_servers_reason(
    qtbot: QtBot,
    open_window,  # type: ignore[no-untyped-def]
    live: LiveServer,
    worker: subprocess.Popen[bytes],  # noqa: F811
    tmp_path: Path,
) -> None:
    window: MainWindow = open_window()
    window.store.set_meta("server_url", live.url)
    sign_in_as_new_account(qtbot, window, "bridge-builder@example.com")
    become_artist(qtbot, window, "Long Bridges")

    wizard = start_wizard(qtbot, window, too_big_stl(tmp_path / "long_bridge.stl"))
    assert "the server refuses models over 10 m" in wizard.check_page.problems.text()
    next_button(wizard).click()
    wizard.details_page.category.setCurrentText("Walls")  # no category is guessed
    next_button(wizard).click()  # uploaded anyway: the server has the last word

    page = wizard.upload_page
    qtbot.waitUntil(lambda: page.ended, timeout=WAIT_MS)
    assert page.asset is not None and page.asset.processing_state == "failed"
    assert "The server could not process it" in page.status.text()
    assert "at most 10 m is accepted" in page.status.text()  # the worker's own sentence
    assert not wizard.button(QWizard.WizardButton.CancelButton).isVisible()  # nothing to cancel
    wizard.button(QWizard.WizardButton.FinishButton).click()
    dialog = window.artists.models_dialog
    assert isinstance(dialog, MyModelsDialog)
    qtbot.waitUntil(lambda: len(dialog.models) == 1 and not dialog.busy, timeout=30_000)
    assert dialog.table.item(0, 1).text().startswith("failed: The model is 20.0 m across")
    assert not dialog.publish.isEnabled()


def big_stl(path: Path, copies: int) -> Path:
    """A real OpenForge part laid out `copies` times: tens of megabytes to send."""
    part = trimesh.load_mesh(openforge("of_face_25.stl"), process=False)
    width = float(part.extents[0]) + 1.0
    shifts = [np.array([i * width, 0.0, 0.0]) for i in range(copies)]
    vertices = np.concatenate([part.vertices + shift for shift in shifts])
    faces = np.concatenate([part.faces + i * len(part.vertices) for i in range(copies)])
    trimesh.Trimesh(vertices, faces, process=False).export(path, file_type="stl")
    return path


def test_cancel_during_the_upload_leaves_nothing_on_the_server(
    qtbot: QtBot,
    open_window,  # type: ignore[no-untyped-def]
    live: LiveServer,
    settings: Settings,
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
) -> None:
    window: MainWindow = open_window()
    window.store.set_meta("server_url", live.url)
    sign_in_as_new_account(qtbot, window, "hesitant@example.com")
    become_artist(qtbot, window, "Second Thoughts")
    path = big_stl(tmp_path / "big_wall.stl", copies=300)
    assert path.stat().st_size > 30_000_000

    wizard = start_wizard(qtbot, window, path)
    next_button(wizard).click()
    wizard.details_page.category.setCurrentText("Walls")
    next_button(wizard).click()
    page = wizard.upload_page
    qtbot.waitUntil(lambda: page.progress.value() > 0, timeout=WAIT_MS)
    assert page.progress.value() < 100 and "Sending" in page.status.text()
    wizard.button(QWizard.WizardButton.CancelButton).click()

    assert not wizard.isVisible()
    op = page.op
    assert op is not None
    qtbot.waitUntil(lambda: not op.running, timeout=WAIT_MS)  # the request has ended
    mine = httpx.get(
        f"{live.url}/api/artists/me/models", headers=bearer(memory_keyring, live, window)
    )
    assert mine.json()["models"] == []
    stored = [
        p for p in Path(settings.storage_dir).rglob("*") if p.is_file() and "tmp" not in p.parts
    ]
    assert stored == []
    assert QApplication.activeModalWidget() is None or not isinstance(
        QApplication.activeModalWidget(), QMessageBox
    )


def test_artists_actions_ask_to_sign_in_first(qtbot: QtBot, open_window) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    told: list[str] = []

    def note(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        told.append(box.text())
        box.accept()

    answer_next_dialog(qtbot, note)
    window.artists.upload_action.trigger()

    assert told and "Sign in first" in told[0]
    assert window.artists.wizard is None
