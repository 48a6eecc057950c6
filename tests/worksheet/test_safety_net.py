"""Words of despair or self-harm, in any text box, bring crisis help: broad on purpose, plain otherwise."""

import pytest

from coachkit.worksheet.safety_net import sounds_at_risk

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
]
NOT_AT_RISK = [
    "We argued about the dishes again.",
    "I walked it off and came back at six.",
    "There's no point arguing about money at midnight",
    "I want to know why now",
    "The pointless fight about the car",
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
