"""What scripts/compose-check.sh does through the load balancer of a running compose stack.

    python3 scripts/compose_journey.py journey  --base URL --stripe URL --testdata DIR
    python3 scripts/compose_journey.py failover --base URL --compose "CMD…"
    python3 scripts/compose_journey.py takeover --base URL --compose "CMD…" --testdata DIR
    python3 scripts/compose_journey.py db-outage --base URL --compose "CMD…"

`--compose` is the compose command line of the stack (project and files included); the failure
steps run `stop`, `start`, `kill` and `exec` with it. Each step prints what it saw with the time
since it started and exits non-zero (with the reason) on the first thing that is not as it
should be. A client's retries are those of the desktop app: a dropped connection, 502 or 503 is
tried again (after Retry-After when given), at most four times.
"""

import argparse
import shlex
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

RETRIES = 4
PASSWORD = "compose check password"  # noqa: S105 (a throw-away account on a throw-away stack)


class CheckFailed(Exception):
    """Something the check expected did not happen; the message says what."""


class Client:
    """httpx with the desktop client's retries, counting them."""

    def __init__(self, base: str, token: str | None = None) -> None:
        self.http = httpx.Client(base_url=base, timeout=60)
        self.token = token
        self.retries = 0

    def call(self, method: str, path: str, expect: int | tuple[int, ...], **kw: Any) -> Any:
        headers = kw.pop("headers", {})
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        expected = (expect,) if isinstance(expect, int) else expect
        for attempt in range(RETRIES + 1):
            try:
                response = self.http.request(method, path, headers=headers, **kw)
            except httpx.TransportError as exc:
                if attempt == RETRIES:
                    raise CheckFailed(f"{method} {path}: {exc!r} after {RETRIES} retries") from exc
                self.retries += 1
                time.sleep(0.5 * 2**attempt)  # the client's backoff between tries
                continue
            if response.status_code in (502, 503) and attempt < RETRIES and 503 not in expected:
                self.retries += 1
                time.sleep(float(response.headers.get("Retry-After", 0.5 * 2**attempt)))
                continue
            if response.status_code not in expected:
                raise CheckFailed(
                    f"{method} {path}: {response.status_code} {response.text[:300]}"
                    f" (expected {expected})"
                )
            return (
                response.json() if "json" in response.headers.get("content-type", "") else response
            )
        raise AssertionError("unreachable")


T0 = time.monotonic()


def say(message: str) -> None:
    print(f"    [{time.monotonic() - T0:6.1f}s] {message}", flush=True)


def poll(what: str, timeout: float, probe: Any) -> Any:
    """`probe()` until it returns something true, every 0.5 s; CheckFailed after `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = probe()
        if got:
            return got
        time.sleep(0.5)  # polling a condition, with a deadline
    raise CheckFailed(f"timed out after {timeout:.0f} s waiting for {what}")


def register(base: str, label: str) -> Client:
    client = Client(base)
    email = f"{label}-{uuid.uuid4().hex[:8]}@example.com"
    body = client.call(
        "POST", "/api/auth/register", 201, json={"email": email, "password": PASSWORD}
    )
    client.token = body["token"]
    return client


def upload(artist: Client, path: Path, name: str) -> str:
    with path.open("rb") as handle:
        body = artist.call(
            "POST",
            "/api/library/assets",
            202,
            files={"file": (path.name, handle, "application/octet-stream")},
            data={"name": name},
        )
    asset_id: str = body["asset"]["id"]
    return asset_id


def wait_processed(artist: Client, asset_id: str, timeout: float) -> dict[str, Any]:
    def state() -> dict[str, Any] | None:
        asset: dict[str, Any] = artist.call("GET", f"/api/library/assets/{asset_id}", 200)["asset"]
        return asset if asset["processing_state"] != "processing" else None

    asset = poll(f"asset {asset_id} to be processed", timeout, state)
    if asset["processing_state"] != "ready":
        raise CheckFailed(f"asset {asset_id}: {asset['processing_state']}: {asset}")
    return asset


def new_artist(base: str) -> Client:
    artist = register(base, "artist")
    artist.call(
        "POST", "/api/artists/me", 200, json={"artist_name": f"Check {uuid.uuid4().hex[:6]}"}
    )
    return artist


def journey(args: argparse.Namespace) -> None:
    base = args.base
    artist = new_artist(base)
    say("registered an account and became an artist")

    stl = Path(args.testdata) / "openforge" / "of_face_25.stl"
    name = f"Compose check {uuid.uuid4().hex[:8]}"
    asset_id = upload(artist, stl, name)
    say(f"uploaded {stl.name} ({stl.stat().st_size} bytes): asset {asset_id} processing")
    asset = wait_processed(artist, asset_id, 300)
    thumbnail = artist.call("GET", asset["thumbnail_url"], 200)
    display = artist.call("GET", asset["display_url"], 200)
    if not thumbnail.content.startswith(b"\x89PNG") or display.content[:4] != b"glTF":
        raise CheckFailed("the thumbnail is not a PNG or the display mesh not a GLB")
    dims = asset.get("width"), asset.get("depth"), asset.get("height")
    sizes = f"thumbnail PNG {len(thumbnail.content)} B, GLB {len(display.content)} B"
    say(f"asset ready: {dims} mm, {sizes}")

    artist.call(
        "PATCH",
        f"/api/library/assets/{asset_id}",
        200,
        json={
            "status": "published",
            "visibility": "public",
            "base_price": "2.50",
            "category": "walls",
        },
    )
    buyer = register(base, "buyer")

    def found() -> bool:
        hits = buyer.call("GET", "/api/library/assets", 200, params={"q": name})["assets"]
        return any(hit["id"] == asset_id for hit in hits)

    poll("the published asset in search", 30, found)
    say(f"published; a buyer's search for {name!r} finds it")

    table = artist.call("POST", "/api/tables", 201, json={"name": "Compose check table"})
    table_id = table.get("table", table).get("id")
    say(f"made a table {table_id}")
    synced_id, laptop, desktop = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    pushed = artist.call(
        "POST",
        "/api/sync/push",
        200,
        json={
            "client_id": laptop,
            "mutations": [
                {"kind": "create_table", "mutation_id": 1, "table_id": synced_id, "name": "Keep"},
                {
                    "kind": "update_table",
                    "mutation_id": 2,
                    "table_id": synced_id,
                    "fields": {"name": "Keep and river"},
                },
            ],
        },
    )
    pulled = artist.call("POST", "/api/sync/pull", 200, json={"client_id": desktop, "cursor": 0})
    names = {t["id"]: t["name"] for t in pulled["tables"]}
    if pushed.get("applied") != 2 or names.get(synced_id) != "Keep and river":
        raise CheckFailed(f"push/pull: pushed {pushed}, pulled {names}")
    say(f"pushed 2 changes from one client, pulled {len(names)} tables from another")

    order = buyer.call("POST", "/api/orders", 201, json={"items": [{"asset_id": asset_id}]})
    session = urlsplit(order["checkout_url"]).path.rstrip("/").rsplit("/", 1)[-1]
    paid = httpx.post(f"{args.stripe}/pay/{session}", timeout=30)
    if paid.status_code != 200 or "answered 200" not in paid.text:
        raise CheckFailed(f"the stand-in's payment: {paid.status_code} {paid.text[:300]}")

    def order_paid() -> bool:
        got = buyer.call("GET", f"/api/orders/{order['order_id']}", 200)
        return got.get("order", got).get("status") == "paid"

    poll("the order to be paid", 30, order_paid)
    say(f"order {order['order_number']} paid on the Stripe stand-in; its webhook marked it paid")
    retries = artist.retries + buyer.retries
    say(f"journey done ({retries} client retries)")


def compose(args: argparse.Namespace, *command: str, check: bool = True) -> str:
    done = subprocess.run(  # noqa: S603 (the compose command line the check was given)
        [*shlex.split(args.compose), *command], capture_output=True, text=True, check=False
    )
    if check and done.returncode != 0:
        raise CheckFailed(f"compose {' '.join(command)}: {done.stdout[-300:]}{done.stderr[-500:]}")
    return done.stdout


def failover(args: argparse.Namespace) -> None:
    """A stream of requests from several clients while one API replica stops, then comes back."""
    artist = new_artist(args.base)
    answered: list[int] = []  # one entry per request answered: the retries it took
    failures: list[str] = []
    stop = threading.Event()

    def stream(worker: int) -> None:
        client = Client(args.base, artist.token)
        index = 0
        while not stop.is_set():
            index += 1
            before = client.retries
            try:
                if index % 3 == 0:
                    client.call(
                        "POST", "/api/tables", (201, 402), json={"name": f"T{worker}-{index}"}
                    )
                else:
                    client.call("GET", "/api/tables/mine", 200)
                answered.append(client.retries - before)
            except CheckFailed as exc:
                failures.append(str(exc))

    threads = [threading.Thread(target=stream, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    try:
        poll("50 answers before the stop", 60, lambda: len(answered) >= 50)
        say(f"{len(answered)} answers so far; stopping api-1")
        began = time.monotonic()
        compose(args, "stop", "api-1")
        at_stop = len(answered)
        say(f"api-1 stopped after {time.monotonic() - began:.1f} s; {at_stop} answers")
        poll("100 answers with api-1 stopped", 120, lambda: len(answered) >= at_stop + 100)
        compose(args, "start", "api-1")
        say(f"api-1 started again; {len(answered)} answers")
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    if failures:
        raise CheckFailed(f"{len(failures)} requests lost beyond retries: {failures[:3]}")
    retried = sum(1 for r in answered if r)
    say(f"{len(answered)} requests, none lost; {retried} needed a retry ({sum(answered)} retries)")


def takeover(args: argparse.Namespace) -> None:
    """worker-1 is killed while it processes uploads; worker-2 takes the job it held after the
    job's lease. Several real files are queued, so that worker-1 is surely in the middle of one
    (each takes a few seconds) when it is killed."""
    artist = new_artist(args.base)
    compose(args, "stop", "worker-2")
    say("worker-2 stopped: worker-1 alone takes the jobs")
    files = sorted((Path(args.testdata) / "openforge").glob("*.stl"))
    files += sorted((Path(args.testdata) / "openforge-kit").glob("*.stl"))
    ids = [upload(artist, path, f"Takeover {path.stem} {uuid.uuid4().hex[:6]}") for path in files]
    for asset_id in ids:
        uuid.UUID(asset_id)  # ids the server gave, checked before they go into SQL
    total = sum(path.stat().st_size for path in files)
    say(f"uploaded {len(files)} OpenForge files ({total / 1e6:.1f} MB): jobs queued")
    listed = ", ".join(f"'{asset_id}'" for asset_id in ids)
    mine = f"kind = 'process_asset' AND payload->>'asset_id' IN ({listed})"
    running = f"SELECT payload->>'asset_id' FROM jobs WHERE {mine} AND status = 'running'"  # noqa: S608

    def psql(sql: str) -> str:
        return compose(args, "exec", "-T", "db", "psql", "-U", "terrain", "-d", "terrain",
                       "-tAc", sql).strip()  # fmt: skip

    poll("worker-1 to claim a job", 60, lambda: psql(running))
    compose(args, "kill", "-s", "KILL", "worker-1")
    killed = time.monotonic()
    held = psql(running).split()
    if not held:
        raise CheckFailed("worker-1 finished its job before it was killed: no job left leased")
    say(f"worker-1 killed (SIGKILL) in the middle of asset {held[0]}")
    compose(args, "start", "worker-2")
    say("worker-2 started: it processes the rest; the held job waits for its lease to run out")
    held_asset = wait_processed(artist, held[0], args.lease_wait)
    after = time.monotonic() - killed
    held_job = f"{mine} AND payload->>'asset_id' = '{held[0]}'"
    attempts = psql(f"SELECT attempts FROM jobs WHERE {held_job}")  # noqa: S608
    state = held_asset["processing_state"]
    say(f"held asset {state} {after:.0f} s after the kill (job attempts: {attempts})")
    if attempts != "2":
        raise CheckFailed(f"the held job ran {attempts} times, not twice (killed, taken over)")
    for asset_id in ids:
        wait_processed(artist, asset_id, 120)
    say(f"all {len(ids)} assets ready")
    compose(args, "start", "worker-1")
    say("worker-1 started again")


def db_outage(args: argparse.Namespace) -> None:
    """PostgreSQL restarts: meanwhile the API answers 503 (JSON), then recovers by itself."""
    client = new_artist(args.base)
    probe = Client(args.base, client.token)

    def status() -> tuple[int, Any]:
        try:
            response = probe.http.get(
                "/api/tables/mine", headers={"Authorization": f"Bearer {client.token}"}
            )
        except httpx.TransportError as exc:
            return 0, repr(exc)
        return response.status_code, response.text[:200]

    began = time.monotonic()
    compose(args, "stop", "db")
    say(f"db stopped ({time.monotonic() - began:.1f} s)")
    seen: dict[int, str] = {}

    def refused() -> bool:
        code, text = status()
        seen[code] = text
        return code == 503

    poll("a 503 while the database is down", 60, refused)
    if set(seen) - {200, 503}:
        raise CheckFailed(f"answers other than 200/503 while the database went: {seen}")
    code, text = status()
    say(f"API answers {code} while the database is down: {text}")
    ready = probe.http.get("/ready")
    say(f"/ready answers {ready.status_code}: {ready.text[:120]}")
    compose(args, "start", "db")
    restarted = time.monotonic()
    say("db started again")
    poll("the API to answer 200 again", 120, lambda: status()[0] == 200)
    say(f"API answers 200 again {time.monotonic() - restarted:.1f} s after the database restarted")
    probe.call("POST", "/api/tables", 201, json={"name": "After the outage"})
    say("a write after the outage succeeded")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=["journey", "failover", "takeover", "db-outage"])
    parser.add_argument("--base", required=True, help="The load balancer's URL.")
    parser.add_argument("--stripe", default="http://127.0.0.1:18111")
    parser.add_argument("--testdata", default="")
    parser.add_argument("--compose", default="")
    parser.add_argument("--lease-wait", type=float, default=400)
    args = parser.parse_args()
    steps = {"journey": journey, "failover": failover, "takeover": takeover, "db-outage": db_outage}
    try:
        steps[args.step](args)
    except CheckFailed as exc:
        say(f"FAILED: {exc}")
        sys.exit(1)


if __name__ == "__main__":
    main()
