"""The kernel websocket as clients get it: no printed text, no errors, no echoed code.

Anything a kernel prints, warns or logs to its ``sys.stderr`` travels as an iopub ``stream`` message,
and an exception in a widget callback as an ``error`` message (jupyter_server replaces its traceback,
not that it happened). A worksheet page shows neither, so neither is sent: only widget traffic and the
kernel's status reach the browser.
"""

from __future__ import annotations

import json
from typing import Any

from voila.tornado.kernel_websocket_handler import (
    VoilaKernelWebsocketHandler,
    read_header_from_binary_message,
)

WITHHELD = frozenset({"stream", "error", "execute_input"})
"""Message types never sent to a client's page."""


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


class QuietKernelWebsocketHandler(VoilaKernelWebsocketHandler):
    """Voila's kernel websocket, withholding ``WITHHELD`` messages."""

    def write_message(self, message: bytes | str | dict[str, Any], binary: bool = False):  # type: ignore[no-untyped-def, override]
        if message_type(message) in WITHHELD:
            return None
        return super().write_message(message, binary)
