"""The kernel websocket as clients get it: no printed text, no errors, no echoed code; and bounded.

Anything a kernel prints, warns or logs to its ``sys.stderr`` travels as an iopub ``stream`` message,
and an exception in a widget callback as an ``error`` message (jupyter_server replaces its traceback,
not that it happened). A worksheet page shows neither, so neither is sent: only widget traffic and the
kernel's status reach the browser.

What a page sends its kernel is bounded, so that one page cannot make its kernel (and the machine) grow
without end, or keep it too busy to serve anyone:

- *Size*: a message over ``MAX_MESSAGE_BYTES`` is refused by tornado as it arrives (the application's
  ``websocket_max_message_size``: the socket is closed with 1009 "message too big" before the message is
  read, so it never reaches the kernel). The largest a real page sends is a text box's whole value:
  20,000 characters at most (a worksheet file's own limit), some 60 KB.
- *Rate*: each kernel's messages, over all its websockets, pass two token buckets (``Throttle``):
  ``MESSAGES_PER_SECOND`` and ``BYTES_PER_SECOND``, each with a burst of twice that. A message over the
  rate is held back, not dropped (a dropped widget message would leave that widget waiting on the page
  for ever): tornado reads nothing more from that socket until it has gone through. A page typing as
  fast as a browser can was measured at 14 to 20 messages and at most 16 KB a second (ipywidgets waits
  for the kernel's reply to each message before it sends the next), so a real page never meets either.
  A kernel whose page does is also given a lower processor priority (``kernels.lower_priority``): what
  it is sent still arrives, but it no longer competes on equal terms with other clients' pages.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from voila.tornado.kernel_websocket_handler import (
    VoilaKernelWebsocketHandler,
    read_header_from_binary_message,
)

from coachkit.kernels import lower_priority
from coachkit.web.throttle import Throttle

WITHHELD = frozenset({"stream", "error", "execute_input"})
"""Message types never sent to a client's page."""
MAX_MESSAGE_BYTES = 256 * 1024
"""The largest message a page may send its kernel (a bigger one closes the socket unread)."""
MESSAGES_PER_SECOND = 100.0
BYTES_PER_SECOND = 2.0 * 2**20
BURST_SECONDS = 2.0
"""Each bucket holds this many seconds' worth: a page may send that much at once without waiting."""

log = logging.getLogger("coachkit.web")


def message_type(message: bytes | str | dict[str, Any]) -> str | None:
    """The ``msg_type`` of a message as jupyter_server hands it to the websocket (any protocol)."""
    if isinstance(message, bytes):
        header = read_header_from_binary_message(message)
    elif isinstance(message, str):
        try:
            header = json.loads(message).get("header")
        except ValueError:
            header = None
    else:
        header = message.get("header")
    return header.get("msg_type") if isinstance(header, dict) else None


class KernelThrottle:
    """Both buckets of one kernel, shared by all its websockets."""

    def __init__(self) -> None:
        self.messages = Throttle(MESSAGES_PER_SECOND, MESSAGES_PER_SECOND * BURST_SECONDS)
        self.bytes = Throttle(BYTES_PER_SECOND, BYTES_PER_SECOND * BURST_SECONDS)
        self.lowered = False

    def delay(self, size: int) -> float:
        return max(self.messages.delay(1), self.bytes.delay(size))


def throttle_of(kernel: Any) -> KernelThrottle:
    """The kernel's throttle (kept on its manager, so it ends with the kernel)."""
    found = getattr(kernel, "coachkit_throttle", None)
    if found is None:
        found = KernelThrottle()
        kernel.coachkit_throttle = found
    return found


class QuietKernelWebsocketHandler(VoilaKernelWebsocketHandler):
    """Voila's kernel websocket, withholding ``WITHHELD`` messages and holding back a page that sends
    faster than its kernel's throttle allows."""

    slowed = False

    def write_message(self, message: bytes | str | dict[str, Any], binary: bool = False):  # type: ignore[no-untyped-def, override]
        if message_type(message) in WITHHELD:
            return None
        return super().write_message(message, binary)

    async def on_message(self, ws_message: str | bytes) -> None:  # type: ignore[override]
        try:
            throttle = throttle_of(self.kernel_manager.get_kernel(self.kernel_id))
        except KeyError:  # the kernel has gone: nothing to deliver to
            return
        wait = throttle.delay(len(ws_message))
        if wait > 0:
            if not self.slowed:
                self.slowed = True
                log.warning("A page sent its kernel more than its share of widget messages; slowed down")
            if not throttle.lowered:
                throttle.lowered = True
                self._lower_priority()
            await asyncio.sleep(wait)
        if self.connection is not None:  # not closed meanwhile
            super().on_message(ws_message)

    def _lower_priority(self) -> None:
        try:
            pid = self.kernel_manager.get_kernel(self.kernel_id).provisioner.pid
            lower_priority(pid)
        except (KeyError, AttributeError, OSError):  # gone, or not a local process
            log.debug("Could not lower a kernel's priority")
