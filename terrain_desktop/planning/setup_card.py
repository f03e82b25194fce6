"""Where each piece goes, said so a person with a tape measure can put it there: the piece's
centre measured from the nearer of the left and right edges and the nearer of the front and
back edges (front is the edge at the bottom of the overview, y = 0)."""

from dataclasses import dataclass

from terrain_desktop.domain.units import LengthUnit, format_length
from terrain_desktop.planning.layout import PlacedPiece, TableLayout


@dataclass(frozen=True)
class Placement:
    number: int
    piece: PlacedPiece
    across: float
    across_edge: str
    """'left' or 'right'."""
    along: float
    along_edge: str
    """'front' or 'back'."""

    def across_text(self, unit: LengthUnit) -> str:
        return f"{format_length(self.across, unit)} from {self.across_edge}"

    def along_text(self, unit: LengthUnit) -> str:
        return f"{format_length(self.along, unit)} from {self.along_edge}"

    def turn_text(self) -> str:
        return f"{self.piece.rotation % 360:.0f}°"

    def height_text(self, unit: LengthUnit) -> str:
        return (
            "on the table" if self.piece.z < 0.5 else f"raised {format_length(self.piece.z, unit)}"
        )


def numbered(table: TableLayout) -> list[Placement]:
    """Pieces numbered front to back, left to right, as one walks the table setting it up."""
    order = sorted(table.pieces, key=lambda p: (round(p.y / 50), p.x, p.z))
    placements = []
    for number, piece in enumerate(order, start=1):
        from_right = table.width - piece.x
        from_back = table.depth - piece.y
        placements.append(
            Placement(
                number,
                piece,
                min(piece.x, from_right),
                "left" if piece.x <= from_right else "right",
                min(piece.y, from_back),
                "front" if piece.y <= from_back else "back",
            )
        )
    return placements
