"""HTML pieces for the worksheet pages. Pure functions; every piece of text is escaped here.

Text typed by a client, and the coach's own settings, are only ever put into HTML through ``escape``.
coachkit's own words are said in the page's language (``words``: ``coachkit.i18n``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape

from coachkit.i18n import ENGLISH, LANGUAGES, N_, Words
from coachkit.worksheet import Answers, Feedback, Field, Worksheet, is_shown

SCROLL_TO_TOP = (
    '<img alt="" src="data:," hidden '
    'onerror="for(let e=this;e;e=e.parentElement){if(e.scrollTop)e.scrollTop=0}window.scrollTo(0,0)">'
)
"""Our own, constant markup: each new screen starts at its top (Voila keeps the old scroll position).

A broken image's error handler is the only way an HTML widget can run a line of script; no client text
is ever part of it.
"""


def fill(text: str, context: Mapping[str, str]) -> str:
    """Replace ``{name}`` placeholders with the coach's settings (plain text, not yet escaped)."""
    for name, value in context.items():
        text = text.replace("{" + name + "}", value)
    return text


def each_help_once(texts: list[list[str]], names: Iterable[str]) -> list[list[str]]:
    """Notices down a page, each ``{name}`` (a help text) kept only where it last appears.

    One long help text read three times over on one page weighs on a client who is struggling; the
    last notice that names it is the one nearest to what they just answered.
    """
    flat = [(row, column) for row, notices in enumerate(texts) for column in range(len(notices))]
    kept = [list(notices) for notices in texts]
    for name in names:
        placeholder = "{" + name + "}"
        places = [(row, column) for row, column in flat if placeholder in texts[row][column]]
        for row, column in places[:-1]:
            kept[row][column] = " ".join(kept[row][column].replace(placeholder, "").split())
    return kept


def paragraph(text: str, css: str = "") -> str:
    klass = f' class="{escape(css)}"' if css else ""
    return f"<p{klass}>{escape(text)}</p>" if text else ""


def heading(text: str, level: int = 2) -> str:
    return f"<h{level}>{escape(text)}</h{level}>"


def label_html(item: Field) -> str:
    """The question and its help, escaped, as the widget's visible label."""
    help_text = f'<span class="ck-help">{escape(item.help)}</span>' if item.help else ""
    return f'<span class="ck-question">{escape(item.label)}</span>{help_text}'


def progress(step_number: int, step_count: int, words: Words = ENGLISH) -> str:
    """The "Step 2 of 6" line and a thin bar, readable by screen readers."""
    percent = round(100 * step_number / step_count)
    line = words.ngettext("Step {step} of {count}", "Step {step} of {count}", step_count, step=step_number)
    return (
        f'<div class="ck-progress" role="status">{escape(line)}</div>'
        f'<div class="ck-progress-bar" aria-hidden="true"><div style="width:{percent}%"></div></div>'
    )


def preview(lines: list[str]) -> str:
    """Lines read back to the client (e.g. their plan), one paragraph each."""
    body = "".join(f"<p>{escape(line)}</p>" for line in lines)
    return f'<div class="ck-card ck-preview">{body}</div>'


CRISIS_PLACEHOLDER = "{crisis_help}"
CRISIS_LABEL = N_("Help, right now")


def is_crisis(text: str) -> bool:
    """Text that carries the coach's crisis help: shown so it cannot be taken for an ordinary note."""
    return CRISIS_PLACEHOLDER in text


def notice(text: str, context: Mapping[str, str], words: Words = ENGLISH) -> str:
    if is_crisis(text):
        return (
            f'<div class="ck-notice ck-crisis" role="note"><strong class="ck-crisis-label">'
            f"{escape(words(CRISIS_LABEL))}</strong>{escape(fill(text, context))}</div>"
        )
    return f'<div class="ck-notice" role="note">{escape(fill(text, context))}</div>'


def feedback_cards(items: list[Feedback], context: Mapping[str, str]) -> str:
    """Each feedback item as a card; safety and red flags already come first, crisis help marked."""
    return "".join(
        f'<section class="ck-card ck-{escape(item.tone)}{" ck-crisis" if is_crisis(item.text) else ""}">'
        f"<h3>{escape(item.title)}</h3><p>{escape(fill(item.text, context))}</p></section>"
        for item in items
    )


def crisis_box(context: Mapping[str, str], with_help: bool, can_stop: bool, words: Words = ENGLISH) -> str:
    """What stays in view on every step after a sign of crisis: the crisis help (unless a notice on the
    step already shows it), and that the client may stop here (unless this is the last step)."""
    stop = f"<p>{escape(words(STOP_OFFER))}</p>" if can_stop else ""
    if not with_help:
        return f'<div class="ck-stop-offer" role="note">{stop}</div>' if stop else ""
    label, help_now = escape(words(CRISIS_LABEL)), escape(fill(CRISIS_PLACEHOLDER, context))
    return (
        f'<div class="ck-crisis ck-crisis-box" role="note"><strong class="ck-crisis-label">'
        f"{label}</strong><p>{help_now}</p>{stop}</div>"
    )


STOP_OFFER = N_(
    "You can stop here for today if you like: everything you've written is saved, and nothing more will be "
    "asked. Your coach can pick it up with you."
)


def answers_list(worksheet: Worksheet, answers: Answers, words: Words = ENGLISH) -> str:
    """Every question asked, with the client's answer as they would read it."""
    parts = []
    for step in worksheet.steps:
        if not step.fields or not is_shown(step, answers):
            continue
        rows = []
        for item in step.fields:
            if not is_shown(item, answers):
                continue
            shown = item.display(answers.get(item.id))
            skipped = escape(words(SKIPPED))
            value = escape(shown) if shown else f'<span class="ck-unanswered">{skipped}</span>'
            rows.append(f"<dt>{escape(item.label)}</dt><dd>{value}</dd>")
        parts.append(f'<h3>{escape(step.title)}</h3><dl class="ck-answers">{"".join(rows)}</dl>')
    return "".join(parts)


SKIPPED = N_("Skipped")
SAVED_FOR_YOU = N_(
    "Your answers are saved for you and your coach, and you can read them again with your code. "
    "Anyone using this phone or computer could see this page, so close it when you're done."
)
THANKS = N_("Thank you. Here is what you shared")


def summary(
    worksheet: Worksheet,
    answers: Answers,
    items: list[Feedback],
    context: Mapping[str, str],
    thanks: bool = True,
    words: Words = ENGLISH,
) -> str:
    """The closing page: (a thank-you,) feedback first, then the answers."""
    return (
        (heading(words(THANKS), 2) + paragraph(words(SAVED_FOR_YOU), "ck-muted") if thanks else "")
        + feedback_cards(items, context)
        + heading(words(N_("Your answers")), 2)
        + answers_list(worksheet, answers, words)
    )


def page_language(code: str) -> str:
    """Our own constant markup (like ``SCROLL_TO_TOP``): the page's ``lang`` and ``dir`` follow the
    language shown, without a reload. ``code`` is one of ``LANGUAGES`` (never client text)."""
    language = LANGUAGES[code]
    return (
        f'<img alt="" src="data:," hidden data-lang="{language.code}" data-dir="{language.direction}" '
        'onerror="var d=document.documentElement;d.lang=this.dataset.lang;d.dir=this.dataset.dir">'
    )


def cell_language(code: str, block_class: str) -> str:
    """As ``page_language``, for one block rather than the whole page (a worksheet in a coach's notebook):
    the nearest element of ``block_class`` (our own constant) takes the language's ``lang`` and ``dir``."""
    language = LANGUAGES[code]
    return (
        f'<img alt="" src="data:," hidden data-lang="{language.code}" data-dir="{language.direction}" '
        f"onerror=\"var d=this.closest('.{block_class}');"
        'if(d){d.lang=this.dataset.lang;d.dir=this.dataset.dir}">'
    )
