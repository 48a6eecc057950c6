"""Demo data: synthetic clients over several months, so a coach can try the dashboard before a real session.

Every answer goes through the Store facade (``start_response``, ``save_step``, ``complete_response``)
exactly as the worksheets save it, checked with each field's own ``clean`` and flagged by the
worksheet's own ``flags``. Only the timestamps are then moved into the past, since the facade stamps
everything "now". Output depends only on ``seed`` and ``today``, so tests can rely on it.

Worksheets are looked up in ``WORKSHEETS`` at run time: "fight-or-make-it-right" always; the anger
plan, its practice log and "wanting them back" only when they exist. Fields without specific realism
here get a valid generic answer from their definition.
"""

from __future__ import annotations

import datetime as dt
import random
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from sqlalchemy import update

from coachkit import config
from coachkit.coach import demo_text
from coachkit.coach.scores import ANGER_PLAN, BELIEFS, FIGHT, PRACTICE
from coachkit.exercises import WORKSHEETS
from coachkit.exercises.fight import SELF_CHECK_QUESTIONS
from coachkit.store import Client, Store
from coachkit.store import tables as t
from coachkit.worksheet import AnswerError, Field, Worksheet, check_all, is_shown

RECEIVING = "on-the-receiving-end"
DEMO_SETTING = "demo_store"
"""A store made by ``coachkit demo`` has this setting; the dashboard then says it holds demo data."""
DEFAULT_SEED = 7
DEFAULT_CLIENTS = 8
CALM_ANSWERS: dict[str, Any] = {
    "felt_unsafe": "no",
    "been_physical": "no",
    "unsafe_this_time": "no",
    "physical_this_time": "no",
    "self_harm": "no",
    "hopeless": "not_at_all",
    "sleep": "as_usual",
    "share_plan": "yes",
    "safe_place_known": True,
    "someone_to_call": True,
}
"""The answers every demo client gives to the safety and wellbeing questions, unless their persona says
otherwise: most clients are safe, and the few flags stand out as they would in a real practice."""


def default_demo_url() -> str:
    """``data/demo.sqlite`` in the project folder: a store of its own, never the clients' one."""
    return f"sqlite:///{config.project_dir() / 'data' / 'demo.sqlite'}"


@dataclass(frozen=True)
class Persona:
    """How a demo client changes between their first week and today (``start`` → ``end`` values)."""

    self_check: tuple[float, float]
    frequency: tuple[float, float]
    plan_works: tuple[float, float]
    beliefs: tuple[float, float] | None
    safety: str
    weeks: tuple[int, int]
    wellbeing: str = "no"


PERSONAS = (
    Persona((4, 0.6), (3.2, 0.8), (0.35, 0.9), (5.5, 2), "no", (18, 26)),
    Persona((2, 2), (2, 2.2), (0.5, 0.6), None, "no", (10, 20)),
    Persona((4.5, 3.5), (3.9, 3.3), (0.2, 0.45), (6.5, 5), "once", (8, 16), wellbeing="once"),
    Persona((3, 3), (2.5, 2.5), (0.4, 0.5), None, "no", (2, 4)),
    Persona((1.5, 0.8), (1.5, 1), (0.6, 0.85), (3, 1), "rather_not_say", (12, 22)),
)


def lerp(span: tuple[float, float], progress: float) -> float:
    return span[0] + (span[1] - span[0]) * progress


class DemoBuilder:
    """Makes one store's demo clients; ``rng`` is the only source of chance."""

    def __init__(self, store: Store, seed: int, today: dt.date) -> None:
        self.store = store
        self.rng = random.Random(seed)
        self.end = dt.datetime.combine(today, dt.time(0), dt.UTC)  # everything happens before today

    def build(self, count: int) -> list[Client]:
        names = self.rng.sample(demo_text.NAMES, k=min(count, len(demo_text.NAMES)))
        names += [f"Demo Client {number}" for number in range(len(names) + 1, count + 1)]
        return [self.client(name, PERSONAS[index % len(PERSONAS)]) for index, name in enumerate(names)]

    # -- one client's months ---------------------------------------------------------------

    def client(self, name: str, persona: Persona) -> Client:
        client = self.store.add_client(name)
        start = self.end - dt.timedelta(weeks=self.rng.uniform(*persona.weeks))
        added = dt.datetime.combine(
            (start - dt.timedelta(days=self.rng.randint(1, 4))).date(), dt.time(9), dt.UTC
        )
        self._backdate_client(client, added + dt.timedelta(minutes=self.rng.randint(0, 480)))
        span = (self.end - start).total_seconds()

        def progress(when: dt.datetime) -> float:
            return min(1.0, max(0.0, (when - start).total_seconds() / span))

        unsafe_at = self.rng.randint(1, 3)  # "once": one fight, early on, turned frightening
        for number, when in enumerate(self._dates(start, 14, 24)):
            safety = ("yes" if number == unsafe_at else "no") if persona.safety == "once" else persona.safety
            self.save(client, FIGHT, when, self.fight(persona, progress(when), safety))
        first_plan = self._evening(start + dt.timedelta(days=self.rng.uniform(4, 10)))
        if ANGER_PLAN in WORKSHEETS and first_plan < self.end:
            for when in [first_plan, *self._dates(first_plan + dt.timedelta(days=35), 40, 60)][:3]:
                self.save(client, ANGER_PLAN, when, self.generic(ANGER_PLAN))
        if PRACTICE in WORKSHEETS:
            for when in self._dates(first_plan + dt.timedelta(days=2), 4, 11):
                self.save(client, PRACTICE, when, self.practice(lerp(persona.plan_works, progress(when))))
        if BELIEFS in WORKSHEETS and persona.beliefs is not None:
            for number, when in enumerate(self._dates(start + dt.timedelta(days=3), 28, 45)):
                low = number == 0 and persona.wellbeing == "once"  # the first weeks were the hardest
                self.save(client, BELIEFS, when, self.beliefs(lerp(persona.beliefs, progress(when)), low))
        if RECEIVING in WORKSHEETS and self.rng.random() < 0.6:
            for when in self._dates(start + dt.timedelta(days=6), 30, 50)[:2]:
                self.save(client, RECEIVING, when, self.generic(RECEIVING))
        if self.rng.random() < 0.5:
            sheet = self.rng.choice([sheet for sheet in (FIGHT, PRACTICE, BELIEFS) if sheet in WORKSHEETS])
            when = self._evening(self.end - dt.timedelta(days=self.rng.uniform(1, 6)))
            self.save(client, sheet, when, self.generic(sheet), stop_after=self.rng.randint(0, 1))
        return client

    def _dates(self, first: dt.datetime, low: float, high: float) -> list[dt.datetime]:
        """Evenings from ``first`` until the end, ``low`` to ``high`` days apart."""
        found, when = [], first
        while when.date() < self.end.date():
            found.append(self._evening(when))
            when += dt.timedelta(days=self.rng.uniform(low, high))
        return found

    def _evening(self, day: dt.datetime) -> dt.datetime:
        """A time between six and half past nine in the evening of ``day`` (when people fill these in)."""
        evening = dt.datetime.combine(day.date(), dt.time(18), dt.UTC)
        return evening + dt.timedelta(minutes=self.rng.randint(0, 210))

    # -- answers -------------------------------------------------------------------------------

    def fight(self, persona: Persona, progress: float, safety: str) -> dict[str, Any]:
        familiar = round(min(5, max(0, lerp(persona.self_check, progress) + self.rng.gauss(0, 0.6))))
        yes = set(self.rng.sample(list(SELF_CHECK_QUESTIONS), k=familiar))
        preset: dict[str, Any] = {question: question in yes for question in SELF_CHECK_QUESTIONS}
        scale = [option.value for option in getattr(self._field(FIGHT, "frequency"), "options", ())]
        rank = round(min(len(scale) - 1, max(0, lerp(persona.frequency, progress) + self.rng.gauss(0, 0.5))))
        preset["frequency"] = scale[rank]
        preset["fight_or_right"] = self.rng.choices(
            ["fight", "right", "unsure"], [familiar, 2 + 4 * progress, 2]
        )[0]
        preset["felt_unsafe"] = safety
        return self.generic(FIGHT, preset)

    def practice(self, works: float) -> dict[str, Any]:
        answers = self.generic(PRACTICE)
        noticed = self.rng.random() < min(0.95, works + 0.2)
        said = noticed and self.rng.random() < works
        on_time = self.rng.random() < works
        came_back = ("yes" if on_time else "late") if said else self.rng.choice(["no", "not_needed"])
        talk = round(min(5, max(1, 1 + 3.5 * works + (0.8 if said else -0.5) + self.rng.gauss(0, 0.7))))
        wanted = {
            "noticed": noticed,
            "said_statements": said,
            "came_back_on_time": came_back,
            "talk_went": talk,
        }
        return self.fit(PRACTICE, answers, wanted)

    def beliefs(self, recognized: float, low: bool = False) -> dict[str, Any]:
        answers = self.generic(BELIEFS, {"hopeless": "most_days", "sleep": "hardly"} if low else None)
        options = [option.value for option in getattr(self._field(BELIEFS, "beliefs"), "options", ())]
        count = round(min(len(options), max(1, recognized + self.rng.gauss(0, 0.7))))
        return self.fit(BELIEFS, answers, {"beliefs": self.rng.sample(options, k=count)})

    def fit(self, sheet: str, answers: dict[str, Any], wanted: dict[str, Any]) -> dict[str, Any]:
        """Use the realistic answers where the worksheet's field accepts them (a yes/no may be a choice)."""
        for field_id, value in wanted.items():
            item = self._field(sheet, field_id)
            if item is None or not is_shown(item, answers):
                continue
            if item.kind == "single_choice" and isinstance(value, bool):
                value = "yes" if value else "no"
            elif item.kind == "yes_no" and isinstance(value, str):
                value = value == "yes"
            with suppress(AnswerError):  # not accepted: keep the generic answer
                answers[field_id] = item.clean(value)
        return answers

    def generic(self, sheet: str, preset: dict[str, Any] | None = None) -> dict[str, Any]:
        """A valid answer to every question shown, optional ones now and then left out.

        ``preset`` answers (and the calm safety answers) are used where given; steps and questions
        whose condition does not hold are left out, as the wizard leaves them out.
        """
        chosen = {**CALM_ANSWERS, **(preset or {})}
        answers: dict[str, Any] = {}
        for step in WORKSHEETS[sheet].steps:
            if not is_shown(step, answers):
                continue
            for item in step.fields:
                if not is_shown(item, answers):
                    continue
                if item.id in chosen:
                    answers[item.id] = chosen[item.id]
                elif item.required or self.rng.random() < 0.55:
                    answers[item.id] = self.value(sheet, item)
        return answers

    def value(self, sheet: str, item: Field) -> Any:
        options = [option.value for option in getattr(item, "options", ())]
        if item.kind == "single_choice":
            return self.rng.choice(options)
        if item.kind == "multi_choice":
            return [value for value in options if value in self.rng.sample(options, k=self.rng.randint(1, 3))]
        if item.kind == "rating":
            return self.rng.randint(item.low, item.high)  # type: ignore[attr-defined]
        if item.kind == "yes_no":
            return self.rng.random() < 0.5
        if item.kind == "time_of_day":
            return f"{self.rng.randint(17, 22):02d}:{self.rng.choice((0, 15, 30, 45)):02d}"
        if item.kind in ("short_text", "long_text"):
            pool = demo_text.TEXTS.get((sheet, item.id))
            if pool is None:
                pool = demo_text.GENERIC_TEXTS if item.kind == "long_text" else demo_text.SHORT_TEXTS
            return self.rng.choice([text for text in pool if self._accepts(item, text)] or ["Yes"])
        return None  # a kind this generator does not know: left unanswered

    @staticmethod
    def _accepts(item: Field, text: str) -> bool:
        try:
            item.clean(text)
        except AnswerError:
            return False
        return True

    def _field(self, sheet: str, field_id: str) -> Field | None:
        try:
            return WORKSHEETS[sheet].field(field_id)
        except KeyError:
            return None

    # -- saving, as the worksheets do ----------------------------------------------------------

    def save(
        self,
        client: Client,
        sheet: str,
        when: dt.datetime,
        answers: dict[str, Any],
        stop_after: int | None = None,
    ) -> None:
        """Save step by step through the facade; ``stop_after`` leaves a draft after that step."""
        worksheet = WORKSHEETS[sheet]
        if stop_after is None and check_all(worksheet, answers):
            return  # could not make a valid answer (an unknown field kind): better none than a wrong one
        response = self.store.start_response(client.id, worksheet.id, worksheet.version)
        so_far: dict[str, Any] = {}
        raised: dict[str, int] = {}
        last = len(worksheet.steps) - 1 if stop_after is None else min(stop_after, len(worksheet.steps) - 1)
        for index, step in enumerate(worksheet.steps[: last + 1]):
            step_answers = {item.id: answers.get(item.id) for item in step.fields}
            so_far.update(step_answers)
            flags = worksheet.flags(so_far)
            for flag in flags:
                raised.setdefault(flag, index)
            if stop_after is None and index == last:
                self.store.complete_response(response.id, step.id, step_answers, flags=flags)
            else:
                next_step = min(index + 1, len(worksheet.steps) - 1)
                self.store.save_step(response.id, step.id, step_answers, current_step=next_step, flags=flags)
        minutes = self.rng.uniform(3, 14)
        self._backdate(worksheet, response.id, when, minutes, raised, completed=stop_after is None, last=last)

    def _backdate(
        self,
        worksheet: Worksheet,
        response_id: int,
        started: dt.datetime,
        minutes: float,
        raised: dict[str, int],
        *,
        completed: bool,
        last: int,
    ) -> None:
        # The facade stamps "now"; history needs the past. Only times change here, never answers.
        def step_time(index: int) -> dt.datetime:
            return started + dt.timedelta(minutes=minutes * (index + 1) / (last + 1))

        finished = step_time(last)
        with self.store.engine.begin() as connection:
            connection.execute(
                update(t.responses)
                .where(t.responses.c.id == response_id)
                .values(started_at=started, updated_at=finished, completed_at=finished if completed else None)
            )
            for index, step in enumerate(worksheet.steps[: last + 1]):
                connection.execute(
                    update(t.answers)
                    .where(t.answers.c.response_id == response_id, t.answers.c.step_id == step.id)
                    .values(saved_at=step_time(index))
                )
            for flag, index in raised.items():
                connection.execute(
                    update(t.response_flags)
                    .where(t.response_flags.c.response_id == response_id, t.response_flags.c.flag == flag)
                    .values(raised_at=step_time(index))
                )

    def _backdate_client(self, client: Client, added: dt.datetime) -> None:
        with self.store.engine.begin() as connection:
            connection.execute(update(t.clients).where(t.clients.c.id == client.id).values(created_at=added))


def build_demo(
    store: Store, clients: int = DEFAULT_CLIENTS, seed: int = DEFAULT_SEED, today: dt.date | None = None
) -> list[Client]:
    """Fill ``store`` with synthetic clients whose months end on ``today``, and mark it a demo store."""
    made = DemoBuilder(store, seed, today or dt.date.today()).build(clients)
    store.set_setting(DEMO_SETTING, f"seed {seed}")
    return made


def is_demo_store(store: Store) -> bool:
    """Whether ``coachkit demo`` made this store."""
    return store.get_setting(DEMO_SETTING) is not None
