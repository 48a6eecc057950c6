""" "Fight or make it right": the article's items, safety first, and feedback as pure functions of answers.

Every combination of side, both safety answers (hurt by someone; hurt a partner), frequency and self-check
is walked: with violence or fear there is no advice for ordinary conflict; the one who was hurt gets safety
planning and never the self-check; the one who hurt gets accountability and help to stop, never the
victim's plan; someone who is both gets both; someone who chose not to say gets help and only advice that
is safe either way; the one on the receiving end is never told that part of them is looking for a fight.
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
    COACH_TOLD,
    CONTACT,
    HELP_TO_STOP,
    HURT,
    NOT_SAID,
    NOT_SAID_PHYSICAL,
    SAFETY_HELP,
    SAFETY_PLAN,
    VICTIMS_PLAN,
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
PLAN_FOR_THEM = "Next: an anger plan, for you"
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
        "been_hurt": "no",
        "hurt_partner": "no",
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
    """Every side, answer to both safety questions, frequency and self-check count."""
    for role, hurt, hurt_partner, frequency, yes_count in itertools.product(
        ROLES, SAFETY_ANSWERS, SAFETY_ANSWERS, option_values("frequency"), [0, 2, 5]
    ):
        yes = dict.fromkeys(SELF_CHECK_IDS, False) | dict.fromkeys(SELF_CHECK_IDS[:yes_count], True)
        yield complete_answers(
            role=role, been_hurt=hurt, hurt_partner=hurt_partner, frequency=frequency, **yes
        )


COMBINATIONS = list(every_combination())


def hurt_me(answers) -> bool:
    return answers["been_hurt"] == "yes"


def hurt_them(answers) -> bool:
    return answers["hurt_partner"] == "yes"


def in_danger(answers) -> bool:
    return hurt_me(answers) or hurt_them(answers)


def unsaid(answers) -> bool:
    return not in_danger(answers) and "rather_not_say" in (answers["been_hurt"], answers["hurt_partner"])


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


def test_safety_is_asked_first_of_everyone_both_sides_apart():
    first = SHEET.steps[0]
    assert [item.id for item in first.fields[:2]] == ["been_hurt", "hurt_partner"]
    for item in first.fields[:2]:
        assert item == field_of("my-anger-plan", item.id)  # the same question everywhere
        assert item.required and item.shown_if is None
        assert option_values(item.id) == SAFETY_ANSWERS
    assert first.shown_if is None
    assert "hurt you or made you afraid" in first.fields[0].label
    assert "hurt or frightened a partner" in first.fields[1].label


@pytest.mark.parametrize("answer", ["yes", "rather_not_say"])
def test_every_safety_answer_but_no_shows_help_that_fits_the_side_at_once(answer):
    [hurt] = [notice for notice in SHEET.field("been_hurt").notices if notice.applies(answer)]
    [hurting] = [notice for notice in SHEET.field("hurt_partner").notices if notice.applies(answer)]
    assert SAFETY_HELP in hurt.text and CHANGE_HELP not in hurt.text
    assert CHANGE_HELP in hurting.text and SAFETY_HELP not in hurting.text
    assert "not your fault" not in hurting.text


def test_safety_answers_are_private():
    for field_id in ("been_hurt", "hurt_partner", "safe_contact", "contact_how"):
        assert SHEET.field(field_id).sensitive


def test_safe_contact_is_asked_of_everyone_so_asking_it_reveals_nothing():
    contact, how = SHEET.field("safe_contact"), SHEET.field("contact_how")
    assert contact.shown_if is None and contact.required
    assert is_shown(how, {"safe_contact": "some"}) and not is_shown(how, {"safe_contact": "any"})


@pytest.mark.parametrize("role", ROLES)
def test_someone_hurt_or_frightened_is_never_asked_how_they_look_for_a_fight(role):
    assert shown_steps(SHEET, complete_answers(role=role)) == list(range(6))
    assert shown_steps(SHEET, complete_answers(role=role, hurt_partner="yes")) == list(range(6))
    # Whatever their side ("Both, it depends" too): not the instant answer, not the self-check.
    assert shown_steps(SHEET, complete_answers(role=role, been_hurt="yes")) == [0, 1, 2, 5]


def test_complete_answers_pass_the_final_check():
    assert check_all(SHEET, complete_answers()) == {}
    assert check_all(SHEET, complete_answers(hurt_partner=None)) == {
        "hurt_partner": "Please choose one of the options."
    }


def test_the_recent_fight_questions_are_optional():
    assert not SHEET.field("recent_fight").required
    assert not SHEET.field("making_it_right").required


# -- with violence or fear, only what fits each side --------------------------------------------------


@pytest.mark.parametrize("answers", [a for a in COMBINATIONS if in_danger(a)], ids=str)
def test_with_violence_or_fear_no_ordinary_conflict_advice(answers):
    items = feedback(answers)
    assert items[0].tone == "safety"
    assert not ORDINARY_CONFLICT.search(text_of(items))
    assert CONTACT in titles(items)
    for pointer in (ANGER_PLAN_POINTER, RECEIVING_END_POINTER, FREQUENT, RECEIVER, STARTER):
        assert pointer not in titles(items)
    linked = [link.worksheet_id for link in SHEET.next_links if is_shown(link, answers)]
    # The one who hurt (and was not hurt) is offered the anger plan as a tool for themselves.
    assert linked == (["my-anger-plan"] if hurt_them(answers) and not hurt_me(answers) else [])
    assert (PLAN_FOR_THEM in titles(items)) is (hurt_them(answers) and not hurt_me(answers))


@pytest.mark.parametrize("answers", [a for a in COMBINATIONS if in_danger(a)], ids=str)
def test_each_side_gets_its_own_words_and_someone_who_is_both_gets_both(answers):
    items = feedback(answers)
    plan, stop = card(items, SAFETY_PLAN), card(items, HELP_TO_STOP)
    assert (plan is not None) is hurt_me(answers)
    assert (stop is not None) is hurt_them(answers)
    if plan is not None:
        assert "If someone has hurt or frightened you, it is not your fault." in plan.text
        assert SAFETY_HELP in plan.text
    if stop is not None:
        assert "violence, not a way of arguing" in stop.text and "yours to do" in stop.text
        assert CHANGE_HELP in stop.text
    if not hurt_me(answers):  # never the victim's plan for the one who hurt
        text = text_of(items)
        assert not [words for words in VICTIMS_PLAN if words in text]
        assert (SAFETY_HELP in text) is (answers["been_hurt"] == "rather_not_say")
    if hurt_me(answers):
        assert card(items, "Your self-check") is None


@pytest.mark.parametrize("role", ROLES)
def test_someone_hurt_or_frightened_gets_a_safety_plan_first_whatever_their_side(role):
    items = feedback(complete_answers(role=role, been_hurt="yes", frequency="daily"))
    assert items[0].title == SAFETY_PLAN
    for words in ("where you could go", "phone", "keys", "leave if you can"):
        assert words in items[0].text


def test_the_one_who_pushed_their_partner_hears_it_is_violence_and_theirs_to_stop():
    items = feedback(complete_answers(role="starter", hurt_partner="yes", approach="run"))
    assert items[0].title == HELP_TO_STOP
    assert "never the other person's fault" in items[0].text
    assert "not your fault" not in text_of(items)
    assert (
        "Stepping away before anyone could get hurt"
        in reflection(complete_answers(role="starter", hurt_partner="yes", approach="run")).text
    )
    assert RUN_WHEN_UNSAFE not in text_of(items)


def test_running_from_a_fight_is_the_right_thing_when_unsafe():
    item = reflection(complete_answers(been_hurt="yes", approach="run"))
    assert RUN_WHEN_UNSAFE in item.text


def test_the_contact_card_promises_only_what_the_software_does():
    for contact in ("any", "some", "wait"):
        item = card(feedback(complete_answers(been_hurt="yes", safe_contact=contact)), CONTACT)
        assert item.text.startswith(COACH_TOLD)
        assert "has been told" not in item.text and "will be in touch" not in item.text
    said = card(
        feedback(complete_answers(been_hurt="yes", safe_contact="some", contact_how="texts only")), CONTACT
    )
    assert "texts only" not in said.text  # a client's own words are not read back on the page


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
    assert (card(items, NOT_SAID) is not None) is (answers["been_hurt"] == "rather_not_say")
    assert (card(items, NOT_SAID_PHYSICAL) is not None) is (answers["hurt_partner"] == "rather_not_say")
    text = text_of(items)
    assert "both of you lose" not in text and "relationship help" not in text
    assert ANGER_PLAN_POINTER not in titles(items) and REFUSING not in text


def test_rather_not_say_is_flagged_gently():
    assert SHEET.flags(complete_answers(been_hurt="rather_not_say")) == {"hurt_not_said"}
    assert SHEET.flag_rule("hurt_not_said").level == "gentle"
    assert SHEET.flags(complete_answers(hurt_partner="rather_not_say")) == {"hurt_a_partner_not_said"}


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
        ({"been_hurt": "yes"}, {"hurt_by_someone"}),
        ({"hurt_partner": "yes"}, {"hurt_a_partner"}),
        ({"been_hurt": "yes", "hurt_partner": "yes"}, {"hurt_by_someone", "hurt_a_partner"}),
        ({"frequency": "weekly"}, {"frequent_fighting"}),
        ({"been_hurt": "yes", "frequency": "daily"}, {"hurt_by_someone", "frequent_fighting"}),
        ({"recent_fight": "Honestly I want to die"}, {"words_of_despair"}),
        ({"felt_unsafe": "yes"}, {"safety"}),  # an answer to the question asked before the split
    ],
)
def test_each_flag_is_raised_by_its_answer(overrides, flags):
    assert SHEET.flags(complete_answers(**overrides)) == flags


def test_the_coach_sees_danger_before_anything_else_and_each_side_its_own_meaning():
    levels = {rule.id: rule.level for rule in SHEET.all_flag_rules}
    assert levels["words_of_despair"] == "crisis"
    for flag in ("hurt_by_someone", "hurt_a_partner", "safety", "physical_harm", "words_of_danger"):
        assert levels[flag] == "danger"
    assert "safety first" in SHEET.flag_rule("hurt_by_someone").meaning
    assert "specialist help" in SHEET.flag_rule("hurt_a_partner").meaning
    assert "ask which" in SHEET.flag_rule("safety").meaning  # the old question mixed both sides


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
    answers = complete_answers(been_hurt="yes", hurt_partner="yes")
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
