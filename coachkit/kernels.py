"""The per-kernel manager Voila runs client kernels with, so that "no tracebacks" holds without harm.

With ``allow_tracebacks=False``, jupyter_server (2.x, up to at least 2.21) replaces a kernel's traceback
using ``traceback_replacement_message`` from the *per-kernel* manager, which does not define it. The
AttributeError drops the message and stalls the page's websocket, so one bad widget message (a forged
option index, say) would leave the client's page dead. Defining the attribute here lets the
replacement work: the browser gets a plain error with no traceback, and the page carries on.
Imported only by the Voila server process, never by a kernel.
"""

from __future__ import annotations

from jupyter_server.services.kernels.kernelmanager import ServerKernelManager
from traitlets import Unicode


class SafeKernelManager(ServerKernelManager):
    """``ServerKernelManager`` with the message that replaces tracebacks sent to the browser."""

    traceback_replacement_message = Unicode(
        "Something went wrong on the server.",
        config=True,
        help="Sent to the browser instead of a traceback (the details stay in the server's log).",
    )
