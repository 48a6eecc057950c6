"""A worksheet's translations beside its file: read in a language, checked (missing, extra, stale, with
file and line), merged when the worksheet changes, and safe (a translation that lost a placeholder is not
used)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from coachkit.cli import main
from coachkit.exercises import all_worksheets, worksheets_in
from coachkit.exercises.checking import check_files
from coachkit.exercises.translated import read_in
from coachkit.exercises.translations import read_translation, translation_path, write_translation
from coachkit.worksheet.loader import load_worksheet

SHEET = textwrap.dedent(
    """\
    id: check-in
    version: 1
    title: Weekly check-in
    steps:
      - id: week
        title: Your week
        fields:
          - id: talks
            kind: single_choice
            label: How often did you talk?
            options: {never: Never, some: Sometimes}
            notices:
              - equals: never
                text: That sounds lonely. {safety_help}
    """
)
SPANISH = {
    "Weekly check-in": "Repaso semanal",
    "Your week": "Tu semana",
    "How often did you talk?": "¿Con qué frecuencia hablasteis?",
    "Never": "Nunca",
    "Sometimes": "A veces",
    "That sounds lonely. {safety_help}": "Eso suena solitario. {safety_help}",
}


def fill(po: Path, translations: dict[str, str]) -> None:
    """Fill the msgstr of each entry, as a translator would in their editor."""
    lines, english = po.read_text(encoding="utf-8").splitlines(), None
    out = []
    for line in lines:
        if line.startswith("msgid "):
            english = line[len('msgid "') : -1]
        if line == 'msgstr ""' and english in translations:
            line = f'msgstr "{translations[english]}"'
        out.append(line)
    po.write_text("\n".join(out) + "\n", encoding="utf-8")


@pytest.fixture
def sheet_file(tmp_path) -> Path:
    path = tmp_path / "check-in.yaml"
    path.write_text(SHEET, encoding="utf-8")
    return path


@pytest.fixture
def translated(sheet_file) -> Path:
    po, entries, todo = write_translation(sheet_file, "es", 1)
    assert (po, entries, todo) == (translation_path(sheet_file, "es"), 6, 6)
    fill(po, SPANISH)
    return po


def problems(path: Path) -> list[str]:
    [checked] = check_files([path])
    assert checked.ok, checked.problems
    return [str(problem) for problem in checked.translations]


def test_a_worksheet_reads_in_the_language_of_its_translation(sheet_file, translated):
    sheet = load_worksheet(SHEET, str(sheet_file), {})
    spanish = read_in(sheet, sheet_file, "es", {})
    talks = spanish.field("talks")
    assert (spanish.language, spanish.title, talks.label) == (
        "es",
        "Repaso semanal",
        "¿Con qué frecuencia hablasteis?",
    )
    assert talks.display("some") == "A veces"  # the stored value is the same in every language
    assert talks.notices[0].text == "Eso suena solitario. {safety_help}"
    with pytest.raises(ValueError, match="Elige una de las opciones"):
        talks.clean("")  # its own words in Spanish too (coachkit's catalog)
    assert problems(sheet_file) == []


def test_check_names_what_a_translation_lacks_and_what_it_has_too_much_of(sheet_file, translated):
    po = translation_path(sheet_file, "es")
    text = po.read_text(encoding="utf-8")
    text = text.replace('msgstr "A veces"', 'msgstr ""')  # one untranslated
    text += '\nmsgid "Words the file no longer says"\nmsgstr "Palabras de antes"\n'
    po.write_text(text, encoding="utf-8")
    said = problems(sheet_file)
    assert any("missing" in line and "check-in.yaml:11" in line and "“Sometimes”" in line for line in said)
    extra = [line for line in said if "extra" in line]
    assert len(extra) == 1 and f"{po}:" in extra[0] and "Words the file no longer says" in extra[0]
    result = CliRunner().invoke(main, ["worksheet", "check", str(sheet_file)])
    assert result.exit_code != 0 and "translations to bring up to date" in result.output


def test_a_new_version_of_the_worksheet_marks_its_translations_stale(sheet_file, translated):
    sheet_file.write_text(
        SHEET.replace("version: 1", "version: 2").replace(
            "How often did you talk?", "How often did you talk, really?"
        ),
        encoding="utf-8",
    )
    said = problems(sheet_file)
    assert any("stale" in line and "version 1" in line and "now version 2" in line for line in said)
    assert any("missing" in line and "How often did you talk, really?" in line for line in said)
    # The translator merges the file: the changed sentence keeps its old translation, marked fuzzy.
    result = CliRunner().invoke(main, ["worksheet", "translate", str(sheet_file), "--language", "es"])
    assert result.exit_code == 0, result.output
    kept = read_translation(sheet_file, "es")
    assert kept is not None and kept.version == "2"
    changed = kept.entries["How often did you talk, really?"]
    assert changed.fuzzy and changed.text == "¿Con qué frecuencia hablasteis?"
    assert kept.get("How often did you talk, really?") is None  # fuzzy: shown in English, never wrong words
    said = problems(sheet_file)
    assert len(said) == 1 and "stale" in said[0] and "fuzzy" in said[0]


def test_a_translation_that_drops_a_placeholder_is_not_used_and_is_named(sheet_file, translated):
    po = translation_path(sheet_file, "es")
    po.write_text(
        po.read_text(encoding="utf-8").replace("solitario. {safety_help}", "solitario."), encoding="utf-8"
    )
    sheet = load_worksheet(SHEET, str(sheet_file), {})
    notice = read_in(sheet, sheet_file, "es", {}).field("talks").notices[0]
    assert notice.text == "That sounds lonely. {safety_help}"  # the help stays, in English
    assert any("must keep its placeholders ({safety_help})" in line for line in problems(sheet_file))


def test_every_built_in_worksheet_and_library_is_translated_into_spanish_and_arabic():
    results = check_files(
        [*Path("coachkit/exercises").glob("*.yaml"), *Path("coachkit/exercises/library").glob("*.yaml")]
    )
    assert all(result.ok and result.languages == ("ar", "es") for result in results)
    assert [str(problem) for result in results for problem in result.translations] == []


@pytest.mark.parametrize("language", ["es", "ar"])
def test_a_translated_worksheet_asks_the_same_questions_with_the_same_answers(language):
    for sheet_id, sheet in all_worksheets().items():
        other = worksheets_in(language)[sheet_id]
        assert other.language == language and other.version == sheet.version
        assert [item.id for _, item in other.all_fields()] == [item.id for _, item in sheet.all_fields()]
        for (_, mine), (_, theirs) in zip(sheet.all_fields(), other.all_fields(), strict=True):
            assert [o.value for o in getattr(mine, "options", ())] == [
                o.value for o in getattr(theirs, "options", ())
            ]
            assert mine.sensitive == theirs.sensitive
            if mine.label.strip():
                assert theirs.label != mine.label, (sheet_id, mine.id)
        assert {rule.id for rule in other.all_flag_rules} == {rule.id for rule in sheet.all_flag_rules}
