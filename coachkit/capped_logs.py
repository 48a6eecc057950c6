"""Logs that cannot fill the disk: private files that rotate under a total cap, and repeats counted.

A client can make the server or a kernel log an error as often as they can send a request or a widget
message. So a log file is ``CappedFile``: the standard library's ``RotatingFileHandler`` keeping the
file and ``LOG_FILES - 1`` older ones (``kernels.log.1``…), together at most the cap (give or take one
line), each created 0600 in a 0700 folder. And ``CountRepeats`` holds back a warning or error like one
written in the last ``REPEAT_SECONDS`` (logged at the same place with the same words, whatever the
values: ``signature``): when that time is up it writes one line in its place, "the same error 1,999
more times in the last 10 s", instead of 2,000 tracebacks.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
import traceback
from dataclasses import InitVar, dataclass
from logging.handlers import RotatingFileHandler
from pathlib import Path

from coachkit.logs import private_file

LOG_CAP_BYTES = 20 * 2**20
"""The most disk one log may take by default, older files included."""
LOG_FILES = 5
"""The file being written and the older ones kept: each holds a fifth of the cap."""
LINE_SHARE = 10
"""One line (one record) takes at most a tenth of a file; longer ones are cut short."""
REPEAT_SECONDS = 10.0
"""How long a repeated warning or error is counted instead of written."""
MOST_KINDS = 500
"""How many different warnings and errors are remembered at once (past that, each is written)."""


class CappedFile(RotatingFileHandler):
    """A log file (0600, folder 0700) that rotates, so that it and its older copies stay under ``cap``."""

    def __init__(self, path: Path, cap: int = LOG_CAP_BYTES, files: int = LOG_FILES) -> None:
        private_file(path)
        per_file = max(cap // files, 1024)
        super().__init__(path, maxBytes=per_file, backupCount=files - 1, encoding="utf-8", errors="replace")
        self.cap = per_file * files

    def _open(self):  # type: ignore[no-untyped-def]
        private_file(Path(self.baseFilename))  # a new file after rolling over is private as well
        return super()._open()

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        limit = self.maxBytes // LINE_SHARE
        if len(text) > limit:
            text = f"{text[:limit]}… ({len(text) - limit:,} more characters)\n"
        return text


def files_of(path: Path) -> list[Path]:
    """A capped log's files: ``path`` and its older copies that exist."""
    return [found for found in [path, *(Path(f"{path}.{n}") for n in range(1, LOG_FILES))] if found.exists()]


@dataclass
class _Seen:
    """A warning or error written at ``first``, and how often it came again since. Only what the count's
    line needs is kept (not the record, whose traceback would keep every frame's values alive)."""

    first: float
    record: InitVar[logging.LogRecord]
    count: int = 0
    where: tuple[str, int, str, int] = ("", 0, "", 0)
    kind: str = ""
    what: str = ""

    def __post_init__(self, record: logging.LogRecord) -> None:
        self.where = (record.name, record.levelno, record.pathname, record.lineno)
        self.kind = "error" if record.exc_info or record.levelno >= logging.ERROR else "warning"
        try:
            self.what = record.getMessage().splitlines()[0][:200]
        except Exception:
            self.what = str(record.msg)[:200]


def signature(record: logging.LogRecord) -> tuple[object, ...]:
    """What makes two records "the same": where they were logged and the words before their values
    ("No such comm: %s", whichever comm), and for an exception, its type and the lines it passed
    through (never its message, which may quote a client)."""
    place = (record.name, record.levelno, record.pathname, record.lineno, str(record.msg))
    error = record.exc_info[1] if record.exc_info else None
    if error is None:
        return place
    frames = tuple((frame.f_code.co_filename, line) for frame, line in traceback.walk_tb(error.__traceback__))
    return (*place, type(error), frames)


class CountRepeats(logging.Filter):
    """A filter on ``handler``: a warning or error like one it passed in the last ``seconds`` is held
    back and counted; when that time is up, one line says how many came (``summary``)."""

    def __init__(
        self, handler: logging.Handler, seconds: float = REPEAT_SECONDS, every_line_of: tuple[str, ...] = ()
    ) -> None:
        super().__init__()
        self.handler = handler
        self.seconds = seconds
        self.every_line_of = every_line_of
        """Loggers whose every record is written (an access log: one line per request)."""
        self._seen: dict[tuple[object, ...], _Seen] = {}
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        atexit.register(self.flush, True)

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING or getattr(record, "counted", False):
            return True
        if record.name in self.every_line_of:
            return True
        key, now = signature(record), time.monotonic()
        with self._lock:
            seen = self._seen.get(key)
            if seen is not None and now - seen.first < self.seconds:
                seen.count += 1
                self._start_timer(seen.first + self.seconds - now)
                return False
            if seen is None and len(self._seen) >= MOST_KINDS:
                self._forget_quiet(now)
                if len(self._seen) >= MOST_KINDS:
                    return True
            self._seen[key] = _Seen(now, record)
        if seen is not None and seen.count:
            self.handler.handle(summary(seen, now))
        return True

    def _forget_quiet(self, now: float) -> None:
        """Forget what came once and whose time is up (what came again waits for its count)."""
        for key, seen in list(self._seen.items()):
            if not seen.count and now - seen.first >= self.seconds:
                del self._seen[key]

    def _start_timer(self, delay: float) -> None:
        if self._timer is None:
            self._timer = threading.Timer(max(delay, 0.0), self.flush)
            self._timer.daemon = True
            self._timer.start()

    def flush(self, everything: bool = False) -> None:
        """Write the count of every repeat whose time is up (``everything``: of all), and forget them."""
        now = time.monotonic()
        with self._lock:
            self._timer = None
            due = [key for key, seen in self._seen.items() if everything or now - seen.first >= self.seconds]
            done = [self._seen.pop(key) for key in due]
            waiting = [seen.first + self.seconds - now for seen in self._seen.values() if seen.count]
            if waiting:
                self._start_timer(min(waiting))
        for seen in done:
            if seen.count:
                self.handler.handle(summary(seen, now))


def summary(seen: _Seen, now: float) -> logging.LogRecord:
    """The one line that stands for ``seen.count`` repeats of what was first written at ``seen.first``."""
    line = logging.LogRecord(
        *seen.where,
        "The same %s %s more times in the last %d s (%s)",
        (seen.kind, f"{seen.count:,}", max(1, round(now - seen.first)), seen.what),
        None,
    )
    line.counted = True
    return line
