"""Worksheet definitions: malformed ones are refused loudly, and steps' answers are checked on the server."""

from __future__ import annotations

import pytest

from coachkit.worksheet import (
    FlagRule,
    Option,
    ShortText,
    SingleChoice,
    Step,
    When,
    Worksheet,
    WorksheetDefinitionError,
    YesNo,
    check_all,
    check_step,
    is_shown,
    shown_steps,
)
from coachkit.worksheet.safety_net import CRISIS, STOPPED_FLAG, WORDS_FLAG

MOODS = (Option("good", "Good"), Option("bad", "Bad"))


def worksheet(*steps: Step, sheet_id: str = "demo-sheet", version: int = 1) -> Worksheet:
    return Worksheet(id=sheet_id, version=version, title="Demo", steps=steps)


def two_step_sheet() -> Worksheet:
    """Step one asks a mood and (only when bad) why; step two asks a yes/no and an optional note."""
    return worksheet(
        Step(
            "feelings",
            "Feelings",
            (
                SingleChoice(id="mood", label="Your mood", options=MOODS),
                ShortText(id="why", label="Why?", max_length=20, shown_if=When("mood", "bad")),
            ),
        ),
        Step(
            "plans",
            "Plans",
            (
                YesNo(id="ready", label="Ready?"),
                ShortText(id="note", label="A note", required=False, max_length=20),
            ),
        ),
    )


def refusal(*steps: Step, sheet_id: str = "demo-sheet") -> str:
    with pytest.raises(WorksheetDefinitionError) as refused:
        worksheet(*steps, sheet_id=sheet_id)
    return str(refused.value)


# -- malformed definitions -------------------------------------------------------------------


def test_a_sound_worksheet_is_built():
    sheet = two_step_sheet()
    assert [step.id for step, _ in sheet.all_fields()] == ["feelings", "feelings", "plans", "plans"]


def test_field_finds_a_field_by_id_in_any_step():
    assert two_step_sheet().field("ready").label == "Ready?"


def test_field_raises_key_error_for_an_unknown_id():
    with pytest.raises(KeyError):
        two_step_sheet().field("nope")


def test_duplicate_field_ids_name_worksheet_step_and_field():
    message = refusal(
        Step("one", "One", (YesNo(id="same", label="A"),)),
        Step("two", "Two", (YesNo(id="same", label="B"),)),
    )
    assert "worksheet 'demo-sheet'" in message
    assert "step 'two'" in message
    assert "field 'same'" in message
    assert "another field already has this id" in message


def test_duplicate_field_ids_within_one_step_are_refused():
    message = refusal(Step("one", "One", (YesNo(id="same", label="A"), YesNo(id="same", label="B"))))
    assert "step 'one', field 'same': another field already has this id" in message


@pytest.mark.parametrize("bad_id", ["Upper", "has-dash", "9lives", "with space", ""])
def test_a_bad_field_id_names_worksheet_step_and_field(bad_id):
    message = refusal(Step("one", "One", (YesNo(id=bad_id, label="A"),)))
    assert f"worksheet 'demo-sheet', step 'one', field {bad_id!r}" in message
    assert "its id must be" in message


def test_a_field_id_with_a_trailing_newline_is_refused():
    message = refusal(Step("one", "One", (YesNo(id="ready\n", label="A"),)))
    assert "field 'ready\\n'" in message


@pytest.mark.parametrize("bad_id", ["Demo", "demo sheet", "-demo", "demo!"])
def test_a_bad_worksheet_id_is_refused(bad_id):
    message = refusal(Step("one", "One", (YesNo(id="a", label="A"),)), sheet_id=bad_id)
    assert f"worksheet {bad_id!r}: its id must be" in message


def test_a_version_below_one_is_refused():
    with pytest.raises(WorksheetDefinitionError, match="version must be 1 or more"):
        worksheet(Step("one", "One", (YesNo(id="a", label="A"),)), version=0)


def test_a_choice_with_one_option_names_worksheet_step_and_field():
    only = SingleChoice(id="mood", label="Mood", options=(Option("good", "Good"),))
    message = refusal(Step("one", "One", (only,)))
    assert "worksheet 'demo-sheet', step 'one', field 'mood': a choice needs at least two options" in message


def test_duplicate_option_values_name_worksheet_step_and_field():
    twins = SingleChoice(id="mood", label="Mood", options=(Option("x", "X"), Option("x", "Also X")))
    message = refusal(Step("one", "One", (twins,)))
    assert "worksheet 'demo-sheet', step 'one', field 'mood': two options share a value" in message


def test_shown_if_naming_a_later_field_is_refused():
    early = YesNo(id="early", label="Early", shown_if=When("late", True))
    message = refusal(Step("one", "One", (early, YesNo(id="late", label="Late"))))
    assert (
        "worksheet 'demo-sheet', step 'one', field 'early': shown_if names late, which must be a field "
        "that comes before it" in message
    )


def test_shown_if_naming_a_field_in_a_later_step_is_refused():
    early = YesNo(id="early", label="Early", shown_if=When("late", True))
    message = refusal(Step("one", "One", (early,)), Step("two", "Two", (YesNo(id="late", label="L"),)))
    assert (
        "step 'one', field 'early': shown_if names late, which must be a field that comes before" in message
    )


def test_shown_if_naming_an_unknown_field_is_refused():
    lost = YesNo(id="lost", label="Lost", shown_if=When("nowhere", True))
    message = refusal(Step("one", "One", (lost,)))
    assert "step 'one', field 'lost': shown_if names nowhere, which must be a field" in message


def test_shown_if_naming_itself_is_refused():
    loop = YesNo(id="loop", label="Loop", shown_if=When("loop", True))
    assert "field 'loop': shown_if" in refusal(Step("one", "One", (loop,)))


def test_shown_if_naming_a_field_in_an_earlier_step_is_accepted():
    later = YesNo(id="later", label="Later", shown_if=When("first", True))
    sheet = worksheet(Step("one", "One", (YesNo(id="first", label="First"),)), Step("two", "Two", (later,)))
    assert sheet.field("later").shown_if == When("first", True)


def test_no_steps_names_the_worksheet():
    assert refusal() == "worksheet 'demo-sheet': it has no steps"


def test_an_empty_step_names_worksheet_and_step():
    message = refusal(Step("empty", "Empty", ()))
    assert "worksheet 'demo-sheet', step 'empty': it has no fields" in message


def test_duplicate_step_ids_are_refused():
    message = refusal(
        Step("same", "One", (YesNo(id="a", label="A"),)),
        Step("same", "Two", (YesNo(id="b", label="B"),)),
    )
    assert "step 'same': step ids must be unique" in message


def test_every_problem_is_reported_at_once():
    message = refusal(
        Step("one", "One", (YesNo(id="Bad", label="A"), YesNo(id="ok", label=" "))),
        Step("two", "Two", ()),
    )
    assert "field 'Bad'" in message
    assert "field 'ok': it has no label" in message
    assert "step 'two': it has no fields" in message


def test_something_that_is_not_a_field_is_refused_as_a_definition_error():
    message = refusal(Step("one", "One", ("not a field",)))  # type: ignore[arg-type]
    assert "worksheet 'demo-sheet', step 'one'" in message
    assert "is not a Field" in message


# -- is_shown --------------------------------------------------------------------------------


def test_a_field_without_a_condition_is_always_shown():
    assert is_shown(YesNo(id="a", label="A"), {})


def test_a_conditional_field_follows_the_earlier_answer():
    why = two_step_sheet().field("why")
    assert is_shown(why, {"mood": "bad"})
    assert not is_shown(why, {"mood": "good"})
    assert not is_shown(why, {})


# -- check_step ------------------------------------------------------------------------------


def test_check_step_returns_the_clean_answers():
    first = two_step_sheet().steps[0]
    checked = check_step(first, {"mood": "bad", "why": "tired"}, {})
    assert checked.ok
    assert checked.clean == {"mood": "bad", "why": "tired"}


def test_check_step_reports_a_missing_required_answer():
    first = two_step_sheet().steps[0]
    checked = check_step(first, {}, {})
    assert not checked.ok
    assert checked.errors == {"mood": "Please choose one of the options."}
    assert "mood" not in checked.clean


def test_check_step_ignores_answers_forged_for_other_steps():
    first = two_step_sheet().steps[0]
    checked = check_step(first, {"mood": "good", "ready": True, "note": "forged", "admin": 1}, {})
    assert checked.clean == {"mood": "good", "why": None}


def test_check_step_saves_a_hidden_field_as_unanswered_whatever_was_sent():
    first = two_step_sheet().steps[0]
    checked = check_step(first, {"mood": "good", "why": "sent anyway"}, {})
    assert checked.ok
    assert checked.clean["why"] is None


def test_check_step_does_not_check_a_hidden_field():
    first = two_step_sheet().steps[0]
    checked = check_step(first, {"mood": "good", "why": "x" * 1000}, {})
    assert checked.ok


def test_check_step_requires_a_shown_conditional_field():
    first = two_step_sheet().steps[0]
    checked = check_step(first, {"mood": "bad"}, {})
    assert set(checked.errors) == {"why"}


def test_check_step_reads_conditions_from_earlier_answers():
    later = YesNo(id="later", label="Later", shown_if=When("first", True))
    sheet = worksheet(Step("one", "One", (YesNo(id="first", label="First"),)), Step("two", "Two", (later,)))
    assert check_step(sheet.steps[1], {"later": True}, {"first": False}).clean == {"later": None}
    assert check_step(sheet.steps[1], {"later": True}, {"first": True}).clean == {"later": True}


def test_check_step_without_required_lets_blanks_through_as_none():
    second = two_step_sheet().steps[1]
    checked = check_step(second, {"ready": None, "note": "  "}, {}, enforce_required=False)
    assert checked.ok
    assert checked.clean == {"ready": None, "note": None}


def test_check_step_without_required_still_refuses_an_invalid_answer():
    second = two_step_sheet().steps[1]
    checked = check_step(second, {"ready": "yes", "note": "x" * 21}, {}, enforce_required=False)
    assert set(checked.errors) == {"ready", "note"}
    assert checked.clean == {}


def test_check_step_without_required_still_refuses_a_forged_option():
    first = two_step_sheet().steps[0]
    checked = check_step(first, {"mood": "ecstatic"}, {}, enforce_required=False)
    assert "isn't one of the options" in checked.errors["mood"]


def test_check_step_keeps_the_valid_answers_beside_an_error():
    second = two_step_sheet().steps[1]
    checked = check_step(second, {"ready": True, "note": "x" * 21}, {})
    assert checked.clean == {"ready": True}
    assert set(checked.errors) == {"note"}


# -- check_all -------------------------------------------------------------------------------


def test_check_all_finds_nothing_wrong_with_complete_answers():
    answers = {"mood": "bad", "why": "tired", "ready": True}
    assert check_all(two_step_sheet(), answers) == {}


def test_check_all_reports_missing_answers_from_every_step():
    assert set(check_all(two_step_sheet(), {})) == {"mood", "ready"}


def test_check_all_ignores_a_hidden_field():
    assert check_all(two_step_sheet(), {"mood": "good", "ready": False}) == {}


def test_check_all_requires_a_field_its_condition_shows():
    assert set(check_all(two_step_sheet(), {"mood": "bad", "ready": False})) == {"why"}


def test_check_all_refuses_a_stored_answer_that_is_no_longer_valid():
    errors = check_all(two_step_sheet(), {"mood": "bad", "why": "ok", "ready": "maybe"})
    assert errors == {"ready": "Please answer yes or no."}


# -- steps shown only when their condition holds ---------------------------------------------


def sheet_with_a_conditional_step() -> Worksheet:
    """Step two is asked only when the mood is bad; step three always."""
    return worksheet(
        Step("feelings", "Feelings", (SingleChoice(id="mood", label="Your mood", options=MOODS),)),
        Step("why", "Why", (ShortText(id="why", label="Why?"),), shown_if=When("mood", "bad")),
        Step("end", "End", (YesNo(id="ready", label="Ready?"),)),
    )


def test_shown_steps_follow_the_answers():
    sheet = sheet_with_a_conditional_step()
    assert shown_steps(sheet, {"mood": "good"}) == [0, 2]
    assert shown_steps(sheet, {"mood": "bad"}) == [0, 1, 2]
    assert shown_steps(sheet, {}) == [0, 2]


def test_a_hidden_step_saves_nothing_whatever_was_sent():
    step = sheet_with_a_conditional_step().steps[1]
    checked = check_step(step, {"why": "forged"}, {"mood": "good"})
    assert checked.ok and checked.clean == {"why": None}


def test_check_all_does_not_require_a_hidden_steps_answers():
    sheet = sheet_with_a_conditional_step()
    assert check_all(sheet, {"mood": "good", "ready": True}) == {}
    assert set(check_all(sheet, {"mood": "bad", "ready": True})) == {"why"}


def test_a_step_condition_naming_a_later_field_is_refused():
    late = Step("late", "Late", (YesNo(id="late", label="Late"),))
    early = Step("early", "Early", (YesNo(id="early", label="Early"),), shown_if=When("late", True))
    assert "step 'early': shown_if names late" in refusal(early, late)


# -- answers carried from the client's other worksheets ---------------------------------------


def carrying_sheet() -> Worksheet:
    return Worksheet(
        id="carrier",
        version=1,
        title="Carrier",
        steps=(Step("one", "One", (YesNo(id="asked", label="Asked?", shown_if=When("elsewhere", True)),)),),
        carries=("elsewhere",),
    )


def test_a_condition_may_read_a_carried_field():
    assert carrying_sheet().field("asked").shown_if == When("elsewhere", True)


def test_check_all_reads_conditions_from_carried_answers():
    assert check_all(carrying_sheet(), {}, {"elsewhere": True}) == {"asked": "Please answer yes or no."}
    assert check_all(carrying_sheet(), {}, {"elsewhere": False}) == {}


# -- flags -------------------------------------------------------------------------------------


def flagged_sheet() -> Worksheet:
    return Worksheet(
        id="flagged",
        version=1,
        title="Flagged",
        steps=(
            Step(
                "one",
                "One",
                (SingleChoice(id="mood", label="Mood", options=MOODS), ShortText(id="note", label="Note")),
            ),
        ),
        flag_rules=(FlagRule("low", When("mood", "bad"), "said their mood is bad", "attention"),),
    )


def test_flags_come_from_the_rules():
    assert flagged_sheet().flags({"mood": "bad"}) == {"low"}
    assert flagged_sheet().flags({"mood": "good"}) == set()


def test_every_worksheet_with_text_boxes_flags_words_of_despair():
    sheet = flagged_sheet()
    assert sheet.flags({"mood": "good", "note": "I can't see the point of going on"}) == {WORDS_FLAG}
    rule = sheet.flag_rule(WORDS_FLAG)
    assert rule is not None and rule.level == "crisis" and rule.when.fields() == {"note"}


def test_a_worksheet_without_text_boxes_has_only_its_own_rules_and_the_stopped_flag():
    sheet = worksheet(Step("one", "One", (YesNo(id="ok", label="OK?"),)))
    assert [rule.id for rule in sheet.all_flag_rules] == [STOPPED_FLAG]
    assert sheet.flags({"ok": True}) == set()  # raised only by stopping after a sign of crisis


def test_a_flag_rule_naming_an_unknown_field_is_refused():
    with pytest.raises(WorksheetDefinitionError, match="flag 'lost': when names nowhere"):
        Worksheet(
            id="lost-flag",
            version=1,
            title="Lost",
            steps=(Step("one", "One", (YesNo(id="ok", label="OK?"),)),),
            flag_rules=(FlagRule("lost", When("nowhere", True), "never"),),
        )


def test_the_summary_puts_crisis_help_first_when_words_of_despair_were_written():
    sheet = flagged_sheet()
    items = sheet.summary_feedback({"mood": "good", "note": "honestly I want to die"})
    assert items[0] == CRISIS
    assert sheet.summary_feedback({"mood": "good", "note": "a calm week"}) == []
