"""Words of despair or self-harm, in any text box, bring crisis help: broad on purpose, plain otherwise."""

import pytest

from coachkit.worksheet.safety_net import sounds_at_risk, sounds_unsafe

AT_RISK = [
    "I can't see the point of going on",
    "I can’t see the point any more",
    "There's no point in living without her",
    "sometimes I think about ending it all",
    "I want to die",
    "I've thought about suicide",
    "I have been self-harming again",
    "they'd be better off without me",
    "I don't want to wake up tomorrow",
    "I wish I was dead",
    "I could kill myself for saying that",
    "I'm going to hurt myself",
    "life is not worth living",
    "I can't go on without him",
    "I can't go on like this",
    "there's no reason to live",
    "I wish I could just die",
    "I want to sleep and never wake up",
    "I took an overdose last year",
    "I can't see the point any more.",
]
NOT_AT_RISK = [
    "We argued about the dishes again.",
    "I walked it off and came back at six.",
    "There's no point arguing about money at midnight",
    "I want to know why now",
    "The pointless fight about the car",
    "He said he was ending things",
    "I cut myself off from friends",
    "I can't see the point of arguing about it",
    "",
]
DANGER = [
    "He hit me and threatened to kill me",
    "she pushed me against the wall",
    "he choked me",
    "They threatened to take the kids",
    "I'm scared of him when he drinks",
    "I fear for my safety",
    "he keeps hitting me",
]
NOT_DANGER = [
    "It hurts me when she says that",
    "they hurt me so much by leaving",
    "He hit the roof when I told him",
    "I pushed myself to go to the gym",
    "",
]


@pytest.mark.parametrize("text", AT_RISK)
def test_words_of_despair_are_noticed(text):
    assert sounds_at_risk(text)


@pytest.mark.parametrize("text", NOT_AT_RISK)
def test_everyday_words_are_not(text):
    assert not sounds_at_risk(text)


@pytest.mark.parametrize("value", [None, True, 3, ["i want to die"]])
def test_only_text_is_read(value):
    assert not sounds_at_risk(value)


@pytest.mark.parametrize("text", DANGER)
def test_words_of_being_hurt_or_threatened_are_noticed(text):
    assert sounds_unsafe(text)


@pytest.mark.parametrize("text", NOT_DANGER)
def test_ordinary_hurt_feelings_are_not(text):
    assert not sounds_unsafe(text)
