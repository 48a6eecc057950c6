"""Couples through the store (both databases) and the command: linking, the gate at every step, sharing."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from coachkit.attempt import Attempt
from coachkit.cli import main
from coachkit.couples.service import CLOSED_FOR_CLIENT, approve_share, couple_gate, offer_share, shares_for
from coachkit.exercises import get_worksheet
from coachkit.store import CoupleRefused, Store

pytestmark = pytest.mark.both_backends
FIGHT = get_worksheet("fight-or-make-it-right")
CALM = {"been_hurt": "no", "hurt_partner": "no", "safe_contact": "any"}


def finish(store: Store, client, **safety: str) -> int:  # type: ignore[no-untyped-def]
    """A finished fight worksheet with these safety answers; its response id."""
    attempt = Attempt.start(store, FIGHT, client)
    attempt.save_step(0, {**CALM, **safety}, next_index=1)
    attempt.complete({"role": "receiver", "approach": "sidestep"}, 1)
    return attempt.response.id


@pytest.fixture
def couple(store):  # type: ignore[no-untyped-def]
    ana, ben = store.add_client("Ana Lane"), store.add_client("Ben Lane")
    store.link_partners(ana.id, ben.id)
    return ana, ben


def test_linking_refuses_oneself_a_partner_in_another_couple_and_an_unknown_client(store, couple):
    ana, ben = couple
    cy = store.add_client("Cy Other")
    with pytest.raises(CoupleRefused, match="their own partner"):
        store.link_partners(cy.id, cy.id)
    with pytest.raises(CoupleRefused, match="already linked"):
        store.link_partners(cy.id, ana.id)
    with pytest.raises(Exception, match="no client"):
        store.link_partners(cy.id, 99_999)
    assert store.find_partner(ana.id) == ben.id and store.find_partner(cy.id) is None
    assert store.find_couples() == [(ana.id, ben.id)]


def test_deleting_one_partner_keeps_the_others_answers_whole_and_unlinks_them(store, couple):
    ana, ben = couple
    kept = finish(store, ben)
    store.remove_client(ana.id)
    assert store.find_partner(ben.id) is None
    assert store.get_answers(kept)["role"] == "receiver"
    cy = store.add_client("Cy New")
    store.link_partners(ben.id, cy.id)  # alone again, Ben can be linked anew
    assert store.find_couples() == [(ben.id, cy.id)]


def test_the_gate_is_closed_until_both_answered_and_opens_when_both_said_no(store, couple):
    ana, ben = couple
    assert not couple_gate(store, ana.id).open
    finish(store, ana)
    assert "Ben has not answered both safety questions yet" in couple_gate(store, ana.id).reasons
    finish(store, ben)
    assert couple_gate(store, ben.id).open


@pytest.mark.parametrize(
    ("safety", "reason"),
    [
        ({"been_hurt": "yes"}, "Ben said someone has hurt or frightened them"),
        ({"hurt_partner": "yes"}, "Ben said they have hurt or frightened a partner"),
        ({"been_hurt": "rather_not_say"}, "Ben chose not to say whether anyone was hurt or frightened"),
    ],
)
def test_any_sign_closes_it_before_every_share_and_the_client_is_not_told_why(store, couple, safety, reason):
    ana, ben = couple
    offered = finish(store, ana)
    finish(store, ben)
    share = offer_share(store, ana, offered, "summary")  # both calm: Ana may offer
    finish(store, ben, **safety)  # then Ben answers a later worksheet
    assert reason in couple_gate(store, ana.id).reasons
    with pytest.raises(CoupleRefused) as refused:
        offer_share(store, ana, offered, "card")
    assert str(refused.value) == CLOSED_FOR_CLIENT and "Ben" not in str(refused.value)
    with pytest.raises(CoupleRefused, match="kept apart"):
        approve_share(store, share.id)
    store.approve_share(share.id)  # even if approved by other means, it is not shown
    assert shares_for(store, ben.id) == []


def test_a_share_is_shown_only_once_the_coach_approves_and_until_either_withdraws(store, couple):
    ana, ben = couple
    offered = finish(store, ana)
    finish(store, ben)
    share = offer_share(store, ana, offered, "card")
    assert shares_for(store, ben.id) == []
    approve_share(store, share.id)
    assert [s.id for s in shares_for(store, ben.id)] == [share.id]
    assert shares_for(store, ana.id) == []  # it is Ben's to see
    store.withdraw_share(share.id)
    assert shares_for(store, ben.id) == []


def test_only_ones_own_finished_worksheet_can_be_shared(store, couple):
    ana, ben = couple
    theirs = finish(store, ben)
    finish(store, ana)
    with pytest.raises(CoupleRefused, match="own finished worksheet"):
        store.add_share(ana.id, theirs, "summary")
    draft = Attempt.start(store, FIGHT, ana).response.id
    with pytest.raises(CoupleRefused, match="own finished worksheet"):
        store.add_share(ana.id, draft, "summary")


def test_unlinking_withdraws_every_share_between_them(store, couple):
    ana, ben = couple
    offered = finish(store, ana)
    finish(store, ben)
    share = approve_share(store, offer_share(store, ana, offered, "summary").id)
    store.unlink_partners(ben.id)
    assert store.get_share(share.id).withdrawn_at is not None
    assert store.find_partner(ana.id) is None


def test_the_command_links_checks_and_says_why_a_couple_is_kept_apart(store):
    ana, ben = store.add_client("Ana Lane"), store.add_client("Ben Lane")
    finish(store, ana, hurt_partner="yes")
    finish(store, ben)
    runner = CliRunner()
    database = ["--database", store.url]
    linked = runner.invoke(main, ["couple", "link", "Ana Lane", "Ben Lane", *database])
    assert linked.exit_code == 0, linked.output
    assert (
        "Kept apart:" in linked.output and "Ana said they have hurt or frightened a partner" in linked.output
    )
    again = runner.invoke(main, ["couple", "link", "Ana Lane", ben.code, *database])
    assert again.exit_code != 0 and "already linked" in again.output
    listed = runner.invoke(main, ["couple", "list", *database])
    assert "Ana Lane & Ben Lane: kept apart" in listed.output
