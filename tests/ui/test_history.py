"""The client's own history: every finished worksheet readable again, private answers behind their code."""

from __future__ import annotations

import ipywidgets as w
import pytest

from coachkit.attempt import Attempt
from coachkit.exercises import get_worksheet
from coachkit.ui.client import SIGNED_OUT, ClientApp, open_client_page
from coachkit.ui.history import NOTHING_YET, PRIVATE, PRIVATE_TITLE, HistoryPage

FIGHT = get_worksheet("fight-or-make-it-right")
PLAN = get_worksheet("my-anger-plan")
CALM_FIGHT = {
    "been_hurt": "no",
    "role": "receiver",
    "approach": "run",
    "fight_or_right": "right",
    **dict.fromkeys(
        ("one_upmanship", "superior", "bigger_weapons", "push_to_lose_cool", "rise_then_wrong"), False
    ),
    "frequency": "monthly",
    "recent_fight": "<b>Dishes</b> again",
}
PLAN_ANSWERS = {
    "been_hurt": "no",
    "hurt_partner": "no",
    "signs": ["heart"],
    "calm_action": "walk",
    "back_how": "agree",
    "not_ready": "say_so",
    "share_plan": "yes",
}


@pytest.fixture
def client(store):
    return store.add_client("Robin Example")


def complete(store, client, sheet, answers) -> Attempt:
    attempt = Attempt.start(store, sheet, client)
    for index, step in enumerate(sheet.steps):
        attempt.save_step(index, {item.id: answers.get(item.id) for item in step.fields}, index + 1)
    attempt.complete({})
    return attempt


def html_of(page: HistoryPage) -> str:
    return "".join(child.value for child in page.screen.children if isinstance(child, w.HTML))


def buttons_of(page: HistoryPage) -> dict[str, w.Button]:
    """The page's buttons that open another page, by label."""
    found: dict[str, w.Button] = {}

    def walk(widget: w.Widget) -> None:
        if isinstance(widget, w.Button) and "ck-link-button" in widget._dom_classes:
            found[widget.description] = widget
        for child in getattr(widget, "children", ()):
            walk(child)

    walk(page.screen)
    return found


def type_code(page: HistoryPage, code: str) -> None:
    [check] = [child for child in page.screen.children if "ck-identity" in child._dom_classes]
    next(child for child in check.children if isinstance(child, w.Text)).value = code
    next(child for child in check.children[-1].children if isinstance(child, w.Button)).click()


def test_nothing_yet_says_so(store, client):
    page = HistoryPage(store, client)
    assert NOTHING_YET in html_of(page)
    assert page.state == "0 finished, 0 unfinished"


def test_every_finished_worksheet_is_listed_newest_first_and_private_ones_stay_closed(store, client):
    complete(store, client, FIGHT, CALM_FIGHT)
    complete(store, client, PLAN, PLAN_ANSWERS)
    page = HistoryPage(store, client)
    html = html_of(page)
    assert page.state == "2 finished, 0 unfinished, private answers hidden"
    assert html.count(PRIVATE.replace("'", "&#x27;")) == 2
    assert html.count(PRIVATE_TITLE) == 2  # not even which worksheets they were
    assert "My anger plan" not in html and "Fight or make it right?" not in html
    assert "Dishes" not in html


def test_typing_the_code_opens_every_summary_and_card(store, client):
    complete(store, client, FIGHT, CALM_FIGHT)
    complete(store, client, PLAN, PLAN_ANSWERS)
    page = HistoryPage(store, client)
    type_code(page, client.code)
    html = html_of(page)
    assert page.state == "2 finished, 0 unfinished"
    assert "&lt;b&gt;Dishes&lt;/b&gt; again" in html  # escaped, as everywhere
    assert html.index("My anger plan") < html.index("Fight or make it right?")  # newest first
    assert "What you told us" in html  # the fight's feedback, as on the day
    assert "Download my card (PDF)" in html  # the anger plan's card
    assert "I am going to withdraw and calm down: I&#x27;m going to go for a walk." in html


def test_a_wrong_code_opens_nothing(store, client):
    complete(store, client, FIGHT, CALM_FIGHT)
    page = HistoryPage(store, client)
    type_code(page, "AAAA-BBBB-CCCC")
    assert "Dishes" not in html_of(page)


def test_unfinished_worksheets_link_back_to_where_they_left_off(store, client):
    draft = Attempt.start(store, FIGHT, client)
    draft.save_step(0, {"been_hurt": "no"}, 1)
    opened: list[str | None] = []
    page = HistoryPage(store, client, revealed=True, navigate=opened.append)
    button = buttons_of(page)["Fight or make it right? (not finished yet)"]
    assert "Carry on" in html_of(page)
    button.click()  # opens the worksheet in place: no address names it
    assert opened == ["fight-or-make-it-right"]


def test_an_unfinished_worksheet_with_private_answers_is_not_named_until_the_code_is_typed(store, client):
    """A link opens the page without the code: whoever holds the phone must not learn which worksheet
    holds private answers, finished or not."""
    draft = Attempt.start(store, FIGHT, client)
    draft.save_step(0, {"been_hurt": "yes"}, 1)
    typed: list[bool] = []
    page = HistoryPage(store, client, navigate=lambda _: None, on_code_typed=lambda: typed.append(True))
    assert page.state == "0 finished, 1 unfinished, private answers hidden"
    assert "Fight or make it right?" not in html_of(page)
    assert not any("Fight or make it right?" in label for label in buttons_of(page))
    type_code(page, client.code)
    assert typed == [True]
    assert "Fight or make it right? (not finished yet)" in buttons_of(page)


def test_the_other_worksheets_can_be_started_from_the_page(store, client):
    opened: list[str | None] = []
    page = HistoryPage(store, client, navigate=opened.append)
    assert "Worksheets from your coach" in html_of(page)
    buttons_of(page)[PLAN.title].click()
    assert opened == [PLAN.id]


def test_each_client_sees_only_their_own(store, client):
    other = store.add_client("Someone Else")
    complete(store, other, FIGHT, CALM_FIGHT)
    page = HistoryPage(store, client)
    assert page.state == "0 finished, 0 unfinished"


def test_the_page_opens_from_the_session_the_server_names(store, client, monkeypatch):
    session, _ = store.start_session(client.id)
    monkeypatch.setenv("QUERY_STRING", f"session={session.id}")
    app = open_client_page(store)
    assert isinstance(app, ClientApp)
    assert isinstance(app.current, HistoryPage)
    for query in ("session=999999", "session=x", "client=" + client.code, ""):
        monkeypatch.setenv("QUERY_STRING", query)
        page = open_client_page(store)
        assert page.state == "not signed in"
        assert SIGNED_OUT in html_of(page)
