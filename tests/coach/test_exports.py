"""Exports: the same tables in CSV, Excel and JSON; no spreadsheet cell can start a formula."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import stat

import openpyxl
import pandas as pd
import pytest

from coachkit.coach import exports
from tests.coach.conftest import FIGHT, FORMULA, HOSTILE, fight, fill

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def filled(store, ann):
    """Ann answered calmly; Bob, whose name and answers are a formula, raised flags."""
    bob = store.add_client(FORMULA)
    fill(store, ann, FIGHT, fight(self_check=1, recent_fight=HOSTILE))
    fill(store, bob, FIGHT, fight(frequency="daily", been_hurt="yes", recent_fight=FORMULA))
    fill(store, bob, "wanting-them-back", {"beliefs": ["my_fault", "afraid_alone"]}, complete=False)
    return store, ann, bob


def read_csv(content: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(content), encoding="utf-8-sig", dtype=str, keep_default_na=False)


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_neutralize_prefixes_anything_a_spreadsheet_would_run(start):
    assert exports.neutralize(start + "1+1") == "'" + start + "1+1"


@pytest.mark.parametrize("value", ["plain words", "", "a=b", 3, -3, True, None])
def test_neutralize_leaves_everything_else_alone(value):
    assert exports.neutralize(value) == value


def test_export_files_names_every_table_in_every_format(filled):
    store, _, _ = filled
    files = exports.export_files(store, today=TODAY)
    stem = "coachkit-everyone-2026-11-20"
    assert set(files) == {
        *(
            f"{stem}-{name}.csv"
            for name in ("clients", "responses", "flags", "answers", FIGHT, "wanting-them-back")
        ),
        f"{stem}.xlsx",
        f"{stem}.json",
    }


def test_csv_never_starts_a_cell_with_a_formula(filled):
    store, _, bob = filled
    files = exports.export_files(store, bob.id, formats=["csv"], today=TODAY)
    answers = read_csv(files["coachkit-hyperlink-http-evil-example-leak-a1-click-me-2026-11-20-answers.csv"])
    assert set(answers["client"]) == {"'" + FORMULA}
    assert answers.set_index("field").loc["recent_fight", "value"] == "'" + FORMULA
    for content in files.values():
        for row in read_csv(content).itertuples(index=False):
            assert not any(cell.startswith(exports.FORMULA_STARTS) for cell in row)


def test_csv_keeps_other_text_exactly(filled):
    store, ann, _ = filled
    files = exports.export_files(store, ann.id, formats=["csv"], today=TODAY)
    wide = read_csv(files[f"coachkit-ann-lee-2026-11-20-{FIGHT}.csv"])
    assert wide.loc[0, "recent_fight"] == HOSTILE
    assert wide.loc[0, "one_upmanship (value)"] == "True"


def test_csv_joins_ticked_options(filled):
    store, _, bob = filled
    files = exports.export_files(store, bob.id, formats=["csv"], today=TODAY)
    wide = read_csv(
        next(content for name, content in files.items() if name.endswith("wanting-them-back.csv"))
    )
    assert wide.loc[0, "beliefs"] == (
        "I think it is my fault that they behaved badly.; I am afraid to be alone."
    )
    assert wide.loc[0, "beliefs (value)"] == "my_fault; afraid_alone"


def test_answers_are_in_the_clients_words_with_the_stored_value_beside(filled):
    store, ann, _ = filled
    files = exports.export_files(store, ann.id, formats=["csv"], today=TODAY)
    answers = read_csv(files["coachkit-ann-lee-2026-11-20-answers.csv"]).set_index("field")
    assert answers.loc["frequency", ["answer", "value"]].tolist() == ["Rarely, a few times a year", "rarely"]
    wide = read_csv(files[f"coachkit-ann-lee-2026-11-20-{FIGHT}.csv"])
    columns = list(wide.columns)
    assert columns.index("frequency (value)") == columns.index("frequency") + 1


def test_times_are_in_the_coachs_time_zone(filled):
    store, ann, _ = filled
    store.set_setting("time_zone", "Asia/Tokyo")
    tables = exports.tables(store, ann.id)
    assert str(tables["responses"]["completed_at"].dt.tz) == "Asia/Tokyo"


def test_excel_holds_every_table_and_no_formula(filled):
    store, _, _ = filled
    workbook = openpyxl.load_workbook(
        io.BytesIO(
            exports.export_files(store, formats=["xlsx"], today=TODAY)["coachkit-everyone-2026-11-20.xlsx"]
        )
    )
    assert workbook.sheetnames == ["clients", "responses", "flags", "answers", FIGHT, "wanting-them-back"]
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    texts = {cell.value for cell in cells if isinstance(cell.value, str)}
    assert "'" + FORMULA in texts
    assert FORMULA not in texts
    assert HOSTILE in texts


def test_excel_drops_characters_a_workbook_cannot_hold(store, ann):
    fill(store, ann, FIGHT, fight(recent_fight="bell\x07 and tab\tkept"))
    content = exports.export_files(store, formats=["xlsx"], today=TODAY)["coachkit-everyone-2026-11-20.xlsx"]
    sheet = openpyxl.load_workbook(io.BytesIO(content))[FIGHT]
    assert "bell and tab\tkept" in {cell.value for row in sheet.iter_rows() for cell in row}


def test_json_keeps_values_exactly(filled):
    store, _, bob = filled
    content = exports.export_files(store, bob.id, formats=["json"], today=TODAY)
    document = json.loads(next(iter(content.values())))
    assert document["scope"] == FORMULA
    assert set(document["tables"]) == {"clients", "responses", "flags", "answers", FIGHT, "wanting-them-back"}
    values = {row["field"]: row["value"] for row in document["tables"]["answers"]}
    assert values["recent_fight"] == FORMULA
    assert values["beliefs"] == ["my_fault", "afraid_alone"]
    assert values["superior"] is False
    assert document["tables"]["answers"][0]["saved_at"].endswith("Z")


def test_one_clients_export_holds_nobody_else(filled):
    store, ann, _ = filled
    found = exports.tables(store, ann.id)
    for name, table in found.items():
        assert set(table["client_id"]) <= {ann.id}, name
    assert len(found["clients"]) == 1
    assert "wanting-them-back" not in found


def test_write_export_writes_the_files(filled, tmp_path):
    store, _, _ = filled
    written = exports.write_export(store, tmp_path / "out", formats=["json", "xlsx"])
    assert sorted(path.suffix for path in written) == [".json", ".xlsx"]
    assert all(path.stat().st_size > 0 for path in written)


def test_every_export_file_is_private_and_so_is_a_new_folder(filled, tmp_path):
    store, _, _ = filled
    folder = tmp_path / "data" / "exports"
    stale = folder / f"coachkit-everyone-{dt.date.today():%Y-%m-%d}.json"
    before = os.umask(0o022)  # the usual umask: the modes must not depend on the coachkit command's own
    try:
        folder.parent.mkdir()
        written = exports.write_export(store, folder)
        stale.chmod(0o644)  # an older export of the same day, readable by all, is written over
        assert exports.write_export(store, folder, formats=["json"]) == [stale]
    finally:
        os.umask(before)
    assert len(written) == 8
    assert {oct(stat.S_IMODE(path.stat().st_mode)) for path in written} == {"0o600"}
    assert oct(stat.S_IMODE(folder.stat().st_mode)) == "0o700"
    assert oct(stat.S_IMODE(folder.parent.stat().st_mode)) == "0o755"  # not made by coachkit: left alone


def test_an_unknown_format_is_refused(store):
    with pytest.raises(ValueError, match="unknown export format"):
        exports.export_files(store, formats=["pdf"])


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Rosa Jiménez", "rosa-jimenez"), ("  ", "client"), ("O'Neill, Hannah", "o-neill-hannah")],
)
def test_slug(name, expected):
    assert exports.slug(name) == expected
