"""Who gets the next database slot: reads before waiting writes, and writes never starve."""

import asyncio

from server.db.request_slots import RequestSlots


async def _order_of_grants(queued: list[str], reads_per_write: int) -> list[str]:
    """One slot, held while `queued` ("r"/"w" with a number) line up; the order they get it."""
    slots = RequestSlots(1, reads_per_write=reads_per_write)
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
        tasks.append(asyncio.create_task(request(name)))
        await asyncio.sleep(0)  # queued in this order
    release.set()
    await asyncio.gather(first, *tasks)
    return granted


def test_reads_go_before_waiting_writes_but_writes_are_not_starved() -> None:
    queued = ["w1", "r1", "w2", "r2", "r3", "r4", "r5", "w3"]

    granted = asyncio.run(_order_of_grants(queued, reads_per_write=3))

    # Three reads pass the oldest write, then it goes; then reads again, in arrival order.
    assert granted == ["r1", "r2", "r3", "w1", "r4", "r5", "w2", "w3"]


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
