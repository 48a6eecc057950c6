"""The live view on the dashboard: follow clients' worksheets as they fill them, in a session.

How it updates: the coach's kernel reads the store, never the client's server. While a followed client
is active (a page open, or a change in the last minute) it looks every ``LIVE_SECONDS`` with two small
statements for everyone it follows (``Store.live_marks``: each client's latest response mark, and the
open pages), and reads a response's answers and flags only when its mark has moved. Otherwise, and for
the "open now" list alone, it looks every ``IDLE_SECONDS``. The client's page does nothing more than
save as it always does, and with nobody following, nothing is read at all but that list while a
dashboard is open. The same code runs on SQLite and PostgreSQL, beside ``coachkit serve`` on one machine
or in a practice, where the client server and the coach's JupyterLab share only the database.

Private answers: the coach reads every answer on the dashboard anyway, so here too; the rule that keeps
them hidden until the client types their code is about the client's page, and the view says where it
applies (``live_html.PRIVATE``).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from html import escape
from typing import Any

import ipywidgets as w

from coachkit.coach import live_html
from coachkit.coach.live_card import LiveCard
from coachkit.coach.live_state import presence, title
from coachkit.coach.zone import coach_zone
from coachkit.exercises.versions import Versions
from coachkit.settings import coach_language, page_context
from coachkit.store import Client, OpenPage, ResponseMark, Store, StoreUnavailable
from coachkit.widgets.guard import guarded, log
from coachkit.widgets.tree import close_tree

LIVE_SECONDS = 0.25
"""How often the view looks while a followed client is active. An answer is saved within 0.2 s of a
change (the wizard's autosave), so it shows here about half a second after the client typed it."""
IDLE_SECONDS = 2.0
"""How often it looks otherwise: the "open now" list, and followed clients with nothing open."""
PACE = 3.0
"""A look that took long (many clients changing at once, a busy machine) waits this many times as long
before the next: the view never takes more than about a quarter of the kernel's time."""
MOST_FOLLOWED = 20


class LiveView:
    """The "In a session" part of the dashboard: open pages, and the clients followed, in ``view``.

    ``store`` gives the store to read (the dashboard's may change from demo data to the coach's own).
    ``start``: look at once and keep looking (off: call ``tick`` by hand, as tests do).
    """

    def __init__(
        self, store: Callable[[], Store], on_error: Callable[[str], None], *, start: bool = True
    ) -> None:
        self.store = store
        self.on_error = on_error
        self.zone = coach_zone(store())
        self.cards: dict[int, LiveCard] = {}
        self.reads = 0
        """Looks at the store so far (each: two statements), for the benchmarks."""
        self.status = w.HTML()
        self.trouble = w.HTML()
        self.open_label = w.HTML(live_html.open_now(0))
        self.open_buttons = w.HBox(layout=w.Layout(flex_flow="row wrap"))
        self.open_buttons.add_class("ck-open-now")
        self.cards_box = w.VBox(layout=w.Layout(width="100%"))
        self.view = w.VBox(
            [
                w.HTML(live_html.intro()),
                self.status,
                self.trouble,
                self.open_label,
                self.open_buttons,
                self.cards_box,
            ],
            layout=w.Layout(width="100%"),
        )
        self.view.add_class("ck-live")
        self._open_key: tuple[Any, ...] | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._running = start
        self._versions: dict[tuple[str, int], Any] = {}
        self._context: tuple[Store, dict[str, str]] | None = None
        if start:
            self.tick()

    # -- what the dashboard calls ---------------------------------------------------------------------

    def follow_button(self, picked: Callable[[], Client | None]) -> w.Button:
        """A "Follow live" button for beside the dashboard's picker: follows the client picked there."""
        button = w.Button(
            description="Follow live", icon="eye", tooltip="Follow this client's worksheet live"
        )
        button.add_class("ck-follow")
        button.on_click(guarded(lambda _: self._follow_picked(picked()), self.on_error))
        return button

    def _follow_picked(self, client: Client | None) -> None:
        if client is None:
            self._say("Pick a client first, then press Follow live.")
            return
        self.follow(client.id, client.name)

    def follow(self, client_id: int, name: str) -> None:
        """Follow a client (once), and look at once."""
        if client_id not in self.cards:
            if len(self.cards) >= MOST_FOLLOWED:
                self._say(f"You are following {MOST_FOLLOWED} clients: stop following one first.")
                return
            self.cards[client_id] = LiveCard(self, client_id, name)
            self.cards_box.children = (*self.cards_box.children, self.cards[client_id].view)
        self._say("")
        self.tick()

    def unfollow(self, client_id: int) -> None:
        card = self.cards.pop(client_id, None)
        if card is not None:
            card.note.flush()
            self.cards_box.children = tuple(c for c in self.cards_box.children if c is not card.view)
            close_tree(card.view)

    def close(self) -> None:
        """Stop looking, save notes, close the widgets."""
        self._running = False
        if self._timer is not None:
            self._timer.cancel()
        for client_id in list(self.cards):
            self.unfollow(client_id)
        close_tree(self.view)

    # -- looking ----------------------------------------------------------------------------------------

    def tick(self) -> None:
        """One look at the store; then the next is scheduled (while running)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        started = time.monotonic()
        try:
            self._look()
        except StoreUnavailable:
            self.trouble.value = live_html.unreadable()
        except Exception:
            log.exception("live view: a look at the store failed")
            self.trouble.value = live_html.unreadable()
        active = any(card.active for card in self.cards.values())
        took = time.monotonic() - started
        self._schedule(max(LIVE_SECONDS if active else IDLE_SECONDS, PACE * took))

    def _look(self) -> None:
        """Two statements for everyone followed; then, if any mark moved, three more for all of those."""
        marks = self.store().live_marks(self.cards)
        self.reads += 1
        if self.trouble.value:
            self.trouble.value = ""
        self._show_open(marks.pages)
        cards = list(self.cards.items())
        wanted = []
        for client_id, card in cards:
            pages = [page for page in marks.pages if page.client_id == client_id]
            target = card.update(client_id in marks.clients, marks.clients.get(client_id), pages)
            if target is not None:
                wanted.append(target.response_id)
        read = self.store().live_responses(wanted) if wanted else {}
        for _, card in cards:
            card.show(read)

    def _schedule(self, delay: float) -> None:
        if not self._running:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # no event loop (a script): looks happen when ``tick`` is called
        self._timer = loop.call_later(delay, guarded(self.tick, self.on_error))

    def _show_open(self, pages: list[OpenPage]) -> None:
        """The "open now" buttons: one per client with a page open (or whose connection was just lost)."""
        by_client: dict[int, list[OpenPage]] = {}
        for page in pages:
            by_client.setdefault(page.client_id, []).append(page)
        shown = sorted(
            ((client_id, found[0].client, presence(found)) for client_id, found in by_client.items()),
            key=lambda item: (item[1].casefold(), item[0]),
        )
        key = tuple((client_id, name, found.state, found.sheet) for client_id, name, found in shown)
        if key == self._open_key:
            return
        self._open_key = key
        buttons = []
        for client_id, name, found in shown:
            lost = " (connection lost)" if found.state == "lost" else ""
            button = w.Button(
                description=f"{name} · {title(found.sheet)}{lost}", layout=w.Layout(width="auto")
            )
            button.add_class("ck-open-page")
            button.on_click(guarded(lambda _, c=client_id, n=name: self.follow(c, n), self.on_error))
            buttons.append(button)
        old = self.open_buttons.children
        self.open_buttons.children = tuple(buttons)
        for widget in old:
            widget.close()
        self.open_label.value = live_html.open_now(len(buttons))

    # -- shared by the cards --------------------------------------------------------------------------

    def sheet(self, mark: ResponseMark) -> Any:
        """The worksheet a response was given in (its version), in the coach's language, read once."""
        key = (mark.worksheet_id, mark.version)
        if key not in self._versions:
            store = self.store()
            self._versions[key] = Versions(store, coach_language(store)).get(*key)
        return self._versions[key]

    def context(self) -> dict[str, str]:
        """What the client's summary fills its placeholders with (the coach's settings), read once per
        store."""
        store = self.store()
        if self._context is None or self._context[0] is not store:  # demo data gave way to the real store
            self._context = (store, page_context(store))
        return self._context[1]

    def _say(self, text: str) -> None:
        self.status.value = f'<p class="ck-message" role="status">{escape(text)}</p>' if text else ""

    def _repr_mimebundle_(self, **kwargs: object) -> dict[str, object]:
        bundle = self.view._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = f"In a session · following {len(self.cards)}"
        return bundle
