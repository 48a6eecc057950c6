"""Every field kind's server-side check (``clean``), how it reads an answer back, and its own problems."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from coachkit.worksheet import (
    FIELD_KINDS,
    AnswerError,
    LongText,
    MultiChoice,
    Notice,
    Option,
    Rating,
    Refusal,
    ShortText,
    SingleChoice,
    TimeOfDay,
    YesNo,
)

COLOURS = (Option("red", "Red"), Option("green", "Green"), Option("blue", "Blue"))


def single(**overrides) -> SingleChoice:
    return SingleChoice(**{"id": "colour", "label": "Pick a colour", "options": COLOURS, **overrides})


def multi(**overrides) -> MultiChoice:
    return MultiChoice(**{"id": "colours", "label": "Tick colours", "options": COLOURS, **overrides})


def rating(**overrides) -> Rating:
    defaults = {"id": "mood", "label": "Mood", "low_label": "Low", "high_label": "High"}
    return Rating(**{**defaults, **overrides})


def short(**overrides) -> ShortText:
    return ShortText(**{"id": "note", "label": "A note", **overrides})


def long(**overrides) -> LongText:
    return LongText(**{"id": "story", "label": "Your story", **overrides})


def time_of_day(**overrides) -> TimeOfDay:
    return TimeOfDay(**{"id": "when", "label": "When", **overrides})


def yes_no(**overrides) -> YesNo:
    return YesNo(**{"id": "agree", "label": "Agree?", **overrides})


EVERY_KIND = [single, multi, rating, short, long, time_of_day, yes_no]


# -- what every kind shares ------------------------------------------------------------------


def test_every_kind_is_in_the_dispatch_table():
    assert {make().kind for make in EVERY_KIND} == set(FIELD_KINDS)


@pytest.mark.parametrize("make", EVERY_KIND)
def test_a_required_field_refuses_no_answer_with_a_plain_message(make):
    with pytest.raises(AnswerError, match=r"^Please"):
        make().clean(None)


@pytest.mark.parametrize("make", EVERY_KIND)
def test_an_optional_field_stores_no_answer_as_none(make):
    assert make(required=False).clean(None) is None


@pytest.mark.parametrize("make", [single, rating, short, long, time_of_day, yes_no])
@pytest.mark.parametrize("blank", ["", "   ", "\n\t"])
def test_blank_text_counts_as_no_answer(make, blank):
    assert make(required=False).clean(blank) is None
    with pytest.raises(AnswerError):
        make().clean(blank)


@pytest.mark.parametrize("make", EVERY_KIND)
def test_display_of_no_answer_is_empty(make):
    assert make().display(None) == ""


@pytest.mark.parametrize("make", EVERY_KIND)
def test_a_sound_field_has_no_problems(make):
    assert make().problems() == []


@pytest.mark.parametrize("bad_id", ["Colour", "1colour", "_colour", "colour-name", "colour name", ""])
def test_a_bad_id_is_a_problem(bad_id):
    assert any("id" in problem for problem in single(id=bad_id).problems())


def test_an_id_with_a_trailing_newline_is_a_problem():
    # ``$`` also matches before a final newline; an id must be exactly letters, digits and _.
    assert any("id" in problem for problem in single(id="colour\n").problems())


def test_a_blank_label_is_a_problem():
    assert "it has no label" in yes_no(label="   ").problems()


# -- single choice ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["red", "green", "blue"])
def test_single_choice_accepts_each_option_value(value):
    assert single().clean(value) == value


@pytest.mark.parametrize("forged", ["purple", "Red", "RED", "red ", 0, 1, True, 3.5])
def test_single_choice_refuses_a_value_not_among_its_options(forged):
    with pytest.raises(AnswerError, match="isn't one of the options"):
        single().clean(forged)


def test_single_choice_refuses_the_label_in_place_of_the_value():
    with pytest.raises(AnswerError):
        single().clean("Green")


@pytest.mark.parametrize("forged", [["red"], {"red": 1}, ("red",)])
def test_single_choice_refuses_a_container_with_an_answer_error(forged):
    # Whatever the browser sends, the client must see a plain message, never a TypeError.
    with pytest.raises(AnswerError):
        single().clean(forged)


def test_single_choice_missing_message_asks_to_choose():
    with pytest.raises(AnswerError, match=re.escape("Please choose one of the options.")):
        single().clean("")


def test_single_choice_displays_the_label():
    assert single().display("green") == "Green"


def test_single_choice_displays_an_unknown_value_as_empty():
    assert single().display("purple") == ""


def test_single_choice_with_one_option_is_a_problem():
    assert "a choice needs at least two options" in single(options=(Option("a", "A"),)).problems()


def test_single_choice_with_duplicate_values_is_a_problem():
    options = (Option("a", "A"), Option("a", "Another A"))
    assert "two options share a value" in single(options=options).problems()


def test_single_choice_with_a_blank_option_label_is_a_problem():
    options = (Option("a", "A"), Option("b", " "))
    assert "an option has no label" in single(options=options).problems()


# -- multi choice ----------------------------------------------------------------------------


def test_multi_choice_keeps_the_options_order_whatever_the_tick_order():
    assert multi().clean(["blue", "red"]) == ["red", "blue"]


def test_multi_choice_accepts_a_tuple():
    assert multi().clean(("green",)) == ["green"]


def test_multi_choice_stores_a_repeated_tick_once():
    assert multi().clean(["red", "red"]) == ["red"]


@pytest.mark.parametrize("nothing", [[], ()])
def test_multi_choice_nothing_ticked_is_no_answer(nothing):
    assert multi(required=False).clean(nothing) is None
    with pytest.raises(AnswerError, match=re.escape("Please tick at least one.")):
        multi().clean(nothing)


@pytest.mark.parametrize("forged", [["red", "purple"], ["Red"], [1], [None], [["red"]]])
def test_multi_choice_refuses_a_tick_not_on_the_list(forged):
    with pytest.raises(AnswerError, match="isn't on the list"):
        multi().clean(forged)


@pytest.mark.parametrize("forged", ["red", {"red"}, {"red": True}, 1, True])
def test_multi_choice_refuses_anything_but_a_list(forged):
    with pytest.raises(AnswerError):
        multi().clean(forged)


def test_multi_choice_displays_labels_joined():
    assert multi().display(["red", "blue"]) == "Red\nBlue"


def test_multi_choice_display_skips_unknown_values():
    assert multi().display(["red", "purple"]) == "Red"


def test_multi_choice_with_one_option_is_a_problem():
    assert "a choice needs at least two options" in multi(options=(Option("a", "A"),)).problems()


# -- rating ----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [1, 3, 5])
def test_rating_accepts_a_whole_number_on_the_scale(value):
    assert rating().clean(value) == value


@pytest.mark.parametrize("value", [0, 6, -1, 100])
def test_rating_refuses_a_number_off_the_scale(value):
    with pytest.raises(AnswerError, match=re.escape("Please pick a number from 1 to 5.")):
        rating().clean(value)


@pytest.mark.parametrize("forged", [True, False])
def test_rating_refuses_a_bool_although_bool_is_an_int(forged):
    with pytest.raises(AnswerError):
        rating().clean(forged)


@pytest.mark.parametrize("forged", ["3", 3.0, 2.5, [3]])
def test_rating_refuses_anything_but_an_int(forged):
    with pytest.raises(AnswerError):
        rating().clean(forged)


def test_rating_scale_can_start_at_zero():
    assert rating(low=0, high=10).clean(0) == 0


def test_rating_points_carry_words_at_both_ends():
    assert rating().points() == [("1 – Low", 1), ("2", 2), ("3", 3), ("4", 4), ("5 – High", 5)]


def test_rating_displays_the_point_with_its_words():
    assert rating().display(5) == "5 – High (of 5)"
    assert rating().display(3) == "3 (of 5)"


def test_rating_displays_a_value_off_the_scale_as_empty():
    assert rating().display(9) == ""


@pytest.mark.parametrize(("low", "high"), [(5, 5), (5, 1), (0, 11)])
def test_rating_with_a_bad_scale_is_a_problem(low, high):
    assert "a rating needs low < high, with at most 11 points" in rating(low=low, high=high).problems()


def test_rating_with_eleven_points_is_sound():
    assert rating(low=0, high=10).problems() == []


# -- yes / no --------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [True, False])
def test_yes_no_accepts_a_bool(value):
    assert yes_no().clean(value) is value


@pytest.mark.parametrize("forged", ["yes", "no", "True", 1, 0])
def test_yes_no_refuses_anything_but_a_bool(forged):
    with pytest.raises(AnswerError, match=re.escape("Please answer yes or no.")):
        yes_no().clean(forged)


def test_yes_no_displays_yes_and_no():
    assert (yes_no().display(True), yes_no().display(False)) == ("Yes", "No")


def test_yes_no_displays_a_non_bool_as_empty():
    assert yes_no().display(1) == ""


# -- text ------------------------------------------------------------------------------------

EXACT_TEXTS = [
    "<script>alert('hi')</script>",
    '<img src=x onerror="alert(1)">',
    "He said \"no\" and 'maybe' &amp; left",
    "Feeling 😀 then 😢 and 👨‍👩‍👧",
    "before\x00after",
    "abc\u202edcba",
    "  leading and trailing spaces  ",
    "line one\nline two\r\nline three",
]


@pytest.mark.parametrize("make", [short, long])
@pytest.mark.parametrize("text", EXACT_TEXTS)
def test_text_is_stored_exactly_as_typed(make, text):
    assert make().clean(text) == text


@pytest.mark.parametrize("make", [short, long])
def test_text_displays_exactly_as_typed(make):
    assert make().display("<b>bold</b> & 'quoted'") == "<b>bold</b> & 'quoted'"


def test_short_text_accepts_exactly_max_length():
    assert short(max_length=10).clean("x" * 10) == "x" * 10


def test_short_text_over_max_length_is_refused_with_the_lengths():
    with pytest.raises(AnswerError) as refused:
        short(max_length=300).clean("x" * 301)
    message = str(refused.value)
    assert "301 characters" in message
    assert "up to 300" in message
    assert "shorten" in message


def test_long_text_over_max_length_is_refused_with_grouped_lengths():
    with pytest.raises(AnswerError, match=r"That is 5,001 characters; this box holds up to 5,000\."):
        long().clean("y" * 5001)


def test_long_text_holds_more_than_short_text():
    assert long().clean("z" * 4000) == "z" * 4000
    with pytest.raises(AnswerError):
        short().clean("z" * 4000)


def test_emoji_count_as_one_character_each():
    assert short(max_length=3).clean("😀😀😀") == "😀😀😀"


@pytest.mark.parametrize("forged", [42, True, ["text"], b"bytes", {"text": "x"}])
def test_text_refuses_anything_but_a_string(forged):
    with pytest.raises(AnswerError, match=re.escape("Please type your answer as text.")):
        short().clean(forged)


def test_text_missing_message_asks_for_a_few_words():
    with pytest.raises(AnswerError, match=re.escape("Please write a few words here before going on.")):
        long().clean("   ")


@pytest.mark.parametrize("max_length", [0, -1, 20_001])
def test_text_with_a_bad_max_length_is_a_problem(max_length):
    assert "max_length must be between 1 and 20,000" in short(max_length=max_length).problems()


# -- time of day -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        (dt.time(18, 30), "18:30"),
        (dt.time(7, 5), "07:05"),
        (dt.time(0, 0), "00:00"),
        (dt.time(23, 59, 59), "23:59"),
    ],
)
def test_time_of_day_stores_a_time_as_hh_mm(raw, stored):
    assert time_of_day().clean(raw) == stored


@pytest.mark.parametrize("raw", ["00:00", "07:05", "18:30", "23:59"])
def test_time_of_day_accepts_hh_mm_text(raw):
    assert time_of_day().clean(raw) == raw


@pytest.mark.parametrize(
    "raw",
    ["24:00", "18:60", "7:30", "18.30", "18:30:00", " 18:30", "18:30\n", "noon", "-1:00", "ab:cd"],
)
def test_time_of_day_refuses_a_bad_time(raw):
    with pytest.raises(AnswerError, match=re.escape("Please choose a time, such as 18:30.")):
        time_of_day().clean(raw)


@pytest.mark.parametrize("raw", ["1٨:30", "0٩:3٠", "１８:３０"])
def test_time_of_day_refuses_non_ascii_digits(raw):
    # Python's \d matches any Unicode digit; such a "time" could not be shown again in the picker.
    with pytest.raises(AnswerError):
        time_of_day().clean(raw)


@pytest.mark.parametrize("forged", [1830, 18.5, True, dt.datetime(2024, 1, 1, 18, 30), ["18:30"]])
def test_time_of_day_refuses_anything_but_a_time_or_text(forged):
    with pytest.raises(AnswerError):
        time_of_day().clean(forged)


def test_time_of_day_displays_the_stored_text():
    assert time_of_day().display("18:30") == "18:30"


def test_time_of_day_missing_message_asks_for_a_time():
    with pytest.raises(AnswerError, match=re.escape("Please choose a time.")):
        time_of_day().clean(None)


# -- notices and refusals ----------------------------------------------------------------------


def test_a_notice_applies_while_the_answer_equals_its_value():
    notice = Notice("yes", "Help is there.")
    assert notice.applies("yes")
    assert not notice.applies("no")
    assert not notice.applies(None)


def test_a_notice_may_test_the_answer_with_a_function():
    notice = Notice(lambda text: "help" in text, "Here is help.")
    assert notice.applies("I need help")
    assert not notice.applies("All fine")
    assert not notice.applies(None)


def test_a_refusal_turns_text_down_with_its_own_words():
    box = ShortText(id="plan", label="Plan", refusals=(Refusal(lambda text: "drive" in text, "Not that."),))
    with pytest.raises(AnswerError, match=r"^Not that\.$"):
        box.clean("I'll drive around")
    assert box.clean("I'll walk around") == "I'll walk around"


def test_a_refusal_is_checked_after_the_length():
    box = ShortText(id="plan", label="Plan", max_length=5, refusals=(Refusal(lambda text: True, "Never."),))
    with pytest.raises(AnswerError, match="characters"):
        box.clean("far too long")
