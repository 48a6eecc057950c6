"""Conditions on answers: which fields they read, and when they hold."""

import pytest

from coachkit.worksheet import AllOf, AnyOf, Not, Satisfies, When
from coachkit.worksheet.conditions import holds


def test_when_holds_for_any_of_its_values():
    condition = When("felt_unsafe", "yes", "rather_not_say")
    assert condition.holds({"felt_unsafe": "yes"})
    assert condition.holds({"felt_unsafe": "rather_not_say"})
    assert not condition.holds({"felt_unsafe": "no"})
    assert not condition.holds({})


def test_when_none_holds_while_unanswered():
    assert When("back_how", None).holds({})
    assert not When("back_how", None).holds({"back_how": "agree"})


def test_when_on_a_checklist_holds_if_one_value_is_ticked():
    condition = When("beliefs", "my_fault")
    assert condition.holds({"beliefs": ["afraid_alone", "my_fault"]})
    assert not condition.holds({"beliefs": ["afraid_alone"]})
    assert not condition.holds({"beliefs": []})


def test_when_tells_yes_from_true():
    assert When("ok", True).holds({"ok": True})
    assert not When("ok", True).holds({"ok": "yes"})
    assert not When("ok", False).holds({})


@pytest.mark.parametrize(
    ("answers", "any_of", "all_of"),
    [({"a": 1, "b": 1}, True, True), ({"a": 1}, True, False), ({}, False, False)],
)
def test_any_of_and_all_of(answers, any_of, all_of):
    pair = (When("a", 1), When("b", 1))
    assert AnyOf(*pair).holds(answers) is any_of
    assert AllOf(*pair).holds(answers) is all_of


def test_not_turns_a_condition_round():
    assert Not(When("a", 1)).holds({})
    assert not Not(When("a", 1)).holds({"a": 1})


def test_every_condition_names_the_fields_it_reads():
    condition = AnyOf(When("a", 1), Not(AllOf(When("b", 2), Satisfies(("c", "d"), lambda c, d: c == d))))
    assert condition.fields() == {"a", "b", "c", "d"}


def test_test_calls_its_function_with_the_answers_in_order():
    longer = Satisfies(("first", "second"), lambda first, second: len(first or "") > len(second or ""))
    assert longer.holds({"first": "abc", "second": "a"})
    assert not longer.holds({"first": "a", "second": "abc"})
    assert not longer.holds({})


def test_no_condition_always_holds():
    assert holds(None, {})
    assert not holds(When("a", 1), {})
