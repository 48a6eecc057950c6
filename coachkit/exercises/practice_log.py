""" "Anger plan practice": a one-minute log after a real argument.

It lets the coach see whether the plan works in real life. It is filled in at home, right after an
argument, so it asks first whether anyone got hurt or was afraid this time, and it reads the client's
earlier safety answers: with violence or fear it never asks about coming back to talk. The
encouragement is a pure function.
"""

from __future__ import annotations

from coachkit.exercises import safety
from coachkit.exercises.safety import (
    CONTACT_HOW,
    DANGER,
    RATHER_NOT_SAY,
    SAFE_CONTACT,
    UNSAFE_THIS_TIME,
    YES,
)
from coachkit.worksheet import (
    Answers,
    Feedback,
    FlagRule,
    LongText,
    NextLink,
    Not,
    Option,
    Rating,
    SingleChoice,
    Step,
    When,
    Worksheet,
    YesNo,
    in_reading_order,
)

NOT_IN_DANGER = Not(DANGER)


def practice_score(answers: Answers) -> int:
    """How many of the three plan moves happened: noticed, said the statements, came back on time.

    "It didn't come to a break" counts as keeping the third: there was nothing to come back from.
    """
    return sum(
        [
            answers.get("noticed") is True,
            answers.get("said_statements") is True,
            answers.get("came_back_on_time") in {"yes", "not_needed"},
        ]
    )


def practice_feedback(answers: Answers) -> Feedback:
    """Encouragement that fits what happened, never a telling-off."""
    score = practice_score(answers)
    if score == 3:
        text = "You noticed, said your statements and came back when you said. That is the plan working."
    elif answers.get("noticed") is True:
        text = (
            "You noticed the anger, and that is the hardest part. Each time you practise, the rest of "
            "the plan gets easier."
        )
    else:
        text = (
            "Anger can move fast. Logging it honestly, as you just did, is how the plan improves; "
            "look over your early signs with your coach."
        )
    return Feedback("insight", "How it went", text)


ABOUT_THE_BREAK = Feedback(
    "attention",
    "About the break",
    "Driving, drinking or going over the fight in your head keeps anger going. Next time, try "
    "something that calms your body, like a walk, for twenty minutes or more.",
)
SAFETY_FIRST_THIS_TIME = Feedback(
    "next_step",
    "Safety comes first",
    "Noticing and stepping away is what matters now. Please talk with your coach about what happened "
    "before you try to talk it through with your partner.",
)


def feedback(answers: Answers) -> list[Feedback]:
    """Safety first; then how it went, and a word about the break if it wasn't a calming one."""
    items = [*safety.safety_feedback(answers)]
    if DANGER.holds(answers):
        items.append(SAFETY_FIRST_THIS_TIME)
    else:
        items.append(practice_feedback(answers))
    if answers.get("kept_break") in ("partly", "no"):
        items.append(ABOUT_THE_BREAK)
    return in_reading_order(items)


FLAG_RULES = (
    FlagRule(
        "safety",
        When("unsafe_this_time", YES),
        "said someone got hurt or was afraid in this argument",
        "risk",
    ),
    FlagRule(
        "safety_not_said",
        When("unsafe_this_time", RATHER_NOT_SAY),
        "chose not to say whether anyone got hurt or was afraid in this argument",
        "gentle",
    ),
)

WORKSHEET = Worksheet(
    id="anger-plan-practice",
    version=2,
    title="How did my anger plan go?",
    intro="After a real argument, a minute to note how your plan went.",
    steps=(
        Step(
            id="okay",
            title="First: are you okay?",
            fields=(UNSAFE_THIS_TIME, SAFE_CONTACT, CONTACT_HOW),
        ),
        Step(
            id="log",
            title="This time",
            fields=(
                YesNo(id="noticed", label="Did I notice the anger starting?"),
                YesNo(id="said_statements", label="Did I say my four statements?"),
                SingleChoice(
                    id="kept_break",
                    label="During the break, did I keep to no driving, no alcohol or drugs, and not "
                    "going over the fight?",
                    options=(
                        Option("yes", "Yes"),
                        Option("partly", "Partly"),
                        Option("no", "No"),
                        Option("not_needed", "It didn't come to a break"),
                    ),
                ),
                SingleChoice(
                    id="came_back_on_time",
                    label="Did I come back when I said I would?",
                    options=(
                        Option("yes", "Yes"),
                        Option("late", "Yes, but later than I said"),
                        Option("no", "No"),
                        Option("not_needed", "It didn't come to a break"),
                    ),
                    shown_if=NOT_IN_DANGER,
                ),
                Rating(
                    id="talk_went",
                    label="How did the talk go afterwards?",
                    low=1,
                    high=5,
                    low_label="badly",
                    high_label="really well",
                    shown_if=NOT_IN_DANGER,
                ),
                LongText(
                    id="note", label="Anything to remember? (optional)", required=False, max_length=2000
                ),
            ),
        ),
    ),
    feedback=feedback,
    flag_rules=FLAG_RULES,
    carries=("felt_unsafe", "been_physical"),
    next_links=(NextLink("See or revise my anger plan", "my-anger-plan"),),
    again_label="Log another argument",
)
