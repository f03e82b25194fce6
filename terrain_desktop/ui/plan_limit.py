"""Telling a user why one more table cannot be made, the same way wherever it happens (a new
table, a clone), with an Upgrade button once something offers upgrades.

Orders (and with them the Pro upgrade) are added elsewhere; that code calls `set_upgrade` with
what the button should do, and every explanation from then on offers it.
"""

from collections.abc import Callable

from terrain_desktop.ui.qt import QMessageBox, QWidget

TITLE = "Table limit reached"

_upgrade: Callable[[QWidget], None] | None = None


def set_upgrade(action: Callable[[QWidget], None] | None) -> None:
    """What "Upgrade…" does (opens the plan's checkout, say); None removes the button."""
    global _upgrade
    _upgrade = action


def explain_limit(parent: QWidget, explanation: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Information, TITLE, explanation, parent=parent)
    box.setObjectName("table limit")
    box.addButton(QMessageBox.StandardButton.Ok)
    action = _upgrade
    upgrade = box.addButton("Upgrade…", QMessageBox.ButtonRole.ActionRole) if action else None
    box.exec()
    if action is not None and upgrade is not None and box.clickedButton() is upgrade:
        action(parent)
