"""The anger plan and its practice log put safety first and follow how time-outs work in practice.

Every combination of both safety answers and the plan's choices is walked: for the one who was hurt or is
afraid nothing sends them back to talk at a set time; the one who hurt a partner gets the whole time-out,
a return of their own to check in, specialist help and never the victim's plan; every card carries the
time-out rules and no safety details.
"""

from __future__ import annotations

import itertools

import pytest

from coachkit.exercises import get_worksheet
from coachkit.worksheet import Feedback, check_all, check_step, is_shown, shown_steps
from tests.exercises.cards import (
    CHANGE_HELP,
    HELP_TO_STOP,
    NOT_SAID,
    PLAN_NOW,
    SAFETY_HELP,
    SAFETY_PLAN,
    VICTIMS_PLAN,
    field_of,
    option_values,
    text_of,
    titles,
)
from tests.exercises.test_anger_plan import practice

PLAN = get_worksheet("my-anger-plan")
LOG = get_worksheet("anger-plan-practice")
SAFETY_ANSWERS = ["yes", "no", "rather_not_say"]
BACK_TO_TALK = ("I'll be back", "talk about this then", "agree on a good time", "partner at a calm moment")
SAFETY_DETAILS = ("safe", "shelter", "emergency", "afraid", "physical", "hurt")
SAFE_COME_BACK = "We can talk about this another time, when things are calm."
"""The fourth statement when a fight has turned physical or frightening, or sharing the plan wouldn't feel
safe: no set hour to come back and talk."""
BREAK_RULES = "During my break:"
"""How the card's line about the break starts (no driving, alcohol or drugs, or going over the fight)."""
NOT_DURING_A_BREAK = (
    "During a break, please leave out driving, alcohol and drugs: anger and those don't mix safely. If "
    "yours has none of those and we misread it, try other words, or pick a choice above."
)
STAYING_SAFE = Feedback(
    "next_step",
    "Your plan is about staying safe",
    "Say these to yourself, or out loud if that feels safe, as soon as anger rises, and leave if you need "
    "to. Your plan doesn't ask you to come back and talk at a set time. Whenever you take a break, take "
    "at least twenty minutes, and don't drive, drink or take drugs during it.",
)
FOR_YOU = "A plan for you to follow"
CHECK_IN = "I'll be back in 30 minutes to check in. We can talk about this when we're both ready."
"""The fourth statement for the one who hurt a partner: back at their own time, the partner decides."""
AT_LEAST_TWENTY = "My break lasts at least twenty minutes."
KEEP_IT_TO_YOURSELF = Feedback(
    "safety",
    "Keep this plan to yourself for now",
    "You said it wouldn't feel safe to talk this plan through with your partner. Please trust that "
    "feeling: keep the plan to yourself for now, and talk it over with your coach first. " + SAFETY_HELP,
)
WHAT_NOW = Feedback(
    "next_step",
    "What now",
    "Your safety comes first. Talk with your coach about what happened; nothing here asks you to talk "
    "it through with your partner.",
)
WHAT_NOW_TO_STOP = Feedback(
    "next_step",
    "What now",
    "Please talk with your coach about what happened, and about specialist help to stop. Stay away until "
    "you are calm, and don't go back over it with your partner unless they want to.",
)
ABOUT_THE_BREAK = Feedback(
    "attention",
    "About the break",
    "Driving, drinking or going over the fight in your head keeps anger going. Next time, try "
    "something that calms your body, like a walk, for twenty minutes or more.",
)
UNSAFE_BEFORE = Feedback(
    "next_step",
    "If things ever feel unsafe",
    "If things ever feel unsafe again, help is there. " + SAFETY_HELP,
)
PLAN_WORKING = Feedback(
    "insight",
    "How it went",
    "You noticed, said your statements and came back when you said. That is the plan working.",
)


def plan_answers(**overrides) -> dict:
    answers = {
        "been_hurt": "no",
        "hurt_partner": "no",
        "safe_contact": "any",
        "signs": ["heart"],
        "calm_action": "walk",
        "back_how": "in_minutes",
        "back_minutes": "30",
        "not_ready": "say_so",
        "share_plan": "yes",
    }
    return {**answers, **overrides}


def every_plan():
    for hurt, hurt_partner, carried, share in itertools.product(
        SAFETY_ANSWERS, SAFETY_ANSWERS, [None, "yes", "no"], ["yes", "not_yet", "not_safe"]
    ):
        answers = plan_answers(been_hurt=hurt, hurt_partner=hurt_partner, share_plan=share)
        if carried is not None:
            answers["unsafe_this_time"] = carried  # the latest practice log's answer, carried in
        yield answers


PLANS = list(every_plan())


def hurt_me(answers) -> bool:
    return "yes" in (answers["been_hurt"], answers.get("unsafe_this_time"))


def hurt_them(answers) -> bool:
    return answers["hurt_partner"] == "yes"


def feedback_text(answers) -> str:  # type: ignore[no-untyped-def]
    return text_of(PLAN.feedback(answers))


def plan_sentences(answers) -> list[str]:  # type: ignore[no-untyped-def]
    return PLAN.steps[-1].preview(answers)


def card_lines(answers) -> list[str]:  # type: ignore[no-untyped-def]
    return PLAN.takeaway.lines(answers)


def break_rules(lines: list[str]) -> list[str]:
    """The card's line about the break (none, or one)."""
    return [line for line in lines if line.startswith(BREAK_RULES)]


# -- asked first -------------------------------------------------------------------------------


def test_the_plan_asks_about_safety_first():
    first = PLAN.steps[0]
    assert [item.id for item in first.fields] == ["been_hurt", "hurt_partner", "safe_contact", "contact_how"]
    assert first.fields[0].required and first.fields[1].required


def test_the_plan_reads_the_latest_practice_logs_safety_answers():
    assert PLAN.carries == ("unsafe_this_time", "physical_this_time")
    assert PLAN.values(plan_answers(unsafe_this_time="yes"))["hurt_me"]
    assert PLAN.values(plan_answers(physical_this_time="yes"))["hurt_them"]
    assert not PLAN.values(plan_answers())["danger"]


# -- the one who was hurt or is afraid: a plan for staying safe ------------------------------------


@pytest.mark.parametrize("answers", [a for a in PLANS if hurt_me(a)], ids=str)
def test_for_the_one_who_was_hurt_nothing_sends_them_back_to_talk(answers):
    assert not is_shown(PLAN.steps[4], answers)  # "I'll be back at __ o'clock"
    assert is_shown(PLAN.steps[5], answers)  # staying safe
    sentences = plan_sentences(answers)
    assert sentences[3] == SAFE_COME_BACK
    said = " ".join([*sentences, *card_lines(answers), feedback_text(answers)])
    for words in BACK_TO_TALK:
        assert words not in said
    assert STAYING_SAFE in PLAN.feedback(answers)
    assert FOR_YOU not in titles(PLAN.feedback(answers))
    assert [link for link in PLAN.next_links if is_shown(link, answers)] == []


# -- the one who hurt a partner: the whole time-out, a return of their own, help to stop -----------


@pytest.mark.parametrize("answers", [a for a in PLANS if hurt_them(a) and not hurt_me(a)], ids=str)
def test_for_the_one_who_hurt_a_partner_a_time_out_with_a_return_of_their_own(answers):
    assert is_shown(PLAN.steps[4], answers)  # they say when they will be back: never open-ended
    assert not is_shown(PLAN.steps[5], answers)  # not asked where *they* could go to be safe
    items = PLAN.feedback(answers)
    assert HELP_TO_STOP in titles(items) and CHANGE_HELP in text_of(items)
    assert FOR_YOU in titles(items) and STAYING_SAFE not in items
    text = " ".join([*plan_sentences(answers), *card_lines(answers), text_of(items)])
    assert not [words for words in VICTIMS_PLAN if words in text]
    if answers["share_plan"] != "not_safe":
        assert plan_sentences(answers)[3] == CHECK_IN
        assert "practice" in {
            link.worksheet_id.split("-")[-1] for link in PLAN.next_links if is_shown(link, answers)
        }


@pytest.mark.parametrize("answers", PLANS, ids=str)
def test_every_card_carries_the_time_out_rules_and_never_safety_details(answers):
    lines = card_lines(answers)
    card = " ".join(lines).lower()
    for word in SAFETY_DETAILS:
        assert word not in card
    assert AT_LEAST_TWENTY in lines
    [rules] = break_rules(lines)
    for rule in ("no driving", "no alcohol or drugs", "no going over the fight"):
        assert rule in rules


def test_when_sharing_it_would_not_feel_safe_the_plan_sets_no_time_to_come_back():
    answers = plan_answers(share_plan="not_safe")
    assert plan_sentences(answers)[3] == SAFE_COME_BACK
    assert not [line for line in card_lines(answers) if "If I'm not calm yet" in line]
    assert [link for link in PLAN.next_links if is_shown(link, answers)] == []


@pytest.mark.parametrize(
    "answers",
    [a for a in PLANS if not hurt_me(a) and not hurt_them(a) and a["share_plan"] != "not_safe"],
    ids=str,
)
def test_otherwise_the_plan_is_built_on_a_time_out(answers):
    assert shown_steps(PLAN, answers) == [0, 1, 2, 3, 4, 6]
    assert plan_sentences(answers)[3] == "I'll be back in 30 minutes and we can talk about this then."
    card = card_lines(answers)
    assert "If I'm not calm yet when it's time, I'll say so, and we'll agree a new time." in card
    assert ("My partner and I have talked this plan through at a calm moment." in card) is (
        answers["share_plan"] == "yes"
    )


def test_the_return_time_is_the_clients_own():
    answers = plan_answers(back_how="at_time", back_time="19:30")
    assert plan_sentences(answers)[3] == "I'll be back at 7:30 pm and we can talk about this then."
    assert plan_sentences({**answers, "hurt_partner": "yes"})[3] == (
        "I'll be back at 7:30 pm to check in. We can talk about this when we're both ready."
    )


def test_anger_that_has_become_physical_points_to_specialist_help_and_flags_the_coach():
    answers = plan_answers(hurt_partner="yes")
    assert HELP_TO_STOP in titles(PLAN.feedback(answers))
    assert "hurt_a_partner" in PLAN.flags(answers)
    assert PLAN.flag_rule("hurt_a_partner").level == "danger"


def test_someone_hurt_or_frightened_gets_the_safety_plan_first():
    items = PLAN.feedback(plan_answers(been_hurt="yes"))
    assert (items[0].tone, items[0].title) == ("safety", SAFETY_PLAN)
    assert "hurt_by_someone" in PLAN.flags(plan_answers(been_hurt="yes"))


def test_knowing_nowhere_safe_to_go_asks_for_a_plan_and_flags_the_coach():
    answers = plan_answers(been_hurt="yes", safe_place_known=False, someone_to_call=True)
    assert PLAN_NOW in titles(PLAN.feedback(answers))
    assert "nowhere_safe" in PLAN.flags(answers)


# -- sharing the plan, where that is safe ---------------------------------------------------------


def test_when_sharing_the_plan_would_not_feel_safe_it_stays_private_and_the_coach_is_told():
    answers = plan_answers(share_plan="not_safe")
    items = PLAN.feedback(answers)
    assert items[0] == KEEP_IT_TO_YOURSELF
    assert "partner at a calm moment" not in feedback_text(answers)
    assert "unsafe_to_share" in PLAN.flags(answers)


@pytest.mark.parametrize("share", ["yes", "not_yet"])
def test_otherwise_talking_it_through_beforehand_is_suggested(share):
    assert "partner at a calm moment" in feedback_text(plan_answers(share_plan=share))


# -- during the break: no driving, no alcohol or drugs ---------------------------------------------


@pytest.mark.parametrize(
    "activity",
    [
        "drive around for a bit",
        "go for a drive",
        "sit in the car",
        "have a beer",
        "grab a drink",
        "go to the pub",
        "smoke a joint",
        "get high",
    ],
)
def test_an_activity_with_driving_alcohol_or_drugs_is_refused_kindly(activity):
    withdraw = PLAN.steps[3]
    checked = check_step(withdraw, {"calm_action": "own", "own_action": activity}, {})
    assert checked.errors == {"own_action": NOT_DURING_A_BREAK}
    assert "please leave out driving, alcohol and drugs" in checked.errors["own_action"]


@pytest.mark.parametrize(
    "activity",
    [
        "make a cup of tea",
        "have a drink of water",
        "walk down the driveway",
        "drinking tea in the garden",
        "play the guitar",
    ],
)
def test_calming_activities_are_accepted(activity):
    checked = check_step(PLAN.steps[3], {"calm_action": "own", "own_action": activity}, {})
    assert checked.ok and checked.clean["own_action"] == activity


def test_every_break_is_at_least_twenty_minutes():
    assert min(int(value) for value in option_values(PLAN, "back_minutes")) == 20
    assert "twenty minutes" in PLAN.steps[4].intro


# -- the practice log ---------------------------------------------------------------------------------


def test_the_log_asks_first_whether_anyone_got_hurt_or_was_afraid():
    first = LOG.steps[0]
    asked = first.fields[0]
    assert (asked.id, asked.label) == ("unsafe_this_time", "This time, were you hurt, or afraid?")
    # The same notices as the question asked in the plan: help at once, whatever the answer but no.
    assert asked.notices == field_of("my-anger-plan", "been_hurt").notices
    assert asked.required and asked.sensitive
    assert LOG.carries == ("been_hurt", "hurt_partner", "felt_unsafe", "been_physical")


@pytest.mark.parametrize(
    "overrides",
    [{"unsafe_this_time": "yes"}, {"been_hurt": "yes"}, {"felt_unsafe": "yes"}],
    ids=["hurt this time", "carried: hurt", "carried: the earlier question"],
)
def test_for_the_one_who_was_hurt_the_log_never_asks_about_coming_back_to_talk(overrides):
    answers = practice(**overrides)
    came_back, talk = LOG.field("came_back_on_time"), LOG.field("talk_went")
    assert not is_shown(came_back, answers) and not is_shown(talk, answers)
    complete = {**answers, "came_back_on_time": None, "talk_went": None}
    carried = {key: value for key, value in overrides.items() if key in LOG.carries}
    assert check_all(LOG, complete, carried) == {}
    text = text_of(LOG.feedback(answers))
    assert "talk it through with your partner" not in text.replace(
        "nothing here asks you to talk it through", ""
    )


@pytest.mark.parametrize("overrides", [{"hurt_partner": "yes"}, {"physical_this_time": "yes"}])
def test_the_one_who_hurt_is_asked_whether_they_came_back_when_they_said(overrides):
    assert is_shown(LOG.field("came_back_on_time"), practice(**overrides))


@pytest.mark.parametrize(
    ("field_id", "what_now"), [("unsafe_this_time", WHAT_NOW), ("physical_this_time", WHAT_NOW_TO_STOP)]
)
def test_after_an_argument_where_someone_was_hurt_only_safety_and_what_now(field_id, what_now):
    items = LOG.feedback(practice(**{field_id: "yes", "kept_break": "no"}))
    assert items[0].tone == "safety"
    assert items[-1] == what_now
    assert ABOUT_THE_BREAK.title not in titles(items)
    assert (HELP_TO_STOP in titles(items)) is (field_id == "physical_this_time")


def test_anger_that_became_physical_this_time_is_never_told_it_is_not_their_fault():
    answers = practice(physical_this_time="yes")
    text = text_of(LOG.feedback(answers))
    assert "not your fault" not in text
    assert "physical_harm" in LOG.flags(answers)


def test_an_earlier_answer_adds_one_line_not_the_whole_plan_every_time():
    items = LOG.feedback(practice(been_hurt="yes"))
    assert UNSAFE_BEFORE in items
    assert SAFETY_PLAN not in titles(items)
    assert items[0].title == "How it went"
    earlier = LOG.feedback(practice(hurt_partner="yes"))
    assert "If it ever gets close" in titles(earlier) and UNSAFE_BEFORE not in earlier
    assert HELP_TO_STOP not in titles(earlier) and items[0].title == "How it went"


def test_someone_hurt_this_time_is_a_risk_flag_and_rather_not_say_a_gentle_one():
    assert LOG.flags(practice(unsafe_this_time="yes")) == {"safety"}
    assert LOG.flags(practice(unsafe_this_time="rather_not_say")) == {"safety_not_said"}
    items = LOG.feedback(practice(unsafe_this_time="rather_not_say"))
    not_said = [item for item in items if item.title == NOT_SAID]
    assert [item.tone for item in not_said] == ["safety"]
    assert "whether you were hurt or afraid this time" in not_said[0].text


@pytest.mark.parametrize("kept", ["partly", "no"])
def test_a_break_that_was_not_a_calming_one_gets_a_gentle_word(kept):
    assert ABOUT_THE_BREAK in LOG.feedback(practice(kept_break=kept))


def test_a_calm_log_gets_its_encouragement_only():
    assert LOG.feedback(practice()) == [PLAN_WORKING]
