"""Who gets the next database slot: the request due first (a read is due a second sooner than a
write), so reads go before newer writes and writes are never starved."""

import asyncio

from server.db.request_slots import RequestSlots


async def _order_of_grants(queued: list[str | float]) -> list[str]:
    """One slot, held while `queued` ("r"/"w" with a number; a number: seconds pass) line up;
    the order they get it."""
    now = [0.0]
    slots = RequestSlots(1, read_promise=1.0, write_promise=2.0, clock=lambda: now[0])
    granted: list[str] = []
    release = asyncio.Event()

    async def holder() -> None:
        async with slots.acquire(read=False):
            await release.wait()

    async def request(name: str) -> None:
        async with slots.acquire(read=name.startswith("r")):
            granted.append(name)
            await asyncio.sleep(0)

    first = asyncio.create_task(holder())
    await asyncio.sleep(0)
    tasks = []
    for name in queued:
        if isinstance(name, float):
            now[0] += name
            continue
        tasks.append(asyncio.create_task(request(name)))
        await asyncio.sleep(0)  # queued in this order
    release.set()
    await asyncio.gather(first, *tasks)
    return granted


def test_reads_go_before_newer_writes_but_writes_are_not_starved() -> None:
    queued: list[str | float] = ["w1", "r1", "w2", 0.5, "r2", 0.6, "r3", "w3", "r4"]

    granted = asyncio.run(_order_of_grants(queued))

    # w1 and w2 are due at 2.0; r1 at 1.0, r2 at 1.5, r3 and r4 at 2.1 (a read a second
    # sooner than a write that came with it), w3 at 3.1: the reads that came within a second
    # of the writes pass them, later ones wait their turn; equal deadlines go by arrival.
    assert granted == ["r1", "r2", "w1", "w2", "r3", "r4", "w3"]


def test_a_cancelled_waiter_gives_up_its_place() -> None:
    async def scenario() -> list[str]:
        slots = RequestSlots(1)
        granted: list[str] = []
        release = asyncio.Event()

        async def holder() -> None:
            async with slots.acquire():
                await release.wait()

        async def request(name: str) -> None:
            async with slots.acquire(read=True):
                granted.append(name)

        held = asyncio.create_task(holder())
        await asyncio.sleep(0)
        gone, kept = asyncio.create_task(request("gone")), asyncio.create_task(request("kept"))
        await asyncio.sleep(0)
        gone.cancel()  # e.g. the client hung up while waiting
        release.set()
        await asyncio.gather(held, kept)
        # The slot is free again afterwards: a new request gets it at once.
        await asyncio.wait_for(request("later"), timeout=5)
        return granted

    assert asyncio.run(scenario()) == ["kept", "later"]
