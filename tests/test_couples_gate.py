"""The couples' safety gate, as a pure function: every combination of both partners' safety answers."""

from __future__ import annotations

import itertools

import pytest

from coachkit.couples.gate import CLOSING_FLAGS, PartnerSafety, gate

ANSWERS = ["yes", "no", "rather_not_say", None]


def partner(name: str, hurt, hurting, **more) -> PartnerSafety:  # type: ignore[no-untyped-def]
    return PartnerSafety(name, {"been_hurt": hurt, "hurt_partner": hurting, **more})


@pytest.mark.parametrize(("a_hurt", "a_hurting", "b_hurt", "b_hurting"), itertools.product(ANSWERS, repeat=4))
def test_the_gate_opens_only_when_both_partners_said_no_to_both(a_hurt, a_hurting, b_hurt, b_hurting):
    checked = gate(partner("Ana", a_hurt, a_hurting), partner("Ben", b_hurt, b_hurting))
    assert checked.open is ({a_hurt, a_hurting, b_hurt, b_hurting} == {"no"})
    assert bool(checked.reasons) is not checked.open
    for name, hurt, hurting in (("Ana", a_hurt, a_hurting), ("Ben", b_hurt, b_hurting)):
        said = [reason for reason in checked.reasons if reason.startswith(name)]
        assert (f"{name} said someone has hurt or frightened them" in said) is (hurt == "yes")
        assert (f"{name} said they have hurt or frightened a partner" in said) is (hurting == "yes")
        assert (f"{name} chose not to say whether anyone was hurt or frightened" in said) is (
            "rather_not_say" in (hurt, hurting)
        )
        assert (f"{name} has not answered both safety questions yet" in said) is (None in (hurt, hurting))


@pytest.mark.parametrize(
    "more",
    [
        {"unsafe_this_time": "yes"},
        {"physical_this_time": "yes"},
        {"physical_this_time": "rather_not_say"},
        {"felt_unsafe": "yes"},
        {"been_physical": "yes"},
        {"treated_poorly": "yes"},
    ],
)
def test_any_later_or_earlier_sign_closes_it_too(more):
    assert not gate(partner("Ana", "no", "no", **more), partner("Ben", "no", "no")).open


@pytest.mark.parametrize("flag", sorted(CLOSING_FLAGS))
def test_words_of_danger_or_despair_or_a_crisis_close_it(flag):
    ana = PartnerSafety("Ana", {"been_hurt": "no", "hurt_partner": "no"}, frozenset({flag}))
    checked = gate(ana, partner("Ben", "no", "no"))
    assert not checked.open and checked.reasons == (f"Ana {CLOSING_FLAGS[flag]}",)


def test_calm_partners_open_it():
    assert gate(partner("Ana", "no", "no"), partner("Ben", "no", "no")).open
