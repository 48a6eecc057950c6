"""``coachkit assign``, ``unassign``, ``homework`` and ``programmes``: thin commands, plain refusals."""

from __future__ import annotations

from click.testing import CliRunner

from coachkit.cli import main
from coachkit.store import Store


def run(store_url: str, *arguments: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, [*arguments, "--database", store_url])


def test_assign_list_and_unassign_from_the_command_line(store_url):
    Store(store_url).add_client("Sam Lee")
    made = run(store_url, "assign", "Sam Lee", "--programme", "after-a-fight")
    assert made.exit_code == 0 and made.output.count("Assigned to Sam Lee") == 3
    one = run(
        store_url, "assign", "Sam Lee", "my-anger-plan", "--due", "tomorrow", "--note", "Take your time"
    )
    assert one.exit_code == 0 and "due " in one.output
    listed = run(store_url, "homework", "Sam Lee")
    assert listed.exit_code == 0 and "due tomorrow" in listed.output and "[after-a-fight]" in listed.output
    gone = run(store_url, "unassign", "Sam Lee", "after-a-fight")
    assert gone.exit_code == 0 and gone.output.count("Unassigned") == 3
    kept = Store(store_url).find_assignments(ended=True)
    assert len(kept) == 4 and sum(a.ended_at is not None for a in kept) == 3


def test_what_cannot_be_assigned_is_said_plainly(store_url):
    Store(store_url).add_client("Sam Lee")
    for arguments, said in [
        (("assign", "Sam Lee", "nope"), "no worksheet 'nope'; known:"),
        (("assign", "Sam Lee", "my-anger-plan", "--due", "2020-01-01"), "the due date 2020-01-01 has passed"),
        (("assign", "Sam Lee", "my-anger-plan", "--due", "blursday"), "is not a day"),
        (("assign", "Sam Lee", "--programme", "nope"), "no programme 'nope'"),
        (("assign", "Sam Lee", "my-anger-plan", "--every", "7"), "--every and --times go together"),
        (("unassign", "Sam Lee", "my-anger-plan"), "has no open homework"),
        (("assign", "Nobody", "my-anger-plan"), "no client named or coded"),
    ]:
        result = run(store_url, *arguments)
        assert result.exit_code != 0 and said in result.output, (arguments, result.output)
        assert "Traceback" not in result.output
    assert Store(store_url).find_assignments(ended=True) == []


def test_programmes_are_listed():
    result = CliRunner().invoke(main, ["programmes"])
    assert (
        result.exit_code == 0 and "after-a-fight  After a fight, four weeks  (3 worksheets)" in result.output
    )
