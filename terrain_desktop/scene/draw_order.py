"""Drawing the nearest pieces first, and the table last, so hidden pixels are never shaded.

Mesa's software renderer tests depth before it runs a fragment's shading (when the shader
does not write depth, as VTK's do not), so a pixel drawn over by a nearer piece cost its full
lighting and texturing for nothing when the far piece came first. Pieces were drawn in the
order they were added (row by row), and the textured mat first of all, under everything.
Looking across a crowded table from a player's eye height, most pixels are covered several
times: drawn front to back, with the table last, a frame is about a third cheaper there
(benchmarks/viewport_real.py). Opaque pieces look the same in any order; translucent ones
(placeholders, the drop ghost) are drawn in their own pass after them in VTK's own order.

The order is changed in place (`vtkCollection.ReplaceItem`), never by removing and adding
props, which would free every actor's buffers; it is redone only when the camera changed.
"""

from typing import Any

import numpy as np

from terrain_desktop.scene import vtk_classes as vtk


class FrontToBack:
    """Keeps `renderer`'s props sorted nearest first before each frame, `last` at the end."""

    def __init__(self, renderer: vtk.vtkRenderer) -> None:
        self.renderer = renderer
        self.enabled = True
        #: Props drawn after all others (the table and its mat: big, behind everything).
        self.last: list[Any] = []
        self._sorted_for: tuple[int, int] | None = None
        renderer.AddObserver(vtk.vtkCommand.StartEvent, lambda *_: self.sort())

    def sort(self) -> None:
        props = self.renderer.GetViewProps()
        camera = self.renderer.GetActiveCamera()
        state = (camera.GetMTime(), props.GetMTime())
        if not self.enabled or state == self._sorted_for:
            return
        everything = list(props)
        last = [prop for prop in self.last if props.IsItemPresent(prop)]
        others = [prop for prop in everything if all(prop is not t for t in last)]
        if others:
            bounds = np.array([prop.GetBounds() for prop in others], dtype=float)
            centres = (bounds[:, 0::2] + bounds[:, 1::2]) / 2
            direction = np.asarray(camera.GetDirectionOfProjection())
            depth = (centres - np.asarray(camera.GetPosition())) @ direction
            depth = np.nan_to_num(depth, nan=np.inf, posinf=np.inf, neginf=np.inf)
            others = [others[i] for i in np.argsort(depth, kind="stable")]
        wanted = others + last
        if len(wanted) == len(everything) and any(
            a is not b for a, b in zip(wanted, everything, strict=True)
        ):
            for index, prop in enumerate(wanted):
                props.ReplaceItem(index, prop)
        self._sorted_for = (camera.GetMTime(), props.GetMTime())
