"""The runner's calls to the Hub's REST API: each coach's client server as a service of the Hub.

JupyterHub cannot add a *managed* service while it runs, and restarting it to add one stops every
coach's JupyterLab and every client server. So ``coachkit practice start`` runs the client servers
itself (``clientservers``) and tells the Hub where each one is, as an external service added at run time
(``POST /hub/api/services/<coach>``, which the Hub keeps in its database across restarts), then has it
route the proxy at once (``POST /hub/api/proxy``). Its token (``hub.RUNNER``) may do that and nothing
else: no users, no servers. The API is reached on loopback, not through the proxy.
"""

from __future__ import annotations

import http.client
import json
import secrets
from typing import Any

from coachkit.practice.description import Practice
from coachkit.practice.hub import RUNNER, RUNNER_TOKEN_FILE
from coachkit.private import private_folder, write_private_file


class HubAPIError(RuntimeError):
    """The Hub answered a call with an error."""


def runner_token(practice: Practice) -> str:
    """The runner's token, made at its first start and kept in the state folder (root only)."""
    path = practice.state_dir / RUNNER_TOKEN_FILE
    if path.exists():
        return path.read_text().strip()
    token = secrets.token_hex(32)
    private_folder(practice.state_dir)
    write_private_file(path, token.encode())
    return token


class HubAPI:
    """The Hub's REST API with the runner's token."""

    def __init__(self, practice: Practice, token: str, timeout: float = 30) -> None:
        self.port = practice.hub_api_port
        self.token = token
        self.timeout = timeout

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
        """``method`` on ``/hub/api/<path>``: the status and the JSON answer (or None)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            data = json.dumps(body).encode() if body is not None else None
            headers = {"Authorization": f"token {self.token}", "Content-Type": "application/json"}
            connection.request(method, f"/hub/api/{path}", body=data, headers=headers)
            response = connection.getresponse()
            text = response.read()
        finally:
            connection.close()
        try:
            return response.status, json.loads(text) if text else None
        except ValueError:
            return response.status, None

    def _expect(self, method: str, path: str, wanted: set[int], body: dict[str, Any] | None = None) -> Any:
        status, answer = self.call(method, path, body)
        if status not in wanted:
            said = answer.get("message", "") if isinstance(answer, dict) else ""
            raise HubAPIError(f"the Hub answered {method} {path} with {status} {said}".strip())
        return answer

    def services(self) -> dict[str, str]:
        """The services added at run time (never the runner's own), by name, with where each points."""
        listed = self._expect("GET", "services", {200}) or {}
        return {name: model.get("url") or "" for name, model in listed.items() if name != RUNNER}

    def register(self, name: str, url: str, listed: dict[str, str] | None = None) -> None:
        """Make ``name`` a service pointing at ``url`` (replacing one that points elsewhere);
        ``listed``: ``services()``, if just read."""
        listed = self.services() if listed is None else listed
        if listed.get(name) == url:
            return
        if name in listed:
            self.unregister(name)
        self._expect("POST", f"services/{name}", {201}, {"url": url, "display": False})

    def unregister(self, name: str) -> None:
        self._expect("DELETE", f"services/{name}", {200, 404})

    def sync_routes(self) -> None:
        """Have the Hub bring the proxy's routes in line with its services and servers now."""
        self._expect("POST", "proxy", {200})
