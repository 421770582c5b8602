"""The deadline engine: every open deadline that follows from the recorded discussions.

Works on index summaries only (no full records, no Textual) so the dashboard stays fast over
tens of thousands of discussions. Rules: DOMAIN.md "Deadlines that follow from it".

What each discussion contributes on its own (its actions, minutes, reconvene date...) is
remembered between calls for the summaries the store hands out (`IndexedSummary`: immutable, and
the same object until its index shard changes), per today and settings. A dashboard refresh
after a save then works out only the discussions of the changed shard, plus the rules that
span discussions (follow-ups, cases). Summaries built elsewhere (`Discussion.summary()`, which
may be changed in place) are always worked out afresh.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from operator import attrgetter

from stratui.calendar import WorkingCalendar
from stratui.models import (
    ActionStatus,
    DiscussionKind,
    DiscussionStatus,
    DiscussionSummary,
    EnquiryOutcomeKind,
    MeetingFormat,
)
from stratui.nations import CHILDRENS_SOCIAL_CARE, NationRules, rules_for
from stratui.settings import Settings
from stratui.store import IndexedSummary


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
    # Scotland: the record (minutes) of the CPPM, counted from the day the CPPM is held.
    CONFERENCE_RECORD = "conference-record"


class DeadlineState(StrEnum):
    OVERDUE = "overdue"
    DUE_TODAY = "due-today"
    DUE_SOON = "due-soon"
    LATER = "later"


@dataclass(frozen=True, slots=True)
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
    # What the due date is counted from and its basis ("15 working days from ...; statutory
    # guidance"): the title ends with it; screens that show the due date apart use it alone.
    rule: str = ""

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
_CASE_ORDER = attrgetter("case_ref", "key")

# Enum members looked up once: reading one off its class costs ~70 ns, and the loops below
# run once per summary (20,000) or per action (100,000).
_OPEN = ActionStatus.OPEN
_DRAFT = DiscussionStatus.DRAFT
_PHONE = MeetingFormat.PHONE
_STRATEGY_DISCUSSION = DiscussionKind.STRATEGY_DISCUSSION
_STRATEGY_MEETING = DiscussionKind.STRATEGY_MEETING
_ACTION = DeadlineKind.ACTION
_DISCUSSION = DeadlineKind.DISCUSSION
_MINUTES = DeadlineKind.MINUTES
_RECONVENE = DeadlineKind.RECONVENE
_PARENTS_REVIEW = DeadlineKind.PARENTS_REVIEW
_FOLLOW_UP_MEETING = DeadlineKind.FOLLOW_UP_MEETING
_CONFERENCE_RECORD = DeadlineKind.CONFERENCE_RECORD
_CONFERENCE_NEEDED = EnquiryOutcomeKind.CONFERENCE
_CONTINUE_ASSESSMENT = EnquiryOutcomeKind.CONTINUE_ASSESSMENT


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


# A discussion's own contribution: (the summary, its deadlines, its deadlines that a follow-up
# would close, its case (None if the case-wide rules ignore it), whether it is a strategy
# discussion/meeting, and the case's deadlines if it were the case's only discussion).
_Pending = tuple[DiscussionSummary, DeadlineKind, str, date]
_Part = tuple[
    DiscussionSummary, tuple["Deadline", ...], tuple[_Pending, ...], "str | None", bool, tuple["Deadline", ...]
]

# (today, dashboard only, settings as JSON) -> {id(summary): its part}, from the latest call.
_remembered: dict[tuple[date, bool, str], dict[int, _Part]] = {}
_remembered_lock = threading.Lock()
_REMEMBERED_CONFIGS = 4


class _Engine:
    """One computation: one calendar, one clock, memoised date arithmetic, one output list."""

    def __init__(self, today: date, settings: Settings, dashboard_only: bool, remember: bool = True) -> None:
        # One case's deadlines (case_deadlines) must not replace the whole database's remembered parts.
        self.remember = remember
        # Everything a discussion's deadlines depend on besides the discussion itself.
        self.config = (today, dashboard_only, settings.model_dump_json())
        t = settings.timescales
        rules = rules_for(settings.nation)
        self.rules: NationRules = rules
        self.calendar = settings.calendar()
        self.clock = _Clock(self.calendar, today, t.warning_window_working_days)
        self.today = today
        # The dashboard never builds the later deadlines: it is the hot path.
        self.horizon: date = self.clock.soon_before if dashboard_only else date.max
        self.out: list[Deadline] = []
        self._added_days: dict[tuple[date, int], date] = {}

        # Settings and titles read once, not once per discussion.
        self.discussion_days = t.strategy_discussion_working_days
        self.minutes_days = t.minutes_working_days
        self.follow_up_days = t.meeting_after_phone_working_days
        self.assessment_days = getattr(t, rules.assessment_setting) if rules.has_timed_assessment else 0
        self.conference_days = t.conference_working_days
        self.planning_meeting_days = t.scotland_planning_meeting_calendar_days
        self.conference_record_days = getattr(t, rules.conference_record_setting) if rules.conference_record_setting else 0
        self.pre_birth_week = getattr(t, rules.pre_birth_setting) if rules.pre_birth_setting else 0
        self.conference_from_latest = t.conference_counts_from == "latest-discussion"
        self.rules_text = rules_text = timescale_rules(rules, settings)
        name = _sentence(rules.discussion_name)
        short = rules.discussion_short_name
        self.titles = {
            "minutes": f"Circulate minutes to attendees ({rules_text['minutes']})",
            "record": f"Circulate the {short} record to attendees ({rules_text['minutes']})",
            "reconvene": f"Reconvene the {rules.discussion_name}",
            "next-network-meeting": "Next network meeting",
            "parents-review": "Review decision not to inform parents",
            "to-be-held": f"{name} to be held ({rules_text['discussion']})",
            "held-late": f"{name} held late: record the reason ({rules_text['discussion']})",
            "follow-up": f"{_sentence(rules.meeting_name)} to follow the phone {short} ({rules_text['follow-up-meeting']})",
            "assessment": f"{_sentence(rules.assessment_name)} ({rules_text['assessment']})",
            "conference": f"{_sentence(rules.conference_short_name)} due ({rules_text['conference']})",
            "conference-record": f"Circulate the {rules.conference_record} ({rules_text.get('conference-record', '')})",
        }

    def add_working_days(self, start: date, n: int) -> date:
        # Thousands of discussions share a few hundred dates.
        due = self._added_days.get((start, n))
        if due is None:
            due = self._added_days[(start, n)] = self.calendar.add_working_days(start, n)
        return due

    def add(
        self,
        s: DiscussionSummary,
        kind: DeadlineKind,
        title: str,
        due: date,
        into: list[Deadline] | None = None,
        rule: str = "",
    ) -> None:
        """A deadline of the discussion itself, owned by its social worker."""
        if due >= self.horizon:
            return
        working_days, state = self.clock.place(due)
        (self.out if into is None else into).append(
            Deadline(
                f"{s.id}:{kind.value}",
                kind,
                title,
                s.id,
                s.case_ref,
                tuple(s.children),
                s.social_worker,
                CHILDRENS_SOCIAL_CARE,
                due,
                working_days,
                state,
                None,
                rule,
            )
        )

    # -- the rules ----------------------------------------------------------------------
    # One pass over the summaries (touching 20,000 scattered records twice costs more than
    # the rules themselves). Rules that depend on other discussions (follow-ups, the case)
    # collect what they need on the way and are settled after the pass.

    def run(self, discussions: Iterable[DiscussionSummary]) -> list[Deadline]:
        # Case key -> the part of its only discussion, or the parts of its discussions.
        cases: dict[str, _Part | list[_Part]] = {}
        # Discussion id -> the kinds of the discussions that follow it up.
        followed_by: dict[str, list[DiscussionKind]] = defaultdict(list)
        # Deadlines that a follow-up discussion closes: (discussion, kind, title, due).
        unless_followed: list[_Pending] = []
        with _remembered_lock:
            before = _remembered.get(self.config, {}) if self.remember else {}
        now: dict[int, _Part] = {}
        # Bound once: this loop body runs per summary.
        extend, part_of, remembered = self.out.extend, self._part, before.get
        for s in discussions:
            if type(s) is IndexedSummary:
                part = remembered(id(s))
                # The part holds the summary, so while it is remembered its id is not reused.
                if part is None or part[0] is not s:
                    part = part_of(s)
                now[id(s)] = part
            else:
                part = part_of(s)
            own, pending, case_key = part[1], part[2], part[3]
            if own:
                extend(own)
            if pending:
                unless_followed.extend(pending)
            for previous in s.previous_discussion_ids:
                followed_by[previous].append(s.kind)
            if case_key is not None:
                others = cases.get(case_key)
                if others is None:
                    cases[case_key] = part
                elif type(others) is list:
                    others.append(part)
                else:
                    cases[case_key] = [others, part]  # type: ignore[list-item]
        if self.remember:
            with _remembered_lock:
                # Only the latest call's summaries: parts of replaced summaries are let go.
                _remembered.pop(self.config, None)
                _remembered[self.config] = now
                while len(_remembered) > _REMEMBERED_CONFIGS:
                    del _remembered[next(iter(_remembered))]

        for s, kind, title, due in unless_followed:
            followers = followed_by.get(s.id, ())
            if kind is _FOLLOW_UP_MEETING:
                if _STRATEGY_MEETING not in followers:
                    self.add(s, kind, title, due)
            elif not followers:
                self.add(s, kind, title, due)
        # Most cases have one discussion: its part already holds the case's deadlines.
        for members in cases.values():
            if type(members) is list:
                case = _Case()
                for member in members:
                    case.add(member[0], member[4])
                self._case_deadlines(case, self.out)
            else:
                extend(members[5])  # type: ignore[index]
        return self.out

    def _part(self, s: DiscussionSummary) -> _Part:
        """What the discussion contributes on its own; the same for the same summary, today and settings."""
        own: list[Deadline] = []
        horizon = self.horizon
        # Most deadlines are actions and most actions are closed: keep this loop lean.
        children: tuple[str, ...] | None = None
        for a in s.actions:
            if a.status is not _OPEN:
                continue
            due = a.due
            if due is None or due >= horizon:
                continue
            if children is None:
                children = tuple(s.children)
            working_days, state = self.clock.place(due)
            own.append(
                Deadline(
                    f"{s.id}:action:{a.id}",
                    _ACTION,
                    a.text,
                    s.id,
                    s.case_ref,
                    children,
                    a.owner,
                    a.agency,
                    due,
                    working_days,
                    state,
                    a.id,
                )
            )
        strategy = s.kind in _STRATEGY_KINDS
        pending: list[_Pending] = []
        self._own_deadlines(s, strategy, own, pending)
        milestones = s.milestones
        if not strategy:
            if "conference" in milestones or "assessment" in milestones or s.enquiry_outcome is not None:
                return s, tuple(own), tuple(pending), case_key(s), False, ()
            return s, tuple(own), tuple(pending), None, False, ()
        # The case's deadlines if this were its only discussion.
        solo: list[Deadline] = []
        case = _Case()
        case.add(s, True)
        self._case_deadlines(case, solo)
        return s, tuple(own), tuple(pending), case_key(s), True, tuple(solo)

    def _own_deadlines(
        self,
        s: DiscussionSummary,
        strategy: bool,
        own: list[Deadline],
        unless_followed: list[_Pending],
    ) -> None:
        milestones = s.milestones
        titles = self.titles

        if "minutes" not in milestones:
            due = self.add_working_days(s.held_on, self.minutes_days)
            # Scotland calls the IRD's minutes its record.
            title = titles["record"] if strategy and self.rules.discussion_short_name != self.rules.discussion_name else titles["minutes"]
            if due < self.horizon:
                self.add(s, _MINUTES, title, due, own)

        # A follow-up discussion takes over the reconvene date and the review of parents.
        if s.reconvene_on is not None and s.reconvene_on < self.horizon and "reconvene" not in milestones:
            title = titles["reconvene"] if strategy else titles["next-network-meeting"]
            unless_followed.append((s, _RECONVENE, title, s.reconvene_on))

        # The conference's own record, wherever the conference was recorded as held.
        held = milestones.get("conference")
        if self.conference_record_days and held is not None and "conference-record" not in milestones:
            due = self.add_working_days(held, self.conference_record_days)
            if due < self.horizon:
                self.add(s, _CONFERENCE_RECORD, titles["conference-record"], due, own, self.rules_text["conference-record"])

        if not strategy:
            return

        review = s.parents_review_date
        if (
            s.parents_informed is False
            and review is not None
            and review < self.horizon
            and "parents-review" not in milestones
        ):
            unless_followed.append((s, _PARENTS_REVIEW, titles["parents-review"], review))

        if s.status is _DRAFT and not s.previous_discussion_ids and "discussion" not in milestones:
            due = self.discussion_due(s)
            if s.held_on > self.today:
                self.add(s, _DISCUSSION, titles["to-be-held"], due, own)
            elif s.held_on > due:
                self.add(s, _DISCUSSION, titles["held-late"], due, own)

        if (
            self.follow_up_days > 0
            and s.kind is _STRATEGY_DISCUSSION
            and s.format is _PHONE
            and "follow-up-meeting" not in milestones
        ):
            due = self.add_working_days(s.held_on, self.follow_up_days)
            if due < self.horizon:
                unless_followed.append((s, _FOLLOW_UP_MEETING, titles["follow-up"], due))

    def discussion_due(self, s: DiscussionSummary) -> date:
        """A first strategy discussion is held within N working days of the concern."""
        return self.add_working_days(s.concern_date, self.discussion_days)

    def conference_base(self, case: _Case) -> DiscussionSummary | None:
        """The discussion a case's conference is counted from: its s47 one, or its latest (a setting)."""
        if case.first_s47 is None:
            return None
        return case.latest if self.conference_from_latest else case.first_s47

    def conference_due(self, base: DiscussionSummary, unborn_due: date | None = None) -> date:
        if self.rules.conference_in_calendar_days:
            due = base.held_on + timedelta(days=self.planning_meeting_days)
        else:
            due = self.add_working_days(base.held_on, self.conference_days)
        by_week = self.pre_birth_by(unborn_due)
        # The week-of-pregnancy limit can only bring it forward, never before the discussion itself.
        if by_week is not None and base.held_on <= by_week < due:
            return by_week
        return due

    def pre_birth_by(self, unborn_due: date | None) -> date | None:
        """The day a pre-birth conference is held by (Scotland: 28 weeks of pregnancy), if the nation has one."""
        return pre_birth_limit(unborn_due, self.pre_birth_week)

    def _case_deadlines(self, case: _Case, into: list[Deadline]) -> None:
        """The conference and the assessment of a case: one rule per nation (stratui.nations).

        The conference is due once an enquiry is started, until it is held or the enquiry's
        outcome says none is needed. The assessment follows the nation: England's when no
        enquiry is started (or the outcome is to continue assessing), Wales's whenever one is.
        """
        base = self.conference_base(case)
        if base is not None and not case.conference_held and not case.no_conference:
            self._conference(base, into, case.unborn_due)
        if case.assessment_done or not self.assessment_days:
            return
        when = self.rules.assessment_when
        if when == "s47" and case.first_s47 is not None:
            self._assessment(case.first_s47, into)
        elif when == "no-s47":
            if case.first_s47 is None and case.first_no_s47 is not None:
                self._assessment(case.first_no_s47, into)
            elif case.first_s47 is not None and case.continue_assessment:
                self._assessment(case.first_s47, into)

    def _assessment(self, base: DiscussionSummary, into: list[Deadline]) -> None:
        if self.rules.assessment_from == "s47-start":
            start = base.held_on
        else:
            start = base.referral_date or base.concern_date
        due = self.add_working_days(start, self.assessment_days)
        self.add(base, DeadlineKind.ASSESSMENT, self.titles["assessment"], due, into, self.rules_text["assessment"])

    def _conference(self, base: DiscussionSummary, into: list[Deadline], unborn_due: date | None = None) -> None:
        """The conference of a case, counted from `base`: its s47 or its latest discussion; a
        pre-birth one (an unborn child in the case) also by the nation's week of pregnancy."""
        due = self.conference_due(base, unborn_due)
        if self.pre_birth_by(unborn_due) is not None:
            rule = self.rules_text["pre-birth"]
            title = f"Pre-birth {self.rules.conference_short_name} due ({rule})"
        else:
            rule, title = self.rules_text["conference"], self.titles["conference"]
        self.add(base, DeadlineKind.CONFERENCE, title, due, into, rule)


class _Case:
    """What the case-wide rules (conference, assessment) need to know about a case."""

    __slots__ = (
        "assessment_done",
        "conference_held",
        "continue_assessment",
        "first_no_s47",
        "first_s47",
        "latest",
        "no_conference",
        "unborn_due",
    )

    def __init__(self) -> None:
        # Strategy discussions/meetings: the first that started s47, the first that decided
        # not to, and the latest of all (each by date held, then id, for a stable answer).
        self.first_s47: DiscussionSummary | None = None
        self.first_no_s47: DiscussionSummary | None = None
        self.latest: DiscussionSummary | None = None
        # Milestones on any discussion of the case (network meetings included).
        self.conference_held = False
        self.assessment_done = False
        # An enquiry outcome on any discussion of the case: no conference needed; continue assessing.
        self.no_conference = False
        self.continue_assessment = False
        # The earliest expected date of delivery of an unborn child in the case (a pre-birth conference).
        self.unborn_due: date | None = None

    def add(self, s: DiscussionSummary, strategy: bool) -> None:
        milestones = s.milestones
        unborn = s.unborn_due
        if unborn is not None and (self.unborn_due is None or unborn < self.unborn_due):
            self.unborn_due = unborn
        if "conference" in milestones:
            self.conference_held = True
        if "assessment" in milestones:
            self.assessment_done = True
        outcome = s.enquiry_outcome
        if outcome is not None and outcome is not _CONFERENCE_NEEDED:
            self.no_conference = True
            if outcome is _CONTINUE_ASSESSMENT:
                self.continue_assessment = True
        if not strategy:
            return
        order = _held_order(s)
        if self.latest is None or order > _held_order(self.latest):
            self.latest = s
        if s.s47_started is True:
            self.first_s47 = _earlier(self.first_s47, s, order)
        elif s.s47_started is False:
            self.first_no_s47 = _earlier(self.first_no_s47, s, order)


def case_key(s: DiscussionSummary) -> str:
    """What the discussions of one case share; without a case reference a discussion is a case of its own."""
    return s.case_ref or "\0" + s.id


class Timescales:
    """The engine's timescales one at a time, for measuring what was held against them
    (stratui.report): the same rules and settings as the deadlines, counted the same way."""

    def __init__(self, today: date, settings: Settings) -> None:
        self._engine = _Engine(today, settings, dashboard_only=False)
        self.rules: NationRules = self._engine.rules
        self.calendar = self._engine.calendar
        self.discussion_days = self._engine.discussion_days
        self.conference_days = self._engine.conference_days
        self.planning_meeting_days = self._engine.planning_meeting_days
        self.conference_from_latest = self._engine.conference_from_latest
        self._clocks: dict[date, _Clock] = {}

    @staticmethod
    def has_discussion_timescale(s: DiscussionSummary) -> bool:
        """A first strategy discussion or meeting: a follow-up answers an earlier one's concern."""
        return s.kind in _STRATEGY_KINDS and not s.previous_discussion_ids

    def discussion_due(self, s: DiscussionSummary) -> date:
        return self._engine.discussion_due(s)

    def conference_base(self, case: Iterable[DiscussionSummary]) -> DiscussionSummary | None:
        """The discussion the case's conference is counted from (None: no s47 decided)."""
        return self._engine.conference_base(_case_of(case))

    @staticmethod
    def conference_not_needed(case: Iterable[DiscussionSummary]) -> bool:
        """The enquiry's outcome, on any discussion of the case, says no conference is needed:
        the engine's rule that closes the conference deadline."""
        return _case_of(case).no_conference

    def conference_due(self, base: DiscussionSummary, unborn_due: date | None = None) -> date:
        return self._engine.conference_due(base, unborn_due)

    def conference_days_taken(self, base: DiscussionSummary, held: date) -> int:
        """Days from `base` to the conference, in the unit its timescale counts (calendar days in Scotland)."""
        if self.rules.conference_in_calendar_days:
            return (held - base.held_on).days
        return self.calendar.working_days_between(base.held_on, held)

    def working_days_late(self, due: date, on: date) -> int:
        """How many working days after `due` the day `on` is, as the dashboard counts overdue (0: not late)."""
        clock = self._clocks.get(on)
        if clock is None:
            clock = self._clocks[on] = _Clock(self.calendar, on, 0)
        working_days, state = clock.place(due)
        return -working_days if state is DeadlineState.OVERDUE else 0


def _case_of(case: Iterable[DiscussionSummary]) -> _Case:
    found = _Case()
    for s in case:
        found.add(s, s.kind in _STRATEGY_KINDS)
    return found


def _earlier(
    current: DiscussionSummary | None, candidate: DiscussionSummary, order: tuple[date, str]
) -> DiscussionSummary:
    return candidate if current is None or order < _held_order(current) else current


def _held_order(s: DiscussionSummary) -> tuple[date, str]:
    return s.held_on, s.id


def _by_due(deadlines: list[Deadline]) -> list[Deadline]:
    """Sorted by due date, then case, then key; states are monotonic in the due date.

    Thousands of deadlines share a few hundred dates: bucketing beats comparing dates.
    """
    buckets: dict[date, list[Deadline]] = {}
    for deadline in deadlines:
        bucket = buckets.get(deadline.due)
        if bucket is None:
            buckets[deadline.due] = [deadline]
        else:
            bucket.append(deadline)
    ordered: list[Deadline] = []
    for due in sorted(buckets):
        bucket = buckets[due]
        if len(bucket) > 1:
            bucket.sort(key=_CASE_ORDER)
        ordered.extend(bucket)
    return ordered


def working_days_phrase(n: int) -> str:
    """'1 working day', '3 working days'."""
    return f"{n} working day{'' if n == 1 else 's'}"


def time_left_in_words(state: DeadlineState | None, days: int, *, late: str, today: str) -> str:
    """How far a deadline is, in words: '3 working days <late>', '<today>', '1 working day left'.

    One rule for the dashboard's line and the handover, which only word lateness differently.
    """
    if state is DeadlineState.OVERDUE:
        return f"{working_days_phrase(-days)} {late}"
    if days == 0:
        return today
    return f"{working_days_phrase(days)} left"


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def timescale_rules(rules: NationRules, settings: Settings) -> dict[str, str]:
    """Each timed deadline's rule in words, with its basis: "15 working days from ...; statutory guidance".

    The dashboard's titles, the decisions screen and the minutes all say it this way.
    """
    t = settings.timescales
    short = rules.discussion_short_name
    if rules.conference_in_calendar_days:
        conference = f"{t.scotland_planning_meeting_calendar_days} calendar days"
    else:
        conference = working_days_phrase(t.conference_working_days)
    if t.conference_counts_from == "latest-discussion":
        conference += f" from the latest {short}"
    else:
        conference += f" from {rules.conference_from}"
    if rules.has_timed_assessment:
        source = "referral" if rules.assessment_from == "referral" else f"the start of the {rules.enquiries_name}"
        assessment = f"{working_days_phrase(getattr(t, rules.assessment_setting))} from {source}"
    else:
        assessment = "no timescale set"
    extra: dict[str, str] = {}
    if rules.conference_record_setting:
        days = getattr(t, rules.conference_record_setting)
        extra["conference-record"] = f"{working_days_phrase(days)} from the {rules.conference_short_name}"
    said = {
        "discussion": f"{working_days_phrase(t.strategy_discussion_working_days)} from the concern",
        "minutes": working_days_phrase(t.minutes_working_days),
        "follow-up-meeting": working_days_phrase(t.meeting_after_phone_working_days),
        "conference": conference,
        "assessment": assessment,
        **extra,
    }
    if rules.pre_birth_setting and getattr(t, rules.pre_birth_setting):
        said["pre-birth"] = f"{conference} and by week {getattr(t, rules.pre_birth_setting)} of pregnancy"
    # The pre-birth limit is part of the conference's timescale and shares its basis.
    return {kind: f"{text}; {rules.basis_of('conference' if kind == 'pre-birth' else kind)}" for kind, text in said.items()}


def pre_birth_limit(unborn_due: date | None, by_week: int) -> date | None:
    """The day a pregnancy reaches `by_week` weeks, counted back from the expected date of
    delivery at 40 weeks (the usual reckoning); None without an unborn child or a limit."""
    if unborn_due is None or not by_week:
        return None
    return unborn_due - timedelta(weeks=40 - by_week)


def case_deadlines(
    discussion: DiscussionSummary, case: Iterable[DiscussionSummary], today: date, settings: Settings
) -> list[Deadline]:
    """The conference and assessment deadlines of `discussion`'s case, counted as the dashboard
    counts them, with `discussion` as it is now (a draft being typed) in place of its stored copy."""
    ref = discussion.case_ref
    members = [discussion] + [
        s for s in case if s.id != discussion.id and ref and s.case_ref == ref
    ]
    found = _Engine(today, settings, dashboard_only=False, remember=False).run(members)
    return [d for d in found if d.kind in (DeadlineKind.CONFERENCE, DeadlineKind.ASSESSMENT)]


def compute_deadlines(discussions: Iterable[DiscussionSummary], today: date, settings: Settings) -> list[Deadline]:
    """Every open deadline: overdue first, then due today, due soon, later; by due date, then case."""
    return _by_due(_Engine(today, settings, dashboard_only=False).run(discussions))


def dashboard_items(discussions: Iterable[DiscussionSummary], today: date, settings: Settings) -> list[Deadline]:
    """Only what needs attention now: overdue, due today and due within the warning window."""
    return _by_due(_Engine(today, settings, dashboard_only=True).run(discussions))
