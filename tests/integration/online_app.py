"""Helpers for the desktop's online journeys: app profiles (each its own data directory, as a
second installation or user would have), the real server as a separate process that can be
stopped and started again, and filling the app's dialogs as a user does."""

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from pytestqt.qtbot import QtBot

from server.settings import Settings
from terrain_desktop.app_data import ensure_sample_table
from terrain_desktop.store.local_store import LocalStore
from terrain_desktop.ui.main_window import MainWindow
from terrain_desktop.ui.qt import QDialogButtonBox, QInputDialog, QLineEdit, QWidget
from terrain_desktop.ui.sign_in_dialog import SignInDialog
from tests.desktop.ui.conftest import answer_next_dialog
from tests.integration.conftest import free_port

LAUNCH = """
import json, os, uvicorn
from server.app import create_app
from server.settings import Settings
settings = Settings(**json.loads(os.environ["TEST_SERVER_SETTINGS"]))
uvicorn.run(create_app(settings), host="127.0.0.1", port=int(os.environ["TEST_SERVER_PORT"]),
            log_level="warning")
"""


class ServerProcess:
    """`uvicorn` serving the real app in a process of its own, on a fixed loopback port."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = {
            **os.environ,
            "TEST_SERVER_SETTINGS": json.dumps(self.settings.model_dump(mode="json")),
            "TEST_SERVER_PORT": str(self.port),
        }
        self.process = subprocess.Popen([sys.executable, "-c", LAUNCH], env=env)
        deadline = time.monotonic() + 90
        while True:
            assert self.process.poll() is None, "the server exited during start-up"
            assert time.monotonic() < deadline, "the server did not answer within 90 s"
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.05)  # polling with a deadline: the server is another process

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        self.process = None


def open_profile(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, directory: Path) -> MainWindow:
    """The app as one installation would open it: its own data directory and store."""
    directory.mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("TERRAIN_DESKTOP_DATA", str(directory))
    store = LocalStore(directory / "terrain.sqlite")
    ensure_sample_table(store)
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    activate(qtbot, window)
    return window


def activate(qtbot: QtBot, window: MainWindow) -> None:
    """Bring the window to the front, as a click on it would: shortcuts go there."""
    window.activateWindow()
    window.raise_()
    qtbot.waitUntil(window.isActiveWindow)


def type_into_input(qtbot: QtBot, text: str) -> Callable[[QWidget], None]:
    """Answer a QInputDialog by typing `text` over what it offers, then OK."""

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, QInputDialog), dialog
        line = dialog.findChild(QLineEdit)
        assert line is not None
        line.selectAll()
        qtbot.keyClicks(line, text)
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    return fill


def choose_server(qtbot: QtBot, window: MainWindow, url: str) -> None:
    """File → Server address…, typed in."""
    answer_next_dialog(qtbot, type_into_input(qtbot, url))
    window.syncing.server_action.trigger()
    qtbot.waitUntil(lambda: window.sync.server_url() == url)


def sign_in(qtbot: QtBot, window: MainWindow, email: str, password: str, *, register: bool) -> None:
    """File → Sign in…, filled in and sent; waits for the account and the sync after it."""

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, SignInDialog)
        qtbot.keyClicks(dialog.email, email)
        qtbot.keyClicks(dialog.password, password)
        dialog.register.setChecked(register)
        if register:
            qtbot.keyClicks(dialog.confirm, password)  # typed twice for a new account
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    answer_next_dialog(qtbot, fill)
    window.sign_in_action.trigger()
    qtbot.waitUntil(lambda: window.signed_in_user() is not None, timeout=90_000)


def indicator(window: MainWindow) -> str:
    return window.online.indicator.text


def wait_up_to_date(qtbot: QtBot, window: MainWindow, timeout: int = 90_000) -> None:
    def up_to_date() -> None:  # on a timeout, the last state and its reason are shown
        shown = window.online.indicator
        assert shown.text == "Up to date", f"{shown.text} ({shown.toolTip()})"

    qtbot.waitUntil(up_to_date, timeout=timeout)
