"""Random edits, syncs and lost answers on two devices always converge, losing no edit.

Each example is a fresh anonymous session on the real server, shared by two devices with
their own stores. Hypothesis draws a sequence of steps; at the end both devices sync until
quiet and must agree with each other and with the server, and every piece that was added and
never removed must be there.
"""

import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.integration.conftest import DropResponses, LiveServer, make_device, server_state

MODEL = "8c5e6a52-6d3b-4a9e-9d59-0d9e7f3c1a11"

device_index = st.integers(0, 1)
pick = st.integers(0, 50)
steps = st.one_of(
    st.tuples(st.just("create"), device_index),
    st.tuples(st.just("add"), device_index, pick),
    st.tuples(
        st.just("move"),
        device_index,
        pick,
        pick,
        st.sampled_from(["x", "y", "rotation"]),
        st.integers(0, 900),
    ),
    st.tuples(st.just("remove"), device_index, pick, pick),
    st.tuples(st.just("rename"), device_index, pick, st.sampled_from(["Ruins", "Hills", "Docks"])),
    st.tuples(st.just("resize"), device_index, pick, st.sampled_from([900, 1200, 1829])),
    st.tuples(st.just("sync"), device_index),
    st.tuples(st.just("lose_answer"), device_index),
    st.tuples(st.just("edit_during_sync"), device_index, pick, st.integers(0, 900)),
)


@dataclass
class Faults:
    drop_next_push: bool = False
    #: Runs when the server has answered a pull the device has not applied yet: the user
    #: editing while a sync is under way.
    during_pull: Callable[[], None] | None = None

    def __call__(self, request: httpx.Request) -> bool:
        if request.url.path == "/api/sync/pull" and self.during_pull is not None:
            edit, self.during_pull = self.during_pull, None
            edit()
        if request.url.path == "/api/sync/push" and self.drop_next_push:
            self.drop_next_push = False
            return True
        return False


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(steps, max_size=20))
# Found by this test: a refused table whose push answer was lost was never marked refused.
@example(plan=[("create", 0)] * 3 + [("sync", 0), ("create", 0), ("lose_answer", 0)])
@example(plan=[("create", 0)] * 3 + [("create", 1), ("sync", 0), ("add", 1, 0), ("lose_answer", 1)])
def test_two_devices_converge_and_lose_nothing(
    live: LiveServer, plan: list[tuple[Any, ...]]
) -> None:
    session = httpx.post(f"{live.url}/api/sessions").json()["session"]["id"]
    faults = [Faults(), Faults()]
    with tempfile.TemporaryDirectory() as tmp:
        devices = [
            make_device(
                Path(tmp), f"d{i}", live.url, session_id=session, transport=DropResponses(faults[i])
            )
            for i in range(2)
        ]
        added: set[tuple[str, str]] = set()
        removed: set[tuple[str, str]] = set()
        for step in plan:
            device = devices[step[1]]
            tables = [t.id for t in device.store.tables()]
            match step:
                case ("create", _):
                    device.store.create_table()
                case ("add", _, t) if tables:
                    table = tables[t % len(tables)]
                    piece = uuid.uuid4().hex[:12]
                    device.store.add_placement(table, MODEL, id=piece, x=t)
                    added.add((table, piece))
                case ("move", _, t, p, field, value) if tables:
                    table = tables[t % len(tables)]
                    pieces = device.store.placements(table)
                    if pieces:
                        piece = pieces[p % len(pieces)]["id"]
                        device.store.move_placement(table, piece, **{field: value})
                case ("remove", _, t, p) if tables:
                    table = tables[t % len(tables)]
                    pieces = device.store.placements(table)
                    if pieces:
                        piece = pieces[p % len(pieces)]["id"]
                        device.store.remove_placement(table, piece)
                        removed.add((table, piece))
                case ("rename", _, t, name) if tables:
                    device.store.update_table(tables[t % len(tables)], name=name)
                case ("resize", _, t, width) if tables:
                    device.store.update_table(tables[t % len(tables)], width=width)
                case ("sync", _):
                    device.sync()
                case ("lose_answer", i):
                    faults[i].drop_next_push = True
                    device.sync()
                case ("edit_during_sync", i, t, value) if tables:
                    table = tables[t % len(tables)]
                    piece = uuid.uuid4().hex[:12]
                    added.add((table, piece))
                    pieces = device.store.placements(table)

                    def edit(
                        store: Any = device.store,
                        table: str = table,
                        piece: str = piece,
                        moved: str | None = pieces[0]["id"] if pieces else None,
                        value: int = value,
                    ) -> None:
                        store.add_placement(table, MODEL, id=piece, x=value)
                        if moved is not None:
                            store.move_placement(table, moved, y=value)

                    faults[i].during_pull = edit
                    device.sync()
                    # What the user did while the pull was under way is still on screen.
                    now = {p["id"]: p for p in device.store.placements(table)}
                    assert now[piece]["x"] == value
                    if pieces and pieces[0]["id"] in now:
                        assert now[pieces[0]["id"]]["y"] == value
        for _ in range(2):
            for device in devices:
                device.sync()

        expected = server_state(live.url, {"x-session-id": session})
        assert devices[0].state() == devices[1].state() == expected
        assert all(d.store.pending_count() == 0 for d in devices)
        on_server = {(t, p["id"]) for t, table in expected.items() for p in table["placements"]}
        refused = {t.id for d in devices for t in d.store.tables() if t.sync_state == "rejected"}
        kept = {(t, p) for t, p in added - removed if t not in refused}
        assert kept == on_server
        for device in devices:
            device.store.close()
            device.client.close()
