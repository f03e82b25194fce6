"""Cheaper frames while the view moves, the full look again when it stops.

On a software renderer a frame costs what it fills: Mesa's llvmpipe shades every pixel on the
CPU, so a 1,000-piece table at 1200 x 900 px costs 200-260 ms a frame with the full look
(benchmarks/viewport_real.py), and an orbit showed two frames a second. While something moves
(the camera, a dragged or nudged piece; the window says when, `moving`), a frame here is
drawn at `SCALE` of the window's size in each direction (a quarter of the pixels at 0.5) and
scaled up into the window with linear filtering, with the two per-pixel costs of the look
off: FXAA and the mat's anisotropic filtering. The level of detail gets a smaller budget
(`BUDGET`), a lighter tier kept for motion (`lod.motion_tier`) and sees the smaller frame, so
it draws coarser tiers too: a software renderer transforms vertices on one core, and at 1,000
pieces even the coarsest tiers were most of a frame. A frame the moving layer can draw from
its kept table (only moved pieces over it) is cheap already and stays full size. When the
motion stops
the next frame is the full one again: full size, FXAA and filtering back, and the level of
detail chosen afresh for the camera (its hysteresis, which keeps a piece near a threshold
from flickering, holds only while moving), so the still frame is exactly what a plain render
of that camera draws (tests/desktop/ui/test_motion.py).

How: every renderer of the window draws into the lower-left `SCALE` part of the window's
framebuffer (their viewports are scaled at the start of the frame and put back at its end, so
picking and coordinates between frames never see the scaled viewports); a last, empty
renderer layer then copies that corner out and back up over the whole framebuffer before the
window shows it. Multisampling turns this off (a multisampled framebuffer cannot be scaled
in a copy).
"""

from collections.abc import Callable
from typing import Any

from terrain_desktop.scene import vtk_classes as vtk
from terrain_desktop.scene.framebuffers import COLOUR, LINEAR, blit
from terrain_desktop.scene.lod import HYSTERESIS, LevelOfDetail

#: Fraction of the window's width and height an interactive frame draws.
SCALE = 0.5
#: Most triangles an interactive frame's pieces draw together (the still frame's is
#: `lod.SCENE_BUDGET`).
BUDGET = 150_000
#: The renderer layer that scales the frame up: above the pieces (0), the moving layer (1)
#: and the rotation ring (2).
LAYER = 3


class InteractiveFrames:
    """Draws `renderer`'s window cheaply while `moving` is set."""

    def __init__(self, renderer: vtk.vtkRenderer, lod: LevelOfDetail) -> None:
        self.scene_renderer = renderer
        self.lod = lod
        #: Set while something moves; the window clears it when the motion stops.
        self.moving = False
        self.enabled = True
        self.scale = SCALE
        self.budget = BUDGET
        #: Textures whose anisotropic filtering is off while moving (the table's mat).
        self.textures: list[vtk.vtkTexture] = []
        #: The scale of the frame being drawn now (1.0 outside interactive frames), and of
        #: the last frame drawn.
        self.scale_now = 1.0
        self.last_scale = 1.0
        self.interactive_frames = 0
        self.still_frames = 0
        #: Whether the next frame is drawn from the moving layer's kept image (then it is
        #: cheap at full size, and drawn so: `scene/moving_layer.py`).
        self.quick_next: Callable[[], bool] = lambda: False
        #: Called after each frame with its scale (tests and benchmarks listen).
        self.drawn: list[Callable[[float], None]] = []
        self._cheap = False
        self._fxaa = False
        self._anisotropy: dict[int, float] = {}
        self._still_budget = lod.budget
        lod.hysteresis = 1.0  # at rest each tier is what the camera asks for
        self._viewports: list[tuple[Any, tuple[float, ...]]] = []
        self._upscale = vtk.vtkRenderer()
        self._upscale.SetLayer(LAYER)
        self._upscale.InteractiveOff()
        self._upscale.PreserveColorBufferOn()
        self._upscale.PreserveDepthBufferOn()
        self._upscale.SetAutomaticLightCreation(False)
        self._upscale.SetActiveCamera(renderer.GetActiveCamera())
        self._small: Any = None
        self._small_size = (0, 0)
        self._window: Any = None
        window = renderer.GetRenderWindow()
        if window is not None:
            self.attach(window)

    def attach(self, window: Any) -> None:
        self._window = window
        window.SetNumberOfLayers(max(LAYER + 1, window.GetNumberOfLayers()))
        window.AddRenderer(self._upscale)
        # Before any other observer of the frame's start (the moving layer reads the scaled
        # viewport into its signature, so a kept image is only reused at its own scale).
        window.AddObserver(vtk.vtkCommand.StartEvent, lambda *_: self._frame_starts(), 10.0)
        window.AddObserver(vtk.vtkCommand.EndEvent, lambda *_: self._frame_ends())
        self._upscale.AddObserver(vtk.vtkCommand.StartEvent, lambda *_: self._scale_up())

    def _usable(self) -> bool:
        window = self._window
        return bool(
            self.enabled
            and window is not None
            and window.GetMultiSamples() == 0
            and hasattr(window, "GetRenderFramebuffer")
        )

    # -- each frame ----------------------------------------------------------------------------

    def _frame_starts(self) -> None:
        self._restore_viewports()  # (a frame that started and never ended left them scaled)
        if self.enabled:
            settling = self.lod.hysteresis > 1.0 and not self.moving
            self.lod.hysteresis = HYSTERESIS if self.moving else 1.0
            if settling:
                # The motion stopped: every tier as the camera asks, now, before the moving
                # layer decides what to draw (a frame drawn from its kept image alone would
                # not choose tiers again, keeping what the hysteresis held while moving).
                self.lod.moving = False
                self.lod.update()
        interactive = self.moving and self._usable() and self.scale < 1.0 and not self.quick_next()
        self.lod.moving = interactive
        self._look(cheap=interactive)
        self.scale_now = self.scale if interactive else 1.0
        if not interactive:
            return
        for renderer in self._window.GetRenderers():
            if renderer is not self._upscale:
                x0, y0, x1, y1 = renderer.GetViewport()
                self._viewports.append((renderer, (x0, y0, x1, y1)))
                s = self.scale
                renderer.SetViewport(x0 * s, y0 * s, x1 * s, y1 * s)

    def _restore_viewports(self) -> None:
        for renderer, viewport in self._viewports:
            renderer.SetViewport(*viewport)
        self._viewports.clear()

    def _frame_ends(self) -> None:
        self._restore_viewports()
        self.last_scale, self.scale_now = self.scale_now, 1.0
        if self.last_scale < 1.0:
            self.interactive_frames += 1
        else:
            self.still_frames += 1
        for listener in self.drawn:
            listener(self.last_scale)

    def _look(self, cheap: bool) -> None:
        """FXAA, anisotropic filtering and the level of detail's budget: off (smaller) while
        moving, back as they were at rest."""
        if cheap == self._cheap:
            return
        self._cheap = cheap
        renderer = self.scene_renderer
        if cheap:
            self._fxaa = bool(renderer.GetUseFXAA())
            renderer.SetUseFXAA(False)
            for texture in self.textures:
                self._anisotropy[id(texture)] = texture.GetMaximumAnisotropicFiltering()
                texture.SetMaximumAnisotropicFiltering(1.0)
            self._still_budget = self.lod.budget
            self.lod.budget = min(self.budget, self._still_budget)
        else:
            renderer.SetUseFXAA(self._fxaa)
            for texture in self.textures:
                texture.SetMaximumAnisotropicFiltering(self._anisotropy.get(id(texture), 1.0))
            self.lod.budget = self._still_budget

    def _scale_up(self) -> None:
        """The last layer's turn: the drawn corner scaled up over the whole window."""
        if self.scale_now >= 1.0:
            return
        window = self._window
        width, height = window.GetSize()
        small_w, small_h = self.scene_renderer.GetSize()
        state = window.GetState()
        if self._small is None:
            self._small = vtk.vtkOpenGLFramebufferObject()
        if self._small_size != (small_w, small_h):
            state.PushFramebufferBindings()
            self._small.SetContext(window)
            self._small.PopulateFramebuffer(
                small_w, small_h, True, 1, vtk.VTK_UNSIGNED_CHAR, False, 0, 0, False
            )
            state.PopFramebufferBindings()
            self._small_size = (small_w, small_h)
        frame, small = window.GetRenderFramebuffer(), (small_w, small_h)
        # Via a copy: a framebuffer cannot be scaled onto itself.
        blit(state, frame, self._small, small, small)
        blit(state, self._small, frame, small, (width, height), COLOUR, LINEAR)

    def release(self) -> None:
        """Free the small framebuffer (the window is closing)."""
        if self._small is not None and self._window is not None:
            self._small.ReleaseGraphicsResources(self._window)
        self._small = None
        self._small_size = (0, 0)
