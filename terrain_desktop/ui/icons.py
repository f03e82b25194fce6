"""Toolbar icons from a maintained icon package (qtawesome: Material Design Icons, MIT and
Apache 2.0 licensed, shipped inside the package), and a toolbar that keeps its width.

The toolbar shows icons only; each button's tooltip says what it does and its shortcut. Undo
and Redo keep their tooltip in step with the edit they would undo ("Undo Move"), so their
buttons never grow with a long action name and push the others along.
"""

from terrain_desktop.ui.qt import QAction, QSize, Qt, QToolBar

#: Toolbar action (by its text) -> icon name.
ICONS = {
    "New table…": "mdi6.table-plus",
    "Import model…": "mdi6.file-import-outline",
    "Browse catalogue…": "mdi6.storefront-outline",
    "Sync now": "mdi6.sync",
    "Undo": "mdi6.undo",
    "Redo": "mdi6.redo",
    "Rotate left": "mdi6.rotate-left",
    "Rotate right": "mdi6.rotate-right",
    "Duplicate": "mdi6.content-duplicate",
    "Copy": "mdi6.content-copy",
    "Paste": "mdi6.content-paste",
    "Delete": "mdi6.delete-outline",
    "Top view": "mdi6.view-grid-outline",
    "3D view": "mdi6.rotate-3d-variant",
    "Ruler": "mdi6.ruler",
    "Shadows": "mdi6.box-shadow",
}
ICON_COLOUR = "#3a4350"


def decorate(bar: QToolBar) -> None:
    import qtawesome

    bar.setIconSize(QSize(22, 22))
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
    for action in bar.actions():
        name = _icon_for(action)
        if name is None:
            continue
        action.setIcon(qtawesome.icon(name, color=ICON_COLOUR))
        if not action.text().startswith(("Undo", "Redo")):  # those follow their own text
            shortcut = action.shortcut().toString()
            label = action.text().rstrip("…")
            action.setToolTip(f"{label} ({shortcut})" if shortcut else label)


def _icon_for(action: QAction) -> str | None:
    text = action.text()
    for prefix in ("Undo", "Redo"):
        if text.startswith(prefix):
            return ICONS[prefix]
    return ICONS.get(text)
