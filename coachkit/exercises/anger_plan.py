""" "My anger plan": the four statements, in the client's own words, to say as anger starts.

From the four essential statements in the coach's article "Fighting In A Relationship". Turning the
answers into the four sentences, and the gentle note on how long a break works best, are pure functions.
"""

from __future__ import annotations

from coachkit.worksheet import (
    Answers,
    Feedback,
    LongText,
    MultiChoice,
    NextLink,
    Notice,
    Option,
    ShortText,
    ShownIf,
    SingleChoice,
    Step,
    Takeaway,
    TimeOfDay,
    Worksheet,
)

EARLY_SIGNS = (
    Option("hot", "My face or body gets hot"),
    Option("tense", "My jaw, fists or shoulders tighten"),
    Option("heart", "My heart starts racing"),
    Option("louder", "My voice gets louder or sharper"),
    Option("racing_thoughts", "My thoughts race, or I want to win"),
    Option("interrupting", "I start interrupting"),
    Option("sarcastic", "I get sarcastic"),
    Option("shut_down", "I go quiet and shut down"),
    Option("other", "Something else (say it below)"),
)

CALMING = {
    "walk": "go for a walk",
    "headphones": "put on my headphones",
    "exercise": "exercise",
    "movie": "watch a movie",
    "errands": "run some errands",
}

BREAK_MINUTES = (
    Option("20", "20 minutes"),
    Option("30", "30 minutes"),
    Option("45", "45 minutes"),
    Option("60", "1 hour"),
    Option("120", "2 hours"),
    Option("240", "4 hours"),
    Option("480", "8 hours"),
)
LONG_BREAK = {"240", "480"}

LONG_BREAK_NOTE = (
    "That is a long break. It's your choice; many people find that coming back the same day, "
    "once they have calmed down, helps their partner trust the plan."
)


def clock(hh_mm: str) -> str:
    """A stored "18:30" as said aloud: "6:30 pm" (the time box shows the phone's own clock style)."""
    hours, minutes = (int(part) for part in hh_mm.split(":"))
    suffix = "am" if hours < 12 else "pm"
    return f"{(hours - 1) % 12 + 1}:{minutes:02d} {suffix}"


def _minutes_phrase(minutes: str) -> str:
    return {option.value: option.label for option in BREAK_MINUTES}[minutes]


CLOSING_PUNCTUATION = ".!?\u2026 "


def _without_full_stop(words: str) -> str:
    """The client's words without closing punctuation (the sentence adds its own); "" if nothing is left."""
    return words.strip().rstrip(CLOSING_PUNCTUATION)


def plan_sentences(answers: Answers) -> list[str]:
    """The four statements, first person, exactly as the client will say them (plain text)."""
    action = answers.get("calm_action")
    doing = answers.get("own_action") if action == "own" else CALMING.get(str(action), "")
    withdraw = "I am going to withdraw and calm down."
    doing = _without_full_stop(doing) if isinstance(doing, str) else ""
    if doing:
        withdraw = f"I am going to withdraw and calm down: I'm going to {doing}."
    return [
        "I recognize that I am getting angry.",
        "I care about the relationship.",
        withdraw,
        _come_back_sentence(answers),
    ]


def _come_back_sentence(answers: Answers) -> str:
    how = answers.get("back_how")
    if how == "at_time" and isinstance(answers.get("back_time"), str):
        return f"I'll be back at {clock(answers['back_time'])} and we can talk about this then."
    if how == "in_minutes" and answers.get("back_minutes") in {o.value for o in BREAK_MINUTES}:
        minutes = _minutes_phrase(str(answers["back_minutes"]))
        return f"I'll be back in {minutes} and we can talk about this then."
    return "Let's agree on a good time to talk about this."


def early_signs(answers: Answers) -> list[str]:
    """What tells the client their anger is starting, in words, their own included."""
    labels = {option.value: option.label for option in EARLY_SIGNS if option.value != "other"}
    ticked = answers.get("signs") if isinstance(answers.get("signs"), list) else []
    signs = [labels[value] for value in ticked if value in labels]
    own = _without_full_stop(answers["own_signs"]) if isinstance(answers.get("own_signs"), str) else ""
    return [*signs, own] if own else signs


def card_lines(answers: Answers) -> list[str]:
    """The take-home card: the four sentences, then what to watch for."""
    lines = [f"{number}. {sentence}" for number, sentence in enumerate(plan_sentences(answers), 1)]
    signs = early_signs(answers)
    if signs:
        lines += ["", "My early signs: " + "; ".join(signs) + "."]
    care = answers.get("care_words")
    if isinstance(care, str) and care.strip():
        lines += ["", "What I care about: " + care.strip()]
    return lines


def break_feedback(answers: Answers) -> Feedback | None:
    """A break long enough to calm down and short enough to come back the same day works best."""
    if answers.get("back_how") == "in_minutes" and answers.get("back_minutes") in LONG_BREAK:
        return Feedback("attention", "About the length of your break", LONG_BREAK_NOTE)
    return None


def feedback(answers: Answers) -> list[Feedback]:
    items = [
        break_feedback(answers),
        Feedback(
            "next_step",
            "Practise it",
            "Say the four statements out loud a few times, and tell your partner about the plan at a "
            "calm moment. After a real argument, log how it went: that is how you and your coach see "
            "what works.",
        ),
    ]
    return [item for item in items if item is not None]


steps = (
    Step(
        id="recognize",
        title="1. \u201cI recognize that I am getting angry.\u201d",
        intro="The plan starts the moment you notice anger building. What are your early signs?",
        fields=(
            MultiChoice(id="signs", label="What tells you it is starting?", options=EARLY_SIGNS),
            ShortText(
                id="own_signs",
                label="In your own words (optional)",
                required=False,
                placeholder="e.g. I start pacing",
            ),
        ),
    ),
    Step(
        id="care",
        title="2. \u201cI care about the relationship.\u201d",
        intro="Saying this out loud reminds you both that you are on the same side.",
        fields=(
            LongText(
                id="care_words",
                label="If you like: what do you care about in this relationship?",
                required=False,
                max_length=1000,
            ),
        ),
    ),
    Step(
        id="withdraw",
        title="3. \u201cI am going to withdraw and calm down.\u201d",
        intro="Say what you will do to calm down.",
        fields=(
            SingleChoice(
                id="calm_action",
                label="What will you do?",
                options=(
                    Option("walk", "Go for a walk"),
                    Option("headphones", "Put on my headphones"),
                    Option("exercise", "Exercise"),
                    Option("movie", "Watch a movie"),
                    Option("errands", "Run errands"),
                    Option("own", "Something of my own"),
                ),
            ),
            ShortText(
                id="own_action",
                label="What will you do? (in a few words)",
                placeholder="e.g. make a cup of tea in the garden",
                max_length=120,
                shown_if=ShownIf("calm_action", "own"),
            ),
        ),
    ),
    Step(
        id="come_back",
        title="4. \u201cI'll be back at __ o'clock, and we can talk about this then.\u201d",
        intro="Or agree together on a good time to talk. A break long enough to calm down, and short "
        "enough to come back the same day, usually works best.",
        fields=(
            SingleChoice(
                id="back_how",
                label="How will you say when you'll be back?",
                options=(
                    Option("at_time", "At a time of day"),
                    Option("in_minutes", "In a number of minutes"),
                    Option("agree", "We'll agree on a time together"),
                ),
            ),
            TimeOfDay(id="back_time", label="I'll be back at", shown_if=ShownIf("back_how", "at_time")),
            SingleChoice(
                id="back_minutes",
                label="I'll be back in",
                options=BREAK_MINUTES,
                shown_if=ShownIf("back_how", "in_minutes"),
                notices=tuple(Notice(value, LONG_BREAK_NOTE) for value in sorted(LONG_BREAK)),
            ),
        ),
    ),
    Step(
        id="preview",
        title="Your plan, in your words",
        intro="This is what you will say as soon as you notice you are getting angry. "
        "Go back to change anything; Finish keeps it.",
        fields=(),
        preview=plan_sentences,
    ),
)

WORKSHEET = Worksheet(
    id="my-anger-plan",
    version=1,
    title="My anger plan",
    intro="Four short statements you can say as soon as you feel anger rising. Let's put them in your words.",
    steps=steps,
    feedback=feedback,
    takeaway=Takeaway("My anger plan", card_lines),
    next_links=(NextLink("After a real argument: log how your plan went", "anger-plan-practice"),),
    revise_label="Revise my plan",
)
