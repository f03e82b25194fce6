"""Signing in to (or creating) an account on the server. A new account's password is typed
twice, and OK waits until both match."""

from terrain_desktop.ui.qt import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)


class SignInDialog(QDialog):
    def __init__(self, server_url: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sign in")
        self.email = QLineEdit(placeholderText="you@example.com")
        self.password = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.register = QCheckBox("Create a new account")
        self.confirm = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.confirm_label = QLabel("Confirm password")
        self.mismatch = QLabel("The passwords differ.")
        self.mismatch.setStyleSheet("color: #c0392b")
        note = QLabel(
            f"Server: {server_url}\nTables made without an account move to it when you sign in."
        )
        note.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(note)
        form.addRow("E-mail", self.email)
        form.addRow("Password", self.password)
        form.addRow(self.register)
        form.addRow(self.confirm_label, self.confirm)
        form.addRow(self.mismatch)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        for field in (self.password, self.confirm):
            field.textChanged.connect(lambda _: self._check())
        self.register.toggled.connect(lambda _: self._check())
        self._check()

    def _check(self) -> None:
        """Signing up: the confirmation shows, and OK needs it to match."""
        signing_up = self.register.isChecked()
        self.confirm.setVisible(signing_up)
        self.confirm_label.setVisible(signing_up)
        differ = signing_up and self.confirm.text() != self.password.text()
        self.mismatch.setVisible(differ and bool(self.confirm.text()))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not differ)
