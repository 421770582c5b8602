"""The dashboard, search, case view and handover, driven by keys at 80x24 with a fixed today."""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Static

from stratui import cli
from stratui.app import StratuiApp, make_app
from stratui.context import Context, open_context
from stratui.models import Action, ActionStatus, Child, Discussion, Milestone
from stratui.screens import dashboard as dashboard_module
from stratui.screens.case_view import CaseViewScreen
from stratui.screens.close_action import CloseActionScreen, MilestoneScreen
from stratui.screens.dashboard import DashboardScreen
from stratui.screens.details import DetailsScreen
from stratui.screens.handover import HandoverScreen
from stratui.screens.search import SearchScreen

from pilot import burst, press_to, stratui_at_80x24, type_text, wait_until
from teams import team_settings

TEAM_SETTINGS = team_settings()


def context_for(tmp_path: Path, today: str = "2026-11-25", settings: str = "") -> Context:
    config = tmp_path / "settings.toml"
    config.write_text(settings, encoding="utf-8")
    return open_context(db=tmp_path / "db", config=config, today=today)


@pytest.fixture
def quiet(make_discussion: Callable[..., Discussion]) -> Callable[..., Discussion]:
    """A discussion whose statutory deadlines are met, so only the actions given show."""

    def make(*actions: Action, **overrides: Any) -> Discussion:
        held_on = overrides.setdefault("held_on", date(2026, 11, 20))
        overrides.setdefault("concern_date", held_on)
        overrides.setdefault(
            "milestones", [Milestone(key="minutes", on=held_on), Milestone(key="conference", on=held_on)]
        )
        return make_discussion(actions=list(actions), **overrides)

    return make


def action(text: str, due: date, owner: str = "Sam Patel", agency: str = "Children's social care") -> Action:
    return Action(text=text, due=due, owner=owner, agency=agency)


def rows(app: StratuiApp) -> list[list[str]]:
    table = app.screen.query_one("#deadlines", DataTable)
    return [[str(cell).strip() for cell in table.get_row_at(i)] for i in range(table.row_count)]


def titles(app: StratuiApp) -> list[str]:
    return [row.title for row in app.screen.rows]  # type: ignore[attr-defined]


def text_of(app: StratuiApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def dashboard_json(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    """`stratui dashboard --json` on the test's database (its env vars), as another process would see it."""
    # While a Textual app runs it takes over sys.stdout; capture the command's own output.
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main(["dashboard", "--json"]) == 0
    return json.loads(out.getvalue())


# -- grouping, order, working days --------------------------------------------------------------


async def test_overdue_then_today_then_soon_with_counts(context: Context, quiet) -> None:
    context.store.save_all_new(
        [
            quiet(action("Soon, case A", date(2026, 11, 27)), case_ref="CS-A"),
            quiet(action("Today, case B", date(2026, 11, 25)), case_ref="CS-B"),
            quiet(
                action("Late by two", date(2026, 11, 23)),
                action("Late by one", date(2026, 11, 24)),
                case_ref="CS-C",
            ),
            quiet(action("Later than the window", date(2026, 12, 10)), case_ref="CS-D"),
        ]
    )
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        shown = rows(app)
        assert [r[0] for r in shown] == ["!! OVERDUE", "!! OVERDUE", "!  TODAY", "soon"]
        assert titles(app) == ["Late by two", "Late by one", "Today, case B", "Soon, case A"]
        assert [r[2] for r in shown] == ["2wd late", "1wd late", "today", "2wd left"]
        assert "2 overdue | 1 due today | 1 due soon" in text_of(app, "#summary")
        # The highlighted row's detail: case, child, the whole title, owner and agency.
        detail = text_of(app, "#detail")
        assert "CS-C" in detail and "Maya Okafor" in detail and "Late by two" in detail
        assert "Children's social care" in detail and "2 working days late" in detail


async def test_rows_fit_80_columns(context: Context, quiet) -> None:
    long = "Arrange a strategy meeting with the school, health visitor and the police about the bruise"
    context.store.save_all_new([quiet(action(long, date(2026, 11, 24), owner="Florence Roberts-Whitaker"))])
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        table = app.screen.query_one("#deadlines", DataTable)
        assert sum(column.get_render_width(table) for column in table.columns.values()) <= 79
        assert rows(app)[0][3].endswith("…")
        assert long in text_of(app, "#detail").replace("\n", " ") or long[:40] in text_of(app, "#detail")


async def test_working_days_across_christmas_in_england(tmp_path: Path, quiet) -> None:
    # Thu 24 Dec 2026: Fri 25 (Christmas) and Mon 28 (Boxing Day, observed) are bank holidays,
    # so Tue 29 Dec is 1 working day away and Mon 21 Dec is 3 working days late (21 < 22, 23, 24).
    context = context_for(tmp_path, today="2026-12-24")
    context.store.save_all_new(
        [
            quiet(
                action("Due after Christmas", date(2026, 12, 29)),
                action("Due last Monday", date(2026, 12, 21)),
                held_on=date(2026, 12, 18),
            )
        ]
    )
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        by_title = {t: r for t, r in zip(titles(app), rows(app))}
        assert by_title["Due after Christmas"][0] == "soon"
        assert by_title["Due after Christmas"][2] == "1wd left"
        assert by_title["Due last Monday"][2] == "3wd late"


async def test_sort_by_case_then_back_to_due_date(context: Context, quiet) -> None:
    context.store.save_all_new(
        [
            quiet(action("Z first due", date(2026, 11, 23)), case_ref="CS-Z"),
            quiet(action("A second due", date(2026, 11, 24)), case_ref="CS-A"),
        ]
    )
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        assert titles(app) == ["Z first due", "A second due"]
        await pilot.press("s")
        assert titles(app) == ["A second due", "Z first due"]
        assert "by case" in text_of(app, "#filters")
        await pilot.press("s")
        assert titles(app) == ["Z first due", "A second due"]


# -- filters --------------------------------------------------------------------------------------


@pytest.fixture
def team_app(tmp_path: Path, quiet) -> StratuiApp:
    context = context_for(tmp_path, settings=TEAM_SETTINGS)
    context.store.save_all_new(
        [
            # My discussion; the action is the police's.
            quiet(action("Police check", date(2026, 11, 24), "DC Lee Grant", "Police"), case_ref="CS-1", social_worker="Sam Patel"),
            # Someone else's discussion; the action is mine.
            quiet(action("My visit", date(2026, 11, 26)), case_ref="CS-2", social_worker="Kim Lowe"),
            # My manager's discussion (team), a health action.
            quiet(
                action("Health chronology", date(2026, 11, 23), "Ann Hughes", "Health"),
                case_ref="CS-3",
                social_worker="Jo Reid",
                children=[Child(name="Leo Brown")],
            ),
            # Nobody of the team.
            quiet(action("School report", date(2026, 11, 27), "Pat Doe", "School"), case_ref="CS-4", social_worker="Kim Lowe"),
        ]
    )
    return make_app(context)


async def test_whose_cycles_everyone_mine_team(team_app: StratuiApp) -> None:
    app = team_app
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert len(titles(app)) == 4
        await pilot.press("w")
        assert sorted(titles(app)) == ["My visit", "Police check"]
        assert "mine" in text_of(app, "#filters")
        await pilot.press("w")
        assert sorted(titles(app)) == ["Health chronology", "My visit", "Police check"]
        assert "my team" in text_of(app, "#filters")
        await pilot.press("w")
        assert len(titles(app)) == 4


async def test_agency_case_and_overdue_filters_combine_and_clear(team_app: StratuiApp) -> None:
    app = team_app
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("a", *"pol", "enter")
        assert titles(app) == ["Police check"]
        assert "agency ~pol" in text_of(app, "#filters")
        await pilot.press("a", "ctrl+u", "enter")  # empty: every agency again
        assert len(titles(app)) == 4

        await pilot.press("c", *"leo", "enter")  # a child's name
        assert titles(app) == ["Health chronology"]
        await pilot.press("c", *"cs-4", "enter")  # the prompt's text is replaced by typing
        assert titles(app) == ["School report"]
        await pilot.press("escape")
        assert len(titles(app)) == 4

        await pilot.press("l")
        assert titles(app) == ["Health chronology", "Police check"]
        assert all(r[0] == "!! OVERDUE" for r in rows(app))
        await pilot.press("w")  # overdue and mine
        assert titles(app) == ["Police check"]
        await pilot.press("w", "a", *"health", "enter")  # overdue, my team, health
        assert titles(app) == ["Health chronology"]
        line = text_of(app, "#filters")
        assert "my team" in line and "agency ~health" in line and "overdue only" in line and "1 of 4" in line
        await pilot.press("a", *"school", "enter")
        assert titles(app) == []
        assert "Nothing matches" in text_of(app, "#detail")
        await pilot.press("escape")
        assert len(titles(app)) == 4 and "All" in text_of(app, "#filters")


async def test_team_filter_without_team_members_says_so(context: Context, quiet) -> None:
    context.store.save_all_new([quiet(action("Anything", date(2026, 11, 24), owner="X"))])
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        await pilot.press("w", "w")  # mine (nothing), then team: none configured, back to everyone
        assert app.screen.filters.whose == "everyone"  # type: ignore[attr-defined]
        assert titles(app) == ["Anything"]


# -- done, reopen, milestones -----------------------------------------------------------------------


async def test_done_with_a_note_saves_at_once_and_reopen_undoes_it(
    context: Context, quiet, capsys: pytest.CaptureFixture[str]
) -> None:
    record = quiet(
        action("First", date(2026, 11, 23)),
        action("Second", date(2026, 11, 24)),
        action("Third", date(2026, 11, 26)),
    )
    context.store.save_all_new([record])
    first, second, third = (a.id for a in record.actions)
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        await pilot.press("j")  # Second
        await pilot.press("d", *"seen alone", "enter")
        # Written in a worker thread (it may wait for the lock): the store is polled.
        assert await wait_until(pilot, lambda: context.store.get(record.id).action(second).status is ActionStatus.DONE)
        assert await wait_until(pilot, lambda: titles(app) == ["First", "Third"])
        stored = context.store.get(record.id).action(second)
        assert stored.status is ActionStatus.DONE
        assert stored.closing_note == "seen alone"
        assert stored.closed_on == context.today and stored.closed_by == context.name
        # The list updates in place and the cursor stays where it was (now on Third).
        assert titles(app) == ["First", "Third"]
        assert app.screen.current_row().title == "Third"  # type: ignore[attr-defined]
        assert f"{record.id}:action:{second}" not in {i["key"] for i in dashboard_json(capsys)}

        # Done with no note at all is fine too.
        await pilot.press("k", "d", "enter")
        assert await wait_until(pilot, lambda: context.store.get(record.id).action(first).status is ActionStatus.DONE)
        assert await wait_until(pilot, lambda: titles(app) == ["Third"])

        # x shows what was closed lately; o reopens it after a confirmation.
        await pilot.press("x")
        assert titles(app) == ["Third", "First", "Second"] or titles(app) == ["Third", "Second", "First"]
        assert "closed lately" in text_of(app, "#summary")
        index = titles(app).index("Second")
        await pilot.press(*["j"] * index)
        assert app.screen.current_row().closed  # type: ignore[attr-defined]
        assert "seen alone" in text_of(app, "#detail")
        await pilot.press("o")
        await pilot.press("escape")  # cancelled: nothing changes
        assert context.store.get(record.id).action(second).status is ActionStatus.DONE
        await pilot.press("o", "enter")
        assert await wait_until(pilot, lambda: context.store.get(record.id).action(second).status is ActionStatus.OPEN)
        assert await wait_until(pilot, lambda: "Second" in [r.title for r in app.screen.rows if not r.closed])  # type: ignore[attr-defined]
        reopened = context.store.get(record.id).action(second)
        assert reopened.status is ActionStatus.OPEN and reopened.closing_note == "" and reopened.closed_on is None
        assert f"{record.id}:action:{second}" in {i["key"] for i in dashboard_json(capsys)}
        assert "Second" in [r.title for r in app.screen.rows if not r.closed]  # type: ignore[attr-defined]
    capsys.readouterr()
    assert cli.main(["dashboard", "--json"]) == 0
    keys = {item["key"] for item in json.loads(capsys.readouterr().out)}
    assert f"{record.id}:action:{second}" in keys and f"{record.id}:action:{first}" not in keys


async def test_escape_in_the_note_keeps_the_action_open(context: Context, quiet) -> None:
    record = quiet(action("Visit", date(2026, 11, 24)))
    context.store.save_all_new([record])
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        await pilot.press("d", *"oops", "escape")
        await pilot.pause()
        assert context.store.get(record.id).actions[0].is_open
        assert titles(app) == ["Visit"]


async def test_m_on_an_action_asks_for_its_note_as_d_does(context: Context, quiet) -> None:
    """A worker who presses the other key still closes the item, and the note typed straight
    after lands in the note box, not on the dashboard as keys (s sorted the list, w filtered it)."""
    record = quiet(action("Visit", date(2026, 11, 24)))
    context.store.save_all_new([record])
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        await type_text(pilot, "mseen with mum")
        assert isinstance(app.screen, CloseActionScreen)
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: not context.store.get(record.id).actions[0].is_open)
        assert context.store.get(record.id).actions[0].closing_note == "seen with mum"
        assert isinstance(app.screen, DashboardScreen) and not app.screen.by_case  # type: ignore[attr-defined]


async def test_done_refuses_an_action_someone_else_closed(context: Context, quiet) -> None:
    record = quiet(action("Visit", date(2026, 11, 24)))
    context.store.save_all_new([record])
    action_id = record.actions[0].id
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        # Another user closes it after our list was drawn.
        context.store.update(
            record.id, lambda d: d.close_action(action_id, ActionStatus.DONE, context.today, "Jo Reid", "by phone")
        )
        await pilot.press("d", *"mine", "enter")
        assert await wait_until(pilot, lambda: titles(app) == [])  # refused, and the list refreshed
        stored = context.store.get(record.id).action(action_id)
        assert stored.closed_by == "Jo Reid" and stored.closing_note == "by phone"
        assert titles(app) == []


async def test_statutory_deadlines_are_met_by_a_milestone_not_done(
    context: Context, make_discussion, capsys: pytest.CaptureFixture[str]
) -> None:
    # Held Fri 20 Nov: minutes due Mon 23 Nov, so overdue on Wed 25 Nov.
    record = make_discussion(actions=[], milestones=[Milestone(key="conference", on=date(2026, 11, 24))], plan={"reconvene_on": date(2026, 12, 18)})
    context.store.save_all_new([record])
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        assert titles(app) == ["Circulate minutes to attendees (1 working day; local practice)"]
        await pilot.press("d")  # done, on a statutory deadline: asks what happened, as m does
        assert isinstance(app.screen, MilestoneScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not context.store.get(record.id).milestones[1:]  # nothing recorded
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("m", *"yesterday", "tab", *"sent by secure email", "enter")
        assert await wait_until(pilot, lambda: context.store.get(record.id).milestone("minutes") is not None)
        assert await wait_until(pilot, lambda: titles(app) == [])
        milestone = context.store.get(record.id).milestone("minutes")
        assert milestone is not None
        assert milestone.on == date(2026, 11, 24) and milestone.by == context.name
        assert milestone.note == "sent by secure email"
        assert titles(app) == []
        assert not [i for i in dashboard_json(capsys) if i["discussion_id"] == record.id]


async def test_d_on_a_statutory_deadline_then_a_note_in_one_burst_records_what_happened(context: Context, make_discussion) -> None:
    record = make_discussion(actions=[], milestones=[Milestone(key="conference", on=date(2026, 11, 24))], plan={"reconvene_on": date(2026, 12, 18)})
    context.store.save_all_new([record])
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        await burst(pilot, "d", *"today", "tab", *"sent by email", "enter")
        assert await wait_until(pilot, lambda: context.store.get(record.id).milestone("minutes") is not None)
        milestone = context.store.get(record.id).milestone("minutes")
        assert milestone is not None and milestone.on == context.today and milestone.note == "sent by email"
        assert isinstance(app.screen, DashboardScreen) and not app.screen.by_case  # type: ignore[attr-defined]


async def test_milestone_refuses_a_future_date(context: Context, make_discussion) -> None:
    record = make_discussion(actions=[], milestones=[Milestone(key="conference", on=date(2026, 11, 24))], plan={"reconvene_on": date(2026, 12, 18)})
    context.store.save_all_new([record])
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        await pilot.press("m", *"tomorrow", "enter")
        await pilot.pause()
        assert "in the future" in str(app.screen.query_one("#milestone-error", Static).render())
        await pilot.press("escape")
        await pilot.pause()
        assert context.store.get(record.id).milestone("minutes") is None


# -- opening, search, case view, handover ----------------------------------------------------------


async def test_enter_opens_the_discussion_of_the_row(context: Context, quiet) -> None:
    first = quiet(action("First", date(2026, 11, 23)), case_ref="CS-1")
    second = quiet(action("Second", date(2026, 11, 24)), case_ref="CS-2")
    context.store.save_all_new([first, second])
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        await press_to(pilot, "down", "enter", screen=DetailsScreen)
        assert app.editor is not None and app.editor.discussion.id == second.id
        await press_to(pilot, "escape", screen=DashboardScreen)


async def test_search_by_child_case_ref_and_text(context: Context, quiet) -> None:
    maya = quiet(action("Visit", date(2026, 12, 20)), case_ref="CS-104233")
    leo = quiet(
        action("Visit", date(2026, 12, 20)),
        case_ref="CS-200001",
        children=[Child(name="Leo Brown")],
        information={"concerns": "Neighbour heard shouting; a dog bite on the arm."},
    )
    context.store.save_all_new([maya, leo])
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        await pilot.press("slash", *"maya")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        assert [r.discussion_id for r in screen.results] == [maya.id]
        await pilot.press(*["backspace"] * 4, *"cs-2000")
        assert [r.discussion_id for r in screen.results] == [leo.id]
        assert screen.results[0].matched == "case ref"
        # Not a name or a case ref: Enter searches the text of every discussion.
        await pilot.press(*["backspace"] * 7, *"dog bite")
        assert screen.results == []
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [(r.discussion_id, r.matched) for r in screen.results] == [(leo.id, "text")]
        assert "dog bite" in str(screen.query_one("#result-detail", Static).render())
        # The results have focus: Enter opens the case view.
        await press_to(pilot, "enter", screen=CaseViewScreen)
        assert [s.id for s in app.screen.discussions] == [leo.id]


async def test_case_view_lists_the_case_in_order_and_starts_a_follow_up(context: Context, quiet, make_discussion) -> None:
    first = quiet(action("Early action", date(2026, 11, 20)), held_on=date(2026, 11, 10), case_ref="CS-9")
    second = quiet(
        action("Latest action", date(2026, 11, 24)),
        held_on=date(2026, 11, 20),
        case_ref="CS-9",
        previous_discussion_ids=[first.id],
        decisions={"s47_enquiry": {"made": False, "rationale": "No significant harm."}},
    )
    other = quiet(action("Other case", date(2026, 11, 24)), case_ref="CS-10")
    context.store.save_all_new([second, other, first])
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        # The highlighted row is the latest discussion's action (overdue, 24 Nov)...
        index = titles(app).index("Latest action")
        await pilot.press(*["j"] * index, "v")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CaseViewScreen)
        assert [s.id for s in screen.discussions] == [first.id, second.id]
        table = screen.query_one("#discussions", DataTable)
        assert [str(table.get_row_at(i)[2]).strip() for i in range(2)] == ["yes", "no"]  # s47 decisions
        actions = screen.query_one("#case-actions", DataTable)
        assert actions.row_count == 2
        assert screen.current_discussion().id == second.id
        await pilot.press("f", "enter")  # follow-up; Enter takes a strategy discussion
        await pilot.pause()
        # The follow-up is being recorded (its carried actions come up for review first).
        assert not isinstance(app.screen, (CaseViewScreen, DashboardScreen))
        assert app.editor is not None
        assert app.editor.discussion.previous_discussion_ids == [second.id]
        assert app.editor.discussion.case_ref == "CS-9"


async def test_case_view_opens_a_discussion(context: Context, quiet) -> None:
    first = quiet(action("Early action", date(2026, 11, 24)), held_on=date(2026, 11, 10), case_ref="CS-9")
    second = quiet(action("Latest action", date(2026, 11, 26)), held_on=date(2026, 11, 20), case_ref="CS-9")
    context.store.save_all_new([first, second])
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        await press_to(pilot, "v", screen=CaseViewScreen)
        await press_to(pilot, "k", "enter", screen=DetailsScreen)
        assert app.editor is not None and app.editor.discussion.id == first.id


async def test_handover_shows_markdown_and_exports_it(context: Context, quiet, isolated_environment: Path) -> None:
    context.store.save_all_new(
        [
            quiet(action("Overdue visit", date(2026, 11, 24)), case_ref="CS-1"),
            quiet(action("Tomorrow's call", date(2026, 11, 26)), case_ref="CS-2"),
            quiet(action("Next week", date(2026, 11, 30)), case_ref="CS-3"),
        ]
    )
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HandoverScreen)
        assert screen.query_one("#handover", Static)
        assert "Overdue visit" in screen.markdown and "Tomorrow's call" in screen.markdown
        assert "Next week" not in screen.markdown
        await pilot.press("e")
        await pilot.pause()
        exported = sorted((isolated_environment / "exports").glob("handover-2026-11-25*.md"))
        assert len(exported) == 1
        assert exported[0].read_text(encoding="utf-8") == screen.markdown
        assert exported[0].stat().st_mode & 0o077 == 0  # private
        await pilot.press("e")  # a second export never overwrites the first
        await pilot.pause()
        assert len(list((isolated_environment / "exports").glob("handover-2026-11-25*.md"))) == 2
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)


# -- staying current ----------------------------------------------------------------------------


async def test_another_users_save_shows_up_without_a_restart(
    context: Context, quiet, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dashboard_module, "AUTO_REFRESH_SECONDS", 0.1)
    record = quiet(action("Visit", date(2026, 11, 24)))
    context.store.save_all_new([record])
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        screen = app.screen
        assert titles(app) == ["Visit"]
        drawn = screen._drawn  # type: ignore[attr-defined]
        await pilot.pause(0.3)
        assert screen._drawn is drawn  # nothing changed: nothing redrawn  # type: ignore[attr-defined]
        # Another user, another process: a new discussion arrives in the shared database.
        other = open_context(db=context.store.root, config=None, today="2026-11-25")
        other.store.create(quiet(action("Their new action", date(2026, 11, 25)), case_ref="CS-NEW"))
        # The next refresh (every 0.1 s here) shows it; a loaded machine only makes that later.
        assert await wait_until(pilot, lambda: "Their new action" in titles(app))


async def test_returning_to_the_dashboard_picks_up_changes(context: Context, quiet) -> None:
    record = quiet(action("Visit", date(2026, 11, 24)))
    context.store.save_all_new([record])
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        context.store.update(
            record.id, lambda d: d.close_action(d.actions[0].id, ActionStatus.DONE, context.today, "Jo Reid")
        )
        await pilot.press("escape")
        await pilot.pause()
        assert titles(app) == []


async def test_empty_database_welcomes_with_the_keys_that_matter(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        welcome = app.screen.query_one("#welcome", Static)
        assert welcome.display
        text = str(welcome.render())
        assert "stratui demo" in text and "new strategy discussion" in text and "search" in text
        assert not app.screen.query_one("#deadlines", DataTable).display
        await pilot.press("d", "m", "o", "enter")  # nothing to act on: no error
        assert isinstance(app.screen, DashboardScreen)


async def test_a_large_index_loads_in_the_background_behind_a_loading_indicator(
    context: Context, quiet, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Any index counts as large here: the first read goes to a worker thread (issue 6).
    monkeypatch.setattr(dashboard_module, "LOAD_IN_BACKGROUND_BYTES", 0)
    context.store.save_all_new([quiet(action("Visit", date(2026, 11, 24)))])
    async with stratui_at_80x24(context) as (app, pilot):
        table = app.screen.query_one("#deadlines", DataTable)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not table.loading
        assert titles(app) == ["Visit"]
        assert "1 overdue" in text_of(app, "#summary")
        # The keys work on what was loaded.
        await press_to(pilot, "enter", screen=DetailsScreen)


async def test_the_monochrome_theme_marks_late_items_without_colour(tmp_path: Path, quiet) -> None:
    context = context_for(tmp_path, settings='theme = "monochrome"\n')
    context.store.save_all_new([quiet(action("Visit", date(2026, 11, 24)))])
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        marker = app.screen.query_one("#deadlines", DataTable).get_row_at(0)[0]
        assert str(marker) == "!! OVERDUE"
        style = marker.style if isinstance(marker.style, str) else str(marker.style)
        assert "red" not in style and "reverse" in style


async def test_a_long_list_is_drawn_in_batches_and_keeps_every_row_in_order(
    context: Context, quiet, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dashboard_module, "DRAW_BATCH_ROWS", 2)
    context.store.save_all_new(
        [quiet(*(action(f"Action {n}", date(2026, 11, 20 + n)) for n in range(7)), case_ref="CS-LONG")]
    )
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        await pilot.pause()
        assert [r[3] for r in rows(app)] == [f"Action {n}" for n in range(7)]
        await pilot.press("end")
        assert "Action 6" in text_of(app, "#detail")
        # A record text with markup characters is shown as typed, never read as markup.
        app.context.store.create(quiet(action("Ask [Police] [/] now", date(2026, 11, 20))))
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert "Ask [Police] [/] now" in [r[3] for r in rows(app)]
