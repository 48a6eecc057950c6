"""One client's attempt at one worksheet: the bridge between the wizard and the store.

It knows which response it is saving to, keeps the answers saved so far, and computes flags from
them; it holds no widgets and writes no SQL.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from coachkit.store import Client, Response, Store
from coachkit.worksheet import Value, Worksheet


@dataclass
class Attempt:
    """A draft or completed response, with its saved answers."""

    store: Store
    worksheet: Worksheet
    client: Client
    response: Response
    answers: dict[str, Value] = field(default_factory=dict)

    @classmethod
    def start(cls, store: Store, worksheet: Worksheet, client: Client) -> Attempt:
        response = store.start_response(client.id, worksheet.id, worksheet.version)
        return cls(store, worksheet, client, response)

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
        answers = store.get_answers(response.id)
        return cls(store, worksheet, client, response, answers)

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
        )
        self.answers = merged
