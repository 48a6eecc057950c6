"""The client server's sender: every so often, due reminders are written to the outbox
(``coachkit.homework.reminders``) and the outbox's due mail goes out (``coachkit.mail``).

It runs on a thread of its own, never on the event loop (a slow mail server must not stall a page), one
pass at a time. In a practice each coach's client server sends their own mail. Tests move its clock
without sleeping (``coachkit.clock``).
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor

from tornado.ioloop import PeriodicCallback

from coachkit.store import Store, StoreUnavailable

log = logging.getLogger("coachkit.mail")


class Mailer:
    """Sends due mail from the store at ``database_url`` every ``every_seconds``."""

    def __init__(self, database_url: str, every_seconds: float, links_url: str = "") -> None:
        self.database_url = database_url
        self.links_url = links_url
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
        # the mail libraries load on the sender's thread only
        from coachkit.homework.reminders import ReminderLinks, write_due_reminders
        from coachkit.mail import send_due

        try:
            if self._store is None:
                self._store = Store(self.database_url)
            written = write_due_reminders(self._store)
            if written:
                log.info("Reminders: %d written to the outbox", written)
            report = send_due(self._store, prepare={"reminder": ReminderLinks(self._store, self.links_url)})
        except StoreUnavailable as error:  # a full disk, a locked or unreachable database: the next pass
            log.warning("Reminders and mail wait: the store cannot be written just now (%s)", error)
            return
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
