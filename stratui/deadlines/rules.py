"""The rules per kind of deadline: what one discussion owes on its own (its actions, minutes,
reconvene date, the review of parents, the discussion's own timeliness, a meeting to follow a
phone call) and what a case owes (the conference, the assessment), in the nation's rules
(stratui.nations) and the team's settings. Rules: DOMAIN.md "Deadlines that follow from it".

The engine (stratui.deadlines.engine) runs them over every summary; `Timescales` asks them one
at a time, for measuring what was held against them (stratui.report).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from stratui.deadlines.in_words import _sentence, timescale_rules
from stratui.deadlines.kinds import Clock, Deadline, DeadlineKind, DeadlineState
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

STRATEGY_KINDS = frozenset({DiscussionKind.STRATEGY_DISCUSSION, DiscussionKind.STRATEGY_MEETING})

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

# A discussion's own contribution: (the summary, its deadlines, its deadlines that a follow-up
# would close, its case (None if the case-wide rules ignore it), whether it is a strategy
# discussion/meeting, and the case's deadlines if it were the case's only discussion).
Pending = tuple[DiscussionSummary, DeadlineKind, str, date]
Part = tuple[
    DiscussionSummary, tuple[Deadline, ...], tuple[Pending, ...], "str | None", bool, tuple[Deadline, ...]
]


class DeadlineRules:
    """The rules for one today and settings: one calendar, one clock, memoised date arithmetic,
    one output list."""

    def __init__(self, today: date, settings: Settings, dashboard_only: bool) -> None:
        t = settings.timescales
        rules = rules_for(settings.nation)
        self.rules: NationRules = rules
        self.calendar = settings.calendar()
        self.clock = Clock(self.calendar, today, t.warning_window_working_days)
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

    def _part(self, s: DiscussionSummary) -> Part:
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
        strategy = s.kind in STRATEGY_KINDS
        pending: list[Pending] = []
        self._own_deadlines(s, strategy, own, pending)
        milestones = s.milestones
        if not strategy:
            if "conference" in milestones or "assessment" in milestones or s.enquiry_outcome is not None:
                return s, tuple(own), tuple(pending), case_key(s), False, ()
            return s, tuple(own), tuple(pending), None, False, ()
        # The case's deadlines if this were its only discussion.
        solo: list[Deadline] = []
        case = Case()
        case.add(s, True)
        self._case_deadlines(case, solo)
        return s, tuple(own), tuple(pending), case_key(s), True, tuple(solo)

    def _own_deadlines(
        self,
        s: DiscussionSummary,
        strategy: bool,
        own: list[Deadline],
        unless_followed: list[Pending],
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

    def settle_follow_ups(
        self,
        pending: Iterable[Pending],
        followed_by: dict[str, list[DiscussionKind]],
        into: list[Deadline] | None = None,
    ) -> None:
        """The deadlines a follow-up closes: any follow-up takes over the reconvene date and the
        review of parents; only a strategy meeting is the meeting that follows a phone call.

        `followed_by`: discussion id -> the kinds of the discussions that name it as previous."""
        for s, kind, title, due in pending:
            followers = followed_by.get(s.id, ())
            if kind is _FOLLOW_UP_MEETING:
                if _STRATEGY_MEETING not in followers:
                    self.add(s, kind, title, due, into)
            elif not followers:
                self.add(s, kind, title, due, into)

    def settle_case(self, members: Part | list[Part], into: list[Deadline]) -> None:
        """The conference and assessment of one case (one case key), from its discussions' parts:
        a case of one discussion has them in its part already (most cases)."""
        if type(members) is not list:
            into.extend(members[5])  # type: ignore[index]
            return
        case = Case()
        for member in members:
            case.add(member[0], member[4])
        self._case_deadlines(case, into)

    def discussion_due(self, s: DiscussionSummary) -> date:
        """A first strategy discussion is held within N working days of the concern."""
        return self.add_working_days(s.concern_date, self.discussion_days)

    def conference_base(self, case: Case) -> DiscussionSummary | None:
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

    def _case_deadlines(self, case: Case, into: list[Deadline]) -> None:
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



class Case:
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
        self._rules = DeadlineRules(today, settings, dashboard_only=False)
        self.rules: NationRules = self._rules.rules
        self.calendar = self._rules.calendar
        self.discussion_days = self._rules.discussion_days
        self.conference_days = self._rules.conference_days
        self.planning_meeting_days = self._rules.planning_meeting_days
        self.conference_from_latest = self._rules.conference_from_latest
        self._clocks: dict[date, Clock] = {}

    @staticmethod
    def has_discussion_timescale(s: DiscussionSummary) -> bool:
        """A first strategy discussion or meeting: a follow-up answers an earlier one's concern."""
        return s.kind in STRATEGY_KINDS and not s.previous_discussion_ids

    def discussion_due(self, s: DiscussionSummary) -> date:
        return self._rules.discussion_due(s)

    def conference_base(self, case: Iterable[DiscussionSummary]) -> DiscussionSummary | None:
        """The discussion the case's conference is counted from (None: no s47 decided)."""
        return self._rules.conference_base(_case_of(case))

    @staticmethod
    def conference_not_needed(case: Iterable[DiscussionSummary]) -> bool:
        """The enquiry's outcome, on any discussion of the case, says no conference is needed:
        the engine's rule that closes the conference deadline."""
        return _case_of(case).no_conference

    def conference_due(self, base: DiscussionSummary, unborn_due: date | None = None) -> date:
        return self._rules.conference_due(base, unborn_due)

    def conference_days_taken(self, base: DiscussionSummary, held: date) -> int:
        """Days from `base` to the conference, in the unit its timescale counts (calendar days in Scotland)."""
        if self.rules.conference_in_calendar_days:
            return (held - base.held_on).days
        return self.calendar.working_days_between(base.held_on, held)

    def working_days_late(self, due: date, on: date) -> int:
        """How many working days after `due` the day `on` is, as the dashboard counts overdue (0: not late)."""
        clock = self._clocks.get(on)
        if clock is None:
            clock = self._clocks[on] = Clock(self.calendar, on, 0)
        working_days, state = clock.place(due)
        return -working_days if state is DeadlineState.OVERDUE else 0


def _case_of(case: Iterable[DiscussionSummary]) -> Case:
    found = Case()
    for s in case:
        found.add(s, s.kind in STRATEGY_KINDS)
    return found


def _earlier(
    current: DiscussionSummary | None, candidate: DiscussionSummary, order: tuple[date, str]
) -> DiscussionSummary:
    return candidate if current is None or order < _held_order(current) else current


def _held_order(s: DiscussionSummary) -> tuple[date, str]:
    return s.held_on, s.id


def pre_birth_limit(unborn_due: date | None, by_week: int) -> date | None:
    """The day a pregnancy reaches `by_week` weeks, counted back from the expected date of
    delivery at 40 weeks (the usual reckoning); None without an unborn child or a limit."""
    if unborn_due is None or not by_week:
        return None
    return unborn_due - timedelta(weeks=40 - by_week)
