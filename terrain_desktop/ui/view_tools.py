"""The view's tools: the ruler, saved camera views and the length unit of the grid."""

from collections.abc import Callable

from terrain_desktop.app import preferences as prefs
from terrain_desktop.app.editor import Editor
from terrain_desktop.domain.events import Signal
from terrain_desktop.domain.units import LengthUnit, format_length
from terrain_desktop.ui.viewport import Viewport


class ViewTools:
    def __init__(self, viewport: Viewport, editor: Editor, show: Callable[[str, int], None]):
        self.viewport = viewport
        self.editor = editor
        self.show = show
        self.unit = editor.preferences.get(prefs.LENGTH_UNIT)
        self._ruler: list[tuple[float, float]] = []
        self.last_measurement: float | None = None
        self._line: tuple[tuple[float, float], tuple[float, float]] | None = None
        #: The one units setting changed: every length shown or typed follows it.
        self.unit_changed: Signal[LengthUnit] = Signal()
        viewport.measured.connect(self.measured)

    # -- camera views, kept per table

    def camera(self, view: Callable[[], None]) -> Callable[[], None]:
        """A slot for a camera action. `triggered(bool)` passes `checked`: a lambda with a
        defaulted argument would receive it in place of the view, so close over it instead."""

        def show() -> None:
            view()
            self.viewport.render()

        return show

    def save_view(self) -> None:
        if self.editor.doc is not None:
            position = [[float(c) for c in v] for v in self.viewport.interactor.camera_position]
            self.editor.preferences.set(prefs.saved_camera(self.editor.doc.table_id), position)

    def restore_view(self) -> None:
        if self.editor.doc is None:
            return
        saved = self.editor.preferences.get(prefs.saved_camera(self.editor.doc.table_id))
        if saved:
            self.viewport.show_saved(saved)

    # -- the ruler

    def toggle_ruler(self, on: bool) -> None:
        self.viewport.measuring = on
        self._ruler = []
        self.show("Ruler: click two points on the table." if on else "", 0)

    def measured(self, x: float, y: float) -> None:
        self._ruler.append((x, y))
        if len(self._ruler) == 2:
            (x0, y0), (x1, y1) = self._ruler
            distance = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
            self.last_measurement = distance
            self._line = ((x0, y0), (x1, y1))
            other = LengthUnit.INCH if self.unit == LengthUnit.MM else LengthUnit.MM
            self.show(
                f"Distance: {format_length(distance, self.unit)} "
                f"({format_length(distance, other)})",
                0,
            )
            self._ruler = []

    # -- units

    def set_inches(self, inches: bool) -> None:
        self.unit = LengthUnit.INCH if inches else LengthUnit.MM
        self.editor.preferences.set(prefs.LENGTH_UNIT, self.unit)
        self.apply_unit()

    def apply_unit(self) -> None:
        """Grid and snapping follow the unit: 6-inch lines and 1-inch steps, or 100/25 mm."""
        inches = self.unit == LengthUnit.INCH
        self.viewport.unit = self.unit  # the ruler's label in the view
        self.viewport.grid_lines = 6 * 25.4 if inches else 100.0
        self.viewport.grid = 25.4 if inches else 25.0
        ruler = self.viewport.scene.ruler
        if ruler.text and self._line is not None:  # the measured line's label, at once
            start, end = self._line
            length = ((end[0] - start[0]) ** 2 + (end[1] - start[1]) ** 2) ** 0.5
            ruler.show(start, end, format_length(length, self.unit))
        if self.editor.doc is not None:
            table = self.editor.doc.table
            self.viewport.scene.set_table(table.width, table.depth, self.viewport.grid_lines)
        self.viewport.render()
        self.unit_changed.emit(self.unit)
