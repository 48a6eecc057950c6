"""The one generic renderer: any worksheet as a click-through wizard, one step per page.

Answers are checked on the server (``check_step``) and saved through the ``Attempt`` each time the client
moves, and within a fraction of a second of any change. Steps whose condition does not hold are skipped.
A failed save keeps what the client typed on the page. Private answers loaded from the store stay hidden
until the client types their code (``IdentityCheck``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from html import escape
from typing import Any

import ipywidgets as w

from coachkit.attempt import Attempt
from coachkit.i18n import ENGLISH, N_, Words
from coachkit.store import DraftChanged, DraftTakenOver, MissingEntry, ResponseCompleted, StoreUnavailable
from coachkit.ui import markup, screens
from coachkit.ui.field_block import FieldBlock
from coachkit.ui.identity import IdentityCheck
from coachkit.widgets.guard import guarded
from coachkit.worksheet import Step, check_all, check_step, is_shown, shown_steps

NOT_SAVED = N_(
    "We couldn't save your answers just now. What you typed is still here, so please try again "
    "in a moment. If it keeps happening, please tell your coach."
)
TAKEN_OVER = N_(
    "This worksheet is now open in another tab or window, so this page has stopped saving. "
    "Please carry on there. Anything you typed here is still on this page, so you can copy it across."
)
FINISHED_ELSEWHERE = N_(
    "This worksheet was finished in another tab or window, so this page has stopped saving. "
    "Anything you typed here is still on this page, so you can copy it or tell your coach."
)
GONE = N_(
    "This worksheet can't be saved any more. Anything you typed is still on this page. "
    "Please get in touch with your coach."
)
CHANGED_ELSEWHERE = N_(
    "This worksheet was saved from another page since this one opened, so this page has stopped saving "
    "rather than write over it. Anything you typed here is still on this page, so you can copy it across."
)
STOPPED = {
    DraftTakenOver: TAKEN_OVER,
    DraftChanged: CHANGED_ELSEWHERE,
    ResponseCompleted: FINISHED_ELSEWHERE,
    MissingEntry: GONE,
}
"""What the client reads when this page may no longer write its draft, by the store's error."""
SETTLE_SECONDS = 0.25
"""How long a move waits for values sent just before the click (see ``_after_settling``)."""
AUTOSAVE_SECONDS = 0.2
"""A change is saved at most this long after the server receives it, even while the client types on."""
NEEDS_A_LOOK = N_("Please have a look at the note on this page before going on.")
EARLIER_ANSWER = N_("An earlier answer still needs a look before you can finish.")
STOP_HERE = N_("Stop here for today")
PRIVATE_NOTE = screens.PRIVATE_NOTE


DRAFT_CLASS = "ck-draft-"


def draft_class(attempt: Attempt) -> str:
    """The wizard's class naming its draft and this page as its writer (``ck-draft-<id>-<writer>``):
    what the page's script sends with text typed while the server was away (``coachkit.web.unsaved``),
    which is saved only while this page still writes the draft."""
    return f"{DRAFT_CLASS}{attempt.response.id}-{attempt.writer}"


class Wizard:
    """Steps of one attempt, with Back / Next, progress, messages, and completion."""

    def __init__(
        self,
        attempt: Attempt,
        context: Mapping[str, str],
        on_complete: Callable[[Attempt], None],
        greeting: str = "",
        on_revealed: Callable[[], None] = lambda: None,
        on_saved: Callable[[], None] = lambda: None,
        words: Words = ENGLISH,
        private_note: str = PRIVATE_NOTE,
    ) -> None:
        self.attempt = attempt
        self.private_note = private_note
        """Said under the greeting (the served page's Quick exit); empty where there is none."""
        self.context = context
        self.words = _ = words
        self.on_complete = on_complete
        self.greeting = greeting
        self.on_revealed = on_revealed
        self.on_saved = on_saved
        self.index = attempt.step_index
        self.blocks: list[FieldBlock] = []
        self.busy = False
        self.stopped = False
        self._autosave_timer: asyncio.TimerHandle | None = None
        self.header = w.HTML()
        self.body = w.VBox(layout=w.Layout(width="100%"))
        self.message = w.HTML()
        self.back = w.Button(description=_(screens.BACK), tooltip=_(screens.BACK_TOOLTIP))
        self.next = w.Button(description=_(screens.NEXT), button_style="primary")
        self.back.on_click(guarded(self.go_back, self.say))
        self.next.on_click(guarded(self.go_next, self.say))
        self.stop_button = w.Button(description=_(STOP_HERE))
        self.stop_button.add_class("ck-button")
        self.stop_button.on_click(guarded(self.stop_here, self.say))
        self.crisis_note = w.HTML()
        self.crisis_top = w.VBox()
        self.crisis_bottom = w.VBox()
        buttons = w.HBox([self.back, self.next])
        buttons.add_class("ck-buttons")
        self.view = w.VBox(
            [self.header, self.crisis_top, self.body, self.crisis_bottom, self.message, buttons]
        )
        self.view.add_class(draft_class(attempt))
        self.render_step()

    @property
    def steps(self) -> tuple[Step, ...]:
        return self.attempt.worksheet.steps

    @property
    def finished(self) -> bool:
        return self.attempt.completed

    def _facts(self) -> dict[str, Any]:
        """What conditions see now: carried and saved answers, and what is on this page.

        A field hidden by an earlier answer counts as unanswered, whatever its widget holds (a value
        forged into a hidden widget must not show the fields that follow it).
        """
        facts = dict(self.attempt.facts)
        for block in self.blocks:
            facts[block.item.id] = block.read() if is_shown(block.item, facts) else None
        return facts

    def _shown(self) -> list[int]:
        """The steps shown for the answers as they stand (this one always included)."""
        shown = shown_steps(self.attempt.worksheet, self._facts())
        return shown if self.index in shown else sorted({*shown, self.index})

    # -- rendering -------------------------------------------------------------------------

    def render_step(self) -> None:
        step = self.steps[self.index]
        old_blocks = self.blocks
        answers = self.attempt.answers
        self.blocks = [
            FieldBlock(
                item,
                answers.get(item.id),
                self.context,
                concealed=item.id in self.attempt.concealed,
                on_reveal=guarded(self.ask_identity, self.say),
                words=self.words,
            )
            for item in step.fields
        ]
        for block in self.blocks:
            for widget in block.input.watched:
                widget.observe(guarded(self._on_change, self.say), names="value")
        self.body.children = [block.view for block in self.blocks]
        for block in old_blocks:
            block.close()
        self._refresh()
        self.say("")

    def _refresh(self) -> None:
        """Header, progress, which fields show, notices and the Next/Finish label, for the answers now."""
        step, sheet, facts = self.steps[self.index], self.attempt.worksheet, self._facts()
        _ = self.words
        shown = self._shown()
        position = shown.index(self.index)
        preview = step.preview(facts) if step.preview else None
        self.header.value = markup.SCROLL_TO_TOP + screens.step_header(
            sheet, step, position, len(shown), self.greeting, preview, self.private_note, _
        )
        visible = [block for block in self.blocks if is_shown(block.item, facts)]
        for block in self.blocks:
            block.show(block in visible)
        notices = markup.each_help_once([block.notice_texts() for block in visible], self.context)
        for block, texts in zip(visible, notices, strict=True):
            block.show_notices(texts)
        self._show_crisis(facts, notices, last=position == len(shown) - 1)
        self.back.layout.visibility = "hidden" if position == 0 else "visible"
        self.next.description = _(screens.FINISH) if position == len(shown) - 1 else _(screens.NEXT)

    def _show_crisis(self, facts: dict[str, Any], notices: list[list[str]], last: bool) -> None:
        """After a sign of crisis: help stays in view on every step, and the client may stop here.

        Where a notice on this step already shows the help (the answer just given), only the offer to
        stop is added, below the fields; on later steps the help and the offer open the step.
        """
        crisis = self.attempt.worksheet.in_crisis(facts) and not self.stopped
        helped_here = any(markup.is_crisis(text) for texts in notices for text in texts)
        self.crisis_note.value = (
            markup.crisis_box(self.context, with_help=not helped_here, can_stop=not last, words=self.words)
            if crisis
            else ""
        )
        offer = (self.crisis_note, *(() if last else (self.stop_button,))) if crisis else ()
        top, bottom = ((), offer) if helped_here else (offer, ())
        if self.crisis_top.children != top:
            self.crisis_top.children = top
        if self.crisis_bottom.children != bottom:
            self.crisis_bottom.children = bottom

    def _on_change(self, _change: Any) -> None:
        self._refresh()
        self._clear_fixed_marks()
        self._schedule_autosave()

    def _clear_fixed_marks(self) -> None:
        """A field marked at the last Next loses its mark once its answer will do (no new marks while the
        client is still answering); the page's note goes with the last mark."""
        marked = [block for block in self.blocks if block.error.value]
        if not marked:
            return
        checked = check_step(self.steps[self.index], self._raw(), self.attempt.facts, enforce_required=True)
        for block in marked:
            if block.item.id not in checked.errors:
                block.set_error("")
        if escape(self.words(NEEDS_A_LOOK)) in self.message.value and not any(
            block.error.value for block in self.blocks
        ):
            self.say("")

    def ask_identity(self) -> None:
        """Before a private answer is shown again: the client types their code."""
        if any("ck-identity" in child._dom_classes for child in self.body.children):
            return
        check = IdentityCheck(self.attempt.client.code, self._revealed, self.say, self.words)
        self.body.children = (check.view, *self.body.children)

    def _revealed(self) -> None:
        self.attempt.reveal()
        self.on_revealed()
        self.render_step()

    def say(self, message: str) -> None:
        """Show a plain message above the buttons, in the page's language (empty clears it)."""
        self.message.value = (
            f'<div class="ck-message" role="alert">{escape(self.words(message))}</div>' if message else ""
        )

    # -- moving ----------------------------------------------------------------------------

    def _raw(self) -> dict[str, Any]:
        return {block.item.id: block.read() for block in self.blocks}

    def _check(self, enforce_required: bool) -> dict[str, Any] | None:
        """The step's clean answers, or None after showing what needs fixing."""
        checked = check_step(
            self.steps[self.index], self._raw(), self.attempt.facts, enforce_required=enforce_required
        )
        for block in self.blocks:
            block.set_error(checked.errors.get(block.item.id, ""))
        if not checked.ok:
            self.say(NEEDS_A_LOOK)
            return None
        return checked.clean

    def go_next(self, _button: Any = None) -> None:
        """Check and save this step, then show the next one (or complete on the last)."""
        self._after_settling(self._next_now)

    def stop_here(self, _button: Any = None) -> None:
        """After a sign of crisis: keep what is on this step, finish here, ask nothing more."""
        self._after_settling(self._stop_now)

    def _stop_now(self) -> None:
        self.greeting = ""
        clean = self._check(enforce_required=False)
        if clean is None:
            return
        self.attempt.complete(clean, self.index, stopped=True)
        self.on_complete(self.attempt)

    def go_back(self, _button: Any = None) -> None:
        """Save what is valid on this step (nothing is required yet) and go back one step."""
        if self._shown().index(self.index) > 0:
            self._after_settling(self._back_now)

    def _after_settling(self, move: Callable[[], None]) -> None:
        """Make a move once the values the browser sent just before the click have arrived.

        A click is sent at once, but the browser may hold back the latest value of another widget
        until its previous message is acknowledged; waiting a moment keeps the last keystroke.
        """
        if self.busy or self.finished or self.stopped:
            return
        self._set_busy(True)
        self._cancel_autosave()

        def run() -> None:
            try:
                move()
            except StoreUnavailable:
                self.say(NOT_SAVED)
            except (DraftTakenOver, ResponseCompleted, MissingEntry) as error:
                self.stop(STOPPED[type(error)])
            finally:
                self._set_busy(False)

        later(SETTLE_SECONDS, guarded(run, self.say))

    def _next_now(self) -> None:
        self.greeting = ""  # said once, on the first step shown
        clean = self._check(enforce_required=True)
        if clean is None:
            return
        later = [index for index in self._shown() if index > self.index]
        if not later:
            self._finish(clean)
            return
        self.attempt.save_step(self.index, clean, later[0])
        self.on_saved()
        self.index = later[0]
        self.render_step()

    def _back_now(self) -> None:
        self.greeting = ""
        clean = self._check(enforce_required=False)
        if clean is None:
            return
        earlier = [index for index in self._shown() if index < self.index]
        self.attempt.save_step(self.index, clean, earlier[-1])
        self.index = earlier[-1]
        self.render_step()

    def _finish(self, clean: dict[str, Any]) -> None:
        sheet = self.attempt.worksheet
        errors = check_all(sheet, {**self.attempt.answers, **clean}, self.attempt.carried)
        if errors:
            self._go_to_first_error(clean, errors)
            return
        self._forget_skipped_steps({**self.attempt.facts, **clean})
        self.attempt.complete(clean, self.index)
        self.on_complete(self.attempt)

    def _forget_skipped_steps(self, facts: dict[str, Any]) -> None:
        """Answers left on steps that no longer apply (an earlier answer changed) are not kept."""
        for index, step in enumerate(self.steps):
            stale = {item.id: None for item in step.fields if self.attempt.answers.get(item.id) is not None}
            if stale and index != self.index and not is_shown(step, facts):
                self.attempt.save_step(index, stale, self.index)

    def _go_to_first_error(self, clean: dict[str, Any], errors: dict[str, str]) -> None:
        target = next(i for i, step in enumerate(self.steps) if any(f.id in errors for f in step.fields))
        self.attempt.save_step(self.index, clean, target)
        self.index = target
        self.render_step()
        for block in self.blocks:
            block.set_error(errors.get(block.item.id, ""))
        self.say(EARLIER_ANSWER)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        if not self.finished and not self.stopped:
            self.back.disabled = self.next.disabled = busy

    def stop(self, message: str) -> None:
        """Stop writing for good (another page has the draft): say why, keep every typed word on the page."""
        self.stopped = True
        self._cancel_autosave()
        self.back.disabled = self.next.disabled = True
        self.say(message)

    # -- autosave while the client is on a step ------------------------------------------------

    def _schedule_autosave(self) -> None:
        """Save soon after a change; changes arriving meanwhile join that save (never postponed)."""
        if self._autosave_timer is None and not self.stopped:
            self._autosave_timer = later(AUTOSAVE_SECONDS, guarded(self._autosave, self.say))

    def _cancel_autosave(self) -> None:
        if self._autosave_timer is not None:
            self._autosave_timer.cancel()
            self._autosave_timer = None

    def _autosave(self) -> None:
        """Save the step's valid answers as they are, so closing the tab loses nothing typed."""
        self._autosave_timer = None
        if self.busy or self.finished or self.stopped:
            return
        checked = check_step(
            self.steps[self.index], self._raw(), self.attempt.answers, enforce_required=False
        )
        if all(self.attempt.answers.get(k) == v for k, v in checked.clean.items()):
            return
        try:
            self.attempt.save_step(self.index, checked.clean, self.index)
            self.on_saved()
        except StoreUnavailable:
            self.say(NOT_SAVED)
        except (DraftTakenOver, ResponseCompleted, MissingEntry) as error:
            self.stop(STOPPED[type(error)])


def later(delay: float, callback: Callable[[], None]) -> asyncio.TimerHandle | None:
    """Run ``callback`` after ``delay`` seconds on the kernel's event loop (at once where there is none)."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        callback()
        return None
    return loop.call_later(delay, callback)
