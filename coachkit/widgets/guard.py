"""Widget callbacks that fail safely: the details go to the kernel's log file, never to the browser."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from coachkit.i18n import N_
from coachkit.logs import configure_kernel_logging

log = logging.getLogger("coachkit")

SOMETHING_WENT_WRONG = N_(
    "Something went wrong on our side. Your saved answers are safe. "
    "Please try again, and if it happens again, let your coach know."
)
"""Said (in the page's language) by whichever ``on_error`` a callback was given."""

if not log.handlers:
    configure_kernel_logging(log)


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
