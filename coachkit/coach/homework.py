"""Homework as pandas frames: every occurrence of every assignment and where it stands, each client's
figures (assigned, done on time, overdue, last activity), and who has gone quiet.

Where each occurrence stands is worked out by ``coachkit.homework.schedule`` in the client's own time zone,
the same as on their page and for reminders. Example::

    from coachkit.coach import homework
    from coachkit.store import Store

    store = Store()
    homework.occurrences(store)              # a row per occurrence: due_on, state, done_on …
    homework.figures(store)                  # a row per client: assigned, done_on_time, overdue, quiet …
    homework.gone_quiet(store, quiet_days=7)  # open homework and no activity for 7 days, risk first
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pandas as pd

from coachkit.coach import frames
from coachkit.exercises import WORKSHEETS
from coachkit.homework.schedule import local_day, standings, zone
from coachkit.settings import QUIET_DAYS
from coachkit.store import Store

OCCURRENCE_COLUMNS = [
    "assignment_id",
    "client_id",
    "client",
    "worksheet",
    "title",
    "programme",
    "note",
    "occurrence",
    "opens_on",
    "due_on",
    "state",
    "done_on",
    "assigned_at",
    "assigned_by",
    "ended_at",
]
FIGURE_COLUMNS = [
    "client_id",
    "client",
    "assigned",
    "done_on_time",
    "done_late",
    "overdue",
    "open",
    "last_activity",
    "days_quiet",
    "quiet",
    "most_urgent",
]
DONE = ("done", "late")


def _day(value: object) -> dt.date | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _moment(value: object) -> dt.datetime:
    stamp = pd.Timestamp(value)
    return (stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")).to_pydatetime()


def occurrences(store: Store, client_id: int | None = None, *, ended: bool = False) -> pd.DataFrame:
    """One row per occurrence of every assignment (``ended``: unassigned ones too), by client and due day;
    ``state`` is upcoming, open, overdue, done (on time) or late, on each client's today."""
    assigned, completed = store.assignment_rows(client_id)
    now = store.now()
    done: dict[tuple[int, str], list[dt.datetime]] = defaultdict(list)
    for who, worksheet, completed_at in completed.values:
        done[(who, worksheet)].append(_moment(completed_at))
    rows = []
    for values in assigned.values:
        item = dict(zip(assigned.columns, values, strict=True))
        if item["ended_at"] is not None and not ended:
            continue
        where = zone(item["time_zone"])
        days = [local_day(moment, where) for moment in done[(item["client_id"], item["worksheet"])]]
        sheet = WORKSHEETS.get(item["worksheet"])
        for standing in standings(
            _day(item["starts_on"]),  # type: ignore[arg-type]
            _day(item["due_on"]),
            item["every_days"],
            item["times"],
            days,
            local_day(now, where),
        ):
            rows.append(
                (
                    item["assignment_id"],
                    item["client_id"],
                    item["client"],
                    item["worksheet"],
                    sheet.title if sheet else item["worksheet"],
                    item["programme"] or "",
                    item["note"] or "",
                    standing.occurrence.index + 1,
                    standing.occurrence.opens_on,
                    standing.occurrence.due_on,
                    standing.state,
                    standing.done_on,
                    item["assigned_at"],
                    item["assigned_by"],
                    item["ended_at"],
                )
            )
    frame = pd.DataFrame(rows, columns=OCCURRENCE_COLUMNS)
    for column in ("assigned_at", "ended_at"):
        frame[column] = pd.to_datetime(frame[column], utc=True, format="ISO8601")
    return frame.sort_values(["client", "client_id", "opens_on", "assignment_id", "occurrence"]).reset_index(
        drop=True
    )


def figures(store: Store, quiet_days: int | None = None) -> pd.DataFrame:
    """One row per client with homework: occurrences opened so far (``assigned``), done on time, done
    late, overdue, open; their last activity (any answer saved); ``days_quiet``: days since then, or since
    homework was first assigned if that came later; and ``quiet``: open or overdue homework and
    ``days_quiet`` of at least ``quiet_days`` (the coach's setting, 7 by default).
    Ordered as the coach's list is: risk flags first (``most_urgent``), then the quietest."""
    days = quiet_days if quiet_days is not None else quiet_days_setting(store)
    found = occurrences(store)
    people = frames.clients(store)
    if found.empty:
        return pd.DataFrame(columns=FIGURE_COLUMNS)
    opened = found[found["state"] != "upcoming"]
    counts = opened.groupby("client_id")["state"].value_counts().unstack(fill_value=0)
    for state in ("done", "late", "overdue", "open"):
        if state not in counts:
            counts[state] = 0
    table = pd.DataFrame(
        {
            "assigned": counts[["done", "late", "overdue", "open"]].sum(axis=1),
            "done_on_time": counts["done"],
            "done_late": counts["late"],
            "overdue": counts["overdue"],
            "open": counts["open"],
        }
    )
    listed = people[people["client_id"].isin(found["client_id"])][
        ["client_id", "client", "last_activity", "most_urgent"]
    ]
    listed = listed.join(table, on="client_id")  # keeps the list's order: risk first
    for column in ("assigned", "done_on_time", "done_late", "overdue", "open"):
        listed[column] = listed[column].fillna(0).astype(int)
    # Quiet since their last activity, or since homework was first assigned, whichever came later.
    assigned_at = found.groupby("client_id")["assigned_at"].min()
    since_when = listed["client_id"].map(assigned_at)
    since_when = since_when.where(listed["last_activity"].isna() | (since_when > listed["last_activity"]))
    since_when = since_when.fillna(listed["last_activity"])
    since = pd.Timestamp(store.now()) - since_when
    listed["days_quiet"] = since.dt.days.astype(int)
    waiting = (listed["overdue"] + listed["open"]) > 0
    listed["quiet"] = waiting & (since >= pd.Timedelta(days=days))
    return listed[FIGURE_COLUMNS].reset_index(drop=True)


def gone_quiet(store: Store, quiet_days: int | None = None) -> pd.DataFrame:
    """Clients with open homework and no activity for ``quiet_days``: those with risk flags first, then
    the longest quiet."""
    table = figures(store, quiet_days)
    quiet = table[table["quiet"]].copy()
    quiet["flagged"] = quiet["most_urgent"] != ""
    quiet["never"] = quiet["days_quiet"] < 0
    quiet = quiet.sort_values(
        ["flagged", "never", "days_quiet"], ascending=[False, False, False], kind="stable"
    )
    return quiet[FIGURE_COLUMNS].reset_index(drop=True)


def quiet_days_setting(store: Store) -> int:
    try:
        return max(1, int(store.get_setting(QUIET_DAYS.key) or QUIET_DAYS.default))
    except ValueError:
        return int(QUIET_DAYS.default)
