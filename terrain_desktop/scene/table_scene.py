"""A table in 3D: the surface with its grid, and one actor per piece.

Pieces of the same asset share one mapper (one copy of the mesh on the GPU); each piece is an
actor with its own transform and colour, so moving a piece touches that actor alone. Picking
uses a cell picker restricted to piece actors.
"""

from collections.abc import Callable, Mapping
from typing import Any

import pyvista as pv
from vtkmodules.vtkRenderingCore import vtkActor, vtkCellPicker, vtkPolyDataMapper

from terrain_desktop.domain.catalogue import LibraryAsset
from terrain_desktop.domain.piece import Piece, PiecesChanged
from terrain_desktop.scene import camera as turntable
from terrain_desktop.scene import look, placeholder
from terrain_desktop.scene.closed import back_faces_hidden
from terrain_desktop.scene.draw_order import FrontToBack
from terrain_desktop.scene.interactive import InteractiveFrames
from terrain_desktop.scene.lod import LevelOfDetail, motion_tier
from terrain_desktop.scene.meshes import MeshCache
from terrain_desktop.scene.moving_layer import MovingLayer
from terrain_desktop.scene.outline import Outlines
from terrain_desktop.scene.ring import RotationRing
from terrain_desktop.scene.ruler import Ruler
from terrain_desktop.scene.surface import SurfaceProbe

#: The play mat's colour (what the view shows where no piece stands).
TABLE_COLOUR = "#{:02x}{:02x}{:02x}".format(*look.MAT_COLOUR)
MISSING_COLOUR = "#cc3333"
TABLE_THICKNESS = look.TABLE_THICKNESS


def _rgb(colour: str) -> tuple[float, float, float]:
    value = colour.lstrip("#")
    r, g, b = (int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return r, g, b


class TableScene:
    def __init__(
        self,
        plotter: pv.BasePlotter,
        assets: Callable[[str], LibraryAsset | None],
        meshes: MeshCache | None = None,
    ) -> None:
        self.plotter = plotter
        self.assets = assets
        self.meshes = meshes or MeshCache()
        self._mappers: dict[str, vtkPolyDataMapper] = {}
        self._tiers: dict[str, tuple[list[vtkPolyDataMapper], list[int], int, list[bool]]] = {}
        self.actors: dict[str, vtkActor] = {}
        self._piece_of: dict[int, str] = {}
        self._table_actors: list[Any] = []
        self._table_as: tuple[float, float, float] | None = None
        self.width = self.depth = 0.0
        self._ghost: vtkActor | None = None
        self._handle: vtkActor | None = None
        self.picker = vtkCellPicker()
        self.picker.SetTolerance(0.0005)
        self.picker.PickFromListOn()
        look.stage(plotter)
        #: Moved pieces are drawn over a kept image of the rest (layer 1; the ring is layer 2).
        self.moving = MovingLayer(plotter.renderer)
        self.outlines = Outlines(plotter.renderer, self.moving.remove, self.moving.add)
        self.ring = RotationRing(plotter.renderer)
        self.ruler = Ruler(self.ring.overlay)
        self.surface = SurfaceProbe()
        self._ghost_asset: str | None = None
        #: Each piece's densest mesh: what it rests on, whatever tier is drawn.
        self._densest: dict[str, Any] = {}
        self.lod = LevelOfDetail(plotter.renderer)
        #: Cheaper frames while the view moves (the window sets `interactive.moving`).
        self.interactive = InteractiveFrames(plotter.renderer, self.lod)
        self.interactive.quick_next = self.moving.quick_next
        self.ring.pixel_scale = lambda: self.interactive.scale_now
        self.draw_order = FrontToBack(plotter.renderer)
        #: Pieces drawn as placeholders (their mesh is not on this device yet), by asset.
        self.placeholders: dict[str, str] = {}

    # -- the table -----------------------------------------------------------------------------

    def set_table(self, width: float, depth: float, grid: float = 50.0) -> None:
        """The table and its mat at this size. The same again (the table the first frame drew,
        reopened by the editor; a unit change that keeps its grid) keeps the actors as drawn:
        rebuilding them made the mat's texture again and sent it to the GPU again."""
        if self._table_actors and self._table_as == (width, depth, grid):
            return
        self._table_as = (width, depth, grid)
        for actor in self._table_actors:
            self.plotter.remove_actor(actor, render=False)
        self.width, self.depth = width, depth
        self._table_actors = look.add_table(self.plotter, width, depth, grid)
        self.draw_order.last = list(self._table_actors)
        self.interactive.textures = [
            texture for actor in self._table_actors if (texture := actor.GetTexture()) is not None
        ]

    # -- pieces --------------------------------------------------------------------------------

    def _mapper(self, asset: LibraryAsset) -> vtkPolyDataMapper:
        if asset.id not in self._mappers:
            mapper = vtkPolyDataMapper()
            mapper.SetInputData(self.meshes.asset_tiers(asset)[0])
            mapper.ScalarVisibilityOff()
            self._mappers[asset.id] = mapper
        return self._mappers[asset.id]

    def _tier_mappers(
        self, asset: LibraryAsset
    ) -> tuple[list[vtkPolyDataMapper], list[int], int, list[bool]]:
        """One shared mapper per level-of-detail tier of the asset's mesh, its triangles, how
        many are drawn at rest (a last, lighter tier only while the view moves), and which
        hide their back faces (culled: `scene/closed.py`)."""
        if asset.id not in self._tiers:
            top = self._mapper(asset)
            mappers, counts = [top], [top.GetInput().GetNumberOfCells()]
            tiers = self.meshes.asset_tiers(asset)
            lighter = motion_tier(tiers[-1])
            for tier in [*tiers[1:], *([lighter] if lighter is not None else [])]:
                mapper = vtkPolyDataMapper()
                mapper.SetInputData(tier)
                mapper.ScalarVisibilityOff()
                mappers.append(mapper)
                counts.append(tier.GetNumberOfCells())
            cull = [back_faces_hidden(m.GetInput()) for m in mappers]
            self._tiers[asset.id] = (mappers, counts, len(tiers), cull)
        return self._tiers[asset.id]

    def add_piece(self, piece_id: str, piece: Piece) -> None:
        asset = self.assets(piece.asset_id)
        actor = vtkActor()
        if asset is not None and asset.id not in self._mappers and placeholder.mesh_missing(asset):
            actor.SetMapper(placeholder.mapper(asset))  # see-through box until the mesh comes
            placeholder.dress(actor)
            self._densest[piece_id] = actor.GetMapper().GetInput()
            self.placeholders[piece_id] = asset.id
            colour = asset.colour
        elif asset is not None:
            self.lod.track(actor, *self._tier_mappers(asset))
            self._densest[piece_id] = self._mapper(asset).GetInput()
            colour = asset.colour
        else:  # a piece whose model is not on this device (yet): a red marker
            mapper = vtkPolyDataMapper()
            mapper.SetInputData(pv.Cube(x_length=25, y_length=25, z_length=25, center=(0, 0, 12.5)))
            actor.SetMapper(mapper)
            colour = MISSING_COLOUR
            self.placeholders[piece_id] = piece.asset_id
        prop = actor.GetProperty()
        prop.SetColor(*_rgb(colour))
        look.apply_material(prop, asset.category if asset is not None else "")
        self.actors[piece_id] = actor
        self._piece_of[id(actor)] = piece_id
        self.picker.AddPickList(actor)
        self.moving.add(actor)
        self.update_piece(piece_id, piece)

    def update_piece(self, piece_id: str, piece: Piece) -> None:
        actor = self.actors[piece_id]
        actor.SetPosition(piece.x, piece.y, piece.z)
        actor.SetOrientation(0, 0, piece.rotation)
        actor.SetScale(piece.scale, piece.scale, piece.scale)
        self.moving.touched(actor, self.outlines.outline_of(piece_id))

    def apply(self, event: PiecesChanged, pieces: Mapping[str, Piece]) -> None:
        """Bring the actors a batch touched up to date, and no others (no render here: the
        view renders once per batch)."""
        for piece_id in event.removed:
            if piece_id in self.actors:
                self.remove_piece(piece_id)
        for piece_id in event.added:
            if piece_id in self.actors:
                self.remove_piece(piece_id)
            self.add_piece(piece_id, pieces[piece_id])
        for piece_id in event.changed:
            self.update_piece(piece_id, pieces[piece_id])

    def remove_piece(self, piece_id: str) -> None:
        actor = self.actors.pop(piece_id)
        self._piece_of.pop(id(actor), None)
        self._densest.pop(piece_id, None)
        self.placeholders.pop(piece_id, None)
        self.lod.forget(actor)
        self.picker.DeletePickList(actor)
        self.moving.remove(actor)

    def refill(self, asset_id: str, pieces: Mapping[str, Piece]) -> list[str]:
        """The asset's mesh (or what is known of it) arrived: its placeholders are drawn again
        from what `assets` says now. The pieces redrawn (no render here)."""
        self._mappers.pop(asset_id, None)
        self._tiers.pop(asset_id, None)
        redrawn = [p for p, a in self.placeholders.items() if a == asset_id and p in pieces]
        for piece_id in redrawn:
            self.remove_piece(piece_id)
            self.add_piece(piece_id, pieces[piece_id])
        return redrawn

    def set_pieces(self, pieces: Mapping[str, Piece]) -> None:
        for piece_id in list(self.actors):
            self.remove_piece(piece_id)
        for piece_id, piece in pieces.items():
            self.add_piece(piece_id, piece)

    def highlight(self, selected: set[str]) -> None:
        """Outline the selected pieces (and tint them a little); they are what a user edits
        next, so they are drawn in the moving layer from the next frame on."""
        self.outlines.show(self.actors, selected)
        chosen = [piece_id for piece_id in selected if piece_id in self.actors]
        self.moving.touched(*(self.actors[i] for i in chosen))
        self.moving.touched(*(self.outlines.outline_of(i) for i in chosen))

    def hover(self, piece_id: str | None) -> bool:
        """Brighten the piece under the mouse; True when a render is needed."""
        return self.outlines.hover(piece_id, self.actors.get(piece_id) if piece_id else None)

    def surface_height(self, x: float, y: float, ignore: set[str] | None = None) -> float:
        """The top of the table or of the pieces' meshes at x, y: where a piece put there
        rests (a vertical ray cast on the meshes, not their bounding boxes)."""
        skip = ignore or set()
        pieces = [
            (actor, self._densest[pid])
            for pid, actor in self.actors.items()
            if pid not in skip and pid in self._densest
        ]
        return self.surface.height(x, y, pieces)

    def show_ghost(self, asset: LibraryAsset, x: float, y: float, z: float) -> None:
        """A see-through copy of a piece following the mouse while it is dragged in."""
        ghost = getattr(self, "_ghost", None)
        if ghost is None or getattr(self, "_ghost_asset", None) != asset.id:
            self.hide_ghost()
            ghost = vtkActor()
            if asset.id not in self._mappers and placeholder.mesh_missing(asset):
                ghost.SetMapper(placeholder.mapper(asset))
            else:
                ghost.SetMapper(self._mapper(asset))
            ghost.GetProperty().SetColor(*_rgb(asset.colour))
            ghost.GetProperty().SetOpacity(0.45)
            ghost.PickableOff()
            self.plotter.renderer.AddActor(ghost)
            self._ghost, self._ghost_asset = ghost, asset.id
        ghost.SetPosition(x, y, z)
        self.moving.touched(ghost)

    def hide_ghost(self) -> None:
        ghost = getattr(self, "_ghost", None)
        if ghost is not None:
            self.moving.remove(ghost)
            self._ghost = None

    @property
    def ghost_visible(self) -> bool:
        return getattr(self, "_ghost", None) is not None

    HANDLE = "__rotate_handle__"

    def show_handle(self, piece: Piece | Mapping[str, float] | None, radius: float = 0.0) -> None:
        """The rotation ring around a piece (or a group's centre: any object with x, y, z and
        rotation), or none."""
        if piece is None:
            self.ring.show(None)
            return
        at = (_get(piece, "x"), _get(piece, "y"), _get(piece, "z") + 0.5)
        self.ring.show(at, _get(piece, "rotation"))

    def handle_position(self) -> tuple[float, float, float] | None:
        """A point on the ring where grabbing it turns the selection (its knob)."""
        return self.ring.knob_position() if self.ring.visible else None

    # -- questions -----------------------------------------------------------------------------

    def pick(self, x: float, y: float) -> str | None:
        """The piece under display point x, y (VTK coordinates, origin bottom-left)."""
        if not self.picker.Pick(x, y, 0, self.plotter.renderer):
            return None
        return self._piece_of.get(id(self.picker.GetActor()))

    def table_point(self, x: float, y: float, height: float = 0.0) -> tuple[float, float] | None:
        """Where display point x, y meets the horizontal plane at `height` (the table's top)."""
        renderer = self.plotter.renderer
        points = []
        for depth in (0.0, 1.0):
            renderer.SetDisplayPoint(x, y, depth)
            renderer.DisplayToWorld()
            wx, wy, wz, w = renderer.GetWorldPoint()
            points.append((wx / w, wy / w, wz / w))
        (x0, y0, z0), (x1, y1, z1) = points
        if abs(z1 - z0) < 1e-9:
            return None
        t = (height - z0) / (z1 - z0)
        return x0 + t * (x1 - x0), y0 + t * (y1 - y0)

    def display_point(self, x: float, y: float, z: float) -> tuple[float, float]:
        """Where world point x, y, z appears (VTK display coordinates, origin bottom-left)."""
        renderer = self.plotter.renderer
        renderer.SetWorldPoint(x, y, z, 1.0)
        renderer.WorldToDisplay()
        dx, dy, _ = renderer.GetDisplayPoint()
        return dx, dy

    # -- cameras -------------------------------------------------------------------------------

    def table_view(self, elevation: float = 42.0, azimuth: float = 270.0) -> turntable.View:
        bounds = (0.0, self.width, 0.0, self.depth, -TABLE_THICKNESS, 60.0)
        angle = self.plotter.camera.GetViewAngle()
        width, height = self.plotter.renderer.GetSize()
        aspect = width / height if width and height else 1.0
        return turntable.framing(
            bounds, angle, azimuth, elevation, parallel=elevation >= 90, aspect=aspect
        )

    def go_to(self, view: turntable.View) -> None:
        turntable.apply(self.plotter.camera, view)
        self.plotter.camera.parallel_projection = view.parallel  # pyvista keeps its own flag
        self.plotter.renderer.ResetCameraClippingRange()

    def view_top(self) -> None:
        self.go_to(self.table_view(90.0))

    def view_perspective(self) -> None:
        self.go_to(self.table_view())


def _get(piece: Any, name: str) -> float:
    """A field of a piece, whether it is a mapping (the wire's shape) or an object."""
    default = 1.0 if name == "scale" else 0.0
    value = piece.get(name, default) if isinstance(piece, dict) else getattr(piece, name, default)
    return float(value)
