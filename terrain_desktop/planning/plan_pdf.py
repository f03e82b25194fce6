"""The printable build plan: an overview, a bill of materials, the print plan's plates, and a
setup card (reportlab).

The overview is drawn as vectors from the pieces' real footprints, so it is sharp at any print
size and needs no 3D renderer.
"""

from pathlib import Path

import shapely
from reportlab.graphics.shapes import Drawing, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    Image,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from terrain_desktop.domain.units import LengthUnit, format_length
from terrain_desktop.planning.footprints import footprint
from terrain_desktop.planning.heatmap import ZONE_COLOURS
from terrain_desktop.planning.layout import TableLayout
from terrain_desktop.planning.plates import plan_plates
from terrain_desktop.planning.printing import (
    PLA_GRAMS_PER_CM3,
    BillLine,
    Printer,
    bill_of_materials,
)
from terrain_desktop.planning.setup_card import Placement, numbered
from terrain_desktop.planning.zones import ZoneLayout, zone_outlines

PAGE = landscape(A4)
MARGIN = 12 * mm
_GRID_STYLE = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e4dc")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
    ]
)


def _overview(
    table: TableLayout, placements: list[Placement], zones: list[list[tuple[float, float]]]
) -> Drawing:
    room_w, room_h = PAGE[0] - 2 * MARGIN, PAGE[1] - 2 * MARGIN - 30 * mm
    scale = min(room_w / table.width, room_h / table.depth)
    drawing = Drawing(table.width * scale, table.depth * scale)
    drawing.add(
        Rect(0, 0, table.width * scale, table.depth * scale, fillColor=colors.HexColor("#c9d8b6"))
    )
    for (r, g, b), zone in zip(ZONE_COLOURS, zones, strict=False):
        tint = colors.Color(r / 255, g / 255, b / 255, alpha=0.25)
        points = [v * scale for xy in zone for v in xy]
        drawing.add(Polygon(points, fillColor=tint, strokeColor=tint, strokeWidth=0))
    for placement in placements:
        shape = footprint(placement.piece)
        for part in getattr(shape, "geoms", [shape]):
            if isinstance(part, shapely.Polygon):
                points = [v * scale for xy in part.exterior.coords for v in xy]
                drawing.add(
                    Polygon(
                        points,
                        fillColor=colors.HexColor(placement.piece.colour),
                        strokeColor=colors.black,
                        strokeWidth=0.5,
                    )
                )
    for placement in placements:
        centre = footprint(placement.piece).centroid
        drawing.add(
            String(
                centre.x * scale,
                centre.y * scale - 3,
                str(placement.number),
                fontSize=9,
                fontName="Helvetica-Bold",
                textAnchor="middle",
                fillColor=colors.black,
            )
        )
    return drawing


def _thumbnail(path: str | None) -> Image | str:
    if path is None or not Path(path).exists():
        return ""
    return Image(path, width=18 * mm, height=18 * mm)


def _plates_page(table: TableLayout, printer: Printer) -> list[object]:
    """Every piece on the printer's plates, as `print-plan` lays them out (the 3MF files
    themselves come from File → Print plan or `terrain-desktop print-plan`)."""
    styles = getSampleStyleSheet()
    plan = plan_plates(table, printer)
    settings = plan.settings
    rows: list[list[object]] = [["Plate", "Parts", "Filament", "Time"]]
    for plate in plan.plates:
        names = ", ".join(p.part.name for p in plate.parts)
        grams = plate.used_cm3(settings) * PLA_GRAMS_PER_CM3
        rows.append(
            [
                str(plate.number),
                Paragraph(names, styles["Normal"]),
                f"{grams:.0f} g",
                f"about {plate.hours(settings):.1f} h",
            ]
        )
    story: list[object] = [
        Paragraph(f"Plates for the {printer.name}", styles["Heading1"]),
        Paragraph(
            f"{sum(len(p.parts) for p in plan.plates)} parts on {len(plan.plates)} plates, "
            f"{plan.gap:g} mm apart. Assumed: {settings.describe()}.",
            styles["Normal"],
        ),
        Spacer(1, 3 * mm),
        Table(
            rows, repeatRows=1, colWidths=[18 * mm, 170 * mm, 30 * mm, 30 * mm], style=_GRID_STYLE
        ),
    ]
    if plan.too_big:
        too_big = ", ".join(p.name for p in plan.too_big)
        story.append(Paragraph(f"Too big for this bed any way up: {too_big}", styles["Normal"]))
    return [*story, PageBreak()]


def write_plan(
    out: Path,
    table: TableLayout,
    placements: list[Placement],
    bill: list[BillLine],
    printer: Printer,
    zones: list[list[tuple[float, float]]],
    unit: LengthUnit = LengthUnit.MM,
) -> None:
    styles = getSampleStyleSheet()
    size = f"{format_length(table.width, unit)} × {format_length(table.depth, unit)}"
    story: list[object] = [
        Paragraph(f"Build plan: {table.name}", styles["Title"]),
        Paragraph(
            f"Overview, {size}, {len(placements)} pieces. Front edge at the bottom.",
            styles["Normal"],
        ),
        Spacer(1, 4 * mm),
        _overview(table, placements, zones),
        PageBreak(),
        Paragraph("Bill of materials", styles["Heading1"]),
        Paragraph(
            f"Printer: {printer.name} ({printer.x:g} × {printer.y:g} × {printer.z:g} mm)",
            styles["Normal"],
        ),
        Spacer(1, 3 * mm),
    ]
    rows: list[list[object]] = [["", "Piece", "Count", "Size (mm)", "Fits the bed", "Volume"]]
    for line in bill:
        x, y, z = line.size_mm
        volume = "open mesh" if line.volume_cm3 is None else f"{line.volume_cm3:.1f} cm³"
        rows.append(
            [
                _thumbnail(line.thumbnail),
                line.name,
                str(line.count),
                f"{x:.0f} × {y:.0f} × {z:.0f}",
                line.fit.describe(),
                volume,
            ]
        )
    story += [Table(rows, repeatRows=1, style=_GRID_STYLE), PageBreak()]
    story += _plates_page(table, printer)
    story += [
        Paragraph("Setup card", styles["Heading1"]),
        Paragraph(
            "Each piece's centre, measured from the nearer side edge and the nearer "
            "front or back edge. Turn is counter-clockwise seen from above.",
            styles["Normal"],
        ),
        Spacer(1, 3 * mm),
    ]
    card: list[list[object]] = [["No.", "Piece", "Across", "Along", "Turn", "Height"]]
    for p in placements:
        card.append(
            [
                str(p.number),
                p.piece.name,
                p.across_text(unit),
                p.along_text(unit),
                p.turn_text(),
                p.height_text(unit),
            ]
        )
    story.append(Table(card, repeatRows=1, style=_GRID_STYLE))
    document = SimpleDocTemplate(
        str(out),
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"Build plan: {table.name}",
    )
    document.build(story)


def export_build_plan(
    table: TableLayout,
    out: Path,
    printer: Printer,
    unit: LengthUnit = LengthUnit.MM,
    zones: ZoneLayout = ZoneLayout.LONG_EDGES,
    depth: float | None = None,
) -> int:
    """The whole plan for a table; returns how many pieces it places."""
    outlines = zone_outlines(zones, table.width, table.depth, depth)
    placements = numbered(table)
    write_plan(out, table, placements, bill_of_materials(table, printer), printer, outlines, unit)
    return len(placements)
