"""`stratui report` on a fixed demo gives the figures a plain recount of the records gives (issue 15 item 3).

The recount below reads the discussions as a manager with a calendar would: the bank holidays
straight from the `holidays` package, the timescales from the settings' numbers, day-by-day
counting, and nothing of stratui.report or the deadline engine.
"""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import holidays
import pytest

from stratui import agencies
from stratui.cli import main
from stratui.context import open_context
from stratui.models import ActionStatus, Discussion, DiscussionKind
from stratui.report import build_report, records_of, report_csv, report_markdown
from stratui.settings import Settings

TODAY = date(2026, 11, 25)
START, END = date(2026, 1, 1), date(2026, 11, 25)
SUBDIVISION = {"england": "ENG", "scotland": "SCT", "wales": "WLS", "northern-ireland": "NIR"}
STRATEGY = {DiscussionKind.STRATEGY_DISCUSSION, DiscussionKind.STRATEGY_MEETING}


class Calendar:
    """Working days counted one day at a time."""

    def __init__(self, nation: str) -> None:
        self.bank_holidays = holidays.country_holidays("GB", subdiv=SUBDIVISION[nation], years=range(2023, 2028))

    def working(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.bank_holidays

    def after(self, start: date, n: int) -> date:
        day, counted = start, 0
        while counted < n:
            day += timedelta(days=1)
            counted += self.working(day)
        return day

    def between(self, start: date, end: date) -> int:
        """Working days in (start, end]; start <= end."""
        return sum(self.working(start + timedelta(days=k)) for k in range(1, (end - start).days + 1))

    def late_by(self, due: date, on: date) -> int:
        """Working days `on` is past `due`; a day past due is late by at least one."""
        return max(self.between(due, on), 1) if on > due else 0


def median(values: list[int]) -> float | None:
    return statistics.median(values) if values else None


def in_period(day: date) -> bool:
    return START <= day <= END


def recount(discussions: list[Discussion], nation: str) -> dict:
    settings = Settings()  # the demo runs on the default timescales
    t = settings.timescales
    cal = Calendar(nation)
    scotland = nation == "scotland"
    months: dict[str, dict] = defaultdict(lambda: defaultdict(int))

    # First strategy discussions (not follow-ups) held by today, in the month held.
    held_days: list[int] = []
    for d in discussions:
        if d.kind in STRATEGY and not d.previous_discussion_ids and in_period(d.held_on) and d.held_on <= TODAY:
            month = months[f"{d.held_on:%Y-%m}"]
            due = cal.after(d.concern_date, t.strategy_discussion_working_days)
            key = "discussions_late" if d.held_on > due else "discussions_within"
            month[key] += 1
            held_days.append(cal.between(d.concern_date, d.held_on))

    # Conferences: per case, counted from its first strategy discussion that started s47.
    cases: dict[str, list[Discussion]] = defaultdict(list)
    for d in discussions:
        cases[d.case_ref or d.id].append(d)
    conference_days: list[int] = []
    conferences = {"within": 0, "late": 0, "past_due": 0, "not_measurable": 0}
    for case in cases.values():
        s47 = sorted((d for d in case if d.kind in STRATEGY and d.decisions.s47_enquiry.made is True), key=lambda d: (d.held_on, d.id))
        held = [m.on for d in case for m in d.milestones if m.key == "conference"]
        base = s47[0].held_on if s47 else None
        if base is None:
            if held and in_period(min(held)):
                conferences["not_measurable"] += 1
            continue
        due = base + timedelta(days=t.scotland_planning_meeting_calendar_days) if scotland else cal.after(base, t.conference_working_days)
        if held:
            on = min(held)
            if in_period(on):
                conferences["late" if on > due else "within"] += 1
                months[f"{on:%Y-%m}"]["conferences_held"] += 1
                conference_days.append((on - base).days if scotland else cal.between(base, on))
        elif due < TODAY and in_period(due):
            conferences["past_due"] += 1

    # Actions: done ones by the day completed, open ones past due by their due day.
    by_owner: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_agency: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    late_days: list[int] = []
    overdue_days: list[int] = []
    on_time = not_measurable = 0
    for d in discussions:
        for a in d.actions:
            owner = by_owner[a.owner.strip() or "(no owner)"]
            agency = by_agency[agencies.canonical_agency(a.agency) or a.agency.strip() or "(no agency)"]
            if a.status is ActionStatus.DONE:
                if a.due is None or a.closed_on is None:
                    if in_period(a.closed_on or a.due or d.held_on):
                        not_measurable += 1
                    continue
                if not in_period(a.closed_on):
                    continue
                late = cal.late_by(a.due, a.closed_on)
                if late:
                    late_days.append(late)
                    months[f"{a.closed_on:%Y-%m}"]["actions_late"] += 1
                else:
                    on_time += 1
                for group in (owner, agency):
                    group["completed"] += 1
                    group["late"] += bool(late)
            elif a.status is ActionStatus.OPEN and a.due is not None and a.due < TODAY and in_period(a.due):
                overdue_days.append(cal.late_by(a.due, TODAY))
                owner["overdue"] += 1
                agency["overdue"] += 1
    return {
        "months": months,
        "discussions": {
            "within": sum(m["discussions_within"] for m in months.values()),
            "late": sum(m["discussions_late"] for m in months.values()),
            "median_days": median(held_days),
        },
        "conferences": {**conferences, "median_days": median(conference_days)},
        "actions": {
            "on_time": on_time,
            "late": len(late_days),
            "median_late": median(late_days),
            "not_measurable": not_measurable,
            "overdue": len(overdue_days),
            "median_overdue": median(overdue_days),
        },
        "by_owner": {name: dict(g) for name, g in by_owner.items() if g},
        "by_agency": {name: dict(g) for name, g in by_agency.items() if g},
    }


@pytest.fixture(scope="module", params=["england", "scotland"])
def demo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict, list[Discussion]]:
    """`stratui demo` then `stratui report --json`, once per nation (built once: it takes a while)."""
    nation = request.param
    folder = tmp_path_factory.mktemp(nation)
    config = folder / "settings.toml"
    config.write_text(f'nation = "{nation}"\n', encoding="utf-8")
    where = ["--db", str(folder / "db"), "--config", str(config), "--today", TODAY.isoformat()]
    assert main(["demo", "--count", "160", "--seed", "5", *where]) == 0
    out = folder / "report.json"
    assert main(["report", "--json", "--from", START.isoformat(), "--to", END.isoformat(), "-o", str(out), *where]) == 0
    context = open_context(db=folder / "db", config=config, today=TODAY.isoformat())
    return nation, json.loads(out.read_text(encoding="utf-8")), list(context.store.discussions())


def test_the_period_figures_match_a_recount(demo) -> None:
    nation, report, discussions = demo
    expected = recount(discussions, nation)
    period = report["period"]
    d, c, a = period["discussions"], period["conferences"], period["actions"]
    assert (d["within"], d["late"], d["median_days"]) == (
        expected["discussions"]["within"],
        expected["discussions"]["late"],
        expected["discussions"]["median_days"],
    )
    ec = expected["conferences"]
    assert (c["within"], c["late"], c["not_held_past_due"], c["not_measurable"], c["median_days"]) == (
        ec["within"], ec["late"], ec["past_due"], ec["not_measurable"], ec["median_days"],
    )
    ea = expected["actions"]
    assert (
        a["completed_on_time"], a["completed_late"], a["median_working_days_late"], a["not_measurable"],
        a["open_overdue"], a["median_working_days_overdue"],
    ) == (ea["on_time"], ea["late"], ea["median_late"], ea["not_measurable"], ea["overdue"], ea["median_overdue"])
    # The demo is rich enough for every measure to be exercised, late ones included.
    assert d["late"] and d["within"] and c["within"] and a["completed_late"] and a["open_overdue"]


def test_each_month_matches_a_recount(demo) -> None:
    nation, report, discussions = demo
    expected = recount(discussions, nation)["months"]
    assert [m["month"] for m in report["months"]] == [f"2026-{n:02d}" for n in range(1, 12)]
    for month in report["months"]:
        wanted = expected.get(month["month"], {})
        assert month["discussions"]["within"] == wanted.get("discussions_within", 0), month["month"]
        assert month["discussions"]["late"] == wanted.get("discussions_late", 0), month["month"]
        assert month["conferences"]["held"] == wanted.get("conferences_held", 0), month["month"]
        assert month["actions"]["completed_late"] == wanted.get("actions_late", 0), month["month"]


def test_actions_by_owner_and_agency_match_a_recount(demo) -> None:
    nation, report, discussions = demo
    expected = recount(discussions, nation)
    for scope, key in (("by_owner", "owner"), ("by_agency", "agency")):
        got = {
            row[key]: {"completed": row["completed"], "late": row["completed_late"], "overdue": row["open_overdue"]}
            for row in report[scope]
        }
        wanted = {
            name: {"completed": g.get("completed", 0), "late": g.get("late", 0), "overdue": g.get("overdue", 0)}
            for name, g in expected[scope].items()
        }
        assert got == wanted
    # Most late and overdue first: the rows a manager asks about.
    worst = [row["completed_late"] + row["open_overdue"] for row in report["by_agency"]]
    assert worst == sorted(worst, reverse=True)


def test_markdown_and_csv_carry_the_same_period_figures(demo) -> None:
    nation, report, discussions = demo
    figures = build_report(records_of(discussions), START, END, TODAY, Settings(nation=nation))
    markdown = report_markdown(figures)
    d = report["period"]["discussions"]
    name = "IRDs" if nation == "scotland" else "Strategy discussions"
    assert f"| {name} held | {d['held']} | {d['within']} (" in markdown
    assert markdown.startswith("**OFFICIAL-SENSITIVE**") and markdown.rstrip().endswith("**OFFICIAL-SENSITIVE**")
    assert ("CPPM" if nation == "scotland" else "ICPC") in markdown
    rows = [line.split(",") for line in report_csv(figures).splitlines()]
    period = next(row for row in rows if row[0] == "period")
    header = rows[0]
    assert int(period[header.index("discussions_within")]) == d["within"]
    assert int(period[header.index("actions_completed_late")]) == report["period"]["actions"]["completed_late"]


def test_a_record_without_dates_is_counted_as_not_measurable(make_discussion) -> None:
    from stratui.models import Action, Milestone

    # A draft may hold a completed action with no due date, and an ICPC with no s47 decided.
    discussion = make_discussion(
        held_on=date(2026, 11, 20),
        concern_date=date(2026, 11, 19),
        referral_date=None,
        actions=[Action(text="Ring the GP", owner="Sam Patel", status=ActionStatus.DONE, closed_on=date(2026, 11, 23))],
        milestones=[Milestone(key="conference", on=date(2026, 11, 24))],
    )
    discussion.decisions.s47_enquiry.made = None
    figures = build_report(records_of([discussion]), date(2026, 11, 1), TODAY, TODAY, Settings())
    assert figures.period.actions.not_measurable == 1 and figures.period.actions.completed == 0
    assert figures.period.conferences.not_measurable == 1 and figures.period.conferences.measured == 0
    assert figures.period.referral_not_recorded == 1
    text = report_markdown(figures)
    assert "not measurable for 1 completed action with no due date" in text
    assert "not measurable for 1 conference recorded in a case with no decision to start enquiries" in text


def test_record_text_stays_text_in_markdown_and_csv(make_discussion) -> None:
    from stratui.models import Action

    discussion = make_discussion(
        actions=[
            Action(
                text="Visit",
                owner="=HYPERLINK(\"x\")|# Sam",
                agency="Police",
                due=date(2026, 11, 20),
                status=ActionStatus.DONE,
                closed_on=date(2026, 11, 24),
            )
        ]
    )
    figures = build_report(records_of([discussion]), date(2026, 11, 1), TODAY, TODAY, Settings())
    assert "| \\=HYPERLINK(\"x\")\\|\\# Sam |" in report_markdown(figures)
    assert "'=HYPERLINK" in report_csv(figures)
