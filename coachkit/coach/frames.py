"""The store as pandas DataFrames: a row per answer, per response, per flag and per client.

Frames are built from the plain rows the store's facade reads (``Store.answer_rows`` …, each call one
read-only snapshot) and then shaped by pure functions, so any of them can be rebuilt at any time. Times
are UTC timestamps. ``value`` is each answer decoded from its JSON: text, a whole number,
``True``/``False``, or a list of ticked option values. Field kinds and labels come from the version of
the worksheet each answer was given in (``coachkit.exercises.versions``); a field no version knows keeps
its id as its label.

Example::

    from coachkit.coach import frames
    from coachkit.store import Store

    store = Store()
    tidy = frames.answers(store)                        # one row per answer
    fight = frames.wide(tidy, "fight-or-make-it-right")  # one row per response, a column per field
    tidy.groupby(["worksheet", "status"]).response_id.nunique()
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from typing import Any

import pandas as pd

from coachkit.coach import risk
from coachkit.exercises import WORKSHEETS
from coachkit.exercises.versions import Versions
from coachkit.settings import coach_language
from coachkit.store import Rows, Store
from coachkit.worksheet import URGENT, Worksheet

ANSWER_COLUMNS = [
    "client_id",
    "client",
    "worksheet",
    "version",
    "response_id",
    "status",
    "completed_at",
    "language",
    "step",
    "field",
    "kind",
    "label",
    "value",
    "saved_at",
]
"""The tidy frame's columns: who, which worksheet (and version) and response, which question, what."""

RESPONSE_COLUMNS = [
    "response_id",
    "client_id",
    "client",
    "worksheet",
    "title",
    "version",
    "status",
    "language",
    "current_step",
    "started_at",
    "updated_at",
    "completed_at",
    "answers",
    "flags",
    "open_flags",
]
FLAG_COLUMNS = [
    "client_id",
    "client",
    "response_id",
    "worksheet",
    "status",
    "flag",
    "raised_at",
    "cleared_at",
    "checked_at",
    "checked_note",
    "flag_id",
]
"""A row per span of a flag raised: ``cleared_at`` once a draft's answer no longer raises it, ``checked_at``
and ``checked_note`` once the coach checked in with the client about it."""
CLIENT_COLUMNS = [
    "client_id",
    "client",
    "added",
    "last_activity",
    "completed",
    "drafts",
    "flags",
    "risk",
    "gentle",
    "risk_flags",
    "most_urgent",
    "flagged_at",
    "checked_at",
]
RESPONSE_META = ["response_id", "client_id", "client", "version", "status", "language", "completed_at"]
"""The leading columns of a wide frame; the worksheet's fields follow, in the order they are asked."""

NO_FLAG_RANK = 99
GENTLE_RANK = 3
"""Ranks (``risk.LEVEL_ORDER``) up to "chose not to say" put a client ahead of those with no such flag."""

_TIMES = (
    "completed_at",
    "saved_at",
    "started_at",
    "updated_at",
    "raised_at",
    "cleared_at",
    "checked_at",
    "added",
    "last_activity",
)


def _frame(rows: Rows) -> pd.DataFrame:
    """Plain rows from the store as a frame, times as UTC timestamps."""
    frame = pd.DataFrame.from_records(rows.values, columns=list(rows.columns))
    for column in _TIMES:
        if column in frame:
            frame[column] = pd.to_datetime(frame[column], utc=True, format="ISO8601")
    return frame


CATALOG_COLUMNS = ["worksheet", "version", "field", "step", "position", "kind", "label"]


def field_catalog(versions: Iterable[tuple[int, Worksheet]] | None = None) -> pd.DataFrame:
    """Every field of each ``(version, worksheet)`` (by default, every worksheet as it is now):
    worksheet, version, field, step, position (order asked), kind, label."""
    if versions is None:
        versions = [(sheet.version, sheet) for sheet in WORKSHEETS.values()]
    rows = [
        (sheet.id, version, item.id, step.id, position, item.kind, item.label)
        for version, sheet in versions
        for position, (step, item) in enumerate(sheet.all_fields())
    ]
    return pd.DataFrame(rows, columns=CATALOG_COLUMNS)


def decode_values(texts: list[str]) -> list[Any]:
    """Decode stored JSON answers; each distinct scalar is decoded once (answers repeat a lot)."""
    scalars = {text: json.loads(text) for text in set(texts) if not text.startswith("[")}
    # Lists are decoded one by one so no two rows share (and could mutate) the same list.
    return [scalars[text] if text in scalars else json.loads(text) for text in texts]


def answers(store: Store, client_id: int | None = None) -> pd.DataFrame:
    """The tidy frame: one row per saved answer, in the order each response asks its questions.

    Columns are ``ANSWER_COLUMNS``. Drafts are included (``status`` says which is which); an
    unanswered question has no row. ``client_id`` limits it to one client.
    """
    answer_rows, response_rows = map(_frame, store.answer_rows(client_id))
    response_rows = with_language(response_rows)
    given = response_rows[["worksheet", "version"]].drop_duplicates().itertuples(index=False)
    found = Versions(store, coach_language(store))
    sheets = [(int(version), found.get(worksheet_id, int(version))) for worksheet_id, version in given]
    raw = answer_rows.merge(response_rows, on="response_id", how="inner", sort=False)
    return tidy(raw, field_catalog((version, sheet) for version, sheet in sheets if sheet is not None))


def tidy(raw: pd.DataFrame, catalog: pd.DataFrame) -> pd.DataFrame:
    """Shape answer rows (joined with their responses, ``value_json`` still encoded) into the tidy frame.

    Each answer is labelled by the version of its worksheet it was given in (``catalog``, from
    ``field_catalog``); a field no version knows keeps its id as its label.
    """
    # Pure: sorted by response, then by where each question sits in its worksheet.
    catalog = catalog[["worksheet", "version", "field", "position", "kind", "label"]]
    frame = raw.merge(catalog, on=["worksheet", "version", "field"], how="left", sort=False)
    frame["kind"] = frame["kind"].fillna("")
    frame["label"] = frame["label"].fillna(frame["field"])
    frame["value"] = pd.Series(decode_values(frame["value_json"].tolist()), index=frame.index, dtype=object)
    frame = frame.sort_values(["response_id", "position", "answer_id"], na_position="last")
    return frame[ANSWER_COLUMNS].reset_index(drop=True)


def flags(store: Store, client_id: int | None = None) -> pd.DataFrame:
    """One row per flag raised (``safety``, ``frequent_fighting`` …), oldest first, cleared ones too."""
    return _frame(store.flag_rows(client_id))[FLAG_COLUMNS]


def standing(flags_frame: pd.DataFrame) -> pd.DataFrame:
    """The flags the answers raise as they stand (a corrected draft's are not)."""
    return flags_frame[flags_frame["cleared_at"].isna()]


def open_flags(flags_frame: pd.DataFrame) -> pd.DataFrame:
    """The standing flags the coach has not checked in about yet. Pure."""
    kept = standing(flags_frame)
    return kept[kept["checked_at"].isna()]


def responses(store: Store, client_id: int | None = None) -> pd.DataFrame:
    """One row per response, draft or completed, oldest first, with its answer count and flags.

    ``flags`` is the response's flags as its answers stand, as one comma-separated string (empty when
    none); ``open_flags`` those of them the coach has not checked in about.
    """
    response_rows, flag_rows = store.response_rows(client_id)
    return with_titles_and_flags(with_language(_frame(response_rows)), _frame(flag_rows))


def with_language(frame: pd.DataFrame) -> pd.DataFrame:
    """``language``: the one each response was given in; responses from before languages were kept were
    all in English, the only language there was. Pure."""
    if "language" not in frame:
        frame["language"] = pd.Series(dtype=object)
    frame["language"] = frame["language"].astype(object).where(frame["language"].notna(), "en")
    return frame


def with_titles_and_flags(frame: pd.DataFrame, flags_frame: pd.DataFrame) -> pd.DataFrame:
    """Add each response's worksheet title, its standing flags and its open ones (each one comma-separated
    string). Pure."""
    frame["title"] = frame["worksheet"].map(
        lambda sheet: WORKSHEETS[sheet].title if sheet in WORKSHEETS else sheet
    )
    for column, kept in (("flags", standing(flags_frame)), ("open_flags", open_flags(flags_frame))):
        raised = kept.groupby("response_id")["flag"].agg(lambda found: ", ".join(sorted(found)))
        listed = [raised.get(response_id, "") for response_id in frame["response_id"]]
        frame[column] = pd.Series(listed, index=frame.index, dtype=object)
    return frame[RESPONSE_COLUMNS]


def clients(store: Store) -> pd.DataFrame:
    """The coach's list: one row per client, with last activity, counts and flags; risk first.

    Clients come in order of danger: the most urgent flag they ever raised first (self-harm and despair,
    then violence or fear, then no safe place, then "chose not to say"; ``most_urgent`` names that level),
    newest first within a level (``flagged_at``: the last change to a response that raised one), then
    everyone else by name. Only open flags count for that order: raised by an answer as it stands, and not
    yet checked in about by the coach. ``flags`` are those of each worksheet's latest completed response
    (where the client is now); ``risk`` and ``gentle`` name every open urgent and "chose not to say" flag,
    and ``risk_flags`` counts the responses that raised an open urgent one, so none drops out of sight
    until the coach has checked in; ``checked_at`` is the coach's last check-in.
    """
    people, response_rows, flag_rows = map(_frame, store.client_rows())
    listed = client_list(people, with_titles_and_flags(response_rows, flag_rows))
    checked = flag_rows.dropna(subset=["checked_at"]).groupby("client_id")["checked_at"].max().to_dict()
    latest = [checked.get(client_id, pd.NaT) for client_id in listed["client_id"]]
    listed["checked_at"] = pd.Series(pd.to_datetime(latest, utc=True), index=listed.index)
    return listed


def client_list(people: pd.DataFrame, responses_frame: pd.DataFrame) -> pd.DataFrame:
    """Add activity, counts and flags (see ``clients``) to a frame of ``client_id, client, added``. Pure."""

    def at_level(wanted: set[str]) -> list[str]:
        return [
            ", ".join(flag for flag in split_flags(text) if risk.level(sheet, flag) in wanted)
            for sheet, text in zip(responses_frame["worksheet"], responses_frame["open_flags"], strict=True)
        ]

    ranks = [
        min((risk.LEVEL_ORDER[risk.level(sheet, flag)] for flag in split_flags(text)), default=NO_FLAG_RANK)
        for sheet, text in zip(responses_frame["worksheet"], responses_frame["open_flags"], strict=True)
    ]
    frame = responses_frame.assign(
        done=responses_frame["status"] == "completed",
        draft=responses_frame["status"] == "draft",
        risk=pd.Series(at_level(set(URGENT)), index=responses_frame.index, dtype=object),
        gentle=pd.Series(at_level({"gentle"}), index=responses_frame.index, dtype=object),
        rank=pd.Series(ranks, index=responses_frame.index, dtype=int),
    )
    frame["flagged_at"] = frame["updated_at"].where(frame["rank"] <= GENTLE_RANK)
    by_client = frame.groupby("client_id")
    latest = frame[frame["done"]].sort_values("completed_at").groupby(["client_id", "worksheet"]).tail(1)
    summary = pd.DataFrame(
        {
            "last_activity": by_client["updated_at"].max(),
            "completed": by_client["done"].sum(),
            "drafts": by_client["draft"].sum(),
            "flags": latest.groupby("client_id")["flags"].agg(_union_flags),
            "risk": by_client["risk"].agg(_union_flags),
            "gentle": by_client["gentle"].agg(_union_flags),
            "risk_flags": by_client["risk"].agg(lambda texts: sum(bool(text) for text in texts)),
            "rank": by_client["rank"].min(),
            "flagged_at": by_client["flagged_at"].max(),
        }
    )
    listed = people.join(summary, on="client_id")
    for column in ("completed", "drafts", "risk_flags"):
        listed[column] = listed[column].fillna(0).astype(int)
    for column in ("flags", "risk", "gentle"):
        listed[column] = listed[column].fillna("").astype(object)
    listed["last_activity"] = pd.to_datetime(listed["last_activity"], utc=True)
    listed["flagged_at"] = pd.to_datetime(listed["flagged_at"], utc=True)
    rank = listed["rank"].fillna(NO_FLAG_RANK).astype(int).clip(upper=GENTLE_RANK + 1)
    levels = {order: level for level, order in risk.LEVEL_ORDER.items() if order <= GENTLE_RANK}
    listed["most_urgent"] = pd.Series([levels.get(r, "") for r in rank], index=listed.index, dtype=object)
    listed = listed.assign(rank=rank).sort_values(
        ["rank", "flagged_at", "client", "client_id"],
        ascending=[True, False, True, True],
        na_position="last",
        kind="stable",
    )
    listed["checked_at"] = pd.Series(pd.NaT, index=listed.index, dtype="datetime64[ns, UTC]")
    return listed[CLIENT_COLUMNS].reset_index(drop=True)


def _union_flags(texts: pd.Series) -> str:
    return ", ".join(sorted({flag for text in texts for flag in split_flags(text)}))


def split_flags(text: str) -> list[str]:
    """The flags in a ``flags`` cell ("frequent_fighting, safety" → both)."""
    return [flag.strip() for flag in text.split(",") if flag.strip()]


def wide(tidy_frame: pd.DataFrame, worksheet_id: str) -> pd.DataFrame:
    """One worksheet's answers: a row per response, a column per field, in the order they are asked.

    The leading columns are ``RESPONSE_META``. Unanswered questions are ``None``. Rows are ordered by
    client, then by when they were completed (drafts last). Pure.
    """
    rows = tidy_frame[tidy_frame["worksheet"] == worksheet_id]
    known = (
        [item.id for _, item in WORKSHEETS[worksheet_id].all_fields()] if worksheet_id in WORKSHEETS else []
    )
    seen = list(dict.fromkeys(rows["field"]))
    fields = [*known, *(field for field in seen if field not in known)]
    if rows.empty:
        return pd.DataFrame(columns=[*RESPONSE_META, *fields])
    meta = rows.groupby("response_id", sort=False)[RESPONSE_META[1:]].first()
    values = rows.pivot(index="response_id", columns="field", values="value").reindex(columns=fields)
    values = values.astype(object).where(values.notna(), None)
    frame = meta.join(values).reset_index()
    frame = frame.sort_values(["client", "client_id", "completed_at", "response_id"], na_position="last")
    frame.columns.name = None
    return frame.reset_index(drop=True)


def answer_dicts(tidy_frame: pd.DataFrame) -> dict[int, dict[str, Any]]:
    """Each response's answers as ``{field: value}``, by response id (for the worksheets' own functions)."""
    found: dict[int, dict[str, Any]] = {}
    for response_id, field, value in zip(
        tidy_frame["response_id"], tidy_frame["field"], tidy_frame["value"], strict=True
    ):
        found.setdefault(int(response_id), {})[field] = value
    return found


def is_answered(value: Any) -> bool:
    """Whether a cell of a wide frame holds an answer (``None`` and NaN do not)."""
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def assignments(store: Store, client_id: int | None = None) -> pd.DataFrame:
    """Homework: one row per occurrence of each open assignment and where it stands (``coach.homework``)."""
    from coachkit.coach import homework  # it builds on this module's client list

    return homework.occurrences(store, client_id)


def homework_figures(store: Store, quiet_days: int | None = None) -> pd.DataFrame:
    """Per client with homework: assigned, done on time, done late, overdue, open, last activity, quiet."""
    from coachkit.coach import homework

    return homework.figures(store, quiet_days)


def gone_quiet(store: Store, quiet_days: int | None = None) -> pd.DataFrame:
    """Clients with open homework and no activity for ``quiet_days`` (the coach's setting): risk first."""
    from coachkit.coach import homework

    return homework.gone_quiet(store, quiet_days)
