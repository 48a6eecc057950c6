""" "Anger plan practice": a one-minute log after a real argument.

It lets the coach see whether the plan works in real life. It is filled in at home, right after an
argument, so it asks first whether the client was hurt or afraid this time, and whether their own anger
became physical; and it reads the client's earlier safety answers: with violence or fear it never asks
about coming back to talk. The encouragement is a pure function.
"""

from __future__ import annotations

from coachkit.exercises import safety
from coachkit.exercises.safety import (
    CONTACT_HOW,
    DANGER,
    PHYSICAL_THIS_TIME,
    RATHER_NOT_SAY,
    SAFE_CONTACT,
    SAFETY_HELP,
    UNSAFE_THIS_TIME,
    YES,
)
from coachkit.worksheet import (
    Answers,
    AnyOf,
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
WHAT_NOW = Feedback(
    "next_step",
    "What now",
    "Your safety comes first. Talk with your coach about what happened; nothing here asks you to talk "
    "it through with your partner.",
)
UNSAFE_BEFORE = Feedback(
    "next_step",
    "If things ever feel unsafe",
    "If things ever feel unsafe again, help is there. " + SAFETY_HELP,
)
THIS_TIME = ("unsafe_this_time", "physical_this_time", "safe_contact", "contact_how", "note")
DANGER_THIS_TIME = AnyOf(When("unsafe_this_time", YES), When("physical_this_time", YES))


def feedback(answers: Answers) -> list[Feedback]:
    """Safety first, from this argument's answers; then how it went, and a word about the break.

    After an argument where someone was hurt or afraid, only safety and what now. An earlier answer
    about violence (carried) adds one short line, not the whole safety plan every time.
    """
    items = safety.safety_feedback({field_id: answers.get(field_id) for field_id in THIS_TIME})
    if DANGER_THIS_TIME.holds(answers):
        return in_reading_order([*items, WHAT_NOW])
    items.append(practice_feedback(answers))
    if DANGER.holds(answers):
        items.append(UNSAFE_BEFORE)
    if answers.get("kept_break") in ("partly", "no"):
        items.append(ABOUT_THE_BREAK)
    return in_reading_order(items)


FLAG_RULES = (
    FlagRule(
        "safety", When("unsafe_this_time", YES), "said they were hurt or afraid in this argument", "risk"
    ),
    FlagRule(
        "safety_not_said",
        When("unsafe_this_time", RATHER_NOT_SAY),
        "chose not to say whether they were hurt or afraid in this argument",
        "gentle",
    ),
    FlagRule(
        "physical_harm",
        When("physical_this_time", YES),
        "said their anger became physical, or someone seemed afraid of them, in this argument",
        "risk",
    ),
    FlagRule(
        "physical_not_said",
        When("physical_this_time", RATHER_NOT_SAY),
        "chose not to say whether their anger became physical in this argument",
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
            fields=(UNSAFE_THIS_TIME, PHYSICAL_THIS_TIME, SAFE_CONTACT, CONTACT_HOW),
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
                    help="Skip it if there wasn't a talk.",
                    required=False,
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
