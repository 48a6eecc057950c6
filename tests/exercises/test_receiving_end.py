""" "When a fight comes your way": for the one on the receiving end, with safety first.

Some fights are not the client's to sidestep: with violence or fear the steps about sidestepping and
boundaries are never shown, and nothing says the client can stop it by refusing to play.
"""

from __future__ import annotations

import itertools
import re

import pytest

from coachkit.exercises import get_worksheet
from coachkit.worksheet import check_all, is_shown, shown_steps
from tests.exercises.cards import (
    PLAN_WITH_YOUR_COACH,
    SAFETY_PLAN,
    card,
    field_of,
    option_values,
    text_of,
    titles,
)

SHEET = get_worksheet("on-the-receiving-end")
SAFETY_ANSWERS = ["yes", "no", "rather_not_say"]
INVITATION_IDS = option_values(SHEET, "invitations")
DOUBT_IDS = option_values(SHEET, "second_guessing")
SIDESTEP_ADVICE = re.compile(
    r"sidestep|don't have to accept|refus|both of you lose|your boundary|calm line", re.I
)
BLAMING = re.compile(
    r"abuser|abusive|toxic|narcissist|gaslight|crazy|(?<!not )your fault|oversensitive", re.I
)


def answers_for(**overrides) -> dict:
    answers = {
        "been_hurt": "no",
        "hurt_partner": "no",
        "invitations": ["put_downs"],
        "how_respond": "fight_back",
        "sidestep_line": "Not now. Let's talk later.",
        "sidestep_move": "leave_room",
        "boundary": None,
        "boundary_words": "I'll talk, but not while you're shouting.",
        "second_guessing": None,
        "safe_place_known": True,
        "someone_to_call": True,
    }
    return {**answers, **overrides}


def every_combination():
    for unsafe, hurt_partner, carried, invited, doubts, respond in itertools.product(
        SAFETY_ANSWERS,
        ["no", "yes"],
        [None, "yes"],
        [0, 2, 6],
        [0, 1, 3, 5],
        ["fight_back", "give_in", "go_quiet", "walk_away", "depends"],
    ):
        answers = answers_for(
            been_hurt=unsafe,
            hurt_partner=hurt_partner,
            invitations=INVITATION_IDS[:invited] or None,
            second_guessing=DOUBT_IDS[:doubts] or None,
            how_respond=respond,
        )
        if carried:
            answers["physical_this_time"] = carried  # carried from the client's latest practice log
        yield answers


COMBINATIONS = list(every_combination())


def labels(field_id: str) -> str:
    return " ".join(option.label for option in SHEET.field(field_id).options)


def test_it_is_registered_and_asks_safety_first():
    assert (SHEET.id, SHEET.version) == ("on-the-receiving-end", 2)
    # The same questions, in the same words, as in every worksheet about fights.
    assert SHEET.steps[0].fields[0] == field_of("my-anger-plan", "been_hurt")
    assert SHEET.steps[0].fields[1] == field_of("my-anger-plan", "hurt_partner")
    assert [step.id for step in SHEET.steps] == [
        "safety",
        "invitation",
        "sidestep",
        "boundaries",
        "second_guessing",
        "get_help",
    ]


def test_the_invitations_are_the_articles_five_behaviours_and_the_messages():
    invitations = labels("invitations")
    assert len(INVITATION_IDS) == 6
    for phrase in [
        "one-upmanship",
        "superior or clever",
        "bigger and bigger",
        "lose my cool",
        "make me wrong",
    ]:
        assert phrase in invitations
    assert "nastier" in invitations


def test_the_second_guessing_check_follows_the_article():
    assert "second-guess myself all the time" in labels("second_guessing")


@pytest.mark.parametrize("answers", COMBINATIONS, ids=str)
def test_sidestepping_is_offered_only_where_it_is_safe(answers):
    safe = SHEET.values(answers)["safe"]
    assert is_shown(SHEET.steps[2], answers) is safe
    assert is_shown(SHEET.steps[3], answers) is safe
    items = SHEET.feedback(answers)
    if not safe:
        assert not SIDESTEP_ADVICE.search(text_of(items))
        assert items[0].tone == "safety"
    assert not BLAMING.search(text_of(items))


def test_with_violence_the_steps_left_are_about_getting_help():
    answers = answers_for(been_hurt="yes")
    assert shown_steps(SHEET, answers) == [0, 1, 4, 5]
    assert "never your fault" in SHEET.steps[5].intro
    first = SHEET.feedback(answers)[0]
    assert (first.tone, first.title) == ("safety", SAFETY_PLAN)


def test_forged_sidestep_answers_are_not_kept_when_those_steps_are_hidden():
    answers = answers_for(been_hurt="yes", safe_contact="wait")
    assert check_all(SHEET, answers) == {}


def test_where_it_is_safe_their_own_words_are_read_back_to_practise():
    items = SHEET.feedback(answers_for())
    assert "Your calm line" in titles(items) and "Your boundary" in titles(items)
    assert "“Not now. Let's talk later.”" in text_of(items)


@pytest.mark.parametrize("count", [1, 2, 6])
def test_the_invitations_recognized_are_said_back_without_blame(count):
    item = card(SHEET.feedback(answers_for(invitations=INVITATION_IDS[:count])), "The invitation to fight")
    assert f"You recognized {count} of these" in item.text
    assert "No one deserves to be treated like that." in item.text


@pytest.mark.parametrize(
    ("count", "tone"), [(1, "insight"), (2, "insight"), (3, "attention"), (5, "attention")]
)
def test_second_guessing_is_never_the_clients_failing(count, tone):
    item = card(SHEET.feedback(answers_for(second_guessing=DOUBT_IDS[:count])), "Doubting yourself")
    assert item.tone == tone
    assert "not your failing" in item.text


def test_frequent_second_guessing_is_flagged_for_the_coach():
    assert SHEET.flags(answers_for(second_guessing=DOUBT_IDS[:3])) == {"second_guessing"}
    assert SHEET.flags(answers_for(second_guessing=DOUBT_IDS[:2])) == set()


def test_knowing_nowhere_to_go_brings_a_plan_with_the_coach():
    answers = answers_for(safe_place_known=False)
    assert PLAN_WITH_YOUR_COACH in titles(SHEET.feedback(answers))
    assert "nowhere_safe" in SHEET.flags(answers)


def test_safety_answers_are_flagged():
    assert SHEET.flags(answers_for(been_hurt="yes", safe_contact="any")) == {"hurt_by_someone"}
    assert SHEET.flags(answers_for(been_hurt="rather_not_say", safe_contact="any")) == {"hurt_not_said"}
