"""View-menu actions that show and hide panels (docks and toolbars).

Qt gives every dock and toolbar a ready-made `toggleViewAction()`, but that QAction is made in
C++ and meets Python only when it is asked for. In long sessions (and long test runs) PySide
has handed back a stale wrapper for it, an object of another class left at the same address
(a `QSurface` once), and the View menu then failed to build. An action made here is a Python
object from its start, so that cannot happen; it behaves as Qt's does: checked while the panel
is not closed (a dock tabbed behind another stays checked), and checking it shows and raises
the panel.
"""

from terrain_desktop.ui.qt import QAction, QDockWidget, QToolBar, QWidget


def panel_action(panel: QDockWidget | QToolBar, parent: QWidget) -> QAction:
    """A checkable action that shows or closes `panel`, kept in step with it."""
    action = QAction(panel.windowTitle(), parent)
    action.setCheckable(True)
    action.setChecked(not panel.isHidden())

    def show(checked: bool) -> None:
        panel.setVisible(checked)
        if checked:
            panel.raise_()

    def follow(_visible: bool) -> None:
        action.setChecked(not panel.isHidden())

    action.triggered.connect(show)
    panel.visibilityChanged.connect(follow)
    panel.windowTitleChanged.connect(action.setText)
    return action
