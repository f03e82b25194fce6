"""What a controller may ask of the window it lives in, as Sweet Home 3D's view interfaces:
a frame to hang docks, menus and dialogs on, and the status line. Controllers take this and
the `AppShell`, never the concrete `MainWindow`, so none of them imports the window module
and the window can change without them."""

from typing import Protocol

from terrain_desktop.ui.qt import QMainWindow


class WindowView(Protocol):
    @property
    def frame(self) -> QMainWindow:
        """The window as Qt sees it: the parent of dialogs, docks, menus and the status bar."""
        ...

    def show_message(self, text: str, milliseconds: int) -> None:
        """A line in the status bar for `milliseconds` (0: until replaced; "" clears it)."""
        ...
