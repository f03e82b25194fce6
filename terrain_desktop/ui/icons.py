"""Toolbar icons from a maintained icon package (qtawesome: Material Design Icons, MIT and
Apache 2.0 licensed, shipped inside the package), and a toolbar that keeps its width.

The toolbar shows icons only; each button's tooltip says what it does and its shortcut. Undo
and Redo keep their tooltip in step with the edit they would undo ("Undo Move"), so their
buttons never grow with a long action name and push the others along.
"""

from typing import Any

from terrain_desktop.ui.qt import QAction, QIcon, QSize, Qt, QToolBar

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
#: qtawesome's fonts, by prefix: only "mdi6" is drawn from (`icon`).
_FONTS: dict[str, Any] = {}


def icon(name: str, color: str) -> QIcon:
    """A Material Design Icons 6 icon (`name` as "mdi6.sync"), from that font alone:
    `qtawesome.icon` loads its twelve bundled fonts, checking each file's MD5 and decoding
    every charmap, on first use: about 0.1 s of start-up, for the one font used here."""
    if "mdi6" not in _FONTS:
        import qtawesome
        from qtawesome.iconic_font import IconicFont

        bundled = getattr(qtawesome, "_BUNDLED_FONTS", ())
        mdi6 = next((font for font in bundled if font[0] == "mdi6"), None)
        if mdi6 is None:  # another qtawesome layout: its own loader, all fonts
            return QIcon(qtawesome.icon(name, color=color))
        _FONTS["mdi6"] = IconicFont(mdi6)
    return QIcon(_FONTS["mdi6"].icon(name, color=color))


def decorate(bar: QToolBar) -> None:
    bar.setIconSize(QSize(22, 22))
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
    for action in bar.actions():
        name = _icon_for(action)
        if name is None:
            continue
        action.setIcon(icon(name, ICON_COLOUR))
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
