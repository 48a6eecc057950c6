"""A coaching practice on JupyterHub and PostgreSQL: pages through the Hub's proxy, kernels, memory.

A real practice (``tests.hub.running.running_practice``: ``coachkit practice start`` with two coaches,
so the Hub, its proxy, one client server per coach and a PostgreSQL cluster of its own) runs at the
same time as plain ``voila`` on the bare one-button notebook (the baseline) and ``coachkit serve``
reached straight (SQLite, the practice's kernel settings). Measured, interleaved between them:

1. one page until its first input is usable: a fresh client and a fresh browser context per run;
2. ten pages opened at once: through the proxy five per coach, against ten bare pages;
3. while those ten pages are open: the kernels per coach and each page kernel's memory (psutil USS
   and RSS), and the practice's processes against the same processes with no page open.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from benchmarks import servers
from benchmarks.report import machine, median, p90, ram_gib, write_section

RUNS = 5
CROWD = 10
CROWD_RUNS = 3
SETTLE_SECONDS = 2
MARGIN = 0.25
"""The share of RAM left to the system, page cache, PostgreSQL's work and growth."""
HEADING = "A practice on JupyterHub: pages through the proxy, kernels and memory"
MIB = 1024 * 1024
STRAIGHT = ("--ready-kernels", "1", "--max-kernels", "6")
"""``coachkit serve`` straight with the practice's kernel settings (``tests/hub/running.py``)."""
ADD_CLIENTS = (
    "import sys\nfrom coachkit.store import Store\nstore = Store(sys.argv[1])\n"
    "for n in range(int(sys.argv[2])):\n    print(store.add_client(f'Bench Client{n}').code)\n"
)
ROLES = (
    "Hub",
    "proxy",
    "client servers",
    "fork servers",
    "PostgreSQL",
    "coaches' JupyterLab",
    "runner",
    "ready kernels",
)


@dataclass
class Proxied(servers.Server):
    """The practice's client servers as one ``Server``: link ``n`` goes through the Hub's proxy to a
    fresh client of one coach (alternately); its kernels are every kernel under the practice's runner."""

    links: list[str] = field(default_factory=list)

    def link(self, number: int) -> str:
        return self.links[number]


@dataclass
class Use:
    """Processes and their memory in MiB: unique (USS), resident (RSS), proportional (PSS)."""

    count: int = 0
    uss: float = 0.0
    rss: float = 0.0
    pss: float = 0.0

    def add(self, process: psutil.Process) -> None:
        info = process.memory_full_info()
        self.count += 1
        self.uss += info.uss / MIB
        self.rss += info.rss / MIB
        self.pss += info.pss / MIB


@dataclass
class Crowd:
    """One run of ten pages at once; for the practice, its memory with the pages open and before."""

    seconds: float
    blanks: int
    page_kernels: list[Use] = field(default_factory=list)
    kernels_by_coach: dict[str, int] = field(default_factory=dict)
    idle: dict[str, Use] = field(default_factory=dict)
    open: dict[str, Use] = field(default_factory=dict)


def add_clients(running, coach, count: int) -> list[str]:  # type: ignore[no-untyped-def]
    """``count`` fresh clients of ``coach``, added as the coach's account in one process."""
    from coachkit.practice import accounts
    from tests.hub.running import PRACTICE_BIN

    url = running.practice.database_url(coach)
    command = [str(PRACTICE_BIN / "python"), "-c", ADD_CLIENTS, url, str(count)]
    return accounts.run_as(coach.name, command).stdout.split()


def proxied_server(running, count: int) -> Proxied:  # type: ignore[no-untyped-def]
    """``count`` links through the proxy, alternating between the two coaches."""
    coaches = (running.ana, running.ben)
    codes = {coach.name: add_clients(running, coach, (count + 1) // 2) for coach in coaches}
    links = [running.link(coaches[n % 2], codes[coaches[n % 2].name][n // 2]) for n in range(count)]
    idle = running.practice.ready_kernels * len(coaches)
    return Proxied("practice", "", running.process, "", servers.OUR_INPUT, idle_kernels=idle, links=links)


def role_of(process: psutil.Process, coaches: set[str]) -> str:
    """What a process under the practice's runner is (kernels are found apart)."""
    command = " ".join(process.cmdline())
    user = process.username()
    if user == "postgres":
        return "PostgreSQL"
    if "configurable-http-proxy" in command:
        return "proxy"
    if "coachkit.forkserver" in command:
        return "fork servers"
    if user in coaches:
        return "client servers" if " serve " in command else "coaches' JupyterLab"
    if "jupyterhub" in command:
        return "Hub"
    return "runner"


def memory_by_role(server: Proxied, coaches: set[str], pages: set[int]) -> dict[str, Use]:
    """Memory of everything under the practice's runner (a subreaper: PostgreSQL too), by role;
    ``pages`` are the pids of kernels serving open pages, left out (the other kernels are ready ones)."""
    kernels = {process.pid for process in server.kernels()}
    runner = psutil.Process(server.process.pid)
    found = {role: Use() for role in ROLES}
    for process in [runner, *runner.children(recursive=True)]:
        with suppress(psutil.NoSuchProcess):
            if process.pid in pages:
                continue
            if process.pid in kernels or "ipykernel_launcher" in " ".join(process.cmdline()):
                if process.pid in kernels:
                    found["ready kernels"].add(process)
                continue
            found[role_of(process, coaches)].add(process)
    return found


def kernels_by_coach(server: Proxied) -> dict[str, int]:
    counts: dict[str, int] = {}
    for process in server.kernels():
        with suppress(psutil.NoSuchProcess):
            counts[process.username()] = counts.get(process.username(), 0) + 1
    return counts


async def open_crowd(browser, server: servers.Server, first: int, coaches: set[str]) -> Crowd:  # type: ignore[no-untyped-def]
    """``CROWD`` pages at once until all are usable; for the practice, its memory then and before."""
    idle = memory_by_role(server, coaches, set()) if isinstance(server, Proxied) else {}
    contexts = [await browser.new_context(viewport={"width": 390, "height": 844}) for _ in range(CROWD)]
    try:
        pages = [await context.new_page() for context in contexts]
        started = time.perf_counter()
        try:
            opened = await asyncio.gather(
                *(servers.open_until_usable(page, server, first + n) for n, page in enumerate(pages))
            )
        except Exception:
            for page in pages:  # what each page showed, to tell why one never became usable
                print(f"  {page.url}: {(await page.inner_text('body'))[:200]!r}", flush=True)
            raise
        crowd = Crowd(time.perf_counter() - started, sum(page.blanks for page in opened), idle=idle)
        if isinstance(server, Proxied):
            await asyncio.sleep(SETTLE_SECONDS)
            look_at_open(crowd, server, coaches, [page.kernel_id for page in opened])
        await asyncio.gather(*(servers.shut_down_kernel(page) for page in pages))
    finally:
        for context in contexts:
            await context.close()
    await servers.wait_for_no_kernels(server, timeout=90)
    await asyncio.sleep(1)
    return crowd


def look_at_open(crowd: Crowd, server: Proxied, coaches: set[str], kernel_ids: list[str]) -> None:
    """The page kernels' memory, kernels per coach, and everything else, with the pages open."""
    kernels = [server.kernel(kernel_id) for kernel_id in kernel_ids]
    for process in kernels:
        use = Use()
        use.add(process)
        crowd.page_kernels.append(use)
    crowd.kernels_by_coach = kernels_by_coach(server)
    crowd.open = memory_by_role(server, coaches, {process.pid for process in kernels})


@dataclass
class Found:
    single: dict[str, list[servers.Opened]]
    crowds: dict[str, list[Crowd]]
    browser: str = ""


async def measure(
    bare: servers.Server, straight: servers.Server, proxied: Proxied, coaches: set[str]
) -> Found:
    from playwright.async_api import async_playwright

    trio = (bare, straight, proxied)
    found = Found({s.name: [] for s in trio}, {s.name: [] for s in (bare, proxied)})
    async with async_playwright() as playwright:
        browser = await servers.launch_chromium(playwright)
        try:
            for server in trio:  # warm-up: first kernel, templates, caches
                await servers.open_once(browser, server, 0, kernels_gone=60)
            for run in range(RUNS):
                for server in trio[run % 3 :] + trio[: run % 3]:
                    opened = await servers.open_once(browser, server, run + 1, kernels_gone=60)
                    found.single[server.name].append(opened)
                    print(f"  run {run + 1}: {server.name} {opened.seconds:.2f} s", flush=True)
            for run in range(CROWD_RUNS):
                for server in (proxied, bare) if run % 2 == 0 else (bare, proxied):
                    crowd = await open_crowd(browser, server, 1 + RUNS + run * CROWD, coaches)
                    found.crowds[server.name].append(crowd)
                    print(
                        f"  {CROWD} at once, run {run + 1}: {server.name} {crowd.seconds:.1f} s", flush=True
                    )
            found.browser = browser.version
        finally:
            await browser.close()
    return found


def single_row(label: str, runs: list[servers.Opened]) -> str:
    seconds = [run.seconds for run in runs]
    first_byte = median([run.first_byte_ms for run in runs]) / 1000
    return (
        f"| {label} | **{median(seconds):.2f} s** | {p90(seconds):.2f} s | "
        f"{min(seconds):.2f}–{max(seconds):.2f} s | {first_byte:.2f} s |"
    )


def crowd_row(label: str, crowds: list[Crowd]) -> str:
    runs = ", ".join(f"{crowd.seconds:.1f}" for crowd in crowds)
    blanks = sum(crowd.blanks for crowd in crowds)
    return f"| {label} | **{median([crowd.seconds for crowd in crowds]):.1f} s** | {runs} s | {blanks} |"


def role_median(crowds: list[Crowd], when: str, role: str, what: str) -> float:
    return median([getattr(getattr(crowd, when)[role], what) for crowd in crowds])


@dataclass
class Memory:
    """What the practice costs: fixed (PSS, no page open) and per open page (USS), in MiB."""

    kernel_uss: float
    kernel_rss: float
    servers_per_page: float
    fixed: float
    table: str

    @property
    def per_page(self) -> float:
        return self.kernel_uss + self.servers_per_page


def memory(crowds: list[Crowd]) -> Memory:
    """Medians over the runs: every page kernel's USS and RSS; the rest of the practice with the pages
    open against before (USS, per page); and the whole practice with no page open (PSS)."""
    kernels = [use for crowd in crowds for use in crowd.page_kernels]
    rows = []
    for role in ROLES:
        count = role_median(crowds, "idle", role, "count")
        if not count:
            rows.append(f"| {role} | 0 | – | – | – |")
            continue
        pss, uss, rss = (role_median(crowds, "idle", role, what) for what in ("pss", "uss", "rss"))
        rows.append(f"| {role} | {count:.0f} | {pss:.0f} MiB | {uss:.0f} MiB | {rss:.0f} MiB |")
    fixed = median([sum(use.pss for use in crowd.idle.values()) for crowd in crowds])
    rows.append(f"| **all, no page open** | | **{fixed:.0f} MiB** | | |")
    grown = median(
        [
            sum(crowd.open[r].uss - crowd.idle[r].uss for r in ROLES if r != "ready kernels") / CROWD
            for crowd in crowds
        ]
    )
    table = "| process | count | PSS | USS | RSS |\n|---|---:|---:|---:|---:|\n" + "\n".join(rows) + "\n"
    uss = median([use.uss for use in kernels])
    return Memory(uss, median([use.rss for use in kernels]), grown, fixed, table)


GATEWAY = """**What one more machine would add.** Kernels are the bulk of a practice's memory and CPU, one per
open page; the Hub, the proxy, PostgreSQL and the client servers are small and fixed. A second machine
of this size running only kernels (Jupyter Kernel Gateway or Enterprise Gateway) would add about
**{more:,.0f} open pages** ({usable:.1f} GiB after the same {margin:.0%} margin, at {kernel:.0f} MiB of
unique memory per kernel; each kernel also needs its share of a core while the page runs its cells,
so on two cores CPU, not memory, limits how many pages open *at the same moment*, see above).

What it takes, checked in the source of the installed jupyter_server {server} and Voila {voila} (not run):

- Jupyter Server sends kernels to a gateway when `--GatewayClient.url=http://KERNELS:8888` (alias
  `--gateway-url`, env `JUPYTER_GATEWAY_URL`) is set, with `--GatewayClient.auth_token=…`
  (`JUPYTER_GATEWAY_AUTH_TOKEN`) and optionally `--GatewayClient.auth_scheme`, `--GatewayClient.headers`
  and `--GatewayClient.request_timeout`: `ServerApp` then uses `GatewayMappingKernelManager`.
- Only `ServerApp` does that switch. Standalone Voila, which `coachkit serve` builds on, makes its kernel
  manager from `VoilaConfiguration.multi_kernel_manager_class` (coachkit's `ClientKernelManager`, an
  `AsyncMappingKernelManager` of local `SafeKernelManager` processes) and never reads `GatewayClient`:
  today `--GatewayClient.url` on `coachkit serve` changes nothing. It needs code: coachkit's kernel
  manager built on `jupyter_server.gateway.managers.GatewayMappingKernelManager` (keeping its cap,
  reclaiming and ready kernels), or Voila run as a Jupyter Server extension
  (`jupyter server --ServerApp.jpserver_extensions="{{'voila': True}}" --GatewayClient.url=…`, pages
  under `/voila/render/…`) without coachkit's server.
- The client's code reaches the kernel as the environment variable `QUERY_STRING`: Voila starts each
  page's kernel with `env={{**os.environ, **request_info}}` (`voila/handler.py`) and coachkit reads it
  (`coachkit/ui/page.py`, `query_parameter`). `GatewayKernelManager.start_kernel` sends only variables
  named `KERNEL_…` or listed in `GatewayClient.allowed_envs` (`jupyter_server/gateway/managers.py`), so
  it needs `--GatewayClient.allowed_envs=QUERY_STRING,COACHKIT_DATABASE_URL` (env
  `JUPYTER_GATEWAY_ALLOWED_ENVS`), and the gateway must accept them too (its `client_envs`).
  coachkit's ready kernels get `QUERY_STRING` differently, by code run in the kernel when a page takes
  one (`coachkit/web/ready.py`): that works on a remote kernel unchanged.
- The store: a kernel on another machine runs as the gateway's account and cannot use the practice's
  PostgreSQL, which listens only on its unix socket with peer authentication (the coach's account is
  the database role). It would need PostgreSQL on TCP with TLS and a password per coach role
  (`pg_hba.conf` `hostssl … scram-sha-256`), that password in each coach's `COACHKIT_DATABASE_URL`,
  and the gateway trusted with every coach's clients (one gateway per coach keeps them apart)."""


def not_measured(reason: str) -> None:
    print(f"practice not measured: {reason}")
    body = f"""
Not measured on this machine: {reason}. Run `make practice-deps` as root, then `make bench` or
`python -m benchmarks practice` again.

Measured {machine()}.
"""
    write_section(HEADING, body)


def main() -> None:
    from tests.hub.running import missing, running_practice

    reason = missing()
    if reason:
        not_measured(reason)
        return
    with (
        tempfile.TemporaryDirectory(prefix="coachkit-bench-") as straight_dir,
        tempfile.TemporaryDirectory(prefix="coachkit-bench-") as bare_dir,
        running_practice() as running,
    ):
        proxied = proxied_server(running, 1 + RUNS + CROWD_RUNS * CROWD)
        coaches = {coach.name for coach in running.practice.coaches}
        with (
            servers.our_server(Path(straight_dir), RUNS + 1, *STRAIGHT) as straight,
            servers.bare_server(Path(bare_dir)) as bare,
        ):
            found = asyncio.run(measure(bare, straight, proxied, coaches))
    report(found, bare.name, straight.name, proxied.name)


def report(found: Found, bare: str, straight: str, proxied: str) -> None:
    from importlib.metadata import version

    from coachkit.serve import default_max_kernels

    def single(name: str) -> float:
        return median([run.seconds for run in found.single[name]])

    def crowd(name: str) -> float:
        return median([run.seconds for run in found.crowds[name]])

    over_bare, over_straight = single(proxied) / single(bare), single(proxied) / single(straight)
    crowd_ratio = crowd(proxied) / crowd(bare)
    cost = memory(found.crowds[proxied])
    ram = ram_gib() * 1024
    pages = (ram * (1 - MARGIN) - cost.fixed) / cost.per_page
    counts = [n for run in found.crowds[proxied] for n in run.kernels_by_coach.values()]
    gateway = GATEWAY.format(
        more=ram * (1 - MARGIN) / cost.kernel_uss,
        usable=ram * (1 - MARGIN) / 1024,
        margin=MARGIN,
        kernel=cost.kernel_uss,
        server=version("jupyter_server"),
        voila=version("voila"),
    )
    singles = (
        "| page | median | p90 | fastest–slowest | first byte (median) |\n|---|---:|---:|---:|---:|\n"
        f"{single_row('bare Voila: one button (`voila`)', found.single[bare])}\n"
        f"{single_row('ours straight: `coachkit serve`, SQLite', found.single[straight])}\n"
        f"{single_row('ours in the practice: through the Hub proxy, PostgreSQL', found.single[proxied])}\n"
    )
    crowds = (
        f"| {CROWD} pages at once | all usable (median) | each run | blank pages reloaded |\n"
        "|---|---:|---:|---:|\n"
        f"{crowd_row(f'bare Voila: {CROWD} × one button', found.crowds[bare])}\n"
        f"{crowd_row(f'the practice: {CROWD // 2} per coach, through the proxy', found.crowds[proxied])}\n"
    )
    body = f"""
Through a practice (JupyterHub, its proxy, PostgreSQL, one client server per coach), a client's page
is usable after **{over_bare:.2f}×** the time of a bare Voila page and **{over_straight:.2f}×** that of
the same worksheet from `coachkit serve` reached straight (medians of {RUNS} runs). {CROWD} pages opened
at once through the proxy are all usable after **{crowd_ratio:.2f}×** the time of {CROWD} bare pages
(medians of {CROWD_RUNS} runs). Each open page costs about **{cost.per_page:.0f} MiB** (its kernel
{cost.kernel_uss:.0f} MiB unique, {cost.kernel_rss:.0f} MiB resident, plus {cost.servers_per_page:.1f}
MiB in the servers); the practice with no page open takes **{cost.fixed:.0f} MiB**. This machine's
{ram / 1024:.0f} GiB, less a {MARGIN:.0%} margin, hold about **{pages:,.0f} open pages**.

{singles}
{crowds}
*Ours straight* is `coachkit serve` with the practice's kernel settings (`{" ".join(STRAIGHT)}`) on a
SQLite store; *in the practice* it is the same server run by `coachkit practice start` as the coach's
account (a service of JupyterHub's), on the coach's PostgreSQL database, reached at
`COACH--service.localhost` through configurable-http-proxy. The difference between those two rows is
the proxy, PostgreSQL and the practice's accounts; the difference to bare Voila is the worksheet's own
(see "Time to the first usable input").

**Kernels and memory.** With {CROWD} pages open ({CROWD // 2} per coach), each coach had
{median(counts):.0f} kernels (median): one per open page plus `ready_kernels` started ahead. A page's
kernel has {cost.kernel_uss:.0f} MiB of its own (USS, median of {len(found.crowds[proxied]) * CROWD}
kernels) and {cost.kernel_rss:.0f} MiB resident (RSS: it counts the libraries shared with every other
kernel again). Each coach's kernels are forked from their client server's fork server
(`coachkit.forkserver`, a row of its own below), which has imported what they all use, psycopg included.
The servers grew by {cost.servers_per_page:.1f} MiB per open page (USS of everything but
kernels, pages open against none). With no page open (medians of the runs; PSS shares what processes
share between them, so the PSS add up):

{cost.table}
Open pages that fit: ({ram / 1024:.1f} GiB × {1 - MARGIN:.0%} − {cost.fixed:.0f} MiB fixed) ÷
{cost.per_page:.0f} MiB per page ≈ {pages:,.0f}, the {MARGIN:.0%} left for the system, the page cache,
PostgreSQL's work and kernels that grow as clients work. By default a practice caps kernels well below
that: `coachkit serve` allows {default_max_kernels()} on this machine (half the RAM at 100 MiB each),
split between the coaches; coaches' own JupyterLab servers (not started here: nobody logged in) come on
top.

{gateway}

How it was measured: headless Chromium {found.browser} (Debian, the browser tests' flags); one page:
a fresh client and a fresh 1280×800 context per run, the clock from just before `page.goto` until the
first option is visible and enabled (polled every 20 ms); {RUNS} runs per server after one unmeasured
warm-up each, the order rotating, each page's kernel shut down and the ready kernels back before the
next. At once: {CROWD} fresh 390×844 contexts opened together (`asyncio.gather`) until the last page is
usable; {CROWD_RUNS} runs each, alternating. Memory with psutil (`memory_full_info`, `/proc/PID/smaps`)
{SETTLE_SECONDS} s after the last page was usable, of every process under the practice's runner (it is
their subreaper, so PostgreSQL's too), sorted by account and command line; kernels are the
`ipykernel_launcher` processes, matched to pages by kernel id. The practice is `tests/hub/running.py`'s
(two coaches, `ready_kernels = 1`, `max_kernels = 6`); all three servers run at the same time.

Measured {machine()}.

Run again with `make bench` or `python -m benchmarks practice`.
"""
    print(f"{HEADING}\n\n{singles}\n{crowds}\n{cost.table}")
    print(f"proxy/bare {over_bare:.2f}×, proxy/straight {over_straight:.2f}×, crowd {crowd_ratio:.2f}×")
    print(f"per page {cost.per_page:.0f} MiB, fixed {cost.fixed:.0f} MiB, pages that fit {pages:,.0f}")
    write_section(HEADING, body)
