""" "When a fight comes your way": for the one on the receiving end.

From the coach's article "Fighting In A Relationship": the invitation to fight (the five behaviours of
someone looking for a fight, and the messages that get nastier each time), sidestepping the angry,
negative energy and refusing to play a game where both lose, boundaries, the second-guessing check
("someone who makes you question your sanity and second-guess yourself all the time"), and when to get
out and get help. Safety is asked first: with violence or fear, the steps about sidestepping and
boundaries are not shown at all, because some fights are not the client's to sidestep. Feedback is a
pure function of the answers.
"""

from __future__ import annotations

from coachkit.exercises import safety
from coachkit.exercises.safety import (
    CONTACT_HOW,
    FELT_UNSAFE,
    NO_RISK_SAID,
    SAFE_CONTACT,
    SAFE_PLACE_KNOWN,
    SOMEONE_TO_CALL,
)
from coachkit.worksheet import (
    Answers,
    Feedback,
    FlagRule,
    LongText,
    MultiChoice,
    Option,
    Satisfies,
    ShortText,
    SingleChoice,
    Step,
    Worksheet,
    in_reading_order,
)

INVITATIONS = (
    Option("one_upmanship", "They seem to take pleasure in one-upmanship"),
    Option("put_downs", "They put me down, and seem to feel superior or clever doing it"),
    Option("bigger_weapons", "They bring bigger and bigger weapons into an argument"),
    Option("push_to_lose_cool", "They push to see if I'll lose my cool"),
    Option("rise_then_wrong", "They get a rise out of me, then make me wrong for getting upset"),
    Option("nasty_messages", "Messages go back and forth, getting nastier each time"),
)
RESPONSES = {
    "fight_back": "fight back",
    "give_in": "give in to make it stop",
    "go_quiet": "go quiet",
    "walk_away": "walk away",
}
SECOND_GUESSING = (
    Option("doubt_memory", "I doubt my own memory of what happened"),
    Option("second_guess", "I second-guess myself all the time"),
    Option("eggshells", "I feel I'm walking on eggshells"),
    Option("apologize", "I apologize even when I don't think I did anything wrong"),
    Option("confused", "After we argue, I'm confused about what really happened"),
)
SECOND_GUESSING_SIGNAL = 3
"""Ticks at which the coach is told (fewer still get a kind word on the summary)."""


def _ticked(answers: Answers, field_id: str) -> list[str]:
    value = answers.get(field_id)
    return value if isinstance(value, list) else []


steps = (
    Step(
        id="safety",
        title="Before we start",
        intro="A couple of questions first, asked of everyone.",
        fields=(FELT_UNSAFE, SAFE_CONTACT, CONTACT_HOW),
    ),
    Step(
        id="invitation",
        title="The invitation to fight",
        intro="A fight often starts with an invitation: a jab, a put-down, or a message meant to get a "
        "rise out of you. Noticing the invitation is the first step.",
        fields=(
            MultiChoice(
                id="invitations",
                label="Which of these happen to you?",
                help="Tick any that fit, or none.",
                required=False,
                options=INVITATIONS,
            ),
            SingleChoice(
                id="how_respond",
                label="When it happens, what do you usually do?",
                options=(
                    Option("fight_back", "I fight back"),
                    Option("give_in", "I give in to make it stop"),
                    Option("go_quiet", "I go quiet"),
                    Option("walk_away", "I walk away"),
                    Option("depends", "It depends"),
                ),
            ),
        ),
    ),
    Step(
        id="sidestep",
        title="Sidestep, and refuse to play",
        intro="You can stop a fight by refusing to take part. Sidestepping isn't giving in: you don't "
        "take the bait, you stay calm, and you come back to it when things are calm. Refusing to play "
        "a game where both of you lose is a strength.",
        shown_if=NO_RISK_SAID,
        fields=(
            ShortText(
                id="sidestep_line",
                label="A calm line you could say instead of taking the bait",
                placeholder="e.g. I'm not going to argue about this now. Let's talk later.",
                required=False,
                max_length=200,
            ),
            SingleChoice(
                id="sidestep_move",
                label="And what could you do next?",
                required=False,
                options=(
                    Option("leave_room", "Calmly leave the room for a while"),
                    Option("wait_reply", "Not answer the message straight away"),
                    Option("change_topic", "Say my line, then move on to something else"),
                ),
            ),
        ),
    ),
    Step(
        id="boundaries",
        title="Your boundaries",
        intro="A boundary says what you will and won't accept, calmly and once, and then you do what "
        "you said.",
        shown_if=NO_RISK_SAID,
        fields=(
            LongText(
                id="boundary",
                label="What won't you accept any more?",
                required=False,
                max_length=1000,
            ),
            ShortText(
                id="boundary_words",
                label="How could you say it, calmly?",
                placeholder="e.g. I'll talk with you, but not while you're shouting.",
                required=False,
                max_length=200,
            ),
        ),
    ),
    Step(
        id="second_guessing",
        title="The second-guessing check",
        intro="Some relationships leave a person doubting themselves all the time. Do any of these "
        "happen often?",
        fields=(
            MultiChoice(
                id="second_guessing",
                label="Tick any that happen often, or none.",
                required=False,
                options=SECOND_GUESSING,
            ),
        ),
    ),
    Step(
        id="get_help",
        title="When to get out and get help",
        intro="Some fights are not yours to sidestep. If a fight turns physical, if you are threatened, "
        "or if you are afraid: leave if you can, go somewhere safe, and get help. It is never your fault.",
        fields=(SAFE_PLACE_KNOWN, SOMEONE_TO_CALL),
    ),
)


def invitations_feedback(answers: Answers) -> Feedback:
    """The invitations recognized, said back without blame; a choice not to accept them only when safe."""
    count = len(_ticked(answers, "invitations"))
    if count == 0:
        text = "None of these sounded familiar. If one comes up later, you'll recognize it for what it is."
    else:
        text = f"You recognized {count} of these. No one deserves to be treated like that."
        if safety.level(answers) == "safe":
            text += " Noticing the invitation is the first step: you don't have to accept it."
    return Feedback("insight", "The invitation to fight", text)


RESPONSE_NOTES = {
    "fight_back": "That's understandable, and it's also how a game where both of you lose keeps going. "
    "Sidestepping is another way.",
    "give_in": "Sidestepping is different from giving in: you don't take the bait, and you don't give "
    "up what matters to you.",
    "go_quiet": "Going quiet can keep the peace for now. A calm line of your own can say more.",
    "walk_away": "Walking away can be a good sidestep, especially when you say you'll talk later, once "
    "things are calm.",
}


def response_feedback(answers: Answers) -> Feedback | None:
    """What they usually do, said back; a thought about it only when things are safe."""
    response = answers.get("how_respond")
    if response not in RESPONSES:
        return None
    text = f"You said that when it happens, you usually {RESPONSES[str(response)]}."
    if safety.level(answers) == "safe":
        text += " " + RESPONSE_NOTES[str(response)]
    return Feedback("insight", "What you usually do", text)


def own_words_feedback(answers: Answers) -> list[Feedback]:
    """Their calm line and their boundary, read back to practise (only ever where things are safe)."""
    if safety.level(answers) != "safe":
        return []
    items = []
    line, words = answers.get("sidestep_line"), answers.get("boundary_words")
    if isinstance(line, str) and line.strip():
        items.append(
            Feedback(
                "next_step",
                "Your calm line",
                f"“{line.strip()}” Practise saying it out loud, so it is there when you need it.",
            )
        )
    if isinstance(words, str) and words.strip():
        items.append(
            Feedback(
                "next_step",
                "Your boundary",
                f"“{words.strip()}” Say it calmly, once, and then do what you said.",
            )
        )
    return items


def second_guessing_feedback(answers: Answers) -> Feedback | None:
    """Doubting oneself again and again is hard on anyone; it is not their failing."""
    count = len(_ticked(answers, "second_guessing"))
    if count == 0:
        return None
    text = (
        f"You ticked {count} of these. Being made to doubt yourself again and again is hard on anyone, "
        "and it is not your failing. Please talk it through with your coach."
    )
    tone = "attention" if count >= SECOND_GUESSING_SIGNAL else "insight"
    return Feedback(tone, "Doubting yourself", text)


def feedback(answers: Answers) -> list[Feedback]:
    """Safety first, then what they recognized, then their own words and what to do next."""
    items = [
        *safety.safety_feedback(answers),
        invitations_feedback(answers),
        response_feedback(answers),
        second_guessing_feedback(answers),
        *own_words_feedback(answers),
        safety.plan_ahead_feedback(answers),
    ]
    return in_reading_order([item for item in items if item is not None])


def often_second_guessing(ticked: object) -> bool:
    return isinstance(ticked, list) and len(ticked) >= SECOND_GUESSING_SIGNAL


FLAG_RULES = (
    *safety.SAFETY_FLAGS,
    safety.NOWHERE_SAFE_FLAG,
    FlagRule(
        "second_guessing",
        Satisfies(("second_guessing",), often_second_guessing),
        f"ticked {SECOND_GUESSING_SIGNAL} or more signs of second-guessing themselves all the time",
    ),
)

WORKSHEET = Worksheet(
    id="on-the-receiving-end",
    version=1,
    title="When a fight comes your way",
    intro="For when you are on the receiving end: spotting the invitation to fight, and what you can do.",
    steps=steps,
    feedback=feedback,
    flag_rules=FLAG_RULES,
    carries=("been_physical", "unsafe_this_time", "physical_this_time"),
)
