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
from coachkit.worksheet.safety_net import ANY_DANGER_WORDS

SAFETY_HELP = "{safety_help}"
CRISIS_HELP = "{crisis_help}"
CHANGE_HELP = "{change_help}"
"""Placeholders the renderer fills with the coach's settings (``coachkit.settings``)."""

YES, NO, RATHER_NOT_SAY = "yes", "no", "rather_not_say"
YES_NO_NOT_SAY = (Option(YES, "Yes"), Option(NO, "No"), Option(RATHER_NOT_SAY, "I'd rather not say"))

UNSAFE_NOTICES = (
    Notice(
        YES,
        "Thank you for telling us. Everyone deserves to be safe at home. If someone hurt or frightened "
        "you, it is not your fault. " + SAFETY_HELP,
    ),
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
    label="This time, were you hurt, or afraid?",
    help="We ask this every time. You can choose not to say.",
    options=YES_NO_NOT_SAY,
    sensitive=True,
    notices=UNSAFE_NOTICES,
)
"""Asked in the practice log, right after a real argument, with ``PHYSICAL_THIS_TIME``."""

CHANGE_NOTICES = (
    Notice(YES, f"Thank you for being honest. Saying it is a first step towards change. {CHANGE_HELP}"),
    Notice(RATHER_NOT_SAY, f"That's okay. If it has, or ever does, there is help. {CHANGE_HELP}"),
)
BEEN_PHYSICAL = SingleChoice(
    id="been_physical",
    label="Has your own anger ever become physical: pushing, grabbing, hitting, "
    "or throwing or breaking things?",
    help="An honest answer helps your coach help you. You can choose not to say.",
    options=YES_NO_NOT_SAY,
    sensitive=True,
    notices=CHANGE_NOTICES,
)
PHYSICAL_THIS_TIME = SingleChoice(
    id="physical_this_time",
    label="This time, did your anger become physical, or did anyone seem afraid of you?",
    help="We ask this every time. You can choose not to say.",
    options=YES_NO_NOT_SAY,
    sensitive=True,
    notices=(
        Notice(
            YES,
            "Thank you for being honest. Everyone's safety comes first now: if anyone could get hurt, "
            f"leave, and stay away until you are calm. {CHANGE_HELP}",
        ),
        Notice(RATHER_NOT_SAY, f"That's okay. If it ever happens, there is help. {CHANGE_HELP}"),
    ),
)

DANGER = AnyOf(
    When("felt_unsafe", YES),
    When("been_physical", YES),
    When("unsafe_this_time", YES),
    When("physical_this_time", YES),
)
"""A fight turned physical or frightening, or the client's own anger became physical."""
UNSAID = AnyOf(
    When("felt_unsafe", RATHER_NOT_SAY),
    When("been_physical", RATHER_NOT_SAY),
    When("unsafe_this_time", RATHER_NOT_SAY),
    When("physical_this_time", RATHER_NOT_SAY),
    ANY_DANGER_WORDS,
)
"""The client chose not to say, or wrote words that sound like being hurt or threatened."""
SAID_SAFE = AnyOf(When("felt_unsafe", NO), When("unsafe_this_time", NO))
RISK_SAID = AnyOf(DANGER, UNSAID)

SAFE_CONTACT = SingleChoice(
    id="safe_contact",
    label="Is it safe for your coach to get in touch with you between sessions?",
    help="We ask everyone. Your coach will only get in touch the way you choose.",
    options=(
        Option("any", "Yes, any way is fine"),
        Option("some", "Yes, but only in some ways, or at some times"),
        Option("wait", "No, please wait for me to get in touch"),
    ),
    sensitive=True,
)
"""Asked of everyone, so whether it is asked says nothing about the other answers."""
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
    label="Do you know somewhere you could go at short notice, to be safe?",
    sensitive=True,
    notices=(Notice(False, f"It helps to have one in mind: a friend, family, or a shelter. {SAFETY_HELP}"),),
)
SOMEONE_TO_CALL = YesNo(
    id="someone_to_call",
    label="Is there someone you could call, day or night?",
    sensitive=True,
    notices=(
        Notice(False, "A helpline can be that someone. Your coach can give you the number where you live."),
    ),
)

Level = Literal["danger", "unsaid", "safe"]


def level(answers: Answers) -> Level:
    """How safe things are, from the safety answers: ordinary advice only ever follows ``safe``.

    No answer at all counts as ``unsaid``: without a "no", nothing assumes it is safe. Words that sound
    like being hurt or threatened, typed in any box, count as ``unsaid`` whatever was answered.
    """
    if DANGER.holds(answers):
        return "danger"
    if UNSAID.holds(answers) or not SAID_SAFE.holds(answers):
        return "unsaid"
    return "safe"


SAFE_LEVEL = Not(AnyOf(RISK_SAID, Not(SAID_SAFE)))
"""``level(answers) == "safe"`` as a condition, for links and advice that only suit a safe relationship."""
NO_RISK_SAID = Not(RISK_SAID)
"""Nobody said yes, or chose not to say: for steps that only suit a safe relationship, asked after the
(required) safety question, so the progress shown before it is answered counts them."""


SAFETY_PLAN = Feedback(
    "safety",
    "Your safety comes first",
    "Everyone deserves to be safe. If someone has hurt or frightened you, it is not your fault. Some things "
    "that help people stay safe:\n"
    "• Know where you could go at short notice: a friend, family, or a shelter.\n"
    "• Keep your phone charged, and a few important numbers where you can reach them.\n"
    "• Keep keys, money, ID and any medicines together, ready to take.\n"
    "• If you are in danger, leave if you can.\n" + SAFETY_HELP,
)
NOT_SAID = Feedback(
    "safety",
    "If you ever feel unsafe",
    "You chose not to say whether a fight has turned physical or made you afraid, and that's okay. "
    "If it has, or ever does, help is there. " + SAFETY_HELP,
)
NOT_SAID_THIS_TIME = Feedback(
    "safety",
    "If you ever feel unsafe",
    "You chose not to say whether you were hurt or afraid this time, and that's okay. If you are afraid "
    "now, or ever are, help is there. " + SAFETY_HELP,
)
HELP_TO_STOP = Feedback(
    "safety",
    "Help to stop",
    "You've told us your anger has become physical. Thank you for your honesty: it is a first step. If you "
    "feel anger rising and anyone could get hurt, leave at once, and don't come back until you are calm. "
    "For this, an anger plan alone is not enough; specialist help is. " + CHANGE_HELP,
)
NOT_SAID_PHYSICAL = Feedback(
    "safety",
    "If anger ever becomes physical",
    "You chose not to say whether your anger has become physical, and that's okay. If it has, or ever "
    "does, specialist help is there. " + CHANGE_HELP,
)


def contact_feedback(answers: Answers) -> Feedback | None:
    """How the coach will (or won't) get in touch, as the client asked; said only where there is a risk."""
    choice, how = answers.get("safe_contact"), answers.get("contact_how")
    if choice == "any":
        text = "Your coach has been told, and will be in touch."
    elif choice == "some" and isinstance(how, str) and how.strip().rstrip(".!?\u2026 "):
        words = how.strip().rstrip(".!?\u2026 ")
        text = f"Your coach has been told, and will only get in touch the way you said: “{words}”."
    elif choice == "some":
        text = "Your coach has been told, and will only get in touch in ways that are safe for you."
    elif choice == "wait":
        text = "Your coach won't contact you about this. Get in touch whenever it is safe for you."
    else:
        return None
    return Feedback("next_step", "How your coach will be in touch", text)


def safety_feedback(answers: Answers) -> list[Feedback]:
    """What comes first on a summary: a safety plan, help to stop, help for one who chose not to say,
    and, where any of these applies, how the coach will (or won't) get in touch."""
    said = {answers.get(field) for field in ("felt_unsafe", "unsafe_this_time")}
    physical = {answers.get(field) for field in ("been_physical", "physical_this_time")}
    items: list[Feedback] = []
    if YES in said:
        items.append(SAFETY_PLAN)
    elif answers.get("felt_unsafe") == RATHER_NOT_SAY:
        items.append(NOT_SAID)
    elif answers.get("unsafe_this_time") == RATHER_NOT_SAY:
        items.append(NOT_SAID_THIS_TIME)
    if YES in physical:
        items.append(HELP_TO_STOP)
    elif RATHER_NOT_SAY in physical:
        items.append(NOT_SAID_PHYSICAL)
    contact = contact_feedback(answers) if RISK_SAID.holds(answers) else None
    return [*items, *([contact] if contact else [])]


PLAN_WITH_YOUR_COACH = Feedback(
    "next_step",
    "A plan, just in case",
    "It is worth knowing where you could go and who you could call, before you ever need to. "
    "Your coach can help you make that plan.",
)
PLAN_NOW = Feedback(
    "next_step",
    "Where you could go, and who you could call",
    "You don't know yet where you could go, or who you could call. A domestic abuse helpline can help you "
    "work that out, in confidence; so can your coach, when it is safe to talk.",
)


def plan_ahead_feedback(answers: Answers) -> Feedback | None:
    """A nudge towards a safety plan when the client knows nowhere to go or no one to call."""
    if False not in (answers.get("safe_place_known"), answers.get("someone_to_call")):
        return None
    return PLAN_NOW if DANGER.holds(answers) else PLAN_WITH_YOUR_COACH


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
