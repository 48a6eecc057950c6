"""One client hammering the server, and another client's page: does it still open in good time?

``coachkit serve --max-kernels 8`` (every other setting its default). Client B opens their link in
Chromium until the worksheet is usable, ``RUNS`` times quiet and ``RUNS`` times while client A hammers,
interleaved (quiet, hammered, quiet, …) so that both see the same machine. A's hammer is a bounded loop,
as a script with A's signed-in cookie would run it: ask for A's page (a kernel each time, the notebook
run), then open a websocket to that kernel and send it ``FORGED`` garbage widget messages and
``HOARDED`` unasked-for widgets of 200 KB each, as fast as the socket takes them, listen to its answers
for ``LISTEN_SECONDS``, and again, until B's run is over (at most ``ROUNDS`` rounds). Reported: B's
medians and their ratio (the goal: within 1.5×), what A got (pages, busy pages, kernels at most), and
the rate A's kernels answered their messages at.
"""

from __future__ import annotations

import asyncio
import json
import re
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tornado.httpclient import AsyncHTTPClient, HTTPClientError
from tornado.websocket import websocket_connect

from benchmarks import servers
from benchmarks.report import machine, median, p90, write_section
from coachkit.web.sockets import MESSAGES_PER_SECOND
from tests.browser.conftest import CLIENT_PAGE

HEADING = "Fair shares: one client hammering, another's page"
RUNS = 7
ROUNDS = 40
FORGED = 300
HOARDED = 10
HOARD_BYTES = 200_000
LISTEN_SECONDS = 3.0
PAUSE_SECONDS = 8.0
"""Between two of B's opens, in both phases: ready kernels are refilled within it on a quiet server."""
RAMP_SECONDS = 4.0
"""How long A has been hammering when B opens their link."""
KERNEL_ID = re.compile(r'"kernelId":\s*"([\w-]+)"')
A, B = 0, 1


@dataclass
class Hammer:
    """What client A's loop did."""

    pages: Counter[int] = field(default_factory=Counter)
    sent: int = 0
    answered: int = 0
    seconds_listening: float = 0.0
    most_kernels: int = 0


def forged(number: int) -> str:
    header = {"msg_id": f"hammer-{number}", "username": "", "session": "hammer", "version": "5.3"}
    return json.dumps(
        {
            "header": {**header, "msg_type": "comm_msg"},
            "parent_header": {},
            "metadata": {},
            "content": {"comm_id": f"hammer-{number}", "data": {"method": "update", "state": {}}},
            "channel": "shell",
            "buffers": [],
        }
    )


def hoarded(number: int) -> str:
    state = {
        "_model_name": "HTMLModel",
        "_model_module": "@jupyter-widgets/controls",
        "_model_module_version": "2.0.0",
        "_view_name": "HTMLView",
        "_view_module": "@jupyter-widgets/controls",
        "_view_module_version": "2.0.0",
        "value": "x" * HOARD_BYTES,
    }
    header = {"msg_id": f"hoard-{number}", "username": "", "session": "hammer", "version": "5.3"}
    return json.dumps(
        {
            "header": {**header, "msg_type": "comm_open"},
            "parent_header": {},
            "metadata": {"version": "2.1.0"},
            "content": {
                "comm_id": f"hoard-{number}",
                "target_name": "jupyter.widget",
                "data": {"state": state, "buffer_paths": []},
            },
            "channel": "shell",
            "buffers": [],
        }
    )


async def send_to(server: servers.Server, kernel_id: str, hammer: Hammer) -> None:
    """Every forged message over one websocket; the kernel's answers are read for ``LISTEN_SECONDS``
    (a script need not wait for them: the next page is asked for at once)."""
    url = f"{server.base_url.replace('http', 'ws')}/api/kernels/{kernel_id}/channels?session_id=hammer"
    try:
        socket = await websocket_connect(url, max_message_size=2**24)
    except Exception:  # the kernel has gone already (given way to A's next page)
        return
    started = time.monotonic()
    messages = [forged(n) for n in range(FORGED)] + [hoarded(n) for n in range(HOARDED)]
    for message in messages:
        socket.write_message(message)
    answers, expected = 0, 2 * len(messages)  # a busy and an idle status for each
    while answers < expected and time.monotonic() - started < LISTEN_SECONDS:
        left = LISTEN_SECONDS - (time.monotonic() - started)
        try:
            if await asyncio.wait_for(socket.read_message(), timeout=max(left, 0.01)) is None:
                break
        except TimeoutError:
            break
        answers += 1
    socket.close()
    hammer.sent += len(messages)
    hammer.answered += answers // 2
    hammer.seconds_listening += time.monotonic() - started


async def hammer_until(server: servers.Server, cookie: str, stop: asyncio.Event, hammer: Hammer) -> None:
    """Client A's bounded loop: their page, then a flood of messages to its kernel; again."""
    client = AsyncHTTPClient(force_instance=True)
    try:
        for _ in range(ROUNDS):
            if stop.is_set():
                return
            try:
                response = await client.fetch(
                    server.base_url + CLIENT_PAGE, headers={"Cookie": cookie}, request_timeout=180
                )
                code, body = response.code, response.body.decode("utf-8", "replace")
            except HTTPClientError as error:
                code, body = error.code, ""
                await asyncio.sleep(1)  # the busy page asks for a minute; a script does not wait
            hammer.pages[code] += 1
            hammer.most_kernels = max(hammer.most_kernels, len(server.kernels()))
            found = KERNEL_ID.search(body)
            if found is not None:
                await send_to(server, found.group(1), hammer)
    finally:
        client.close()


async def open_b(browser, server: servers.Server) -> float:  # type: ignore[no-untyped-def]
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = await context.new_page()
        opened = await servers.open_until_usable(page, server, B)
        await servers.shut_down_kernel(page)
    finally:
        await context.close()
    return opened.seconds


async def measure(server: servers.Server) -> tuple[list[float], list[float], Hammer]:
    from playwright.async_api import async_playwright

    cookie = server.sign_in(A)
    hammer, quiet, hammered = Hammer(), [], []
    async with async_playwright() as playwright:
        browser = await servers.launch_chromium(playwright)
        try:
            for _ in range(RUNS):
                await asyncio.sleep(PAUSE_SECONDS)
                quiet.append(await open_b(browser, server))
                await asyncio.sleep(PAUSE_SECONDS - RAMP_SECONDS)
                stop = asyncio.Event()
                task = asyncio.create_task(hammer_until(server, cookie, stop, hammer))
                await asyncio.sleep(RAMP_SECONDS)
                hammered.append(await open_b(browser, server))
                stop.set()
                await task
        finally:
            await browser.close()
    return quiet, hammered, hammer


def main() -> None:
    with (
        tempfile.TemporaryDirectory(prefix="coachkit-bench-") as folder,
        servers.our_server(Path(folder), 2, "--max-kernels", "8") as ours,
    ):
        quiet, hammered, hammer = asyncio.run(measure(ours))
    ratio = median(hammered) / median(quiet)
    pages = ", ".join(f"{code} × {count}" for code, count in sorted(hammer.pages.items()))
    rate = hammer.answered / hammer.seconds_listening if hammer.seconds_listening else 0.0
    table = (
        "| client B's page, until usable | median | p90 |\n|---|---:|---:|\n"
        f"| quiet | {median(quiet):.2f} s | {p90(quiet):.2f} s |\n"
        f"| while client A hammers | {median(hammered):.2f} s | {p90(hammered):.2f} s |\n"
        f"| **ratio** | **{ratio:.2f}×** | {p90(hammered) / p90(quiet):.2f}× |\n"
    )
    hammer_table = (
        "| client A's hammer | figure |\n|---|---:|\n"
        f"| page requests answered (HTTP status × count) | {pages} |\n"
        f"| kernels alive at most (all clients, after each of A's requests) | {hammer.most_kernels} |\n"
        f"| widget messages sent to A's kernels | {hammer.sent:,} |\n"
        f"| the rate the kernels answered them at (their share: {MESSAGES_PER_SECOND:.0f} a second) "
        f"| {rate:.0f} a second |\n"
    )
    body = f"""
Client B's page opened in a median **{median(hammered):.2f} s while client A hammered the server**,
against {median(quiet):.2f} s on the quiet server: **{ratio:.2f}×** (the goal: within 1.5×).

{table}
{hammer_table}
Client A may have two pages (kernels) at once (`--pages-per-client`, 2 by default): each new page of
theirs takes over their oldest, so A never holds more, however fast they ask; pages asked for while
both of A's are still being sent get the busy page. A's pages are paced (five at once, then one every
five seconds; a page that would wait over 20 s gets the busy page), and a client who has a page leaves
the last ready kernel for one who has none (`coachkit/web/shares.py`, `ready.py`). What A's pages send
their kernels is held back to the kernel's share, and such a kernel yields the processor to others
(`coachkit/web/sockets.py`): nothing is dropped, it only arrives more slowly; a kernel that hoards past
its memory limit (`--kernel-memory-mb`) ends.

How it was measured: `coachkit serve --max-kernels 8`, defaults otherwise (two kernels kept ready).
B opens a new link each time in a fresh headless Chromium context, from the link's page through Open
to the worksheet's first option being usable, and B's kernel is shut down after each; {RUNS} quiet runs
and {RUNS} hammered ones, interleaved, {PAUSE_SECONDS:.0f} s apart in both phases. A's hammer is a
bounded loop over plain HTTP and websockets with A's signed-in cookie: their page ({ROUNDS} at most),
then {FORGED} garbage widget messages and {HOARDED} unasked-for widgets of {HOARD_BYTES // 1000} KB to
its kernel, listening to the kernel's answers for {LISTEN_SECONDS:.0f} s, then the next page at once (after
a busy page, a second later); it starts {RAMP_SECONDS:.0f} s before B's hammered run and stops when that
run is over.

Measured {machine()}.

Run again with `make bench` or `python -m benchmarks fairness`.
"""
    print(f"{HEADING}\n\n{table}\n{hammer_table}")
    write_section(HEADING, body)
