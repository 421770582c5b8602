"""The deadline engine: every open deadline that follows from the recorded discussions.

Works on index summaries only (no full records, no Textual) so the dashboard stays fast over
tens of thousands of discussions. Rules: DOMAIN.md "Deadlines that follow from it".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from operator import attrgetter

from stratui.calendar import WorkingCalendar
from stratui.models import ActionStatus, DiscussionKind, DiscussionStatus, DiscussionSummary, MeetingFormat
from stratui.nations import CHILDRENS_SOCIAL_CARE, NationRules, rules_for
from stratui.settings import Settings


class DeadlineKind(StrEnum):
    ACTION = "action"
    # The strategy discussion itself: held within N working days of the concern.
    DISCUSSION = "discussion"
    CONFERENCE = "conference"
    MINUTES = "minutes"
    RECONVENE = "reconvene"
    PARENTS_REVIEW = "parents-review"
    ASSESSMENT = "assessment"
    FOLLOW_UP_MEETING = "follow-up-meeting"


class DeadlineState(StrEnum):
    OVERDUE = "overdue"
    DUE_TODAY = "due-today"
    DUE_SOON = "due-soon"
    LATER = "later"


@dataclass(frozen=True)
class Deadline:
    key: str
    kind: DeadlineKind
    title: str
    discussion_id: str
    case_ref: str
    children: tuple[str, ...]
    owner: str
    agency: str
    due: date
    # Working days from today to `due`: negative = overdue by that many, 0 = due today.
    working_days: int
    state: DeadlineState
    action_id: str | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "key": self.key,
            "kind": self.kind.value,
            "title": self.title,
            "discussion_id": self.discussion_id,
            "case_ref": self.case_ref,
            "children": list(self.children),
            "owner": self.owner,
            "agency": self.agency,
            "due": self.due.isoformat(),
            "working_days": self.working_days,
            "state": self.state.value,
            "action_id": self.action_id,
        }


_STRATEGY_KINDS = frozenset({DiscussionKind.STRATEGY_DISCUSSION, DiscussionKind.STRATEGY_MEETING})
# States are monotonic in the due date, so sorting by due date also sorts by state.
_SORT_KEY = attrgetter("due", "case_ref", "key")
_DASHBOARD_STATES = frozenset({DeadlineState.OVERDUE, DeadlineState.DUE_TODAY, DeadlineState.DUE_SOON})


class _Clock:
    """Today's view of due dates, memoised per date: thousands of deadlines share a few hundred."""

    def __init__(self, calendar: WorkingCalendar, today: date, warning_window: int) -> None:
        self.calendar = calendar
        self.today = today
        # Due dates before this day are within the warning window (weekend days after the
        # window's last working day count with it: nobody works before the next one).
        self.soon_before = calendar.add_working_days(today, warning_window + 1)
        self._memo: dict[date, tuple[int, DeadlineState]] = {}

    def place(self, due: date) -> tuple[int, DeadlineState]:
        placed = self._memo.get(due)
        if placed is None:
            placed = self._memo[due] = self._place(due)
        return placed

    def _place(self, due: date) -> tuple[int, DeadlineState]:
        today = self.today
        if due == today:
            return 0, DeadlineState.DUE_TODAY
        days = self.calendar.working_days_between(today, due)
        if due < today:
            # Due on Friday, looked at on Saturday: still overdue, by at least one working day.
            return min(days, -1), DeadlineState.OVERDUE
        state = DeadlineState.DUE_SOON if due < self.soon_before else DeadlineState.LATER
        # Due on Sunday, looked at on Friday: the first working day it counts against is Monday.
        return max(days, 1), state


class _Engine:
    def __init__(self, today: date, settings: Settings, horizon: date | None) -> None:
        self.settings = settings
        self.timescales = settings.timescales
        self.calendar = settings.calendar()
        self.rules: NationRules = rules_for(settings.nation)
        self.clock = _Clock(self.calendar, today, self.timescales.warning_window_working_days)
        # Deadlines due on or after the horizon are not wanted (the dashboard's cut-off).
        self.horizon = horizon
        self.out: list[Deadline] = []
        self._children: tuple[str, ...] = ()

    # -- building -----------------------------------------------------------------------

    def add(
        self,
        s: DiscussionSummary,
        kind: DeadlineKind,
        title: str,
        due: date,
        owner: str | None = None,
        agency: str = CHILDRENS_SOCIAL_CARE,
        action_id: str | None = None,
        children: tuple[str, ...] | None = None,
    ) -> None:
        if self.horizon is not None and due >= self.horizon:
            return
        working_days, state = self.clock.place(due)
        key = f"{s.id}:action:{action_id}" if action_id is not None else f"{s.id}:{kind.value}"
        self.out.append(
            Deadline(
                key=key,
                kind=kind,
                title=title,
                discussion_id=s.id,
                case_ref=s.case_ref,
                children=children if children is not None else tuple(s.children),
                owner=s.social_worker if owner is None else owner,
                agency=agency,
                due=due,
                working_days=working_days,
                state=state,
                action_id=action_id,
            )
        )

    # -- the rules ----------------------------------------------------------------------

    def run(self, discussions: Iterable[DiscussionSummary]) -> list[Deadline]:
        cases: dict[str, list[DiscussionSummary]] = defaultdict(list)
        # Discussion id -> the kinds of the discussions that follow it up.
        followed_by: dict[str, list[DiscussionKind]] = defaultdict(list)
        for s in discussions:
            # Without a case reference a discussion is a case of its own.
            cases[s.case_ref or "\0" + s.id].append(s)
            for previous in s.previous_discussion_ids:
                followed_by[previous].append(s.kind)
        for case in cases.values():
            for s in case:
                self._discussion_deadlines(s, followed_by.get(s.id))
            self._case_deadlines(case)
        return self.out

    def _discussion_deadlines(self, s: DiscussionSummary, followers: list[DiscussionKind] | None) -> None:
        children = tuple(s.children)
        # Actions first: they are most of the work.
        for a in s.actions:
            if a.due is not None and a.status is ActionStatus.OPEN:
                self.add(s, DeadlineKind.ACTION, a.text, a.due, a.owner, a.agency, a.id, children)

        milestones = s.milestones
        strategy = s.kind in _STRATEGY_KINDS
        add_wd = self.calendar.add_working_days
        t = self.timescales

        if "minutes" not in milestones:
            if strategy and self.rules.record_working_days is not None:
                days = self.rules.record_working_days
                title = f"Circulate the {self.rules.discussion_name} record to attendees ({days} working days)"
            else:
                days = t.minutes_working_days
                title = "Circulate minutes to attendees"
            self.add(s, DeadlineKind.MINUTES, title, add_wd(s.held_on, days), children=children)

        if s.reconvene_on is not None and not followers and "reconvene" not in milestones:
            title = "Next network meeting" if not strategy else f"Reconvene the {self.rules.discussion_name}"
            self.add(s, DeadlineKind.RECONVENE, title, s.reconvene_on, children=children)

        if not strategy:
            return

        if (
            s.parents_informed is False
            and s.parents_review_date is not None
            and not followers
            and "parents-review" not in milestones
        ):
            self.add(
                s, DeadlineKind.PARENTS_REVIEW, "Review decision not to inform parents",
                s.parents_review_date, children=children,
            )

        if s.status is DiscussionStatus.DRAFT and not s.previous_discussion_ids and "discussion" not in milestones:
            days = t.strategy_discussion_working_days
            due = add_wd(s.concern_date, days)
            name = self.rules.discussion_name
            if s.held_on > self.clock.today:
                title = f"{name.capitalize()} to be held ({days} working day{'s' if days != 1 else ''} from the concern)"
                self.add(s, DeadlineKind.DISCUSSION, title, due, children=children)
            elif s.held_on > due:
                self.add(s, DeadlineKind.DISCUSSION, f"{name.capitalize()} held late: record the reason", due,
                         children=children)

        follow_up_days = t.meeting_after_phone_working_days
        if (
            follow_up_days > 0
            and s.kind is DiscussionKind.STRATEGY_DISCUSSION
            and s.format is MeetingFormat.PHONE
            and DiscussionKind.STRATEGY_MEETING not in (followers or ())
            and "follow-up-meeting" not in milestones
        ):
            self.add(
                s, DeadlineKind.FOLLOW_UP_MEETING,
                f"Strategy meeting to follow the phone discussion ({follow_up_days} working days)",
                add_wd(s.held_on, follow_up_days), children=children,
            )

    def _case_deadlines(self, case: list[DiscussionSummary]) -> None:
        strategy = [s for s in case if s.kind in _STRATEGY_KINDS]
        if not strategy:
            return
        started = [s for s in strategy if s.s47_started is True]
        if started:
            if not any("conference" in s.milestones for s in case):
                self._conference(started, strategy)
            return
        not_started = [s for s in strategy if s.s47_started is False]
        if not_started and not any("assessment" in s.milestones for s in case):
            base = min(not_started, key=lambda s: (s.held_on, s.id))
            t = self.timescales
            due = self.calendar.add_working_days(base.referral_date or base.concern_date, t.assessment_working_days)
            title = f"Child and family assessment ({t.assessment_working_days} working days from referral)"
            self.add(base, DeadlineKind.ASSESSMENT, title, due)

    def _conference(self, started: list[DiscussionSummary], strategy: list[DiscussionSummary]) -> None:
        t = self.timescales
        rules = self.rules
        if t.conference_counts_from == "latest-discussion":
            base = max(strategy, key=lambda s: (s.held_on, s.id))
            source = "the latest strategy discussion"
        else:
            base = min(started, key=lambda s: (s.held_on, s.id))
            source = "the s47 strategy discussion"
        if rules.conference_in_calendar_days:
            days = t.scotland_planning_meeting_calendar_days
            due = base.held_on + timedelta(days=days)
            source = source.replace("strategy discussion", rules.discussion_name.split(" (")[0])
            rule = f"{days} calendar days from {source}"
        else:
            days = t.conference_working_days
            due = self.calendar.add_working_days(base.held_on, days)
            rule = f"{days} working days from {source}"
        self.add(base, DeadlineKind.CONFERENCE, f"{rules.conference_short_name} due ({rule})", due)


def compute_deadlines(discussions: Iterable[DiscussionSummary], today: date, settings: Settings) -> list[Deadline]:
    """Every open deadline: overdue first, then due today, due soon, later; by due date, then case."""
    deadlines = _Engine(today, settings, horizon=None).run(discussions)
    deadlines.sort(key=_SORT_KEY)
    return deadlines


def dashboard_items(discussions: Iterable[DiscussionSummary], today: date, settings: Settings) -> list[Deadline]:
    """Only what needs attention now: overdue, due today and due within the warning window."""
    engine = _Engine(today, settings, horizon=None)
    # Later deadlines are never built: the dashboard is the hot path.
    engine.horizon = engine.clock.soon_before
    deadlines = engine.run(discussions)
    deadlines.sort(key=_SORT_KEY)
    return deadlines
