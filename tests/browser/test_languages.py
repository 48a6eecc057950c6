"""A client in Spanish and a client in Arabic, in a real browser at 390 px against a real server.

A browser that asks for Spanish gets Spanish from the first byte of every page (the link's Open page, the
code page, the worksheet page: no English in the HTML the server sends), completes the anger plan in
Spanish and downloads a Spanish PDF card. A browser that asks for Arabic gets a right-to-left page, plan
and card, and can switch to English with the picker. Screenshots are saved to be looked at.
"""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from coachkit.exercises import worksheets_in
from tests.browser.conftest import CLIENT_PAGE, Server, screenshot

pytestmark = pytest.mark.browser

PLAN = "my-anger-plan"
LOAD_TIMEOUT_MS = 90_000
ENGLISH_ON_PAGES = ("Quick exit", "One moment", "Welcome", "Open", "Please type", "Your code", "Continue")
ANSWERS = {
    "been_hurt": "no",
    "hurt_partner": "no",
    "safe_contact": "any",
    "signs": ["hot"],
    "calm_action": "walk",
    "back_how": "at_time",
    "back_time": "18:30",
    "not_ready": "say_so",
    "share_plan": "yes",
}


@pytest.fixture
def phone_in(browser):  # type: ignore[no-untyped-def]
    """A page 390 px wide whose browser asks for ``locale``'s language first (its Accept-Language)."""
    contexts = []

    def make(locale: str) -> Page:
        context = browser.new_context(
            viewport={"width": 390, "height": 844},
            device_scale_factor=2,
            locale=locale,
            accept_downloads=True,
        )
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def first_bytes(page: Page, url: str, method: str = "GET") -> str:
    """The HTML the server sends for ``url``, as the browser got it (before any script ran)."""
    with page.expect_response(lambda response: response.url.split("?")[0] == url.split("?")[0]) as caught:
        page.goto(url, timeout=LOAD_TIMEOUT_MS)
    return caught.value.text()


def english_in(html: str) -> list[str]:
    body = re.sub(r"<script.*?</script>|<style.*?</style>|<[^>]+>", " ", html, flags=re.DOTALL)
    return [word for word in ENGLISH_ON_PAGES if re.search(rf"\b{re.escape(word)}\b", body)]


def open_link_as_sent(page: Page, server: Server, code: str, lang: str) -> str:
    """Open a link to the anger plan; returns the client page's HTML as the server first sent it."""
    link = server.link(PLAN, code)
    html = first_bytes(page, link)
    assert html.startswith("<!DOCTYPE html>") and f'<html lang="{lang}"' in html, html[:200]
    assert english_in(html) == [], english_in(html)
    with page.expect_response(lambda response: CLIENT_PAGE in response.url) as caught:
        page.locator("form.ck-open-form button").click()
    client_page = caught.value.text()
    page.locator(".ck-app").first.wait_for(timeout=LOAD_TIMEOUT_MS)
    return client_page


def check(page: Page, label: str) -> None:
    page.get_by_label(label, exact=True).check()


def group(page: Page, css: str, question: str):  # type: ignore[no-untyped-def]
    return page.locator(css).filter(has_text=question)


def build_plan(page: Page, said: dict[str, str]) -> None:
    """The anger plan's steps as a client answers them, in the words of the page's language."""
    _ = worksheets_in(said["lang"])[PLAN]
    step = _.steps
    safety = [item.label for item in step[0].fields[:2]]
    expect(page.get_by_text(said["step"].format(1), exact=True)).to_be_visible()
    for question in safety:
        group(page, ".ck-single", question[:30]).get_by_label(said["no"], exact=True).check()
    check(page, _.field("safe_contact").display("any"))
    page.get_by_role("button", name=said["next"]).click()
    expect(page.get_by_text(said["step"].format(2), exact=True)).to_be_visible()
    page.get_by_label(_.field("signs").display(["hot"])).check()
    page.get_by_role("button", name=said["next"]).click()
    expect(page.get_by_text(said["step"].format(3), exact=True)).to_be_visible()
    page.get_by_role("button", name=said["next"]).click()
    check(page, _.field("calm_action").display("walk"))
    page.get_by_role("button", name=said["next"]).click()
    expect(page.get_by_text(said["step"].format(5), exact=True)).to_be_visible()
    check(page, _.field("back_how").display("at_time"))
    page.get_by_label(_.field("back_time").label).fill("18:30")
    check(page, _.field("not_ready").display("say_so"))
    share = _.field("share_plan")
    group(page, ".ck-single", share.label[:30]).get_by_label(share.display("yes"), exact=True).check()
    page.get_by_role("button", name=said["next"]).click()
    expect(page.get_by_text(said["step"].format(6), exact=True)).to_be_visible()
    expect(page.locator(".ck-preview p")).to_have_text(_.steps[-1].preview(ANSWERS))


def download_card(page: Page, label: str) -> tuple[str, bytes]:
    with page.expect_download() as downloading:
        page.get_by_role("link", name=label).click()
    download = downloading.value
    with open(download.path(), "rb") as pdf:
        return download.suggested_filename, pdf.read()


def test_a_spanish_browser_gets_spanish_pages_a_spanish_plan_and_a_spanish_card(
    server: Server, phone_in
) -> None:
    store = server.store()
    client = store.add_client("Lucía Gómez")
    page = phone_in("es-ES")

    code_page = first_bytes(page, f"{server.base_url}/coachkit/code")
    assert code_page.startswith('<!DOCTYPE html>\n<html lang="es" dir="ltr">') and english_in(code_page) == []
    expect(page.get_by_role("button", name="Continuar")).to_be_visible()
    expect(page.get_by_role("link", name="Salida rápida")).to_be_visible()
    screenshot(page, "languages-es-code-phone")

    client_page = open_link_as_sent(page, server, client.code, "es")
    assert '<html lang="es" dir="ltr">' in client_page and "Salida rápida" in client_page
    assert english_in(client_page) == [], english_in(client_page)
    expect(page.get_by_text("Hola, Lucía.")).to_be_visible()
    expect(page.locator(".ck-language select")).to_have_value("Español")
    screenshot(page, "languages-es-step-1-phone")

    said = {"lang": "es", "step": "Paso {} de 6", "no": "No", "next": "Siguiente"}
    build_plan(page, said)
    screenshot(page, "languages-es-preview-phone")
    page.get_by_role("button", name="Terminar").click()
    card = page.locator(".ck-takeaway")
    expect(card).to_be_visible()
    expect(card.locator("h2")).to_have_text("Mi plan para el enojo")
    expect(card).to_contain_text("3. Voy a retirarme y calmarme: voy a salir a caminar.")
    expect(card).to_contain_text("4. Volveré a las 18:30 y podremos hablar de esto entonces.")
    expect(card.locator(".ck-byline")).to_contain_text(re.compile(r"Lucía · \d+ de \w+ de \d{4}"))
    screenshot(page, "languages-es-card-phone")

    name, pdf = download_card(page, "Descargar mi tarjeta (PDF)")
    assert re.fullmatch(r"notas-\d{4}-\d\d-\d\d\.pdf", name)  # the neutral tab title, in Spanish
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Mi plan para el enojo" in text and "Voy a retirarme y calmarme: voy a salir a caminar." in text
    assert "Volveré a las 18:30" in text and "Mi pausa dura al menos veinte minutos." in text
    assert reader.trailer["/Root"]["/Lang"] == "es"

    [response] = store.find_responses(client.id, PLAN)
    assert (response.status, response.language) == ("completed", "es")
    assert store.get_languages(client.id).browser == "es"


def test_an_arabic_browser_gets_a_right_to_left_page_plan_and_card(server: Server, phone_in) -> None:
    store = server.store()
    client = store.add_client("Sam Haddad")
    page = phone_in("ar")

    client_page = open_link_as_sent(page, server, client.code, "ar")
    assert '<html lang="ar" dir="rtl">' in client_page and "خروج سريع" in client_page
    assert english_in(client_page) == []
    assert page.evaluate("() => [document.documentElement.lang, document.documentElement.dir]") == [
        "ar",
        "rtl",
    ]
    app = page.locator(".ck-app").first
    assert app.evaluate("(element) => getComputedStyle(element).direction") == "rtl"
    question = page.locator(".ck-question").first
    box, frame = question.bounding_box(), app.bounding_box()
    assert (
        box and frame and frame["x"] + frame["width"] - (box["x"] + box["width"]) < 40
    )  # set from the right
    screenshot(page, "languages-ar-step-1-phone")

    said = {"lang": "ar", "step": "الخطوة {} من 6", "no": "لا", "next": "التالي"}
    build_plan(page, said)
    screenshot(page, "languages-ar-preview-phone")
    page.get_by_role("button", name="إنهاء").click()
    card = page.locator(".ck-takeaway")
    expect(card).to_be_visible()
    expect(card.locator("h2")).to_have_text("خطتي للتعامل مع الغضب")
    expect(card).to_contain_text("سأنسحب وأهدأ: سوف أخرج للمشي.")
    assert card.evaluate("(element) => getComputedStyle(element).direction") == "rtl"
    screenshot(page, "languages-ar-card-phone")

    name, pdf = download_card(page, "تنزيل بطاقتي (PDF)")
    assert re.fullmatch(r"card-\d{4}-\d\d-\d\d\.pdf", name)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1 and reader.trailer["/Root"]["/Lang"] == "ar"
    assert "Sam" in reader.pages[0].extract_text()

    # The client picks English: the same page, redrawn where it was, and turned left to right.
    page.locator(".ck-language select").select_option(label="English")
    expect(page.locator(".ck-takeaway h2")).to_have_text("My anger plan")
    expect(
        page.get_by_role("button", name="Start a fresh copy").or_(
            page.get_by_role("button", name="Revise my plan")
        )
    ).to_be_visible()
    assert page.evaluate("() => [document.documentElement.lang, document.documentElement.dir]") == [
        "en",
        "ltr",
    ]
    assert store.get_languages(client.id).chosen == "en"
    [response] = store.find_responses(client.id, PLAN)
    assert response.language == "ar"
