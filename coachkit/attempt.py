"""One client's attempt at one worksheet: the bridge between the wizard and the store.

It knows which response it is saving to, keeps the answers saved so far, and computes flags from
them; it holds no widgets and writes no SQL.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field

from coachkit.store import Client, Response, Store
from coachkit.worksheet import Value, Worksheet


@dataclass
class Attempt:
    """A draft or completed response, with its saved answers.

    ``writer`` names the page this attempt lives in: a draft is written by one page at a time, the one
    that opened it last (``Store.claim_draft``), so a second tab takes it over cleanly.
    """

    store: Store
    worksheet: Worksheet
    client: Client
    response: Response
    answers: dict[str, Value] = field(default_factory=dict)
    writer: str = field(default_factory=lambda: secrets.token_hex(8))

    @classmethod
    def start(cls, store: Store, worksheet: Worksheet, client: Client) -> Attempt:
        writer = secrets.token_hex(8)
        response = store.start_response(client.id, worksheet.id, worksheet.version, writer=writer)
        return cls(store, worksheet, client, response, writer=writer)

    @classmethod
    def start_revision(
        cls, store: Store, worksheet: Worksheet, client: Client, previous: Mapping[str, Value]
    ) -> Attempt:
        """A new draft that starts from earlier answers (saved at once), so revising loses nothing."""
        attempt = cls.start(store, worksheet, client)
        for index, step in enumerate(worksheet.steps):
            answers = {item.id: previous.get(item.id) for item in step.fields}
            if any(value is not None for value in answers.values()):
                attempt.save_step(index, answers, next_index=0)
        return attempt

    @classmethod
    def resume(cls, store: Store, worksheet: Worksheet, client: Client, response: Response) -> Attempt:
        """A saved response as it stands (a draft is not written until ``claim`` is called)."""
        answers = store.get_answers(response.id)
        return cls(store, worksheet, client, response, answers)

    def claim(self) -> None:
        """Make this page the draft's only writer; a page that had it stops at its next save."""
        self.response = self.store.claim_draft(self.response.id, self.writer)

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
        )
        self.answers = merged

    def complete(self, clean: Mapping[str, Value]) -> None:
        """Save the last step and complete the response."""
        merged = {**self.answers, **clean}
        self.response = self.store.complete_response(
            self.response.id,
            self.worksheet.steps[-1].id,
            clean,
            flags=self.worksheet.flags(merged),
            writer=self.writer,
        )
        self.answers = merged
