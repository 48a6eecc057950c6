""" "Fight or make it right": how the client meets a fight, and what would help next.

From the coach's article "Fighting In A Relationship". The items follow the article; the explanatory and
feedback wording is the project's own. Safety is asked first; with violence or fear (``safety.level``),
no advice for ordinary conflict is given, only safety and help. Feedback is a pure function of the answers.
"""

from __future__ import annotations

from dataclasses import replace

from coachkit.exercises import safety
from coachkit.exercises.safety import BEEN_PHYSICAL, CONTACT_HOW, FELT_UNSAFE, SAFE_CONTACT, SAFE_LEVEL
from coachkit.worksheet import (
    AllOf,
    Answers,
    Feedback,
    FlagRule,
    LongText,
    NextLink,
    Not,
    Option,
    SingleChoice,
    Step,
    When,
    Worksheet,
    YesNo,
    in_reading_order,
)

SELF_CHECK_QUESTIONS = {
    "one_upmanship": "Do you take some kind of pleasure in one-upmanship?",
    "superior": "Do you feel superior, strong, or clever when you are putting others down?",
    "bigger_weapons": "Do you enjoy the battle, and have no problem bringing bigger and bigger "
    "weapons into it?",
    "push_to_lose_cool": "Do you like to see if you can push someone into losing their cool?",
    "rise_then_wrong": "Do you feel powerful when you can get a rise out of someone, and then make "
    "them wrong for getting upset?",
}

FREQUENT = ("weekly", "several_a_week", "daily")
STARTS_FIGHTS = ("starter", "both")
ON_THE_RECEIVING_END = ("receiver", "both")

NOT_AFRAID_RECEIVER = Not(AllOf(safety.DANGER, When("role", "receiver")))
"""Someone on the receiving end who is afraid is not asked how they look for a fight."""

APPROACHES = (
    Option("expect", "I expect a fight"),
    Option("look", "I look for a fight"),
    Option("run", "I run from a fight"),
    Option("sidestep", "I sidestep a fight"),
)

steps = (
    Step(
        id="safety",
        title="Before we start",
        intro="A couple of questions first, asked of everyone.",
        fields=(FELT_UNSAFE, SAFE_CONTACT, CONTACT_HOW),
    ),
    Step(
        id="your_side",
        title="Where you usually find yourself",
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
            replace(BEEN_PHYSICAL, shown_if=When("role", *STARTS_FIGHTS)),
        ),
    ),
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
                options=APPROACHES,
            ),
        ),
    ),
    Step(
        id="instant_answer",
        shown_if=NOT_AFRAID_RECEIVER,
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
        shown_if=NOT_AFRAID_RECEIVER,
        title="A quick self-check",
        intro="Five questions about how you take part in a fight. Answer for yourself; your answers "
        "are kept for you and your coach.",
        fields=tuple(
            YesNo(id=field_id, label=question) for field_id, question in SELF_CHECK_QUESTIONS.items()
        ),
    ),
    Step(
        id="how_often",
        title="How often, and a recent one",
        fields=(
            SingleChoice(
                id="frequency",
                label="How often do fights or arguments happen?",
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
)


def self_check_count(answers: Answers) -> int:
    """How many of the five self-check questions were answered yes."""
    return sum(answers.get(field_id) is True for field_id in SELF_CHECK_QUESTIONS)


def self_check_feedback(answers: Answers) -> Feedback:
    """The self-check read back; only someone who starts fights hears that part of them looks for one.

    Fighting back is not the same as starting a fight, so the one on the receiving end is never told so.
    """
    count = self_check_count(answers)
    if count == 0:
        text = "None of the five sounded like you. That points towards making things right."
    elif answers.get("role") == "starter":
        text = (
            f"{count} of the five sounded familiar. When any of them do, part of you may be looking for a "
            "fight rather than trying to make things right. Noticing it is the first step to changing it."
        )
    elif answers.get("role") == "both":
        text = (
            f"{count} of the five sounded familiar. In the fights you start, that may be part of you "
            "looking for a fight rather than trying to make things right. When you are on the receiving "
            "end, fighting back is not the same as starting it. Noticing it is the first step to changing it."
        )
    else:
        text = (
            f"{count} of the five sounded familiar. When you are on the receiving end, fighting back can "
            "feel like the only way to be heard, and it is not the same as starting a fight. It is worth "
            "talking through with your coach."
        )
    return Feedback("insight", "Your self-check", text)


APPROACH_WORDS = {
    "expect": "expect a fight",
    "look": "look for a fight",
    "run": "run from a fight",
    "sidestep": "sidestep a fight",
}
INSTANT_PLAIN = {
    "fight": "that, if you're honest, you are looking for a fight.",
    "right": "that you are trying to make things right.",
    "unsure": "that you're not sure yet whether you're looking for a fight or trying to make things right.",
}
"""Said back where things are not safe: no "it makes all the difference", nothing that puts it on them."""
INSTANT_WORDS = {
    "fight": "that, if you're honest, you are looking for a fight. That honesty is where change starts.",
    "right": "that you are trying to make things right. Hold on to that: it makes all the difference.",
    "unsure": "that you're not sure yet whether you're looking for a fight or trying to make things "
    "right. That's an honest answer.",
}
APPROACH_NOTES = {
    "expect": "Expecting a fight can put you on guard before anything has been said.",
    "look": "If you look for a fight you'll likely find one, and it is possible to change your focus.",
    "run": "Getting away can keep the peace for now, though what goes unsaid often comes back.",
    "sidestep": "Sidestepping the angry energy, without giving in, is a real strength.",
}
RUN_WHEN_UNSAFE = "When you feel unsafe, getting away is the right thing to do."


def reflection_feedback(answers: Answers) -> Feedback | None:
    """How they meet a fight and their instant answer, said back to them before anything else."""
    approach, instant = answers.get("approach"), answers.get("fight_or_right")
    parts = []
    if approach in APPROACH_WORDS:
        parts.append(f"You said you usually {APPROACH_WORDS[approach]}.")
        if safety.level(answers) == "safe":
            parts.append(APPROACH_NOTES[approach])
        elif approach == "run":
            parts.append(RUN_WHEN_UNSAFE)
    if instant in INSTANT_WORDS:
        words = INSTANT_WORDS if safety.level(answers) == "safe" else INSTANT_PLAIN
        parts.append(f"You also said {words[instant]}")
    return Feedback("insight", "What you told us", " ".join(parts)) if parts else None


STARTER = Feedback(
    "next_step",
    "If you are the one who starts it",
    "Explore with your coach what drives it. Fights push people away, and it is worth finding "
    "out why sooner rather than later.",
)
RECEIVER = Feedback(
    "next_step",
    "If you are on the receiving end",
    "You can stop a fight by refusing to take part. You can be the one who sidesteps the angry, "
    "negative energy and simply refuses to play a game where both of you lose.",
)
RECEIVER_NOT_ALONE = Feedback(
    "next_step",
    "If you are on the receiving end",
    "You don't have to carry this alone. Your coach can help you think about what would help, "
    "starting with what keeps you safe.",
)
FREQUENT_SAFE = Feedback(
    "attention",
    "Fighting this often is a signal",
    "Frequent fighting is a red flag that it is time to get relationship help now. "
    "Please talk it over with your coach at your next session.",
)
FREQUENT_UNSAID = Feedback(
    "attention",
    "Fighting this often is a signal",
    "Frequent fighting is a red flag that it is time to get help now. Please talk it over with your "
    "coach, on your own if you prefer.",
)
ANGER_PLAN_POINTER = Feedback(
    "next_step",
    "Next: your anger plan",
    "Four short statements can stop a fight before it starts. Your anger plan worksheet helps you "
    "put them in your own words.",
)
RECEIVING_END_POINTER = Feedback(
    "next_step",
    "Next: when a fight comes your way",
    "A short worksheet on spotting the invitation to fight, and on sidestepping it.",
)
TALK_WITH_YOUR_COACH = Feedback(
    "next_step",
    "Next: talk with your coach",
    "Your coach is there for you. Talk it through at your next session, or sooner if you need to.",
)


def advice_feedback(answers: Answers) -> list[Feedback]:
    """Advice for ordinary conflict only where the client said things are safe; otherwise, help only.

    With violence or fear there is no mutual-conflict advice, no sidestep-and-refuse advice and no
    anger plan; when the client chose not to say, only advice that is safe either way.
    """
    role, frequent = answers.get("role"), answers.get("frequency") in FREQUENT
    current = safety.level(answers)
    if current == "danger":
        return [TALK_WITH_YOUR_COACH]
    if current == "unsaid":
        items = [FREQUENT_UNSAID] if frequent else []
        items += [STARTER] if role in STARTS_FIGHTS else []
        items += [RECEIVER_NOT_ALONE] if role in ON_THE_RECEIVING_END else []
        return [*items, TALK_WITH_YOUR_COACH]
    items = [FREQUENT_SAFE] if frequent else []
    items += [STARTER] if role in STARTS_FIGHTS else []
    items += [RECEIVER] if role in ON_THE_RECEIVING_END else []
    items += [ANGER_PLAN_POINTER] if role in STARTS_FIGHTS else []
    items += [RECEIVING_END_POINTER] if role in ON_THE_RECEIVING_END else []
    return items


def feedback(answers: Answers) -> list[Feedback]:
    """Everything the summary says: safety first, then what they told us, then what could help.

    Where the summary already says how the coach will be in touch, "talk with your coach" is not repeated.
    """
    first = safety.safety_feedback(answers)
    told = [reflection_feedback(answers)]
    if NOT_AFRAID_RECEIVER.holds(answers):
        told.append(self_check_feedback(answers))
    advice = advice_feedback(answers)
    if any(item.title == "How your coach will be in touch" for item in first):
        advice = [item for item in advice if item is not TALK_WITH_YOUR_COACH]
    return in_reading_order([item for item in (*first, *told, *advice) if item is not None])


FLAG_RULES = (
    *safety.SAFETY_FLAGS,
    *safety.PHYSICAL_FLAGS,
    FlagRule("frequent_fighting", When("frequency", *FREQUENT), "said they fight weekly or more often"),
)

WORKSHEET = Worksheet(
    id="fight-or-make-it-right",
    version=2,
    title="Fight or make it right?",
    intro="A few minutes on how fights go for you, and what could help. Your answers are saved as you go.",
    steps=steps,
    feedback=feedback,
    flag_rules=FLAG_RULES,
    carries=("unsafe_this_time", "physical_this_time"),  # from the latest practice log
    next_links=(
        NextLink("Your anger plan", "my-anger-plan", AllOf(SAFE_LEVEL, When("role", *STARTS_FIGHTS))),
        NextLink(
            "When a fight comes your way",
            "on-the-receiving-end",
            AllOf(SAFE_LEVEL, When("role", *ON_THE_RECEIVING_END)),
        ),
    ),
)
