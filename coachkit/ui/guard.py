"""Widget callbacks that fail safely: the details go to the server's log, never to the browser."""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from typing import Any

log = logging.getLogger("coachkit")

SOMETHING_WENT_WRONG = (
    "Something went wrong on our side. Your saved answers are safe. "
    "Please try again, and if it happens again, let your coach know."
)


def _server_log_handler() -> logging.Handler:
    # In a kernel, sys.stderr is forwarded to the browser; the process's own stderr goes to the
    # server's terminal, which only the coach sees.
    handler = logging.StreamHandler(sys.__stderr__)
    handler.setFormatter(logging.Formatter("%(asctime)s coachkit %(levelname)s %(message)s"))
    return handler


if not log.handlers:
    log.addHandler(_server_log_handler())
    log.setLevel(logging.INFO)
    log.propagate = False


def guarded(handler: Callable[..., Any], on_error: Callable[[str], None]) -> Callable[..., None]:
    """Wrap a widget callback: an exception is logged server-side and shown as a plain message."""

    @functools.wraps(handler)
    def run(*args: Any, **kwargs: Any) -> None:
        try:
            handler(*args, **kwargs)
        except Exception:
            log.exception("callback %s failed", getattr(handler, "__qualname__", handler))
            on_error(SOMETHING_WENT_WRONG)

    return run
