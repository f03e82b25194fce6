"""Tables and their layouts on the wire.

The layout schema lives here so the desktop validates a table exactly as the server will.
"""

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from terrain_protocol.plans import TablePlan
from terrain_protocol.wire import (
    MAX_LAYOUT_EXTRA_BYTES,
    MAX_PLACEMENT_EXTRA_BYTES,
    WireModel,
    WireRequest,
    check_free_form,
)

#: Positions are millimetres from the table's corner; generous room for overhangs and stacking.
MAX_COORDINATE_MM = 100_000.0
#: A rotation may wind up to ten turns either way; a scale is above zero and at most this.
MAX_ROTATION_DEGREES = 3600.0
MAX_SCALE = 100.0
MIN_TABLE_MM = 100
MAX_TABLE_MM = 10_000
SHARE_CODE_LENGTH = 16


#: Numbers must be finite (checked by pydantic's core: a push reads thousands of them).
Coordinate = Annotated[
    float, Field(ge=-MAX_COORDINATE_MM, le=MAX_COORDINATE_MM, allow_inf_nan=False)
]
TableName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Description = Annotated[str, StringConstraints(max_length=5000)]
TableSize = Annotated[int, Field(ge=MIN_TABLE_MM, le=MAX_TABLE_MM)]


class Placement(WireModel):
    """One piece on a table. Extra keys (colour, locked, ...) are kept as sent, within bounds."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    id: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    model_id: uuid.UUID = Field(alias="modelId")
    x: Coordinate = 0.0
    y: Coordinate = 0.0
    z: Coordinate = 0.0
    rotation: Annotated[
        float, Field(ge=-MAX_ROTATION_DEGREES, le=MAX_ROTATION_DEGREES, allow_inf_nan=False)
    ] = 0.0
    scale: Annotated[float, Field(gt=0, le=MAX_SCALE, allow_inf_nan=False)] = 1.0

    @model_validator(mode="after")
    def _bounded_extras(self) -> "Placement":
        check_free_form(self.model_extra or {}, MAX_PLACEMENT_EXTRA_BYTES)
        return self


class Layout(WireModel):
    """A table's pieces; other keys of the layout are kept as sent, within bounds."""

    model_config = ConfigDict(extra="allow")

    models: list[Placement] = Field(default_factory=list)

    @model_validator(mode="after")
    def _bounded_extras(self) -> "Layout":
        check_free_form(self.model_extra or {}, MAX_LAYOUT_EXTRA_BYTES)
        return self

    @field_validator("models")
    @classmethod
    def _unique_ids(cls, models: list[Placement]) -> list[Placement]:
        seen: set[str] = set()
        for placement in models:
            if placement.id in seen:
                raise ValueError(f"placement id {placement.id!r} is used twice")
            seen.add(placement.id)
        return models

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)


class TableCreate(WireRequest):
    name: TableName = "Untitled table"
    description: Description = ""
    width: TableSize = 1200
    depth: TableSize = 900
    layout: Layout = Field(default_factory=Layout)
    is_public: bool = False


class TableUpdate(WireRequest):
    """Fields to change; absent fields stay as they are."""

    name: TableName | None = None
    description: Description | None = None
    width: TableSize | None = None
    depth: TableSize | None = None
    layout: Layout | None = None
    is_public: bool | None = None
    #: When given, the update applies only if the table is still at this version.
    expected_version: int | None = None


class CloneRequest(WireRequest):
    share_code: str | None = None
    name: TableName | None = None


class TableOut(BaseModel):
    id: uuid.UUID
    user_id: uuid.UUID | None
    session_id: uuid.UUID | None
    name: str
    description: str
    width: int
    depth: int
    layout: dict[str, Any]
    is_public: bool
    #: Shown to the owner and to whoever arrived by the code; None otherwise.
    share_code: str | None
    view_count: int
    clone_count: int
    cloned_from_id: uuid.UUID | None
    status: Literal["active", "archived"]
    plan: TablePlan
    max_assets: int
    version: int
    created_at: datetime
    updated_at: datetime
    #: Past the owner's plan limit (Pro ended): readable, but edits are refused (402).
    read_only: bool = False


class TableResponse(BaseModel):
    table: TableOut


class TableListResponse(BaseModel):
    tables: list[TableOut]
    total: int


class ArchiveResponse(BaseModel):
    success: bool = True
    table: TableOut
