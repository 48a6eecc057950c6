"""A corpus of hostile worksheet files, built in code: each with the message ``check`` gives for it.

Every file is a sound worksheet but for its one attack, so the message is about that attack. Used by
``tests/test_hostile_files.py``, which runs them through ``coachkit worksheet check``, ``preview``,
``serve`` and ``dashboard`` as a coach would.
"""

from __future__ import annotations

from dataclasses import dataclass

SOUND = """\
id: hostile-{name}
version: 1
title: Hostile {name}
steps:
  - id: one
    title: One
    fields:
      - {{id: calm, kind: yes_no, label: Did you stay calm?}}
      - {{id: plan, kind: long_text, label: Your plan{refuse}}}
"""


def sheet(name: str, extra: str = "", refuse: str = "") -> str:
    return SOUND.format(name=name, refuse=f", refuse: [{{matches: '{refuse}', message: No.}}]" * bool(refuse))


@dataclass(frozen=True)
class Hostile:
    name: str
    text: str | bytes
    message: str
    """A regular expression for the problem ``check`` prints, after ``FILE:``."""


def _laughs() -> str:
    lines = ['l0: &l0 "lol"']
    lines += [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, 10)]
    return "\n".join(lines) + "\n" + sheet("laughs").replace("label: Your plan", "label: *l9")


def _values(name: str, values: dict[str, str]) -> str:
    return sheet(name) + "values:\n" + "".join(f"  {key}: {source}\n" for key, source in values.items())


SQUARINGS = {"v0": "99", **{f"v{n}": f"v{n - 1} * v{n - 1}" for n in range(1, 25)}}
MEASURE = "measures:\n  - {{id: calm_days, title: Calm days, count: 'count_true(calm)', {}}}\n"
CORPUS = [
    Hostile("billion-laughs", _laughs(), r"6: with its aliases \(`\*name`\) written out, it would hold more"),
    Hostile(
        "nested-999", sheet("nested-999") + "intro: " + "[" * 999 + "]" * 999, r"\d+: it nests lists and"
    ),
    Hostile(
        "nested-250",
        sheet("nested-250") + "x:\n" + "".join("  " * (n + 1) + f"k{n}:\n" for n in range(250)) + "  end\n",
        r"\d+: it nests lists and `key: value` lines more than 20 levels deep here",
    ),
    Hostile("large", sheet("large") + "intro: " + "x" * 300_000 + "\n", r" it is larger than 256 KB"),
    Hostile(
        "long-list",
        sheet("long-list") + "uses:\n" + "".join(f"  - l{n}\n" for n in range(10_000)),
        r"\d+: this list \(or set of `key: value` lines\) goes past 500 items",
    ),
    Hostile(
        "aliases",
        sheet("aliases") + "a: &a safety\nuses: [" + ", ".join(["*a"] * 150) + "]\n",
        r"\d+: it uses more than 100 aliases",
    ),
    Hostile("not-utf8", b"id: \xff\xfe hostile\n", r" it is not UTF-8 text"),
    Hostile("squarings", _values("squarings", SQUARINGS), r"14: value 'v3': a number grows past 1,000"),
    Hostile(
        "format",
        _values("format", {"big": "\"'%999999999s' % 'x'\""}),
        r"11: value 'big': in `'%999999999s' % 'x'`: `%` on a text formats it",
    ),
    Hostile(
        "format-at-run-time",
        _values("format-at-run-time", {"pattern": "\"'%999999999s'\"", "big": "pattern % 'x'"}),
        r"12: value 'big': `%` on a text formats it.*\(tried on the largest answers\)",
    ),
    Hostile(
        "repeat",
        _values("repeat", {"many": "\"'a' * 1000000000\""}),
        r"11: value 'many': it would make a text or list of 1,000,000,000 characters",
    ),
    Hostile(
        "power", _values("power", {"many": "\"'a' * 10**9\""}), r"11: value 'many': .*\*\* \(a power\) is not"
    ),
    Hostile(
        "deep-expression",
        _values("deep-expression", {"deep": "not " * 200 + "calm"}),
        r"11: value 'deep': in `(not ){19}not…`: it nests parts more than 50 deep",
    ),
    Hostile(
        "nested-repeat",
        sheet("nested-repeat", refuse="(a+)+$"),
        r"9: step 'one', field 'plan': the pattern takes (too )?long on an answer of 'a' × ",
    ),
    Hostile(
        "alternating-repeat",
        sheet("alternating-repeat", refuse="(a|aa)+$"),
        r"9: step 'one', field 'plan': the pattern takes too long on an answer of 'a' × 4,999 then '!'",
    ),
    Hostile(
        "out-of-many",
        sheet("out-of-many") + MEASURE.format("out_of: many"),
        r"11: measures › 'calm_days' › out_of: 'many' should be a whole number",
    ),
    Hostile(
        "checks-list",
        sheet("checks-list") + "measures:\n  - {id: calm_days, title: Calm days, checks: [r]}\n",
        r"11: measures › 'calm_days' › checks: \['r'\] should be a set of `key: value` lines",
    ),
]
