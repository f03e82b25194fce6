"""Copying pixels between OpenGL framebuffers, as the moving layer (its kept still image) and
the interactive frames (their half-size picture scaled up) both do.

VTK's `vtkOpenGLState` wraps the blit but not the enum values, so the GL constants live here,
once. The window's own framebuffer bindings are pushed and put back around each copy: VTK
expects to find them as it left them.
"""

from typing import Any

READ_FRAMEBUFFER, DRAW_FRAMEBUFFER = 0x8CA8, 0x8CA9
COLOUR, DEPTH = 0x4000, 0x100
NEAREST, LINEAR = 0x2600, 0x2601


def blit(
    state: Any,
    source: Any,
    target: Any,
    source_size: tuple[int, int],
    target_size: tuple[int, int],
    mask: int = COLOUR,
    scaling: int = NEAREST,
) -> None:
    """Copy `source`'s lower-left `source_size` into `target`'s lower-left `target_size`."""
    state.PushFramebufferBindings()
    source.Bind(READ_FRAMEBUFFER)
    target.Bind(DRAW_FRAMEBUFFER)
    state.vtkglBlitFramebuffer(0, 0, *source_size, 0, 0, *target_size, mask, scaling)
    state.PopFramebufferBindings()


def blit_area(
    state: Any, source: Any, target: Any, area: tuple[int, int, int, int], mask: int
) -> None:
    """Copy the pixels in `area` (x0, y0, x1, y1) from `source` to the same place in `target`."""
    state.PushFramebufferBindings()
    source.Bind(READ_FRAMEBUFFER)
    target.Bind(DRAW_FRAMEBUFFER)
    state.vtkglBlitFramebuffer(*area, *area, mask, NEAREST)
    state.PopFramebufferBindings()
