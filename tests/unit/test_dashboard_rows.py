"""The dashboard's rows, filters, order and words, without a screen (stratui.dashboard_rows)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

from stratui.context import Context, open_context
from stratui.dashboard_read import read_rows
from stratui.dashboard_rows import (
    Filters,
    Row,
    detail_lines,
    filter_line,
    nothing_shown,
    order_rows,
    short_date,
    shown_rows,
    summary_line,
    working_days_in_words,
    working_days_short,
)
from stratui.deadlines import DeadlineKind, DeadlineState
from stratui.models import Action, ActionStatus, Discussion, Milestone

from teams import team_settings

TODAY = date(2026, 11, 25)
TEAM = team_settings()


def row(key: str, **fields: object) -> Row:
    values: dict[str, object] = {
        "discussion_id": "d1",
        "action_id": f"a-{key}",
        "kind": DeadlineKind.ACTION,
        "title": f"Action {key}",
        "owner": "Sam Patel",
        "agency": "Children's social care",
        "case_ref": "CS-1",
        "children": ("Maya Okafor",),
        "social_worker": "Sam Patel",
        "due": TODAY,
        "state": DeadlineState.DUE_TODAY,
    }
    values.update(fields)
    return Row(key=key, **values)  # type: ignore[arg-type]


def team_context(tmp_path: Path, settings: str = TEAM) -> Context:
    config = tmp_path / "settings.toml"
    config.write_text(settings, encoding="utf-8")
    return open_context(db=tmp_path / "db", config=config, today=TODAY.isoformat())


def quiet(make_discussion: Callable[..., Discussion], *actions: Action, **overrides: object) -> Discussion:
    """A discussion whose statutory steps are met: only its actions are on the dashboard."""
    held = date(2026, 11, 20)
    steps = [Milestone(key="minutes", on=held), Milestone(key="conference", on=held)]
    return make_discussion(actions=list(actions), held_on=held, concern_date=held, milestones=steps, **overrides)


def test_each_filter_narrows_and_they_combine(tmp_path: Path) -> None:
    context = team_context(tmp_path)
    rows = [
        row("mine"),
        row("police", owner="DC Lee Grant", agency="Police", social_worker="Jo Reid"),
        row("stranger", owner="Someone Else", agency="Police", social_worker="Nobody", case_ref="CS-9", children=("Leo Brown",)),
        row("late", state=DeadlineState.OVERDUE, working_days=-2),
    ]

    def keys(filters: Filters) -> list[str]:
        return [r.key for r in shown_rows(rows, filters, False, context)]

    assert keys(Filters()) == ["mine", "police", "stranger", "late"]
    assert keys(Filters(whose="mine")) == ["mine", "late"]
    # The team: owners or social workers named in the settings (Jo Reid is the police row's worker).
    assert keys(Filters(whose="team")) == ["mine", "police", "late"]
    assert keys(Filters(agency="pol")) == ["police", "stranger"]
    assert keys(Filters(case="leo")) == ["stranger"]
    assert keys(Filters(case="cs-9")) == ["stranger"]
    assert keys(Filters(overdue_only=True)) == ["late"]
    assert keys(Filters(whose="team", agency="police")) == ["police"]


def test_whose_goes_round_and_skips_the_team_when_there_is_none() -> None:
    everyone = Filters(agency="Police")
    assert everyone.next_whose(has_team=True).whose == "mine"
    assert everyone.next_whose(True).next_whose(True).whose == "team"
    assert everyone.next_whose(True).next_whose(True).next_whose(True) == everyone
    assert everyone.next_whose(True).next_whose(has_team=False) == everyone


def test_filters_say_what_they_are() -> None:
    assert not Filters().active
    filters = Filters(whose="team", agency="Police", case="CS-1", overdue_only=True)
    assert filters.active and replace(filters, overdue_only=False).active
    assert filters.describe() == ["my team", "agency ~Police", "case ~CS-1", "overdue only"]
    assert filter_line(Filters(), True, 3, 3).startswith("All, by case.")
    assert filter_line(Filters(whose="mine"), False, 2, 5) == "Only mine: 2 of 5, by due date. Esc: all"


def test_order_by_due_date_keeps_the_engines_order_and_closed_last() -> None:
    closed_old = row("c1", closed_status=ActionStatus.DONE, closed_on=date(2026, 11, 20), state=None)
    closed_new = row("c2", closed_status=ActionStatus.DROPPED, closed_on=date(2026, 11, 24), state=None)
    first, second = row("b", case_ref="CS-2"), row("a", case_ref="")
    assert [r.key for r in order_rows([closed_old, first, closed_new, second], by_case=False)] == ["b", "a", "c2", "c1"]


def test_order_by_case_groups_each_case_with_its_closed_actions_and_no_case_last() -> None:
    rows = [
        row("no-case", case_ref=""),
        row("z-later", case_ref="CS-Z", due=date(2026, 12, 1)),
        row("z-closed", case_ref="cs-z", closed_status=ActionStatus.DONE, closed_on=TODAY, state=None),
        row("a", case_ref="CS-A"),
        row("z-sooner", case_ref="CS-Z", due=date(2026, 11, 26)),
    ]
    assert [r.key for r in order_rows(rows, by_case=True)] == ["a", "z-sooner", "z-later", "z-closed", "no-case"]


def test_the_words_for_a_row() -> None:
    late = row("late", state=DeadlineState.OVERDUE, working_days=-1, due=date(2025, 12, 31))
    assert (late.marker, working_days_short(late), working_days_in_words(late)) == ("!! OVERDUE", "1wd late", "1 working day late")
    soon = row("soon", state=DeadlineState.DUE_SOON, working_days=2)
    assert (soon.marker, working_days_short(soon), working_days_in_words(soon)) == ("   soon", "2wd left", "2 working days left")
    done = row("done", state=None, closed_status=ActionStatus.DONE, closed_on=TODAY)
    assert (done.marker, working_days_short(done)) == ("x  done", "closed")
    # This year as day and month, another in figures (UK order); no date as a dash.
    assert (short_date(TODAY, TODAY), short_date(late.due, TODAY), short_date(None, TODAY)) == ("25 Nov", "31/12/25", "-")


def test_detail_lines_fit_the_width_and_name_the_key_that_closes_the_item() -> None:
    long_title = row("t", title="Ask the school for attendance records " * 5, agency="Education")
    lines = detail_lines(long_title, None, 60).split("\n")
    assert len(lines) == 3 and all(len(line) <= 60 for line in lines)
    assert lines[0] == "CS-1 | Maya Okafor"
    assert lines[1].endswith(" [d: done]")
    assert lines[2] == "Due Wed 25 Nov 2026, today | Sam Patel (Education)"
    milestone = row("m", action_id=None, kind=DeadlineKind.MINUTES, title="Minutes to attendees")
    assert detail_lines(milestone, None, 80).split("\n")[1] == "Minutes to attendees [m: record it met]"
    closed = row("c", state=None, closed_status=ActionStatus.DROPPED, closed_on=TODAY, closed_by="Jo Reid", closing_note="Not needed")
    assert detail_lines(closed, None, 80).split("\n")[1:] == [
        "Action c [o: reopen]",
        "Dropped by Jo Reid on Wed 25 Nov 2026: Not needed",
    ]


def test_read_rows_gives_open_deadlines_and_on_request_this_weeks_closed_actions(
    context: Context, make_discussion: Callable[..., Discussion]
) -> None:
    assert summary_line(read_rows(context, False), [], TODAY, False).startswith("No discussions yet")
    done = Action(text="Visit", owner="Sam Patel", due=TODAY, status=ActionStatus.DONE, closed_on=TODAY, closed_by="Sam Patel")
    long_ago = Action(text="Old", owner="Sam Patel", due=TODAY, status=ActionStatus.DONE, closed_on=date(2026, 11, 1))
    still_open = Action(text="Call the school", owner="Jo Reid", due=date(2026, 11, 26))
    record = quiet(make_discussion, done, long_ago, still_open)
    context.store.create(record)

    read = read_rows(context, with_closed=False)
    assert [r.title for r in read.rows] == ["Call the school"]
    assert read.rows[0].social_worker == "Sam Patel" and set(read.summaries) == {record.id}
    assert not context.store.changed_since(read.stamp)

    with_closed = read_rows(context, with_closed=True)
    assert [(r.title, r.closed) for r in with_closed.rows] == [("Call the school", False), ("Visit", True)]
    assert with_closed.unreadable == 0
    line = summary_line(with_closed, with_closed.rows, TODAY, True)
    assert line == "Wed 25 Nov 2026: 0 overdue | 0 due today | 1 due soon | 1 closed lately"


def test_what_an_empty_list_says(context: Context, make_discussion: Callable[..., Discussion]) -> None:
    assert nothing_shown(None, Filters()) == ""
    context.store.create(quiet(make_discussion, Action(text="Call", owner="Jo Reid", due=date(2026, 11, 26))))
    read = read_rows(context, False)
    assert nothing_shown(read, Filters(agency="nobody")).startswith("Nothing matches these filters")
    assert nothing_shown(replace(read, rows=[]), Filters()).startswith("Nothing overdue")
