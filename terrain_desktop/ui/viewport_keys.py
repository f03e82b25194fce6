"""Keys of the 3D view: Esc deselects, Ctrl+A selects all, the arrows nudge the selection by
one grid step (away from the camera is "up"), F frames the selection.

They are actions of the view (active while it or a child has the focus, which a click in
the view gives), so typing in the drawer's filter box keeps its own Ctrl+A and arrows.
"""

import math
from typing import TYPE_CHECKING

from terrain_desktop.domain import commands
from terrain_desktop.ui.qt import QAction, QKeySequence, Qt

if TYPE_CHECKING:
    from terrain_desktop.ui.viewport_view import ViewportView


def install_keys(viewport: "ViewportView") -> dict[str, QAction]:
    actions: dict[str, QAction] = {}

    def add(name: str, key: QKeySequence | str, slot: object) -> None:
        action = QAction(name, viewport.widget)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        viewport.addAction(action)
        actions[name] = action

    add("Select none", "Esc", lambda: _select(viewport, all_pieces=False))
    add("Select all", QKeySequence(QKeySequence.StandardKey.SelectAll), lambda: _select(viewport))
    add("Frame selection", "F", lambda: viewport.frame_selection())
    for name, key, dx, dy in (
        ("Nudge left", "Left", -1, 0),
        ("Nudge right", "Right", 1, 0),
        ("Nudge up", "Up", 0, 1),
        ("Nudge down", "Down", 0, -1),
    ):
        add(name, key, lambda _=False, dx=dx, dy=dy: nudge(viewport, dx, dy))
    return actions


def _select(viewport: "ViewportView", all_pieces: bool = True) -> None:
    if viewport.doc is not None:
        viewport.doc.select(set(viewport.doc.pieces) if all_pieces else set())


def nudge(viewport: "ViewportView", right: int, up: int) -> None:
    """Move the selection one grid step along the screen's nearest table axis."""
    doc = viewport.doc
    if doc is None or not doc.selection:
        return
    azimuth = viewport.camera.view().azimuth
    # The screen's "up" on the table points from the camera towards the focal point.
    forward = math.radians(azimuth + 180)
    fx, fy = math.cos(forward), math.sin(forward)
    rx, ry = fy, -fx
    dx, dy = right * rx + up * fx, right * ry + up * fy
    if abs(dx) >= abs(dy):  # the nearest table axis, so a nudge stays on the grid
        dx, dy = math.copysign(1, dx), 0.0
    else:
        dx, dy = 0.0, math.copysign(1, dy)
    step = viewport.grid
    anchor_id = sorted(doc.selection)[0]
    anchor = doc.pieces[anchor_id]
    x, y = anchor.x + dx * step, anchor.y + dy * step
    if len(doc.selection) == 1:
        change = commands.move_to(doc, anchor_id, x, y)
    else:
        change = commands.move_group(doc, set(doc.selection), anchor_id, x, y)
    change.text = "Nudge"
    viewport.motion.moving()  # held arrows repeat: the full frame once they are let go
    viewport.push_command(change)
