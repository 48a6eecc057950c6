"""Couples through the store, the gate asked before every joint step.

Linking and unlinking are the coach's; sharing is a partner's choice, shown to the other only once the
coach has approved it, and the gate is read again at each step (offering, approving, showing). A client
never learns why sharing is closed: the reasons name their partner's answers, and are the coach's alone.
"""

from __future__ import annotations

from coachkit.couples.gate import SAFETY_FIELDS, CoupleGate, PartnerSafety, gate
from coachkit.i18n import N_
from coachkit.store import Client, CoupleRefused, Share, Store

CLOSED_FOR_CLIENT = N_("Sharing isn't available just now. Your coach can tell you more.")
"""What a partner reads when sharing is closed: nothing about why."""


def partner_safety(store: Store, client: Client) -> PartnerSafety:
    """A partner's latest safety answers (from any worksheet) and every flag they have raised."""
    answers = store.find_latest_answers(client.id, SAFETY_FIELDS)
    rows = store.flag_rows(client.id)
    column = rows.columns.index("flag")
    flags = frozenset(str(row[column]) for row in rows.values)
    return PartnerSafety(client.name.split()[0], answers, flags)


def couple_gate(store: Store, client_id: int) -> CoupleGate:
    """The gate for this client and their partner (closed, with a reason, for a client with none)."""
    partner_id = store.find_partner(client_id)
    if partner_id is None:
        return CoupleGate(False, ("not linked to a partner",))
    first, second = store.get_client(client_id), store.get_client(partner_id)
    return gate(partner_safety(store, first), partner_safety(store, second))


def offer_share(store: Store, client: Client, response_id: int, what: str) -> Share:
    """A partner chooses to share a finished summary or card; ``CoupleRefused`` (plain words for the
    client) when the gate is closed."""
    if not couple_gate(store, client.id).open:
        raise CoupleRefused(CLOSED_FOR_CLIENT)
    return store.add_share(client.id, response_id, what)


def approve_share(store: Store, share_id: int) -> Share:
    """The coach approves a share they have read; refused while the gate is closed (it says why)."""
    share = store.get_share(share_id)
    checked = couple_gate(store, share.from_client_id)
    if not checked.open:
        raise CoupleRefused("the couple is kept apart: " + "; ".join(checked.reasons))
    return store.approve_share(share_id)


def shares_for(store: Store, client_id: int) -> list[Share]:
    """What this client's partner has shared with them and the coach approved: none while the gate is
    closed (it is read again now, whatever was approved before)."""
    live = [share for share in store.find_shares(client_id) if share.to_client_id == client_id and share.live]
    if not live or not couple_gate(store, client_id).open:
        return []
    return live
