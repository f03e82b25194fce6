"""The selection's outline and the hover highlight.

An outline is the piece's silhouette as seen from the camera (`vtkPolyDataSilhouette`, which
follows the camera by itself), drawn as a bright line over a slight tint: crisp at any zoom,
unlike a colour wash that fades on dark pieces. Past `MAX_OUTLINED` selected pieces the rest
get the tint only, so a select-all on a big table stays quick.
"""

from collections.abc import Callable

import pyvista as pv
from vtkmodules.vtkFiltersHybrid import vtkPolyDataSilhouette

from terrain_desktop.scene import vtk_classes as vtk

OUTLINE_COLOUR = (1.0, 0.69, 0.0)
HOVER_AMBIENT = 0.3
HOVER_COLOUR = (1.0, 1.0, 1.0)
#: A piece's own ambient when neither selected nor hovered (look.Material's).
REST_AMBIENT = 0.12
SELECTED_AMBIENT = 0.28
MAX_OUTLINED = 60


class Outlines:
    def __init__(
        self,
        renderer: vtk.vtkRenderer,
        remove: Callable[[vtk.vtkActor], None] | None = None,
        add: Callable[[vtk.vtkActor], None] | None = None,
    ) -> None:
        self.renderer = renderer
        #: Puts a new outline in the scene (the moving layer, beside its selected piece).
        self._add = add or renderer.AddActor
        #: Takes an outline out of the scene (it may be drawn in the moving layer by then).
        self._remove = remove or renderer.RemoveActor
        self._outlines: dict[str, vtk.vtkActor] = {}
        self._tinted: dict[str, vtk.vtkActor] = {}
        self._hovered: tuple[str, vtk.vtkActor] | None = None
        self._welded_meshes: dict[int, tuple[object, pv.PolyData]] = {}

    def _welded(self, mesh: vtk.vtkPolyData) -> pv.PolyData:
        """The mesh with its points merged: display meshes split vertices at sharp edges (for
        crisp shading), which would leave a silhouette with no edges to follow there."""
        cached = self._welded_meshes.get(id(mesh))
        if cached is None or cached[0] is not mesh:
            plain = pv.PolyData(pv.wrap(mesh).points.copy(), pv.wrap(mesh).faces.copy())
            cached = (mesh, plain.clean(tolerance=1e-6))
            self._welded_meshes[id(mesh)] = cached
        return cached[1]

    def show(self, actors: dict[str, vtk.vtkActor], selected: set[str]) -> None:
        for piece_id in list(self._outlines):
            if piece_id not in selected or piece_id not in actors:
                self._remove(self._outlines.pop(piece_id))
        for piece_id, actor in list(self._tinted.items()):
            if piece_id not in selected:
                self._tint(actor, None)
                del self._tinted[piece_id]
        for piece_id in sorted(selected & set(actors)):
            actor = actors[piece_id]
            self._tint(actor, SELECTED_AMBIENT)
            self._tinted[piece_id] = actor
            if piece_id not in self._outlines and len(self._outlines) < MAX_OUTLINED:
                self._outlines[piece_id] = self._outline(actor)
        self.follow(actors)

    def follow(self, actors: dict[str, vtk.vtkActor]) -> None:
        """Outlines take their pieces' current transforms (after a move or a drag preview)."""
        for piece_id, outline in self._outlines.items():
            actor = actors.get(piece_id)
            if actor is not None:
                outline.SetPosition(*actor.GetPosition())
                outline.SetOrientation(*actor.GetOrientation())
                outline.SetScale(*actor.GetScale())

    def hover(self, piece_id: str | None, actor: vtk.vtkActor | None) -> bool:
        """Brighten the piece under the mouse; True when that changed anything."""
        current = self._hovered[0] if self._hovered else None
        if current == piece_id:
            return False
        if self._hovered is not None:
            old_id, old_actor = self._hovered
            self._tint(old_actor, SELECTED_AMBIENT if old_id in self._tinted else None)
        self._hovered = None
        if piece_id is not None and actor is not None:
            if piece_id in self._tinted:
                self._tint(actor, SELECTED_AMBIENT + 0.12)
            else:
                self._tint(actor, HOVER_AMBIENT, HOVER_COLOUR)
            self._hovered = (piece_id, actor)
        return True

    def outline_of(self, piece_id: str) -> vtk.vtkActor | None:
        return self._outlines.get(piece_id)

    @property
    def hovered(self) -> str | None:
        return self._hovered[0] if self._hovered else None

    @property
    def outlined(self) -> set[str]:
        return set(self._outlines)

    def _tint(
        self,
        actor: vtk.vtkActor,
        ambient: float | None,
        colour: tuple[float, float, float] = OUTLINE_COLOUR,
    ) -> None:
        prop = actor.GetProperty()
        if ambient is None:
            prop.SetAmbient(REST_AMBIENT)
            prop.SetAmbientColor(prop.GetDiffuseColor())
        else:
            prop.SetAmbient(ambient)
            prop.SetAmbientColor(*colour)

    def _outline(self, actor: vtk.vtkActor) -> vtk.vtkActor:
        silhouette = vtkPolyDataSilhouette()
        silhouette.SetInputData(self._welded(actor.GetMapper().GetInput()))
        silhouette.SetCamera(self.renderer.GetActiveCamera())
        silhouette.SetProp3D(actor)
        silhouette.SetEnableFeatureAngle(False)  # the outline only, not every crease
        silhouette.BorderEdgesOff()
        mapper = vtk.vtkPolyDataMapper()
        mapper.SetInputConnection(silhouette.GetOutputPort())
        mapper.SetResolveCoincidentTopologyToPolygonOffset()
        mapper.SetRelativeCoincidentTopologyLineOffsetParameters(0, -8)
        outline = vtk.vtkActor()
        outline.SetMapper(mapper)
        outline.PickableOff()
        prop = outline.GetProperty()
        prop.SetColor(*OUTLINE_COLOUR)
        prop.SetLineWidth(3.0)
        prop.LightingOff()
        self._add(outline)
        return outline
