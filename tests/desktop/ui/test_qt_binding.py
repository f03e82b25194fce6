"""The Qt binding in use keeps Python's reference counts: PySide6 6.12.0 under CPython 3.11
dropped a reference to None on every call of a Qt method returning nothing, and the app
aborted ("deallocating None") after a few thousand calls, e.g. while scrolling the
catalogue browser for a while."""

import sys

from pytestqt.qtbot import QtBot

from terrain_desktop.ui.qt import QApplication, QLabel


def test_calling_qt_methods_leaves_none_alive(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for index in range(10_000):  # more calls than None has references on CPython 3.11
        label.setText(str(index))
        QApplication.processEvents()
    assert sys.getrefcount(None) >= before - 100  # room for unrelated objects coming and going
