"""Logs that keep secrets: codes and tokens hidden, exception messages left out, files private."""

from __future__ import annotations

import logging
import stat
import sys

import pytest

from coachkit.logs import (
    HIDDEN,
    QuietExceptionFormatter,
    Redact,
    private_file,
    redact,
)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("GET /voila/render/x.ipynb?client=K7QD-M2XP-9FRA", f"GET /voila/render/x.ipynb?client={HIDDEN}"),
        ("GET /x?token=abc123&y=1", f"GET /x?token={HIDDEN}&y=1"),
        ("?client=k7qdm2xp9fra&resume=1", f"?client={HIDDEN}&resume=1"),
        ("code K7QD-M2XP-9FRA added", f"code {HIDDEN} added"),
        ("uri='/a?_xsrf=2|abc'", f"uri='/a?_xsrf={HIDDEN}'"),
        ("200 POST /link/71nxH8wW-bqRSFg_ud4JPg 1ms", f"200 POST /link/{HIDDEN} 1ms"),
        ("GET /services/ana/link/abc?x=1", f"GET /services/ana/link/{HIDDEN}?x=1"),
    ],
)
def test_codes_and_tokens_are_hidden(line, expected):
    assert redact(line) == expected


def test_kernel_ids_and_ordinary_text_are_left_alone():
    line = "Kernel started: 93d24869-3135-41b5-8c95-6d67f7618a65 (clients=3)"
    assert redact(line) == line


def failing(typed: str) -> None:
    try:
        raise KeyError(typed)
    except KeyError as error:
        raise ValueError(f"could not save {typed}") from error


def test_exceptions_are_logged_by_type_and_stack_without_their_messages():
    answer = "the client's " + "secret answer"  # as typed at run time, not in any source line
    try:
        failing(answer)
    except ValueError:
        record = logging.LogRecord(
            "coachkit", logging.ERROR, __file__, 1, "save failed", None, sys.exc_info()
        )
    text = QuietExceptionFormatter("%(message)s").format(record)
    assert "builtins.ValueError" in text
    assert "builtins.KeyError" in text
    assert "in failing" in text
    assert "secret" not in text


def test_the_redacting_filter_covers_messages_arguments_and_tracebacks():
    try:
        raise RuntimeError("while opening /x?client=K7QD-M2XP-9FRA")
    except RuntimeError:
        record = logging.LogRecord(
            "tornado", logging.ERROR, "", 1, "GET %s", ("/x?token=t0k",), sys.exc_info()
        )
    assert Redact().filter(record)
    text = logging.Formatter("%(message)s").format(record)
    assert "t0k" not in text
    assert "K7QD-M2XP-9FRA" not in text
    assert f"token={HIDDEN}" in text


def test_private_files_and_folders(tmp_path):
    path = private_file(tmp_path / "logs" / "kernels.log")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    path.chmod(0o644)
    private_file(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
