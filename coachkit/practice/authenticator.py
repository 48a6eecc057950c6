"""The Hub's logins for a practice: the coaches in the practice file as it is now, each with the
password set when they were added.

FirstUseAuthenticator (its password store and its change-password page) with two differences. Who may
log in is read from the practice file at each login (``description.Current``), so a coach added while
the Hub runs can log in at once, and one taken out of the file cannot, with no restart of the Hub
(which would stop every coach's JupyterLab). And there is never a "first use": a name without a
password in the store is refused, where FirstUseAuthenticator would store the first password typed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from firstuseauthenticator import FirstUseAuthenticator
from traitlets import Unicode

from coachkit.practice.description import Current
from coachkit.practice.logins import check_password


class PracticeAuthenticator(FirstUseAuthenticator):
    """Logins for the coaches named in ``practice_file``, by the passwords ``coachkit practice`` set."""

    practice_file = Unicode(help="The practice file whose coaches may log in.").tag(config=True)

    _current: Current | None = None

    def coaches(self) -> frozenset[str]:
        if self._current is None:
            self._current = Current(Path(self.practice_file))
        return self._current().names

    async def authenticate(self, handler: Any, data: dict[str, str]) -> str | None:
        name = self.normalize_username(data.get("username", ""))
        if name not in self.coaches():
            return None
        if not check_password(Path(self.dbm_path), name, data.get("password", "")):
            return None
        return name

    def check_allowed(self, username: str, authentication: Any = None) -> bool:
        return username in self.coaches()
