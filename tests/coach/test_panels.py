"""The dashboard's HTML pieces: everything from the store is escaped; safety comes first and plainly."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from html import escape

import pandas as pd

from coachkit.coach import charts, frames, panels, risk, scores
from coachkit.exercises import WORKSHEETS
from tests.coach.conftest import FIGHT, HOSTILE, fight, fill

PLAN = "my-anger-plan"

NOW = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)


def assert_escaped(html: str, text: str = HOSTILE) -> None:
    assert escape(text) in html
    assert "<script>" not in html
    assert "<img src=x" not in html


def test_client_table_escapes_names_and_shows_the_counts(store):
    hostile = store.add_client(HOSTILE)
    fill(store, hostile, FIGHT, fight(been_hurt="yes", frequency="daily"))
    html = panels.client_table(frames.clients(store), NOW)
    assert_escaped(html)
    assert '<span class="ck-badge ck-safety">Hurt by someone</span>' in html
    assert "Frequent fighting" in html
    assert "today" in html or "days ago" in html


def test_client_table_without_clients_says_how_to_add_one(store):
    assert "coachkit client add" in panels.client_table(frames.clients(store), NOW)


def test_days_ago():
    assert panels.days_ago(pd.Timestamp(NOW), NOW) == "today"
    assert panels.days_ago(pd.Timestamp(NOW - dt.timedelta(days=1)), NOW) == "yesterday"
    assert panels.days_ago(pd.Timestamp(NOW - dt.timedelta(days=12)), NOW) == "12 days ago"
    assert panels.days_ago(pd.NaT, NOW) == ""


def test_days_ago_counts_calendar_days_in_the_coachs_zone():
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    late = pd.Timestamp("2026-11-19 23:30", tz=berlin)  # two hours before midnight, the day before
    assert panels.days_ago(late, pd.Timestamp("2026-11-20 01:30", tz=berlin)) == "yesterday"
    assert panels.days_ago(late, pd.Timestamp("2026-11-19 23:59", tz=berlin)) == "today"
    early = pd.Timestamp("2026-11-18 00:10", tz=berlin)
    assert panels.days_ago(early, pd.Timestamp("2026-11-20 00:05", tz=berlin)) == "2 days ago"
    # The same moments given in UTC still count Berlin's days: ``now`` is read in the time's zone.
    assert panels.days_ago(late, pd.Timestamp("2026-11-20 00:30", tz="UTC")) == "yesterday"


def test_risk_flags_come_first_with_the_answer_that_raised_them_and_a_link(store, ann):
    fill(store, ann, FIGHT, fight(frequency="weekly"))
    unsafe = fill(store, ann, FIGHT, fight(been_hurt="yes", safe_contact="wait"))
    answers = frames.answer_dicts(frames.answers(store))
    html = panels.flag_panels(frames.flags(store), "Ann", answers)
    assert html.index("Check in first") < html.index("Other flags")
    assert 'role="alert"' in html
    assert "Ann raised an urgent flag once, most urgent first." in html
    assert "said a partner or someone close has hurt them or made them afraid: their safety first" in html
    assert (
        "“Has a partner, or anyone close to you, ever hurt you or made you afraid?”: <strong>Yes</strong>"
        in html
    )
    assert re.search(r"<strong>\d{1,2} \w{3} \d{4}, \d{2}:\d{2}</strong>", html)  # the day and the hour
    assert f'href="#ck-response-{unsafe.id}"' in html


def test_a_client_who_chose_not_to_say_gets_a_gentler_panel(store, ann):
    fill(store, ann, FIGHT, fight(been_hurt="rather_not_say", safe_contact="any"))
    html = panels.flag_panels(frames.flags(store), "Ann", frames.answer_dicts(frames.answers(store)))
    assert "Check in first" not in html
    assert "Chose not to say" in html
    assert "<strong>I&#x27;d rather not say</strong>" in html


def test_the_clients_word_on_safe_contact_is_shown_escaped(store, ann):
    fill(store, ann, FIGHT, fight(been_hurt="yes", safe_contact="some", contact_how=HOSTILE))
    html = panels.contact_panel(risk.safe_contact(frames.answers(store)))
    assert "Safe to contact:</strong> Yes, but only in some ways, or at some times." in html
    assert_escaped(html)
    assert panels.contact_panel(None) == ""


def test_no_flags_no_panels(store, ann):
    fill(store, ann, FIGHT, fight())
    assert panels.flag_panels(frames.flags(store), "Ann") == ""


def test_first_name_in_the_safety_panel_is_escaped(store):
    client = store.add_client(HOSTILE)
    fill(store, client, FIGHT, fight(been_hurt="yes"))
    assert_escaped(panels.flag_panels(frames.flags(store), HOSTILE))


def test_timeline_is_newest_first_and_escapes_every_answer(store, ann):
    older = fill(store, ann, FIGHT, fight(recent_fight=HOSTILE))
    newer = fill(store, ann, FIGHT, fight(), steps=2, complete=False)
    html = panels.timeline(frames.responses(store), frames.answer_dicts(frames.answers(store)))
    assert html.index(f"ck-response-{newer.id}") < html.index(f"ck-response-{older.id}")
    assert "Draft, at step 3 of 6" in html
    assert_escaped(html)
    assert "<dt>How often do fights or arguments happen?</dt><dd>Rarely, a few times a year</dd>" in html


def test_timeline_marks_an_answer_to_an_older_version(store, ann):
    response = store.start_response(ann.id, FIGHT, 0)
    store.save_step(
        response.id, "meeting_a_fight", {"approach": "run", "gone_question": HOSTILE}, current_step=1
    )
    html = panels.timeline(frames.responses(store), frames.answer_dicts(frames.answers(store)))
    assert "Answered version 0 of this worksheet" in html
    assert "<dt>gone_question</dt>" in html
    assert_escaped(html)


def test_an_opened_but_unanswered_worksheet_says_so(store, ann):
    store.start_response(ann.id, FIGHT, 1)
    html = panels.timeline(frames.responses(store), {})
    assert "Nothing answered yet." in html


def test_answers_of_an_unknown_worksheet_are_still_shown(store):
    assert_escaped(panels.answers_html("retired-sheet", {"note": HOSTILE, "ticks": ["a", "b"]}))
    assert "a; b" in panels.answers_html("retired-sheet", {"ticks": ["a", "b"]})


def plan_versions(store) -> pd.DataFrame:
    return scores.versions(frames.answers(store), WORKSHEETS[PLAN])


def test_takeaway_card_shows_the_current_card_and_folds_the_earlier_ones(store, ann):
    plan = {"signs": ["hot"], "calm_action": "own", "own_action": HOSTILE, "back_how": "agree"}
    fill(store, ann, PLAN, {**plan, "own_action": "water the plants"})
    fill(store, ann, PLAN, plan)
    html = panels.takeaway_card(plan_versions(store), WORKSHEETS[PLAN])
    current, earlier = html.split("Earlier versions (1)")
    assert "Version 2" in current
    assert "1. I recognize that I am getting angry." in current
    assert_escaped(current)
    assert "water the plants" in earlier
    assert "Version 1" in earlier


def test_takeaway_card_leaves_out_blank_lines(store, ann):
    fill(store, ann, PLAN, {"signs": ["hot"], "calm_action": "walk", "back_how": "agree"})
    html = panels.takeaway_card(plan_versions(store), WORKSHEETS[PLAN])
    assert "<p></p>" not in html
    assert "<p>My early signs: My face or body gets hot.</p>" in html


def test_takeaway_card_without_a_card_yet(store):
    assert "No “My anger plan” yet." in panels.takeaway_card(plan_versions(store), WORKSHEETS[PLAN])


def test_no_takeaway_card_for_a_worksheet_without_one(store):
    assert panels.takeaway_card(plan_versions(store), WORKSHEETS[FIGHT]) == ""


def test_chart_grid_gives_each_chart_alternative_text():
    chart = charts.Chart('Title "quoted"', b"\x89PNG", "Latest: 2 of 5.")
    html = panels.chart_grid([chart, charts.Chart("Empty", None, charts.NO_DATA)])
    assert 'alt="Title &quot;quoted&quot;. Latest: 2 of 5."' in html
    assert 'src="data:image/png;base64,' in html
    assert '<div class="ck-empty">No data yet.</div>' in html


def test_download_links_escape_the_file_name():
    html = panels.download_links({'a"b.csv': ("text/csv", b"x,y\n")})
    assert 'download="a&quot;b.csv"' in html
    assert 'href="data:text/csv;base64,eCx5Cg=="' in html


def test_the_coach_is_reminded_while_clients_see_the_default_help_texts():
    html = panels.help_texts_note(["safety-help", "crisis-help"])
    assert "no phone numbers" in html
    assert "<strong>crisis-help</strong>" in html and "Your settings" in html
    assert panels.help_texts_note([]) == ""


def test_alerts_that_could_not_be_sent_are_told_to_the_coach(store):
    assert panels.mail_note(store.find_mail(unsent_only=True)) == ""
    store.queue_mail("alert", "coach@example.org", "A client needs you", "…")
    [mail] = store.find_mail(unsent_only=True)
    assert panels.mail_note([mail]) == ""  # not tried yet: nothing is wrong
    store.mark_mail_failed(mail.id, "the mail server could not be reached", store.now())
    note = panels.mail_note(store.find_mail(unsent_only=True))
    assert "1 alert to you could not be sent yet" in note and "could not be reached" in note


def test_a_checked_in_flag_moves_from_check_in_first_to_checked_in_with_its_note(store, ann):
    fill(store, ann, FIGHT, fight(been_hurt="yes", safe_contact="any"))
    store.check_in_flags(frames.flags(store)["flag_id"].tolist(), HOSTILE)
    html = panels.flag_panels(frames.flags(store), "Ann", frames.answer_dicts(frames.answers(store)))
    assert "Check in first" not in html
    assert "<h3>Checked in</h3>" in html
    assert_escaped(html)


def test_a_flag_a_draft_no_longer_raises_is_kept_with_both_times(store, ann):
    draft = fill(store, ann, FIGHT, fight(been_hurt="yes"), steps=1, complete=False)
    store.save_step(draft.id, "safety", {"been_hurt": "no"}, current_step=1, flags=set())
    html = panels.flag_panels(frames.flags(store), "Ann")
    assert "Check in first" not in html
    assert re.search(r"raised \d{1,2} \w{3} \d{4}, \d\d:\d\d, answer changed \d{1,2} \w{3}", html)
