"""A worksheet's translations: one gettext PO file per language beside its file, read with Babel.

``my-anger-plan.es.po`` beside ``my-anger-plan.yaml`` (and ``library/safety.es.po`` beside a library)
holds the file's words (``worksheet.wording``) in Spanish: each entry's ``msgid`` is the English as the
file says it, with the line it is on (``#:``) and its place (``#.``) for the translator, and ``msgstr``
its translation; the header's ``Project-Id-Version`` names the worksheet version it translates.

PO rather than a YAML file per language, because it is the format translators and their tools (Poedit,
Weblate, any text editor) already know, and because each entry carries the English it translates: a
changed sentence no longer finds its translation (shown in English until it is translated again, never
with words that meant something else), and Babel's merge (``coachkit worksheet translate``) keeps the
old translation beside it, marked ``fuzzy``, for the translator to check. Answers from older versions
are read with whatever translations still match their words.

A translation is used where it is complete for an entry: not empty, not fuzzy, and with the same
``{placeholders}`` as the English (a translation that lost ``{crisis_help}`` would lose crisis help).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from coachkit.worksheet.loader import Library, Problem, WorksheetFileError, read_document, read_source
from coachkit.worksheet.text import placeholders
from coachkit.worksheet.wording import Wording, wordings

SUFFIX = ".po"


def translation_path(path: Path, language: str) -> Path:
    """Where ``path``'s translation into ``language`` lives: ``NAME.LANG.po`` beside it."""
    return path.with_name(f"{path.stem}.{language}{SUFFIX}")


def languages_of(path: Path) -> list[str]:
    """The languages ``path`` has a translation file in, sorted."""
    found = []
    for candidate in path.parent.glob(f"{path.stem}.*{SUFFIX}"):
        language = candidate.name[len(path.stem) + 1 : -len(SUFFIX)]
        if language and "." not in language:
            found.append(language)
    return sorted(found)


@dataclass(frozen=True)
class Entry:
    """One translated piece of words, as its file has it."""

    english: str
    text: str
    fuzzy: bool
    line: int


@dataclass(frozen=True)
class Translation:
    """A translation file as read: its entries by English, the version it says it translates, and the
    entries no longer in use (``#~``)."""

    path: Path
    language: str
    entries: dict[str, Entry]
    version: str | None
    obsolete: tuple[str, ...] = ()

    def get(self, english: str) -> str | None:
        """The translation of ``english`` if it may be used (see the module's note), else None."""
        entry = self.entries.get(english)
        if entry is None or not entry.text or entry.fuzzy:
            return None
        return entry.text if placeholders(entry.text) == placeholders(english) else None


def _catalog(text: bytes, language: str):  # type: ignore[no-untyped-def]
    from babel.messages.pofile import read_po  # only for a page or command in another language

    return read_po(io.BytesIO(text), locale=language)


@cache
def _read(path: Path, language: str, stamp: tuple[int, int]) -> Translation:
    raw = path.read_bytes()
    if len(raw) > 2 * 1024 * 1024:
        raise WorksheetFileError([Problem(str(path), 0, "", "a translation file is at most 2 MB")])
    try:
        catalog = _catalog(raw, language)
    except Exception as error:  # Babel's parser raises a few kinds; each means the same to a coach
        raise WorksheetFileError([Problem(str(path), 0, "", f"it is not a PO file ({error})")]) from None
    entries = {
        str(message.id): Entry(str(message.id), str(message.string or ""), message.fuzzy, message.lineno or 0)
        for message in catalog
        if message.id and isinstance(message.id, str) and isinstance(message.string, str)
    }
    return Translation(path, language, entries, catalog.version, tuple(map(str, catalog.obsolete)))


def read_translation(path: Path, language: str) -> Translation | None:
    """``path``'s translation file into ``language`` (``translation_path``), or None if it has none.

    Read once per change of the file. ``WorksheetFileError`` says plainly why a broken one can't be used.
    """
    found = translation_path(path, language)
    try:
        status = found.stat()
    except OSError:
        return None
    return _read(found, language, (status.st_mtime_ns, status.st_size))


def lookup(
    translations: Iterable[Translation | None], fallback: Callable[[str], str]
) -> Callable[[str], str | None]:
    """One function for a worksheet's words: its own file's translation, then its libraries', then
    coachkit's catalog (``fallback``: the page's words, which say "Yes" and the safety net's cards)."""
    kept = [translation for translation in translations if translation is not None]

    def translate(english: str) -> str | None:
        for translation in kept:
            found = translation.get(english)
            if found is not None:
                return found
        said = fallback(english)
        return said if said != english else None

    return translate


def file_wordings(path: Path) -> list[Wording]:
    """Every piece of words of a worksheet or library file."""
    return wordings(read_document(read_source(path), str(path)))


def used_libraries(path: Path, libraries: dict[str, Library]) -> list[Library]:
    """The libraries a worksheet file ``uses`` (those that exist)."""
    uses = read_document(read_source(path), str(path)).get("uses")
    return [libraries[name] for name in uses if name in libraries] if isinstance(uses, list) else []


def _quoted(text: str) -> str:
    flat = " ".join(text.split())
    return f"“{flat if len(flat) <= 70 else flat[:69] + '…'}”"


def translation_problems(
    path: Path, language: str, version: int | None, covered: Callable[[str], bool] = lambda _: False
) -> Iterator[Problem]:
    """What ``path``'s translation into ``language`` lacks or has too much of, each with file and line.

    Missing: words of the file with no usable translation (``covered``: coachkit's catalog has them).
    Extra: entries for words the file no longer says. Stale: entries marked fuzzy (their English
    changed), a translation whose placeholders differ from the English, and a file translated for an
    older ``version`` of the worksheet.
    """
    try:
        translation = read_translation(path, language)
    except WorksheetFileError as error:
        yield from error.problems
        return
    if translation is None:
        return
    where = str(translation.path)
    if version is not None and translation.version != str(version):
        yield Problem(
            where,
            1,
            "stale",
            f"it translates version {translation.version or '?'} of {path.name}, which is now version "
            f"{version}: check each entry below, then `coachkit worksheet translate {path} "
            f"--language {language}` marks it as translating version {version}",
        )
    said = file_wordings(path)
    english = {wording.text for wording in said}
    for wording in said:
        entry = translation.entries.get(wording.text)
        if (entry is None or not entry.text) and not covered(wording.text):
            yield Problem(
                where, 0, "missing", f"{path.name}:{wording.line} ({wording.place}) {_quoted(wording.text)}"
            )
    for entry in translation.entries.values():
        if entry.english not in english:
            yield Problem(where, entry.line, "extra", f"{_quoted(entry.english)} is not in {path.name}")
        elif entry.fuzzy and entry.text:
            yield Problem(where, entry.line, "stale", f"{_quoted(entry.english)} is marked fuzzy: check it")
        elif entry.text and placeholders(entry.text) != placeholders(entry.english):
            wanted = ", ".join(sorted(f"{{{name}}}" for name in placeholders(entry.english))) or "none"
            yield Problem(
                where, entry.line, "stale", f"{_quoted(entry.english)} must keep its placeholders ({wanted})"
            )


def write_translation(path: Path, language: str, version: int | None) -> tuple[Path, int, int]:
    """Start or bring up to date ``path``'s translation into ``language`` (``coachkit worksheet
    translate``): every piece of words gets an entry; one whose English changed keeps its translation,
    marked fuzzy, for the translator to check (Babel's merge); words no longer said are kept at the
    end, commented out. Returns the file, how many entries it has, and how many still need a translator.
    """
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    target = translation_path(path, language)
    header = (
        f"Translation of {path.name} into {language}, for coachkit.\n"
        "Fill in each msgstr; keep each {placeholder} as it is. `coachkit worksheet check` says what is\n"
        f"missing or stale; `coachkit worksheet translate {path.name} --language {language}` brings this\n"
        "file up to date when the worksheet changes."
    )
    template = Catalog(
        locale=language,
        project=path.stem,
        version=str(version or ""),
        fuzzy=False,
        header_comment="\n".join(f"# {line}" for line in header.splitlines()),
    )
    for wording in file_wordings(path):
        template.add(wording.text, locations=[(path.name, wording.line)], auto_comments=[wording.place])
    if target.exists():
        catalog = read_po(io.BytesIO(target.read_bytes()), locale=language)
        catalog.update(template, update_creation_date=False)
        catalog.version = str(version or "")
        catalog.header_comment = template.header_comment
    else:
        catalog = template
    catalog.project = path.stem
    catalog.fuzzy = False
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=110, include_previous=True)
    target.write_bytes(buffer.getvalue())
    todo = sum(1 for message in catalog if message.id and (message.fuzzy or not message.string))
    return target, sum(1 for message in catalog if message.id), todo
