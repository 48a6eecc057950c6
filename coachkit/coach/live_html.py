"""HTML pieces of the live view: a followed client's worksheet as it is filled, then its summary.

Pure functions of the store's records and the worksheet; every text from the store (a client's name,
their answers) reaches HTML only through ``escape``. Times are shown in the coach's zone, to the second,
so the coach can see each answer arrive.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from coachkit.coach import risk
from coachkit.coach.live_state import Presence, presence_line, title
from coachkit.store import LiveResponse
from coachkit.worksheet import URGENT, Worksheet, is_shown

LIVE_CSS = """<style>
.ck-live { border: 1px solid var(--ck-line, #d9dfdc); border-radius: 8px; background: #fff;
  padding: .25rem 1rem .75rem; margin: .75rem 0 1rem; }
.ck-live h2 { margin-top: .5rem; }
.ck-live-card { border-top: 1px solid var(--ck-line, #d9dfdc); padding-top: .5rem; margin-top: .5rem; }
.ck-live-card h3 { margin: .25rem 0; font-size: 1.1rem; }
.ck-live-where { font-weight: 600; }
.ck-live-dot { display: inline-block; width: .7rem; height: .7rem; border-radius: 50%; margin-right: .4rem;
  background: #9aa5a2; vertical-align: baseline; }
.ck-live-open .ck-live-dot, .ck-live-tabs .ck-live-dot { background: #2f8a5f; }
.ck-live-lost .ck-live-dot { background: #c27c0e; }
.ck-live-gone { background: #fdeeee; border-left: 6px solid #9b1c1c; padding: .5rem 1rem;
  border-radius: 6px; }
.ck-live-steps { list-style: none; padding: 0; margin: .5rem 0; }
.ck-live-step { border-left: 4px solid var(--ck-line, #d9dfdc); padding: .1rem .75rem .3rem;
  margin: .4rem 0; }
.ck-live-step.ck-here { border-left-color: #2f6f62; background: #eef5f3; border-radius: 0 6px 6px 0; }
.ck-live-step.ck-ahead { color: var(--ck-soft, #5b6b68); }
.ck-live-step h4 { margin: .2rem 0; font-size: .95rem; }
.ck-live-here { font-size: .8rem; font-weight: 600; color: #2f6f62; margin-left: .5rem; }
.ck-live dl.ck-answers { display: grid; grid-template-columns: minmax(10rem, 2fr) 3fr; gap: .15rem 1rem;
  margin: .2rem 0 .4rem; }
.ck-live dl.ck-answers dt, .ck-live dl.ck-answers dd { margin: 0; float: none; width: auto; }
.ck-live dl.ck-answers dt { font-weight: 600; }
.ck-live dl.ck-answers dd { white-space: pre-wrap; }
.ck-live-saved { color: var(--ck-soft, #5b6b68); font-size: .8rem; margin-left: .5rem; white-space: nowrap; }
.ck-live-private { color: #8a4b12; font-size: .8rem; margin-left: .5rem; }
.ck-live-events { color: var(--ck-soft, #5b6b68); font-size: .9rem; margin: .25rem 0 .5rem 1.1rem;
  padding: 0; }
.ck-live-feedback { border: 1px solid var(--ck-line, #d9dfdc); border-radius: 6px; padding: .3rem .8rem;
  margin: .4rem 0; }
.ck-live-note textarea { width: 100%; min-height: 5em; font: inherit; }
.ck-live .ck-open-now button { margin: 0 .4rem .4rem 0; }
.ck-coach-note { white-space: pre-wrap; border-left: 4px solid #2f6f62; padding-left: .6rem; }
</style>"""

OPEN_MEANS = (
    "“Open now” lists clients whose page is open in a browser that is connected to your client server "
    "at this moment: signed in, the page loaded, its connection live. A page whose connection dropped "
    "shows as “connection lost” for about half a minute, then as closed; a phone that simply goes out "
    "of signal is noticed within about a minute and a half. A client who signed in earlier but closed "
    "the tab is not listed."
)
PRIVATE = "On their page it stays hidden until they type their code (their private answer)."


def clock_time(value: dt.datetime | None, zone: dt.tzinfo) -> str:
    """An hour to the second in the coach's zone ("14:05:12")."""
    return "" if value is None else f"{value.astimezone(zone):%H:%M:%S}"


def intro() -> str:
    return (
        LIVE_CSS + "<h2>In a session</h2>"
        '<p class="ck-muted">Follow a client’s worksheet as they fill it: the step they are on, each answer '
        "as it is saved (within a second), flags as they are raised, then the summary they read. Pick a "
        "client and press <strong>Follow live</strong>, or choose one of the pages open now. It updates "
        "by itself.</p>"
        f'<details class="ck-open-means"><summary>What “open now” means</summary>'
        f'<p class="ck-body">{escape(OPEN_MEANS)}</p></details>'
    )


def open_now(count: int) -> str:
    if count == 0:
        return '<p class="ck-muted ck-open-now-none">No client has a page open now.</p>'
    return f"<p><strong>Open now</strong> ({count}). Press a name to follow their page:</p>"


def card_heading(name: str, found: Presence, step: str) -> str:
    """The client's name, where they are (a dot coloured by state), and the step."""
    where = presence_line(found)
    step_text = f' <span class="ck-live-step-now">{escape(step)}</span>' if step else ""
    return (
        f'<h3>{escape(name)}</h3><p class="ck-live-{found.state}" role="status">'
        f'<span class="ck-live-dot" aria-hidden="true"></span><span class="ck-live-where">'
        f"{escape(where)}</span>{step_text}</p>"
    )


def gone(name: str) -> str:
    return (
        f'<h3>{escape(name)}</h3><p class="ck-live-gone" role="alert">{escape(name)} was deleted, with every '
        "answer, draft, flag and note. There is nothing more to follow.</p>"
    )


def unreadable() -> str:
    return (
        '<p class="ck-note" role="status">Your store can’t be read just now. This view tries again every '
        "few seconds and carries on by itself.</p>"
    )


def events_list(events: Sequence[tuple[dt.datetime, str]], zone: dt.tzinfo) -> str:
    """The latest things that happened, newest last."""
    if not events:
        return ""
    items = "".join(f"<li>{escape(clock_time(when, zone))} {escape(text)}</li>" for when, text in events)
    return f'<ul class="ck-live-events">{items}</ul>'


def step_line(sheet: Worksheet | None, live: LiveResponse, shown: Sequence[int]) -> str:
    """ "in “Title”, step 2 of 6" (or "finished") for the card's heading; ``shown``: the steps shown for
    the answers as they stand (``shown_steps``)."""
    name = title(live.mark.worksheet_id)
    if live.mark.status == "completed":
        return f"Finished {name}."
    if sheet is None or not shown:
        return f"Filling in {name}."
    current = min(live.mark.current_step, len(sheet.steps) - 1)
    position = sum(index <= current for index in shown) or 1
    return f"Filling in {name}: step {position} of {len(shown)}, “{sheet.steps[current].title}”."


def _answer(
    item: Any, saved: Any, zone: dt.tzinfo, private: bool, unanswered: str = "Not answered yet"
) -> str:
    shown = item.display(saved.value) if saved is not None else ""
    text = escape(shown) if shown else f'<span class="ck-unanswered">{escape(unanswered)}</span>'
    when = f' <span class="ck-live-saved">saved {clock_time(saved.saved_at, zone)}</span>' if saved else ""
    lock = (
        f' <span class="ck-live-private" title="{escape(PRIVATE)}">private on their page</span>'
        if private and saved and item.sensitive
        else ""
    )
    return f'<dt>{escape(item.label)}</dt><dd data-field="{escape(item.id)}">{text}{when}{lock}</dd>'


def progress(
    sheet: Worksheet,
    live: LiveResponse,
    facts: Mapping[str, Any],
    shown: Sequence[int],
    zone: dt.tzinfo,
    *,
    private: bool,
) -> str:
    """Every step shown for the answers as they stand (``shown``): done, the one they are on, ahead."""
    current = min(live.mark.current_step, len(sheet.steps) - 1)
    items = []
    for position, index in enumerate(shown, start=1):
        step = sheet.steps[index]
        state = "ck-here" if index == current else "ck-done" if index < current else "ck-ahead"
        here = '<span class="ck-live-here">They are here</span>' if index == current else ""
        answers = "".join(
            _answer(item, live.answers.get(item.id), zone, private)
            for item in step.fields
            if is_shown(item, facts)
        )
        started = index <= current or any(item.id in live.answers for item in step.fields)
        body = f'<dl class="ck-answers">{answers}</dl>' if started else ""
        current_mark = ' aria-current="step"' if index == current else ""
        items.append(
            f'<li class="ck-live-step {state}"{current_mark}><h4>Step {position} · {escape(step.title)}'
            f"{here}</h4>{body}</li>"
        )
    return f'<ol class="ck-live-steps">{"".join(items)}</ol>'


def _fill(text: str, context: Mapping[str, str]) -> str:
    for name, value in context.items():
        text = text.replace("{" + name + "}", value)
    return text


def summary(
    sheet: Worksheet,
    live: LiveResponse,
    facts: Mapping[str, Any],
    context: Mapping[str, str],
    zone: dt.tzinfo,
) -> str:
    """The finished worksheet as the client read it: the feedback, then every question asked."""
    cards = "".join(
        f'<section class="ck-live-feedback ck-{escape(item.tone)}"><strong>{escape(item.title)}</strong>'
        f"<p>{escape(_fill(item.text, context))}</p></section>"
        for item in sheet.summary_feedback(facts)
    )
    steps = []
    for step in sheet.steps:
        if not step.fields or not is_shown(step, facts):
            continue
        answers = "".join(
            _answer(item, live.answers.get(item.id), zone, False)
            for item in step.fields
            if is_shown(item, facts)
        )
        steps.append(f'<h4>{escape(step.title)}</h4><dl class="ck-answers">{answers}</dl>')
    return (
        f'<div class="ck-live-summary"><p><strong>Finished at {clock_time(live.completed_at, zone)}.'
        f"</strong> The summary they read:</p>{cards}<h4>Their answers</h4>{''.join(steps)}</div>"
    )


def raw_answers(live: LiveResponse, zone: dt.tzinfo) -> str:
    """A response whose worksheet no longer reads: its answers by field, as stored."""
    rows = "".join(
        f"<dt>{escape(field)}</dt><dd>{escape(str(saved.value))} "
        f'<span class="ck-live-saved">saved {clock_time(saved.saved_at, zone)}</span></dd>'
        for field, saved in live.answers.items()
    )
    return f'<dl class="ck-answers">{rows}</dl>'


def flags(worksheet_id: str, live: LiveResponse, answers: Mapping[str, Any], zone: dt.tzinfo) -> str:
    """Flags standing now, urgent ones first and plainly (which answer raised each, and when)."""
    standing = [flag for flag in live.flags if flag.cleared_at is None]
    if not standing:
        return ""
    ordered = sorted(standing, key=lambda flag: risk.LEVEL_ORDER[risk.level(worksheet_id, flag.flag)])
    items = []
    for flag in ordered:
        level = risk.level(worksheet_id, flag.flag)
        said = "".join(
            f"<br>“{escape(question)}”: <strong>{escape(answer)}</strong>"
            for question, answer in risk.raised_by(worksheet_id, flag.flag, answers)
        )
        checked = " (you have checked in)" if flag.checked_at else ""
        items.append(
            f'<li class="ck-live-flag ck-level-{escape(level)}">'
            f"<strong>{clock_time(flag.raised_at, zone)}</strong> "
            f"{escape(risk.meaning(worksheet_id, flag.flag))}{escape(checked)}.{said}</li>"
        )
    urgent = any(risk.level(worksheet_id, flag.flag) in URGENT for flag in standing)
    if urgent:
        return (
            '<section class="ck-alert ck-live-flags" role="alert"><h4>Flag raised: check in</h4>'
            f"<ul>{''.join(items)}</ul></section>"
        )
    return f'<section class="ck-attention ck-live-flags"><h4>Flags</h4><ul>{"".join(items)}</ul></section>'
