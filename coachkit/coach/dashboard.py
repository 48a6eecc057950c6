"""The coach's dashboard, their home: add, rename and delete clients, make their links (copied, or as a QR
code); see safety flags first and mark them checked in; charts, take-home cards and timeline; export
files; the coach's settings, login and a backup.

Only the coach sees it: ``coachkit dashboard`` serves it with its own Voila, on its own port, behind the
coach's login (never from the client worksheets' server); in a practice, JupyterLab serves it behind the
Hub's login. Each part is a small module of its own (``link_box``, ``client_edit``, ``checkins``,
``settings_panel``, ``actions``), so a panel can be added without growing this one. Example cell::

    from coachkit.coach.dashboard import open_dashboard

    open_dashboard()
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape
from typing import Any

import ipywidgets as w
import pandas as pd

from coachkit.coach import charts, exports, frames, homework_panel, panels, risk, scores
from coachkit.coach.actions import DeleteBox, ExportBox
from coachkit.coach.checkins import CheckInBox
from coachkit.coach.client_edit import AddClientBox, RenameBox
from coachkit.coach.couple_box import CoupleBox
from coachkit.coach.link_box import LinkBox
from coachkit.coach.live import LiveView
from coachkit.coach.notes import notes_panel
from coachkit.coach.settings_panel import SettingsPanel
from coachkit.coach.source import open_coach_store
from coachkit.coach.style import stylesheet
from coachkit.coach.zone import coach_zone, in_zone
from coachkit.exercises import WORKSHEETS
from coachkit.exercises.versions import Versions
from coachkit.settings import CHANGE_HELP, CRISIS_HELP, SAFETY_HELP, coach_language
from coachkit.store import Client, Store, StoreUnavailable
from coachkit.widgets.guard import guarded, log
from coachkit.widgets.tree import close_tree

TITLE = "Coach dashboard"
HELP_SETTINGS = (SAFETY_HELP, CRISIS_HELP, CHANGE_HELP)
PICK = "Pick a client…"
SOMETHING_WENT_WRONG = "Something went wrong. Nothing was changed; the details are in the dashboard's log."


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Dashboard:
    """The whole page, in ``view``. Its plain-text form (what nbval compares) says what it shows."""

    def __init__(
        self,
        store: Store,
        note: str = "",
        now: Callable[[], dt.datetime] = _now,
        real_store: Callable[[], Store] | None = None,
    ) -> None:
        self.store = store
        self.note = note
        self.now = now
        self.real_store = real_store
        """While ``store`` is a stand-in (demo clients in memory): opens the coach's own store, which an
        added client, the settings and a backup go to."""
        self.zone = coach_zone(store)
        self.client: Client | None = None
        self.clients = pd.DataFrame(columns=frames.CLIENT_COLUMNS)
        self.message = w.HTML()
        self.mail = w.HTML()
        self.picker = w.Dropdown(description="Client", options=[(PICK, 0)], value=0)
        self.picker.add_class("ck-picker")
        self._listing = False  # True while the picker's options are being replaced
        self.picker.observe(self._guard(self._picked), names="value")
        refresh = w.Button(description="Refresh", icon="refresh", tooltip="Read the store again")
        refresh.on_click(self._guard(lambda _: self.refresh()))
        self.table = w.HTML()
        self.homework = w.HTML()  # every client's homework figures, and who has gone quiet
        self.everyone = ExportBox(lambda: exports.export_files(self.store), "Export everyone", self.fail)
        self.export_box: ExportBox | None = None  # the picked client's export and delete boxes
        self.delete_box: DeleteBox | None = None
        self.link_box: LinkBox | None = None
        self.client_view = w.VBox(layout=w.Layout(width="100%"))
        own = real_store() if real_store else store
        unset = [setting.name for setting in HELP_SETTINGS if own.get_setting(setting.key) is None]
        self.header = w.HTML(f"<h1>{TITLE}</h1>" + panels.demo_note(note) + panels.help_texts_note(unset))
        self.adding = AddClientBox(self._guard(self.add), self.fail)
        self.settings = SettingsPanel(own, self.say, self.fail)
        settings = w.Accordion(children=[self.settings.view], titles=("Your settings, login and backup",))
        settings.selected_index = None
        settings.add_class("ck-settings-part")
        self.live = LiveView(lambda: self.store, self.fail)  # "In a session": follow clients live
        follow = self.live.follow_button(lambda: self.client)
        controls = w.HBox([self.picker, refresh, follow], layout=w.Layout(flex_flow="row wrap"))
        self.view = w.VBox(
            [
                w.HTML(stylesheet()),
                self.header,
                self.mail,
                self.adding.view,
                controls,
                self.message,
                self.live.view,
                self.client_view,
                w.HTML("<h2>All clients</h2>"),
                self.table,
                self.homework,
                self.everyone.view,
                settings,
            ],
            layout=w.Layout(width="100%"),
        )
        self.view.add_class("ck-dash")
        self.refresh()

    # -- messages ----------------------------------------------------------------------------

    def say(self, text: str) -> None:
        self.message.value = f'<div class="ck-message" role="status">{escape(text)}</div>' if text else ""

    def fail(self, _client_message: str) -> None:
        self.say(SOMETHING_WENT_WRONG)

    def _guard(self, handler: Callable[..., None]) -> Callable[..., None]:
        return guarded(handler, self.fail)

    # -- the list, and picking ---------------------------------------------------------------

    def refresh(self) -> None:
        """Read the client list again, and the picked client's page."""
        self.zone = coach_zone(self.real_store() if self.real_store else self.store)
        self.clients = in_zone(frames.clients(self.store), self.zone)
        self.table.value = panels.client_table(self.clients, self.now())
        self.homework.value = homework_panel.overview(self.store)
        self.mail.value = panels.mail_note(self.store.find_mail(unsent_only=True))
        names = self.clients["client"].tolist()
        options = [(PICK, 0)] + [
            (self._label(row, names.count(row.client) > 1), int(row.client_id))
            for row in self.clients.itertuples()
        ]
        picked = self.client.id if self.client else 0
        self._listing = True
        try:
            self.picker.options = options
            self.picker.value = picked if picked in {value for _, value in options} else 0
        finally:
            self._listing = False
        self.pick(self.picker.value)

    @staticmethod
    def _label(row: Any, ambiguous: bool) -> str:
        label = str(row.client)
        if ambiguous:
            label += f" (added {panels.when(row.added)})"
        return label + (" · check in first" if row.risk else "")

    def _picked(self, change: dict[str, Any]) -> None:
        if not self._listing:
            self.pick(change["new"])

    def pick(self, client_id: int) -> None:
        """Show one client (``0``: none)."""
        old = self.client_view.children
        self.client = self.store.get_client(client_id) if client_id else None
        self.client_view.children = self._client_page(self.client) if self.client else ()
        for widget in old:
            close_tree(widget)
        if self.picker.value != client_id:
            self._listing = True
            try:
                self.picker.value = client_id
            finally:
                self._listing = False

    def _client_page(self, client: Client) -> tuple[w.Widget, ...]:
        tidy = in_zone(frames.answers(self.store, client.id), self.zone)
        responses = in_zone(frames.responses(self.store, client.id), self.zone)
        flags = in_zone(frames.flags(self.store, client.id), self.zone)
        span = None
        if not responses.empty:  # every chart covers the client's whole time, so they line up
            span = (
                responses["started_at"].min().to_pydatetime(),
                responses["updated_at"].max().to_pydatetime(),
            )
        shown = [  # the measures of the worksheets this client has done
            charts.measure_chart(sheet, measure, frame, span)
            for sheet, measure, frame in scores.all_measures(tidy)
            if not frame.empty
        ]
        cards = "".join(
            f"<h2>{escape(sheet.takeaway.title)} card</h2>"
            + panels.takeaway_card(scores.versions(tidy, sheet), sheet)
            for sheet in WORKSHEETS.values()
            if sheet.takeaway is not None
        )
        answers = frames.answer_dicts(tidy)
        heading = panels.client_heading(client.name, client.code, client.created_at)
        safety = panels.contact_panel(risk.safe_contact(tidy)) + panels.flag_panels(
            flags, client.name.split()[0], answers
        )
        html = (
            "<h2>Over time</h2>"
            + panels.chart_grid(shown)
            + cards
            + "<h2>Timeline</h2>"
            + '<p class="ck-muted">Every worksheet done or started, newest first. Open one to read it.</p>'
            + panels.timeline(
                responses, answers, Versions(self.store, reader := coach_language(self.store)).get, reader
            )
        )
        self.export_box = ExportBox(
            lambda: exports.export_files(self.store, client.id), f"Export {client.name}", self.fail
        )
        self.delete_box = DeleteBox(client, self.delete, self.fail)
        self.link_box = LinkBox(self.store, client, self.fail)
        check_in = CheckInBox(flags, self._guard(self.check_in), self.fail)
        parts = [
            w.HTML(heading),
            RenameBox(client, self._guard(self.rename), self.fail).view,
            self.link_box.view,
            w.HTML(safety),
            *([] if check_in.empty else [check_in.view]),
            w.HTML(notes_panel(self.store, client.id, self.zone)),
            CoupleBox(self.store, client, self.say, self.refresh, self.fail).view,
            w.HTML(html),
            homework_panel.HomeworkPanel(self.store, client, self._homework_changed, self.fail).view,
            w.HTML("<h2>Export</h2>"),
            self.export_box.view,
            self.delete_box.view,
        ]
        return tuple(parts)

    # -- adding, renaming, checking in ---------------------------------------------------------

    def add(self, name: str) -> None:
        """Add a client to the coach's store (leaving the demo stand-in, if shown) and pick them."""
        if self.real_store is not None:  # the first real client: from now on, the coach's own store
            self.store, self.real_store, self.note = self.real_store(), None, ""
            self.header.value = f"<h1>{TITLE}</h1>"
        try:
            added = self.store.add_client(name)
        except ValueError as refused:
            self.say(f"Not added: {refused}.")
            return
        log.info("coach added client %s", added.id)
        self.client = added
        self.refresh()
        self.say(f"Added {added.name}. Make their first link under Links, and give them their code apart.")

    def rename(self, client: Client, name: str) -> None:
        try:
            renamed = self.store.rename_client(client.id, name)
        except ValueError as refused:
            self.say(f"Not renamed: {refused}.")
            return
        self.refresh()
        self.say(f"Renamed {client.name} to {renamed.name}.")

    def check_in(self, flag_ids: list[int], note: str) -> None:
        try:
            self.store.check_in_flags(flag_ids, note)
        except ValueError as refused:
            self.say(f"Not saved: {refused}.")
            return
        log.info("coach checked in on %d flags", len(flag_ids))
        self.refresh()
        self.say("Marked checked in, with your note and the time.")

    def _homework_changed(self) -> None:
        self.homework.value = homework_panel.overview(self.store)

    # -- deleting ----------------------------------------------------------------------------

    def delete(self, client: Client) -> None:
        """Remove the client and everything of theirs, then say so."""
        self.store.remove_client(client.id)
        log.info("coach deleted client %s and all their answers", client.id)
        self.client = None
        self.refresh()
        self.say(f"Deleted {client.name} and every one of their answers, drafts and flags.")

    # -- display -----------------------------------------------------------------------------

    def _repr_mimebundle_(self, **kwargs: object) -> dict[str, object]:
        bundle = self.view._repr_mimebundle_(**kwargs)
        count = len(self.clients)
        text = f"{TITLE} · {count} client{'s' if count != 1 else ''}"
        text += " (demo data)" if self.note else ""
        text += f" · showing {self.client.name}" if self.client else " · no client picked"
        bundle["text/plain"] = text
        return bundle


def open_dashboard(url: str | None = None) -> Dashboard | w.HTML:
    """The dashboard on the configured store (demo data while it has no clients; see ``source``)."""
    try:
        source = open_coach_store(url)
        return Dashboard(source.store, source.note, real_store=source.open_own if source.stand_in else None)
    except StoreUnavailable:
        log.exception("dashboard: store unavailable")
        return w.HTML(f"<h1>{TITLE}</h1><p>The store can't be opened just now. Please try again shortly.</p>")
