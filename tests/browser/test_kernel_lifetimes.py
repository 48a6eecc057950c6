"""Kernels end when their page does, an idle page comes back to its draft, and the ceiling holds.

Real ``coachkit serve`` servers with short lifetimes; kernels are counted as real processes.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from coachkit.ui.app import RESUMED
from tests.browser.conftest import answer_the_safety_step, follow_link
from tests.browser.running import PAGE, Running, coachkit_server

pytestmark = pytest.mark.browser

LOAD_TIMEOUT_MS = 90_000
RECLAIM_SECONDS = 5
CHECK_SECONDS = 5
"""How often the server looks for kernels to reclaim (``ClientKernelManager.cull_interval``)."""
ENOUGH = RECLAIM_SECONDS + CHECK_SECONDS + 10
"""A reclaimed kernel is gone by then (a kernel process takes a moment to exit)."""


def open_worksheet(page: Page, served: Running, code: str) -> None:
    follow_link(page, served.link(code), LOAD_TIMEOUT_MS)
    page.locator(".ck-app").first.wait_for(timeout=LOAD_TIMEOUT_MS)


def answer_first_step(page: Page) -> None:
    answer_the_safety_step(page)
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_text("Step 2 of 6", exact=True)).to_be_visible()


def test_a_closed_page_gives_its_kernel_back_without_any_request_from_it(tmp_path: Path, browser: Browser):
    with coachkit_server(tmp_path / "s", "--reclaim-after-seconds", str(RECLAIM_SECONDS)) as served:
        store = served.store()
        codes = [store.add_client(f"Cass Closer{n}").code for n in range(2)]
        staying, leaving = browser.new_context(), browser.new_context()
        try:
            open_worksheet(staying.new_page(), served, codes[0])
            # The page's goodbye (a beacon as it hides) never leaves, as when a phone's battery dies:
            # only the reclaimer can give the kernel back.
            leaving.add_init_script("navigator.sendBeacon = () => true;")
            page = leaving.new_page()
            open_worksheet(page, served, codes[1])
            assert len(served.kernels()) == 2
            before = len(served.log())
            page.close(run_before_unload=False)  # the tab is gone
            served.wait_for_kernels(1, timeout=ENOUGH)
            assert "/voila/api/shutdown" not in served.log()[before:]
            assert len(served.kernels()) == 1  # the page left open keeps its kernel
        finally:
            staying.close()
            leaving.close()
        served.wait_for_kernels(0, timeout=ENOUGH)


def test_a_page_navigated_away_from_says_so_and_its_kernel_goes_at_once(tmp_path: Path, phone: Page):
    with coachkit_server(tmp_path / "s", "--reclaim-after-seconds", "60") as served:
        code = served.store().add_client("Nia Navigator").code
        open_worksheet(phone, served, code)
        assert len(served.kernels()) == 1
        phone.goto(served.base_url + "/")  # the page's beacon as it hides arrives (and is accepted)
        seconds = served.wait_for_kernels(0, timeout=CHECK_SECONDS + 10)
        assert seconds < 60  # long before reclaim-after-seconds
        assert "204 POST /voila/api/shutdown" in served.log()


def test_an_idle_page_keeps_its_kernel_for_a_while_then_resumes_its_draft_when_it_is_gone(
    tmp_path: Path, phone: Page
):
    with coachkit_server(tmp_path / "s", "--cull-idle-seconds", "12") as served:
        client = served.store().add_client("Ida Idle")
        open_worksheet(phone, served, client.code)
        answer_first_step(phone)
        phone.wait_for_timeout(5_000)
        assert len(served.kernels()) == 1  # open and idle: still there
        # Past the idle time the server frees the kernel; the page notices and reloads into the draft.
        phone.wait_for_url("**resume=1**", timeout=40_000)
        phone.locator(".ck-app").first.wait_for(timeout=LOAD_TIMEOUT_MS)
        expect(phone.get_by_text(RESUMED)).to_be_visible()
        expect(phone.get_by_text("Step 2 of 6", exact=True)).to_be_visible()
        expect(phone.get_by_text("Continue where I left off")).to_have_count(0)
        assert len(served.kernels()) == 1
        # And it works as before.
        phone.get_by_label("I'm usually on the receiving end").check()
        phone.get_by_role("button", name="Next").click()
        expect(phone.get_by_text("Step 3 of 6", exact=True)).to_be_visible()


def test_a_page_whose_kernel_died_comes_back_to_its_draft(tmp_path: Path, phone: Page):
    with coachkit_server(tmp_path / "s") as served:
        client = served.store().add_client("Dee Died")
        open_worksheet(phone, served, client.code)
        answer_first_step(phone)
        [kernel] = served.kernels()
        kernel.kill()  # out of memory, say: jupyter_client would restart it empty
        phone.wait_for_url("**resume=1**", timeout=40_000)
        phone.locator(".ck-app").first.wait_for(timeout=LOAD_TIMEOUT_MS)
        expect(phone.get_by_text(RESUMED)).to_be_visible()
        expect(phone.get_by_text("Step 2 of 6", exact=True)).to_be_visible()
        served.wait_for_kernels(1, timeout=30)


def test_past_the_ceiling_a_client_is_asked_to_try_again_and_open_pages_carry_on(
    tmp_path: Path, browser: Browser
):
    arguments = ("--max-kernels", "2", "--reclaim-after-seconds", str(RECLAIM_SECONDS))
    with coachkit_server(tmp_path / "s", *arguments) as served:
        store = served.store()
        codes = [store.add_client(f"Cel Ceiling{n}").code for n in range(3)]
        contexts = [browser.new_context(viewport={"width": 390, "height": 844}) for _ in range(3)]
        try:
            pages = [context.new_page() for context in contexts]
            for page, code in zip(pages[:2], codes, strict=False):
                open_worksheet(page, served, code)
            assert len(served.kernels()) == 2

            cookie = served.sign_in(served.link(codes[2]))  # signing in needs no kernel
            status, headers, body = served.get(PAGE, headers={"Cookie": cookie})
            assert status == 503
            assert headers["retry-after"] == "60"
            assert "please try again in a minute" in body.decode().lower()
            follow_link(pages[2], served.link(codes[2]))
            expect(pages[2].get_by_text("Just a moment")).to_be_visible()
            expect(pages[2].get_by_role("link", name="Quick exit")).to_be_visible()
            assert len(served.kernels()) == 2

            for page in pages[:2]:  # nothing already open is harmed
                answer_first_step(page)

            contexts[0].close()
            served.wait_for_kernels(1, timeout=ENOUGH)
            try_again_until_in(pages[2])
            expect(pages[2].get_by_text("Hello Cel.")).to_be_visible()
            assert len(served.kernels()) == 2
        finally:
            for context in contexts:
                context.close()


def try_again_until_in(page: Page, within: float = 60) -> None:
    """Press "Try again" on the busy page, as a client would, until the worksheet opens.

    The closed page's kernel process can be gone a moment before the server has counted it out (more
    so on a busy machine), so the first try may still meet the busy page; the page asks for a minute.
    """
    deadline = time.monotonic() + within
    while True:
        page.get_by_role("link", name="Try again").click()
        opened = page.locator(".ck-app").first
        busy = page.get_by_text("Just a moment")
        expect(opened.or_(busy)).to_be_visible(timeout=LOAD_TIMEOUT_MS)
        if opened.is_visible() or time.monotonic() > deadline:
            break
        page.wait_for_timeout(2_000)
    opened.wait_for(timeout=LOAD_TIMEOUT_MS)


def test_a_ready_kernel_serves_the_next_client_and_none_starts_for_wrong_codes(tmp_path: Path, phone: Page):
    with coachkit_server(tmp_path / "s", "--ready-kernels", "1", "--reclaim-after-seconds", "5") as served:
        served.wait_for_kernels(1, timeout=60)
        [ready] = served.kernels()
        for query in ("", "?client=ZZZZ-ZZZZ-ZZZZ", "?client=nonsense", "?session=1"):
            served.get(PAGE + query)
        served.type_code("ZZZZ-ZZZZ-ZZZZ")
        phone.wait_for_timeout(1_000)
        assert [kernel.pid for kernel in served.kernels()] == [ready.pid]  # nothing started for them

        open_worksheet(phone, served, served.store().add_client("Rey Ready").code)
        expect(phone.get_by_text("Hello Rey.")).to_be_visible()  # the kernel got this page's session
        kernel_id = phone.evaluate(
            "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
        )
        assert any(kernel_id in part for part in ready.cmdline())  # the page runs in the ready kernel
        served.wait_for_kernels(2, timeout=60)  # and the next one is being readied
        answer_first_step(phone)
        phone.goto(served.base_url + "/")
        served.wait_for_kernels(1, timeout=ENOUGH)
        assert ready.pid not in [kernel.pid for kernel in served.kernels()]  # ended with its page


def page_kernel_id(page: Page) -> str:
    return page.evaluate("JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")


def test_pages_one_after_another_each_get_a_ready_kernel(tmp_path: Path, browser: Browser):
    with coachkit_server(tmp_path / "s", "--ready-kernels", "2") as served:
        served.wait_for_kernels(2, timeout=60)
        contexts = [browser.new_context() for _ in range(3)]
        try:
            for n, context in enumerate(contexts):
                ready = {kernel.pid: " ".join(kernel.cmdline()) for kernel in served.kernels()}
                page = context.new_page()
                open_worksheet(page, served, served.store().add_client(f"Seq Next{n}").code)
                kernel_id = page_kernel_id(page)
                assert any(kernel_id in command for command in ready.values()), f"page {n} got a new kernel"
                served.wait_for_kernels(n + 3, timeout=60)  # every page's kernel, and two ready again
        finally:
            for context in contexts:
                context.close()
