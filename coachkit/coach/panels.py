"""HTML pieces of the coach's dashboard. Pure functions of frames and records; every text is escaped here.

A client's words, their name, and anything else from the store only ever reach HTML through ``escape``
(ipywidgets' HTML widget renders raw HTML).
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable, Mapping
from html import escape
from typing import Any

import pandas as pd

from coachkit.coach import risk
from coachkit.coach.charts import Chart
from coachkit.coach.frames import is_answered, split_flags
from coachkit.exercises import WORKSHEETS
from coachkit.i18n import LANGUAGES
from coachkit.store import Mail
from coachkit.worksheet import URGENT, ShortText, Worksheet, is_shown

NOT_SAID = "_not_said"
BADGE_CLASS = {
    "crisis": "ck-safety",
    "danger": "ck-safety",
    "risk": "ck-safety",
    "gentle": "ck-gentle",
    "attention": "ck-attention",
}


def when(value: Any) -> str:
    """A day as the coach reads it ("20 Nov 2026"), or "never"."""
    return "never" if value is None or pd.isna(value) else f"{pd.Timestamp(value):%-d %b %Y}"


def when_exactly(value: Any) -> str:
    """A day and hour in the time's own zone ("20 Nov 2026, 14:05"): when a flag was raised. The
    dashboard hands over times in the coach's zone (``zone.in_zone``)."""
    if value is None or pd.isna(value):
        return "never"
    return f"{pd.Timestamp(value):%-d %b %Y, %H:%M}"


def days_ago(value: Any, now: dt.datetime) -> str:
    """How many calendar days ago, in the time's own zone: "today" since its midnight, "yesterday" for the
    day before, however few hours ago that was."""
    if value is None or pd.isna(value):
        return ""
    stamp, current = pd.Timestamp(value), pd.Timestamp(now)
    if stamp.tzinfo is not None and current.tzinfo is not None:
        current = current.tz_convert(stamp.tzinfo)
    days = (current.date() - stamp.date()).days
    return "today" if days <= 0 else "yesterday" if days == 1 else f"{days} days ago"


def flag_name(flag: str) -> str:
    """A flag's id as the coach reads it: ``physical_not_said`` is "Physical: not said"."""
    name = flag.removesuffix(NOT_SAID).replace("_", " ").capitalize()
    return f"{name}: not said" if flag.endswith(NOT_SAID) else name


def badge(flag: str, level: str = "attention", count: int = 0) -> str:
    suffix = f" ×{count}" if count > 1 else ""
    return f'<span class="ck-badge {BADGE_CLASS[level]}">{escape(flag_name(flag) + suffix)}</span>'


def help_texts_note(unset: list[str]) -> str:
    """A reminder while clients still see default help texts (which name kinds of service, no numbers)."""
    if not unset:
        return ""
    names = ", ".join(f"<strong>{escape(name)}</strong>" for name in unset)
    return (
        '<p class="ck-note" role="note">Your clients see the default help texts, which name kinds of '
        f"service but no phone numbers. Set the numbers for where your clients live: {names}, under "
        "“Your settings” at the bottom of this page (or <code>coachkit settings NAME TEXT</code>).</p>"
    )


def mail_note(waiting: list[Mail]) -> str:
    """Alerts that could not be sent yet, and why: the coach would otherwise think none were raised."""
    failed = [mail for mail in waiting if mail.attempts]
    if not failed:
        return ""
    last = failed[0]
    count = "1 alert" if len(failed) == 1 else f"{len(failed)} alerts"
    return (
        f'<p class="ck-note ck-mail-failed" role="alert">{count} to you could not be sent yet '
        f"(last try: {escape(last.last_error)}). They are kept and tried again; check your mail settings "
        "with <code>coachkit mail test</code>. Meanwhile, the flags are all on this page.</p>"
    )


def demo_note(note: str) -> str:
    return f'<p class="ck-note" role="note">{escape(note)}</p>' if note else ""


def client_table(clients: pd.DataFrame, now: dt.datetime) -> str:
    """The coach's list: clients with risk flags first; name, last activity, counts, flags (risk first)."""
    if clients.empty:
        return '<p class="ck-empty">No clients yet. Add one with <code>coachkit client add NAME</code>.</p>'
    head = (
        "<tr><th>Client</th><th>Last activity</th><th class='ck-num'>Worksheets done</th>"
        "<th class='ck-num'>Open drafts</th><th>Flags</th></tr>"
    )
    rows = []
    for row in clients.itertuples():
        shown = split_flags(row.risk) + split_flags(row.gentle)
        flags = "".join(badge(flag, "risk") for flag in split_flags(row.risk))
        flags += "".join(badge(flag, "gentle") for flag in split_flags(row.gentle))
        flags += "".join(badge(flag) for flag in split_flags(row.flags) if flag not in shown)
        ago = days_ago(row.last_activity, now)
        activity = escape(when(row.last_activity)) + (
            f' <span class="ck-muted">({ago})</span>' if ago else ""
        )
        rows.append(
            f"<tr><td>{escape(row.client)}</td><td>{activity}</td>"
            f"<td class='ck-num'>{int(row.completed)}</td><td class='ck-num'>{int(row.drafts)}</td>"
            f"<td>{flags}</td></tr>"
        )
    return f'<table class="ck-clients"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


def client_heading(name: str, code: str, added: Any) -> str:
    return f'<h2>{escape(name)}</h2><p class="ck-muted">Code {escape(code)} · added {escape(when(added))}</p>'


def _title(worksheet_id: str) -> str:
    return WORKSHEETS[worksheet_id].title if worksheet_id in WORKSHEETS else worksheet_id


def _raised_item(row: Any, answers: Mapping[int, Mapping[str, Any]]) -> str:
    given = risk.raised_by(row.worksheet, row.flag, answers.get(int(row.response_id), {}))
    said = "".join(
        f"<br>“{escape(question)}”: <strong>{escape(answer)}</strong>" for question, answer in given
    )
    draft = " (a draft)" if row.status == "draft" else ""
    return (
        f"<li><strong>{escape(when_exactly(row.raised_at))}</strong>, "
        f"in “{escape(_title(row.worksheet))}”{draft}: "
        f"{escape(risk.meaning(row.worksheet, row.flag))}.{said} "
        f'<a href="#ck-response-{int(row.response_id)}">See the answers</a>.</li>'
    )


def flag_panels(
    flags: pd.DataFrame, first_name: str, answers: Mapping[int, Mapping[str, Any]] | None = None
) -> str:
    """Open flags first and plainly (which answer raised each, and when), risk before "chose not to say";
    then the rest; then the coach's check-ins, and flags a corrected draft no longer raises."""
    if flags.empty:
        return ""
    answers = answers or {}
    leveled = risk.with_levels(flags)
    still = leveled[leveled["cleared_at"].isna()]
    unchecked = still[still["checked_at"].isna()]
    urgent = unchecked[unchecked["level"].isin(URGENT)]
    gentle = unchecked[unchecked["level"] == "gentle"]
    others = still[still["level"] == "attention"]
    parts = []
    if not urgent.empty:
        times = "once" if len(urgent) == 1 else f"{len(urgent)} times"
        items = "".join(_raised_item(row, answers) for row in urgent.itertuples())
        parts.append(
            '<section class="ck-alert" role="alert"><h2>Check in first</h2>'
            f"<p>{escape(first_name)} raised an urgent flag {times}, most urgent first. Each says what it "
            "means and which answer raised it; get in touch only in the way they said is safe. Once you "
            "have, mark it checked in below.</p>"
            f"<ul>{items}</ul></section>"
        )
    if not gentle.empty:
        items = "".join(_raised_item(row, answers) for row in gentle.itertuples())
        parts.append(
            '<section class="ck-gentle"><h3>Chose not to say</h3>'
            f"<p>{escape(first_name)} chose not to answer a safety question. They saw where to get help; "
            f"a gentle check-in may be welcome.</p><ul>{items}</ul></section>"
        )
    if not others.empty:
        latest = others.groupby("flag", sort=False).first().reset_index()
        items = "".join(
            f"<li>{escape(flag_name(row.flag))}: last raised {escape(when(row.raised_at))}, "
            f"in “{escape(_title(row.worksheet))}” ({int((others['flag'] == row.flag).sum())} in all)</li>"
            for row in latest.itertuples()
        )
        parts.append(f'<section class="ck-attention"><h3>Other flags</h3><ul>{items}</ul></section>')
    return "".join(parts) + checked_panel(leveled) + cleared_panel(leveled)


def checked_panel(flags: pd.DataFrame) -> str:
    """The coach's check-ins, newest first: which flag, when, and their note."""
    checked = flags[flags["checked_at"].notna() & flags["level"].isin([*URGENT, "gentle"])]
    if checked.empty:
        return ""
    items = "".join(
        f"<li><strong>Checked in {escape(when_exactly(row.checked_at))}</strong> about "
        f"“{escape(risk.meaning(row.worksheet, row.flag))}” (raised {escape(when_exactly(row.raised_at))})"
        + (f': <q class="ck-check-note">{escape(row.checked_note)}</q>' if row.checked_note else "")
        + "</li>"
        for row in checked.sort_values("checked_at", ascending=False).itertuples()
    )
    return f'<section class="ck-checked"><h3>Checked in</h3><ul>{items}</ul></section>'


def cleared_panel(flags: pd.DataFrame) -> str:
    """Flags a draft raised until the client changed that answer: kept, with both times."""
    cleared = flags[flags["cleared_at"].notna()]
    if cleared.empty:
        return ""
    items = "".join(
        f"<li>“{escape(risk.meaning(row.worksheet, row.flag))}”, in “{escape(_title(row.worksheet))}”: "
        f"raised {escape(when_exactly(row.raised_at))}, answer changed "
        f"{escape(when_exactly(row.cleared_at))}</li>"
        for row in cleared.sort_values("cleared_at", ascending=False).itertuples()
    )
    return (
        '<details class="ck-cleared"><summary>Answers changed since (flags no longer raised)</summary>'
        f'<ul class="ck-body">{items}</ul></details>'
    )


def contact_panel(contact: risk.SafeContact | None) -> str:
    """Whether, and how, the client said the coach may get in touch: shown before anything else."""
    if contact is None:
        return ""
    how = f" “{escape(contact.how)}”" if contact.how else ""
    said = f'<span class="ck-muted">(said {escape(when(contact.said_at))})</span>'
    return (
        f'<p class="ck-contact"><strong>Safe to contact:</strong> {escape(contact.choice)}.{how} {said}</p>'
    )


def chart_grid(charts: list[Chart]) -> str:
    """Each chart with its title and its summary in words (also the image's alternative text)."""
    if not charts:
        return '<p class="ck-empty">Nothing to chart yet: no worksheet finished.</p>'
    figures = []
    for chart in charts:
        if chart.png is None:
            body = f'<div class="ck-empty">{escape(chart.summary)}</div>'
        else:
            data = base64.b64encode(chart.png).decode("ascii")
            body = (
                f'<img src="data:image/png;base64,{data}" alt="{escape(chart.title + ". " + chart.summary)}">'
                f"<figcaption>{escape(chart.summary)}</figcaption>"
            )
        figures.append(f'<figure class="ck-chart"><h3>{escape(chart.title)}</h3>{body}</figure>')
    return f'<div class="ck-charts">{"".join(figures)}</div>'


SheetOf = Callable[[str, int], Worksheet | None]
"""The worksheet a response was given in, by id and version (``Versions.get``)."""


def _current(worksheet_id: str, version: int) -> Worksheet | None:
    return WORKSHEETS.get(worksheet_id)


def typed_in(language: str | None, reader: str | None) -> str:
    """The note beside a client's own words written in another language than the coach reads them in."""
    if not language or not reader or language == reader:
        return ""
    name = LANGUAGES[language].english if language in LANGUAGES else language
    return f' <span class="ck-muted ck-lang" lang="en">(written in {escape(name)})</span>'


def answers_html(
    worksheet_id: str,
    answers: Mapping[str, Any],
    sheet: Worksheet | None = None,
    language: str | None = None,
    reader: str | None = None,
) -> str:
    """A response's answers, question by question as the client read them; unknown fields at the end.

    ``sheet`` is the version they were given in (by default, the worksheet as it is now), in the coach's
    language (``reader``): choices read in it; what the client typed stays as typed, with the language it
    was written in (``language``) noted when it is another.
    """
    sheet = sheet or WORKSHEETS.get(worksheet_id)
    note = typed_in(language, reader)
    rows, listed = [], set()
    if sheet is not None:
        for step in sheet.steps:
            for item in step.fields:
                listed.add(item.id)
                if not is_shown(item, answers):
                    continue
                value = answers.get(item.id)
                shown = item.display(value) if is_answered(value) else ""
                text = escape(shown) if shown else '<span class="ck-unanswered">Not answered</span>'
                if shown and isinstance(item, ShortText):
                    text = f'<span lang="{escape(language or "")}">{text}</span>{note}'
                rows.append(f"<dt>{escape(item.label)}</dt><dd>{text}</dd>")
    for field_id, value in answers.items():
        if field_id not in listed and is_answered(value):
            shown = "; ".join(map(str, value)) if isinstance(value, list) else str(value)
            rows.append(f"<dt>{escape(field_id)}</dt><dd>{escape(shown)}</dd>")
    return f'<dl class="ck-answers">{"".join(rows)}</dl>'


def timeline(
    responses: pd.DataFrame,
    answers: Mapping[int, Mapping[str, Any]],
    sheet_of: SheetOf = _current,
    reader: str | None = None,
) -> str:
    """Every completed worksheet and draft, newest first, each one opening to its answers, worded as the
    version they were given in (when the store kept it: ``sheet_of``)."""
    if responses.empty:
        return '<p class="ck-empty">Nothing yet: no worksheet started.</p>'
    entries = []
    for row in responses.sort_values(["updated_at", "response_id"], ascending=False).itertuples():
        sheet = sheet_of(row.worksheet, int(row.version))
        draft = row.status == "draft"
        state = ""
        if draft and sheet is not None:
            step = min(int(row.current_step), len(sheet.steps) - 1) + 1  # as the client will resume it
            state = f'<span class="ck-badge ck-draft">Draft, at step {step} of {len(sheet.steps)}</span>'
        elif draft:
            state = '<span class="ck-badge ck-draft">Draft</span>'

        flags = "".join(badge(flag, risk.level(row.worksheet, flag)) for flag in split_flags(row.flags))
        given = answers.get(int(row.response_id), {})
        note = ""
        if sheet is not None and sheet.version != row.version:
            note = (
                f'<p class="ck-muted">Answered version {int(row.version)} of this worksheet; the questions '
                f"below are worded as in version {sheet.version}.</p>"
            )
        language = getattr(row, "language", None)
        body = (
            answers_html(row.worksheet, given, sheet, language, reader)
            if given
            else '<p class="ck-muted">Nothing answered yet.</p>'
        )
        entries.append(
            f'<details class="ck-entry" id="ck-response-{int(row.response_id)}"><summary>'
            f"<strong>{escape(when(row.updated_at))}</strong> · {escape(row.title)} {state}{flags}</summary>"
            f'<div class="ck-body">{note}{body}</div></details>'
        )
    return "".join(entries)


def takeaway_card(versions: pd.DataFrame, sheet: Worksheet) -> str:
    """A worksheet's take-home card as the client has it now, earlier versions folded away."""
    takeaway = sheet.takeaway
    if takeaway is None:
        return ""
    if versions.empty:
        return f'<div class="ck-plan"><p class="ck-empty">No “{escape(takeaway.title)}” yet.</p></div>'

    def body(answers: Mapping[str, Any]) -> str:
        lines = [line for line in takeaway.lines(answers) if line]
        return "".join(f"<p>{escape(line)}</p>" for line in lines)

    current, *earlier = list(versions.itertuples())
    html = (
        f'<div class="ck-plan"><p class="ck-muted">Version {int(current.number)}, '
        f"{escape(when(current.completed_at))} (current)</p>{body(current.answers)}"
    )
    if earlier:
        older = "".join(
            f"<h3>Version {int(row.number)}, {escape(when(row.completed_at))}</h3>{body(row.answers)}"
            for row in earlier
        )
        html += (
            f"<details><summary>Earlier versions ({len(earlier)})</summary>"
            f'<div class="ck-body">{older}</div></details>'
        )
    return html + "</div>"


def download_links(files: Mapping[str, tuple[str, bytes]]) -> str:
    """Links that save each file (``name: (mime type, content)``) straight from the page."""
    links = []
    for name, (mime, content) in files.items():
        data = base64.b64encode(content).decode("ascii")
        size = f"{len(content) / 1024:,.0f} KB" if len(content) >= 1024 else f"{len(content)} bytes"
        links.append(
            f'<a download="{escape(name)}" href="data:{escape(mime)};base64,{data}">{escape(name)}</a>'
            f' <span class="ck-muted">({size})</span>'
        )
    return f'<div class="ck-downloads">{"<br>".join(links)}</div>'
