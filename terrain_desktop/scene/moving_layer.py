"""Drawing the pieces an edit moves without redrawing the table under them.

On a software renderer a frame costs what it draws (benchmarks/RESULTS.md), so dragging one
piece on a 1,000-piece table redrew 1,000 pieces for every step. Here the actors that moved
since the last frame go to a second renderer layer with the same camera and lights, and the
first layer (the table and every other piece) is drawn once, its colour and depth kept in a
framebuffer. While only those actors change, a frame copies the kept colour and depth back
and draws just them on top: the depth test against the kept depth hides a moved piece behind
the pieces in front of it, and it hides what is behind it, as one full frame would.

A frame asked for when nothing changed at all (Qt repainting the widget after a render) is
drawn the same way, from the kept image.

Anything else that changes what the first layer shows changes a modification time VTK keeps
(the camera, the window's size, any other actor's transform, material, mapper or level of
detail tier, an actor added or removed), and the next frame draws the first layer in full,
the moved actors still in the second; they go back to the first once other actors are
edited (which are lifted in their place). Props added to or taken out of the first layer
alone (the Checks dock's marks of a few pieces) make the next frame draw again only where
they are or were (`layer_repair.py`). The selected
pieces are lifted too (what a user edits next), and new actors start in the second layer, so
a group edit of the selection (turn, duplicate, delete) is drawn without drawing the table
again. Multisampling,
shadows and render passes turn the layer off (a moved piece's shadow falls on the others).
"""

from typing import Any

import numpy as np

from terrain_desktop.scene import layer_repair
from terrain_desktop.scene import vtk_classes as vtk
from terrain_desktop.scene.framebuffers import COLOUR, DEPTH, NEAREST, blit, blit_area

#: More actors than this in the second layer (a select-all, opening a table) makes every
#: frame a full one; a quick frame costs in proportion to what the second layer holds.
MAX_MOVING = 400
#: Up to this many actors in the second layer, a newly edited one joins them there and only
#: the spot it leaves in the kept image is drawn again (`layer_repair.py`); past it, they all
#: go back to the first layer in a full frame (a quick frame costs what the second holds).
MAX_REPAIRED = 40


class MovingLayer:
    """The second layer of `renderer`'s window and the kept image of the first."""

    def __init__(self, renderer: vtk.vtkRenderer, layer: int = 1) -> None:
        self.scene_renderer = renderer
        self.renderer = vtk.vtkRenderer()
        self.renderer.SetLayer(layer)
        self.renderer.InteractiveOff()
        self.renderer.PreserveColorBufferOn()
        self.renderer.PreserveDepthBufferOn()
        self.renderer.SetAutomaticLightCreation(False)
        self.renderer.SetActiveCamera(renderer.GetActiveCamera())
        self.enabled = True
        #: Frames drawn from the kept image (tests and benchmarks read it), and frames that
        #: drew only the spot a newly lifted actor left in it.
        self.quick_frames = 0
        self.repaired_frames = 0
        self._repair: tuple[tuple[int, int, int, int], list[Any], dict[int, Any]] | None = None
        #: The first layer's props when the kept image was drawn, their modification times
        #: and boxes (what a repair needs to know of them).
        self._kept_props: list[Any] = []
        self._kept_times = np.empty(0)
        self._kept_bounds = np.empty((0, 6))
        self._moving: dict[int, Any] = {}
        self._touched: dict[int, Any] = {}
        self._kept: Any = None
        self._kept_size = (0, 0)
        self._watched = vtk.vtkPropAssembly()
        self._watched_as = -1
        self._kept_as: tuple[object, ...] | None = None
        self._quick = False
        self._window: Any = None
        window = renderer.GetRenderWindow()
        if window is not None:
            self.attach(window)

    def attach(self, window: Any) -> None:
        self._window = window
        window.SetNumberOfLayers(max(self.renderer.GetLayer() + 1, window.GetNumberOfLayers()))
        window.AddRenderer(self.renderer)
        window.AddObserver(vtk.vtkCommand.StartEvent, lambda *_: self._frame_starts())
        self.scene_renderer.AddObserver(vtk.vtkCommand.EndEvent, lambda *_: self._keep())
        self.renderer.AddObserver(vtk.vtkCommand.StartEvent, lambda *_: self._restore())

    # -- what the scene tells it ---------------------------------------------------------------

    def touched(self, *actors: Any) -> None:
        """These actors moved (or changed) since the last frame."""
        for actor in actors:
            if actor is not None:
                self._touched[id(actor)] = actor

    def add(self, actor: Any) -> None:
        """A new actor: drawn in the second layer, so the kept image of the first stays good
        (a duplicated group shows without drawing the whole table again)."""
        if self._window is None:  # no window to draw a second layer in
            self.scene_renderer.AddActor(actor)
            return
        self.renderer.AddActor(actor)
        self._moving[id(actor)] = actor
        self._touched[id(actor)] = actor

    def remove(self, actor: Any) -> None:
        """Take `actor` out of the scene, whichever layer it is drawn in."""
        self._touched.pop(id(actor), None)
        if self._moving.pop(id(actor), None) is not None:
            self.renderer.RemoveActor(actor)
        else:
            self.scene_renderer.RemoveActor(actor)

    @property
    def moving(self) -> set[int]:
        """Ids of the actors drawn in the second layer now."""
        return set(self._moving)

    # -- each frame ----------------------------------------------------------------------------

    def _usable(self) -> bool:
        window = self._window
        return bool(
            self.enabled
            and window is not None
            and window.GetMultiSamples() == 0
            and not self.scene_renderer.GetUseShadows()
            and self.scene_renderer.GetPass() is None
            and hasattr(window, "GetRenderFramebuffer")
        )

    def quick_next(self) -> bool:
        """Whether the next frame, as things stand, is drawn from the kept image."""
        lifting = self._touched.keys() - self._moving.keys()
        return (
            self._usable()
            and not lifting
            and len(self._moving) <= MAX_MOVING
            and self._kept_valid()
        )

    def _frame_starts(self) -> None:
        touched, self._touched = self._touched, {}
        self._quick = False
        lifting = touched.keys() - self._moving.keys()
        if not self._usable() or len(self._moving) + len(lifting) > MAX_MOVING:
            self._settle()
        elif not lifting and self._kept_valid():
            # Only second-layer actors changed, or nothing did (a repaint, the ring moved).
            self._quick = True
        elif (area := self._repairable(lifting)) is not None:
            self._lift(touched)
            self._begin_repair(area)
        elif touched:
            self._settle()
            # Lift what changed unless it is most of the scene (a table just opened): a quick
            # frame costs what the second layer holds.
            if 2 * len(touched) <= self.scene_renderer.GetViewProps().GetNumberOfItems():
                self._lift(touched)
        # else: something else changed (the camera, a hovered piece, marks all over the table):
        # a full frame, and what was edited last stays in the second layer, so the next move
        # of it is still drawn over the kept image instead of redrawing the table again.
        self.scene_renderer.SetDraw(not self._quick)
        if self._quick:
            self.quick_frames += 1

    def _repairable(self, lifting: set[int]) -> tuple[int, int, int, int] | None:
        """Where the kept image is wrong now, when only that is (then only that spot is drawn
        again): where the actors being lifted stood, and where props added to the first layer
        stand or props taken out of it stood (the Checks dock's marks of a few pieces); None
        when anything else changed since it was drawn, or nothing did."""
        if self._kept_as is None or (lifting and len(self._moving) + len(lifting) > MAX_REPAIRED):
            return None
        now, kept = self._signature(), self._kept_as
        if any(now[i] != kept[i] for i in (0, 1, 2, 6, 7, 8)):
            return None  # the camera, the window or the lights
        props = self._kept_props
        here = {id(prop) for prop in self.scene_renderer.GetViewProps()}
        present = np.array([id(prop) in here for prop in props], dtype=bool)
        moved = np.array([id(prop) in lifting for prop in props], dtype=bool)
        if int(moved.sum()) != len(lifting):
            return None  # a lifted actor the kept image did not draw (where was it?)
        times = np.array([prop.GetMTime() for prop in props])
        if np.any((times != self._kept_times) & present & ~moved):
            return None  # a prop still in the first layer changed
        kept_ids = {id(prop) for prop in props}
        added = [p for p in self.scene_renderer.GetViewProps() if id(p) not in kept_ids]
        gone = moved | ~present
        if len(added) + int(gone.sum()) > MAX_REPAIRED or not (added or gone.any()):
            return None
        bounds = np.concatenate([self._kept_bounds[gone], _bounds(added)])
        boxes = layer_repair.screen_boxes(self.scene_renderer, bounds)
        return layer_repair.spot(boxes, tuple(self._window.GetSize()))

    def _begin_repair(self, area: tuple[int, int, int, int]) -> None:
        """This frame draws the first layer's props near `area` only (the others hidden)."""
        props = list(self.scene_renderer.GetViewProps())
        boxes = layer_repair.screen_boxes(self.scene_renderer, self._bounds_of(props))
        close = layer_repair.near(boxes, area)
        hidden = [
            prop
            for prop, c in zip(props, close.tolist(), strict=True)
            if not c and prop.GetVisibility()
        ]
        for prop in hidden:
            prop.VisibilityOff()
        if area[2] > area[0] and area[3] > area[1]:
            rect = layer_repair.drawn(area, tuple(self._window.GetSize()))
        else:
            rect = (0, 0, 0, 0)  # off screen: nothing of the first layer to draw
        # Only that rectangle is cleared and drawn (the camera's once, for the next renderer
        # it draws for: the first layer).
        camera = self.scene_renderer.GetActiveCamera()
        camera.SetScissorRect(vtk.vtkRecti(*rect))
        camera.SetUseScissor(True)
        # (by prop: the frame's draw order sorts them afresh after props came or went)
        mappers = {id(prop): _mapper(prop) for prop in props}
        self._repair = (area, hidden, mappers)

    def _end_repair(self) -> None:
        """After the repair frame's first layer: the spot into the kept image, and the whole
        kept image into the frame, under the second layer."""
        assert self._repair is not None
        area, hidden, mappers = self._repair
        self._repair = None
        for prop in hidden:
            prop.VisibilityOn()
        window, kept = self._window, self._kept
        width, height = window.GetSize()
        if area[2] > area[0] and area[3] > area[1]:
            blit_area(window.GetState(), window.GetRenderFramebuffer(), kept, area, COLOUR | DEPTH)
        self._blit(kept, window.GetRenderFramebuffer(), width, height)
        self.repaired_frames += 1
        self._record(repaired=True)
        now = {id(prop): _mapper(prop) for prop in self.scene_renderer.GetViewProps()}
        if now.keys() != mappers.keys() or any(now[key] is not m for key, m in mappers.items()):
            self._kept_as = None  # a level of detail tier changed meanwhile: draw all next time
        else:
            self._kept_as = self._signature()

    def _record(self, repaired: bool = False) -> None:
        """The first layer's props as the kept image has them, with their modification times
        and boxes. After a repair the boxes of the props it already had are theirs from
        then (none of them changed but for being hidden: `_repairable`); reading 1,000 boxes
        again cost 4 ms a frame."""
        props = list(self.scene_renderer.GetViewProps())
        bounds = self._bounds_of(props) if repaired else _bounds(props)
        self._kept_props = props
        self._kept_times = np.array([prop.GetMTime() for prop in props])
        self._kept_bounds = bounds

    def _bounds_of(self, props: list[Any]) -> np.ndarray:
        """These first-layer props' boxes: as they were when the image was kept, for those it
        drew (a lifted actor has moved on since), and their own for props added since."""
        index = {id(prop): n for n, prop in enumerate(self._kept_props)}
        rows = np.empty((len(props), 6))
        known = [n for n, prop in enumerate(props) if id(prop) in index]
        fresh = [n for n, prop in enumerate(props) if id(prop) not in index]
        rows[known] = self._kept_bounds[[index[id(props[n])] for n in known]]
        rows[fresh] = _bounds([props[n] for n in fresh])
        return rows

    def _lift(self, actors: dict[int, Any]) -> None:
        """Draw these actors in the second layer from now on."""
        self._share_lights()
        props = self.scene_renderer.GetViewProps()
        for key, actor in actors.items():
            if props.IsItemPresent(actor):
                self.scene_renderer.RemoveActor(actor)
                self.renderer.AddActor(actor)
                self._moving[key] = actor

    def _settle(self) -> None:
        """Every actor back in the first layer; the kept image is stale."""
        for actor in self._moving.values():
            self.renderer.RemoveActor(actor)
            self.scene_renderer.AddActor(actor)
        self._moving.clear()
        self._kept_as = None

    def _share_lights(self) -> None:
        lights = list(self.scene_renderer.GetLights())
        if list(self.renderer.GetLights()) != lights:
            self.renderer.RemoveAllLights()
            for light in lights:
                self.renderer.AddLight(light)

    def _signature(self) -> tuple[object, ...]:
        """Changes whenever anything the first layer draws changes: one call into VTK for
        every actor's modification time (an assembly of them that is never drawn; it sees
        an actor's transform, material, texture and mapper, not a mesh edited in place)."""
        renderer = self.scene_renderer
        props = renderer.GetViewProps()
        if self._watched_as != props.GetMTime():
            self._watched = vtk.vtkPropAssembly()
            for prop in props:
                self._watched.AddPart(prop)
            self._watched_as = props.GetMTime()
        lights = max((light.GetMTime() for light in renderer.GetLights()), default=0)
        return (
            tuple(self._window.GetSize()),
            renderer.GetViewport(),  # scaled in frames drawn while moving (scene/interactive.py)
            renderer.GetActiveCamera().GetMTime(),
            props.GetMTime(),
            props.GetNumberOfItems(),
            self._watched.GetMTime(),
            lights,
            renderer.GetBackground(),
            renderer.GetBackground2(),
        )

    def _kept_valid(self) -> bool:
        return self._kept_as is not None and self._kept_as == self._signature()

    def _keep(self) -> None:
        """After the first layer is drawn in full: keep its colour and depth."""
        if self._repair is not None:
            self._end_repair()
            return
        if not self._usable():
            self._kept_as = None
            return
        window = self._window
        width, height = window.GetSize()
        if self._kept is None:
            self._kept = vtk.vtkOpenGLFramebufferObject()
        kept = self._kept
        if self._kept_size != (width, height):
            # (populating binds the new framebuffer: the window's bindings are put back after)
            window.GetState().PushFramebufferBindings()
            kept.SetContext(window)
            stencil = window.GetStencilCapable() != 0
            kept.PopulateFramebuffer(
                width, height, True, 1, vtk.VTK_UNSIGNED_CHAR, True, 32, 0, stencil
            )
            window.GetState().PopFramebufferBindings()
            self._kept_size = (width, height)
        self._blit(window.GetRenderFramebuffer(), kept, width, height)
        self._record()
        self._kept_as = self._signature()

    def _restore(self) -> None:
        """Before the second layer draws in a quick frame: the kept first layer back."""
        if self._quick and self._kept is not None:
            width, height = self._window.GetSize()
            self._blit(self._kept, self._window.GetRenderFramebuffer(), width, height)

    def _blit(self, source: Any, target: Any, width: int, height: int) -> None:
        size = (width, height)
        blit(self._window.GetState(), source, target, size, size, COLOUR | DEPTH, NEAREST)

    def release(self) -> None:
        """Free the kept image (the window is closing)."""
        if self._kept is not None and self._window is not None:
            self._kept.ReleaseGraphicsResources(self._window)
        self._kept = None
        self._kept_size = (0, 0)
        self._kept_as = None


def _bounds(props: list[Any]) -> np.ndarray:
    """Each prop's (xmin, xmax, ymin, ymax, zmin, zmax); an empty one's box inside out."""
    bounds = [prop.GetBounds() for prop in props]
    return np.array(
        [b if b is not None else (1.0, -1.0, 1.0, -1.0, 1.0, -1.0) for b in bounds],
        dtype=np.float64,
    ).reshape(-1, 6)


def _mapper(prop: Any) -> Any:
    return getattr(prop, "GetMapper", lambda: None)()
