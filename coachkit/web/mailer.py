"""The client server's sender: every so often, the outbox's due mail goes out (``coachkit.mail``).

It runs on a thread of its own, never on the event loop (a slow mail server must not stall a page), one
pass at a time. In a practice each coach's client server sends their own mail.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor

from tornado.ioloop import PeriodicCallback

from coachkit.store import Store

log = logging.getLogger("coachkit.mail")


class Mailer:
    """Sends due mail from the store at ``database_url`` every ``every_seconds``."""

    def __init__(self, database_url: str, every_seconds: float) -> None:
        self.database_url = database_url
        self.every_seconds = every_seconds
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="coachkit-mail")
        self._pass: Future[None] | None = None
        self._store: Store | None = None
        self._timer = PeriodicCallback(self.send_soon, every_seconds * 1000)

    def start(self) -> None:
        self._timer.start()
        self.send_soon()

    def send_soon(self) -> None:
        if self._pass is None or self._pass.done():
            self._pass = self._worker.submit(self._send)

    def _send(self) -> None:
        from coachkit.mail import send_due  # the mail libraries load on the sender's thread only

        try:
            if self._store is None:
                self._store = Store(self.database_url)
            report = send_due(self._store)
        except Exception:
            log.exception("The outbox could not be read or written")
            return
        if report.sent or report.failed:
            log.info("Mail: %d sent, %d to try again later", report.sent, report.failed)
        if report.problem:
            log.warning("Mail is waiting to be sent: %s", report.problem)

    def stop(self) -> None:
        self._timer.stop()
        self._worker.shutdown(wait=False)
        if self._store is not None:
            self._store.close()
