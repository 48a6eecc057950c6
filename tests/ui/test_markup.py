"""HTML pieces: every client answer, coach setting and worksheet text reaches the page escaped."""

from __future__ import annotations

import pytest

from coachkit.ui import markup
from coachkit.worksheet import (
    Feedback,
    MultiChoice,
    Option,
    ShortText,
    SingleChoice,
    Step,
    When,
    Worksheet,
    YesNo,
)

HOSTILE = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    "\"quoted\" and 'single'",
    "Tom &amp; Jerry",
]
ESCAPED = {
    "<script>alert('x')</script>": "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;",
    '<img src=x onerror="alert(1)">': "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;",
    "\"quoted\" and 'single'": "&quot;quoted&quot; and &#x27;single&#x27;",
    "Tom &amp; Jerry": "Tom &amp;amp; Jerry",
}
RAW_MARKERS = ["<script", "<img", 'onerror="', "'x'", "&amp; Jerry"]


def sheet() -> Worksheet:
    return Worksheet(
        id="markup-demo",
        version=1,
        title="Markup demo",
        steps=(
            Step(
                "first",
                "First <step>",
                (
                    SingleChoice(
                        id="mood",
                        label="Mood <em>now</em>?",
                        options=(Option("good", "Good & <b>well</b>"), Option("bad", "Bad")),
                    ),
                    ShortText(id="why", label="Why it's bad", shown_if=When("mood", "bad")),
                    ShortText(id="note", label="Your note", required=False),
                ),
            ),
            Step(
                "second",
                "Second",
                (
                    YesNo(id="ready", label="Ready?"),
                    MultiChoice(
                        id="days",
                        label="Days",
                        options=(Option("mon", "Monday"), Option("tue", "Tuesday")),
                        required=False,
                    ),
                ),
            ),
        ),
    )


def assert_escaped(html: str, text: str) -> None:
    assert ESCAPED[text] in html
    assert text not in html


# -- fill ------------------------------------------------------------------------------------


def test_fill_replaces_each_placeholder():
    assert markup.fill("Call {who} on {number}.", {"who": "Sam", "number": "123"}) == ("Call Sam on 123.")


def test_fill_replaces_every_occurrence():
    assert markup.fill("{x} and {x}", {"x": "y"}) == "y and y"


def test_fill_leaves_unknown_placeholders_alone():
    assert markup.fill("Hello {name}", {"other": "z"}) == "Hello {name}"


def test_fill_returns_plain_text_not_yet_escaped():
    assert markup.fill("{help}", {"help": "<b>call</b>"}) == "<b>call</b>"


# -- small pieces ----------------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_paragraph_escapes_its_text(text):
    assert_escaped(markup.paragraph(text), text)


def test_paragraph_of_nothing_is_nothing():
    assert markup.paragraph("") == ""


def test_paragraph_escapes_its_css_class():
    html = markup.paragraph("hi", 'x" onclick="alert(1)')
    assert 'onclick="' not in html
    assert html.startswith('<p class="x&quot; onclick=&quot;alert(1)">')


@pytest.mark.parametrize("text", HOSTILE)
def test_heading_escapes_its_text(text):
    assert_escaped(markup.heading(text, 3), text)


def test_progress_says_which_step_for_screen_readers():
    html = markup.progress(2, 6)
    assert "Step 2 of 6" in html
    assert 'role="status"' in html
    assert "width:33%" in html


# -- notice ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_notice_escapes_its_text(text):
    assert_escaped(markup.notice(text, {}), text)


@pytest.mark.parametrize("setting", HOSTILE)
def test_notice_escapes_the_coachs_setting_it_fills_in(setting):
    html = markup.notice("Help: {safety_help}", {"safety_help": setting})
    assert "{safety_help}" not in html
    assert_escaped(html, setting)


def test_notice_is_a_note_for_screen_readers():
    assert markup.notice("Be safe", {}) == '<div class="ck-notice" role="note">Be safe</div>'


# -- feedback cards --------------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_feedback_cards_escape_title_and_text(text):
    html = markup.feedback_cards([Feedback("insight", text, text)], {})
    assert html.count(ESCAPED[text]) == 2
    assert text not in html


@pytest.mark.parametrize("setting", HOSTILE)
def test_feedback_cards_escape_the_coachs_setting(setting):
    html = markup.feedback_cards(
        [Feedback("safety", "Safe", "Help: {safety_help}")], {"safety_help": setting}
    )
    assert "{safety_help}" not in html
    assert_escaped(html, setting)


def test_feedback_cards_keep_the_given_order_with_a_class_per_tone():
    items = [Feedback("safety", "First", "a"), Feedback("next_step", "Second", "b")]
    html = markup.feedback_cards(items, {})
    assert html.index("ck-safety") < html.index("First") < html.index("ck-next_step")
    assert html.index("First") < html.index("Second")


def test_feedback_cards_of_nothing_is_nothing():
    assert markup.feedback_cards([], {}) == ""


# -- answers list ----------------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_answers_list_escapes_client_text(text):
    html = markup.answers_list(sheet(), {"mood": "good", "note": text})
    assert_escaped(html, text)


def test_answers_list_escapes_the_worksheets_own_wording():
    html = markup.answers_list(sheet(), {"mood": "good"})
    assert "Mood &lt;em&gt;now&lt;/em&gt;?" in html
    assert "Good &amp; &lt;b&gt;well&lt;/b&gt;" in html
    assert "First &lt;step&gt;" in html
    assert "<em>" not in html
    assert "<b>" not in html


def test_answers_list_shows_answers_as_the_client_reads_them():
    answers = {"mood": "bad", "why": "tired", "ready": False, "days": ["tue", "mon"]}
    html = markup.answers_list(sheet(), answers)
    assert "<dd>Bad</dd>" in html
    assert "<dd>tired</dd>" in html
    assert "<dd>No</dd>" in html
    assert "<dd>Tuesday\nMonday</dd>" in html


def test_answers_list_marks_unanswered_questions():
    html = markup.answers_list(sheet(), {"mood": "good"})
    # note, ready and days are unanswered; why is hidden.
    assert html.count('<span class="ck-unanswered">Skipped</span>') == 3


def test_answers_list_leaves_out_a_hidden_field():
    html = markup.answers_list(sheet(), {"mood": "good", "why": "stale answer"})
    assert "Why it&#x27;s bad" not in html
    assert "stale answer" not in html


def test_answers_list_includes_a_field_its_condition_shows():
    html = markup.answers_list(sheet(), {"mood": "bad", "why": "tired"})
    assert "Why it&#x27;s bad" in html
    assert "<dd>tired</dd>" in html


def test_answers_list_shows_every_step_title():
    html = markup.answers_list(sheet(), {})
    assert "<h3>First &lt;step&gt;</h3>" in html
    assert "<h3>Second</h3>" in html


# -- summary ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_summary_escapes_client_text(text):
    html = markup.summary(sheet(), {"mood": "good", "note": text}, [], {})
    assert_escaped(html, text)


@pytest.mark.parametrize("setting", HOSTILE)
def test_summary_escapes_the_coachs_setting_in_feedback(setting):
    items = [Feedback("safety", "Safe", "{safety_help}")]
    html = markup.summary(sheet(), {}, items, {"safety_help": setting})
    assert_escaped(html, setting)


def test_summary_puts_feedback_before_the_answers():
    items = [Feedback("insight", "An insight", "text")]
    html = markup.summary(sheet(), {"mood": "good", "note": "my note"}, items, {})
    assert html.index("An insight") < html.index("<h2>Your answers</h2>") < html.index("my note")


def test_summary_has_no_raw_markup_from_any_hostile_source():
    answers = {"mood": "bad", "why": HOSTILE[0], "note": HOSTILE[1]}
    items = [Feedback("attention", HOSTILE[2], HOSTILE[3] + " {safety_help}")]
    html = markup.summary(sheet(), answers, items, {"safety_help": HOSTILE[0]})
    for marker in RAW_MARKERS:
        assert marker not in html


def test_each_help_text_is_kept_only_in_the_last_notice_that_names_it():
    notices = [
        ["That sounds hard. {crisis_help}"],
        [],
        ["Not sleeping is hard. {crisis_help} {other}", "A note."],
        ["You matter. {crisis_help} Your coach will be told."],
    ]
    assert markup.each_help_once(notices, ["crisis_help", "other"]) == [
        ["That sounds hard."],
        [],
        ["Not sleeping is hard. {other}", "A note."],
        ["You matter. {crisis_help} Your coach will be told."],
    ]
    assert notices[0] == ["That sounds hard. {crisis_help}"]  # the worksheet's own texts untouched
