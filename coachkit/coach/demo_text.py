"""The words of the demo clients: names and short answers in their own voice. All invented.

Kept apart from the generator so the generator reads as logic. Nothing here is, or came from, a real client.
"""

from __future__ import annotations

NAMES = (
    "Maya Okafor",
    "Daniel Brooks",
    "Priya Nair",
    "Tomasz Kowalski",
    "Grace Mensah",
    "Leo Fischer",
    "Aisha Rahman",
    "Sam Whitaker",
    "Elena Duarte",
    "Jonah Lindqvist",
    "Hannah O'Neill",
    "Marcus Bell",
    "Yuki Tanaka",
    "Rosa Jiménez",
    "Oliver Grant",
    "Chloe Martin",
)

TEXTS: dict[tuple[str, str], tuple[str, ...]] = {
    ("fight-or-make-it-right", "recent_fight"): (
        "We argued about whose turn it was to pick up the kids. It got loud fast.",
        "Money again. I said something sarcastic about the credit card bill and we didn't speak all evening.",
        "He was on his phone all through dinner and I snapped at him.",
        "She forgot we had plans with my parents. I slammed the door.",
        "A small thing about the dishes turned into everything that's wrong with us.",
        "We fought about the holidays, again. I brought up last year.",
        "I came home late and didn't text. It started as a question and ended as a fight.",
        "We argued in the car on the way to a party and then pretended to be fine all night.",
    ),
    ("fight-or-make-it-right", "making_it_right"): (
        "Saying sorry for the tone, even if I still think I had a point.",
        "Taking a walk first and talking once I had calmed down.",
        "Asking what she actually needed instead of defending myself.",
        "Not bringing up the past. Sticking to the one thing.",
        "Listening to the end before answering.",
        "Agreeing on a time to talk about money, instead of at 11pm.",
    ),
    ("anger-plan-practice", "note"): (
        "Walked around the block. Came back calmer and we actually talked.",
        "I said the statements but my voice was still sharp.",
        "Forgot the plan completely until afterwards.",
        "Took longer than I said to come back. Need to be more realistic.",
        "Headphones and a playlist worked. She noticed I came back on time.",
        "It felt awkward to say it out loud, but it stopped the argument.",
        "Noticed my jaw tightening early this time. That helped.",
        "We laughed about it later. First time in a while.",
    ),
    ("my-anger-plan", "own_signs"): (
        "I start pacing",
        "I stop listening and plan my answer",
        "My hands shake",
        "I get very quiet and cold",
    ),
    ("my-anger-plan", "care_words"): (
        "We have built a home together and I want our kids to see us get through things.",
        "She is my best friend. I don't want to lose that over small things.",
        "I care about how safe he feels with me.",
        "Twelve years together. I want the next twelve to be kinder.",
    ),
    ("my-anger-plan", "own_action"): (
        "make a cup of tea in the garden",
        "play guitar for a bit",
        "sit in the car and breathe",
        "water the plants",
    ),
}
"""Answers in the client's own words, by (worksheet, field)."""

GENERIC_TEXTS = (
    "I hadn't thought about it that way before.",
    "Writing it down made it clearer.",
    "Still working this one out. Want to talk about it next session.",
    "Honestly, a bit of both.",
    "It was hard to answer, but I think this is true.",
    "I noticed this more often this month.",
    "My sister said the same thing to me last year.",
)
"""For any other text question: short, plausible, and never specific to a worksheet."""

SHORT_TEXTS = ("Not sure yet", "Work stress", "Family", "Time together", "Trust")
"""For short text questions with a small limit."""
