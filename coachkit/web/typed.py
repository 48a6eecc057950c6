"""Saving the words a page kept while the server was away (see ``unsaved.py``): each text checked by its
worksheet's own ``Field.clean`` (with the step's conditions, as the wizard checks it) and saved through an
``Attempt``, so that its flags and alerts are raised as from the page, with compare-and-set: only while the
page still writes the draft (no other tab has taken it over), and on top of the version just read. The
worksheet is read in the draft's own language, so the response keeps it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from coachkit.attempt import Attempt
from coachkit.exercises import worksheets_in
from coachkit.i18n import DEFAULT, served
from coachkit.store import MissingEntry, Store, StoreError
from coachkit.worksheet import ShortText, check_step

DRAFT = re.compile(r"([0-9]{1,12})-([0-9a-f]{16})\Z")
"""A page's draft and itself as its writer, as the wizard names them (``ck-draft-<id>-<writer>``)."""


@dataclass
class Outcome:
    """Which of the texts sent are now in the store, and which are not."""

    saved: list[str] = field(default_factory=list)
    unsaved: list[str] = field(default_factory=list)


def save_typed(store: Store, client_id: int, draft: str, typed: dict[str, Any]) -> Outcome:
    """Save ``typed`` (field id → text) into the client's draft named by ``draft`` (``<id>-<writer>``),
    where each is valid and the page still writes that draft; say what was and was not saved."""
    attempt = _attempt(store, client_id, draft)
    if attempt is None:
        return Outcome(unsaved=sorted(typed))
    outcome = Outcome()
    for index, step in enumerate(attempt.worksheet.steps):
        boxes = {item.id for item in step.fields if isinstance(item, ShortText)}
        texts = {key: value for key, value in typed.items() if key in boxes}
        if texts:
            _save_step(attempt, index, texts, outcome)
    outcome.unsaved += sorted(typed.keys() - {*outcome.saved, *outcome.unsaved})
    return outcome


def _attempt(store: Store, client_id: int, draft: str) -> Attempt | None:
    """The client's draft named by ``draft``, written as the page it names, or None."""
    found = DRAFT.match(draft or "")
    if found is None:
        return None
    try:
        response = store.get_response(int(found.group(1)))
        worksheet = worksheets_in(served(response.language) or DEFAULT).get(response.worksheet_id)
        if response.client_id != client_id or response.status != "draft" or worksheet is None:
            return None
        if worksheet.version != response.worksheet_version:
            return None
        attempt = Attempt.resume(store, worksheet, store.get_client(client_id), response)
    except MissingEntry:
        return None
    attempt.writer = found.group(2)
    return attempt


def _save_step(attempt: Attempt, index: int, texts: dict[str, Any], outcome: Outcome) -> None:
    """Save the step's texts that its checks accept (a box its conditions hide takes no words)."""
    step = attempt.worksheet.steps[index]
    raw = {item.id: attempt.answers.get(item.id) for item in step.fields} | texts
    checked = check_step(step, raw, attempt.facts, enforce_required=False)
    valid = {
        key: checked.clean[key]
        for key in texts
        if key in checked.clean and not (checked.clean[key] is None and texts[key].strip())
    }
    changed = {key: value for key, value in valid.items() if attempt.answers.get(key) != value}
    if changed:
        try:
            attempt.save_step(index, changed, attempt.step_index)
        except StoreError:  # taken over, changed since, finished, gone, or the store cannot write
            outcome.unsaved += sorted(texts)
            return
    outcome.saved += sorted(valid)
    outcome.unsaved += sorted(texts.keys() - valid.keys())
