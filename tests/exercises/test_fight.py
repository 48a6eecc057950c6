""" "Fight or make it right": the article's items, safety first, and feedback as pure functions of answers.

Every combination of side, safety answers and frequency is walked: with violence or fear there is no advice
for ordinary conflict, someone who chose not to say gets help and only advice that is safe either way, and
the one on the receiving end is never told that part of them is looking for a fight.
"""

from __future__ import annotations

import itertools
import re

import pytest

from coachkit.exercises import get_worksheet
from coachkit.worksheet import SingleChoice, YesNo, check_all, is_shown, shown_steps
from coachkit.worksheet.feedback import TONE_ORDER
from tests.exercises.cards import (
    CHANGE_HELP,
    CONTACT,
    HELP_TO_STOP,
    HURT,
    NOT_SAID,
    NOT_SAID_PHYSICAL,
    SAFETY_HELP,
    SAFETY_PLAN,
    card,
    field_of,
    text_of,
    titles,
)

SHEET = get_worksheet("fight-or-make-it-right")
SELF_CHECK = next(step for step in SHEET.steps if step.id == "self_check")
SELF_CHECK_IDS = [item.id for item in SELF_CHECK.fields]
ARTICLE_SELF_CHECK = [
    "Do you take some kind of pleasure in one-upmanship?",
    "Do you feel superior, strong, or clever when you are putting others down?",
    "Do you enjoy the battle, and have no problem bringing bigger and bigger weapons into it?",
    "Do you like to see if you can push someone into losing their cool?",
    "Do you feel powerful when you can get a rise out of someone, and then make them wrong for getting "
    "upset?",
]
"""The five questions, as the coach's article words them ("perverse" left out, as the worksheet does)."""
STARTER = "If you are the one who starts it"
RECEIVER = "If you are on the receiving end"
FREQUENT = "Fighting this often is a signal"
ANGER_PLAN_POINTER = "Next: your anger plan"
RECEIVING_END_POINTER = "Next: when a fight comes your way"
TALK_WITH_YOUR_COACH = "Next: talk with your coach"
REFUSING = "You can stop a fight by refusing to take part."
NOT_ALONE = "You don't have to carry this alone."
RUN_WHEN_UNSAFE = "When you feel unsafe, getting away is the right thing to do."
APPROACH_WORDS = {
    "expect": "expect a fight",
    "look": "look for a fight",
    "run": "run from a fight",
    "sidestep": "sidestep a fight",
}


def feedback(answers):  # type: ignore[no-untyped-def]
    return SHEET.feedback(answers)


def reflection(answers):  # type: ignore[no-untyped-def]
    return card(feedback(answers), "What you told us")


def self_check_feedback(answers):  # type: ignore[no-untyped-def]
    return card(feedback(answers), "Your self-check")


NOT_FREQUENT = ["rarely", "monthly"]
FREQUENT_ANSWERS = ["weekly", "several_a_week", "daily"]
ROLES = ["starter", "receiver", "both"]
SAFETY_ANSWERS = ["yes", "no", "rather_not_say"]

BLAMING = re.compile(
    r"abuser|abusive|toxic|disorder|narcissist|psychopath|sociopath|crazy|\bsick\b|(?<!not )your fault"
)
ORDINARY_CONFLICT = re.compile(
    r"both of you lose|refusing to take part|refuses to play|relationship help|your anger plan"
    r"|sidestepping the angry|sidesteps the angry|on sidestepping",
    re.IGNORECASE,
)
"""Advice for ordinary, mutual conflict: never given where there is violence or fear."""


def complete_answers(**overrides) -> dict:
    """A full, valid set of answers: calm, rare fights, nothing unsafe."""
    answers = {
        "felt_unsafe": "no",
        "safe_contact": "any",
        "role": "receiver",
        "approach": "sidestep",
        "fight_or_right": "right",
        **dict.fromkeys(SELF_CHECK_IDS, False),
        "frequency": "rarely",
    }
    return {**answers, **overrides}


def option_values(field_id: str) -> list[str]:
    item = SHEET.field(field_id)
    assert isinstance(item, SingleChoice)
    return [option.value for option in item.options]


def every_combination():
    """Every side, safety answer, physical answer (asked of those who start fights) and frequency."""
    for role, unsafe, physical, frequency, yes_count in itertools.product(
        ROLES, SAFETY_ANSWERS, [None, *SAFETY_ANSWERS], option_values("frequency"), [0, 2, 5]
    ):
        if (physical is None) != (role == "receiver"):
            continue
        yes = dict.fromkeys(SELF_CHECK_IDS, False) | dict.fromkeys(SELF_CHECK_IDS[:yes_count], True)
        answers = complete_answers(role=role, felt_unsafe=unsafe, frequency=frequency, **yes)
        if physical is not None:
            answers["been_physical"] = physical
        yield answers


COMBINATIONS = list(every_combination())


def in_danger(answers) -> bool:
    return answers["felt_unsafe"] == "yes" or answers.get("been_physical") == "yes"


def unsaid(answers) -> bool:
    return not in_danger(answers) and "rather_not_say" in (
        answers["felt_unsafe"],
        answers.get("been_physical"),
    )


# -- the article's items, and safety first ------------------------------------------------------


def test_the_worksheet_is_registered_by_id():
    assert get_worksheet("fight-or-make-it-right") is SHEET


def test_unknown_worksheet_id_names_the_known_ones():
    with pytest.raises(KeyError, match="fight-or-make-it-right"):
        get_worksheet("no-such-sheet")


def test_four_ways_to_meet_a_fight():
    assert option_values("approach") == ["expect", "look", "run", "sidestep"]


def test_the_instant_answer_is_fight_or_make_it_right():
    assert {"fight", "right"} <= set(option_values("fight_or_right"))


def test_the_five_self_check_questions_are_yes_no():
    step = next(step for step in SHEET.steps if step.id == "self_check")
    assert [item.id for item in step.fields] == SELF_CHECK_IDS
    assert all(isinstance(item, YesNo) for item in step.fields)
    assert [item.label for item in step.fields] == ARTICLE_SELF_CHECK


def test_three_roles():
    assert option_values("role") == ROLES


def test_safety_is_asked_first_of_everyone():
    first = SHEET.steps[0]
    assert first.fields[0].id == "felt_unsafe"
    assert first.fields[0] == field_of("my-anger-plan", "felt_unsafe")  # the same question everywhere
    assert first.shown_if is None and first.fields[0].required and first.fields[0].shown_if is None
    assert option_values("felt_unsafe") == SAFETY_ANSWERS


@pytest.mark.parametrize("answer", ["yes", "rather_not_say"])
def test_every_safety_answer_but_no_shows_where_to_get_help_at_once(answer):
    [notice] = [notice for notice in SHEET.field("felt_unsafe").notices if notice.applies(answer)]
    assert SAFETY_HELP in notice.text


def test_safety_answers_are_private():
    for field_id in ("felt_unsafe", "been_physical", "safe_contact", "contact_how"):
        assert SHEET.field(field_id).sensitive


def test_safe_contact_is_asked_of_everyone_so_asking_it_reveals_nothing():
    contact, how = SHEET.field("safe_contact"), SHEET.field("contact_how")
    assert contact.shown_if is None and contact.required
    assert is_shown(how, {"safe_contact": "some"}) and not is_shown(how, {"safe_contact": "any"})


def test_the_one_who_starts_fights_is_asked_whether_it_has_become_physical():
    physical = SHEET.field("been_physical")
    assert [is_shown(physical, {"role": role}) for role in ROLES] == [True, False, True]


def test_all_six_steps_are_shown_but_to_an_afraid_receiver():
    assert shown_steps(SHEET, complete_answers(role="both", felt_unsafe="yes")) == list(range(6))
    assert shown_steps(SHEET, complete_answers(role="receiver", felt_unsafe="no")) == list(range(6))
    # Someone on the receiving end who is afraid is not asked how they look for a fight.
    assert shown_steps(SHEET, complete_answers(role="receiver", felt_unsafe="yes")) == [0, 1, 2, 5]


def test_complete_answers_pass_the_final_check():
    assert check_all(SHEET, complete_answers()) == {}
    assert check_all(SHEET, complete_answers(role="starter")) == {
        "been_physical": "Please choose one of the options."
    }


def test_the_recent_fight_questions_are_optional():
    assert not SHEET.field("recent_fight").required
    assert not SHEET.field("making_it_right").required


# -- with violence or fear, only safety and help --------------------------------------------------


@pytest.mark.parametrize("answers", [a for a in COMBINATIONS if in_danger(a)], ids=str)
def test_with_violence_or_fear_no_ordinary_conflict_advice(answers):
    items = feedback(answers)
    assert items[0].tone == "safety"
    assert not ORDINARY_CONFLICT.search(text_of(items))
    assert CONTACT in titles(items)
    for pointer in (ANGER_PLAN_POINTER, RECEIVING_END_POINTER, FREQUENT, RECEIVER):
        assert pointer not in titles(items)
    assert [link for link in SHEET.next_links if is_shown(link, answers)] == []


@pytest.mark.parametrize("role", ROLES)
def test_a_fight_that_turned_physical_brings_a_safety_plan_that_says_it_is_not_their_fault(role):
    answers = complete_answers(role=role, felt_unsafe="yes", frequency="daily")
    items = feedback(answers)
    assert items[0].title == SAFETY_PLAN
    assert "If someone has hurt or frightened you, it is not your fault." in items[0].text
    assert SAFETY_HELP in items[0].text
    for words in ("where you could go", "phone", "keys", "leave if you can"):
        assert words in items[0].text


def test_anger_that_became_physical_points_to_specialist_help():
    items = feedback(complete_answers(role="starter", been_physical="yes"))
    assert CHANGE_HELP in card(items, HELP_TO_STOP).text
    assert ANGER_PLAN_POINTER not in titles(items)
    assert "not your fault" not in text_of(items)  # never said to someone who was physical


def test_running_from_a_fight_is_the_right_thing_when_unsafe():
    item = reflection(complete_answers(felt_unsafe="yes", approach="run"))
    assert RUN_WHEN_UNSAFE in item.text


def test_violence_typed_in_a_box_withholds_ordinary_advice_and_brings_help_first():
    answers = complete_answers(recent_fight="He hit me and threatened to kill me", frequency="weekly")
    assert SHEET.values(answers)["unsaid"] and not SHEET.values(answers)["safe"]
    items = SHEET.summary_feedback(answers)
    assert items[0].title == HURT
    assert REFUSING not in text_of(items) and RECEIVING_END_POINTER not in titles(items)
    assert [link for link in SHEET.next_links if is_shown(link, answers)] == []
    assert "words_of_danger" in SHEET.flags(answers)


# -- "I'd rather not say" is met with help and a gentle flag --------------------------------------


@pytest.mark.parametrize("answers", [a for a in COMBINATIONS if unsaid(a)], ids=str)
def test_rather_not_say_gets_help_first_and_no_mutual_conflict_advice(answers):
    items = feedback(answers)
    assert items[0].tone == "safety"
    assert items[0].title in (NOT_SAID, NOT_SAID_PHYSICAL)
    text = text_of(items)
    assert "both of you lose" not in text and "relationship help" not in text
    assert ANGER_PLAN_POINTER not in titles(items) and REFUSING not in text


def test_rather_not_say_is_flagged_gently():
    assert SHEET.flags(complete_answers(felt_unsafe="rather_not_say")) == {"safety_not_said"}
    assert SHEET.flag_rule("safety_not_said").level == "gentle"
    assert SHEET.flags(complete_answers(role="starter", been_physical="rather_not_say")) == {
        "physical_not_said"
    }


# -- where things are safe: the article's advice ------------------------------------------------------


@pytest.mark.parametrize("answers", [a for a in COMBINATIONS if not in_danger(a) and not unsaid(a)], ids=str)
def test_where_it_is_safe_the_articles_advice_follows_the_side_and_frequency(answers):
    items = feedback(answers)
    role, frequent = answers["role"], answers["frequency"] in FREQUENT_ANSWERS
    assert all(item.tone != "safety" for item in items)
    assert ("relationship help now" in text_of(items)) is frequent
    assert (STARTER in titles(items)) is (role in ("starter", "both"))
    assert (REFUSING in text_of(items)) is (role in ("receiver", "both"))
    assert (ANGER_PLAN_POINTER in titles(items)) is (role in ("starter", "both"))
    assert (RECEIVING_END_POINTER in titles(items)) is (role in ("receiver", "both"))
    linked = {link.worksheet_id for link in SHEET.next_links if is_shown(link, answers)}
    assert ("my-anger-plan" in linked) is (role in ("starter", "both"))
    assert ("on-the-receiving-end" in linked) is (role in ("receiver", "both"))


# -- the self-check speaks differently to the one on the receiving end ----------------------------


@pytest.mark.parametrize("yes_count", [1, 3, 5])
def test_the_receiver_is_never_told_part_of_them_looks_for_a_fight(yes_count):
    answers = complete_answers(**dict.fromkeys(SELF_CHECK_IDS[:yes_count], True))
    item = self_check_feedback(answers)
    assert f"{yes_count} of the five sounded familiar" in item.text
    assert "looking for a fight" not in item.text
    assert "not the same as starting" in item.text


def test_the_one_who_starts_it_hears_the_articles_reading():
    item = self_check_feedback(complete_answers(role="starter", superior=True))
    assert "part of you may be looking for a fight" in item.text


def test_both_hears_it_for_the_fights_they_start_only():
    item = self_check_feedback(complete_answers(role="both", superior=True))
    assert "In the fights you start" in item.text and "not the same as starting it" in item.text


def test_no_yes_points_towards_making_it_right():
    item = self_check_feedback(complete_answers())
    assert "None of the five" in item.text


def test_the_self_check_counts_only_true():
    assert SHEET.values({"one_upmanship": True, "superior": "yes", "bigger_weapons": 1})["self_check"] == 1


# -- what they told us is said back ------------------------------------------------------------------


@pytest.mark.parametrize("approach", ["expect", "look", "run", "sidestep"])
@pytest.mark.parametrize("instant", ["fight", "right", "unsure"])
def test_the_way_they_meet_a_fight_and_their_instant_answer_are_reflected(approach, instant):
    item = reflection(complete_answers(approach=approach, fight_or_right=instant))
    assert item.text.startswith(f"You said you usually {APPROACH_WORDS[approach]}. ")
    said = {"fight": "looking for a fight", "right": "trying to make things right", "unsure": "not sure yet"}
    assert "You also said" in item.text and said[instant] in item.text


def test_reflection_comes_before_advice():
    shown = titles(feedback(complete_answers(role="both", frequency="daily")))
    assert shown.index("What you told us") < shown.index(FREQUENT) < shown.index(STARTER)


# -- flags -----------------------------------------------------------------------------------------


def test_no_flags_for_calm_answers():
    assert SHEET.flags(complete_answers()) == set()


@pytest.mark.parametrize(
    ("overrides", "flags"),
    [
        ({"felt_unsafe": "yes"}, {"safety"}),
        ({"role": "starter", "been_physical": "yes"}, {"physical_harm"}),
        ({"frequency": "weekly"}, {"frequent_fighting"}),
        ({"felt_unsafe": "yes", "frequency": "daily"}, {"safety", "frequent_fighting"}),
        ({"recent_fight": "Honestly I want to die"}, {"words_of_despair"}),
    ],
)
def test_each_flag_is_raised_by_its_answer(overrides, flags):
    assert SHEET.flags(complete_answers(**overrides)) == flags


def test_safety_and_physical_harm_are_risks_for_the_coach():
    assert {rule.id for rule in SHEET.all_flag_rules if rule.level == "risk"} == {
        "safety",
        "physical_harm",
        "words_of_despair",
        "words_of_danger",
    }


# -- feedback as a whole -----------------------------------------------------------------------------


def test_feedback_is_always_in_reading_order_and_never_blames():
    for answers in COMBINATIONS:
        items = feedback(answers)
        order = [TONE_ORDER[item.tone] for item in items]
        assert order == sorted(order)
        assert not BLAMING.search(text_of(items).casefold())


def test_feedback_for_no_answers_offers_help_and_no_ordinary_advice():
    items = feedback({})
    assert not ORDINARY_CONFLICT.search(text_of(items))
    assert TALK_WITH_YOUR_COACH in titles(items)


def test_feedback_is_a_pure_function_of_the_answers():
    answers = complete_answers(felt_unsafe="yes")
    before = dict(answers)
    assert feedback(answers) == feedback(answers)
    assert answers == before


def test_the_questions_never_diagnose_or_blame():
    texts = [SHEET.title, SHEET.intro]
    for step in SHEET.steps:
        texts += [step.title, step.intro]
        for item in step.fields:
            texts += [item.label, item.help, *(notice.text for notice in item.notices)]
            texts += [option.label for option in getattr(item, "options", ())]
    assert not BLAMING.search(" ".join(texts).casefold())
