"""A page a phone opens at once: the first screen painted by the server, and the widgets taking over.

The widgets' scripts are held back (Playwright holds their requests) so the painted screen can be read,
checked and tapped as a client on a slow link would before the widgets are live; then they are let
through and must take its place without a jump, with every tap kept. An upgrade is played with two
builds of the widgets' files served in turn at the same address, to one browser that keeps its cache.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from coachkit.exercises import worksheets_in
from coachkit.i18n import words_for
from coachkit.store import Store
from coachkit.web import client_files
from tests.browser.conftest import follow_link, free_port
from tests.browser.running import PAGE, WORKSHEET, Running, coachkit_server
from tests.browser.test_quick_exit import AXE

pytestmark = pytest.mark.browser

LOAD_TIMEOUT_MS = 90_000
WIDGET_SCRIPTS = re.compile(r".*/coachkit/static/client/[\w-]+\.js$")
LIVE = "html[data-ck='live']"
PAINTED = "#ck-prepaint .ck-painted"
BOXES = """
(root) => Array.from(document.querySelector(root).querySelectorAll(
    'h1, h2, p, .widget-label, .widget-label-basic, input, textarea, button, .ck-progress-bar'))
  .filter((e) => e.getClientRects().length)
  .map((e) => { const r = e.getBoundingClientRect();
    return [e.tagName, (e.textContent || '').trim().slice(0, 30), r.x, r.y, r.width, r.height]; })
"""
SHIFTS = """
window.__shifts = [];
new PerformanceObserver((list) => list.getEntries().forEach((entry) => {
  if (!entry.hadRecentInput) window.__shifts.push(entry.value);
})).observe({ type: "layout-shift", buffered: true });
"""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    with coachkit_server(tmp_path_factory.mktemp("fast")) as running:
        yield running


class Held:
    """The widgets' scripts, held back until ``release``."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.routes: list[Route] = []
        page.route(WIDGET_SCRIPTS, self.hold)

    def hold(self, route: Route) -> None:
        self.routes.append(route)

    def release(self) -> None:
        self.page.unroute(WIDGET_SCRIPTS, self.hold)
        for route in self.routes:
            route.fallback()


def painted(page: Page, served: Running, sheet: str | None, name: str) -> tuple[Held, str]:
    """A new client's page opened from a link (to ``sheet``, or their own page), its widgets held back
    until its painted screen and the rest of the page (the kernel's part) have arrived."""
    code = served.store().add_client(name).code
    held = Held(page)
    follow_link(page, served.link(code, sheet), LOAD_TIMEOUT_MS, wait_until="commit")
    page.locator(PAINTED).wait_for(timeout=LOAD_TIMEOUT_MS)
    page.locator("#ck-view").wait_for(state="attached", timeout=LOAD_TIMEOUT_MS)
    assert page.locator(".ck-app").count() == 0  # nothing live yet
    return held, code


def live(page: Page) -> None:
    page.locator(LIVE).wait_for(state="attached", timeout=LOAD_TIMEOUT_MS)


def saved_answers(served: Running, code: str, sheet: str, timeout: float = 15) -> dict:
    """The client's draft answers once any are saved (polled in the store, as the coach would see them)."""
    store = served.store()
    client = store.find_client_by_code(code)
    assert client is not None
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            draft = store.find_draft(client.id, sheet)
            answers = store.get_answers(draft.id) if draft else {}
            if answers:
                return answers
            time.sleep(0.2)
    finally:
        store.close()
    return {}


def axe_violations(page: Page) -> list:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run(document)).violations")
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in found]


@pytest.mark.skipif(not AXE.exists(), reason="axe-core missing: make test-deps")
@pytest.mark.parametrize("sheet", [WORKSHEET, "my-anger-plan", None])
def test_axe_core_finds_no_violations_on_the_painted_screen(served: Running, phone: Page, sheet):
    held, _ = painted(phone, served, sheet, "Axel Paint")
    assert axe_violations(phone) == []
    held.release()
    live(phone)


def test_the_painted_step_is_the_worksheets_first_step(served: Running, phone: Page):
    held, _ = painted(phone, served, WORKSHEET, "Pat Paint")
    screen = phone.locator(PAINTED)
    expect(screen.get_by_role("heading", name="Fight or make it right?")).to_be_visible()
    expect(screen.get_by_text("Hello Pat.")).to_be_visible()
    expect(screen.get_by_text("Step 1 of 6", exact=True)).to_be_visible()
    expect(screen.get_by_role("radiogroup")).to_have_count(3)  # the hidden "how" box waits its turn
    expect(screen.get_by_role("button", name="Next")).to_be_visible()
    held.release()
    live(phone)


def test_the_widgets_take_over_without_a_jump(served: Running, phone: Page):
    phone.add_init_script(SHIFTS)
    held, _ = painted(phone, served, WORKSHEET, "Jo Jump")
    before = phone.evaluate(BOXES, "#ck-prepaint")
    held.release()
    live(phone)
    after = phone.evaluate(BOXES, "#ck-live")
    assert len(before) == len(after) > 15
    for old, new in zip(before, after, strict=True):
        assert old[:2] == new[:2]
        assert all(abs(a - b) <= 0.5 for a, b in zip(old[2:], new[2:], strict=True)), (old, new)
    assert sum(phone.evaluate("window.__shifts")) <= 0.05  # cumulative layout shift


def test_a_tap_before_the_widgets_are_live_is_saved(served: Running, phone: Page):
    held, code = painted(phone, served, WORKSHEET, "Tam Tap")
    screen = phone.locator(PAINTED)
    groups = screen.get_by_role("radiogroup")
    groups.nth(0).get_by_label("No", exact=True).check()
    groups.nth(2).get_by_label("Yes, any way is fine").check()
    groups.nth(2).get_by_label("Yes, any way is fine").focus()
    held.release()
    live(phone)
    radios = phone.locator(".ck-app .widget-radio-box")
    expect(radios.nth(0).get_by_label("No", exact=True)).to_be_checked()
    expect(radios.nth(2).get_by_label("Yes, any way is fine")).to_be_checked()
    assert phone.evaluate("document.activeElement.closest('.ck-app') !== null")  # the focus came along
    assert phone.evaluate("document.activeElement.parentElement.textContent") == "Yes, any way is fine"
    answers = saved_answers(served, code, WORKSHEET)
    assert (answers.get("been_hurt"), answers.get("safe_contact")) == ("no", "any"), answers


def test_next_pressed_before_the_widgets_are_live_is_pressed_again(served: Running, phone: Page):
    held, code = painted(phone, served, WORKSHEET, "Nel Next")
    groups = phone.locator(PAINTED).get_by_role("radiogroup")
    groups.nth(0).get_by_label("No", exact=True).check()
    groups.nth(1).get_by_label("No", exact=True).check()
    groups.nth(2).get_by_label("Yes, any way is fine").check()
    phone.locator(PAINTED).get_by_role("button", name="Next").click()
    held.release()
    live(phone)
    expect(phone.get_by_text("Step 2 of 6", exact=True)).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    assert saved_answers(served, code, WORKSHEET)["hurt_partner"] == "no"


def test_a_draft_with_answers_paints_the_offer_to_continue_and_no_answer(served: Running, phone: Page):
    code = served.store().add_client("Dee Draft").code
    follow_link(phone, served.link(code, WORKSHEET), LOAD_TIMEOUT_MS)
    phone.locator(".ck-app").first.wait_for(timeout=LOAD_TIMEOUT_MS)
    phone.get_by_label("I'd rather not say").first.check()
    saved_answers(served, code, WORKSHEET)
    held = Held(phone)
    follow_link(phone, served.link(code, WORKSHEET), LOAD_TIMEOUT_MS, wait_until="commit")
    screen = phone.locator(PAINTED)
    expect(screen.get_by_text("Welcome back, Dee.")).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    expect(screen.get_by_role("button", name="Continue where I left off")).to_be_visible()
    assert screen.locator("input").count() == 0  # no answer painted
    held.release()
    live(phone)
    expect(phone.locator(".ck-app").get_by_role("button", name="Continue where I left off")).to_be_visible()


def test_the_clients_own_page_paints_its_title(served: Running, phone: Page):
    held, _ = painted(phone, served, None, "Oz Own")
    expect(phone.locator(PAINTED).get_by_role("heading", name="Your worksheets")).to_be_visible()
    title = phone.evaluate(BOXES, "#ck-prepaint")[:2]
    held.release()
    live(phone)
    assert phone.evaluate(BOXES, "#ck-live")[:2] == title  # the same heading and greeting, in place


def next_build(source: Path, target: Path) -> dict:
    """The built files as a next version would ship them: every file's content changed (a comment) and so
    its name, and the names it imports changed with them. Returns the new manifest."""
    manifest = json.loads((source / "manifest.json").read_text())
    names = {path.name for path in source.iterdir() if path.suffix in {".js", ".css"}}
    renamed = {}
    for name in names:
        stem, suffix = name.rsplit(".", 1)
        base = stem.rsplit("-", 1)[0]
        renamed[name] = f"{base}-{hashlib.sha256((name + 'next').encode()).hexdigest()[:8].upper()}.{suffix}"
    target.mkdir()
    for name in names:
        text = (source / name).read_text()
        for old, new in renamed.items():
            text = text.replace(old, new)
        (target / renamed[name]).write_text(text + "\n/* next version */\n")
    manifest = {
        "js": renamed[manifest["js"]],
        "css": renamed[manifest["css"]],
        "preload": [renamed[name] for name in manifest["preload"]],
    }
    (target / "manifest.json").write_text(json.dumps(manifest))
    return manifest


def test_the_page_works_with_cached_files_after_an_upgrade(tmp_path: Path, browser: Browser):
    first, second = tmp_path / "first", tmp_path / "second"
    shutil.copytree(client_files.CLIENT_DIR, first)
    upgraded = next_build(first, second)
    port, database_url = free_port(), f"sqlite:///{tmp_path / 'store.sqlite'}"
    code = Store(database_url).add_client("Uma Upgrade").code
    context = browser.new_context()  # one browser, its cache kept throughout
    fetched: list[tuple[str, int]] = []
    context.on("response", lambda response: fetched.append((response.url, response.status)))
    try:
        page = context.new_page()
        env = {"COACHKIT_CLIENT_FILES": str(first)}
        with coachkit_server(tmp_path / "a", database_url=database_url, port=port, env=env) as before:
            link = before.link(code, WORKSHEET)
            follow_link(page, link, LOAD_TIMEOUT_MS)
            live(page)
            cached = [url for url, _ in fetched if "/static/client/" in url]
            assert cached, "the first version's files were fetched"
            page.goto("about:blank")
        fetched.clear()
        env = {"COACHKIT_CLIENT_FILES": str(second)}
        with coachkit_server(tmp_path / "b", database_url=database_url, port=port, env=env) as after:
            page.goto(after.base_url + PAGE)  # the same signed-in browser, the same address
            live(page)
            page.locator(".ck-app").get_by_label("I'd rather not say").first.check()
            assert saved_answers(after, code, WORKSHEET)
        loaded = {url.rsplit("/", 1)[-1]: status for url, status in fetched if "/static/client/" in url}
        assert set(loaded) >= {upgraded["js"], *upgraded["preload"]}
        assert all(status == 200 for status in loaded.values())
        assert not set(loaded) & {url.rsplit("/", 1)[-1] for url in cached}  # nothing of the old version
    finally:
        context.close()


@pytest.mark.parametrize(("locale", "lang", "direction"), [("es-ES", "es", "ltr"), ("ar", "ar", "rtl")])
def test_a_browser_in_another_language_gets_its_first_screen_painted_in_it(
    served: Running, browser: Browser, locale: str, lang: str, direction: str
):
    """The painted step is in the page's language (its words and the worksheet's translation), the page
    has its ``lang`` and ``dir`` before any script, and the widgets, in the same language, take its place
    without a jump."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, locale=locale
    )
    try:
        page = context.new_page()
        code = served.store().add_client("Lu Lengua").code
        held = Held(page)
        page.goto(served.link(code, WORKSHEET), timeout=LOAD_TIMEOUT_MS)
        page.locator("form.ck-open-form button").click()  # Open, in the page's language
        page.locator(PAINTED).wait_for(timeout=LOAD_TIMEOUT_MS)
        page.locator("#ck-view").wait_for(state="attached", timeout=LOAD_TIMEOUT_MS)
        assert page.locator(".ck-app").count() == 0  # nothing live yet
        sheet = worksheets_in(lang)[WORKSHEET]
        assert sheet.title != worksheets_in("en")[WORKSHEET].title
        screen = page.locator(PAINTED)
        expect(screen.get_by_role("heading", name=sheet.title)).to_be_visible()
        said = words_for(lang)
        step = said.ngettext("Step {step} of {count}", "Step {step} of {count}", 6, step=1)
        expect(screen.get_by_text(step, exact=True)).to_be_visible()
        expect(screen.get_by_role("button", name=said("Next"))).to_be_visible()
        assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == [
            lang,
            direction,
        ]
        assert "Next" not in screen.inner_text() and "Hello" not in screen.inner_text()
        before = page.evaluate(BOXES, "#ck-prepaint")
        held.release()
        live(page)
        after = page.evaluate(BOXES, "#ck-live")
        assert [box[:2] for box in before] == [box[:2] for box in after]  # the same words, in the same order
        for old, new in zip(before, after, strict=True):
            assert all(abs(a - b) <= 0.5 for a, b in zip(old[2:], new[2:], strict=True)), (old, new)
    finally:
        context.close()
