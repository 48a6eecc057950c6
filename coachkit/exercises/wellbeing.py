"""A gentle wellbeing check for a client who is hurting: hopelessness, sleep, thoughts of self-harm.

Any sign of risk shows crisis help at once, under the answer and first on the summary, and raises a
``wellbeing`` flag that the coach sees before anything else. The crisis line is the coach's setting;
the default names the kind of service, not one country's number.
"""

from __future__ import annotations

from coachkit.exercises.safety import RATHER_NOT_SAY, YES, YES_NO_NOT_SAY
from coachkit.worksheet import Answers, AnyOf, Feedback, FlagRule, Notice, Option, SingleChoice, When
from coachkit.worksheet.safety_net import CRISIS, CRISIS_HELP

HEAVY_DAYS = ("most_days", "nearly_every_day")

HOPELESS = SingleChoice(
    id="hopeless",
    label="In the past two weeks, how often have you felt hopeless, or that there's no point in going on?",
    options=(
        Option("not_at_all", "Not at all"),
        Option("some_days", "On some days"),
        Option("most_days", "On most days"),
        Option("nearly_every_day", "Nearly every day"),
    ),
    sensitive=True,
    notices=tuple(
        Notice(days, f"That sounds really hard, and you don't have to carry it alone. {CRISIS_HELP}")
        for days in HEAVY_DAYS
    ),
)
SLEEP = SingleChoice(
    id="sleep",
    label="How have you been sleeping?",
    options=(
        Option("as_usual", "About as usual"),
        Option("worse", "Worse than usual"),
        Option("hardly", "Hardly at all"),
    ),
    sensitive=True,
    notices=(
        Notice(
            "hardly",
            "Not sleeping makes everything harder. If the nights feel too much, you don't have to get "
            f"through them alone. {CRISIS_HELP}",
        ),
    ),
)
SELF_HARM = SingleChoice(
    id="self_harm",
    label="Have you had thoughts of harming yourself, or that you'd be better off not here?",
    help="We ask everyone this. You can choose not to say.",
    options=YES_NO_NOT_SAY,
    sensitive=True,
    notices=(
        Notice(
            YES,
            f"Thank you for telling us. You matter, and help is there right now. {CRISIS_HELP} Your coach "
            "will be told. Just below, you can say whether and how they may get in touch.",
        ),
        Notice(RATHER_NOT_SAY, f"That's okay. If thoughts like these come, help is there. {CRISIS_HELP}"),
    ),
)

AT_RISK = AnyOf(When("self_harm", YES), When("hopeless", *HEAVY_DAYS), When("sleep", "hardly"))

WELLBEING_FLAGS = (
    FlagRule(
        "wellbeing",
        AT_RISK,
        "said they have thoughts of self-harm, feel hopeless on most days, or hardly sleep: check in first",
        "risk",
    ),
    FlagRule(
        "wellbeing_not_said",
        When("self_harm", RATHER_NOT_SAY),
        "chose not to say whether they have thoughts of self-harm",
        "gentle",
    ),
)

NOT_SAID = Feedback(
    "safety",
    "If things ever feel too much",
    "You chose not to say whether you have had thoughts of harming yourself, and that's okay. If those "
    f"thoughts come, you don't have to face them alone. {CRISIS_HELP}",
)
SLEEP_NOTE = Feedback(
    "next_step",
    "Look after your sleep",
    "Poor sleep makes everything heavier. Be gentle with yourself, and if it goes on for more than a "
    "couple of weeks, a doctor can help.",
)


def wellbeing_feedback(answers: Answers) -> list[Feedback]:
    """Crisis help first when there is any sign of risk; a gentle word otherwise."""
    if AT_RISK.holds(answers):
        return [CRISIS]
    items = [NOT_SAID] if answers.get("self_harm") == RATHER_NOT_SAY else []
    if answers.get("sleep") == "worse":
        items.append(SLEEP_NOTE)
    return items
