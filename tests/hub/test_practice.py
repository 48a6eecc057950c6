"""A practice on a real JupyterHub, proxy and PostgreSQL, with two coaches, driven as people would:
a client does a worksheet through the proxy, each coach opens their dashboard, and every way one
coach could reach the other's clients is tried and refused.

The tests share the session's practice and run in order; the last one adds a coach while another
coach's JupyterLab is open, and shows it still open and usable (the Hub is not restarted).
"""

from __future__ import annotations

import re
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from coachkit.practice import accounts
from coachkit.practice.description import Coach
from tests.browser.conftest import follow_link, screenshot
from tests.browser.test_fight_worksheet import walk_calmly_to_the_last_step
from tests.hub.lab import Terminal, log_in, screenshot_path, server_pid, singleuser_pid
from tests.hub.running import CODE_FORM, PRACTICE_BIN, WORKSHEET_PAGE, RunningPractice

pytestmark = pytest.mark.hub

LOAD_TIMEOUT_MS = 120_000
MARKER = "Told my sister about the shed, Quillfeather-7"
"""What the client types: it must end up in their coach's database and nowhere else."""


@dataclass
class Clients:
    ana_name: str
    ana_code: str
    ben_name: str
    ben_code: str


@pytest.fixture(scope="module")
def clients(practice: RunningPractice) -> Clients:
    """One client each, added by each coach as they would (``coachkit client add`` as the coach)."""
    return Clients(
        "Aria Quill",
        practice.add_client(practice.ana, "Aria Quill"),
        "Bruno Vale",
        practice.add_client(practice.ben, "Bruno Vale"),
    )


@pytest.fixture(scope="module")
def dashboards(browser: Browser, practice: RunningPractice, clients: Clients) -> Iterator[dict[str, Page]]:
    """Both coaches logged in, each on their own dashboard, in browsers of their own."""
    opened = {}
    contexts = []
    try:
        for coach in (practice.ana, practice.ben):
            context, page = log_in(browser, practice, coach)
            contexts.append(context)
            opened[coach.name] = page
        yield opened
    finally:
        for context in contexts:
            context.close()


def kernels_of(coach: Coach) -> int:
    """Kernel processes running as ``coach``'s account (their client server's and their own)."""
    import psutil

    count = 0
    for process in psutil.process_iter(["username", "cmdline"]):
        if process.info["username"] == coach.name and "ipykernel_launcher" in " ".join(
            process.info["cmdline"] or ()
        ):
            count += 1
    return count


def files_containing(folder: Path, text: str) -> list[Path]:
    needle = text.encode()
    return [path for path in folder.rglob("*") if path.is_file() and needle in path.read_bytes()]


# -- a client, through the proxy ------------------------------------------------------------


def test_a_client_completes_a_worksheet_through_the_proxy_and_only_their_coach_keeps_it(
    browser: Browser, practice: RunningPractice, clients: Clients
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    try:
        phone = context.new_page()
        link = practice.link(practice.ana, clients.ana_code)
        follow_link(phone, link, LOAD_TIMEOUT_MS)
        phone.locator(".ck-app").first.wait_for(timeout=LOAD_TIMEOUT_MS)
        expect(phone.get_by_text("Hello Aria.")).to_be_visible()
        screenshot(phone, "hub-client-step-1-phone")
        walk_calmly_to_the_last_step(phone)
        phone.get_by_label("About once a week").check()
        phone.get_by_label("If you like: what happened in a recent fight?").fill(MARKER)
        phone.get_by_role("button", name="Finish").click()
        expect(phone.get_by_text("Here is what you shared")).to_be_visible(timeout=30_000)
        expect(phone.get_by_text(MARKER)).to_be_visible()
        screenshot(phone, "hub-client-summary-phone")
    finally:
        context.close()

    ana, ben = practice.ana, practice.ben
    completed = "SELECT r.status FROM responses r JOIN clients c ON c.id = r.client_id WHERE c.name = '{}'"
    assert practice.query(ana, completed.format(clients.ana_name)).split() == ["completed"]
    typed = f"SELECT count(*) FROM answers WHERE value_json LIKE '%{MARKER}%'"
    assert practice.query(ana, typed).strip() == "1"
    # Nowhere else: not in the other coach's database, nor in any file of the practice outside
    # PostgreSQL's own (the Hub's log, the coaches' homes and their servers' logs included).
    assert practice.query(ben, typed).strip() == "0"
    assert practice.query(ben, completed.format(clients.ana_name)).strip() == ""
    for folder in (practice.practice.state_dir, practice.practice.homes):
        assert files_containing(folder, MARKER) == []
        assert files_containing(folder, clients.ana_code) == []  # nor the client's code, in any log
        assert files_containing(folder, link.rsplit("/", 1)[1]) == []  # nor their link's key


# -- each coach, on their own dashboard -----------------------------------------------------


def test_each_coach_sees_only_their_own_clients_on_their_dashboard(
    dashboards: dict[str, Page], practice: RunningPractice, clients: Clients
) -> None:
    for coach, mine, theirs in (
        (practice.ana, clients.ana_name, clients.ben_name),
        (practice.ben, clients.ben_name, clients.ana_name),
    ):
        page = dashboards[coach.name]
        page.get_by_role("button", name="Refresh").click()
        table = page.locator(".ck-dash")
        expect(table).to_contain_text(mine, timeout=30_000)
        expect(table).not_to_contain_text(theirs)
        assert page.url.startswith(practice.practice.server_url(coach))
        page.screenshot(path=str(screenshot_path(f"hub-dashboard-{coach.name[:3]}")))


# -- one coach trying to reach the other's clients ------------------------------------------


def test_a_client_code_works_only_on_its_own_coachs_service(
    practice: RunningPractice, clients: Clients
) -> None:
    before = kernels_of(practice.ben)
    # Ana's client's link, taken to Ben's service: Ben's store does not know it.
    link = practice.link(practice.ana, clients.ana_code)
    ana_service = practice.practice.service_url(practice.ana).rstrip("/")
    moved = practice.practice.service_url(practice.ben).rstrip("/") + link.removeprefix(ana_service)
    assert moved != link
    status, headers, body = practice.press_open(moved)
    assert status == 200
    assert CODE_FORM in body  # "please type the code your coach gave you"
    assert WORKSHEET_PAGE not in body and b"Aria" not in body
    assert "ck_session=" not in headers["set-cookie"]
    time.sleep(1)
    assert kernels_of(practice.ben) == before  # no kernel started for it
    # The link on the Hub's own address (not the coach's) is no worksheet either, and the Hub's log,
    # which records the request, does not keep the code.
    hub_link = practice.practice.url + practice.ana.service_prefix + "voila/render/history.ipynb"
    status, _, body = practice.get(f"{hub_link}?client={clients.ana_code}")
    assert WORKSHEET_PAGE not in body and b"Aria" not in body
    time.sleep(1)
    assert "/voila/render/history.ipynb" in practice.hub_log.read_text()
    assert clients.ana_code not in practice.hub_log.read_text()


def test_a_coach_cannot_open_another_coachs_server_or_dashboard(
    dashboards: dict[str, Page], practice: RunningPractice
) -> None:
    page = dashboards[practice.ana.name]
    ben = practice.ben
    for url in (practice.practice.dashboard_url(ben), practice.practice.server_url(ben) + "lab"):
        response = page.goto(url)
        assert response is not None and response.status in (403, 404), (url, response and response.status)
        expect(page.locator(".ck-dash")).to_have_count(0)
        expect(page.locator("#jp-main-dock-panel")).to_have_count(0)
    page.screenshot(path=str(screenshot_path("hub-coach-refused")))
    # Ben's own server is running all along (the refusal is not for a stopped server).
    ben_page = dashboards[ben.name]
    ben_page.get_by_role("button", name="Refresh").click()
    expect(ben_page.locator(".ck-dash")).to_be_visible()


def ana_token(page: Page, practice: RunningPractice) -> str:
    """An API token for Ana, made as she would on the Hub's token page (her login cookie)."""
    hub_api = practice.practice.url + "/hub/api"
    page.goto(practice.practice.url + "/hub/token")
    hub_cookies = page.context.cookies(practice.practice.url + "/hub/")
    xsrf = next(cookie["value"] for cookie in hub_cookies if cookie["name"] == "_xsrf")
    made = page.context.request.post(
        f"{hub_api}/users/{practice.ana.name}/tokens",
        headers={"X-XSRFToken": xsrf, "Referer": practice.practice.url + "/hub/token"},
        data={"note": "hub test"},
    )
    assert made.status == 201, made.text()
    return made.json()["token"]


def test_a_coachs_hub_token_reaches_nothing_of_another_coach(
    dashboards: dict[str, Page], practice: RunningPractice
) -> None:
    token = ana_token(dashboards[practice.ana.name], practice)
    auth = {"Authorization": f"token {token}"}
    hub_api = practice.practice.url + "/hub/api"
    ana, ben = practice.ana.name, practice.ben.name

    status, _, body = practice.get(f"{hub_api}/user", auth)
    assert status == 200 and f'"name":"{ana}"'.encode() in body.replace(b" ", b"")
    refused = [
        ("GET", f"{hub_api}/users/{ben}"),
        ("GET", f"{hub_api}/users"),
        ("POST", f"{hub_api}/users/{ben}/server"),
        ("DELETE", f"{hub_api}/users/{ben}/server"),
        ("POST", f"{hub_api}/users/{ben}/tokens"),
        ("GET", f"{hub_api}/services"),
        ("GET", f"{hub_api}/services/{ben}"),
        ("DELETE", f"{hub_api}/services/{ben}"),
        ("GET", f"{hub_api}/proxy"),
        ("POST", f"{hub_api}/shares/{ana}/"),  # sharing her own server: not allowed to coaches either
        ("GET", practice.practice.server_url(practice.ben) + "api/contents"),
        ("GET", practice.practice.server_url(practice.ben) + "api/kernels"),
    ]
    for method, url in refused:
        body = b'{"user": "%s"}' % ben.encode() if method == "POST" else None
        status, _, _ = practice.get(url, auth, method=method, body=body)
        assert status in (403, 404), (method, url, status)
    # Ben's client server has no routes beyond the worksheets: no kernels, sessions or contents.
    service = practice.practice.service_url(practice.ben)
    for path in ("api/kernels", "api/sessions", "api/contents", "voila/api/contents", "voila/tree"):
        status, _, _ = practice.get(service + path, auth)
        assert status == 404, (path, status)


def test_a_coachs_account_cannot_read_another_coachs_database_or_files(practice: RunningPractice) -> None:
    ana, ben = practice.ana, practice.ben
    socket = str(practice.practice.postgres_socket)
    psql = [str(practice.admin().bin_dir / "psql"), "-X", "-qAt", "-h", socket]
    own = accounts.run_as(ana.name, [*psql, "-d", ana.database, "-c", "SELECT count(*) FROM clients"])
    assert own.stdout.strip().isdigit()  # her own database: yes
    attempts = {
        "another coach's database": [*psql, "-d", ben.database, "-c", "SELECT count(*) FROM clients"],
        "another coach's role": [*psql, "-U", ben.name, "-d", ben.database, "-c", "SELECT 1"],
        "the superuser": [*psql, "-U", "postgres", "-d", "postgres", "-c", "SELECT 1"],
        "the maintenance database": [*psql, "-d", "postgres", "-c", "SELECT 1"],
        "another coach's home": ["ls", str(practice.practice.home(ben))],
        "the Hub's state": ["ls", str(practice.practice.state_dir)],
    }
    for what, command in attempts.items():
        with pytest.raises(accounts.AccountError) as refused:
            accounts.run_as(ana.name, command)
        said = str(refused.value)
        assert re.search(r"permission denied|authentication failed|not permitted", said, re.I), (what, said)


# -- backups -------------------------------------------------------------------------------


def practice_command(practice: RunningPractice, *arguments: str) -> str:
    """``coachkit practice ARGUMENTS`` on the running practice's file, as root; its output."""
    command = [
        str(PRACTICE_BIN / "coachkit"),
        "practice",
        *arguments,
        "--practice",
        str(practice.practice.path),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_every_coachs_database_is_backed_up_and_one_is_restored(
    practice: RunningPractice, clients: Clients, tmp_path: Path
) -> None:
    ana, ben = practice.ana, practice.ben
    said = practice_command(practice, "backup", "--to", str(tmp_path / "backups"))
    dumps = {dump.name.split("-")[0]: dump for dump in (tmp_path / "backups").iterdir()}
    assert set(dumps) == {ana.name, ben.name} and said.count("Backed up to") == 2
    assert all(dump.stat().st_mode & 0o777 == 0o600 for dump in dumps.values())
    practice.add_client(ana, "Later Client")  # after the backup: gone once it is restored

    said = practice_command(practice, "restore", ana.name, str(dumps[ana.name]), "--yes")
    kept = re.search(r"kept as (\S+)\.$", said.strip()).group(1)  # type: ignore[union-attr]
    names = practice.query(ana, "SELECT name FROM clients").splitlines()
    assert clients.ana_name in names and "Later Client" not in names
    assert (
        practice.query(ana, "SELECT tableowner FROM pg_tables WHERE tablename = 'clients'").strip()
        == ana.name
    )
    assert "Later Client" in practice.query(ana, "SELECT name FROM clients", database=kept)
    assert clients.ben_name in practice.query(ben, "SELECT name FROM clients")  # Ben's is untouched
    status, _, body = practice.client_page(practice.link(ana, clients.ana_code))  # the restored one
    assert status == 200 and CODE_FORM not in body and WORKSHEET_PAGE in body


# -- adding a coach while the others work (last) ----------------------------------------------


def test_adding_a_coach_is_one_command_and_leaves_every_other_coach_working(
    practice: RunningPractice, dashboards: dict[str, Page], clients: Clients
) -> None:
    ana, ben = practice.ana, practice.ben
    terminal = Terminal(dashboards[ana.name], practice, ana)  # Ana's JupyterLab, a terminal open
    assert terminal.run("echo before $((6 * 7))").strip() == "before 42"
    before = {coach.name: (singleuser_pid(coach), server_pid(coach)) for coach in (ana, ben)}

    name = f"cleo{ana.name[3:]}"
    practice.added.append(name)
    command = [str(PRACTICE_BIN / "coachkit"), "practice", "add-coach", name]
    done = subprocess.run(
        [*command, "--practice", str(practice.practice.path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    password = re.search(rf"user {name}, password (\S+)", done.stdout).group(1)  # type: ignore[union-attr]
    deadline = time.monotonic() + 240
    while f"{name}'s client server is starting" not in practice.runner_log.read_text():
        assert practice.process.poll() is None, practice.runner_log.read_text()[-2000:]
        assert time.monotonic() < deadline, practice.runner_log.read_text()[-2000:]
        time.sleep(1)
    new = Coach(name)
    for _ in range(120):  # their client server takes a few seconds to start
        status, _, body = practice.get(practice.practice.service_url(new))
        if status == 200:
            break
        time.sleep(1)
    assert status == 200 and b"Quick exit" in body  # their client server is up
    status, body = log_in_over_http(practice, name, password)
    assert status == 302, body[-600:]  # logged in, on to their server
    status, body = log_in_over_http(practice, name, password + "x")
    assert status == 403 and b"Invalid username or password" in body

    # Nobody else noticed: the same JupyterLabs and client servers, Ana's terminal still answers,
    # Ben's dashboard still refreshes, and the Hub was never restarted.
    assert {coach.name: (singleuser_pid(coach), server_pid(coach)) for coach in (ana, ben)} == before
    assert terminal.run("echo after $((6 * 7))").strip() == "after 42"
    expect(terminal.page.locator(".jp-Terminal").first).to_be_visible()
    terminal.page.screenshot(path=str(screenshot_path("hub-lab-open-after-adding-a-coach")))
    ben_page = dashboards[ben.name]
    ben_page.get_by_role("button", name="Refresh").click()
    expect(ben_page.locator(".ck-dash")).to_contain_text(clients.ben_name)
    assert "Restarting the Hub" not in practice.runner_log.read_text()
    assert practice.hub_log.read_text().count("JupyterHub is now running") == 1


def log_in_over_http(practice: RunningPractice, name: str, password: str) -> tuple[int, bytes]:
    """POST the Hub's login form (with its XSRF token) over plain HTTP: 302 means logged in."""
    from urllib.parse import urlencode

    login = practice.practice.login_url()
    _, headers, body = practice.get(login)
    xsrf = re.search(rb'name="_xsrf" value="([^"]+)"', body).group(1).decode()  # type: ignore[union-attr]
    cookie = "; ".join(line.split(";")[0] for line in headers["set-cookie"].splitlines())
    form = urlencode({"_xsrf": xsrf, "username": name, "password": password})
    status, _, answer = practice.get(
        login,
        {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
        body=form.encode(),
    )
    return status, answer
