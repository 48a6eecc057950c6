"""After a sign of crisis, the page offers to stop there and keeps help in view; crisis help looks unlike
any ordinary note. Driven in-process on the real "After they left" worksheet and a real store."""

from __future__ import annotations

from html import escape
from typing import Any

import ipywidgets as w
import pytest

from coachkit.exercises import get_worksheet
from coachkit.store import Store
from coachkit.ui import markup
from coachkit.ui.app import WorksheetApp
from coachkit.ui.wizard import STOP_HERE, Wizard
from coachkit.worksheet.safety_net import STOPPED_FLAG

SHEET = get_worksheet("wanting-them-back")
FIGHT = get_worksheet("fight-or-make-it-right")
CALM = {"hopeless": "not_at_all", "sleep": "as_usual", "self_harm": "no", "safe_contact": "any"}


@pytest.fixture
def app(store: Store) -> WorksheetApp:
    client = store.add_client("Robin Crisis")
    return WorksheetApp(SHEET, store, client=client)


def wizard_of(app: WorksheetApp) -> Wizard:
    assert app.wizard is not None
    return app.wizard


def fill(app: WorksheetApp, answers: dict[str, Any]) -> None:
    for block in wizard_of(app).blocks:
        if block.item.id in answers:
            block.input.watched[0].value = answers[block.item.id]


def html_of(widget: w.Widget) -> str:
    found = [widget.value] if isinstance(widget, w.HTML) else []
    for child in getattr(widget, "children", ()):
        found.append(html_of(child))
    return "".join(found)


def buttons(widget: w.Widget) -> list[str]:
    found = [widget.description] if isinstance(widget, w.Button) else []
    for child in getattr(widget, "children", ()):
        found.extend(buttons(child))
    return found


def to_wellbeing(app: WorksheetApp) -> Wizard:
    wizard = wizard_of(app)
    fill(app, {"relationship_length": "long_term"})
    wizard.next.click()
    assert SHEET.steps[wizard.index].id == "how_you_are"
    return wizard


def test_no_sign_of_crisis_no_offer_to_stop(app):
    wizard = to_wellbeing(app)
    fill(app, CALM)
    assert STOP_HERE not in buttons(wizard.view)
    assert "ck-crisis" not in html_of(wizard.view)


def test_thoughts_of_self_harm_bring_marked_crisis_help_and_the_offer_to_stop_below(app):
    wizard = to_wellbeing(app)
    fill(app, {**CALM, "self_harm": "yes"})
    notice = html_of(next(b for b in wizard.blocks if b.item.id == "self_harm").notice)
    assert 'class="ck-notice ck-crisis"' in notice and markup.CRISIS_LABEL in notice
    assert wizard.crisis_top.children == ()  # the help is already under the answer
    assert STOP_HERE in buttons(wizard.crisis_bottom)
    assert escape(markup.STOP_OFFER) in html_of(wizard.crisis_bottom)
    assert html_of(wizard.view).count("A crisis line") == 1  # the help once, not twice


def test_on_every_later_step_help_opens_the_page(app):
    wizard = to_wellbeing(app)
    fill(app, {**CALM, "self_harm": "yes"})
    for _ in range(3):
        wizard.next.click()
        top = html_of(wizard.crisis_top)
        assert "ck-crisis" in top and "A crisis line" in top  # the coach's crisis help, default wording
        assert STOP_HERE in buttons(wizard.crisis_top)


def test_stopping_keeps_what_was_given_asks_nothing_more_and_tells_the_coach(app, store):
    wizard = to_wellbeing(app)
    fill(app, {**CALM, "hopeless": "nearly_every_day"})
    wizard.next.click()
    fill(app, {"why_now": "It came out of nowhere."})
    button = next(b for b in wizard.crisis_top.children if isinstance(b, w.Button))
    button.click()
    response = store.get_response(wizard.attempt.response.id)
    assert response.status == "completed"
    assert store.get_answers(response.id)["why_now"] == "It came out of nowhere."
    assert {"wellbeing", STOPPED_FLAG} <= store.find_flags(response.id)
    assert app.state == "showing the summary"
    page = html_of(app.view)
    assert page.index("You matter") < page.index("The rest can wait")
    assert "ck-card ck-safety ck-crisis" in page


def test_stopping_needs_no_answer_that_is_still_missing(app, store):
    wizard = to_wellbeing(app)
    fill(app, {**CALM, "self_harm": "yes"})
    block = next(b for b in wizard.blocks if b.item.id == "safe_contact")
    block.input.watched[0].value = None
    wizard.stop_here()
    assert store.get_response(wizard.attempt.response.id).status == "completed"  # nothing was required


def test_a_forged_stop_without_any_sign_of_crisis_still_only_saves_valid_answers(app, store):
    wizard = to_wellbeing(app)
    fill(app, CALM)
    wizard.stop_here()  # the browser can click a button that is not on the page
    response = store.get_response(wizard.attempt.response.id)
    assert STOPPED_FLAG in store.find_flags(response.id)  # the coach sees it was stopped, not finished
    assert store.get_answers(response.id)["self_harm"] == "no"


def test_words_of_despair_on_the_last_step_bring_no_offer_to_stop_there(store):
    app = WorksheetApp(FIGHT, store, client=store.add_client("Lou Last"))
    wizard = wizard_of(app)
    wizard.index = len(FIGHT.steps) - 1
    wizard.render_step()
    fill(app, {"frequency": "rarely", "recent_fight": "I can't take it anymore, I want to die"})
    assert STOP_HERE not in buttons(wizard.view)
    assert "ck-crisis" in html_of(wizard.view)


def test_crisis_help_is_marked_and_ordinary_notes_are_not():
    context = {"crisis_help": "Call 999.", "safety_help": "Call the helpline."}
    assert "ck-crisis" in markup.notice("Help now. {crisis_help}", context)
    assert "ck-crisis" not in markup.notice("Help is there. {safety_help}", context)
    assert markup.crisis_box(context, with_help=False, can_stop=False) == ""
    assert markup.CRISIS_LABEL not in markup.crisis_box(context, with_help=False, can_stop=True)
    assert "Call 999." in markup.crisis_box(context, with_help=True, can_stop=False)
