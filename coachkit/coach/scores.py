"""Per-worksheet results over time, from the tidy frame: what the coach's charts plot. Pure functions.

Each function looks its worksheet up by id in ``coachkit.exercises.WORKSHEETS`` and returns an empty
frame (with the same columns) when that worksheet does not exist or nobody has completed it yet.
Only completed responses count; rows are ordered by client, then by when they were completed.

Example::

    tidy = frames.answers(store, client_id=3)
    scores.fight_scores(tidy)[["completed_at", "self_check", "frequency_label"]]
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from coachkit.coach.frames import answer_dicts, wide
from coachkit.exercises import WORKSHEETS
from coachkit.exercises.fight import self_check_count
from coachkit.worksheet import Field

FIGHT = "fight-or-make-it-right"
ANGER_PLAN = "my-anger-plan"
PRACTICE = "anger-plan-practice"
BELIEFS = "wanting-them-back"

WHEN = ["response_id", "client_id", "client", "completed_at"]
FIGHT_COLUMNS = [*WHEN, "self_check", "frequency", "frequency_label", "frequency_rank"]
PRACTICE_COLUMNS = [
    *WHEN,
    "noticed",
    "said_statements",
    "came_back_on_time",
    "came_back",
    "talk_went",
    "note",
]
BELIEF_COLUMNS = [*WHEN, "recognized", "out_of", "beliefs"]
PLAN_COLUMNS = [*WHEN, "number", "answers"]

SELF_CHECK_OUT_OF = 5


def _field(worksheet_id: str, field_id: str) -> Field | None:
    try:
        return WORKSHEETS[worksheet_id].field(field_id)
    except KeyError:
        return None


def _options(worksheet_id: str, field_id: str) -> list[tuple[str, str]]:
    """``(value, label)`` of a choice field's options, in order; empty if there is no such field."""
    return [(option.value, option.label) for option in getattr(_field(worksheet_id, field_id), "options", ())]


def completed(tidy_frame: pd.DataFrame, worksheet_id: str) -> pd.DataFrame:
    """The wide frame of a worksheet's completed responses, ordered by client and completion time."""
    if worksheet_id not in WORKSHEETS:
        return wide(tidy_frame.iloc[0:0], worksheet_id)
    frame = wide(tidy_frame[tidy_frame["status"] == "completed"], worksheet_id)
    return frame.sort_values(["client", "client_id", "completed_at"]).reset_index(drop=True)


def _scored(done: pd.DataFrame, columns: list[str], rows: list[dict[str, Any]]) -> pd.DataFrame:
    if done.empty:
        return pd.DataFrame(columns=columns)
    return pd.concat([done[WHEN].reset_index(drop=True), pd.DataFrame(rows)], axis=1)[columns]


def fight_scores(tidy_frame: pd.DataFrame) -> pd.DataFrame:
    """Each completed fight self-check: how many of the five sounded familiar, and how often fights are.

    ``frequency_rank`` is the answer's place on the scale (0 = rarely … 4 = almost every day).
    """
    done = completed(tidy_frame, FIGHT)
    answers = answer_dicts(tidy_frame[tidy_frame["response_id"].isin(done["response_id"])])
    options = _options(FIGHT, "frequency")
    labels, ranks = dict(options), {value: rank for rank, (value, _) in enumerate(options)}
    rows = []
    for response_id in done["response_id"]:
        given = answers.get(int(response_id), {})
        frequency = given.get("frequency")
        rows.append(
            {
                "self_check": self_check_count(given),
                "frequency": frequency,
                "frequency_label": labels.get(frequency),
                "frequency_rank": ranks.get(frequency),
            }
        )
    frame = _scored(done, FIGHT_COLUMNS, rows)
    frame["frequency_rank"] = frame["frequency_rank"].astype("Int64")
    return frame


def as_yes(value: Any) -> bool | None:
    """A yes/no answer as ``True``/``False``; a choice reads "yes" as yes, "no"/"late" as no, else unknown."""
    if isinstance(value, bool):
        return value
    return {"yes": True, "no": False, "late": False}.get(value) if isinstance(value, str) else None


def practice_log(tidy_frame: pd.DataFrame) -> pd.DataFrame:
    """Each anger-plan practice entry: noticed it, used the statements, came back on time, how the talk went.

    ``came_back_on_time`` is ``<NA>`` when no break was needed; ``came_back`` keeps the answer as read.
    """
    done = completed(tidy_frame, PRACTICE)
    labels = dict(_options(PRACTICE, "came_back_on_time"))
    rows = []
    for _, row in done.iterrows():
        came_back = row.get("came_back_on_time")
        rows.append(
            {
                "noticed": as_yes(row.get("noticed")),
                "said_statements": as_yes(row.get("said_statements")),
                "came_back_on_time": as_yes(came_back),
                "came_back": labels.get(came_back, came_back) if isinstance(came_back, str) else came_back,
                "talk_went": row.get("talk_went"),
                "note": row.get("note"),
            }
        )
    frame = _scored(done, PRACTICE_COLUMNS, rows)
    for column in ("noticed", "said_statements", "came_back_on_time"):
        frame[column] = frame[column].astype("boolean")
    frame["talk_went"] = frame["talk_went"].astype("Int64")
    return frame


def beliefs(tidy_frame: pd.DataFrame) -> pd.DataFrame:
    """Each "wanting them back" reflection: how many of the beliefs the client recognized in themselves."""
    done = completed(tidy_frame, BELIEFS)
    out_of = len(_options(BELIEFS, "beliefs"))
    rows = []
    for _, row in done.iterrows():
        ticked = row.get("beliefs")
        ticked = list(ticked) if isinstance(ticked, list) else []
        rows.append({"recognized": len(ticked), "out_of": out_of, "beliefs": ticked})
    frame = _scored(done, BELIEF_COLUMNS, rows)
    for column in ("recognized", "out_of"):
        frame[column] = frame[column].astype("Int64")
    return frame


def plan_versions(tidy_frame: pd.DataFrame) -> pd.DataFrame:
    """Every completed anger plan, newest first; ``number`` counts a client's versions from 1."""
    done = completed(tidy_frame, ANGER_PLAN)
    answers = answer_dicts(tidy_frame[tidy_frame["response_id"].isin(done["response_id"])])
    rows = [
        {"number": 0, "answers": answers.get(int(response_id), {})} for response_id in done["response_id"]
    ]
    frame = _scored(done, PLAN_COLUMNS, rows)
    if frame.empty:
        return frame
    frame["number"] = frame.groupby("client_id").cumcount() + 1
    return frame.sort_values(
        ["client", "client_id", "completed_at"], ascending=[True, True, False]
    ).reset_index(drop=True)
