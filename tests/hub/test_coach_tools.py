"""A coach's own tools in a practice, used as a coach uses them: logged in through the Hub in Chromium,
typing in a terminal of their JupyterLab. ``coachkit`` is on the terminal's PATH (never typed with its
full path); a worksheet the coach writes lands in their own folder; they restart their own client server
and a client completes that worksheet through the proxy; their dashboard reads it; a broken file stops
a restart with its problems named, or is left out; no coach can restart another's server.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from coachkit.practice import accounts
from tests.browser.conftest import answer_the_safety_step, follow_link, screenshot
from tests.browser.test_dashboard import pick
from tests.hub.lab import Terminal, log_in, screenshot_path, server_pid
from tests.hub.running import PRACTICE_BIN, WORKSHEET_PAGE, RunningPractice

pytestmark = pytest.mark.hub

LOAD_TIMEOUT_MS = 120_000
CLIENT = "Tess Terminal"
SHEET, TITLE = "my-week", "My week"
NOTE = "We walked to the river & talked <i>calmly</i>."
LINK = r"(https?://\S+/link/[\w-]{22})"


@pytest.fixture(scope="module")
def terminal(browser: Browser, practice: RunningPractice) -> Iterator[Terminal]:
    """Ana logged in at the Hub, with a terminal open in her JupyterLab."""
    context, page = log_in(browser, practice, practice.ana)
    try:
        yield Terminal(page, practice, practice.ana)
    finally:
        context.close()


def test_coachkit_is_on_the_path_of_a_coachs_terminal_and_prints_links_to_their_service(
    terminal: Terminal, practice: RunningPractice
) -> None:
    ana = practice.ana
    shown = terminal.run(f'coachkit client add "{CLIENT}"')
    assert "command not found" not in shown and "Traceback" not in shown
    assert re.search(rf"^{CLIENT}  code: [A-Z0-9]{{4}}-[A-Z0-9]{{4}}-[A-Z0-9]{{4}}$", shown, re.M), shown
    link = re.search(r"Their page \(.*?\): " + LINK, shown).group(1)  # type: ignore[union-attr]
    assert link.startswith(practice.practice.service_url(ana) + "link/")
    screenshot(terminal.page, "hub-terminal-client-add")
    # The practice's own coachkit, whatever the login files did to PATH; and the link opens (once).
    assert terminal.run("command -v coachkit").strip() == str(PRACTICE_BIN / "coachkit")
    status, headers, _ = practice.press_open(link)
    assert status == 303 and "ck_session=" in headers["set-cookie"]
    names = practice.query(ana, "SELECT name FROM clients").splitlines()
    assert names.count(CLIENT) == 1


def test_a_coach_writes_a_worksheet_restarts_their_server_and_a_client_completes_it(
    terminal: Terminal, practice: RunningPractice, browser: Browser
) -> None:
    ana, ben = practice.ana, practice.ben
    own = practice.practice.worksheets_dir(ana)
    shown = terminal.run(f'coachkit worksheet new {SHEET} --title "{TITLE}"')
    assert f"Wrote {own / SHEET}.yaml" in shown, shown
    assert (own / f"{SHEET}.yaml").stat().st_uid == accounts.find_account(ana.name).pw_uid
    before, bens = server_pid(ana), server_pid(ben)

    shown = terminal.run("coachkit practice restart-my-server")
    assert f"Your client server is back. Your own worksheets it serves: {SHEET} ({TITLE})." in shown, shown
    assert server_pid(ana) != before and server_pid(ben) == bens  # hers anew; his untouched
    shown = terminal.run(f'coachkit client links "{CLIENT}" --worksheet {SHEET}')
    link = re.search(rf"^  {TITLE} \(.*?\): " + LINK, shown, re.M).group(1)  # type: ignore[union-attr]

    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    try:
        phone = context.new_page()
        follow_link(phone, link, LOAD_TIMEOUT_MS)
        phone.locator(".ck-app").first.wait_for(timeout=LOAD_TIMEOUT_MS)
        expect(phone.get_by_role("heading", name=TITLE, level=1)).to_be_visible(timeout=LOAD_TIMEOUT_MS)
        answer_the_safety_step(phone)
        phone.get_by_role("button", name="Next").click()
        expect(phone.get_by_text("Step 2 of 2", exact=True)).to_be_visible()
        phone.locator(".ck-yesno").nth(0).get_by_label("Yes", exact=True).check()
        phone.locator(".ck-yesno").nth(1).get_by_label("Yes", exact=True).check()
        phone.get_by_label("4", exact=True).check()
        phone.get_by_label("Anything you'd like your coach to know? (optional)").fill(NOTE)
        phone.get_by_role("button", name="Finish").click()
        expect(phone.get_by_text("You noticed two good moments this week.")).to_be_visible(timeout=30_000)
        screenshot(phone, "hub-own-worksheet-summary-phone")
    finally:
        context.close()

    done = "SELECT r.status, r.worksheet_version FROM responses r JOIN clients c ON c.id = r.client_id"
    done += f" WHERE c.name = '{CLIENT}' AND r.worksheet_id = '{SHEET}'"
    assert practice.query(ana, done).split() == ["completed|1"]
    assert (
        practice.query(ben, f"SELECT count(*) FROM responses WHERE worksheet_id = '{SHEET}'").strip() == "0"
    )


def test_the_coachs_dashboard_reads_their_own_worksheet(
    terminal: Terminal, practice: RunningPractice
) -> None:
    page: Page = terminal.page.context.new_page()  # a tab of its own: the terminal stays open
    try:
        page.goto(practice.practice.dashboard_url(practice.ana), timeout=LOAD_TIMEOUT_MS)
        page.locator(".ck-dash").first.wait_for(timeout=LOAD_TIMEOUT_MS)
        pick(page, CLIENT)
        expect(page.get_by_role("heading", name=CLIENT)).to_be_visible(timeout=30_000)
        expect(page.locator("figure.ck-chart img").first).to_have_attribute(
            "alt", re.compile(rf"^{TITLE}: good moments, of 2\. 1 time\. Latest: 2 of 2")
        )
        page.screenshot(path=str(screenshot_path("hub-dashboard-own-worksheet")))
    finally:
        page.close()


def test_a_broken_file_stops_a_restart_with_its_problem_or_is_left_out_and_the_rest_served(
    terminal: Terminal, practice: RunningPractice
) -> None:
    ana = practice.ana
    own = practice.practice.worksheets_dir(ana)
    code = practice.query(ana, f"SELECT code FROM clients WHERE name = '{CLIENT}'").strip()
    link = practice.link(ana, code, SHEET)  # made before: with a broken file, `client links` says so
    terminal.run("echo 'id: [' > ~/worksheets/broken.yaml")
    before = server_pid(ana)

    shown = terminal.run("coachkit practice restart-my-server")
    broken = re.compile(rf"^{re.escape(str(own / 'broken.yaml'))}:\d+: it is not valid YAML", re.M)
    assert broken.search(shown), shown
    assert "your client server keeps running as it is" in shown and "Traceback" not in shown
    assert server_pid(ana) == before

    shown = terminal.run("coachkit practice restart-my-server --anyway")
    assert f"Your own worksheets it serves: {SHEET} ({TITLE})." in shown, shown
    assert "Left out of the worksheets your clients see" in shown
    assert broken.search(shown.replace("\n  ", "\n")) and "Traceback" not in shown
    assert server_pid(ana) != before
    status, _, body = practice.client_page(link)
    assert status == 200 and WORKSHEET_PAGE in body  # her good worksheet is still served
    terminal.run("rm ~/worksheets/broken.yaml")


def test_no_coach_can_restart_or_stop_another_coachs_server(practice: RunningPractice) -> None:
    ana, ben = practice.ana, practice.ben
    hers = server_pid(ana)
    with pytest.raises(accounts.AccountError, match="Operation not permitted"):
        accounts.run_as(ben.name, ["kill", "-TERM", str(hers)])
    assert server_pid(ana) == hers
