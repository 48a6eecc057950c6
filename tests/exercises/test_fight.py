""" "Fight or make it right": the article's items, and feedback and flags as pure functions of answers."""

from __future__ import annotations

import itertools

import pytest

from coachkit.exercises import fight, get_worksheet
from coachkit.worksheet import Notice, SingleChoice, YesNo, check_all
from coachkit.worksheet.feedback import TONE_ORDER

SELF_CHECK_IDS = list(fight.SELF_CHECK_QUESTIONS)
NOT_FREQUENT = ["rarely", "monthly"]
FREQUENT = ["weekly", "several_a_week", "daily"]

DIAGNOSING_WORDS = [
    "abuser",
    "abusive",
    "toxic",
    "disorder",
    "narcissist",
    "psychopath",
    "sociopath",
    "crazy",
    "sick",
    "your fault",
]


def complete_answers(**overrides) -> dict:
    """A full, valid set of answers: calm, rare fights, nothing unsafe."""
    answers = {
        "approach": "sidestep",
        "fight_or_right": "right",
        **dict.fromkeys(SELF_CHECK_IDS, False),
        "role": "receiver",
        "frequency": "rarely",
        "recent_fight": None,
        "making_it_right": None,
        "felt_unsafe": "no",
    }
    return {**answers, **overrides}


def option_values(field_id: str) -> list[str]:
    item = fight.WORKSHEET.field(field_id)
    assert isinstance(item, SingleChoice)
    return [option.value for option in item.options]


# -- the article's items ---------------------------------------------------------------------


def test_the_worksheet_is_registered_by_id():
    assert get_worksheet("fight-or-make-it-right") is fight.WORKSHEET


def test_unknown_worksheet_id_names_the_known_ones():
    with pytest.raises(KeyError, match="fight-or-make-it-right"):
        get_worksheet("no-such-sheet")


def test_four_ways_to_meet_a_fight():
    assert option_values("approach") == ["expect", "look", "run", "sidestep"]


def test_the_instant_answer_is_fight_or_make_it_right():
    assert {"fight", "right"} <= set(option_values("fight_or_right"))


def test_the_five_self_check_questions_are_yes_no():
    step = next(step for step in fight.WORKSHEET.steps if step.id == "self_check")
    assert [item.id for item in step.fields] == SELF_CHECK_IDS
    assert len(step.fields) == 5
    assert all(isinstance(item, YesNo) for item in step.fields)
    assert [item.label for item in step.fields] == list(fight.SELF_CHECK_QUESTIONS.values())


def test_the_self_check_asks_the_articles_questions():
    labels = " ".join(fight.SELF_CHECK_QUESTIONS.values())
    for phrase in ["one-upmanship", "superior", "bigger and bigger", "losing their cool", "rise"]:
        assert phrase in labels


def test_three_roles():
    assert option_values("role") == ["starter", "receiver", "both"]


def test_the_safety_question_is_asked_of_everyone_last():
    last = fight.WORKSHEET.steps[-1]
    (question,) = last.fields
    assert question.id == "felt_unsafe"
    assert question.required
    assert question.shown_if is None
    assert "yes" in option_values("felt_unsafe")


def test_a_yes_to_the_safety_question_shows_where_to_get_help():
    question = fight.WORKSHEET.field("felt_unsafe")
    helping = [notice for notice in question.notices if notice.when == "yes"]
    assert len(helping) == 1
    assert isinstance(helping[0], Notice)
    assert fight.SAFETY_HELP in helping[0].text


def test_the_recent_fight_questions_are_optional():
    assert not fight.WORKSHEET.field("recent_fight").required
    assert not fight.WORKSHEET.field("making_it_right").required


def test_complete_answers_pass_the_final_check():
    assert check_all(fight.WORKSHEET, complete_answers()) == {}


# -- self-check ------------------------------------------------------------------------------


def test_self_check_count_is_zero_with_no_answers():
    assert fight.self_check_count({}) == 0


def test_self_check_count_counts_only_yes():
    answers = {"one_upmanship": True, "superior": True, "bigger_weapons": False}
    assert fight.self_check_count(answers) == 2


def test_self_check_count_ignores_truthy_non_bools_and_other_fields():
    answers = {"one_upmanship": "yes", "superior": 1, "unrelated": True}
    assert fight.self_check_count(answers) == 0


def test_self_check_feedback_with_no_yes_points_towards_making_it_right():
    item = fight.self_check_feedback(dict.fromkeys(SELF_CHECK_IDS, False))
    assert item.tone == "insight"
    assert "None of the five" in item.text
    assert "making things right" in item.text


@pytest.mark.parametrize("yes_ids", [SELF_CHECK_IDS[:1], SELF_CHECK_IDS[2:4], SELF_CHECK_IDS])
def test_self_check_feedback_with_any_yes_says_how_many(yes_ids):
    answers = {field_id: field_id in yes_ids for field_id in SELF_CHECK_IDS}
    item = fight.self_check_feedback(answers)
    assert item.tone == "insight"
    assert f"{len(yes_ids)} of the five sounded familiar" in item.text
    assert "looking for a fight" in item.text


# -- role ------------------------------------------------------------------------------------


def test_role_feedback_for_the_starter():
    (item,) = fight.role_feedback("starter")
    assert item.tone == "next_step"
    assert "starts it" in item.title


def test_role_feedback_for_the_receiver():
    (item,) = fight.role_feedback("receiver")
    assert item.tone == "next_step"
    assert "receiving end" in item.title
    assert "refusing to take part" in item.text


def test_role_feedback_for_both_is_the_starter_then_the_receiver():
    both = fight.role_feedback("both")
    assert both == [*fight.role_feedback("starter"), *fight.role_feedback("receiver")]


@pytest.mark.parametrize("role", [None, "", "someone_else", 3])
def test_role_feedback_for_a_missing_or_unknown_role_is_empty(role):
    assert fight.role_feedback(role) == []


# -- frequency -------------------------------------------------------------------------------


@pytest.mark.parametrize("frequency", FREQUENT)
def test_frequent_fighting_is_a_red_flag(frequency):
    item = fight.frequency_feedback(frequency)
    assert item is not None
    assert item.tone == "attention"
    assert "relationship help now" in item.text


@pytest.mark.parametrize("frequency", [*NOT_FREQUENT, None, "often"])
def test_occasional_fighting_is_not_a_red_flag(frequency):
    assert fight.frequency_feedback(frequency) is None


def test_the_red_flag_covers_exactly_the_three_most_frequent_options():
    assert option_values("frequency") == NOT_FREQUENT + FREQUENT


# -- safety ----------------------------------------------------------------------------------


def test_safety_feedback_for_a_yes_comes_with_where_to_get_help():
    item = fight.safety_feedback({"felt_unsafe": "yes"})
    assert item is not None
    assert item.tone == "safety"
    assert fight.SAFETY_HELP in item.text


@pytest.mark.parametrize("answer", ["no", "rather_not_say", None])
def test_no_safety_feedback_without_a_yes(answer):
    assert fight.safety_feedback({"felt_unsafe": answer}) is None


# -- flags -----------------------------------------------------------------------------------


def test_no_flags_for_calm_answers():
    assert fight.flags(complete_answers()) == set()


def test_no_flags_for_no_answers():
    assert fight.flags({}) == set()


def test_a_yes_to_the_safety_question_raises_the_safety_flag():
    assert fight.flags({"felt_unsafe": "yes"}) == {"safety"}


@pytest.mark.parametrize("answer", ["no", "rather_not_say"])
def test_other_safety_answers_raise_no_flag(answer):
    assert fight.flags({"felt_unsafe": answer}) == set()


@pytest.mark.parametrize("frequency", FREQUENT)
def test_frequent_fighting_raises_its_flag(frequency):
    assert fight.flags({"frequency": frequency}) == {"frequent_fighting"}


@pytest.mark.parametrize("frequency", NOT_FREQUENT)
def test_occasional_fighting_raises_no_flag(frequency):
    assert fight.flags({"frequency": frequency}) == set()


def test_both_flags_together():
    answers = complete_answers(felt_unsafe="yes", frequency="daily")
    assert fight.flags(answers) == {"safety", "frequent_fighting"}


def test_the_worksheet_uses_these_flags_and_feedback():
    answers = complete_answers(felt_unsafe="yes")
    assert fight.WORKSHEET.flags(answers) == {"safety"}
    assert fight.WORKSHEET.feedback(answers) == fight.feedback(answers)


# -- feedback as a whole ---------------------------------------------------------------------


def test_feedback_puts_safety_first_then_attention_insight_and_next_steps():
    answers = complete_answers(felt_unsafe="yes", frequency="daily", role="both", superior=True)
    tones = [item.tone for item in fight.feedback(answers)]
    assert tones == ["safety", "attention", "insight", "next_step", "next_step", "next_step"]


def test_feedback_without_worries_is_insight_then_next_steps():
    tones = [item.tone for item in fight.feedback(complete_answers())]
    assert tones == ["insight", "next_step", "next_step"]


def test_feedback_ends_with_the_anger_plan_after_the_role_advice():
    items = fight.feedback(complete_answers(role="both"))
    assert items[-1] == fight.ANGER_PLAN_POINTER
    assert items[-3:-1] == fight.role_feedback("both")


def all_answer_combinations():
    for approach, unsafe, frequency, role, yes_count in itertools.product(
        option_values("approach"),
        option_values("felt_unsafe"),
        option_values("frequency"),
        [*option_values("role"), None],
        [0, 1, 5],
    ):
        yes = dict.fromkeys(SELF_CHECK_IDS, False) | dict.fromkeys(SELF_CHECK_IDS[:yes_count], True)
        yield complete_answers(approach=approach, felt_unsafe=unsafe, frequency=frequency, role=role, **yes)


def test_the_anger_plan_pointer_is_always_there():
    for answers in [{}, *all_answer_combinations()]:
        assert fight.ANGER_PLAN_POINTER in fight.feedback(answers)


def test_feedback_is_always_in_reading_order():
    for answers in all_answer_combinations():
        order = [TONE_ORDER[item.tone] for item in fight.feedback(answers)]
        assert order == sorted(order)


def test_feedback_for_no_answers_is_the_self_check_and_the_anger_plan():
    items = fight.feedback({})
    assert [item.title for item in items] == ["Your self-check", fight.ANGER_PLAN_POINTER.title]


def test_feedback_is_a_pure_function_of_the_answers():
    answers = complete_answers(felt_unsafe="yes")
    before = dict(answers)
    assert fight.feedback(answers) == fight.feedback(answers)
    assert answers == before


@pytest.mark.parametrize("word", DIAGNOSING_WORDS)
def test_feedback_never_diagnoses_or_labels(word):
    for answers in all_answer_combinations():
        for item in fight.feedback(answers):
            assert word not in f"{item.title} {item.text}".casefold()


@pytest.mark.parametrize("word", DIAGNOSING_WORDS)
def test_the_questions_never_diagnose_or_label(word):
    texts = [fight.WORKSHEET.title, fight.WORKSHEET.intro]
    for step in fight.WORKSHEET.steps:
        texts += [step.title, step.intro]
        for item in step.fields:
            texts += [item.label, item.help, *(notice.text for notice in item.notices)]
            texts += [option.label for option in getattr(item, "options", ())]
    assert word not in " ".join(texts).casefold()
