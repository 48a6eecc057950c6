"""The client's page driven in-process: real widgets, real store, no browser and no kernel (an asyncio
loop stands in for the kernel's where timing matters).

The renderer is tested on a worksheet built here, in code, shaped like the fight worksheet's first
version: six steps, a private safety question last, and a seventh step asked only after a "yes".
"""

from __future__ import annotations

import asyncio
from typing import Any

import ipywidgets as w
import pytest
from traitlets import TraitError

import coachkit.ui.wizard as wizard_module
from coachkit.links import HISTORY_TITLE
from coachkit.store import Client, Store, StoreUnavailable
from coachkit.ui.app import NOT_RECOGNIZED, RESUMED, WorksheetApp
from coachkit.ui.page import query_parameter
from coachkit.ui.wizard import FINISHED_ELSEWHERE, GONE, NEEDS_A_LOOK, NOT_SAVED, TAKEN_OVER, Wizard
from coachkit.widgets.guard import SOMETHING_WENT_WRONG
from coachkit.worksheet import (
    Feedback,
    FlagRule,
    LongText,
    Notice,
    Option,
    SingleChoice,
    Step,
    When,
    Worksheet,
    YesNo,
)

FREQUENCIES = ("rarely", "monthly", "weekly", "several_a_week", "daily")
SELF_CHECK = ("one_upmanship", "superior", "bigger_weapons", "push_to_lose_cool", "rise_then_wrong")


def _choice(field_id: str, values: tuple[str, ...], **kwargs: Any) -> SingleChoice:
    options = tuple(Option(value, value.replace("_", " ").capitalize()) for value in values)
    return SingleChoice(
        id=field_id, label=field_id.replace("_", " ").capitalize() + "?", options=options, **kwargs
    )


def _feedback(answers: Any) -> list[Feedback]:
    safety = (
        [Feedback("safety", "Your safety comes first", "{safety_help}")]
        if answers.get("felt_unsafe") == "yes"
        else []
    )
    return [*safety, Feedback("insight", "Thank you", "You finished.")]


SHEET = Worksheet(
    id="wizard-demo",
    version=1,
    title="Wizard demo",
    intro="A demo worksheet for the renderer's tests.",
    steps=(
        Step(
            "meeting_a_fight",
            "How you meet a fight",
            (_choice("approach", ("expect", "look", "run", "sidestep")),),
        ),
        Step(
            "instant_answer",
            "Your instant answer",
            (_choice("fight_or_right", ("fight", "right", "unsure")),),
        ),
        Step(
            "self_check", "A quick self-check", tuple(YesNo(id=name, label=f"{name}?") for name in SELF_CHECK)
        ),
        Step("your_side", "Which side are you on?", (_choice("role", ("starter", "receiver", "both")),)),
        Step(
            "how_often",
            "How often",
            (
                _choice("frequency", FREQUENCIES),
                LongText(id="recent_fight", label="A recent fight?", required=False, max_length=4000),
            ),
        ),
        Step(
            "safety",
            "Staying safe",
            (
                _choice(
                    "felt_unsafe",
                    ("yes", "no", "rather_not_say"),
                    sensitive=True,
                    notices=(Notice("yes", "You deserve to be safe. {safety_help}"),),
                ),
            ),
        ),
        Step(
            "plan",
            "A plan",
            (YesNo(id="safe_place_known", label="Do you know somewhere safe to go?", sensitive=True),),
            shown_if=When("felt_unsafe", "yes"),
        ),
    ),
    feedback=_feedback,
    flag_rules=(
        FlagRule("safety", When("felt_unsafe", "yes"), "said a fight made them afraid", "risk"),
        FlagRule("frequent_fighting", When("frequency", *FREQUENCIES[2:]), "fights often"),
    ),
)

CLIENT_NAME = "Zephyrine Quillfeather"
SCRIPT = "<script>alert('hi')</script> & \"more\""

STEP_ANSWERS: list[dict[str, Any]] = [
    {"approach": "sidestep"},
    {"fight_or_right": "right"},
    {
        "one_upmanship": True,
        "superior": False,
        "bigger_weapons": False,
        "push_to_lose_cool": True,
        "rise_then_wrong": False,
    },
    {"role": "both"},
    {"frequency": "monthly", "recent_fight": "We argued about dishes."},
    {"felt_unsafe": "no"},
]
"""A valid answer for every step of the fight worksheet, in order."""


@pytest.fixture
def client(store) -> Client:
    return store.add_client(CLIENT_NAME)


def open_app(store: Store, code: str | None) -> WorksheetApp:
    return WorksheetApp(SHEET, store, code)


@pytest.fixture
def app(store, client) -> WorksheetApp:
    return open_app(store, client.code)


# -- helpers ---------------------------------------------------------------------------------


def wizard_of(app: WorksheetApp) -> Wizard:
    assert app.wizard is not None
    return app.wizard


def widget_for(app: WorksheetApp, field_id: str) -> w.Widget:
    """The widget the client types or clicks in for this field, on the current step."""
    for block in wizard_of(app).blocks:
        if block.item.id == field_id:
            return block.input.watched[0]
    raise KeyError(field_id)


def block_for(app: WorksheetApp, field_id: str):
    return next(block for block in wizard_of(app).blocks if block.item.id == field_id)


def fill(app: WorksheetApp, answers: dict[str, Any]) -> None:
    for field_id, value in answers.items():
        widget_for(app, field_id).value = value


def walk_to(app: WorksheetApp, step_index: int) -> None:
    """Answer each step before ``step_index`` with STEP_ANSWERS and press Next."""
    wizard = wizard_of(app)
    while wizard.index < step_index:
        fill(app, STEP_ANSWERS[wizard.index])
        wizard.next.click()
    assert wizard.index == step_index


def response_id(app: WorksheetApp) -> int:
    return wizard_of(app).attempt.response.id


def saved(app: WorksheetApp, store: Store) -> dict[str, Any]:
    return store.get_answers(response_id(app))


def texts(widget: w.Widget) -> list[str]:
    """Every piece of text in a widget tree: values, descriptions, labels, tooltips, options."""
    found: list[str] = []
    for name in widget.keys:
        value = getattr(widget, name)
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, tuple | list):
            found.extend(item for item in value if isinstance(item, str))
    for child in getattr(widget, "children", ()):
        found.extend(texts(child))
    return found


def page_text(app: WorksheetApp) -> str:
    return "\n".join(texts(app.view))


def button(app: WorksheetApp, description: str) -> w.Button:
    def find(widget: w.Widget) -> w.Button | None:
        if isinstance(widget, w.Button) and widget.description == description:
            return widget
        for child in getattr(widget, "children", ()):
            if (hit := find(child)) is not None:
                return hit
        return None

    found = find(app.view)
    assert found is not None, f"no {description!r} button on the page"
    return found


def summary_html(app: WorksheetApp) -> str:
    return app.screen.children[0].value


# -- opening ---------------------------------------------------------------------------------


def test_a_known_code_opens_the_first_step_with_a_greeting(app):
    assert app.state == "in the worksheet"
    wizard = wizard_of(app)
    assert wizard.index == 0
    assert "Hello Zephyrine." in wizard.header.value
    assert "Step 1 of 6" in wizard.header.value


def test_the_first_step_has_no_visible_back_button(app):
    assert wizard_of(app).back.layout.visibility == "hidden"


def test_an_unknown_code_is_not_recognized(store, client):
    app = open_app(store, "AAAA-BBBB-CCCC")
    assert app.state == "code not recognized"
    assert app.wizard is None
    assert NOT_RECOGNIZED.replace("'", "&#x27;") in page_text(app)


def test_an_unknown_code_shows_no_name_anywhere(store, client):
    app = open_app(store, "AAAA-BBBB-CCCC")
    text = page_text(app)
    assert CLIENT_NAME not in text
    assert "Zephyrine" not in text


def test_no_code_asks_for_one(store, client):
    app = open_app(store, None)
    assert app.state == "asking for the client's code"
    assert "Zephyrine" not in page_text(app)


def test_typing_the_code_opens_the_worksheet(store, client):
    app = open_app(store, None)
    box = next(child for child in app.screen.children if isinstance(child, w.Text))
    box.value = client.code.lower()
    button(app, "Start").click()
    assert app.state == "in the worksheet"
    assert wizard_of(app).attempt.client.id == client.id


# -- Next ------------------------------------------------------------------------------------


def test_next_on_an_empty_required_step_shows_a_message(app):
    wizard = wizard_of(app)
    wizard.next.click()
    assert NEEDS_A_LOOK in wizard.message.value
    assert "Please choose one of the options." in block_for(app, "approach").error.value


def test_a_mark_goes_once_its_field_is_answered_and_the_note_with_the_last_one(app):
    walk_to(app, 2)
    wizard = wizard_of(app)
    wizard.next.click()
    first, *others = STEP_ANSWERS[2].items()
    fill(app, dict([first]))
    assert block_for(app, first[0]).error.value == ""
    assert all(block_for(app, name).error.value for name, _ in others)  # still unanswered: still marked
    assert NEEDS_A_LOOK in wizard.message.value
    fill(app, dict(others))
    assert not any(block.error.value for block in wizard.blocks)
    assert wizard.message.value == ""


def test_next_on_an_empty_required_step_saves_nothing_and_stays(app, store):
    wizard_of(app).next.click()
    assert wizard_of(app).index == 0
    assert saved(app, store) == {}
    assert store.get_response(response_id(app)).current_step == 0


def test_next_saves_the_steps_answers(app, store):
    widget_for(app, "approach").value = "sidestep"
    wizard_of(app).next.click()
    assert saved(app, store) == {"approach": "sidestep"}
    assert store.get_response(response_id(app)).current_step == 1


def test_next_moves_to_the_next_step(app):
    widget_for(app, "approach").value = "run"
    wizard_of(app).next.click()
    wizard = wizard_of(app)
    assert wizard.index == 1
    assert [block.item.id for block in wizard.blocks] == ["fight_or_right"]
    assert "Step 2 of 6" in wizard.header.value
    assert wizard.back.layout.visibility == "visible"
    assert wizard.message.value == ""


def test_next_saves_yes_and_no_as_booleans(app, store):
    walk_to(app, 3)
    assert {key: saved(app, store)[key] for key in STEP_ANSWERS[2]} == STEP_ANSWERS[2]


def test_the_last_step_offers_finish(app):
    walk_to(app, 5)
    assert wizard_of(app).next.description == "Finish"


# -- Back ------------------------------------------------------------------------------------


def test_back_saves_the_steps_answers(app, store):
    walk_to(app, 1)
    widget_for(app, "fight_or_right").value = "fight"
    wizard_of(app).back.click()
    assert saved(app, store) == {"approach": "sidestep", "fight_or_right": "fight"}
    assert store.get_response(response_id(app)).current_step == 0


def test_back_shows_the_earlier_answer_again(app):
    walk_to(app, 1)
    wizard_of(app).back.click()
    assert wizard_of(app).index == 0
    assert widget_for(app, "approach").value == "sidestep"


def test_back_does_not_require_an_answer(app, store):
    walk_to(app, 1)
    wizard_of(app).back.click()
    assert wizard_of(app).index == 0
    assert "fight_or_right" not in saved(app, store)


def test_a_forged_back_on_the_first_step_does_nothing(app, store):
    widget_for(app, "approach").value = "look"
    before = (saved(app, store), store.get_response(response_id(app)))
    wizard_of(app).back.click()
    assert wizard_of(app).index == 0
    assert (saved(app, store), store.get_response(response_id(app))) == before
    assert widget_for(app, "approach").value == "look"
    assert wizard_of(app).message.value == ""


def test_a_forged_back_on_an_untouched_first_step_saves_nothing(app, store):
    wizard_of(app).back.click()
    assert wizard_of(app).index == 0
    assert saved(app, store) == {}


# -- autosave while the client stays on a step -----------------------------------------------
# Outside a kernel there is no running event loop, so the wizard's delayed saves run at once.


def test_a_change_is_autosaved_without_moving(app, store):
    widget_for(app, "approach").value = "expect"
    assert saved(app, store) == {"approach": "expect"}
    assert store.get_response(response_id(app)).current_step == 0
    assert wizard_of(app).index == 0


def test_autosave_never_saves_an_invalid_answer(app, store):
    walk_to(app, 4)
    widget_for(app, "recent_fight").value = "x" * 4001
    assert "recent_fight" not in saved(app, store)


def test_autosave_keeps_the_latest_answer(app, store):
    widget_for(app, "approach").value = "expect"
    widget_for(app, "approach").value = "run"
    assert saved(app, store) == {"approach": "run"}


# -- inside a kernel: moves wait a moment for values still on their way -----------------------


@pytest.fixture
def quick_delays(monkeypatch):
    monkeypatch.setattr(wizard_module, "SETTLE_SECONDS", 0.02)
    monkeypatch.setattr(wizard_module, "AUTOSAVE_SECONDS", 0.05)


def in_a_kernel_loop(scenario) -> None:
    asyncio.run(scenario())


def test_in_a_kernel_next_keeps_a_value_sent_just_after_the_click(app, store, quick_delays):
    async def scenario():
        wizard_of(app).next.click()
        widget_for(app, "approach").value = "look"
        await asyncio.sleep(0.2)

    in_a_kernel_loop(scenario)
    assert wizard_of(app).index == 1
    assert saved(app, store) == {"approach": "look"}


def test_in_a_kernel_the_buttons_wait_while_a_move_settles(app, quick_delays):
    seen = {}

    async def scenario():
        widget_for(app, "approach").value = "look"
        wizard_of(app).next.click()
        seen["during"] = (wizard_of(app).next.disabled, wizard_of(app).back.disabled)
        await asyncio.sleep(0.2)

    in_a_kernel_loop(scenario)
    assert seen["during"] == (True, True)
    assert not wizard_of(app).next.disabled


def test_in_a_kernel_a_double_click_moves_one_step(app, quick_delays):
    async def scenario():
        widget_for(app, "approach").value = "look"
        wizard_of(app).next.click()
        wizard_of(app).next.click()
        await asyncio.sleep(0.2)

    in_a_kernel_loop(scenario)
    assert wizard_of(app).index == 1


def test_in_a_kernel_a_change_is_autosaved_after_a_pause(app, store, quick_delays):
    seen = {}

    async def scenario():
        widget_for(app, "approach").value = "run"
        seen["at once"] = saved(app, store)
        await asyncio.sleep(0.3)

    in_a_kernel_loop(scenario)
    assert seen["at once"] == {}
    assert saved(app, store) == {"approach": "run"}
    assert wizard_of(app).index == 0


# -- invalid values --------------------------------------------------------------------------


def test_a_choice_outside_the_options_is_refused_by_the_widget(app):
    with pytest.raises(TraitError):
        widget_for(app, "approach").value = "punch"
    assert widget_for(app, "approach").value is None


def test_an_index_outside_the_options_is_refused_by_the_widget(app):
    with pytest.raises(TraitError):
        widget_for(app, "approach").index = 99


def test_a_refused_forged_choice_saves_nothing(app, store):
    with pytest.raises(TraitError):
        widget_for(app, "approach").value = "punch"
    wizard_of(app).next.click()
    assert wizard_of(app).index == 0
    assert saved(app, store) == {}


def test_text_over_max_length_is_refused_on_next(app, store):
    walk_to(app, 4)
    fill(app, {"frequency": "daily", "recent_fight": "x" * 4001})
    wizard_of(app).next.click()
    assert wizard_of(app).index == 4
    assert "4,001 characters" in block_for(app, "recent_fight").error.value
    assert NEEDS_A_LOOK in wizard_of(app).message.value
    assert "recent_fight" not in saved(app, store)
    assert store.get_response(response_id(app)).current_step == 4


def test_text_over_max_length_is_refused_on_back(app, store):
    walk_to(app, 4)
    widget_for(app, "recent_fight").value = "x" * 4001
    wizard_of(app).back.click()
    assert wizard_of(app).index == 4
    assert "recent_fight" not in saved(app, store)


def test_refused_text_stays_in_the_box(app):
    walk_to(app, 4)
    widget_for(app, "recent_fight").value = "x" * 4001
    wizard_of(app).next.click()
    assert widget_for(app, "recent_fight").value == "x" * 4001


# -- client text -----------------------------------------------------------------------------


def test_text_with_markup_is_stored_exactly(app, store):
    walk_to(app, 4)
    fill(app, {"frequency": "rarely", "recent_fight": SCRIPT})
    wizard_of(app).next.click()
    assert saved(app, store)["recent_fight"] == SCRIPT


def test_text_with_markup_is_escaped_in_the_summary(app):
    walk_to(app, 4)
    fill(app, {"frequency": "rarely", "recent_fight": SCRIPT})
    wizard_of(app).next.click()
    fill(app, STEP_ANSWERS[5])
    wizard_of(app).next.click()
    html = summary_html(app)
    assert "&lt;script&gt;alert(&#x27;hi&#x27;)&lt;/script&gt; &amp; &quot;more&quot;" in html
    assert "<script" not in html


# -- completing ------------------------------------------------------------------------------


def finish(app: WorksheetApp, last: dict[str, Any] | None = None) -> None:
    walk_to(app, 5)
    fill(app, last or STEP_ANSWERS[5])
    wizard_of(app).next.click()


def test_finishing_completes_the_response(app, store):
    finish(app)
    assert store.get_response(response_id(app)).status == "completed"


def test_finishing_saves_every_answer(app, store):
    finish(app)
    expected = {key: value for step in STEP_ANSWERS for key, value in step.items()}
    assert saved(app, store) == expected


def test_finishing_shows_the_summary(app):
    finish(app)
    assert app.state == "showing the summary"
    html = summary_html(app)
    assert "Here is what you shared" in html
    assert "You finished." in html
    assert "<dd>Sidestep</dd>" in html
    assert "href=" not in html and "client=" not in html  # no link, so no address to keep in a history


def test_the_summary_offers_the_clients_own_page_in_place(store, client):
    opened: list[str | None] = []
    app = WorksheetApp(SHEET, store, client=client, navigate=opened.append)
    finish(app)
    assert "ck-link-button" in button(app, HISTORY_TITLE)._dom_classes
    button(app, HISTORY_TITLE).click()
    assert opened == [None]


def test_finishing_tells_the_page_around_it(store, client):
    finished: list[bool] = []
    app = WorksheetApp(SHEET, store, client=client, on_finish=lambda: finished.append(True))
    walk_to(app, 5)
    assert finished == []
    finish(app)
    assert finished == [True]
    assert app.state == "showing the summary"


def test_the_summary_offers_to_do_the_exercise_again(app):
    finish(app)
    button(app, "Start a fresh copy").click()
    assert app.state == "in the worksheet"
    assert wizard_of(app).index == 0
    assert wizard_of(app).attempt.response.status == "draft"


def test_a_forged_next_after_completion_changes_nothing(app, store):
    finish(app)
    wizard = wizard_of(app)
    before = (saved(app, store), store.get_response(response_id(app)), store.find_flags(response_id(app)))
    widget_for(app, "felt_unsafe").value = "yes"
    wizard.next.click()
    after = (saved(app, store), store.get_response(response_id(app)), store.find_flags(response_id(app)))
    assert after == before
    assert app.state == "showing the summary"
    assert app.wizard is wizard


def test_a_forged_back_after_completion_changes_nothing(app, store):
    finish(app)
    before = (saved(app, store), store.get_response(response_id(app)))
    wizard_of(app).back.click()
    assert (saved(app, store), store.get_response(response_id(app))) == before
    assert wizard_of(app).index == 5
    assert app.state == "showing the summary"


def test_finishing_with_an_earlier_answer_missing_goes_back_to_it(app, store, client):
    walk_to(app, 5)
    # A draft whose stored answers no longer pass, e.g. a row lost before the client came back.
    store.save_step(response_id(app), "instant_answer", {"fight_or_right": None}, current_step=5)
    again = open_app(store, client.code)
    button(again, "Continue where I left off").click()
    fill(again, STEP_ANSWERS[5])
    wizard_of(again).next.click()
    assert wizard_of(again).index == 1
    assert again.state == "in the worksheet"
    assert store.get_response(response_id(again)).status == "draft"
    assert "Please choose one of the options." in block_for(again, "fight_or_right").error.value
    assert "An earlier answer still needs a look" in wizard_of(again).message.value


# -- flags and safety ------------------------------------------------------------------------


def test_a_yes_to_the_safety_question_raises_the_flag_when_that_step_is_saved(app, store):
    walk_to(app, 5)
    widget_for(app, "felt_unsafe").value = "yes"
    wizard_of(app).back.click()
    assert "safety" in store.find_flags(response_id(app))
    assert store.get_response(response_id(app)).status == "draft"


def test_a_yes_to_the_safety_question_is_flagged_on_finishing(app, store):
    finish(app, {"felt_unsafe": "yes"})
    assert "safety" in store.find_flags(response_id(app))


def test_no_safety_flag_without_a_yes(app, store):
    finish(app, {"felt_unsafe": "rather_not_say"})
    assert "safety" not in store.find_flags(response_id(app))


def test_frequent_fighting_is_flagged_as_soon_as_its_step_is_saved(app, store):
    walk_to(app, 4)
    fill(app, {"frequency": "several_a_week"})
    wizard_of(app).next.click()
    assert store.find_flags(response_id(app)) == {"frequent_fighting"}


def test_a_yes_to_the_safety_question_shows_where_to_get_help_at_once(app):
    walk_to(app, 5)
    widget_for(app, "felt_unsafe").value = "yes"
    notice = block_for(app, "felt_unsafe").notice.value
    assert "You deserve to be safe." in notice
    assert "call your local emergency number" in notice


def test_the_coachs_safety_help_is_escaped_in_the_notice(store, client):
    store.set_setting("safety_help", "<b>Call</b> <a href='javascript:x'>555</a>")
    app = open_app(store, client.code)
    walk_to(app, 5)
    widget_for(app, "felt_unsafe").value = "yes"
    notice = block_for(app, "felt_unsafe").notice.value
    assert "&lt;b&gt;Call&lt;/b&gt;" in notice
    assert "<a " not in notice


def test_the_notice_goes_when_the_answer_changes(app):
    walk_to(app, 5)
    widget_for(app, "felt_unsafe").value = "yes"
    widget_for(app, "felt_unsafe").value = "no"
    assert block_for(app, "felt_unsafe").notice.value == ""


# -- continuing a draft ----------------------------------------------------------------------


def stop_half_way(app: WorksheetApp) -> None:
    """Answer up to the role step, then go back from it: the client left on the self-check."""
    walk_to(app, 3)
    widget_for(app, "role").value = "starter"
    wizard_of(app).back.click()
    assert wizard_of(app).index == 2


def test_reopening_with_the_same_code_offers_to_continue(app, store, client):
    stop_half_way(app)
    again = open_app(store, client.code)
    assert again.state == "offering to continue a draft"
    assert "Welcome back, Zephyrine." in page_text(again)
    assert "You were on step 3 of 6." in page_text(again)


def test_continuing_resumes_on_the_saved_step(app, store, client):
    stop_half_way(app)
    again = open_app(store, client.code)
    button(again, "Continue where I left off").click()
    assert again.state == "in the worksheet"
    assert wizard_of(again).index == 2
    assert wizard_of(again).attempt.response.id == response_id(app)


def test_continuing_prefills_the_saved_answers(app, store, client):
    stop_half_way(app)
    again = open_app(store, client.code)
    button(again, "Continue where I left off").click()
    assert {key: widget_for(again, key).value for key in STEP_ANSWERS[2]} == STEP_ANSWERS[2]
    wizard_of(again).next.click()
    assert widget_for(again, "role").value == "starter"


def test_starting_again_gives_a_fresh_first_step(app, store, client):
    stop_half_way(app)
    again = open_app(store, client.code)
    button(again, "Start again").click()
    assert wizard_of(again).index == 0
    assert widget_for(again, "approach").value is None
    assert response_id(again) != response_id(app)


def test_a_page_that_reloads_itself_goes_straight_back_to_the_draft(app, store, client):
    stop_half_way(app)
    again = WorksheetApp(SHEET, store, client.code, resume=True)
    assert again.state == "in the worksheet"
    assert wizard_of(again).index == 2
    assert RESUMED in page_text(again)


def test_the_resume_flag_is_read_from_the_kernels_query():
    assert query_parameter("resume", "session=12&resume=1") == "1"
    assert query_parameter("resume", "session=12") is None


def test_a_draft_with_no_answers_opens_straight_away(app, store, client):
    again = open_app(store, client.code)
    assert again.state == "in the worksheet"
    assert response_id(again) == response_id(app)


# -- two tabs on one draft: the later one takes over, the earlier one stops and keeps its text ----


def escaped(text: str) -> str:
    return text.replace("'", "&#x27;")


def test_a_second_tab_takes_the_draft_over_and_the_first_stops(app, store, client):
    stop_half_way(app)
    second = open_app(store, client.code)
    button(second, "Continue where I left off").click()
    widget_for(app, "one_upmanship").value = False
    assert escaped(TAKEN_OVER) in wizard_of(app).message.value
    assert widget_for(app, "one_upmanship").value is False  # what was typed stays on the page
    assert wizard_of(app).next.disabled and wizard_of(app).back.disabled
    assert saved(app, store)["one_upmanship"] is True  # the first tab wrote nothing more


def test_the_stopped_tab_refuses_forged_moves(app, store, client):
    stop_half_way(app)
    second = open_app(store, client.code)
    button(second, "Continue where I left off").click()
    wizard_of(app).next.click()
    wizard_of(app).next.click()
    assert wizard_of(app).index == 2
    wizard_of(second).next.click()
    assert wizard_of(second).index == 3


def test_a_tab_whose_draft_was_finished_elsewhere_says_so(app, store, client):
    walk_to(app, 5)
    second = open_app(store, client.code)
    button(second, "Continue where I left off").click()
    fill(second, STEP_ANSWERS[5])
    wizard_of(second).next.click()
    assert second.state == "showing the summary"
    fill(app, STEP_ANSWERS[5])
    wizard_of(app).next.click()
    assert escaped(FINISHED_ELSEWHERE) in wizard_of(app).message.value
    assert app.state == "in the worksheet"


def test_a_page_whose_client_was_deleted_stops_kindly(app, store, client):
    stop_half_way(app)
    store.remove_client(client.id)
    wizard_of(app).next.click()
    assert escaped(GONE) in wizard_of(app).message.value
    assert SOMETHING_WENT_WRONG not in wizard_of(app).message.value


# -- the store failing -----------------------------------------------------------------------


def refuse_to_save(*args: Any, **kwargs: Any) -> None:
    raise StoreUnavailable("attempt to write a readonly database")


def test_a_failed_save_tells_the_client(app, store, monkeypatch):
    monkeypatch.setattr(store, "save_step", refuse_to_save)
    widget_for(app, "approach").value = "run"
    wizard_of(app).next.click()
    assert NOT_SAVED.replace("'", "&#x27;") in wizard_of(app).message.value


def test_a_failed_save_stays_on_the_step_with_the_typed_value(app, store, monkeypatch):
    walk_to(app, 4)
    monkeypatch.setattr(store, "save_step", refuse_to_save)
    fill(app, {"frequency": "weekly", "recent_fight": "What I typed"})
    wizard_of(app).next.click()
    assert wizard_of(app).index == 4
    assert widget_for(app, "recent_fight").value == "What I typed"
    assert widget_for(app, "frequency").value == "weekly"
    assert "recent_fight" not in saved(app, store)


def test_a_failed_save_leaves_the_buttons_usable(app, store, monkeypatch):
    monkeypatch.setattr(store, "save_step", refuse_to_save)
    widget_for(app, "approach").value = "run"
    wizard_of(app).next.click()
    wizard = wizard_of(app)
    assert not wizard.busy
    assert not wizard.next.disabled
    assert not wizard.back.disabled


def test_saving_works_again_once_the_store_is_back(app, store, monkeypatch):
    monkeypatch.setattr(store, "save_step", refuse_to_save)
    widget_for(app, "approach").value = "run"
    wizard_of(app).next.click()
    monkeypatch.undo()
    wizard_of(app).next.click()
    assert wizard_of(app).index == 1
    assert saved(app, store) == {"approach": "run"}


def test_a_failed_finish_keeps_the_draft_and_the_page(app, store, monkeypatch):
    walk_to(app, 5)
    monkeypatch.setattr(store, "complete_response", refuse_to_save)
    fill(app, {"felt_unsafe": "no"})
    wizard_of(app).next.click()
    assert app.state == "in the worksheet"
    assert wizard_of(app).index == 5
    assert widget_for(app, "felt_unsafe").value == "no"
    assert store.get_response(response_id(app)).status == "draft"
    assert NOT_SAVED.replace("'", "&#x27;") in wizard_of(app).message.value


# -- unexpected errors -----------------------------------------------------------------------


def blow_up(*args: Any, **kwargs: Any) -> None:
    raise RuntimeError("secret detail in /srv/coachkit/store.py line 42")


def assert_no_error_details(app: WorksheetApp) -> None:
    text = page_text(app)
    for leak in ["Traceback", "RuntimeError", "secret detail", "/srv/coachkit", "line 42"]:
        assert leak not in text


def test_an_error_in_a_wizard_callback_shows_the_generic_message(app, store, monkeypatch):
    monkeypatch.setattr(store, "save_step", blow_up)
    widget_for(app, "approach").value = "run"
    wizard_of(app).next.click()
    assert SOMETHING_WENT_WRONG in wizard_of(app).message.value
    assert wizard_of(app).index == 0


def test_an_error_in_a_wizard_callback_shows_no_details(app, store, monkeypatch):
    monkeypatch.setattr(store, "save_step", blow_up)
    widget_for(app, "approach").value = "run"
    wizard_of(app).next.click()
    assert_no_error_details(app)


def test_an_error_in_a_wizard_callback_leaves_the_buttons_usable(app, store, monkeypatch):
    monkeypatch.setattr(store, "save_step", blow_up)
    widget_for(app, "approach").value = "run"
    wizard_of(app).next.click()
    assert not wizard_of(app).busy
    assert not wizard_of(app).next.disabled


def test_an_error_in_a_page_button_shows_the_generic_message(app, store, client, monkeypatch):
    stop_half_way(app)
    again = open_app(store, client.code)
    monkeypatch.setattr(again, "run", blow_up)
    button(again, "Continue where I left off").click()
    assert again.state == "showing a problem"
    assert SOMETHING_WENT_WRONG.replace("'", "&#x27;") in page_text(again)
    assert_no_error_details(again)


# -- a step asked only when an earlier answer calls for it -----------------------------------------


def test_a_yes_to_the_safety_question_adds_a_step_at_once(app):
    walk_to(app, 5)
    assert wizard_of(app).next.description == "Finish"
    widget_for(app, "felt_unsafe").value = "yes"
    assert wizard_of(app).next.description == "Next"
    assert "Step 6 of 7" in wizard_of(app).header.value
    wizard_of(app).next.click()
    assert wizard_of(app).index == 6
    assert "Step 7 of 7" in wizard_of(app).header.value


def test_answers_on_a_step_that_no_longer_applies_are_not_kept(app, store):
    walk_to(app, 5)
    fill(app, {"felt_unsafe": "yes"})
    wizard_of(app).next.click()
    fill(app, {"safe_place_known": True})
    wizard_of(app).back.click()
    fill(app, {"felt_unsafe": "no"})
    wizard_of(app).next.click()
    assert app.state == "showing the summary"
    assert "safe_place_known" not in saved(app, store)


# -- private answers are not shown again until the client types their code ---------------------------


def reopen_at_the_safety_step(app, store, client, answer: str = "yes") -> WorksheetApp:
    walk_to(app, 5)
    fill(app, {"felt_unsafe": answer})
    wizard_of(app).back.click()
    wizard_of(app).next.click()
    again = WorksheetApp(SHEET, store, client=client)  # opened by a link: the code was not typed
    button(again, "Continue where I left off").click()
    assert wizard_of(again).index == 5
    return again


def test_a_reopened_draft_does_not_show_a_private_answer(app, store, client):
    again = reopen_at_the_safety_step(app, store, client)
    block = block_for(again, "felt_unsafe")
    assert block.concealed
    assert widget_for(again, "felt_unsafe").value is None
    assert "it isn&#x27;t shown here" in block.view.children[0].value
    assert "Yes" not in " ".join(texts(block.view))


def test_a_concealed_answer_is_kept_when_the_client_moves_on(app, store, client):
    again = reopen_at_the_safety_step(app, store, client)
    wizard_of(again).next.click()
    assert wizard_of(again).index == 6  # the "yes" still counts
    assert saved(again, store)["felt_unsafe"] == "yes"


def test_typing_the_code_shows_the_private_answer_again(app, store, client):
    again = reopen_at_the_safety_step(app, store, client)
    block_for(again, "felt_unsafe").reveal_button.click()
    [check] = [child for child in wizard_of(again).body.children if "ck-identity" in child._dom_classes]
    box = next(child for child in check.children if isinstance(child, w.Text))
    box.value = client.code.lower().replace("-", " ")
    button(again, "Show my answers").click()
    assert not block_for(again, "felt_unsafe").concealed
    assert widget_for(again, "felt_unsafe").value == "yes"


def test_a_wrong_code_shows_nothing(app, store, client):
    again = reopen_at_the_safety_step(app, store, client)
    block_for(again, "felt_unsafe").reveal_button.click()
    [check] = [child for child in wizard_of(again).body.children if "ck-identity" in child._dom_classes]
    next(child for child in check.children if isinstance(child, w.Text)).value = "AAAA-BBBB-CCCC"
    button(again, "Show my answers").click()
    assert block_for(again, "felt_unsafe").concealed
    assert "doesn&#x27;t match" in " ".join(texts(check))


def test_finishing_a_reopened_draft_asks_for_the_code_before_the_summary(app, store, client):
    again = reopen_at_the_safety_step(app, store, client, answer="no")
    wizard_of(again).next.click()
    assert again.state == "asking for the code before private answers"
    assert "Your safety comes first" not in page_text(again)
    assert store.get_response(response_id(again)).status == "completed"
    next(
        child for child in again.screen.children[1].children if isinstance(child, w.Text)
    ).value = client.code
    button(again, "Show my answers").click()
    assert again.state == "showing the summary"


def test_a_page_opened_with_the_code_typed_shows_the_private_answer(app, store, client):
    walk_to(app, 5)
    fill(app, {"felt_unsafe": "yes"})
    wizard_of(app).back.click()
    wizard_of(app).next.click()
    for again in (open_app(store, client.code), WorksheetApp(SHEET, store, client=client, revealed=True)):
        button(again, "Continue where I left off").click()
        assert not block_for(again, "felt_unsafe").concealed
        assert widget_for(again, "felt_unsafe").value == "yes"


def test_typing_the_code_on_a_worksheet_tells_the_page_around_it(app, store, client):
    typed: list[bool] = []
    walk_to(app, 5)
    fill(app, {"felt_unsafe": "yes"})
    wizard_of(app).back.click()
    wizard_of(app).next.click()
    again = WorksheetApp(SHEET, store, client=client, on_code_typed=lambda: typed.append(True))
    button(again, "Continue where I left off").click()
    block_for(again, "felt_unsafe").reveal_button.click()
    [check] = [child for child in wizard_of(again).body.children if "ck-identity" in child._dom_classes]
    next(child for child in check.children if isinstance(child, w.Text)).value = client.code
    button(again, "Show my answers").click()
    assert typed == [True]


def test_answers_given_on_this_page_are_never_concealed(app):
    walk_to(app, 5)
    fill(app, {"felt_unsafe": "yes"})
    wizard_of(app).back.click()
    wizard_of(app).next.click()
    assert not block_for(app, "felt_unsafe").concealed
    assert widget_for(app, "felt_unsafe").value == "yes"


# -- words of despair in any box --------------------------------------------------------------------


def test_words_of_despair_bring_crisis_help_under_the_box_at_once(app):
    walk_to(app, 4)
    widget_for(app, "recent_fight").value = "I can't see the point of going on"
    notice = block_for(app, "recent_fight").notice.value
    assert "you don&#x27;t have to face them alone" in notice
    assert "crisis line" in notice


def test_words_of_despair_are_flagged_and_put_crisis_help_first_on_the_summary(app, store):
    walk_to(app, 4)
    fill(app, {"frequency": "rarely", "recent_fight": "Some days I want to die."})
    wizard_of(app).next.click()
    assert "words_of_despair" in store.find_flags(response_id(app))
    fill(app, {"felt_unsafe": "no"})
    wizard_of(app).next.click()
    html = summary_html(app)
    assert html.index("You matter") < html.index("Thank you</h3>")
