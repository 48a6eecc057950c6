"""A real SMTP server on loopback for the tests (aiosmtpd), which keeps every mail it receives."""

from __future__ import annotations

import email
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import Message

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass
class Inbox:
    """What the server received, as parsed messages."""

    messages: list[Message] = field(default_factory=list)
    refuse: str = ""
    """Addresses at this domain are refused, as a server refuses an address that does not exist."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # type: ignore[no-untyped-def]
        if self.refuse and address.endswith("@" + self.refuse):
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"

    def wait_for(self, count: int, timeout: float = 30) -> list[Message]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        return self.messages


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def smtp_server(user: str = "", password: str = "", refuse: str = "") -> Iterator[tuple[int, Inbox]]:
    """A mail server on 127.0.0.1 (asking for ``user``/``password`` when given, refusing addresses at the
    domain ``refuse``); yields (port, inbox)."""
    inbox = Inbox(refuse=refuse)
    port = free_port()
    options: dict[str, object] = {}
    if user:

        def check(server, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
            ok = isinstance(auth_data, LoginPassword) and (
                auth_data.login.decode(),
                auth_data.password.decode(),
            ) == (user, password)
            return AuthResult(success=ok, handled=False)

        options = {"authenticator": check, "auth_require_tls": False, "auth_required": True}
    controller = Controller(inbox, hostname="127.0.0.1", port=port, server_kwargs=options)
    controller.start()
    try:
        yield port, inbox
    finally:
        controller.stop()
