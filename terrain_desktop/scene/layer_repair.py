"""Taking a piece out of the moving layer's kept image without drawing the whole table again.

The first time a piece is moved (or selected), it leaves the first layer for the second, and
the kept image of the first still shows it where it stood. Drawing the first layer again in
full cost a full frame (a third of a second at 1,000 pieces, and the first move after opening
a table paid it). Only the pixels where it stood are wrong, so only they are drawn again:
every other prop of the first layer is hidden for one frame except those whose box on
screen comes near that spot, the frame draws those few, and the spot (with a margin: the
anti-aliasing pass reads a few pixels around each one) is copied into the kept image. The
props drawn near the spot are all that cover it, with the same tiers, camera and look as the
kept image, so the spot is what a full frame would draw there
(tests/desktop/ui/test_moving_layer.py compares them). The same goes for props added to or
taken out of the first layer with nothing else changed (the Checks dock's answer marking or
unmarking a few pieces): only where they stand or stood is drawn again.

The repair frame clears and draws only that spot and its margin (an OpenGL scissor
rectangle): the play mat is near every spot and spans the window, and filling all of it cost
as much as a full frame of a small table.
"""

from typing import Any

import numpy as np

#: Pixels around the spot copied into the kept image (FXAA reads neighbours 1-2 px away).
COPY_MARGIN = 4
#: Pixels around the spot within which props are drawn (so the copied margin is right too).
DRAW_MARGIN = 8


def screen_boxes(renderer: Any, bounds: np.ndarray) -> np.ndarray:
    """Each (xmin, xmax, ymin, ymax, zmin, zmax) box's rectangle on screen in pixels
    (x0, y0, x1, y1); the whole screen for a box that is empty or reaches behind the camera
    (it may cover any pixel)."""
    width, height = renderer.GetSize()
    whole = np.array([-np.inf, -np.inf, np.inf, np.inf])
    if not len(bounds):
        return np.empty((0, 4))
    camera = renderer.GetActiveCamera()
    matrix = camera.GetCompositeProjectionTransformMatrix(renderer.GetTiledAspectRatio(), -1, 1)
    m = np.array([[matrix.GetElement(r, c) for c in range(4)] for r in range(4)])
    xs, ys, zs = bounds[:, 0:2], bounds[:, 2:4], bounds[:, 4:6]
    corners = np.stack(
        [
            np.stack([xs[:, i], ys[:, j], zs[:, k], np.ones(len(bounds))], axis=1)
            for i in (0, 1)
            for j in (0, 1)
            for k in (0, 1)
        ],
        axis=1,
    )  # (n, 8, 4)
    clip = corners @ m.T
    w = clip[:, :, 3]
    ahead = np.all(w > 1e-9, axis=1) & np.all(bounds[:, 0::2] <= bounds[:, 1::2], axis=1)
    ahead &= np.all(np.isfinite(bounds) & (np.abs(bounds) < 1e29), axis=1)
    safe_w = np.where(w > 1e-9, w, 1.0)
    px = (clip[:, :, 0] / safe_w + 1) * width / 2
    py = (clip[:, :, 1] / safe_w + 1) * height / 2
    boxes = np.column_stack([px.min(axis=1), py.min(axis=1), px.max(axis=1), py.max(axis=1)])
    boxes[~ahead] = whole
    return boxes


def spot(boxes: np.ndarray, size: tuple[int, int]) -> tuple[int, int, int, int] | None:
    """The pixels (x0, y0, x1, y1, clipped to the window) to draw again where these boxes
    were, with the copy margin; None when that is the whole window (nothing to save)."""
    if not len(boxes) or not np.all(np.isfinite(boxes)):
        return None
    width, height = size
    x0 = max(0, int(np.floor(boxes[:, 0].min())) - COPY_MARGIN)
    y0 = max(0, int(np.floor(boxes[:, 1].min())) - COPY_MARGIN)
    x1 = min(width, int(np.ceil(boxes[:, 2].max())) + COPY_MARGIN)
    y1 = min(height, int(np.ceil(boxes[:, 3].max())) + COPY_MARGIN)
    if x1 <= x0 or y1 <= y0:
        return (0, 0, 0, 0)  # off screen: nothing of it is in the kept image
    if (x1 - x0) * (y1 - y0) > width * height // 2:
        return None
    return x0, y0, x1, y1


def near(boxes: np.ndarray, area: tuple[int, int, int, int]) -> np.ndarray:
    """Which boxes come within the draw margin of `area` (the props to draw there)."""
    x0, y0, x1, y1 = area
    pad = DRAW_MARGIN - COPY_MARGIN
    return np.asarray(
        (boxes[:, 0] <= x1 + pad)
        & (boxes[:, 2] >= x0 - pad)
        & (boxes[:, 1] <= y1 + pad)
        & (boxes[:, 3] >= y0 - pad)
    )


def drawn(area: tuple[int, int, int, int], size: tuple[int, int]) -> tuple[int, int, int, int]:
    """The pixels a repair frame draws (x, y, width, height; the scissor rectangle): the spot
    and the draw margin around it. The rest of the frame is left as it was, not drawn: the
    play mat spans the window, and on a software renderer filling it all cost as much as a
    full frame of a small table."""
    pad = DRAW_MARGIN - COPY_MARGIN
    width, height = size
    x0, y0 = max(0, area[0] - pad), max(0, area[1] - pad)
    x1, y1 = min(width, area[2] + pad), min(height, area[3] + pad)
    return x0, y0, max(0, x1 - x0), max(0, y1 - y0)
