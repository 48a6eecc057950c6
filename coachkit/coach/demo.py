"""Demo data: synthetic clients over several months, so a coach can try the dashboard before a real session.

Every answer goes through the Store facade (``start_response``, ``save_step``, ``complete_response``)
exactly as the worksheets save it, checked with each field's own ``clean`` and flagged by the
worksheet's own flags, with the facade's clock set to each moment in the past. Output depends only
on ``seed`` and ``today``, so tests can rely on it.

Nothing here knows a worksheet by name: every worksheet file is filled in, every ``demo_every_days``
(its own cadence), with answers that drift along each question's declared ``trend`` as a persona gets
better (``demo_answers``). A few personas raise the flags a real practice would see.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from coachkit import config
from coachkit.coach import demo_text
from coachkit.coach.demo_answers import AnswerMaker
from coachkit.exercises import WORKSHEETS, versions
from coachkit.store import Client, Store
from coachkit.worksheet import Worksheet, check_all, shown_steps

DEMO_SETTING = "demo_store"
"""A store made by ``coachkit demo`` has this setting; the dashboard then says it holds demo data."""
DEFAULT_SEED = 7
DEFAULT_CLIENTS = 8
MOST_VERSIONS = 3
"""A revisable worksheet (such as the anger plan) is revised at most this often."""


def default_demo_url() -> str:
    """``demo.sqlite`` in the data folder: a store of its own, never the clients' one."""
    return f"sqlite:///{config.data_dir() / 'demo.sqlite'}"


@dataclass(frozen=True)
class Persona:
    """How a demo client changes: how much better they are (0 to 1) at the start and by today."""

    good: tuple[float, float]
    safety: str
    """``no``; ``once`` (one fight, early on, turned frightening); ``rather_not_say`` (every time)."""
    weeks: tuple[int, int]
    wellbeing: str = "no"
    """``once``: their first reflection came in the hardest weeks."""
    skips: float = 0.0
    """How likely they are to leave out a worksheet altogether."""


PERSONAS = (
    Persona((0.15, 0.9), "no", (18, 26)),
    Persona((0.5, 0.55), "no", (10, 20), skips=0.4),
    Persona((0.1, 0.35), "once", (8, 16), wellbeing="once"),
    Persona((0.4, 0.45), "no", (2, 4), skips=0.4),
    Persona((0.6, 0.85), "rather_not_say", (12, 22)),
)


def lerp(span: tuple[float, float], progress: float) -> float:
    return span[0] + (span[1] - span[0]) * progress


class DemoBuilder:
    """Makes one store's demo clients; ``rng`` is the only source of chance."""

    def __init__(self, store: Store, seed: int, today: dt.date) -> None:
        self.store = store
        self.rng = random.Random(seed)
        self.maker = AnswerMaker(self.rng)
        self.end = dt.datetime.combine(today, dt.time(0), dt.UTC)  # everything happens before today

    def build(self, count: int) -> list[Client]:
        for sheet in WORKSHEETS.values():
            versions.record(self.store, sheet)
        names = self.rng.sample(demo_text.NAMES, k=min(count, len(demo_text.NAMES)))
        names += [f"Demo Client {number}" for number in range(len(names) + 1, count + 1)]
        clients = [self.client(name, PERSONAS[index % len(PERSONAS)]) for index, name in enumerate(names)]
        self.couples(clients)
        return clients

    def couples(self, clients: list[Client]) -> None:
        """Two couples, so both views show: a calm one (two calm personas), and one the gate keeps apart
        (a partner who once said a fight frightened them)."""
        if len(clients) >= 4:
            self.store.link_partners(clients[0].id, clients[1].id)
            self.store.link_partners(clients[2].id, clients[3].id)

    # -- one client's months ---------------------------------------------------------------

    def client(self, name: str, persona: Persona) -> Client:
        start = self.end - dt.timedelta(weeks=self.rng.uniform(*persona.weeks))
        added = dt.datetime.combine(
            (start - dt.timedelta(days=self.rng.randint(1, 4))).date(), dt.time(9), dt.UTC
        )
        with self._at(added + dt.timedelta(minutes=self.rng.randint(0, 480))):
            client = self.store.add_client(name)
        span = (self.end - start).total_seconds()
        unsafe_at = self.rng.randint(1, 3)  # "once": one fight, early on, turned frightening
        for sheet in WORKSHEETS.values():
            if self.rng.random() < persona.skips:
                continue
            first = start + dt.timedelta(days=self.rng.uniform(0, 10))
            dates = self._dates(first, *sheet.demo_every_days)
            for number, when in enumerate(dates[:MOST_VERSIONS] if sheet.revisable else dates):
                progress = min(1.0, max(0.0, (when - start).total_seconds() / span))
                preset = self._persona_answers(persona, sheet, number, unsafe_at)
                self.save(
                    client, sheet, when, self.maker.answers(sheet, lerp(persona.good, progress), preset)
                )
        if self.rng.random() < 0.5:  # an unfinished draft from the last few days
            sheet = self.rng.choice(list(WORKSHEETS.values()))
            when = self._evening(self.end - dt.timedelta(days=self.rng.uniform(1, 6)))
            answers = self.maker.answers(sheet, persona.good[1])
            self.save(client, sheet, when, answers, stop_after=self.rng.randint(0, 1))
        return client

    def _persona_answers(
        self, persona: Persona, sheet: Worksheet, number: int, unsafe_at: int
    ) -> dict[str, Any]:
        """The safety and wellbeing answers this persona gives on this fill of this worksheet."""
        asks = {item.id for _, item in sheet.all_fields()}
        preset: dict[str, Any] = {}
        if "been_hurt" in asks and persona.safety == "rather_not_say":
            preset.update(been_hurt="rather_not_say", safe_contact="wait")
        if "been_hurt" in asks and persona.safety == "once" and number == unsafe_at and sheet.order == 1:
            preset.update(been_hurt="yes", safe_contact="some", contact_how="Text only, weekday mornings")
        if "hopeless" in asks and persona.wellbeing == "once" and number == 0:
            preset.update(hopeless="most_days", sleep="hardly", safe_contact="any")
        return preset

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

    # -- saving, as the worksheets do ----------------------------------------------------------

    def save(
        self,
        client: Client,
        worksheet: Worksheet,
        when: dt.datetime,
        answers: dict[str, Any],
        stop_after: int | None = None,
    ) -> None:
        """Save the shown steps through the facade; ``stop_after`` leaves a draft after that step."""
        if stop_after is None and check_all(worksheet, answers):
            return  # could not make a valid answer (an unknown field kind): better none than a wrong one
        shown = shown_steps(worksheet, answers)
        if stop_after is not None:
            shown = shown[: stop_after + 1]
        last = shown[-1]
        minutes = self.rng.uniform(3, 14)  # steps are saved a few minutes apart, from ``when``
        with self._at(when):
            response = self.store.start_response(client.id, worksheet.id, worksheet.version)
        so_far: dict[str, Any] = {}
        for position, index in enumerate(shown):
            step = worksheet.steps[index]
            step_answers = {item.id: answers.get(item.id) for item in step.fields}
            so_far.update(step_answers)
            flags = worksheet.flags(so_far)
            with self._at(when + dt.timedelta(minutes=minutes * (index + 1) / (last + 1))):
                if stop_after is None and index == last:
                    self.store.complete_response(response.id, step.id, step_answers, flags=flags)
                else:
                    following = shown[position + 1] if position + 1 < len(shown) else index
                    self.store.save_step(
                        response.id, step.id, step_answers, current_step=following, flags=flags
                    )

    @contextmanager
    def _at(self, moment: dt.datetime) -> Iterator[None]:
        """Everything the store writes meanwhile is stamped ``moment`` (the facade's own clock)."""
        clock = self.store.now
        self.store.now = lambda: moment
        try:
            yield
        finally:
            self.store.now = clock


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
