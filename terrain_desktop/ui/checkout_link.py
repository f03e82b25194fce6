"""The payment link, for when no browser opened it (a computer without one, or a browser that
did not come forward): the link to copy into any browser, Copy, and Open again. Shown beside
the cart while the order is followed; it closes once the order settles."""

from terrain_desktop.ui.qt import (
    QApplication,
    QDesktopServices,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QUrl,
    QVBoxLayout,
    QWidget,
)


class CheckoutLinkDialog(QDialog):
    def __init__(self, url: str, order_number: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checkout link")
        self.setWindowTitle(f"Pay for order {order_number}")
        self.url = url
        note = QLabel(
            "The payment page should be open in your browser. If it is not, open it again, "
            "or copy this link into any browser (on this or another device)."
        )
        note.setWordWrap(True)
        self.link = QLineEdit(url)
        self.link.setReadOnly(True)
        self.copied = QLabel()
        self.copy_button = QPushButton("Copy link")
        self.open_button = QPushButton("Open again")
        self.copy_button.clicked.connect(self.copy)
        self.open_button.clicked.connect(self.open_again)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        for widget in (note, self.link, self.copied, buttons):
            layout.addWidget(widget)

    def copy(self) -> None:
        QApplication.clipboard().setText(self.url)
        self.copied.setText("Copied: paste it into a browser's address bar.")

    def open_again(self) -> None:
        if not QDesktopServices.openUrl(QUrl(self.url)):
            self.no_browser()

    def no_browser(self) -> None:
        self.copied.setText("No browser could be opened here: copy the link instead.")
