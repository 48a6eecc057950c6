""" "My anger plan" and its practice log: the article's four statements, read through the worksheet files.

The plan's sentences are the preview step's lines, the card is the takeaway, and the early signs are the
``signs_line`` value; every sentence the client reads is pinned here word for word.
"""

from __future__ import annotations

import itertools
import re

import pytest

from coachkit.exercises import get_worksheet
from coachkit.worksheet import (
    LongText,
    MultiChoice,
    Rating,
    ShortText,
    SingleChoice,
    TimeOfDay,
    YesNo,
    check_all,
    check_step,
    is_shown,
)
from tests.exercises.cards import card, option_values, step_of

SHEET = get_worksheet("my-anger-plan")
LOG = get_worksheet("anger-plan-practice")
PREVIEW = step_of(SHEET, "preview")

# The four essential statements, as the coach's article "Fighting In A Relationship" words them.
ARTICLE_STATEMENTS = [
    "I recognize that I am getting angry.",
    "I care about the relationship.",
    "I am going to withdraw and calm down.",
    "I'll be back at __________o'clock and we can talk about this then",
]
# "Say what you are going to do: go for a walk, put on my headphones, exercise, watch a movie, run errands"
ARTICLE_CALMING = ["go for a walk", "put on my headphones", "exercise", "watch a movie", "run errands"]
CALM_ACTIONS = ["walk", "headphones", "exercise", "movie", "errands"]
CALMING = {
    "walk": "go for a walk",
    "headphones": "put on my headphones",
    "exercise": "exercise",
    "movie": "watch a movie",
    "errands": "run errands on foot",
}
"""Each calming activity as the third statement says it."""
BREAK_MINUTES = SHEET.field("back_minutes").options
MINUTES = option_values(SHEET, "back_minutes")
SHORT_BREAKS = [value for value in MINUTES if value not in {"240", "480"}]
FIRST_PERSON = re.compile(r"\b(I|I'm|I'll|my|me|Let's|us|we)\b")
SCOLDING_WORDS = ["should", "must", "failed", "fault", "wrong", "bad", "only", "again?", "not allowed"]
TWENTY_MINUTES = "My break lasts at least twenty minutes."
BREAK_RULES = "During my break: no driving, no alcohol or drugs, and no going over the fight in my head."
NOT_READY_LINES = {
    "say_so": "If I'm not calm yet when it's time, I'll say so, and we'll agree a new time.",
    "another_break": "If I'm not calm yet when it's time, I'll check in, take another break, "
    "and say when I'll be back.",
}
LONG_BREAK_NOTE = (
    "A long break is fine, as long as you come back when you said; coming back the same day often helps "
    "your partner trust the plan."
)
BREAK_NOTE = "About the length of your break"


def plan(**answers) -> list[str]:
    """The four statements, as the preview step reads them back."""
    return PREVIEW.preview(answers)


def card_lines(answers) -> list[str]:  # type: ignore[no-untyped-def]
    return SHEET.takeaway.lines(answers)


def signs_line(answers) -> str:  # type: ignore[no-untyped-def]
    """The early signs in words, joined by "; " ("" for none)."""
    return SHEET.values(answers)["signs_line"]


def break_note(answers):  # type: ignore[no-untyped-def]
    return card(SHEET.feedback(answers), BREAK_NOTE)


def words(text: str) -> list[str]:
    """Lower-case words, with curly apostrophes made straight and blanks and punctuation dropped."""
    text = text.replace("\u2019", "'").lower()
    return re.findall(r"[a-z']+", text)


def assert_is_a_plan(sentences: list[str]) -> None:
    """Exactly four first-person sentences, in the article's order, as plain text."""
    assert len(sentences) == 4
    assert sentences[0] == "I recognize that I am getting angry."
    assert sentences[1] == "I care about the relationship."
    assert sentences[2].startswith("I am going to withdraw and calm down")
    assert sentences[3].startswith(("I'll be back", "Let's agree on a good time", "We can talk about this"))
    for sentence in sentences:
        assert FIRST_PERSON.search(sentence), sentence
        assert sentence == sentence.strip()
        assert sentence.endswith(".")
        assert ".." not in sentence
        assert "None" not in sentence


# -- the four statements, as the preview reads them back ---------------------------------------


@pytest.mark.parametrize(("action", "phrase"), list(zip(CALM_ACTIONS, ARTICLE_CALMING, strict=True)))
def test_each_calming_activity_is_said_in_the_third_statement(action, phrase):
    sentences = plan(calm_action=action, back_how="agree")
    assert_is_a_plan(sentences)
    said = " ".join(words(sentences[2]))
    # "run errands" is said as "run errands on foot": every word of the article's phrase is there, in order.
    assert re.search(r"\b" + r"\b.*\b".join(phrase.split()) + r"\b", said), said
    assert sentences[2] == f"I am going to withdraw and calm down: I'm going to {CALMING[action]}."


def test_own_calming_activity_is_said_in_the_clients_words():
    sentences = plan(calm_action="own", own_action="  make a cup of tea in the garden ", back_how="agree")
    assert_is_a_plan(sentences)
    assert (
        sentences[2] == "I am going to withdraw and calm down: I'm going to make a cup of tea in the garden."
    )


@pytest.mark.parametrize("blank", [None, "", "   ", "\n\t"])
def test_a_blank_own_activity_still_makes_the_statement(blank):
    sentences = plan(calm_action="own", own_action=blank, back_how="agree")
    assert_is_a_plan(sentences)
    assert sentences[2] == "I am going to withdraw and calm down."


def test_an_own_activity_left_from_an_earlier_choice_is_not_said():
    """A client who typed their own activity, then chose a walk, says the walk."""
    sentences = plan(calm_action="walk", own_action="make tea", back_how="agree")
    assert "tea" not in " ".join(sentences)
    assert "go for a walk" in sentences[2]


def test_own_words_are_kept_as_plain_text():
    """The sentences are plain text: markup typed by the client is kept as typed, for the page to escape."""
    sentences = plan(calm_action="own", own_action='<b>breathe</b> & say "pause"', back_how="agree")
    assert sentences[2].endswith(': I\'m going to <b>breathe</b> & say "pause".')


def test_own_words_ending_with_a_full_stop_get_no_second_one():
    sentences = plan(calm_action="own", own_action="make tea.", back_how="agree")
    assert sentences[2] == "I am going to withdraw and calm down: I'm going to make tea."
    lines = card_lines({"own_signs": "I start pacing."})
    assert lines[-1] == "My early signs: I start pacing."


@pytest.mark.parametrize("own", ["...", "make tea!", "is this enough?", "breathe…"])
def test_own_words_ending_in_any_punctuation_make_one_clean_sentence(own):
    sentence = plan(calm_action="own", own_action=own, back_how="agree")[2]
    assert not re.search(r"[.!?\u2026]\.$", sentence), sentence
    assert not sentence.endswith("going to ."), sentence
    signs = signs_line({"own_signs": own})
    assert signs == "" or all(re.search(r"\w", sign) for sign in signs.split("; ")), signs


@pytest.mark.parametrize(
    ("time", "said"),
    [("18:30", "6:30 pm"), ("07:05", "7:05 am"), ("00:00", "12:00 am"), ("12:00", "12:00 pm")],
)
def test_back_at_a_time_of_day(time, said):
    sentences = plan(calm_action="walk", back_how="at_time", back_time=time)
    assert_is_a_plan(sentences)
    assert sentences[3] == f"I'll be back at {said} and we can talk about this then."


@pytest.mark.parametrize("option", BREAK_MINUTES, ids=MINUTES)
def test_back_in_a_number_of_minutes(option):
    sentences = plan(calm_action="walk", back_how="in_minutes", back_minutes=option.value)
    assert_is_a_plan(sentences)
    assert sentences[3] == f"I'll be back in {option.label} and we can talk about this then."


def test_agreeing_on_a_time_together():
    sentences = plan(calm_action="walk", back_how="agree")
    assert_is_a_plan(sentences)
    assert sentences[3] == "Let's agree on a good time to talk about this."


def test_a_time_or_break_length_left_from_an_earlier_choice_is_not_said():
    agree = plan(back_how="agree", back_time="18:30", back_minutes="45")
    assert agree[3] == "Let's agree on a good time to talk about this."
    at_time = plan(back_how="at_time", back_time="18:30", back_minutes="45")
    assert "45" not in at_time[3]
    in_minutes = plan(back_how="in_minutes", back_time="18:30", back_minutes="45")
    assert "18:30" not in in_minutes[3]


@pytest.mark.parametrize(
    "answers",
    [
        {},
        {"calm_action": None, "back_how": None},
        {"calm_action": "walk"},
        {"back_how": "at_time"},
        {"back_how": "at_time", "back_time": None},
        {"back_how": "in_minutes"},
        {"back_how": "in_minutes", "back_minutes": "7"},
        {"calm_action": "no-such-activity", "back_how": "sometime"},
        {"calm_action": "own"},
    ],
    ids=repr,
)
def test_missing_or_unknown_answers_still_give_four_statements(answers):
    sentences = PREVIEW.preview(answers)
    assert_is_a_plan(sentences)
    assert sentences[2] in {
        "I am going to withdraw and calm down.",
        "I am going to withdraw and calm down: I'm going to go for a walk.",
    }
    assert sentences[3] == "Let's agree on a good time to talk about this."


def test_every_way_of_answering_gives_four_statements():
    actions = [*CALM_ACTIONS, "own", None]
    come_backs = [
        {"back_how": "at_time", "back_time": "18:30"},
        *({"back_how": "in_minutes", "back_minutes": value} for value in MINUTES),
        {"back_how": "agree"},
        {},
    ]
    for action, come_back in itertools.product(actions, come_backs):
        answers = {"calm_action": action, "own_action": "stretch" if action == "own" else None, **come_back}
        assert_is_a_plan(PREVIEW.preview(answers))


# -- early signs and the card ------------------------------------------------------------------


def test_early_signs_in_the_order_of_the_list_with_own_words_last():
    signs = signs_line({"signs": ["louder", "hot", "other"], "own_signs": "  I start pacing  "})
    assert signs == "My voice gets louder or sharper; My face or body gets hot; I start pacing"


def test_something_else_is_never_said_as_a_sign():
    assert signs_line({"signs": ["other"]}) == ""
    assert signs_line({"signs": ["other"], "own_signs": "I clench my teeth"}) == "I clench my teeth"


@pytest.mark.parametrize(
    "answers",
    [{}, {"signs": None}, {"signs": []}, {"signs": "hot"}, {"own_signs": "   "}, {"signs": ["unknown"]}],
    ids=repr,
)
def test_no_early_signs(answers):
    assert signs_line(answers) == ""
    assert not any(line.startswith("My early signs") for line in card_lines(answers))


def test_own_signs_alone():
    assert signs_line({"own_signs": "I go very still"}) == "I go very still"


def test_card_lines_number_the_four_statements_then_signs_then_what_i_care_about():
    answers = {
        "signs": ["tense", "sarcastic"],
        "own_signs": "I start pacing",
        "care_words": "  Our evenings together  ",
        "calm_action": "headphones",
        "back_how": "at_time",
        "back_time": "19:00",
    }
    assert card_lines(answers) == [
        "1. I recognize that I am getting angry.",
        "2. I care about the relationship.",
        "3. I am going to withdraw and calm down: I'm going to put on my headphones.",
        "4. I'll be back at 7:00 pm and we can talk about this then.",
        "",
        TWENTY_MINUTES,
        BREAK_RULES,
        "",
        "My early signs: My jaw, fists or shoulders tighten; I get sarcastic; I start pacing.",
        "",
        "What I care about: Our evenings together",
    ]


def test_card_lines_with_only_the_statements_and_the_break():
    lines = card_lines({"calm_action": "walk", "back_how": "agree", "care_words": "  "})
    statements = [f"{n}. {s}" for n, s in enumerate(plan(calm_action="walk", back_how="agree"), 1)]
    assert lines == [*statements, "", TWENTY_MINUTES, BREAK_RULES]


@pytest.mark.parametrize("not_ready", ["say_so", "another_break"])
def test_the_card_says_what_happens_when_not_calm_yet(not_ready):
    lines = card_lines({"back_how": "agree", "not_ready": not_ready})
    assert lines[4:8] == ["", TWENTY_MINUTES, BREAK_RULES, NOT_READY_LINES[not_ready]]


@pytest.mark.parametrize(
    "answers",
    [
        {},
        {"calm_action": "own", "own_action": "stretch", "back_how": "at_time", "back_time": "07:05"},
        {"calm_action": "movie", "back_how": "in_minutes", "back_minutes": "45", "signs": ["hot"]},
        {"calm_action": "walk", "back_how": "agree", "share_plan": "not_safe"},
        {"calm_action": "walk", "been_hurt": "yes"},
    ],
    ids=repr,
)
def test_the_card_is_the_worksheets_takeaway_and_starts_with_the_plan_read_back(answers):
    takeaway = SHEET.takeaway
    assert takeaway is not None
    assert takeaway.title == "My anger plan"
    numbered = [f"{n}. {s}" for n, s in enumerate(PREVIEW.preview(answers), 1)]
    assert takeaway.lines(answers)[:4] == numbered


# -- the length of the break -------------------------------------------------------------------


@pytest.mark.parametrize("minutes", ["240", "480"])
def test_a_long_break_gets_a_gentle_note(minutes):
    answers = {"back_how": "in_minutes", "back_minutes": minutes}
    note = break_note(answers)
    assert note is not None
    assert note.tone == "insight"
    assert note.text == LONG_BREAK_NOTE
    assert "A long break is fine" in note.text
    assert [note.text] == [n.text for n in SHEET.field("back_minutes").notices if n.applies(minutes)]


@pytest.mark.parametrize(
    "answers",
    [
        *({"back_how": "in_minutes", "back_minutes": value} for value in SHORT_BREAKS),
        {"back_how": "at_time", "back_time": "23:30"},
        {"back_how": "agree"},
        {"back_how": "agree", "back_minutes": "480"},  # a length left from an earlier choice
        {},
    ],
    ids=repr,
)
def test_no_note_for_other_breaks(answers):
    assert break_note(answers) is None
    assert [item.tone for item in SHEET.feedback(answers)] == ["next_step"]


@pytest.mark.parametrize("minutes", MINUTES)
def test_every_break_length_can_be_chosen(minutes):
    """The note informs; it never forbids a long break."""
    come_back = step_of(SHEET, "come_back")
    raw = {"back_how": "in_minutes", "back_minutes": minutes, "not_ready": "say_so", "share_plan": "yes"}
    checked = check_step(come_back, raw, {"been_hurt": "no", "hurt_partner": "no"})
    assert checked.ok
    assert checked.clean == {**raw, "back_time": None}


def test_the_long_break_note_shows_under_the_long_options_only():
    field = SHEET.field("back_minutes")
    noted = [value for value in MINUTES if any(notice.applies(value) for notice in field.notices)]
    assert noted == ["240", "480"]
    assert all(notice.text == LONG_BREAK_NOTE for notice in field.notices)


def test_the_long_break_note_never_forbids():
    notices = [notice.text for notice in SHEET.field("back_minutes").notices]
    note = break_note({"back_how": "in_minutes", "back_minutes": "480"})
    text = " ".join([*notices, note.text]).lower()
    for word in ["must", "should", "not allowed", "can't", "too long", "don't"]:
        assert word not in text


def test_the_practise_note_comes_last():
    items = SHEET.feedback({"back_how": "in_minutes", "back_minutes": "480"})
    assert [item.tone for item in items] == ["insight", "next_step"]
    assert "log how it went" in items[-1].text


# -- the worksheet follows the article -------------------------------------------------------


def test_the_plan_is_registered_and_revisable():
    sheet = get_worksheet("my-anger-plan")
    assert (sheet.id, sheet.version, sheet.title) == ("my-anger-plan", 4, "My anger plan")
    assert sheet.revisable
    assert sheet.revise_label == "Revise my plan"
    assert [link.worksheet_id for link in sheet.next_links] == ["anger-plan-practice"]


def test_safety_first_then_four_statement_steps_titled_with_the_articles_statements_then_a_preview():
    sheet = SHEET
    assert [item.id for item in sheet.steps] == [
        "safety",
        "recognize",
        "care",
        "withdraw",
        "come_back",
        "staying_safe",
        "preview",
    ]
    statements = sheet.steps[1:5]
    for number, (item, statement) in enumerate(zip(statements, ARTICLE_STATEMENTS, strict=True), 1):
        assert item.title.startswith(f"{number}. ")
        title_words = [word for word in words(item.title) if word != "o'clock"]
        statement_words = [word for word in words(statement) if not word.endswith("o'clock")]
        assert title_words == statement_words, item.title


def test_the_come_back_step_offers_to_agree_on_a_time_as_the_article_does():
    come_back = SHEET.field("back_how")
    assert isinstance(come_back, SingleChoice)
    assert option_values(SHEET, "back_how") == ["at_time", "in_minutes", "agree"]
    assert "agree" in step_of(SHEET, "come_back").intro.lower()


def test_the_five_calming_activities_from_the_article_and_one_of_my_own():
    field = SHEET.field("calm_action")
    assert isinstance(field, SingleChoice)
    assert option_values(SHEET, "calm_action") == [*CALM_ACTIONS, "own"]
    labels = [option.label.lower() for option in field.options]
    assert all(label.startswith(calming) for label, calming in zip(labels, ARTICLE_CALMING, strict=False))
    assert labels[4] == "run errands on foot"  # on foot: no driving during a break
    # The third statement says each activity as its choice reads.
    assert list(CALMING) == CALM_ACTIONS and list(CALMING.values()) == labels[:5]


def test_the_own_activity_box_shows_only_for_something_of_my_own():
    own = SHEET.field("own_action")
    assert isinstance(own, ShortText)
    assert own.max_length == 120
    assert is_shown(own, {"calm_action": "own"})
    for action in [*CALM_ACTIONS, None]:
        assert not is_shown(own, {"calm_action": action})


def test_the_time_and_length_show_only_for_their_choice():
    time = SHEET.field("back_time")
    minutes = SHEET.field("back_minutes")
    assert isinstance(time, TimeOfDay)
    assert isinstance(minutes, SingleChoice)
    assert [is_shown(time, {"back_how": how}) for how in ["at_time", "in_minutes", "agree"]] == [
        True,
        False,
        False,
    ]
    assert [is_shown(minutes, {"back_how": how}) for how in ["at_time", "in_minutes", "agree"]] == [
        False,
        True,
        False,
    ]


def test_early_signs_are_a_checklist_with_room_for_own_words():
    signs = SHEET.field("signs")
    own = SHEET.field("own_signs")
    assert isinstance(signs, MultiChoice)
    assert signs.options[-1].value == "other"
    assert isinstance(own, ShortText)
    assert not own.required
    care = SHEET.field("care_words")
    assert isinstance(care, LongText)
    assert not care.required


def test_the_preview_step_reads_back_the_plan():
    preview = SHEET.steps[-1]
    assert preview.id == "preview"
    assert preview.fields == ()
    assert preview.preview is not None
    answers = {"calm_action": "movie", "back_how": "in_minutes", "back_minutes": "45"}
    assert preview.preview(answers) == [
        "I recognize that I am getting angry.",
        "I care about the relationship.",
        "I am going to withdraw and calm down: I'm going to watch a movie.",
        "I'll be back in 45 minutes and we can talk about this then.",
    ]


def test_a_full_plan_passes_every_check():
    answers = {
        "been_hurt": "no",
        "hurt_partner": "no",
        "safe_contact": "any",
        "not_ready": "say_so",
        "share_plan": "yes",
        "signs": ["heart"],
        "own_signs": None,
        "care_words": None,
        "calm_action": "own",
        "own_action": "make tea",
        "back_how": "at_time",
        "back_time": "18:30",
        "back_minutes": None,
    }
    assert check_all(SHEET, answers) == {}


def test_choosing_my_own_activity_asks_for_it():
    withdraw = step_of(SHEET, "withdraw")
    checked = check_step(withdraw, {"calm_action": "own", "own_action": "  "}, {})
    assert set(checked.errors) == {"own_action"}
    checked = check_step(withdraw, {"calm_action": "walk", "own_action": "make tea"}, {})
    assert checked.clean == {"calm_action": "walk", "own_action": None}


# -- the practice log ------------------------------------------------------------------------


def practice(**overrides) -> dict:
    answers = {
        "unsafe_this_time": "no",
        "physical_this_time": "no",
        "safe_contact": "any",
        "noticed": True,
        "said_statements": True,
        "kept_break": "yes",
        "came_back_on_time": "yes",
        "talk_went": 4,
        "note": None,
    }
    return {**answers, **overrides}


def practice_score(answers) -> int:  # type: ignore[no-untyped-def]
    """How many of the three plan moves happened (the log's ``plan_moves``)."""
    return LOG.values(answers)["plan_moves"]


def how_it_went(answers):  # type: ignore[no-untyped-def]
    return card(LOG.feedback(answers), "How it went")


def test_the_practice_log_fields():
    sheet = get_worksheet("anger-plan-practice")
    assert (sheet.id, sheet.version) == ("anger-plan-practice", 3)
    fields = {item.id: item for _, item in sheet.all_fields()}
    assert list(fields) == [
        "unsafe_this_time",
        "physical_this_time",
        "safe_contact",
        "contact_how",
        "noticed",
        "said_statements",
        "kept_break",
        "came_back_on_time",
        "talk_went",
        "note",
    ]
    assert isinstance(fields["noticed"], YesNo)
    assert isinstance(fields["said_statements"], YesNo)
    came_back = fields["came_back_on_time"]
    assert isinstance(came_back, SingleChoice)
    assert [option.value for option in came_back.options] == ["yes", "late", "no", "not_needed"]
    rating = fields["talk_went"]
    assert isinstance(rating, Rating)
    assert (rating.low, rating.high) == (1, 5)
    assert [value for _, value in rating.points()] == [1, 2, 3, 4, 5]
    assert rating.low_label and rating.high_label
    note = fields["note"]
    assert isinstance(note, LongText)
    assert not note.required
    assert all(
        item.required for item in fields.values() if item.id not in ("note", "contact_how", "talk_went")
    )
    assert [link.worksheet_id for link in sheet.next_links] == ["my-anger-plan"]


def test_a_practice_log_without_a_note_passes_every_check():
    assert check_all(LOG, practice()) == {}


@pytest.mark.parametrize("rating", [0, 6, "4", True, 3.5])
def test_the_rating_is_a_whole_number_from_one_to_five(rating):
    assert "talk_went" in check_all(LOG, practice(talk_went=rating))


@pytest.mark.parametrize(
    ("overrides", "score"),
    [
        ({}, 3),
        ({"came_back_on_time": "late"}, 2),
        ({"came_back_on_time": "no"}, 2),
        ({"came_back_on_time": "not_needed"}, 3),
        ({"said_statements": False}, 2),
        ({"noticed": False}, 2),
        ({"noticed": False, "said_statements": False, "came_back_on_time": "no"}, 0),
        ({"noticed": None, "said_statements": None, "came_back_on_time": None}, 0),
    ],
    ids=repr,
)
def test_practice_score_counts_the_three_plan_moves(overrides, score):
    assert practice_score(practice(**overrides)) == score


def test_practice_score_of_nothing_is_zero():
    assert practice_score({}) == 0


def test_the_whole_plan_working_is_named():
    item = how_it_went(practice())
    assert "That is the plan working." in item.text


def test_noticing_is_praised_when_the_rest_did_not_happen():
    item = how_it_went(practice(said_statements=False, came_back_on_time="no"))
    assert "You noticed the anger" in item.text


def test_not_noticing_is_met_with_encouragement():
    item = how_it_went(practice(noticed=False, said_statements=False))
    assert "Anger can move fast." in item.text
    assert "coach" in item.text


def test_practice_feedback_never_scolds():
    for noticed, said, came_back in itertools.product(
        [True, False, None], [True, False, None], ["yes", "late", "no", "not_needed", None]
    ):
        answers = practice(noticed=noticed, said_statements=said, came_back_on_time=came_back)
        [item] = LOG.feedback(answers)
        assert item.title == "How it went"
        assert item.tone == "insight"
        text = f"{item.title} {item.text}".lower()
        for word in SCOLDING_WORDS:
            assert not re.search(rf"\b{re.escape(word)}", text), (answers, word)
