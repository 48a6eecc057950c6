"""Fair shares and ready kernels, on the server's real kernel manager run in-process.

``ClientKernelManager`` starts real kernels here (no Voila, no browser): a page is what the gate
hands the manager (an object with the client's id, which learns its kernel's id). Each test ends
every kernel it started.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from types import SimpleNamespace
from typing import Any

import pytest

from coachkit.web.lifetimes import RENDERING, AtCapacity, ClientKernelManager
from coachkit.web.shares import MOST_HELD_SECONDS, OPENS_AT_ONCE, SECONDS_PER_OPEN, ClientBusy

ALICE, BOB, CAROL = 1, 2, 3


def manager(**settings: Any) -> ClientKernelManager:
    settings = {"ready_kernels": 0, "kernels_per_client": 2, **settings}
    found = ClientKernelManager(**settings)
    found.kernel_manager_class = "coachkit.kernels.SafeKernelManager"
    return found


async def open_page(kernels: ClientKernelManager, client_id: int, *, sent: bool = True) -> str:
    """What the gate does for a client's page: the kernel it gets (``sent``: the page has gone out)."""
    page = SimpleNamespace(kernel_id=None, client_id=client_id)
    token = RENDERING.set(page)
    try:
        kernel_id = await kernels.start_kernel(path="")
    finally:
        RENDERING.reset(token)
    if sent:
        kernels.page_sent(kernel_id)
    return kernel_id


def run(scenario: Callable[[ClientKernelManager], Awaitable[None]], **settings: Any) -> None:
    async def main() -> None:
        kernels = manager(**settings)
        try:
            await scenario(kernels)
        finally:
            if kernels.ready._filling is not None:
                kernels.ready._filling.cancel()
            await kernels.shutdown_all(now=True)

    asyncio.run(main())


def test_a_clients_newest_page_takes_over_their_oldest_and_nobody_elses():
    async def scenario(kernels: ClientKernelManager) -> None:
        bobs = await open_page(kernels, BOB)
        first, second = await open_page(kernels, ALICE), await open_page(kernels, ALICE)
        for kernel_id in (first, second, bobs):
            kernels.notify_connect(kernel_id)  # every page is open and connected
        third = await open_page(kernels, ALICE)
        assert sorted(kernels.list_kernel_ids()) == sorted([second, third, bobs])
        assert kernels.shares.gave_way(first)  # its page is told why, and does not reload
        assert not any(kernels.shares.gave_way(k) for k in (second, third, bobs))

    run(scenario)


def test_a_page_no_longer_connected_gives_way_before_an_older_one_that_is():
    async def scenario(kernels: ClientKernelManager) -> None:
        open_tab, reloaded = await open_page(kernels, ALICE), await open_page(kernels, ALICE)
        kernels.notify_connect(open_tab)  # the reloaded tab's old page never connects again
        newest = await open_page(kernels, ALICE)
        assert sorted(kernels.list_kernel_ids()) == sorted([open_tab, newest])
        assert kernels.shares.gave_way(reloaded)

    run(scenario)


def test_pages_asked_for_all_at_once_get_no_more_than_the_share_and_end_nothing_being_sent():
    async def scenario(kernels: ClientKernelManager) -> None:
        asked = [open_page(kernels, ALICE, sent=False) for _ in range(5)]
        results = await asyncio.gather(*asked, return_exceptions=True)
        started = [result for result in results if isinstance(result, str)]
        assert len(started) == 2
        assert all(isinstance(result, ClientBusy) for result in results if not isinstance(result, str))
        assert sorted(kernels.list_kernel_ids()) == sorted(started)  # none of them was ended

    run(scenario)


def test_at_the_ceiling_a_clients_new_page_takes_over_their_own_and_a_newcomer_waits():
    async def scenario(kernels: ClientKernelManager) -> None:
        alices, bobs = await open_page(kernels, ALICE), await open_page(kernels, BOB)
        for kernel_id in (alices, bobs):
            kernels.notify_connect(kernel_id)
        assert not kernels.can_open_page(CAROL)
        with pytest.raises(AtCapacity):
            await open_page(kernels, CAROL)
        assert kernels.can_open_page(ALICE)
        again = await open_page(kernels, ALICE)  # Alice reloads at a full server: she is not turned away
        assert sorted(kernels.list_kernel_ids()) == sorted([again, bobs])

    run(scenario, max_kernels=2)


def test_a_page_arriving_while_a_kernel_is_being_readied_gets_that_kernel():
    async def scenario(kernels: ClientKernelManager) -> None:
        kernels.ready.refill_soon()
        deadline = time.monotonic() + 60
        while not kernels.ready.warming:  # started, and warming up for a few seconds
            assert time.monotonic() < deadline
            await asyncio.sleep(0.05)
        [warming] = kernels.ready.warming
        assert kernels.can_open_page(ALICE)
        assert await open_page(kernels, ALICE) == warming
        assert kernels.shares.owners == {warming: ALICE}

    run(scenario, ready_kernels=1, warm_up_code="import time; time.sleep(3)")


async def ready_kernel(kernels: ClientKernelManager) -> str:
    deadline = time.monotonic() + 60
    while not kernels.ready.ready:
        assert time.monotonic() < deadline, "no kernel was made ready"
        await asyncio.sleep(0.1)
    return kernels.ready.ready[0]


def test_a_client_who_has_a_page_leaves_the_last_ready_kernel_for_one_who_has_none():
    async def scenario(kernels: ClientKernelManager) -> None:
        kernels.ready.refill_soon()
        first = await ready_kernel(kernels)
        assert await open_page(kernels, ALICE) == first  # her first page: the ready kernel
        kept = await ready_kernel(kernels)  # made ready again once the server is quiet
        assert await open_page(kernels, ALICE) != kept  # her second page starts a kernel of its own
        assert await open_page(kernels, BOB) == kept  # and Bob, who had none, gets the ready one

    run(scenario, ready_kernels=1)


def test_a_client_asking_for_page_after_page_is_paced_and_past_the_pace_gets_the_busy_page():
    async def scenario(kernels: ClientKernelManager) -> None:
        started = time.monotonic()
        for _ in range(OPENS_AT_ONCE):
            await open_page(kernels, ALICE)
        assert time.monotonic() - started < SECONDS_PER_OPEN  # a burst goes through at once
        await open_page(kernels, ALICE)  # the next keeps to the pace
        assert time.monotonic() - started >= 0.8 * SECONDS_PER_OPEN
        waits = [kernels.shares.pace(ALICE) for _ in range(int(MOST_HELD_SECONDS / SECONDS_PER_OPEN))]
        assert waits == sorted(waits) and waits[-1] <= MOST_HELD_SECONDS  # each waits longer
        with pytest.raises(ClientBusy):
            await open_page(kernels, ALICE)
        assert kernels.shares.pace(BOB) == 0  # nobody else is held back
        assert len(kernels.list_kernel_ids()) == 2  # Alice's share, whatever she asked for

    run(scenario)
