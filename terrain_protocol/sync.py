"""Offline-first sync on the wire: mutations a device pushes, changes it pulls.

Mutations state intent (a move carries only the fields that changed), so the server can merge
edits from several devices per placement and per table field, in its own arrival order.
"""

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)
from pydantic.json_schema import SkipJsonSchema

from terrain_protocol.tables import (
    MAX_ROTATION_DEGREES,
    MAX_SCALE,
    Coordinate,
    Description,
    Placement,
    TableName,
    TableSize,
)
from terrain_protocol.wire import (
    STORABLE_TEXT,
    WireModel,
    WireRequest,
    parsed_storable,
    printable,
    unstorable,
)

#: Mutations per push; a device with more sends several pushes.
MAX_PUSH_MUTATIONS = 5000
PlacementId = Annotated[str, Field(min_length=1, max_length=64)]


#: Mutation ids are stored as PostgreSQL bigints.
MAX_MUTATION_ID = 2**63 - 1
MutationId = Annotated[int, Field(ge=1, le=MAX_MUTATION_ID)]


class _Mutation(WireRequest):
    #: Increasing per device; the server applies each id once.
    mutation_id: MutationId
    table_id: uuid.UUID


class CreateTable(_Mutation):
    kind: Literal["create_table"] = "create_table"
    name: TableName = "Untitled table"
    description: Description = ""
    width: TableSize = 1200
    depth: TableSize = 900
    is_public: bool = False
    placements: list[Placement] = Field(default_factory=list)


class TableFields(WireRequest):
    name: TableName | None = None
    description: Description | None = None
    width: TableSize | None = None
    depth: TableSize | None = None
    is_public: bool | None = None


class UpdateTable(_Mutation):
    kind: Literal["update_table"] = "update_table"
    fields: TableFields


class ArchiveTable(_Mutation):
    kind: Literal["archive_table"] = "archive_table"


class RestoreTable(_Mutation):
    kind: Literal["restore_table"] = "restore_table"


class AddPlacement(_Mutation):
    kind: Literal["add_placement"] = "add_placement"
    placement: Placement


Rotation = Annotated[float, Field(ge=-MAX_ROTATION_DEGREES, le=MAX_ROTATION_DEGREES)]


class PlacementChanges(WireRequest):
    model_config = ConfigDict(populate_by_name=True)

    model_id: uuid.UUID | None = Field(default=None, alias="modelId")
    x: Coordinate | None = None
    y: Coordinate | None = None
    z: Coordinate | None = None
    rotation: Rotation | None = None
    scale: Annotated[float, Field(gt=0, le=MAX_SCALE)] | None = None


class MovePlacement(_Mutation):
    kind: Literal["move_placement"] = "move_placement"
    placement_id: PlacementId
    changes: PlacementChanges


class RemovePlacement(_Mutation):
    kind: Literal["remove_placement"] = "remove_placement"
    placement_id: PlacementId


class AddLibraryAsset(_Mutation):
    kind: Literal["add_library_asset"] = "add_library_asset"
    asset_id: uuid.UUID


class RemoveLibraryAsset(_Mutation):
    kind: Literal["remove_library_asset"] = "remove_library_asset"
    asset_id: uuid.UUID


class RestoreLibraryAsset(_Mutation):
    kind: Literal["restore_library_asset"] = "restore_library_asset"
    asset_id: uuid.UUID


class AddLibrarySet(_Mutation):
    kind: Literal["add_library_set"] = "add_library_set"
    set_id: uuid.UUID


class RemoveLibrarySet(_Mutation):
    kind: Literal["remove_library_set"] = "remove_library_set"
    set_id: uuid.UUID


class RecordAssetUsage(_Mutation):
    """An asset of the table's library was just used (placed): the server's recent list and
    the asset's popularity follow the desktop's drawer."""

    kind: Literal["record_asset_usage"] = "record_asset_usage"
    asset_id: uuid.UUID


Mutation = Annotated[
    CreateTable
    | UpdateTable
    | ArchiveTable
    | RestoreTable
    | AddPlacement
    | MovePlacement
    | RemovePlacement
    | AddLibraryAsset
    | RemoveLibraryAsset
    | RestoreLibraryAsset
    | AddLibrarySet
    | RemoveLibrarySet
    | RecordAssetUsage,
    Field(discriminator="kind"),
]


class InvalidMutation(WireModel):
    """A pushed mutation that is not valid on its own terms. Never sent: made while a push is
    read, so that one bad mutation is refused by itself while the others are applied."""

    mutation_id: int
    table_id: uuid.UUID | None
    error: str
    #: `invalid_characters` when it holds text that cannot be stored (NUL, a lone surrogate).
    code: str = "validation_error"


def _holds_unstorable_text(value: Any) -> bool:
    """Whether any key or string inside `value` cannot be stored (iterative: a body's depth
    is bounded by its parser, not by this)."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if unstorable(item):
                return True
        elif isinstance(item, dict):
            pending += item.keys()
            pending += item.values()
        elif isinstance(item, list):
            pending += item
    return False


_MUTATION = TypeAdapter[Mutation](Mutation)


def _one_at_a_time(value: Any, _: ValidatorFunctionWrapHandler) -> Mutation | InvalidMutation:
    """A mutation, or its refusal when it names its id; without an id the push is refused."""
    try:
        return _MUTATION.validate_python(value)
    except ValidationError as invalid:
        mutation_id = value.get("mutation_id") if isinstance(value, dict) else None
        if type(mutation_id) is not int or not 1 <= mutation_id <= MAX_MUTATION_ID:
            raise
        try:
            table_id: uuid.UUID | None = uuid.UUID(str(value.get("table_id")))
        except ValueError:
            table_id = None
        unstorable_text = _holds_unstorable_text(value)
        return InvalidMutation(
            mutation_id=mutation_id,
            table_id=table_id,
            error=describe(invalid, "Invalid mutation"),
            code="invalid_characters" if unstorable_text else "validation_error",
        )


def describe(invalid: ValidationError, prefix: str) -> str:
    """The first problem of a validation error, located, in the server's usual wording."""
    first = invalid.errors()[0]
    location = ".".join(str(part) for part in first["loc"])
    message = str(first["msg"]).removeprefix("Value error, ")
    text = f"{prefix}: {location}: {message}" if location else f"{prefix}: {message}"
    return printable(text)  # a message may echo the input (an unknown kind, say)


#: What a push carries; its schema is that of `Mutation`.
PushedMutation = Annotated[
    Mutation | SkipJsonSchema[InvalidMutation], WrapValidator(_one_at_a_time)
]
#: A list of mutations, read or written in one call.
MUTATIONS = TypeAdapter[list[Mutation]](list[Mutation])


def _all_at_once(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """The whole list in one call when every mutation is valid (the usual case, and the one
    a push of thousands must not pay per item for); otherwise one at a time, so each bad
    mutation is refused alone."""
    if isinstance(value, list) and len(value) <= MAX_PUSH_MUTATIONS:
        try:
            return MUTATIONS.validate_python(value)
        except ValidationError:
            pass
    return handler(value)


class PushRequest(WireRequest):
    client_id: uuid.UUID
    mutations: Annotated[
        list[PushedMutation],
        Field(max_length=MAX_PUSH_MUTATIONS),
        WrapValidator(_all_at_once),
    ]


class _ValidPush(WireRequest):
    """A push whose every mutation is valid: no per-mutation fallback to pay for."""

    client_id: uuid.UUID
    mutations: Annotated[list[Mutation], Field(max_length=MAX_PUSH_MUTATIONS)]


def read_valid_push(raw: bytes) -> PushRequest | None:
    """The push in `raw` when all of it is valid (the usual case), else None.

    Read in one pass by pydantic's JSON parser, which also makes the per-model text checks
    needless; a device back online pushes thousands of mutations, and validating the decoded
    body in Python was a quarter of its sync. None sends the body the usual way
    (`PushRequest`), which refuses each bad mutation on its own and says why.
    """
    if not parsed_storable(raw):
        return None
    try:
        valid = _ValidPush.model_validate_json(raw, context=STORABLE_TEXT)
    except ValidationError:
        return None
    mutations: list[Mutation | InvalidMutation] = list(valid.mutations)
    return PushRequest.model_construct(client_id=valid.client_id, mutations=mutations)


class Rejection(BaseModel):
    mutation_id: int
    table_id: uuid.UUID | None
    code: str
    error: str


class PushResponse(BaseModel):
    #: The last of this device's mutations the server has applied (or refused for good).
    last_mutation_id: int
    applied: int
    skipped: int
    rejections: list[Rejection]


class PullRequest(WireRequest):
    client_id: uuid.UUID
    #: The `cursor` of the previous pull; 0 downloads everything.
    cursor: Annotated[int, Field(ge=0)] = 0
    #: The device keeps its local copy (it is not starting afresh after a reset): pieces whose
    #: every change came from its own pushes are left out, from cursor 0 too (its first sync
    #: after editing offline need not download back what it has just pushed).
    keeps_copy: bool = False


class SyncedTable(BaseModel):
    id: uuid.UUID
    name: str
    description: str
    width: int
    depth: int
    is_public: bool
    status: Literal["active", "archived"]
    plan: str
    max_assets: int
    share_code: str
    version: int
    created_at: datetime
    updated_at: datetime


class ChangedPlacement(BaseModel):
    table_id: uuid.UUID
    placement: dict[str, Any]


class LibraryEntry(BaseModel):
    table_id: uuid.UUID
    asset_id: uuid.UUID
    added_at: datetime
    removed_at: datetime | None
    added_via_set_id: uuid.UUID | None


class Tombstone(BaseModel):
    kind: Literal["placement", "table"]
    table_id: uuid.UUID
    id: str


class PullResponse(BaseModel):
    cursor: int
    last_mutation_id: int
    #: The cursor is older than the tombstones kept: drop local server state and pull from 0.
    reset_required: bool = False
    tables: list[SyncedTable] = Field(default_factory=list)
    placements: list[ChangedPlacement] = Field(default_factory=list)
    library: list[LibraryEntry] = Field(default_factory=list)
    tombstones: list[Tombstone] = Field(default_factory=list)
    rejections: list[Rejection] = Field(default_factory=list)
