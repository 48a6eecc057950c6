"""One client's attempt at one worksheet: the bridge between the wizard and the store.

It knows which response it is saving to, keeps the answers saved so far and the ones it carries from
the client's other worksheets, and computes flags; it holds no widgets and writes no SQL.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field

from coachkit.alerts import alert_for
from coachkit.exercises import versions
from coachkit.store import Alert, Client, Response, Store
from coachkit.worksheet import URGENT, Value, Worksheet
from coachkit.worksheet.safety_net import STOPPED_FLAG


def _new_writer() -> str:
    return secrets.token_hex(8)


@dataclass
class Attempt:
    """A draft or completed response, with its saved answers.

    ``writer`` names the page this attempt lives in: a draft is written by one page at a time, the one
    that opened it last (``Store.claim_draft``), so a second tab takes it over cleanly; taking it over
    reads the answers afresh, and every save names the version it writes on (``Response.version``), so
    a page never writes over answers it has not seen. ``carried`` holds
    the latest answers to the fields the worksheet ``carries`` from the client's other worksheets.
    ``concealed`` names sensitive answers this page loaded rather than was given: they are not shown
    again until the client confirms it is them (``reveal``).
    """

    store: Store
    worksheet: Worksheet
    client: Client
    response: Response
    answers: dict[str, Value] = field(default_factory=dict)
    writer: str = field(default_factory=_new_writer)
    carried: dict[str, Value] = field(default_factory=dict)
    concealed: set[str] = field(default_factory=set)
    revealed: bool = False
    """The client typed their code on this page: nothing is concealed from it."""
    _alert: Alert | bool | None = field(default=False, repr=False)

    @property
    def alert(self) -> Alert | None:
        """The alert to the coach that an urgent flag raised here writes (None while none is set up);
        read once, the first time a step is saved."""
        if self._alert is False:
            urgent = frozenset(rule.id for rule in self.worksheet.all_flag_rules if rule.level in URGENT)
            self._alert = alert_for(self.store, urgent)
        return self._alert  # type: ignore[return-value]

    @classmethod
    def start(cls, store: Store, worksheet: Worksheet, client: Client) -> Attempt:
        writer = _new_writer()
        versions.record(store, worksheet)  # the words these answers are given in, kept with them
        response = store.start_response(
            client.id, worksheet.id, worksheet.version, writer=writer, language=worksheet.language
        )
        attempt = cls(store, worksheet, client, response, writer=writer)
        attempt.carried = attempt._find_carried()
        return attempt

    @classmethod
    def start_revision(
        cls, store: Store, worksheet: Worksheet, client: Client, previous: Mapping[str, Value]
    ) -> Attempt:
        """A new draft that starts from earlier answers (saved at once), so revising loses nothing.

        Private answers (about safety) are not copied: they are asked afresh, since they may have
        changed, and are never shown to whoever opened the page.
        """
        attempt = cls.start(store, worksheet, client)
        for index, step in enumerate(worksheet.steps):
            answers = {item.id: previous.get(item.id) for item in step.fields if not item.sensitive}
            if any(value is not None for value in answers.values()):
                attempt.save_step(index, answers, next_index=0)
        return attempt

    @classmethod
    def resume(cls, store: Store, worksheet: Worksheet, client: Client, response: Response) -> Attempt:
        """A saved response as it stands (a draft is not written until ``claim`` is called).

        Its sensitive answers are concealed. A completed response carries what was known when it was
        completed, so its summary reads as it did then.
        """
        attempt = cls(store, worksheet, client, response, store.get_answers(response.id))
        attempt.carried = attempt._find_carried()
        attempt.concealed = attempt._sensitive_answered()
        return attempt

    def _find_carried(self) -> dict[str, Value]:
        return self.store.find_latest_answers(
            self.client.id,
            self.worksheet.carries,
            until=self.response.completed_at,
            excluding_response=self.response.id,
        )

    def _sensitive_answered(self) -> set[str]:
        return {
            item.id for _, item in self.worksheet.all_fields() if item.sensitive and item.id in self.answers
        }

    def claim(self) -> None:
        """Make this page the draft's only writer, with its answers as they are now; a page that had it
        stops at its next save.

        The answers are read again here, not kept from when this page opened: another tab may have
        saved more since (its sensitive answers are concealed like the rest, until the code is typed).
        """
        self.response = self.store.claim_draft(self.response.id, self.writer)
        self.answers = self.store.get_answers(self.response.id)
        if not self.revealed:
            self.concealed = self._sensitive_answered()

    def reveal(self) -> None:
        """The client confirmed it is them: their sensitive answers may be shown on this page."""
        self.revealed = True
        self.concealed.clear()

    @property
    def facts(self) -> dict[str, Value]:
        """Everything the worksheet knows: carried answers, overridden by this attempt's own."""
        return {**self.carried, **self.answers}

    @property
    def step_index(self) -> int:
        """Where the client left off (kept within the worksheet, should its steps change)."""
        return min(self.response.current_step, len(self.worksheet.steps) - 1)

    @property
    def completed(self) -> bool:
        return self.response.status == "completed"

    def save_step(self, step_index: int, clean: Mapping[str, Value], next_index: int) -> None:
        """Autosave the step's answers; the client will be on ``next_index`` afterwards."""
        merged = {**self.answers, **clean}
        self.response = self.store.save_step(
            self.response.id,
            self.worksheet.steps[step_index].id,
            clean,
            current_step=next_index,
            flags=self.worksheet.flags(merged),
            writer=self.writer,
            alert=self.alert,
            language=self.worksheet.language,
            expected_version=self.response.version,
        )
        self.answers = merged

    def complete(self, clean: Mapping[str, Value], step_index: int = -1, *, stopped: bool = False) -> None:
        """Save the last step shown (``step_index``) and complete the response; ``stopped``: the client
        chose to stop there after a sign of crisis (the rest unasked, and the coach told so)."""
        merged = {**self.answers, **clean}
        flags = self.worksheet.flags(merged) | ({STOPPED_FLAG} if stopped else set())
        self.response = self.store.complete_response(
            self.response.id,
            self.worksheet.steps[step_index].id,
            clean,
            flags=flags,
            writer=self.writer,
            alert=self.alert,
            language=self.worksheet.language,
            expected_version=self.response.version,
        )
        self.answers = merged
