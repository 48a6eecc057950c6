"""A TCP relay between a browser and a server that a test can cut, as a phone loses its signal, and restore.

Cutting closes every connection through it at once (the server sees its websockets close) and turns
new ones away until ``restore``; nothing else about the page or the server changes.
"""

from __future__ import annotations

import socket
import threading
from contextlib import suppress


class Relay:
    """Listens on a free port of 127.0.0.1 and relays each connection to ``127.0.0.1:target_port``."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.open = True
        self._live: set[socket.socket] = set()
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def cut(self) -> None:
        """Close every connection now, and turn new ones away."""
        with self._lock:
            self.open = False
            live, self._live = self._live, set()
        for each in live:
            _close(each)

    def restore(self) -> None:
        with self._lock:
            self.open = True

    def close(self) -> None:
        self.cut()
        _close(self.listener)

    def _accept(self) -> None:
        while True:
            try:
                browser, _ = self.listener.accept()
            except OSError:
                return  # closed
            if not self.open:
                _close(browser)
                continue
            try:
                server = socket.create_connection(("127.0.0.1", self.target_port))
            except OSError:
                _close(browser)
                continue
            with self._lock:
                self._live |= {browser, server}
            for source, target in ((browser, server), (server, browser)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                target.sendall(chunk)
        except OSError:
            pass
        finally:
            for each in (source, target):
                _close(each)
                with self._lock:
                    self._live.discard(each)


def _close(each: socket.socket) -> None:
    with suppress(OSError):
        each.shutdown(socket.SHUT_RDWR)
    with suppress(OSError):
        each.close()
