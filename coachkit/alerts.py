"""The alert a safety flag writes to the outbox for the coach (sent by ``coachkit.mail``).

An alert names no client and no answer: email is not a private enough place for them. It asks the coach
to open their dashboard, where the flag says who, which answer and when. This module stays light (no
mail libraries): it is on the client page's path, which only writes the alert with the flag.
"""

from __future__ import annotations

from coachkit.settings import ALERT_EMAIL, SettingsSource, alerts_on, read_settings
from coachkit.store import Alert

ALERT_SUBJECT = "A client needs you"
ALERT_BODY = (
    "One of your clients has just answered in a way that needs your attention (a safety or wellbeing "
    "flag).\n\n"
    "Open your coachkit dashboard to see who, which answer and when. This note says nothing more on "
    "purpose: email is not a private enough place for your clients' answers.\n"
)


def alert_for(source: SettingsSource, flags: frozenset[str]) -> Alert | None:
    """The alert a save writes when it raises one of ``flags`` (None while alerts are not set up)."""
    values = read_settings(source)
    if not alerts_on(values):
        return None
    return Alert(flags, values[ALERT_EMAIL.key].strip(), ALERT_SUBJECT, ALERT_BODY)
