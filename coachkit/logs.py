"""Logs that keep clients' secrets: private files, no codes or tokens, no exception messages.

The server and its kernels write to files only the coach can read (folder 0700, files 0600), which
rotate under a cap (``capped_logs``). Every line goes through ``redact``: a client's code, a sign-in
link's key or a token in a link becomes ``[hidden]``. In kernels, exceptions are logged by type and stack
only: their messages can carry what a client typed (a database error quotes the values it was saving), so
they are left out.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import traceback
from pathlib import Path

LOG_FILE_ENV = "COACHKIT_LOG_FILE"
"""Environment variable naming the file a kernel's stderr ends in (set by ``coachkit serve`` for its
kernels, whose stderr it copies there)."""
HIDDEN = "[hidden]"
_SECRET_PARAMETER = re.compile(r"(?i)((?:^|[?&;\s\"'])(?:client|token|_xsrf)=)[^&\s\"']*")
_LINK_KEY = re.compile(r"(/link/)[\w-]+")
"""A sign-in link's key (``/link/KEY``): it opens a client's page until it is used."""
_CODE = re.compile(r"(?<![-\w])\w{4}-\w{4}-\w{4}(?![-\w])")
"""A code as handed out (``K7QD-M2XP-9FRA``), but not part of a longer id such as a kernel's."""
_FORMAT = "%(asctime)s %(name)s %(levelname)s %(message)s"
MESSAGE_LIMIT = 1000
"""The longest log message kept whole, in characters."""


def redact(text: str) -> str:
    """``text`` with every ``client=``/``token=`` value, link key and code-shaped word hidden."""
    text = _LINK_KEY.sub(lambda m: m.group(1) + HIDDEN, text)
    return _CODE.sub(HIDDEN, _SECRET_PARAMETER.sub(lambda m: m.group(1) + HIDDEN, text))


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then hides codes and tokens in the whole line (traceback included)."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class QuietExceptionFormatter(RedactingFormatter):
    """Logs an exception as its types and stack, never its message (which may quote client text)."""

    def formatException(self, ei) -> str:  # type: ignore[no-untyped-def]
        parts, error, seen = [], ei[1], set()
        while error is not None and id(error) not in seen:
            seen.add(id(error))
            stack = "".join(traceback.format_tb(error.__traceback__)).rstrip()
            name = f"{type(error).__module__}.{type(error).__qualname__}"
            parts.append(f"Traceback (most recent call last):\n{stack}\n{name}")
            error = error.__cause__ or (None if error.__suppress_context__ else error.__context__)
        return "\n\nwhile handling the above:\n".join(reversed(parts))


def private_file(path: Path) -> Path:
    """Create ``path`` (0600) and its folder (0700) if missing, and make sure both are private."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.parent.chmod(0o700)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    os.close(descriptor)
    path.chmod(0o600)
    return path


def shorten(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """``text`` cut to ``limit`` characters, saying how many were left out (a 60 kB link: one short line)."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters)"


class Redact(logging.Filter):
    """A handler filter: hides codes and tokens in a record's message and traceback before formatting,
    and cuts a long message short (a request's path and query are the sender's to choose)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = shorten(redact(record.getMessage())), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


class DropKnownNoise(logging.Filter):
    """A logger filter: drops warnings that say nothing a coach can act on, printed at every page.

    - jupyter_server gives websocket handlers ping settings in milliseconds where tornado reads
      seconds, so tornado warns that the timeout (60000) is longer than the interval (20000);
      jupyter_server's own pings, in milliseconds, are what keep a phone's connection checked.
    - The contents manager warns that the notebook "is not trusted": trust only matters for saved
      outputs, and coachkit's notebooks are its own, run afresh for every page.
    """

    NOISE = ("cannot be longer than the websocket_ping_interval", "is not trusted")

    def filter(self, record: logging.LogRecord) -> bool:
        return not any(noise in record.getMessage() for noise in self.NOISE)


def drop_known_noise(*loggers: logging.Logger) -> None:
    for logger in loggers:
        if not any(isinstance(f, DropKnownNoise) for f in logger.filters):
            logger.addFilter(DropKnownNoise())


def redact_handlers(*loggers: logging.Logger) -> None:
    """Redact every record that goes through a handler of these loggers (whatever its formatter)."""
    for logger in loggers:
        for handler in logger.handlers:
            if not any(isinstance(f, Redact) for f in handler.filters):
                handler.addFilter(Redact())


OUT_OF_MEMORY = "This kernel reached its memory limit; it ends, and its page resumes from what was saved."
OUT_OF_MEMORY_EXIT = 75


class KernelStderr(logging.StreamHandler):  # type: ignore[type-arg]
    """A served kernel's one log handler (to its stderr, which the server keeps in the kernel log).

    A record of a ``MemoryError`` means the kernel met its memory limit (``coachkit.kernels``): it may
    have been left half-way through anything, and it has no room to carry on. So it is logged, and then
    the kernel ends at once; the server sees it die, and its page resumes with a new kernel from what was
    saved (``coachkit.web.lifetimes``)."""

    def handle(self, record: logging.LogRecord) -> bool:
        handled = super().handle(record)
        if record.exc_info and isinstance(record.exc_info[1], MemoryError):
            self.stream.write(f"{OUT_OF_MEMORY}\n")
            self.flush()
            os._exit(OUT_OF_MEMORY_EXIT)
        return bool(handled)


def configure_kernel_logging(logger: logging.Logger) -> None:
    """In a kernel: ``logger`` and every other log record and warning go to the process's own stderr,
    with repeats counted (``capped_logs.CountRepeats``).

    A kernel's ``sys.stderr`` reaches the client's page; the process's own (``sys.__stderr__``, file
    descriptor 2) does not. Under ``coachkit serve`` (``$COACHKIT_LOG_FILE`` set) that is a pipe the
    server copies into the capped kernel log (``coachkit.kernels``), and every record and warning is
    sent there, so that no handler can fall back to the page, and a ``MemoryError`` ends the kernel
    (``KernelStderr``). Without it (a test, a notebook run by hand) only ``logger`` is, to the terminal
    or pytest.
    """
    from coachkit.capped_logs import CountRepeats

    served = bool(os.environ.get(LOG_FILE_ENV))
    handler = (KernelStderr if served else logging.StreamHandler)(sys.__stderr__)
    handler.setFormatter(QuietExceptionFormatter(_FORMAT))
    handler.addFilter(CountRepeats(handler))
    if served:
        for name in list(logging.root.manager.loggerDict):
            existing = logging.root.manager.loggerDict[name]
            if isinstance(existing, logging.Logger) and existing.handlers:
                existing.handlers = [handler]  # ipykernel's own ("IPKernelApp") too: repeats counted
                existing.setLevel(max(existing.getEffectiveLevel(), logging.WARNING))  # its debug
                # lines quote whole messages, a client's answers among them
        root = logging.getLogger()
        root.handlers = [handler]
        root.setLevel(logging.WARNING)
        logging.captureWarnings(True)
        logging.raiseExceptions = False  # a failing handler must not print to sys.stderr either
    logger.handlers = [handler]
    logger.setLevel(logging.INFO)
    logger.propagate = False
