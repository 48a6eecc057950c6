""" "Wanting them back": a reflection for a client whose partner has left.

From the coach's article "Wanting Your Partner Back When They Don't Want You". The first question ("why
do you want them back?"), the seven questions, the eight beliefs and the fresh-start decision follow the
article; the explanatory and feedback wording is the project's own. The client is hurting: a gentle
wellbeing check comes second, and any sign of risk brings crisis help at once (``wellbeing``). The words
stay plain and kind, and never decide for them.
"""

from __future__ import annotations

from coachkit.exercises.safety import CONTACT_HOW, RATHER_NOT_SAY, SAFE_CONTACT, SAFETY_HELP, contact_feedback
from coachkit.exercises.wellbeing import (
    AT_RISK,
    HOPELESS,
    SELF_HARM,
    SLEEP,
    WELLBEING_FLAGS,
    wellbeing_feedback,
)
from coachkit.worksheet import (
    Answers,
    Feedback,
    FlagRule,
    LongText,
    MultiChoice,
    Notice,
    Option,
    ShortText,
    SingleChoice,
    Step,
    When,
    Worksheet,
    in_reading_order,
)
from coachkit.worksheet.safety_net import CRISIS, any_at_risk

QUESTIONS = {
    "why_now": "Why now?",
    "why_at_all": "Why at all?",
    "what_was_i_missing": "What was I missing?",
    "what_can_i_do": "What can I do?",
    "what_do_i_want": "What do I want?",
    "where_from_here": "Where do I go from here?",
    "how_to_regroup": "How do I regroup and carry on?",
}

BELIEFS = (
    Option("deserve_poor_treatment", "Deep down, I feel I deserve to be treated poorly."),
    Option("my_fault", "I think it is my fault that they behaved badly."),
    Option("alone_forever", "I believe I will be alone forever if they leave me."),
    Option("love_can_change_them", "I think I can nurture or love them enough to change them."),
    Option("being_wanted", "Being wanted matters more to me than the quality of the relationship."),
    Option("used_or_loved", "I sometimes mix up being used with being loved."),
    Option("afraid_alone", "I am afraid to be alone."),
    Option("any_relationship", "Being in a relationship, any relationship, makes me feel worthwhile."),
)

SHORT = "dating_year_or_less"


def _questions_step(step_id: str, title: str, intro: str, keys: tuple[str, ...]) -> Step:
    return Step(
        id=step_id,
        title=title,
        intro=intro,
        fields=tuple(LongText(id=key, label=QUESTIONS[key], required=False) for key in keys),
    )


steps = (
    Step(
        id="where_things_stand",
        title="Where things stand",
        intro="Being left hurts, even when there were problems. Take this at your own pace. "
        "You can stop at any time; what you write is saved, and you can come back to it.",
        fields=(
            SingleChoice(
                id="relationship_length",
                label="How long were you together?",
                options=(
                    Option(SHORT, "We were dating, for a year or less"),
                    Option("dating_longer", "We were dating, for longer than a year"),
                    Option("long_term", "We were married, or long-term partners"),
                ),
            ),
            MultiChoice(
                id="also_touches",
                label="Besides the relationship itself, what else does their leaving touch?",
                help="Tick any that apply, or none.",
                required=False,
                options=(
                    Option("children", "Our children"),
                    Option("finances", "Our finances"),
                    Option("goals_plans", "Our shared goals and plans"),
                    Option("future", "The future I pictured"),
                ),
            ),
            ShortText(id="also_touches_other", label="Anything else? (optional)", required=False),
            LongText(
                id="why_want_back",
                label="If you want them back: why? (optional)",
                help="There's no wrong answer. Your first, honest answer is worth writing down.",
                required=False,
            ),
        ),
    ),
    Step(
        id="how_you_are",
        title="How you are doing",
        intro="A loss like this can weigh on everything: sleep, hope, how you feel about yourself. "
        "A few questions we ask everyone.",
        fields=(
            HOPELESS,
            SLEEP,
            SELF_HARM,
            SAFE_CONTACT,
            CONTACT_HOW,
        ),
    ),
    _questions_step(
        "making_sense",
        "The questions that need answers",
        "After someone leaves, these questions come while your heart is hurting and your head is "
        "swimming. Write as much or as little as you like. Any of them can be skipped.",
        ("why_now", "why_at_all", "what_was_i_missing"),
    ),
    _questions_step(
        "looking_ahead",
        "Looking ahead",
        "A few more. Skip any that you're not ready for; you can come back to them later.",
        ("what_can_i_do", "what_do_i_want", "where_from_here", "how_to_regroup"),
    ),
    Step(
        id="holding_on",
        title="What keeps you holding on",
        intro="People who want back someone who left often carry some of these beliefs. "
        "They are very common, and they say nothing bad about you. Your answers are kept for you "
        "and your coach.",
        fields=(
            MultiChoice(
                id="beliefs",
                label="Which of these sound like you right now?",
                help="Tick any that fit, or none.",
                required=False,
                options=BELIEFS,
            ),
            LongText(id="beliefs_own_words", label="In your own words, if you like", required=False),
        ),
    ),
    Step(
        id="if_they_come_back",
        title="If they come back",
        intro="Sometimes a partner knows quickly that leaving was a mistake.",
        fields=(
            SingleChoice(
                id="came_back",
                label="Has your partner come back, apologized, and agreed to get help together?",
                options=(
                    Option("yes", "Yes, all three"),
                    Option("partly", "Some of that, but not all"),
                    Option("no", "No"),
                ),
                notices=(
                    Notice(
                        "no",
                        "That is a hard place to be, and you don't have to face it alone. Your coach "
                        "can help you with what comes next.",
                    ),
                    Notice(
                        "partly",
                        "A fresh start has the best chance when your partner comes back, apologizes, "
                        "and agrees to get help with you. Your coach can help you think about what "
                        "is still missing.",
                    ),
                ),
            ),
            SingleChoice(
                id="fresh_start",
                label="Would you like a fresh start?",
                help="There is no right answer. Yes, no and not yet are all fine.",
                shown_if=When("came_back", "yes"),
                options=(
                    Option("yes", "Yes"),
                    Option("no", "No"),
                    Option("not_yet", "Not yet"),
                ),
            ),
            LongText(
                id="fresh_start_needs",
                label="What would need to be different for a fresh start to feel right?",
                required=False,
                shown_if=When("came_back", "yes"),
            ),
        ),
    ),
)


def beliefs_count(answers: Answers) -> int:
    """How many of the eight beliefs the client recognized."""
    ticked = answers.get("beliefs")
    known = {option.value for option in BELIEFS}
    return len(known & set(ticked)) if isinstance(ticked, list) else 0


def questions_answered(answers: Answers) -> int:
    """How many of the seven questions have some words written."""
    return sum(isinstance(answers.get(key), str) and bool(answers[key].strip()) for key in QUESTIONS)


def moving_on_feedback(length: object, came_back: object, fresh_start: object = None) -> Feedback | None:
    """For everyone not getting back together: leaving showed who they are; letting go is better in time.

    Said when the partner has not come back, or the client chose no fresh start; with more weight after
    a year or less of dating. Never said when a fresh start is still theirs to choose.
    """
    if came_back != "no":
        return None
    if length == SHORT:
        return Feedback(
            "insight",
            "When it was a short relationship",
            'When you have been dating for a year or less and the other person says "no more", it can '
            "help to take them at their word, however much it hurts now. You deserve to be with someone "
            "who wants to be with you. Letting go is hard; in the long run, you are better off.",
        )
    return Feedback(
        "insight",
        "Who they showed you they are",
        "However much it hurts, leaving was their decision, and it shows you who they are. You deserve "
        "someone who wants to be with you. Letting go is painful now; in the long run, you are better off.",
    )


DESERVE_BETTER = Feedback(
    "attention",
    "You deserve to be treated well",
    "You ticked that, deep down, you feel you deserve to be treated poorly. Many people feel that after "
    "being hurt, and it is not true: no one deserves to be treated poorly, and you don't either. "
    "This is worth working on with your coach, gently, whenever you are ready.",
)
WHY_WRITTEN = Feedback(
    "insight",
    "Why you want them back",
    "You wrote about why you want them back. It is worth looking at with your coach: the why often "
    "says a lot about what you need now.",
)


def beliefs_feedback(count: int) -> Feedback:
    """The beliefs recognized, framed with care: common, and worth working on with the coach."""
    if count == 0:
        return Feedback(
            "insight",
            "What keeps you holding on",
            "You didn't tick any of the eight. If some of them come to mind later, they are worth a "
            "gentle look with your coach, whenever you are ready.",
        )
    these = "this one" if count == 1 else f"these {count}"
    return Feedback(
        "insight",
        "What keeps you holding on",
        f"You recognized {count} of the eight. Many people do after a loss like this; it is not a "
        f"judgement of you. Working on {these} with your coach can help you see your own worth "
        "more clearly.",
    )


def fresh_start_feedback(came_back: object, fresh_start: object) -> Feedback | None:
    """Their decision about a fresh start, reflected back without pushing either way.

    A "yes" also says, gently, where to turn if the partner ever hurt or frightened them: this worksheet
    asks nothing about safety, and help for two is not the help to start with after abuse.
    """
    if came_back != "yes" or fresh_start not in {"yes", "no", "not_yet"}:
        return None
    if fresh_start == "no":
        said_no = (
            "You said no. That is your decision to make, and a fair one. Your coach is there for what "
            "comes next."
        )
        return Feedback("insight", "A fresh start", said_no)
    said = {"yes": "yes", "not_yet": "not yet"}[str(fresh_start)]
    text = (
        f'You said "{said}" for now. This is your decision to make, in your own time. Whatever you '
        "choose, rebuilding values, respect and trust goes best with help, and your coach is there for that."
    )
    if fresh_start == "yes":
        text += (
            " If they ever hurt you or made you afraid, talk it through with your coach on your own first. "
            + SAFETY_HELP
        )
    return Feedback("insight", "A fresh start", text)


def care_feedback(answers: Answers) -> Feedback:
    """Look after yourself first, with more weight when children or money are involved."""
    touches = answers.get("also_touches") or []
    heavy = isinstance(touches, list) and bool({"children", "finances"} & set(touches))
    extra = " With children or money involved there is more to carry; you don't have to sort it out alone."
    extra = extra if heavy else ""
    return Feedback(
        "next_step",
        "Take care of yourself first",
        "Working through your feelings comes before anything else, and it is good to get help early." + extra,
    )


def next_step_feedback(answers: Answers) -> Feedback:
    """What to bring to the next session."""
    written = questions_answered(answers)
    detail = (
        f"You wrote about {written} of the seven questions. Bring the one that weighs on you most."
        if written
        else "Bring whichever of the seven questions weighs on you most; you can talk it through together."
    )
    return Feedback("next_step", "Your next step with your coach", detail)


REST_CAN_WAIT = Feedback(
    "next_step",
    "The rest can wait",
    "The rest of your reflection is saved, for you and your coach. There's no need to read it today.",
)


def feedback(answers: Answers) -> list[Feedback]:
    """Everything the summary says, gently ordered.

    With any sign of risk (an answer, or words of despair in a box), only crisis help, how the coach
    will be in touch, and that the rest can wait: a long summary is too much in a hard moment.
    """
    texts = [value for value in answers.values() if isinstance(value, str)]
    if AT_RISK.holds(answers) or any_at_risk(*texts):
        contact = contact_feedback(answers)
        return [CRISIS, *([contact] if contact else []), REST_CAN_WAIT]
    ticked = answers.get("beliefs") if isinstance(answers.get("beliefs"), list) else []
    why = answers.get("why_want_back")
    contact = contact_feedback(answers) if answers.get("self_harm") == RATHER_NOT_SAY else None
    items = [
        *wellbeing_feedback(answers),
        contact,
        WHY_WRITTEN if isinstance(why, str) and why.strip() else None,
        moving_on_feedback(
            answers.get("relationship_length"), answers.get("came_back"), answers.get("fresh_start")
        ),
        beliefs_feedback(beliefs_count(answers)),
        DESERVE_BETTER if "deserve_poor_treatment" in ticked else None,
        fresh_start_feedback(answers.get("came_back"), answers.get("fresh_start")),
        care_feedback(answers),
        next_step_feedback(answers),
    ]
    return in_reading_order([item for item in items if item is not None])


FLAG_RULES = (
    *WELLBEING_FLAGS,
    FlagRule(
        "deserves_poor_treatment",
        When("beliefs", "deserve_poor_treatment"),
        "ticked that, deep down, they feel they deserve to be treated poorly",
    ),
)

WORKSHEET = Worksheet(
    id="wanting-them-back",
    version=2,
    title="After they left: a reflection",
    intro="A quiet space to sort through what happened and what you want now.",
    steps=steps,
    feedback=feedback,
    flag_rules=FLAG_RULES,
)
