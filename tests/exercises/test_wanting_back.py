""" "Wanting them back": the article's items, and feedback as pure functions of the answers.

Counts are the worksheet's named values (``believed``, ``written``); each part of the summary is the card
with its title, and every sentence the client reads is pinned here word for word.
"""

from __future__ import annotations

import functools
import itertools

import pytest

from coachkit.exercises import get_worksheet
from coachkit.worksheet import (
    Feedback,
    LongText,
    MultiChoice,
    SingleChoice,
    check_all,
    check_step,
    is_shown,
)
from coachkit.worksheet.feedback import TONE_ORDER
from coachkit.worksheet.safety_net import CRISIS
from tests.exercises.cards import CRISIS_HELP, SAFETY_HELP, card, option_values, step_of, text_of, titles

SHEET = get_worksheet("wanting-them-back")

ARTICLE_QUESTIONS = [
    "Why now?",
    "Why at all?",
    "What was I missing?",
    "What can I do?",
    "What do I want?",
    "Where do I go from here?",
    "How do I regroup and carry on?",
]
QUESTION_IDS = [
    "why_now",
    "why_at_all",
    "what_was_i_missing",
    "what_can_i_do",
    "what_do_i_want",
    "where_from_here",
    "how_to_regroup",
]
BELIEF_IDS = [
    "deserve_poor_treatment",
    "my_fault",
    "alone_forever",
    "love_can_change_them",
    "being_wanted",
    "used_or_loved",
    "afraid_alone",
    "any_relationship",
]
CAME_BACK = ["yes", "partly", "no"]
FRESH_START = ["yes", "no", "not_yet"]
SHORT = "dating_year_or_less"
HOLDING_ON = "What keeps you holding on"
FRESH = "A fresh start"
CARE = "Take care of yourself first"
NEXT_STEP = "Your next step with your coach"
REFRAMES = ("When it was a short relationship", "Who they showed you they are")
WELLBEING_NOT_SAID = "If things ever feel too much"
SLEEP_NOTE = "Look after your sleep"
DESERVE_BETTER = Feedback(
    "attention",
    "You deserve to be treated well",
    "You ticked that, deep down, you feel you deserve to be treated poorly. Many people feel that after "
    "being hurt, and it is not true: no one deserves to be treated poorly, and you don't either. "
    "This is worth working on with your coach, gently, whenever you are ready.",
)

# The article is blunt ("close to self-destructive", "lack of self-esteem"); a client who is hurting
# should never read that about themselves here.
HARSH_WORDS = [
    "wrong with you",
    "weak",
    "pathetic",
    "self-destructive",
    "lack of self-esteem",
    "should",
]
PUSHING_WORDS = ["you should", "you must", "you need to", "you have to"]


def complete_answers(**overrides) -> dict:
    """A full, valid set of answers: a long relationship, nothing ticked or written, no return."""
    answers = {
        "relationship_length": "long_term",
        "also_touches": None,
        "also_touches_other": None,
        "why_want_back": None,
        "hopeless": "not_at_all",
        "sleep": "as_usual",
        "self_harm": "no",
        "safe_contact": "any",
        **dict.fromkeys(QUESTION_IDS),
        "beliefs": None,
        "beliefs_own_words": None,
        "treated_poorly": "no",
        "came_back": "no",
        "fresh_start": None,
        "fresh_start_needs": None,
    }
    return {**answers, **overrides}


def choice_values(field_id: str) -> list[str]:
    """The values of a choice's options (one choice, or a checklist)."""
    assert isinstance(SHEET.field(field_id), SingleChoice | MultiChoice)
    return option_values(SHEET, field_id)


def step(step_id: str):  # type: ignore[no-untyped-def]
    return step_of(SHEET, step_id)


def feedback(answers) -> list[Feedback]:  # type: ignore[no-untyped-def]
    return SHEET.feedback(answers)


def beliefs_count(answers) -> int:  # type: ignore[no-untyped-def]
    return SHEET.values(answers)["believed"]


def questions_answered(answers) -> int:  # type: ignore[no-untyped-def]
    return SHEET.values(answers)["written"]


def moving_on(length, came_back, fresh_start=None):  # type: ignore[no-untyped-def]
    """The reframe for someone not getting back together, if the summary has one."""
    answers = complete_answers(relationship_length=length, came_back=came_back, fresh_start=fresh_start)
    [item] = [item for item in feedback(answers) if item.title in REFRAMES] or [None]
    return item


def beliefs_card(count: int) -> Feedback:
    return card(feedback(complete_answers(beliefs=BELIEF_IDS[:count] or None)), HOLDING_ON)


def fresh_start_card(came_back, fresh_start):  # type: ignore[no-untyped-def]
    return card(feedback(complete_answers(came_back=came_back, fresh_start=fresh_start)), FRESH)


def care_card(answers) -> Feedback:  # type: ignore[no-untyped-def]
    return card(feedback(answers), CARE)


def next_step_card(answers) -> Feedback:  # type: ignore[no-untyped-def]
    return card(feedback(answers), NEXT_STEP)


def all_answer_combinations():
    for length, touches, beliefs, came_back, fresh, written in itertools.product(
        [*choice_values("relationship_length"), None],
        [None, ["children"], ["goals_plans", "future"], choice_values("also_touches")],
        [0, 1, 3, 8],
        [*CAME_BACK, None],
        [*FRESH_START, None],
        [0, 1, 7],
    ):
        yield complete_answers(
            relationship_length=length,
            also_touches=touches,
            beliefs=BELIEF_IDS[:beliefs] or None,
            came_back=came_back,
            fresh_start=fresh if came_back == "yes" else None,
            **dict.fromkeys(QUESTION_IDS[:written], "Some words."),
        )


@functools.cache
def feedback_for_every_combination() -> tuple[tuple[dict, list[Feedback]], ...]:
    """Each of the answer combinations with its feedback, worked out once for the tests that walk them."""
    return tuple((answers, feedback(answers)) for answers in all_answer_combinations())


# -- the article's items ---------------------------------------------------------------------


def test_the_worksheet_is_registered_by_id_at_version_three():
    sheet = get_worksheet("wanting-them-back")
    assert sheet.id == "wanting-them-back"
    assert sheet.version == 3
    assert [step.id for step in sheet.steps] == [
        "where_things_stand",
        "how_you_are",
        "making_sense",
        "looking_ahead",
        "holding_on",
        "how_they_treated_you",
        "if_they_come_back",
    ]


def test_the_articles_first_question_is_asked():
    item = SHEET.field("why_want_back")
    assert "why" in item.label.lower() and not item.required
    assert item in step("where_things_stand").fields


def test_the_seven_questions_are_the_articles_words_in_order():
    assert [SHEET.field(field_id).label for field_id in QUESTION_IDS] == ARTICLE_QUESTIONS


def test_every_question_is_asked_once_as_an_optional_long_answer():
    asked = [item for _, item in SHEET.all_fields() if item.id in QUESTION_IDS]
    assert [item.label for item in asked] == ARTICLE_QUESTIONS
    for item in asked:
        assert isinstance(item, LongText)
        assert not item.required
        assert item.shown_if is None


def test_the_questions_come_in_two_steps_looking_back_then_ahead():
    assert [item.label for item in step("making_sense").fields] == ARTICLE_QUESTIONS[:3]
    assert [item.label for item in step("looking_ahead").fields] == ARTICLE_QUESTIONS[3:]


@pytest.mark.parametrize("step_id", ["making_sense", "looking_ahead"])
def test_every_question_can_be_skipped(step_id):
    checked = check_step(step(step_id), {}, {})
    assert checked.ok
    assert checked.clean == dict.fromkeys(item.id for item in step(step_id).fields)


@pytest.mark.parametrize("step_id", ["making_sense", "looking_ahead"])
def test_blank_answers_to_the_questions_are_saved_as_unanswered(step_id):
    raw = {item.id: "  \n " for item in step(step_id).fields}
    checked = check_step(step(step_id), raw, {})
    assert checked.ok
    assert set(checked.clean.values()) == {None}


def test_the_questions_steps_say_they_can_be_skipped():
    assert "skipped" in step("making_sense").intro
    assert "Skip any" in step("looking_ahead").intro


def test_the_eight_beliefs_follow_the_article():
    beliefs = SHEET.field("beliefs").options
    assert len(beliefs) == 8
    assert len({option.value for option in beliefs}) == 8
    labels = " ".join(option.label for option in beliefs).casefold()
    for phrase in [
        "deserve to be treated poorly",
        "my fault",
        "alone forever",
        "love them enough to change them",
        "being wanted",
        "being used with being loved",
        "afraid to be alone",
        "any relationship",
    ]:
        assert phrase in labels


def test_the_beliefs_are_an_optional_checklist():
    beliefs = SHEET.field("beliefs")
    assert isinstance(beliefs, MultiChoice)
    assert choice_values("beliefs") == BELIEF_IDS
    assert not beliefs.required
    assert check_step(step("holding_on"), {"beliefs": []}, {}).clean["beliefs"] is None


def test_three_relationship_lengths():
    assert choice_values("relationship_length") == ["dating_year_or_less", "dating_longer", "long_term"]
    assert choice_values("relationship_length")[0] == SHORT
    assert SHEET.field("relationship_length").required


def test_the_four_things_the_leaving_touches():
    item = SHEET.field("also_touches")
    assert isinstance(item, MultiChoice)
    assert not item.required
    assert choice_values("also_touches") == ["children", "finances", "goals_plans", "future"]
    labels = [option.label.casefold() for option in item.options]
    for word, label in zip(["children", "finances", "goals and plans", "future"], labels, strict=True):
        assert word in label


def test_the_came_back_question_names_all_three_conditions():
    item = SHEET.field("came_back")
    assert choice_values("came_back") == CAME_BACK
    for words in ["come back", "apologized", "get help"]:
        assert words in item.label
    assert item.required


def test_a_partial_return_gets_a_gentle_notice():
    item = SHEET.field("came_back")
    assert [notice.when for notice in item.notices] == ["no", "partly"]


def test_the_fresh_start_is_yes_no_or_not_yet():
    item = SHEET.field("fresh_start")
    assert choice_values("fresh_start") == FRESH_START
    assert "no right answer" in item.help


@pytest.mark.parametrize("field_id", ["fresh_start", "fresh_start_needs"])
def test_the_fresh_start_is_asked_only_after_a_full_return(field_id):
    item = SHEET.field(field_id)
    assert is_shown(item, {"came_back": "yes"})
    for came_back in ["partly", "no", None]:
        assert not is_shown(item, {"came_back": came_back})
    assert not is_shown(item, {})


@pytest.mark.parametrize("came_back", ["no", "partly"])
def test_a_forged_fresh_start_answer_is_saved_as_none_when_they_did_not_come_back(came_back):
    raw = {"came_back": came_back, "fresh_start": "yes", "fresh_start_needs": "Forged words"}
    checked = check_step(step("if_they_come_back"), raw, {})
    assert checked.ok
    assert checked.clean == {"came_back": came_back, "fresh_start": None, "fresh_start_needs": None}


def test_after_a_full_return_the_fresh_start_must_be_answered():
    checked = check_step(step("if_they_come_back"), {"came_back": "yes"}, {})
    assert checked.errors == {"fresh_start": "Please choose one of the options."}


def test_after_a_full_return_the_fresh_start_is_saved():
    raw = {"came_back": "yes", "fresh_start": "not_yet", "fresh_start_needs": "Time."}
    checked = check_step(step("if_they_come_back"), raw, {})
    assert checked.ok
    assert checked.clean == raw


def test_a_fresh_start_that_is_not_an_option_is_refused():
    checked = check_step(step("if_they_come_back"), {"came_back": "yes", "fresh_start": "maybe"}, {})
    assert set(checked.errors) == {"fresh_start"}


def test_complete_answers_pass_the_final_check():
    assert check_all(SHEET, complete_answers()) == {}
    full_return = complete_answers(came_back="yes", fresh_start="no")
    assert check_all(SHEET, full_return) == {}


def test_calm_answers_get_the_reflection_and_raise_no_flags():
    answers = complete_answers(beliefs=BELIEF_IDS[1:3], came_back="yes", fresh_start="yes")
    assert titles(SHEET.feedback(answers)) == [HOLDING_ON, FRESH, CARE, NEXT_STEP]
    assert SHEET.summary_feedback(answers) == SHEET.feedback(answers)  # nothing added by the safety net
    assert SHEET.flags(answers) == set()


@pytest.mark.parametrize("word", HARSH_WORDS)
def test_the_worksheets_own_words_never_judge(word):
    sheet = SHEET
    texts = [sheet.title, sheet.intro]
    for each in sheet.steps:
        texts += [each.title, each.intro]
        for item in each.fields:
            texts += [item.label, item.help, *(notice.text for notice in item.notices)]
            texts += [option.label for option in getattr(item, "options", ())]
    assert word not in " ".join(texts).casefold()


# -- counting --------------------------------------------------------------------------------


def test_beliefs_count_with_nothing_ticked():
    assert beliefs_count({}) == 0
    assert beliefs_count({"beliefs": None}) == 0


@pytest.mark.parametrize("count", [1, 3, 8])
def test_beliefs_count_counts_the_ticks(count):
    assert beliefs_count({"beliefs": BELIEF_IDS[:count]}) == count


@pytest.mark.parametrize("value", ["my_fault", 3, True, {"my_fault": True}])
def test_beliefs_count_ignores_anything_but_a_list(value):
    assert beliefs_count({"beliefs": value}) == 0


def test_questions_answered_with_nothing_written():
    assert questions_answered({}) == 0
    assert questions_answered(complete_answers()) == 0


def test_questions_answered_counts_only_words_written_in_the_seven():
    answers = {
        "why_now": "Out of nowhere.",
        "why_at_all": "   \n",
        "what_do_i_want": "",
        "how_to_regroup": "One day at a time",
        "where_from_here": 5,
        "also_touches_other": "Our dog",
        "beliefs_own_words": "Not one of the seven",
    }
    assert questions_answered(answers) == 2


def test_questions_answered_all_seven():
    assert questions_answered(dict.fromkeys(QUESTION_IDS, "x")) == 7


# -- a short relationship --------------------------------------------------------------------


def test_after_a_short_relationship_it_may_help_to_take_them_at_their_word():
    item = moving_on("dating_year_or_less", "no")
    assert item is not None
    assert item.tone == "insight"
    assert "year or less" in item.text
    assert "take them at their word" in item.text
    assert "You deserve to be with someone who wants to be with you." in item.text
    assert "in the long run, you are better off" in item.text


@pytest.mark.parametrize("length", ["dating_longer", "long_term", None])
def test_everyone_not_getting_back_together_hears_the_reframe(length):
    for came_back, fresh_start in [("no", None), ("no", "no")]:
        item = moving_on(length, came_back, fresh_start)
        assert item is not None and item.title == "Who they showed you they are"
        assert "shows you who they are" in item.text
        assert "You deserve someone who wants to be with you." in item.text
        assert "in the long run, you are better off" in item.text


@pytest.mark.parametrize(
    ("came_back", "fresh_start"),
    [("yes", "yes"), ("yes", "not_yet"), ("yes", "no"), ("yes", None), ("partly", None), (None, None)],
)
def test_no_reframe_while_a_fresh_start_is_still_theirs_to_choose(came_back, fresh_start):
    for length in ["dating_year_or_less", "long_term"]:
        assert moving_on(length, came_back, fresh_start) is None


# -- beliefs ---------------------------------------------------------------------------------


def test_beliefs_feedback_with_none_recognized():
    item = beliefs_card(0)
    assert item.tone == "insight"
    assert item.title == "What keeps you holding on"
    assert "You didn't tick any of the eight" in item.text


def test_beliefs_feedback_with_one_recognized():
    item = beliefs_card(1)
    assert item.tone == "insight"
    assert "You recognized 1 of the eight." in item.text
    assert "this one" in item.text
    assert "these" not in item.text


@pytest.mark.parametrize("count", [2, 3, 8])
def test_beliefs_feedback_with_several_recognized(count):
    item = beliefs_card(count)
    assert item.tone == "insight"
    assert f"You recognized {count} of the eight." in item.text
    assert f"these {count}" in item.text


@pytest.mark.parametrize("count", [1, 3, 8])
def test_beliefs_feedback_says_they_are_common_and_not_a_judgement(count):
    text = beliefs_card(count).text
    assert "Many people do" in text
    assert "not a judgement of you" in text
    assert "with your coach" in text


@pytest.mark.parametrize("word", HARSH_WORDS)
@pytest.mark.parametrize("count", range(9))
def test_beliefs_feedback_is_always_framed_with_care(count, word):
    assert word not in text_of([beliefs_card(count)]).casefold()


# -- a fresh start ---------------------------------------------------------------------------


@pytest.mark.parametrize(("fresh_start", "said"), [("yes", "yes"), ("no", "no"), ("not_yet", "not yet")])
def test_fresh_start_feedback_reflects_their_decision(fresh_start, said):
    item = fresh_start_card("yes", fresh_start)
    assert item is not None
    assert item.tone == "insight"
    assert item.title == "A fresh start"
    if fresh_start == "no":
        assert item.text.startswith("You said no. That is your decision to make, and a fair one.")
    else:
        assert f'You said "{said}" for now.' in item.text
        assert "your decision to make, in your own time" in item.text


@pytest.mark.parametrize("word", PUSHING_WORDS)
@pytest.mark.parametrize("fresh_start", FRESH_START)
def test_fresh_start_feedback_never_tells_them_what_to_decide(fresh_start, word):
    item = fresh_start_card("yes", fresh_start)
    assert item is not None
    assert word not in text_of([item]).casefold()


def test_a_yes_to_a_fresh_start_also_says_where_to_turn_if_they_were_ever_hurt():
    said_yes = fresh_start_card("yes", "yes").text
    not_yet = fresh_start_card("yes", "not_yet").text
    assert said_yes.replace('"yes"', '"not yet"').startswith(not_yet)
    assert "If they ever hurt you or made you afraid, talk it through with your coach" in said_yes
    assert "{safety_help}" in said_yes


@pytest.mark.parametrize("came_back", ["partly", "no", None, "Yes", True])
@pytest.mark.parametrize("fresh_start", FRESH_START)
def test_no_fresh_start_feedback_unless_they_fully_came_back(came_back, fresh_start):
    assert fresh_start_card(came_back, fresh_start) is None


@pytest.mark.parametrize("fresh_start", [None, "", "maybe", "Not yet", True])
def test_no_fresh_start_feedback_without_a_known_answer(fresh_start):
    assert fresh_start_card("yes", fresh_start) is None


# -- care ------------------------------------------------------------------------------------

HEAVIER = "With children or money involved"


@pytest.mark.parametrize("touches", [None, [], ["goals_plans"], ["future"], ["goals_plans", "future"]])
def test_care_feedback_without_children_or_finances(touches):
    item = care_card({"also_touches": touches})
    assert item.tone == "next_step"
    assert item.title == "Take care of yourself first"
    assert item.text == (
        "Working through your feelings comes before anything else, and it is good to get help early."
    )


@pytest.mark.parametrize(
    "touches", [["children"], ["finances"], ["children", "finances"], ["finances", "future"]]
)
def test_care_feedback_adds_a_line_with_children_or_finances(touches):
    plain = care_card({})
    item = care_card({"also_touches": touches})
    assert item.text.startswith(plain.text)
    assert HEAVIER in item.text
    assert "you don't have to sort it out alone" in item.text
    assert item.text.count(HEAVIER) == 1


def test_care_feedback_ignores_what_is_not_a_list():
    assert HEAVIER not in care_card({"also_touches": "children"}).text


@pytest.mark.parametrize("forged", ["deserve_poor_treatment", "my_fault, deserve_poor_treatment", 3])
def test_beliefs_that_are_not_a_list_of_ticks_count_as_none(forged):
    answers = {"beliefs": forged}
    assert SHEET.values(answers)["believed"] == 0
    assert "You deserve to be treated well" not in titles(SHEET.feedback(answers))
    assert "deserves_poor_treatment" not in SHEET.flags(answers)


def test_care_feedback_is_about_the_ticks_not_the_other_box():
    answers = {"also_touches": None, "also_touches_other": "children and finances"}
    assert HEAVIER not in care_card(answers).text


# -- next step -------------------------------------------------------------------------------


def test_next_step_feedback_with_nothing_written():
    item = next_step_card({})
    assert item.tone == "next_step"
    assert item.title == "Your next step with your coach"
    assert "Bring whichever of the seven questions weighs on you most" in item.text


@pytest.mark.parametrize("written", [1, 3, 7])
def test_next_step_feedback_says_how_many_questions_they_wrote_about(written):
    answers = dict.fromkeys(QUESTION_IDS[:written], "Some words.")
    item = next_step_card(answers)
    assert f"You wrote about {written} of the seven questions." in item.text
    assert "Bring the one that weighs on you most." in item.text


# -- feedback as a whole ---------------------------------------------------------------------


def test_feedback_for_no_answers_is_beliefs_care_and_next_step():
    assert titles(feedback({})) == [
        "What keeps you holding on",
        "Take care of yourself first",
        "Your next step with your coach",
    ]


def test_feedback_with_everything_in_reading_order():
    answers = complete_answers(
        relationship_length="dating_year_or_less",
        also_touches=["children"],
        beliefs=BELIEF_IDS[:3],
        came_back="partly",
        why_now="It came out of nowhere.",
    )
    items = feedback(answers)
    assert items == [
        Feedback(
            "insight",
            "What keeps you holding on",
            "You recognized 3 of the eight. Many people do after a loss like this; it is not a judgement of "
            "you. Working on these 3 with your coach can help you see your own worth more clearly.",
        ),
        Feedback(
            "insight",
            "What a fresh start needs",
            "A fresh start has the best chance when your partner comes back, apologizes, and agrees to get "
            "help with you. Your coach can help you think about what is still missing.",
        ),
        DESERVE_BETTER,
        Feedback(
            "next_step",
            "Take care of yourself first",
            "Working through your feelings comes before anything else, and it is good to get help early. "
            "With children or money involved there is more to carry; you don't have to sort it out alone.",
        ),
        Feedback(
            "next_step",
            "Your next step with your coach",
            "You wrote about 1 of the seven questions. Bring the one that weighs on you most.",
        ),
    ]
    assert [item.tone for item in items] == ["insight", "insight", "attention", "next_step", "next_step"]


def test_feedback_after_a_long_relationship_without_a_return():
    answers = complete_answers(beliefs=["afraid_alone"])
    assert titles(feedback(answers)) == [
        "Who they showed you they are",
        "What keeps you holding on",
        "Take care of yourself first",
        "Your next step with your coach",
    ]


def test_feedback_is_always_in_reading_order_and_ends_with_the_next_step():
    for answers, items in feedback_for_every_combination():
        order = [TONE_ORDER[item.tone] for item in items]
        assert order == sorted(order)
        assert items[-1].title == "Your next step with your coach"
        assert "safety" not in {item.tone for item in items}
        deserve = "deserve_poor_treatment" in (answers["beliefs"] or [])
        assert ("attention" in {item.tone for item in items}) is deserve


@pytest.mark.parametrize("word", [*HARSH_WORDS, *PUSHING_WORDS])
def test_feedback_never_judges_or_pushes(word):
    for _, items in feedback_for_every_combination():
        for item in items:
            assert word not in text_of([item]).casefold()


def test_feedback_is_a_pure_function_of_the_answers():
    answers = complete_answers(also_touches=["finances"], beliefs=BELIEF_IDS[:2], came_back="yes")
    before = {key: list(value) if isinstance(value, list) else value for key, value in answers.items()}
    assert feedback(answers) == feedback(answers)
    assert answers == before


# -- the wellbeing check -----------------------------------------------------------------------


def test_the_wellbeing_check_comes_second_and_is_private():
    how = step("how_you_are")
    assert [item.id for item in how.fields] == [
        "hopeless",
        "sleep",
        "self_harm",
        "safe_contact",
        "contact_how",
    ]
    for field_id in ("hopeless", "self_harm", "safe_contact", "contact_how"):
        assert SHEET.field(field_id).sensitive


@pytest.mark.parametrize(
    ("field_id", "answer"),
    [
        ("self_harm", "yes"),
        ("self_harm", "rather_not_say"),
        ("hopeless", "most_days"),
        ("hopeless", "nearly_every_day"),
    ],
)
def test_any_sign_of_risk_shows_crisis_help_at_once(field_id, answer):
    item = SHEET.field(field_id)
    [notice] = [notice for notice in item.notices if notice.applies(answer)]
    assert CRISIS_HELP in notice.text


@pytest.mark.parametrize(
    "overrides",
    [{"self_harm": "yes"}, {"hopeless": "most_days"}, {"hopeless": "nearly_every_day"}],
)
def test_any_sign_of_risk_puts_crisis_help_first_and_flags_the_coach(overrides):
    answers = complete_answers(**overrides)
    items = SHEET.summary_feedback(answers)
    assert items[0] == CRISIS
    assert "{coach_told}" in items[0].text
    assert "wellbeing" in SHEET.flags(answers)
    assert SHEET.flag_rule("wellbeing").level == "crisis"
    assert is_shown(SHEET.field("safe_contact"), answers)


def test_rather_not_say_gets_help_and_a_gentle_flag():
    answers = complete_answers(self_harm="rather_not_say")
    first = feedback(answers)[0]
    assert (first.tone, first.title) == ("safety", WELLBEING_NOT_SAID)
    assert CRISIS_HELP in first.text
    assert SHEET.flags(answers) == {"wellbeing_not_said"}


def test_words_of_despair_in_any_box_bring_crisis_help_and_a_flag():
    answers = complete_answers(why_now="I can't see the point of going on without them")
    items = SHEET.summary_feedback(answers)
    assert items[0] == CRISIS
    assert SHEET.flags(answers) == {"words_of_despair"}


def test_crisis_help_is_said_once_when_answers_and_words_both_show_risk():
    answers = complete_answers(self_harm="yes", why_now="I want to die")
    items = SHEET.summary_feedback(answers)
    assert items.count(CRISIS) == 1


def test_feeling_they_deserve_poor_treatment_is_met_kindly_and_flagged():
    answers = complete_answers(beliefs=["deserve_poor_treatment"])
    assert DESERVE_BETTER in feedback(answers)
    assert "no one deserves to be treated poorly" in DESERVE_BETTER.text
    assert SHEET.flags(answers) == {"deserves_poor_treatment"}


def test_poor_sleep_gets_a_gentle_word():
    items = feedback(complete_answers(sleep="worse"))
    assert SLEEP_NOTE in titles(items)
    assert "a doctor can help" in card(items, SLEEP_NOTE).text


def test_hardly_sleeping_brings_crisis_help_and_a_flag():
    answers = complete_answers(sleep="hardly")
    assert feedback(answers)[0] == CRISIS
    assert "wellbeing" in SHEET.flags(answers)


def test_with_any_sign_of_risk_the_summary_is_short():
    answers = complete_answers(self_harm="yes", safe_contact="wait", beliefs=BELIEF_IDS[:4], came_back="no")
    assert titles(SHEET.summary_feedback(answers)) == [
        "You matter",
        "Your coach",
        "The rest can wait",
    ]


def test_calm_answers_get_no_crisis_help():
    assert CRISIS not in SHEET.summary_feedback(complete_answers(hopeless="some_days"))


# -- control and abuse: asked gently, before the fresh start ------------------------------------------

TREATED_WELL = "You deserve to be treated well"
FRESH_START_WORDS = "A fresh start has the best chance"


def test_control_and_abuse_are_asked_gently_before_the_fresh_start():
    asked = step("how_they_treated_you").fields[0]
    assert asked.id == "treated_poorly" and asked.sensitive and asked.required
    assert "control" in asked.label and "threaten" in asked.label and "hurt you" in asked.label
    assert choice_values("treated_poorly") == ["yes", "not_sure", "no", "rather_not_say"]
    order = [item.id for _, item in SHEET.all_fields()]
    assert order.index("treated_poorly") < order.index("came_back") < order.index("fresh_start")
    [said_yes] = [notice for notice in asked.notices if notice.applies("yes")]
    assert "None of that was your fault" in said_yes.text and SAFETY_HELP in said_yes.text


@pytest.mark.parametrize("came_back", ["yes", "partly", "no"])
@pytest.mark.parametrize("fresh_start", [None, "yes", "not_yet"])
def test_after_control_or_abuse_safety_and_the_article_never_a_fresh_start_has_the_best_chance(
    came_back, fresh_start
):
    answers = complete_answers(treated_poorly="yes", came_back=came_back, fresh_start=fresh_start)
    items = feedback(answers)
    text = text_of(items)
    assert FRESH_START_WORDS not in text
    assert "goes best with help" not in text  # help for two is not where to start after abuse
    treated = card(items, TREATED_WELL)
    assert treated is not None and treated.tone == "safety" and items[0] == treated
    assert "Who would want someone back who treats them poorly?" in treated.text
    assert SAFETY_HELP in treated.text
    assert ("on your own first" in treated.text) is (came_back in ("yes", "partly"))
    assert "treated_poorly" in SHEET.flags(answers)
    assert SHEET.flag_rule("treated_poorly").level == "danger"


def test_the_issue_example_a_controlling_ex_who_came_back_in_part():
    answers = complete_answers(treated_poorly="yes", came_back="partly")
    assert [n.text for n in SHEET.field("came_back").notices if n.applies("partly")] == [
        "Your coach can help you think about what is still missing, and what you want now."
    ]
    assert FRESH_START_WORDS not in text_of(feedback(answers))


def test_without_control_or_abuse_partly_back_says_what_a_fresh_start_needs():
    items = feedback(complete_answers(came_back="partly"))
    assert FRESH_START_WORDS in card(items, "What a fresh start needs").text
    assert card(items, TREATED_WELL) is None


def test_not_saying_is_flagged_gently():
    assert SHEET.flags(complete_answers(treated_poorly="rather_not_say")) == {"treated_poorly_not_said"}
