"""Exports for one client or everyone: CSV files, one Excel workbook and one JSON document.

Each holds the same tables: the client list, responses, flags, the tidy answers (a row per answer)
and one wide table per worksheet (a row per response, a column per question); with homework assigned,
``homework`` (a row per occurrence of each assignment, unassigned ones too, and where it stands) and
``homework_figures`` (a row per client: assigned, done on time, overdue, last activity, gone quiet); for a
client linked to a partner, ``couple``; with the coach's session notes, ``notes`` (a row per note, with the
worksheet it is about). Answers are in the client's words (the label they chose), the stored
value beside them (``words``); times are in the coach's time zone (``zone``; Excel gets that zone's
wall-clock times, which it cannot label).

A client's words are data, never instructions: in CSV and Excel a cell that starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return gets a leading ``'`` so no spreadsheet runs it as a formula
(OWASP's advice on CSV injection). JSON keeps every value exactly, lists as lists.

Example::

    files = export_files(store, client_id=3, formats=("csv", "json"))
    write_export(store, Path("exports"), client_id=None)   # everyone, every format
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from coachkit.coach import couples, frames, homework
from coachkit.coach.notes import notes_frame
from coachkit.coach.words import answers_in_words, wide_in_words
from coachkit.coach.zone import coach_zone, in_zone
from coachkit.exercises import WORKSHEETS
from coachkit.exercises.versions import Versions
from coachkit.private import private_folder, write_private_file
from coachkit.settings import coach_language
from coachkit.store import Store

FORMATS = ("csv", "xlsx", "json")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MIME_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
_ILLEGAL_IN_EXCEL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""Control characters an .xlsx file cannot hold (openpyxl refuses them)."""


def neutralize(value: Any) -> Any:
    """A spreadsheet cell that cannot start a formula: text starting with = + - @ tab or CR gets a ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _cell(value: Any, excel: bool) -> Any:
    if isinstance(value, list | tuple):
        value = "; ".join(str(item) for item in value)
    elif isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and excel:
        value = _ILLEGAL_IN_EXCEL.sub("", value)
    return neutralize(value)


def for_spreadsheet(frame: pd.DataFrame, *, excel: bool = False) -> pd.DataFrame:
    """A copy safe for CSV or Excel: lists joined with "; ", no formulas, Excel's times without a zone."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if isinstance(series.dtype, pd.DatetimeTZDtype):
            if excel:  # Excel has no time zones: write the coach's wall-clock times
                out[column] = series.dt.tz_localize(None)
        elif series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
            out[column] = pd.Series([_cell(value, excel) for value in series], index=out.index, dtype=object)
    return out


def tables(store: Store, client_id: int | None = None) -> dict[str, pd.DataFrame]:
    """Every table of an export, by name: clients, responses, flags, answers, then one per worksheet."""
    zone, sheet_of = coach_zone(store), Versions(store, coach_language(store)).get
    tidy = frames.answers(store, client_id)
    people = frames.clients(store)
    if client_id is not None:
        people = people[people["client_id"] == client_id].reset_index(drop=True)
    found = {
        "clients": people,
        "responses": frames.responses(store, client_id),
        "flags": frames.flags(store, client_id),
        "answers": answers_in_words(tidy, sheet_of),
    }
    answered = set(tidy["worksheet"])
    for worksheet_id in [*WORKSHEETS, *sorted(answered - set(WORKSHEETS))]:
        if worksheet_id in answered:
            found[worksheet_id] = wide_in_words(frames.wide(tidy, worksheet_id), worksheet_id, sheet_of)
    partner_id = store.find_partner(client_id) if client_id is not None else None
    if partner_id is not None:  # the couple's compared answers, one tidy frame with a partner column
        pair = couples.couple_answers(store, store.get_client(client_id), store.get_client(partner_id))  # type: ignore[arg-type]
        found["couple"] = answers_in_words(pair, sheet_of)
    assigned = homework.occurrences(store, client_id, ended=True)
    if not assigned.empty:
        figures = homework.figures(store)
        found["homework"] = assigned
        found["homework_figures"] = (
            figures
            if client_id is None
            else figures[figures["client_id"] == client_id].reset_index(drop=True)
        )
    notes = notes_frame(store, client_id)
    if not notes.empty:
        found["notes"] = notes
    return {name: in_zone(frame, zone) for name, frame in found.items()}


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheet programs read accents right.

    Rows end in CRLF (RFC 4180), so a field holding a lone CR or LF is quoted: unquoted, a spreadsheet
    would start a new row there, and the text after the break could begin a formula.
    """
    return for_spreadsheet(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def _sheet_names(names: Iterable[str]) -> dict[str, str]:
    # A sheet name has at most 31 characters and must be unique.
    found: dict[str, str] = {}
    for name in names:
        short = re.sub(r"[\[\]:*?/\\]", "-", name)[:31]
        while short in found.values():
            short = short[:28] + f"~{len(found)}"
        found[name] = short
    return found


def excel_bytes(tables_: dict[str, pd.DataFrame]) -> bytes:
    """One workbook, a sheet per table."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, sheet in _sheet_names(tables_).items():
            for_spreadsheet(tables_[name], excel=True).to_excel(writer, sheet_name=sheet, index=False)
    return buffer.getvalue()


def json_bytes(tables_: dict[str, pd.DataFrame], scope: str) -> bytes:
    """One JSON document, ``{"scope", "exported_at", "tables": {name: [row, …]}}``, values as they are."""
    document = {
        "scope": scope,
        "exported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "tables": {
            name: json.loads(frame.to_json(orient="records", date_format="iso", date_unit="us"))
            for name, frame in tables_.items()
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def slug(text: str) -> str:
    """A file-name-safe form of a name ("Rosa Jiménez" → "rosa-jimenez")."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "client"


def export_files(
    store: Store,
    client_id: int | None = None,
    formats: Iterable[str] = FORMATS,
    today: dt.date | None = None,
) -> dict[str, bytes]:
    """The export's files by name, e.g. ``coachkit-everyone-2026-11-20-answers.csv`` or ``….xlsx``."""
    scope = "everyone" if client_id is None else store.get_client(client_id).name
    stem = f"coachkit-{slug(scope)}-{today or dt.date.today():%Y-%m-%d}"
    found = tables(store, client_id)
    files: dict[str, bytes] = {}
    for kind in formats:
        if kind == "csv":
            files.update({f"{stem}-{name}.csv": csv_bytes(frame) for name, frame in found.items()})
        elif kind == "xlsx":
            files[f"{stem}.xlsx"] = excel_bytes(found)
        elif kind == "json":
            files[f"{stem}.json"] = json_bytes(found, scope)
        else:
            raise ValueError(f"unknown export format {kind!r}; use one of {', '.join(FORMATS)}")
    return files


def write_export(
    store: Store, folder: Path, client_id: int | None = None, formats: Iterable[str] = FORMATS
) -> list[Path]:
    """Write the export's files into ``folder`` (made 0700 if missing), each 0600; returns their paths."""
    private_folder(folder)
    written = []
    for name, content in export_files(store, client_id, formats).items():
        path = folder / name
        write_private_file(path, content)
        written.append(path)
    return written
