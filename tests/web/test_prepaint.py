"""The first screen the server paints: the same screen the widgets will show, and never an answer."""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser

import pytest

from coachkit.attempt import Attempt
from coachkit.exercises import get_worksheet, worksheets_in
from coachkit.store import Store
from coachkit.ui import markup, screens
from coachkit.ui.client import ClientApp
from coachkit.ui.history import TITLE
from coachkit.web import prepaint
from coachkit.web.directory import Directory

FIGHT = get_worksheet("fight-or-make-it-right")
PLAN = get_worksheet("my-anger-plan")
PRACTICE = get_worksheet("anger-plan-practice")
LEFT = get_worksheet("wanting-them-back")


class Fields(HTMLParser):
    """Each painted field's id, and whether the block around it is hidden."""

    def __init__(self) -> None:
        super().__init__()
        self.hidden: dict[str, bool] = {}
        self.blocks: list[bool] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "div":
            self.blocks.append("display: none" in (found.get("style") or ""))
        if "data-ck-field" in found:
            self.hidden[found["data-ck-field"] or ""] = self.blocks[-2]

    def handle_endtag(self, tag: str) -> None:
        if tag == "div":
            self.blocks.pop()


def without_style(html: str) -> str:
    """The painted screen without its stylesheet (the theme names every class)."""
    return re.sub(r"<style>.*?</style>", "", html, flags=re.S)


def painted_fields(html: str) -> dict[str, bool]:
    parser = Fields()
    parser.feed(html)
    return parser.hidden


def session(store: Store, name: str, sheet: str | None, code_typed: bool = False):  # type: ignore[no-untyped-def]
    client = store.add_client(name)
    started, _ = store.start_session(client.id, sheet, code_typed=code_typed)
    return client, started


def live_screen(store: Store, started, resume: bool = False) -> ClientApp:  # type: ignore[no-untyped-def]
    """What the kernel shows for the same session (the widgets, in-process)."""
    return ClientApp(store, started, store.get_client(started.client_id), resume=resume)


def test_a_new_clients_first_step_is_painted_whole_and_like_the_wizard(store):
    _, started = session(store, "Ada New", FIGHT.id)
    html = prepaint.first_screen(store, started, resume=False)
    page = live_screen(store, started)
    wizard = page.current.wizard
    header = wizard.header.value.removeprefix(markup.SCROLL_TO_TOP)
    assert header in html  # the same words, to the character
    shown = {block.item.id: block.view.layout.display == "none" for block in wizard.blocks}
    assert painted_fields(html) == shown
    assert html.count('type="radio"') == sum(len(item.options) for item in FIGHT.steps[0].fields[:3])
    assert ">Next</button>" in html and "visibility: hidden" in html  # Back laid out, unseen
    assert "ck-painted" in html and "ck-app" not in html  # the painted page is not taken for live widgets


def test_carried_answers_show_and_hide_the_same_fields_as_the_widgets(store):
    client, started = session(store, "Cy Carried", PRACTICE.id)
    earlier = Attempt.start(store, FIGHT, client)
    earlier.save_step(0, {"been_hurt": "yes", "hurt_partner": "no"}, 1)
    earlier.complete({}, 0)
    html = prepaint.first_screen(store, started, resume=False)
    wizard = live_screen(store, started).current.wizard
    assert wizard.header.value.removeprefix(markup.SCROLL_TO_TOP) in html
    assert 'data-ck-field="' in html
    assert painted_fields(html) == {b.item.id: b.view.layout.display == "none" for b in wizard.blocks}


@pytest.mark.parametrize("resume", [False, True])
def test_a_draft_with_answers_is_painted_without_them(store, resume):
    client, started = session(store, "Dee Draft", FIGHT.id)
    draft = Attempt.start(store, FIGHT, client)
    draft.save_step(
        0, {"been_hurt": "rather_not_say", "safe_contact": "some", "contact_how": "Only my sister's"}, 0
    )
    html = without_style(prepaint.first_screen(store, started, resume=resume))
    assert "sister" not in html and "<input" not in html and "data-ck-field" not in html
    if resume:  # the wizard's top, at the step the client was on; its fields wait for the widgets
        assert screens.RESUMED in html and "Step 1 of" in html
    else:  # the offer to continue, whole
        assert "Welcome back, Dee." in html and screens.CONTINUE in html and screens.START_AGAIN in html
        offer = live_screen(store, started).current.screen.children[0].value
        assert offer in html


def test_a_revisable_worksheet_done_before_paints_only_its_top(store):
    client, started = session(store, "Pia Plan", PLAN.id)
    done = Attempt.start(store, PLAN, client)
    done.save_step(0, {"been_hurt": "no", "hurt_partner": "no"}, 1)
    done.complete({"calm_action": "walk"}, 1)
    html = without_style(prepaint.first_screen(store, started, resume=False))
    assert screens.latest_intro(PLAN, client) in html
    assert "ck-takeaway" not in html and "<button" not in html  # the card and its buttons wait


def test_crisis_help_prompted_by_earlier_answers_is_left_to_the_widgets(store):
    crisis = {"self_harm": "yes"}  # what the wellbeing library counts as at risk
    if not LEFT.in_crisis(crisis):
        pytest.skip("the wellbeing library names its answers differently")
    html = without_style(prepaint.step_screen(LEFT, 0, crisis, {}, "Hello Cal."))
    assert "data-ck-field" not in html and "ck-crisis" not in html and "Hello Cal." in html


def test_the_clients_own_page_paints_its_title_and_greeting(store):
    _, started = session(store, "Oz Own", None)
    html = prepaint.first_screen(store, started, resume=False)
    assert prepaint.HISTORY_TITLE == TITLE
    top = live_screen(store, started).current.screen.children[0].value
    assert top in html and "Hello Oz." in html


def test_a_clients_name_is_escaped(store):
    _, started = session(store, "<img src=x onerror=alert(1)> Evil", FIGHT.id)
    html = prepaint.first_screen(store, started, resume=False)
    assert "<img src=x" not in html and "Hello &lt;img" in html


def test_a_store_that_fails_paints_nothing_and_the_page_opens(tmp_path, caplog):
    directory = Directory(f"sqlite:///{tmp_path / 'store.sqlite'}")
    store = Store(directory.database_url)
    _, started = session(store, "Sy Sad", FIGHT.id)
    store.close()
    (tmp_path / "store.sqlite").unlink()
    try:
        assert directory._first_screen(started, resume=False) == ""
    finally:
        directory.close()
    assert re.search(r"Could not paint", caplog.text)


def test_a_spanish_first_step_is_painted_in_spanish_like_the_spanish_widgets(store):
    client, started = session(store, "Sol Spanish", FIGHT.id)
    html = prepaint.first_screen(store, started, resume=False, language="es")
    app = ClientApp(store, started, client, language="es")
    wizard = app.current.wizard
    assert wizard.header.value.removeprefix(markup.SCROLL_TO_TOP) in html  # worksheet and words, in Spanish
    spanish = worksheets_in("es")[FIGHT.id]
    assert spanish.title != FIGHT.title and f"<h1>{escape(spanish.title)}</h1>" in html
    assert "Hola, Sol." in html and "Paso 1 de 6" in html and ">Siguiente</button>" in html
    assert ">Sí<" in html and "Next" not in html and "Hello" not in html and FIGHT.title not in html
    labels = [escape(item.label) for item in spanish.steps[0].fields]
    assert all(label in html for label in labels)
    assert 'value="Español" selected' in html  # the picker, as the widgets draw it, on Spanish
    assert escape(app.picker.description) in html


def test_an_arabic_page_is_painted_right_to_left_with_its_own_words(store):
    client, started = session(store, "Amal Arabic", None)
    html = prepaint.first_screen(store, started, resume=False, language="ar")
    top = ClientApp(store, started, client, language="ar").current.screen.children[0].value
    assert top in html and 'data-dir="rtl"' in html and "Your worksheets" not in html


def test_the_painted_offer_to_continue_is_in_the_pages_language(store):
    client, started = session(store, "Eva Espanol", FIGHT.id)
    Attempt.start(store, FIGHT, client).save_step(0, {"been_hurt": "no"}, 0)
    html = prepaint.first_screen(store, started, resume=False, language="es")
    offer = ClientApp(store, started, client, language="es").current.screen.children[0].value
    assert offer in html and "Seguir donde lo dejé" in html and "Continue" not in html
