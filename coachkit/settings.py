"""The coach's settings: where to get help, the quick exit's destination, the neutral page title.

Each setting has a key (stored in the store's ``settings`` table), a name for ``coachkit settings``,
a sensible default and a line of help. Defaults name the kind of service, never one country's number:
the coach sets the numbers for where their clients live.

What a client reads (the help texts, the tab title, a reminder's sender) is said in the client's
language: the coach's own text for that language (``KEY.LANG``, ``coachkit settings crisis-help
--language es``) if they set one, else the default in that language (``coachkit.i18n``'s catalog),
followed by the coach's own text in their language if they changed it (it may hold a phone number the
default cannot).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from coachkit.i18n import DEFAULT, ENGLISH, N_, Words


class SettingsSource(Protocol):
    def get_setting(self, key: str, default: str | None = None) -> str | None: ...


@dataclass(frozen=True)
class Setting:
    key: str
    default: str
    help: str

    @property
    def name(self) -> str:
        """The setting as typed on the command line (``safety-help``)."""
        return self.key.replace("_", "-")


SAFETY_HELP = Setting(
    "safety_help",
    N_(
        "If you are in danger right now, call your local emergency number. A domestic abuse helpline "
        "can talk with you in confidence, at any hour, and help you plan how to stay safe. Your coach "
        "can give you the number for where you live."
    ),
    "Where to get help, shown when a client says a fight turned physical or made them afraid.",
)
CRISIS_HELP = Setting(
    "crisis_help",
    N_(
        "If you are in danger now, or might act on thoughts of harming yourself, call your local "
        "emergency number. A crisis line (a suicide prevention or emotional support helpline) is there "
        "to listen at any hour, day or night. Your coach can give you the number for where you live."
    ),
    "Crisis help, shown at once when a client's answers show hopelessness or thoughts of self-harm.",
)
CHANGE_HELP = Setting(
    "change_help",
    N_(
        "There are programmes for people who want to stop hurting their partner, often called domestic "
        "abuse or behaviour change programmes. They are confidential, and they work. Your coach can help "
        "you find one near you."
    ),
    "Specialist help, shown when a client says their own anger has become physical.",
)
QUICK_EXIT_URL = Setting(
    "quick_exit_url",
    "https://www.google.com/",
    "Where the Quick exit button (and the Esc key) takes a client: an ordinary, everyday page.",
)
PAGE_TITLE = Setting(
    "page_title",
    N_("Notes"),
    "The title every client page shows in its browser tab: plain, so it says nothing about the page.",
)

SESSION_MINUTES = Setting(
    "session_minutes",
    "30",
    "Minutes a client's page stays open without use; after that (and after Quick exit or finishing) their "
    "code opens it again.",
)

ALERT_EMAIL = Setting(
    "alert_email",
    "",
    "Your own email address: when a client's answer raises a safety flag, a short alert goes there (it "
    "names no client and no answer). Empty: no alerts; you see flags on your dashboard.",
)
SMTP_HOST = Setting("smtp_host", "", "The mail server alerts are sent through, as in any mail program.")
SMTP_PORT = Setting("smtp_port", "587", "The mail server's port (587 with starttls, 465 with tls).")
SMTP_SECURITY = Setting(
    "smtp_security", "starttls", "How the mail server is reached: starttls, tls, or none (this machine only)."
)
SMTP_USER = Setting(
    "smtp_user",
    "",
    "The user name at the mail server, if it asks for one; the password is read from "
    "$COACHKIT_SMTP_PASSWORD when mail is sent, never stored here.",
)
SMTP_FROM = Setting("smtp_from", "", "The sender address of alerts (empty: the alert address itself).")
TIME_ZONE = Setting(
    "time_zone",
    "",
    "Your time zone, as in Europe/Berlin or America/Chicago: the dashboard and exports show times in it "
    "(empty: this computer's).",
)

REMINDER_NAME = Setting(
    "reminder_name",
    N_("Your coach"),
    "The sender's name on reminders to clients (who turned them on): plain, so it says nothing about them.",
)
COACH_LANGUAGE = Setting(
    "coach_language",
    "en",
    "The language your clients' chosen answers are shown in on your dashboard and in exports (en, es or "
    "ar); what they typed is shown as they typed it, with its language noted.",
)
QUIET_DAYS = Setting(
    "quiet_days",
    "7",
    "Days without activity after which a client with homework open is listed as gone quiet.",
)

SETTINGS: dict[str, Setting] = {
    setting.name: setting
    for setting in (
        SAFETY_HELP,
        CRISIS_HELP,
        CHANGE_HELP,
        QUICK_EXIT_URL,
        PAGE_TITLE,
        SESSION_MINUTES,
        ALERT_EMAIL,
        SMTP_HOST,
        SMTP_PORT,
        SMTP_SECURITY,
        SMTP_USER,
        SMTP_FROM,
        TIME_ZONE,
        REMINDER_NAME,
        QUIET_DAYS,
        COACH_LANGUAGE,
    )
}
"""Every setting by its command-line name."""


def read_settings(source: SettingsSource) -> dict[str, str]:
    """Every setting's current value (the coach's, else the default), by key."""
    return {s.key: source.get_setting(s.key) or s.default for s in SETTINGS.values()}


COACH_ALERTED = N_(
    "Your coach is sent a short note now, asking them to look at your answers; the note says nothing "
    "about what you wrote."
)
COACH_WILL_SEE = N_("Your coach will see this the next time they look at your answers.")
IN_EACH_LANGUAGE = (SAFETY_HELP, CRISIS_HELP, CHANGE_HELP, PAGE_TITLE, REMINDER_NAME)
"""The settings a client reads: said in the client's language (see the module's note)."""
HELP_TEXTS = (SAFETY_HELP, CRISIS_HELP, CHANGE_HELP)


def language_key(setting: Setting, language: str) -> str:
    """Where the coach's own text of ``setting`` for ``language`` is kept (``crisis_help.es``)."""
    return setting.key if language == DEFAULT else f"{setting.key}.{language}"


def said_in(source: SettingsSource, setting: Setting, words: Words) -> str:
    """``setting`` as a client reading ``words``' language reads it (see the module's note)."""
    general = source.get_setting(setting.key) or setting.default
    if words.language == DEFAULT:
        return general
    own = source.get_setting(language_key(setting, words.language))
    if own:
        return own
    default = words(setting.default)
    if setting in HELP_TEXTS and general.strip() != setting.default:
        return f"{default} {general}"
    return default if general == setting.default else general


def coach_language(source: SettingsSource) -> str:
    """The language the coach reads their clients' chosen answers in (``coach_language``)."""
    return (source.get_setting(COACH_LANGUAGE.key) or COACH_LANGUAGE.default).strip() or DEFAULT


def alerts_on(values: dict[str, str]) -> bool:
    """Whether a safety flag sends the coach an alert (an address to send it to, and a server to send by)."""
    return bool(values[ALERT_EMAIL.key].strip() and values[SMTP_HOST.key].strip())


def page_context(source: SettingsSource, words: Words = ENGLISH) -> dict[str, str]:
    """What a client's page fills its ``{placeholders}`` with: the settings (those a client reads, in
    ``words``' language), and ``coach_told``, which says only what the software does (an alert now, or
    the coach's next look)."""
    values = read_settings(source)
    said = {setting.key: said_in(source, setting, words) for setting in IN_EACH_LANGUAGE}
    told = words(COACH_ALERTED if alerts_on(values) else COACH_WILL_SEE)
    return {**values, **said, "coach_told": told}


SESSION_MINUTES_RANGE = (5, 24 * 60)
"""The fewest and most minutes a client's page may stay open without use."""


def session_minutes(text: str) -> int:
    """The idle minutes a setting gives, within ``SESSION_MINUTES_RANGE`` (the default if unreadable)."""
    try:
        minutes = int(text.strip())
    except ValueError:
        minutes = int(SESSION_MINUTES.default)
    low, high = SESSION_MINUTES_RANGE
    return min(max(minutes, low), high)
