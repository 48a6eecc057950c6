""" "My anger plan": the four statements, in the client's own words, to say as anger starts.

From the four essential statements in the coach's article "Fighting In A Relationship", built on how
time-outs work in practice: a break of twenty minutes or more, no driving, alcohol or drugs and no going
over the fight during it, coming back at the agreed time (or saying so and agreeing a new one), and the
plan agreed with the partner beforehand where that is safe. Safety is asked first: a client who reports
violence or fear gets a plan for staying safe instead of "come back and talk", and one whose own anger
has become physical is pointed to specialist help. Sentences, card and feedback are pure functions.
"""

from __future__ import annotations

import re

from coachkit.exercises import safety
from coachkit.exercises.safety import (
    BEEN_PHYSICAL,
    CONTACT_HOW,
    DANGER,
    FELT_UNSAFE,
    SAFE_CONTACT,
    SAFE_PLACE_KNOWN,
    SAFETY_HELP,
    SOMEONE_TO_CALL,
)
from coachkit.worksheet import (
    Answers,
    AnyOf,
    Feedback,
    FlagRule,
    LongText,
    MultiChoice,
    NextLink,
    Not,
    Notice,
    Option,
    Refusal,
    ShortText,
    SingleChoice,
    Step,
    Takeaway,
    TimeOfDay,
    When,
    Worksheet,
    in_reading_order,
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
    "errands": "run errands on foot",
}

UNSAFE_DURING_A_BREAK = re.compile(
    r"\b(drive|driving|drove|go for a spin|in (the|my) car|motorbike|motorcycle)\b"
    r"|\b(alcohol|booze|beers?|wine|vodka|whiske?y|gin|rum|pub|drunk|get high|weed|joint|cannabis|drugs?)\b"
    r"|\b(a|the) bar\b|\b(a|some) drinks?\b(?! of (water|tea|juice|milk))"
    r"|\bdrinking\b(?! (water|tea|coffee|juice|milk))",
    re.IGNORECASE,
)
NOT_DURING_A_BREAK = (
    "During a break, please leave out driving, alcohol and drugs: anger and those don't mix safely. If "
    "yours has none of those and we misread it, try other words, or pick a choice above."
)


def unsafe_during_a_break(text: str) -> bool:
    """Whether a calming activity involves driving, alcohol or drugs (refused, kindly)."""
    return bool(UNSAFE_DURING_A_BREAK.search(text))


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
    "A long break is fine, as long as you come back when you said; coming back the same day often helps "
    "your partner trust the plan."
)
BREAK_RULES = "During my break: no driving, no alcohol or drugs, and no going over the fight in my head."
NOT_READY_LINES = {
    "say_so": "If I'm not calm yet when it's time, I'll say so, and we'll agree a new time.",
    "another_break": "If I'm not calm yet when it's time, I'll check in, take another break, "
    "and say when I'll be back.",
}
SAFE_COME_BACK = "We can talk about this another time, when things are calm."
"""The fourth statement when a fight has turned physical or frightening, or sharing the plan wouldn't feel
safe: no set hour to come back and talk."""
PRIVATE_PLAN = AnyOf(DANGER, When("share_plan", "not_safe"))


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
    if PRIVATE_PLAN.holds(answers):
        return SAFE_COME_BACK
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
    """The take-home card: the four sentences, how the break works, then what to watch for.

    Nothing about safety goes on the card: a card can be seen by anyone who picks up the phone.
    """
    lines = [f"{number}. {sentence}" for number, sentence in enumerate(plan_sentences(answers), 1)]
    if not PRIVATE_PLAN.holds(answers):
        lines += ["", BREAK_RULES]
        if answers.get("not_ready") in NOT_READY_LINES:
            lines.append(NOT_READY_LINES[str(answers["not_ready"])])
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
        return Feedback("insight", "About the length of your break", LONG_BREAK_NOTE)
    return None


KEEP_IT_TO_YOURSELF = Feedback(
    "safety",
    "Keep this plan to yourself for now",
    "You said it wouldn't feel safe to talk this plan through with your partner. Please trust that "
    "feeling: keep the plan to yourself for now, and talk it over with your coach first. " + SAFETY_HELP,
)
STAYING_SAFE = Feedback(
    "next_step",
    "Your plan is about staying safe",
    "Say these to yourself, or out loud if that feels safe, as soon as anger rises, and leave if you need "
    "to. Nothing in this plan asks you to come back and talk at a set time.",
)
PRACTISE_ALONE = "Go over the statements quietly, when you are on your own."
PRACTISE = (
    "Say the four statements out loud a few times. After a real argument, log how it went: that is "
    "how you and your coach see what works."
)
SHARE = {
    "yes": "Talk the plan through with your partner at a calm moment, so that a break is never "
    "read as walking out.",
    "not_yet": "When you feel ready, talk the plan through with your partner at a calm moment, so "
    "that a break is never read as walking out.",
}


def practise_feedback(answers: Answers) -> list[Feedback]:
    """How to put the plan to work: safety first where the client said sharing it isn't safe."""
    if DANGER.holds(answers):
        return [STAYING_SAFE]
    if answers.get("share_plan") == "not_safe":
        return [KEEP_IT_TO_YOURSELF, Feedback("next_step", "Practise it", PRACTISE_ALONE)]
    share = SHARE.get(str(answers.get("share_plan")), "")
    return [Feedback("next_step", "Practise it", f"{PRACTISE} {share}".strip())]


def feedback(answers: Answers) -> list[Feedback]:
    """Safety first, then the length of the break, then how to practise."""
    items = [
        *safety.safety_feedback(answers),
        None if DANGER.holds(answers) else break_feedback(answers),
        *practise_feedback(answers),
        safety.plan_ahead_feedback(answers),
    ]
    return in_reading_order([item for item in items if item is not None])


NOT_IN_DANGER = Not(DANGER)

steps = (
    Step(
        id="safety",
        title="Before you start",
        intro="A few questions first, asked of everyone. There is no wrong answer, and you can choose "
        "not to say.",
        fields=(FELT_UNSAFE, BEEN_PHYSICAL, SAFE_CONTACT, CONTACT_HOW),
    ),
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
        intro="Say it, or think it: a reminder of what matters to you.",
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
        intro="Say what you will do to calm down. The break is for your body to settle, which takes "
        "about twenty minutes at least. During it: no driving, no alcohol or drugs, and no going over "
        "the fight in your head.",
        fields=(
            SingleChoice(
                id="calm_action",
                label="What will you do?",
                options=(
                    Option("walk", "Go for a walk"),
                    Option("headphones", "Put on my headphones"),
                    Option("exercise", "Exercise"),
                    Option("movie", "Watch a movie"),
                    Option("errands", "Run errands on foot"),
                    Option("own", "Something of my own"),
                ),
            ),
            ShortText(
                id="own_action",
                label="What will you do? (in a few words)",
                placeholder="e.g. make a cup of tea in the garden",
                max_length=120,
                shown_if=When("calm_action", "own"),
                refusals=(Refusal(unsafe_during_a_break, NOT_DURING_A_BREAK),),
            ),
        ),
    ),
    Step(
        id="come_back",
        title="4. \u201cI'll be back at __ o'clock, and we can talk about this then.\u201d",
        intro="Or agree together on a good time to talk. Give yourself at least twenty minutes; a break "
        "short enough to come back the same day usually works best.",
        shown_if=NOT_IN_DANGER,
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
            TimeOfDay(
                id="back_time",
                label="I'll be back at",
                help="At least twenty minutes after the break starts.",
                shown_if=When("back_how", "at_time"),
            ),
            SingleChoice(
                id="back_minutes",
                label="I'll be back in",
                options=BREAK_MINUTES,
                shown_if=When("back_how", "in_minutes"),
                notices=tuple(Notice(value, LONG_BREAK_NOTE) for value in sorted(LONG_BREAK)),
            ),
            SingleChoice(
                id="not_ready",
                label="If you're not calm yet when it's time, what will you do?",
                help="Coming back matters: don't just stay away.",
                options=(
                    Option("say_so", "Say so, and agree a new time"),
                    Option("another_break", "Check in, take another break, and say when I'll be back"),
                ),
            ),
            SingleChoice(
                id="share_plan",
                label="Can you talk this plan through with your partner beforehand, at a calm moment?",
                help="Then a break won't be read as walking out.",
                options=(
                    Option("yes", "Yes"),
                    Option("not_yet", "Not yet"),
                    Option("not_safe", "It wouldn't feel safe"),
                ),
                sensitive=True,
                notices=(
                    Notice(
                        "not_safe",
                        "Thank you for saying so. Then keep the plan to yourself for now, and talk it "
                        "over with your coach first. Instead of a set time, your plan will say: \u201cWe "
                        "can talk about this another time, when things are calm.\u201d " + SAFETY_HELP,
                    ),
                ),
            ),
        ),
    ),
    Step(
        id="staying_safe",
        title="4. Staying safe",
        intro="This part of your plan is about staying safe.",
        shown_if=DANGER,
        fields=(
            SAFE_PLACE_KNOWN,
            SOMEONE_TO_CALL,
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

FLAG_RULES = (
    *safety.SAFETY_FLAGS,
    *safety.PHYSICAL_FLAGS,
    safety.NOWHERE_SAFE_FLAG,
    FlagRule(
        "unsafe_to_share",
        When("share_plan", "not_safe"),
        "said it wouldn't feel safe to talk the plan through with their partner",
        "risk",
    ),
)

WORKSHEET = Worksheet(
    id="my-anger-plan",
    version=2,
    title="My anger plan",
    intro="Four short statements you can say as soon as you feel anger rising. Let's put them in your words.",
    steps=steps,
    feedback=feedback,
    flag_rules=FLAG_RULES,
    carries=("unsafe_this_time", "physical_this_time"),  # from the latest practice log
    takeaway=Takeaway("My anger plan", card_lines),
    next_links=(
        NextLink("After a real argument: log how your plan went", "anger-plan-practice", Not(PRIVATE_PLAN)),
    ),
    revise_label="Revise my plan",
)
