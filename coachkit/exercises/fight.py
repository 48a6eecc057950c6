""" "Fight or make it right": how the client meets a fight, and what would help next.

From the coach's article "Fighting In A Relationship". The items follow the article; the explanatory and
feedback wording is the project's own. Feedback and flags are pure functions of the answers.
"""

from __future__ import annotations

from coachkit.worksheet import (
    Answers,
    Feedback,
    LongText,
    Notice,
    Option,
    SingleChoice,
    Step,
    Worksheet,
    YesNo,
    in_reading_order,
)

SAFETY_HELP = "{safety_help}"
"""Placeholder the renderer fills with the coach's own "where to get help" text."""

SELF_CHECK_QUESTIONS = {
    "one_upmanship": "Do you take some kind of pleasure in one-upmanship?",
    "superior": "Do you feel superior, strong, or clever when you are putting others down?",
    "bigger_weapons": "Do you enjoy the battle, and have no problem bringing bigger and bigger "
    "weapons into it?",
    "push_to_lose_cool": "Do you like to see if you can push someone into losing their cool?",
    "rise_then_wrong": "Do you feel powerful when you can get a rise out of someone, and then make "
    "them wrong for getting upset?",
}

FREQUENT = {"weekly", "several_a_week", "daily"}

steps = (
    Step(
        id="meeting_a_fight",
        title="How you meet a fight",
        intro="Some people expect a fight. Others look for one. Others run from one. "
        "And some sidestep it. There is no wrong answer here.",
        fields=(
            SingleChoice(
                id="approach",
                label="When a disagreement starts, which sounds most like you?",
                help="Pick the one that fits most often.",
                options=(
                    Option("expect", "I expect a fight"),
                    Option("look", "I look for a fight"),
                    Option("run", "I run from a fight"),
                    Option("sidestep", "I sidestep a fight"),
                ),
            ),
        ),
    ),
    Step(
        id="instant_answer",
        title="Your instant answer",
        intro="Your first, honest answer to this question makes all the difference.",
        fields=(
            SingleChoice(
                id="fight_or_right",
                label="Are you looking for a fight, or trying to make things right?",
                options=(
                    Option("fight", "If I'm honest, looking for a fight"),
                    Option("right", "Trying to make things right"),
                    Option("unsure", "I'm not sure yet"),
                ),
            ),
        ),
    ),
    Step(
        id="self_check",
        title="A quick self-check",
        intro="Five questions. Nobody else sees these answers but you and your coach.",
        fields=tuple(
            YesNo(id=field_id, label=question) for field_id, question in SELF_CHECK_QUESTIONS.items()
        ),
    ),
    Step(
        id="your_side",
        title="Which side are you on?",
        fields=(
            SingleChoice(
                id="role",
                label="In your fights, where do you usually find yourself?",
                options=(
                    Option("starter", "I'm usually the one who starts it"),
                    Option("receiver", "I'm usually on the receiving end"),
                    Option("both", "Both, it depends"),
                ),
            ),
        ),
    ),
    Step(
        id="how_often",
        title="How often, and a recent one",
        fields=(
            SingleChoice(
                id="frequency",
                label="How often do you two fight?",
                help="Bickering counts as well as blowouts.",
                options=(
                    Option("rarely", "Rarely, a few times a year"),
                    Option("monthly", "About once a month"),
                    Option("weekly", "About once a week"),
                    Option("several_a_week", "Several times a week"),
                    Option("daily", "Almost every day"),
                ),
            ),
            LongText(
                id="recent_fight",
                label="If you like: what happened in a recent fight?",
                required=False,
                max_length=4000,
            ),
            LongText(
                id="making_it_right",
                label="If you like: what would making it right have looked like?",
                required=False,
                max_length=4000,
            ),
        ),
    ),
    Step(
        id="safety",
        title="Staying safe",
        intro="One last question, asked of everyone.",
        fields=(
            SingleChoice(
                id="felt_unsafe",
                label="Has a fight ever turned physical, or made you afraid?",
                options=(
                    Option("yes", "Yes"),
                    Option("no", "No"),
                    Option("rather_not_say", "I'd rather not say"),
                ),
                notices=(
                    Notice("yes", "Thank you for telling us. You deserve to be safe. " + SAFETY_HELP),
                    Notice("rather_not_say", "That's fine. If you ever feel unsafe: " + SAFETY_HELP),
                ),
            ),
        ),
    ),
)


def self_check_count(answers: Answers) -> int:
    """How many of the five self-check questions were answered yes."""
    return sum(answers.get(field_id) is True for field_id in SELF_CHECK_QUESTIONS)


def self_check_feedback(answers: Answers) -> Feedback:
    """Any yes means looking for a fight, as the article puts it; said without blame."""
    count = self_check_count(answers)
    if count == 0:
        return Feedback(
            "insight",
            "Your self-check",
            "None of the five sounded like you. That points towards making things right.",
        )
    return Feedback(
        "insight",
        "Your self-check",
        f"{count} of the five sounded familiar. When any of them do, part of you may be looking for "
        "a fight rather than trying to make things right. Noticing it is the first step to changing it.",
    )


def role_feedback(role: object) -> list[Feedback]:
    """The next step for the one who starts it, the one on the receiving end, or both."""
    starter = Feedback(
        "next_step",
        "If you are the one who starts it",
        "Explore with your coach what drives it. Fights push people away, and it is worth finding "
        "out why sooner rather than later.",
    )
    receiver = Feedback(
        "next_step",
        "If you are on the receiving end",
        "You can stop a fight by refusing to take part. You can be the one who sidesteps the angry, "
        "negative energy and simply refuses to play a game where both of you lose.",
    )
    return {"starter": [starter], "receiver": [receiver], "both": [starter, receiver]}.get(str(role), [])


def frequency_feedback(frequency: object) -> Feedback | None:
    """Constant or frequent fighting is a red flag: relationship help now."""
    if frequency not in FREQUENT:
        return None
    return Feedback(
        "attention",
        "Fighting this often is a signal",
        "Frequent fighting is a red flag that it is time to get relationship help now. "
        "Please talk it over with your coach at your next session.",
    )


def safety_feedback(answers: Answers) -> Feedback | None:
    """A fight that turned physical or frightening comes first, with where to get help."""
    if answers.get("felt_unsafe") != "yes":
        return None
    return Feedback("safety", "Your safety comes first", "You deserve to be safe. " + SAFETY_HELP)


ANGER_PLAN_POINTER = Feedback(
    "next_step",
    "Next: your anger plan",
    "Four short statements can stop a fight before it starts. Your anger plan worksheet helps you "
    "put them in your own words.",
)


def feedback(answers: Answers) -> list[Feedback]:
    """Everything the summary says, safety first."""
    items = [
        safety_feedback(answers),
        frequency_feedback(answers.get("frequency")),
        self_check_feedback(answers),
        *role_feedback(answers.get("role")),
        ANGER_PLAN_POINTER,
    ]
    return in_reading_order([item for item in items if item is not None])


def flags(answers: Answers) -> set[str]:
    """``safety`` when a fight turned physical or frightening; ``frequent_fighting`` when it is often."""
    raised = set()
    if answers.get("felt_unsafe") == "yes":
        raised.add("safety")
    if answers.get("frequency") in FREQUENT:
        raised.add("frequent_fighting")
    return raised


WORKSHEET = Worksheet(
    id="fight-or-make-it-right",
    version=1,
    title="Fight or make it right?",
    intro="A few minutes on how fights go for you, and what could help. Your answers are saved as you go.",
    steps=steps,
    feedback=feedback,
    flags=flags,
)
