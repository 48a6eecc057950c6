"""Safety first, in every worksheet where it matters: the shared questions, what they mean, what we say.

The same questions (same ids, same words) are asked early in each worksheet about fights, so the coach
sees one history, and a later worksheet can read an earlier answer (``Worksheet.carries``). Once a
client says a fight turned physical or made them afraid, or that their own anger has become physical,
advice for ordinary conflict no longer applies: every worksheet says so through ``level``. The words
follow the field's established practice (../shared/CARE.md): safety first, never their fault, help
named by its kind (the coach sets the numbers), and "I'd rather not say" met with help, not silence.
"""

from __future__ import annotations

from typing import Literal

from coachkit.worksheet import (
    Answers,
    AnyOf,
    Feedback,
    FlagRule,
    Not,
    Notice,
    Option,
    ShortText,
    SingleChoice,
    When,
    YesNo,
)

SAFETY_HELP = "{safety_help}"
CRISIS_HELP = "{crisis_help}"
CHANGE_HELP = "{change_help}"
"""Placeholders the renderer fills with the coach's settings (``coachkit.settings``)."""

YES, NO, RATHER_NOT_SAY = "yes", "no", "rather_not_say"
YES_NO_NOT_SAY = (Option(YES, "Yes"), Option(NO, "No"), Option(RATHER_NOT_SAY, "I'd rather not say"))

UNSAFE_NOTICES = (
    Notice(YES, "Thank you for telling us. It is not your fault, and you deserve to be safe. " + SAFETY_HELP),
    Notice(RATHER_NOT_SAY, "That's okay. If you ever feel unsafe, help is there. " + SAFETY_HELP),
)
FELT_UNSAFE = SingleChoice(
    id="felt_unsafe",
    label="Has a fight ever turned physical, or made you afraid?",
    help="We ask everyone this. You can choose not to say.",
    options=YES_NO_NOT_SAY,
    sensitive=True,
    notices=UNSAFE_NOTICES,
)
UNSAFE_THIS_TIME = SingleChoice(
    id="unsafe_this_time",
    label="This time, did anyone get hurt, or feel afraid?",
    help="We ask this every time. You can choose not to say.",
    options=YES_NO_NOT_SAY,
    sensitive=True,
    notices=UNSAFE_NOTICES,
)
"""Asked in the practice log, right after a real argument."""

BEEN_PHYSICAL = SingleChoice(
    id="been_physical",
    label="Has your own anger ever become physical: pushing, grabbing, hitting, "
    "or throwing or breaking things?",
    help="An honest answer helps your coach help you. You can choose not to say.",
    options=YES_NO_NOT_SAY,
    sensitive=True,
    notices=(
        Notice(YES, f"Thank you for being honest. Saying it is a first step towards change. {CHANGE_HELP}"),
        Notice(
            RATHER_NOT_SAY, f"That's okay. If it ever happens, or has happened, there is help. {CHANGE_HELP}"
        ),
    ),
)

DANGER = AnyOf(When("felt_unsafe", YES), When("been_physical", YES), When("unsafe_this_time", YES))
"""A fight turned physical or frightening, or the client's own anger became physical."""
UNSAID = AnyOf(
    When("felt_unsafe", RATHER_NOT_SAY),
    When("been_physical", RATHER_NOT_SAY),
    When("unsafe_this_time", RATHER_NOT_SAY),
)
SAID_SAFE = AnyOf(When("felt_unsafe", NO), When("unsafe_this_time", NO))

SAFE_CONTACT = SingleChoice(
    id="safe_contact",
    label="Is it safe for your coach to get in touch with you about this?",
    options=(
        Option("any", "Yes, any way is fine"),
        Option("some", "Yes, but only in some ways, or at some times"),
        Option("wait", "No, please wait for me to get in touch"),
    ),
    sensitive=True,
    shown_if=AnyOf(When("felt_unsafe", YES, RATHER_NOT_SAY), When("unsafe_this_time", YES, RATHER_NOT_SAY)),
)
CONTACT_HOW = ShortText(
    id="contact_how",
    label="How and when is it safe?",
    placeholder="e.g. only by email, on weekdays before 5 pm",
    max_length=300,
    sensitive=True,
    shown_if=When("safe_contact", "some"),
)

SAFE_PLACE_KNOWN = YesNo(
    id="safe_place_known",
    label="Do you know somewhere you could go at short notice, to be safe and calm down?",
    sensitive=True,
    notices=(Notice(False, f"It helps to have one in mind: a friend, family, or a shelter. {SAFETY_HELP}"),),
)
SOMEONE_TO_CALL = YesNo(
    id="someone_to_call",
    label="Is there someone you could call, day or night?",
    sensitive=True,
    notices=(Notice(False, SAFETY_HELP),),
)

Level = Literal["danger", "unsaid", "safe"]


def level(answers: Answers) -> Level:
    """How safe things are, from the safety answers: ordinary advice only ever follows ``safe``.

    No answer at all counts as ``unsaid``: without a "no", nothing assumes it is safe.
    """
    if DANGER.holds(answers):
        return "danger"
    if UNSAID.holds(answers) or not SAID_SAFE.holds(answers):
        return "unsaid"
    return "safe"


SAFE_LEVEL = Not(AnyOf(DANGER, UNSAID, Not(SAID_SAFE)))
"""``level(answers) == "safe"`` as a condition, for links and advice that only suit a safe relationship."""
NO_RISK_SAID = Not(AnyOf(DANGER, UNSAID))
"""Nobody said yes, or chose not to say: for steps that only suit a safe relationship, asked after the
(required) safety question, so the progress shown before it is answered counts them."""


SAFETY_PLAN = Feedback(
    "safety",
    "Your safety comes first",
    "What has happened is not your fault, and you deserve to be safe. Some things that help people stay "
    "safe:\n"
    "• Know where you could go at short notice: a friend, family, or a shelter.\n"
    "• Keep your phone charged, and a few important numbers where you can reach them.\n"
    "• Keep keys, money, ID and any medicines together, ready to take.\n"
    "• If you are in danger, leave if you can, and call your local emergency number.\n" + SAFETY_HELP,
)
NOT_SAID = Feedback(
    "safety",
    "If you ever feel unsafe",
    "You chose not to say whether a fight has turned physical or made you afraid, and that's okay. "
    "If it ever does, or if you are afraid now, help is there. " + SAFETY_HELP,
)
HELP_TO_STOP = Feedback(
    "safety",
    "Help to stop",
    "You told us your anger has become physical. Thank you for your honesty: it is a first step. "
    "For this, an anger plan alone is not enough, and specialist help works. " + CHANGE_HELP,
)
NOT_SAID_PHYSICAL = Feedback(
    "safety",
    "If anger ever becomes physical",
    "You chose not to say whether your anger has become physical, and that's okay. If it ever does, "
    "or has, specialist help works. " + CHANGE_HELP,
)


def contact_feedback(answers: Answers) -> Feedback | None:
    """How the coach will (or won't) get in touch, as the client asked."""
    choice, how = answers.get("safe_contact"), answers.get("contact_how")
    if choice == "any":
        text = "Your coach will check in with you soon."
    elif choice == "some" and isinstance(how, str) and how.strip():
        text = f"Your coach will only get in touch the way you said: “{how.strip()}”."
    elif choice == "some":
        text = "Your coach will only get in touch in ways that are safe for you; you can tell them how."
    elif choice == "wait":
        text = "Your coach won't contact you about this. Get in touch whenever it is safe for you."
    else:
        return None
    return Feedback("next_step", "How your coach will be in touch", text)


def safety_feedback(answers: Answers) -> list[Feedback]:
    """What comes first on a summary: a safety plan, help to stop, or help for one who chose not to say."""
    items: list[Feedback | None] = []
    if answers.get("felt_unsafe") == YES or answers.get("unsafe_this_time") == YES:
        items.append(SAFETY_PLAN)
    elif RATHER_NOT_SAY in (answers.get("felt_unsafe"), answers.get("unsafe_this_time")):
        items.append(NOT_SAID)
    if answers.get("been_physical") == YES:
        items.append(HELP_TO_STOP)
    elif answers.get("been_physical") == RATHER_NOT_SAY:
        items.append(NOT_SAID_PHYSICAL)
    items.append(contact_feedback(answers))
    return [item for item in items if item is not None]


PLAN_WITH_YOUR_COACH = Feedback(
    "next_step",
    "A plan, just in case",
    "It is worth knowing where you could go and who you could call, before you ever need to. "
    "Your coach can help you make that plan.",
)


def plan_ahead_feedback(answers: Answers) -> Feedback | None:
    """A nudge towards a safety plan when the client knows nowhere to go or no one to call."""
    if False in (answers.get("safe_place_known"), answers.get("someone_to_call")):
        return PLAN_WITH_YOUR_COACH
    return None


SAFETY_FLAGS = (
    FlagRule("safety", When("felt_unsafe", YES), "said a fight turned physical or made them afraid", "risk"),
    FlagRule(
        "safety_not_said",
        When("felt_unsafe", RATHER_NOT_SAY),
        "chose not to say whether a fight turned physical or made them afraid",
        "gentle",
    ),
)
NOWHERE_SAFE_FLAG = FlagRule(
    "nowhere_safe",
    AnyOf(When("safe_place_known", False), When("someone_to_call", False)),
    "knows nowhere safe to go at short notice, or no one to call",
    "risk",
)
PHYSICAL_FLAGS = (
    FlagRule(
        "physical_harm",
        When("been_physical", YES),
        "said their own anger has become physical: specialist help, not only an anger plan",
        "risk",
    ),
    FlagRule(
        "physical_not_said",
        When("been_physical", RATHER_NOT_SAY),
        "chose not to say whether their own anger has become physical",
        "gentle",
    ),
)
