""" "Anger plan practice": a one-minute log after a real argument.

It lets the coach see whether the plan works in real life. The encouragement is a pure function.
"""

from __future__ import annotations

from coachkit.worksheet import (
    Answers,
    Feedback,
    LongText,
    NextLink,
    Option,
    Rating,
    SingleChoice,
    Step,
    Worksheet,
    YesNo,
)


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


def feedback(answers: Answers) -> list[Feedback]:
    return [practice_feedback(answers)]


WORKSHEET = Worksheet(
    id="anger-plan-practice",
    version=1,
    title="How did my anger plan go?",
    intro="After a real argument, a minute to note how your plan went.",
    steps=(
        Step(
            id="log",
            title="This time",
            fields=(
                YesNo(id="noticed", label="Did I notice the anger starting?"),
                YesNo(id="said_statements", label="Did I say my four statements?"),
                SingleChoice(
                    id="came_back_on_time",
                    label="Did I come back when I said I would?",
                    options=(
                        Option("yes", "Yes"),
                        Option("late", "Yes, but later than I said"),
                        Option("no", "No"),
                        Option("not_needed", "It didn't come to a break"),
                    ),
                ),
                Rating(
                    id="talk_went",
                    label="How did the talk go afterwards?",
                    low=1,
                    high=5,
                    low_label="badly",
                    high_label="really well",
                ),
                LongText(
                    id="note", label="Anything to remember? (optional)", required=False, max_length=2000
                ),
            ),
        ),
    ),
    feedback=feedback,
    next_links=(NextLink("See or revise my anger plan", "my-anger-plan"),),
    again_label="Log another argument",
)
