"""The sync indicator in the status bar: a coloured dot, a few words (offline, syncing, up to
date, N changes waiting, N changes not accepted (with Details…), or the error and its
reason) and a Sync now button. The longer story
is in its tooltip. It only shows the controller's `SyncStatus`."""

from terrain_desktop.app.sync_status import SyncState, SyncStatus
from terrain_desktop.ui.qt import QAction, QHBoxLayout, QLabel, QPushButton, QWidget

COLOURS = {
    SyncState.NOT_CONNECTED: "#8a8a8a",
    SyncState.OFFLINE: "#8a8a8a",
    SyncState.SYNCING: "#2f7fd8",
    SyncState.UP_TO_DATE: "#2e9e4f",
    SyncState.WAITING: "#d59a16",
    SyncState.ERROR: "#d23a2a",
    SyncState.NOT_ACCEPTED: "#d2691e",
    SyncState.SIGNED_OUT: "#d59a16",
}


class SyncIndicator(QWidget):
    def __init__(self, sync_action: QAction, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sync indicator")
        self.dot = QLabel("●")
        self.label = QLabel()
        self.button = QPushButton("Sync now")
        self.button.setFlat(True)
        self.button.setToolTip("Sync now (F5)")
        self.button.clicked.connect(sync_action.trigger)
        sync_action.enabledChanged.connect(self.button.setEnabled)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(4)
        layout.addWidget(self.dot)
        layout.addWidget(self.label)
        layout.addWidget(self.button)
        #: Opens the Sync problems list; shown while changes were not accepted.
        self.problems_button = QPushButton("Details…")
        self.problems_button.setFlat(True)
        self.problems_button.setToolTip("What the server did not accept, and what to do")
        self.problems_button.hide()
        layout.addWidget(self.problems_button)
        self.status: SyncStatus | None = None

    def show_status(self, status: SyncStatus) -> None:
        self.status = status
        self.dot.setStyleSheet(f"color: {COLOURS[status.state]}")
        self.label.setText(status.text)
        self.setToolTip(status.tooltip)
        self.label.setToolTip(status.tooltip)
        self.problems_button.setVisible(status.state == SyncState.NOT_ACCEPTED)

    @property
    def text(self) -> str:
        return self.label.text()
