"""A table in 3D: the surface with its grid, and one actor per piece.

Pieces of the same asset share one mapper (one copy of the mesh on the GPU); each piece is an
actor with its own transform and colour, so moving a piece touches that actor alone. Picking
uses a cell picker restricted to piece actors.
"""

import math
from collections.abc import Callable, Mapping
from typing import Any

import pyvista as pv
from vtkmodules.vtkRenderingCore import vtkActor, vtkCellPicker, vtkPolyDataMapper

from terrain_desktop.domain.catalogue import LibraryAsset
from terrain_desktop.domain.piece import Piece, PiecesChanged
from terrain_desktop.scene.meshes import MeshCache

TABLE_COLOUR = "#5d7a45"
EDGE_COLOUR = "#3b2a1a"
GRID_COLOUR = "#7f9a63"
SELECTED_COLOUR = "#ffb000"
MISSING_COLOUR = "#cc3333"
TABLE_THICKNESS = 18.0


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
        self.actors: dict[str, vtkActor] = {}
        self._piece_of: dict[int, str] = {}
        self._table_actors: list[Any] = []
        self.width = self.depth = 0.0
        self.picker = vtkCellPicker()
        self.picker.SetTolerance(0.0005)
        self.picker.PickFromListOn()
        plotter.set_background("#20242a", top="#3a4350")

    # -- the table -----------------------------------------------------------------------------

    def set_table(self, width: float, depth: float, grid: float = 50.0) -> None:
        for actor in self._table_actors:
            self.plotter.remove_actor(actor, render=False)
        self.width, self.depth = width, depth
        slab = pv.Box(bounds=(0, width, 0, depth, -TABLE_THICKNESS, 0))
        lines = [pv.Line((x, 0, 0.6), (x, depth, 0.6)) for x in _steps(width, grid)]
        lines += [pv.Line((0, y, 0.6), (width, y, 0.6)) for y in _steps(depth, grid)]
        self._table_actors = [
            self.plotter.add_mesh(slab, color=TABLE_COLOUR, pickable=False, render=False),
        ]
        if lines:
            grid_lines = pv.merge(lines)
            self._table_actors.append(
                self.plotter.add_mesh(
                    grid_lines, color=GRID_COLOUR, line_width=1, pickable=False, render=False
                )
            )

    # -- pieces --------------------------------------------------------------------------------

    def _mapper(self, asset: LibraryAsset) -> vtkPolyDataMapper:
        if asset.id not in self._mappers:
            mapper = vtkPolyDataMapper()
            mapper.SetInputData(self.meshes.get(asset.mesh_path))
            mapper.ScalarVisibilityOff()
            self._mappers[asset.id] = mapper
        return self._mappers[asset.id]

<<<<<<< HEAD
    def add_piece(self, piece_id: str, piece: Piece) -> None:
        asset = self.assets(piece.asset_id)
        actor = vtk.vtkActor()
=======
    def add_piece(self, piece_id: str, piece: dict[str, Any]) -> None:
        asset = self.assets(piece["modelId"])
        actor = vtkActor()
>>>>>>> h17-bundle
        if asset is not None:
            actor.SetMapper(self._mapper(asset))
            colour = asset.colour
        else:  # a piece whose model is not on this device (yet): a red marker
            mapper = vtkPolyDataMapper()
            mapper.SetInputData(pv.Cube(x_length=25, y_length=25, z_length=25, center=(0, 0, 12.5)))
            actor.SetMapper(mapper)
            colour = MISSING_COLOUR
        prop = actor.GetProperty()
        prop.SetColor(*_rgb(colour))
        prop.SetInterpolationToPhong()
        prop.SetSpecular(0.1)
        self.actors[piece_id] = actor
        self._piece_of[id(actor)] = piece_id
        self.picker.AddPickList(actor)
        self.plotter.renderer.AddActor(actor)
        self.update_piece(piece_id, piece)

    def update_piece(self, piece_id: str, piece: Piece) -> None:
        actor = self.actors[piece_id]
        actor.SetPosition(piece.x, piece.y, piece.z)
        actor.SetOrientation(0, 0, piece.rotation)
        actor.SetScale(piece.scale, piece.scale, piece.scale)

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
        self.picker.DeletePickList(actor)
        self.plotter.renderer.RemoveActor(actor)

    def set_pieces(self, pieces: Mapping[str, Piece]) -> None:
        for piece_id in list(self.actors):
            self.remove_piece(piece_id)
        for piece_id, piece in pieces.items():
            self.add_piece(piece_id, piece)

    def highlight(self, selected: set[str]) -> None:
        for piece_id, actor in self.actors.items():
            prop = actor.GetProperty()
            if piece_id in selected:
                prop.SetAmbient(0.35)
                prop.SetAmbientColor(*_rgb(SELECTED_COLOUR))
                prop.SetEdgeVisibility(False)
            else:
                prop.SetAmbient(0.0)

    def show_ghost(self, asset: LibraryAsset, x: float, y: float, z: float) -> None:
        """A see-through copy of a piece following the mouse while it is dragged in."""
        ghost = getattr(self, "_ghost", None)
        if ghost is None or getattr(self, "_ghost_asset", None) != asset.id:
            self.hide_ghost()
            ghost = vtkActor()
            ghost.SetMapper(self._mapper(asset))
            ghost.GetProperty().SetColor(*_rgb(asset.colour))
            ghost.GetProperty().SetOpacity(0.45)
            ghost.PickableOff()
            self.plotter.renderer.AddActor(ghost)
            self._ghost, self._ghost_asset = ghost, asset.id
        ghost.SetPosition(x, y, z)

    def hide_ghost(self) -> None:
        ghost = getattr(self, "_ghost", None)
        if ghost is not None:
            self.plotter.renderer.RemoveActor(ghost)
            self._ghost = None

    @property
    def ghost_visible(self) -> bool:
        return getattr(self, "_ghost", None) is not None

    HANDLE = "__rotate_handle__"

    def show_handle(self, piece: Piece | None, radius: float = 0.0) -> None:
        """A knob beside the selected piece; dragging it around the piece rotates the piece."""
        handle = getattr(self, "_handle", None)
        if piece is None:
            if handle is not None:
                self.picker.DeletePickList(handle)
                self.plotter.renderer.RemoveActor(handle)
                self._piece_of.pop(id(handle), None)
                self._handle = None
            return
        if handle is None:
            sphere = pv.Sphere(radius=6, center=(0, 0, 0))
            mapper = vtkPolyDataMapper()
            mapper.SetInputData(sphere)
            handle = vtkActor()
            handle.SetMapper(mapper)
            handle.GetProperty().SetColor(*_rgb(SELECTED_COLOUR))
            self.plotter.renderer.AddActor(handle)
            self.picker.AddPickList(handle)
            self._piece_of[id(handle)] = self.HANDLE
            self._handle = handle
        angle = math.radians(piece.rotation)
        handle.SetPosition(
            piece.x + radius * math.cos(angle), piece.y + radius * math.sin(angle), piece.z + 8
        )

    def handle_position(self) -> tuple[float, float, float] | None:
        handle = getattr(self, "_handle", None)
        return None if handle is None else tuple(handle.GetPosition())

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

    def view_top(self) -> None:
        self.plotter.enable_parallel_projection()
        self.plotter.camera_position = [
            (self.width / 2, self.depth / 2, max(self.width, self.depth) * 2),
            (self.width / 2, self.depth / 2, 0),
            (0, 1, 0),
        ]
        self.plotter.reset_camera(bounds=(0, self.width, 0, self.depth, -TABLE_THICKNESS, 60))
        self.plotter.camera.zoom(1.25)

    def view_perspective(self) -> None:
        self.plotter.disable_parallel_projection()
        cx, cy = self.width / 2, self.depth / 2
        span = max(self.width, self.depth)
        self.plotter.camera_position = [
            (cx, cy - span * 1.1, span * 0.9),
            (cx, cy, 0),
            (0, 0, 1),
        ]
        self.plotter.reset_camera(bounds=(0, self.width, 0, self.depth, -TABLE_THICKNESS, 120))
        self.plotter.camera.zoom(1.1)


def _steps(length: float, grid: float) -> list[float]:
    if grid <= 0:
        return []
    count = int(length // grid)
    return [i * grid for i in range(1, count + 1) if i * grid < length]
