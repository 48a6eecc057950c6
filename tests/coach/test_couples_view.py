"""The coach's couple view: both partners side by side only while the gate is open, never a private answer."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from coachkit.coach import couples, exports
from coachkit.coach.couple_box import CoupleBox
from coachkit.couples.service import offer_share
from coachkit.couples.shared import shared_content
from coachkit.exercises import get_worksheet
from tests.coach.conftest import FIGHT, HOSTILE, fight, fill

SHEET = get_worksheet(FIGHT)


def html_of(widget: w.Widget) -> str:
    found = [widget.value] if isinstance(widget, w.HTML) else []
    for child in getattr(widget, "children", ()):
        found.append(html_of(child))
    return "".join(found)


def buttons(widget: w.Widget) -> dict[str, w.Button]:
    found = {widget.description: widget} if isinstance(widget, w.Button) else {}
    for child in getattr(widget, "children", ()):
        found.update(buttons(child))
    return found


def box(store, client) -> tuple[CoupleBox, list[str]]:  # type: ignore[no-untyped-def]
    said: list[str] = []
    made = CoupleBox(store, client, said.append, lambda: None, lambda message: said.append("failed"))
    return made, said


def a_couple(store, **second: Any):  # type: ignore[no-untyped-def]
    ana, ben = store.add_client("Ana Lane"), store.add_client(HOSTILE)
    fill(store, ana, FIGHT, fight(role="receiver", frequency="weekly"))
    fill(store, ben, FIGHT, fight(role="receiver", frequency="rarely", **second))
    store.link_partners(ana.id, ben.id)
    return ana, ben


def test_calm_partners_are_set_side_by_side_with_the_differences_marked_and_names_escaped(store):
    ana, _ben = a_couple(store)
    made, _ = box(store, ana)
    page = html_of(made.view)
    assert "Neither has said anyone was hurt or frightened" in page
    assert "Fight or make it right?: side by side" in page
    assert "Each says they are usually on the receiving end" in page
    assert "one says “About once a week”, the other “Rarely, a few times a year”" in page
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "ever hurt you or made you afraid" not in page  # never a private question


def test_when_one_partner_says_they_were_hurt_nothing_joint_is_shown_and_the_coach_reads_why(store):
    ana, _ben = a_couple(store, been_hurt="yes")
    page = html_of(box(store, ana)[0].view)
    assert "Kept apart" in page and "said someone has hurt or frightened them" in page
    assert "See them on their own first" in page
    assert "side by side" not in page


def test_linking_from_the_page_and_refusing_a_partner_in_another_couple(store):
    ana, ben, cy = store.add_client("Ana"), store.add_client("Ben"), store.add_client("Cy")
    made, said = box(store, ana)
    buttons(made.view)["Link as partners"].click()  # the first other client: Ben
    assert store.find_partner(ana.id) == ben.id and said[-1] == "Linked as partners."
    cy_box, _ = box(store, cy)
    assert "Link as partners" not in buttons(cy_box.view)  # no one left to link: Ana and Ben are taken


def test_a_share_is_read_by_the_coach_exactly_as_the_partner_will_read_it_then_approved(store):
    ana, ben = a_couple(store)
    [done] = [r for r in store.find_responses(ana.id) if r.status == "completed"]
    share = offer_share(store, ana, done.id, "summary")
    made, said = box(store, ben)
    page = html_of(made.view)
    content = shared_content(SHEET, store.get_answers(done.id), "summary")
    assert "waiting for your approval" in page
    assert all(line.replace("'", "&#x27;").replace('"', "&quot;") in page for line in content.lines[:3])
    buttons(made.view)["Approve"].click()
    assert store.get_share(share.id).live and said[-1].startswith("Approved")


def test_a_shared_summary_holds_no_private_answer_and_no_safety_card():
    answers = fight(been_hurt="yes", safe_contact="some", contact_how="texts only", role="receiver")
    lines = " ".join(shared_content(SHEET, answers, "summary").lines)
    assert "texts only" not in lines and "Your safety comes first" not in lines
    assert "ever hurt you" not in lines and "In your fights" in lines


def test_the_couple_frame_has_a_partner_column_and_only_compared_questions(store):
    ana, ben = a_couple(store)
    frame = couples.couple_answers(store, ana, ben)
    assert set(frame["partner"]) == {"first", "second"}
    assert set(frame["field"]) <= set(SHEET.couples.compare)
    assert "couple" in exports.tables(store, ana.id)
