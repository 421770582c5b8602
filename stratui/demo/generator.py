"""Builds one demo discussion at a time from a scenario: the child, the people, the decisions.

What is decided follows from the scenario (decide.py), the children from household.py; here
the record is written out with the texts of scenarios.py and texts.py in the nation's words
(words.py), with the people, actions and milestones that fit the decisions and the child's age.

Over 500 lines on purpose: it is one Generator, a record's parts in agenda order drawn from one
random stream with what was drawn before (the people, the case references, the decisions); what
stands apart (scenarios, household, decisions, words) already has its own module.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from stratui.calendar import WorkingCalendar, get_calendar
from stratui.deadlines import DeadlineKind
from stratui.demo import network, texts
from stratui.demo.decide import Decided, decide
from stratui.demo.family import fill_family
from stratui.demo.household import Subject, household, subject_on
from stratui.demo.scenarios import (
    AGENCY_ACTIONS,
    AGENCY_AGES,
    AGENCY_SUMMARIES,
    GENERAL_PROTECTIVE_FACTORS,
    GENERAL_RISK_FACTORS,
    INFORMATION_REQUESTS,
    LIVED_BY_BAND,
    SCENARIOS,
    YEAR,
    Scenario,
    band,
)
from stratui.demo.words import CSC, EXPLOITATION, HEALTH, PAEDIATRICS, POLICE, words_for
from stratui.models import (
    FAMILY,
    ActionStatus,
    Attendance,
    Discussion,
    DiscussionKind,
    DiscussionStatus,
    MeetingFormat,
    format_date,
)

# Parts of the record are built as plain dicts and validated once per discussion: pydantic does
# that in one pass, several times faster than constructing each nested model in Python.
Part = dict[str, object]

SOCIAL_WORKER_COUNT = 14
MANAGER_COUNT = 4
# Most recent discussions, kept inside the last few weeks so a dashboard has current items.
RECENT_COUNT = 40
RECENT_DAYS = 28
HISTORY_DAYS = 730
# A follow-up reconvenes a case discussed within the last six weeks.
FOLLOW_UP_WINDOW_DAYS = 42
# A pre-birth discussion is held this many days before the due date: the baby is still unborn
# at any follow-up.
UNBORN_DAYS = (FOLLOW_UP_WINDOW_DAYS + 20, 150)
# Old enough to be seen alone, or interviewed on video (ABE / joint investigative interview).
SEEN_ALONE_MONTHS = 4 * YEAR
INTERVIEW_MONTHS = 4 * YEAR
AT_RISK_IF_S47 = 0.7

_FORMAT_WEIGHTS = (
    (MeetingFormat.PHONE, 50),
    (MeetingFormat.VIDEO, 30),
    (MeetingFormat.IN_PERSON, 10),
    (MeetingFormat.MIXED, 10),
)
_KIND_WEIGHTS = ((DiscussionKind.STRATEGY_DISCUSSION, 82), (DiscussionKind.STRATEGY_MEETING, 18))
# Of the concerns a network meeting suits (neglect, a parent's illness), this share are one.
NETWORK_SHARE = 0.25
NETWORK_FOLLOW_UP = texts.FollowUp(
    "Review of the plan: agencies report on the actions agreed at the last meeting.",
    "Planned review agreed at the previous meeting.",
    CSC,
)


class _QuickRandom(random.Random):
    """random.Random with choice and randrange from a single float draw.

    The standard ones loop over getrandbits and dominate the profile at 20,000 discussions;
    these are as reproducible for a given seed and biased by far less than anyone could notice.
    """

    def choice(self, seq):  # type: ignore[override]
        return seq[int(self.random() * len(seq))]

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:  # type: ignore[override]
        if stop is None:
            start, stop = 0, start
        return start + step * int(self.random() * ((stop - start + step - 1) // step))

    def randint(self, a: int, b: int) -> int:
        return self.randrange(a, b + 1)


def _cumulative(weighted: tuple[tuple[object, int], ...]) -> tuple[list, list[int]]:
    values, weights, total = [], [], 0
    for value, weight in weighted:
        total += weight
        values.append(value)
        weights.append(total)
    return values, weights


# Where uuid4().hex keeps its version digit ("4"), and the demo's own digit there.
DEMO_ID_DIGIT = 12
DEMO_ID_MARK = "0"


def is_demo_id(discussion_id: str) -> bool:
    """Written by `stratui demo`: a real record's id (uuid4) has "4" where the demo's has "0"."""
    return len(discussion_id) == 32 and discussion_id[DEMO_ID_DIGIT] == DEMO_ID_MARK


class Generator:
    """One pass of demo generation: the rng and everything drawn so far."""

    def __init__(self, seed: int, today: date, nation: str = "england") -> None:
        self.rng = _QuickRandom(seed)
        self.today = today
        self.words = words_for(nation)
        self.nation = nation
        self.calendar: WorkingCalendar = get_calendar(nation)
        self.case_refs: set[str] = set()
        self.social_workers = [self.person() for _ in range(SOCIAL_WORKER_COUNT)]
        self.managers = [self.person() for _ in range(MANAGER_COUNT)]
        self.formats, self.format_weights = _cumulative(_FORMAT_WEIGHTS)
        self.kinds, self.kind_weights = _cumulative(_KIND_WEIGHTS)
        self.scenario_by_case: dict[str, Scenario] = {}
        self._working_days: dict[tuple[date, int], date] = {}
        # Discussions holding the pinned dashboard actions: never followed up, so they stay open.
        self.pinned_ids: set[str] = set()
        # The child and family details draw from their own stream: the rest stays as it was.
        self.family_rng = _QuickRandom(seed + 1_000_003)
        # So do a network meeting's own parts (stratui.demo.network).
        self.network_rng = _QuickRandom(seed + 2_000_003)

    # -- small draws -------------------------------------------------------------------------

    def new_id(self) -> str:
        # The same layout as uuid4().hex, drawn from the seeded rng so output is reproducible,
        # with the version digit uuid4 never writes: demo records can be told from real ones.
        drawn = f"{self.rng.getrandbits(128):032x}"
        return drawn[:DEMO_ID_DIGIT] + DEMO_ID_MARK + drawn[DEMO_ID_DIGIT + 1 :]

    def person(self) -> str:
        return f"{self.rng.choice(self.words.first_names)} {self.rng.choice(self.words.surnames)}"

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def text(self, template: str, child: Subject) -> str:
        """A template in the nation's words about `child`, as a sentence."""
        filled = self.words.fill(template).replace("{child}", child.name)
        return filled[:1].upper() + filled[1:]

    def pick(self, pool: tuple[str, ...], child: Subject) -> str:
        return self.text(self.rng.choice(pool), child)

    def working_day_on_or_before(self, day: date) -> date:
        while not self.calendar.is_working_day(day):
            day -= timedelta(days=1)
        return day

    def working_days_back(self, days: int) -> list[date]:
        """The working days among `today` and the `days - 1` days before it."""
        span = (self.today - timedelta(days=n) for n in range(days))
        return [day for day in span if self.calendar.is_working_day(day)]

    def add_working_days(self, day: date, n: int) -> date:
        # The same few hundred days come up again and again: remember the answers.
        key = (day, n)
        result = self._working_days.get(key)
        if result is None:
            result = self._working_days[key] = self.calendar.add_working_days(day, n)
        return result

    def case_ref(self, year: int) -> str:
        while True:
            ref = f"CS-{year}-{self.rng.randrange(100_000):05d}"
            if ref not in self.case_refs:
                self.case_refs.add(ref)
                return ref

    def agency(self, key: str) -> str:
        return self.words.agencies[key].name

    # -- dates -------------------------------------------------------------------------------

    def held_dates(self, count: int) -> list[date]:
        recent = min(count, RECENT_COUNT)
        recent_days = self.working_days_back(RECENT_DAYS)
        history_days = self.working_days_back(HISTORY_DAYS)
        held = [self.rng.choice(recent_days) for _ in range(recent)]
        held += [self.rng.choice(history_days) for _ in range(count - recent)]
        # Oldest first, so a follow-up can always point back at an earlier discussion.
        return sorted(held)

    # -- a discussion ------------------------------------------------------------------------

    def discussion(self, held_on: date, pins: tuple[int, ...] = ()) -> Discussion:
        rng = self.rng
        scenario = rng.choice(SCENARIOS)
        kind = rng.choices(self.kinds, cum_weights=self.kind_weights)[0]
        if scenario.network_meeting and self.chance(NETWORK_SHARE):
            kind = DiscussionKind.NETWORK_MEETING
        concern_date = held_on - timedelta(days=rng.choice((0, 0, 0, 1, 1, 2, 3)))
        social_worker = rng.choice(self.social_workers)
        manager = rng.choice(self.managers)
        children, other_children, subject = household(
            rng, scenario, rng.choice(self.words.surnames), held_on, self.words.first_names, UNBORN_DAYS
        )
        decided = decide(rng, scenario, kind, subject)
        participants = self.participants(scenario, subject, social_worker, manager, decided)
        case_ref = self.case_ref(concern_date.year)
        self.scenario_by_case[case_ref] = scenario
        return self.assemble(
            kind=kind,
            case_ref=case_ref,
            children=children,
            other_children=other_children,
            scenario=scenario,
            concerns=self.pick(scenario.concerns, subject),
            came_to_light=self.text(scenario.came_to_light, subject),
            source=self.agency(scenario.source),
            concern_date=concern_date,
            referral_date=concern_date if self.chance(0.8) else None,
            held_on=held_on,
            social_worker=social_worker,
            manager=manager,
            participants=participants,
            decided=decided,
            subject=subject,
            previous=None,
            pins=pins,
        )

    def follow_up(self, earlier: Discussion, held_on: date) -> Discussion:
        """A later discussion of the same case: same people, earlier open actions carried over."""
        rng = self.rng
        scenario = self.scenario_by_case[earlier.case_ref]
        subject = subject_on(earlier.children[0], held_on)
        if earlier.kind is DiscussionKind.NETWORK_MEETING:
            kind = DiscussionKind.NETWORK_MEETING
            reason = NETWORK_FOLLOW_UP
        else:
            kind = rng.choice((DiscussionKind.STRATEGY_DISCUSSION, DiscussionKind.STRATEGY_MEETING))
            was = earlier.decisions
            reasons = [
                r
                for r in texts.FOLLOW_UPS
                if (not r.needs_child_seen or subject.old_enough(SEEN_ALONE_MONTHS))
                and (not r.needs_joint or was.joint_investigation.made)
                and (not r.needs_s47 or was.s47_enquiry.made)
            ]
            reason = rng.choice(reasons)
        decided = decide(rng, scenario, kind, subject, earlier)
        manager = earlier.sign_off.manager if earlier.sign_off else rng.choice(self.managers)
        # The same people (same ids) as capture.follow_up copies them; attendance is recorded afresh.
        participants = [p.model_dump() for p in earlier.participants]
        for p in participants[2:]:
            if p["agency"] == FAMILY:
                continue  # the family attends the network meeting; drawn apart from the professionals
            absent = self.chance(0.12)
            p["attendance"] = Attendance.WRITTEN if absent else Attendance.PRESENT
            p["absence_reason"] = rng.choice(texts.ABSENCE_REASONS) if absent else ""
        return self.assemble(
            kind=kind,
            case_ref=earlier.case_ref,
            children=[c.model_dump() for c in earlier.children],
            other_children=[c.model_dump() for c in earlier.other_children],
            scenario=scenario,
            concerns=self.text(reason.concerns, subject),
            came_to_light=self.text(reason.came_to_light, subject),
            source=self.agency(reason.source),
            concern_date=earlier.concern_date,
            referral_date=earlier.referral_date,
            held_on=held_on,
            social_worker=earlier.social_worker,
            manager=manager,
            participants=participants,
            decided=decided,
            subject=subject,
            previous=earlier,
            pins=(),
        )

    def assemble(
        self,
        *,
        kind: DiscussionKind,
        case_ref: str,
        children: list[Part],
        other_children: list[Part],
        scenario: Scenario,
        concerns: str,
        came_to_light: str,
        source: str,
        concern_date: date,
        referral_date: date | None,
        held_on: date,
        social_worker: str,
        manager: str,
        participants: list[Part],
        decided: Decided,
        subject: Subject,
        previous: Discussion | None,
        pins: tuple[int, ...],
    ) -> Discussion:
        rng = self.rng
        held_at = time(rng.randrange(8, 18), rng.randrange(0, 60, 5))
        started = datetime.combine(held_on, held_at)
        network_meeting = kind is DiscussionKind.NETWORK_MEETING
        # The family at a network meeting shares no agency's information and owns no agency's action.
        participants_all, participants = participants, [p for p in participants if p["agency"] != FAMILY]
        carried = self.carry_over(previous, held_on) if previous else []
        if network_meeting and previous is not None:
            carried = network.review(self.network_rng, previous, carried, held_on, social_worker)
        actions = carried + self.actions(scenario, subject, decided, participants, held_on, pins, kind)
        # Older records are mostly signed off; the last week's are often still drafts.
        signed = self.chance(0.4 if (self.today - held_on).days <= 7 else 0.72)
        sign_off = None
        last_change = started + timedelta(minutes=rng.randrange(20, 90))
        addenda: list[Part] = []
        if signed:
            signed_day = min(self.today, self.add_working_days(held_on, rng.choice((0, 0, 1, 1, 2))))
            signed_at = max(last_change, datetime.combine(signed_day, time(rng.randrange(9, 18), rng.randrange(60))))
            sign_off = dict(manager=manager, signed_at=signed_at)
            last_change = signed_at
            if signed_day < self.today and self.chance(0.06):
                reason, text = rng.choice(texts.ADDENDUM_REASONS)
                # Never later than this morning: the demo must not contain the future.
                written_at = min(
                    last_change + timedelta(hours=rng.randrange(1, 30)), datetime.combine(self.today, time(9))
                )
                addenda.append(
                    dict(
                        id=self.new_id(),
                        author=rng.choice((social_worker, manager)),
                        written_at=written_at,
                        reason=reason,
                        text=text,
                    )
                )
                last_change = written_at
        decisions = self.decisions(kind, scenario, subject, decided, held_on, previous)
        plan = self.plan(kind, scenario, subject, decided, participants, social_worker, held_on)
        risk = self.risk(scenario, subject, decided, bool(other_children))
        network_part: Part = {}
        if network_meeting:
            network_part, risk, plan = self.network_parts(subject, participants, held_on, previous, risk, plan)
            actions += network_part.pop("items")  # type: ignore[operator]
        milestones = self.milestones(
            kind, decided.s47, concern_date, held_on, referral_date or concern_date, social_worker, decisions, plan
        )
        discussion = Discussion.model_validate(
            dict(
                id=self.new_id(),
                revision=1 + len(addenda) + (1 if signed else 0),
                kind=kind,
                case_ref=case_ref,
                children=children,
                other_children=other_children,
                concern_date=concern_date,
                concern_source=source,
                referral_date=referral_date,
                held_on=held_on,
                held_at=held_at,
                format=rng.choices(self.formats, cum_weights=self.format_weights)[0],
                social_worker=social_worker,
                participants=participants_all,
                information=self.information(scenario, subject, concerns, came_to_light, participants, children, other_children),
                risk=risk,
                network=network_part,
                decisions=decisions,
                plan=plan,
                actions=actions,
                milestones=milestones,
                status=DiscussionStatus.SIGNED_OFF if signed else DiscussionStatus.DRAFT,
                sign_off=sign_off,
                addenda=addenda,
                previous_discussion_ids=[previous.id] if previous else [],
                created_at=started,
                created_by=social_worker,
                updated_at=last_change,
                updated_by=manager if signed else social_worker,
            )
        )
        fill_family(self.family_rng, discussion, scenario.key, previous, self.words, self.today, self.add_working_days)
        if network_meeting:
            network.seat_family(self.network_rng, discussion, self.new_network_id)
        if pins:
            self.pinned_ids.add(discussion.id)
        return discussion

    # -- a network meeting's own parts ---------------------------------------------------------

    def network_parts(
        self, child: Subject, participants: list[Part], held_on: date, previous: Discussion | None, risk: Part, plan: Part
    ) -> tuple[Part, Part, Part]:
        """Its purpose, coordination and care-plan items and the review of the previous
        meeting's actions; the risk and the plan without the enquiry's questions."""
        rng = self.network_rng
        key_of = self._key_of()
        people: dict[str, str] = {}
        for p in participants:
            people.setdefault(key_of[p["agency"]], p["name"])
        items = network.items(
            rng, child, people, self.agency, self.text, lambda n: self.add_working_days(held_on, n), self.new_network_id
        )
        part: Part = dict(
            purpose=network.purpose(rng, child, self.text),
            # Every action of the previous meeting, in the state this meeting's review left it.
            previous_actions=[a.model_dump() for a in previous.actions] if previous is not None else [],
            items=items,
        )
        # A network meeting asks no s47 question: no significant harm, no safety-at-home decision.
        risk = {**risk, "significant_harm_suspected": None, "significant_harm_rationale": "", "safe_at_home": None,
                "safe_at_home_rationale": "", "other_children_at_risk": None, "other_children_notes": ""}
        plan = {**plan, "parents_spoken_to_by": "", "parents_spoken_to_on": None, "child_seen_by": "", "child_seen_on": None,
                "child_seen_at": None}
        return part, risk, plan

    def new_network_id(self) -> str:
        # From the network stream, as the rest of its parts: the main stream stays as it was.
        drawn = f"{self.network_rng.getrandbits(128):032x}"
        return drawn[:DEMO_ID_DIGIT] + DEMO_ID_MARK + drawn[DEMO_ID_DIGIT + 1 :]

    # -- decisions ---------------------------------------------------------------------------

    def decisions(
        self,
        kind: DiscussionKind,
        scenario: Scenario,
        child: Subject,
        decided: Decided,
        held_on: date,
        previous: Discussion | None,
    ) -> Part:
        if kind is DiscussionKind.NETWORK_MEETING:
            return {}
        rng = self.rng
        text = self.text
        medical = scenario.medical if decided.medical else None
        threshold = rng.choice(texts.THRESHOLDS) if decided.disagreement else None
        if medical is not None:
            medical_part = dict(
                made=True,
                rationale=text("An injury or health concern needs a medical opinion today.", child),
                examination_type=text(medical.examination_type, child),
                conducted_by=text(medical.conducted_by, child),
                consent=text(
                    "{child} to be asked for consent, with a parent's agreement."
                    if child.old_enough(12 * YEAR)
                    else "Mother to give consent; the social worker to attend with her.",
                    child,
                ),
                timescale=rng.choice(("Today by 5pm", "Within 24 hours", "Tomorrow morning")),
            )
        else:
            previous_medical = previous is not None and previous.decisions.medical_examination.made
            medical_part = dict(
                made=False,
                rationale="The medical took place after the last discussion; its findings were shared."
                if previous_medical
                else "No injury or health concern needing a medical opinion.",
            )
        if decided.inform:
            parents: Part = dict(
                made=True,
                rationale="No reason to delay; the parents will be asked to support the plan.",
                who_informs="Social worker",
                inform_by=held_on if self.chance(0.6) else self.add_working_days(held_on, 1),
            )
        else:
            parents = dict(
                made=False,
                rationale=self.pick(scenario.not_inform_rationales, child),
                review_date=self.add_working_days(held_on, rng.randint(1, 5)),
            )
        return dict(
            s47_enquiry=dict(
                made=decided.s47,
                rationale=text(f"{scenario.harm_reason}; {{the_enquiry}} to start today.", child)
                if decided.s47
                else self.pick(texts.S47_NO_RATIONALES, child),
            ),
            immediate_protection=dict(
                made=decided.protect,
                rationale=text(
                    "{child} cannot be kept safe at home tonight."
                    if decided.protect
                    else texts.SAFE_BEFORE_BIRTH
                    if child.unborn
                    else "The safety plan is enough to keep {child} safe while enquiries are made.",
                    child,
                ),
                details=self.pick(texts.IMMEDIATE_PROTECTION_DETAILS, child) if decided.protect else "",
            ),
            joint_investigation=dict(
                made=decided.joint,
                rationale="A criminal offence may have been committed: evidence to be protected and interviews coordinated."
                if decided.joint
                else text("No criminal investigation involving {child} is needed at this stage.", child),
            ),
            legal_advice=dict(
                made=decided.legal,
                rationale=text("The team manager wants advice on {legal_step}.", child)
                if decided.legal
                else "Not needed at this stage.",
            ),
            medical_examination=medical_part,
            inform_parents=parents,
            threshold=dict(
                disagreement=threshold is not None,
                details=text(threshold.details, child) if threshold else "",
                resolution=text(threshold.resolution, child) if threshold and threshold.resolution else "",
                escalated=bool(threshold and not threshold.resolution),
                escalated_to="Head of service" if threshold and not threshold.resolution else "",
            ),
            no_s47_next_steps="" if decided.s47 else self.pick(texts.NO_S47_NEXT_STEPS, child),
            **({"ird": self.ird_decisions(child, decided, held_on)} if self.nation == "scotland" else {}),
        )

    def ird_decisions(self, child: Subject, decided: Decided, held_on: date) -> Part:
        """Scotland's IRD: what follows from the rest (an interview only where there is a possible
        offence and the child can be interviewed; the Reporter when the investigation starts)."""
        text = self.text
        interviewed = decided.joint and child.old_enough(INTERVIEW_MONTHS)
        if interviewed:
            jii = dict(made=True, rationale=text("A possible offence: {child} to be interviewed once, jointly, by trained police and social work interviewers.", child))
        elif decided.joint:
            jii = dict(made=False, rationale=text("{child} is too young to be interviewed; evidence gathered by other means.", child))
        else:
            jii = dict(made=False, rationale="No criminal investigation at this stage.")
        referred = decided.s47 and not child.unborn
        reporter = (
            dict(made=True, rationale=text("{child} may need compulsory measures of supervision.", child), referred_on=self.add_working_days(held_on, 1))
            if referred
            else dict(made=False, rationale="Voluntary support is enough at this stage." if not child.unborn else "Not before the birth: reviewed at the pre-birth CPPM.")
        )
        if child.unborn:
            plan, named = "Midwife to visit weekly; a birth plan agreed with the hospital before delivery.", "Community midwife"
        elif decided.protect:
            plan, named = text("{child} stays with a relative agreed by both parents until the CPPM; contact supervised.", child), ""
        else:
            plan, named = "The parents agree no unsupervised contact with the adult alleged to have caused harm.", ""
        if not child.unborn:
            named = "Head teacher" if child.old_enough(5 * YEAR) else "Health visitor"
        return dict(
            # Not every local area still has a Named Person service.
            named_person=named if self.chance(0.6) else "",
            interim_safety_plan=plan,
            joint_investigative_interview=jii,
            reporter_referral=reporter,
        )

    # -- the people and what they share ------------------------------------------------------

    def participants(
        self, scenario: Scenario, child: Subject, social_worker: str, manager: str, decided: Decided
    ) -> list[Part]:
        rng = self.rng
        csc = self.words.agencies[CSC]
        people = [
            dict(id=self.new_id(), name=social_worker, role=csc.roles[0], agency=csc.name),
            dict(id=self.new_id(), name=manager, role=csc.roles[1], agency=csc.name),
        ]
        invited = [POLICE, HEALTH]
        for key in scenario.agencies:
            if key not in invited and self.present_for(key, child) and (key == scenario.source or self.chance(0.8)):
                invited.append(key)
        # A medical examination is decided with a medical professional at the table.
        needs_medic = decided.medical
        if needs_medic and PAEDIATRICS not in invited:
            invited.append(PAEDIATRICS)
        for key in invited:
            agency = self.words.agencies[key]
            attendance = Attendance.PRESENT
            reason = ""
            if not (needs_medic and key == PAEDIATRICS) and self.chance(0.12):
                attendance = Attendance.WRITTEN if self.chance(0.6) else Attendance.ABSENT
                reason = rng.choice(texts.ABSENCE_REASONS)
            people.append(
                dict(
                    id=self.new_id(),
                    name=self.person(),
                    role=rng.choice(agency.roles),
                    agency=agency.name,
                    attendance=attendance,
                    absence_reason=reason,
                )
            )
        return people

    def present_for(self, key: str, child: Subject) -> bool:
        """Whether the agency works with a child of this age (schools do not see babies)."""
        ages = AGENCY_AGES.get(key)
        if ages is None:
            return True
        return child.months is not None and ages[0] <= child.months < ages[1]

    def _key_of(self) -> dict[str, str]:
        return {agency.name: key for key, agency in self.words.agencies.items()}

    def information(
        self,
        scenario: Scenario,
        child: Subject,
        concerns: str,
        came_to_light: str,
        participants: list[Part],
        children: list[Part],
        other_children: list[Part],
    ) -> Part:
        rng = self.rng
        key_of = self._key_of()
        shared = []
        seen: set[str] = set()
        for p in participants:
            key = key_of[p["agency"]]
            if key in seen or p.get("attendance") is Attendance.ABSENT:
                continue
            seen.add(key)
            pool = scenario.shared.get(key) or self.fitting(AGENCY_SUMMARIES[key], child)
            shared.append(dict(agency=p["agency"], shared_by=p["name"], summary=self.pick(pool, child)))
        malicious = self.chance(scenario.malicious_chance)
        lived = scenario.lived.get(band(child.months)) or self.fitting(LIVED_BY_BAND[band(child.months)], child)
        reliability = texts.MALICIOUS_RELIABILITY if malicious else scenario.reliability or texts.SOURCE_RELIABILITY
        return dict(
            concerns=concerns,
            how_concerns_came_to_light=came_to_light,
            agency_information=shared,
            family_history=rng.choice(texts.FAMILY_HISTORY),
            current_circumstances=self.circumstances(scenario, child, children, other_children),
            lived_experience=self.pick(lived, child),
            source_reliability=self.pick(reliability, child),
            possibly_malicious=malicious,
        )

    def fitting(self, pool: tuple[str, ...], child: Subject) -> tuple[str, ...]:
        # Before the birth there is no child to have been seen, taught or treated.
        if child.unborn:
            return tuple(t for t in pool if "{child}" not in t) or ("No information held before the birth.",)
        return pool

    def circumstances(self, scenario: Scenario, child: Subject, children: list[Part], others: list[Part]) -> str:
        rng = self.rng
        carers = rng.choice(scenario.carers)
        siblings = [c["name"].split()[0] for c in children[1:] + others]
        with_them = f" and {_and(siblings)}" if siblings else ""
        home = rng.choice(texts.HOMES)
        if child.unborn:
            who = "Mother and her partner live" if "partner" in carers else "Mother lives"
            return f"{who}{' with ' + _and(siblings) if siblings else ''} {home}."
        return f"{child.name} lives with {carers}{with_them} {home}."

    def risk(self, scenario: Scenario, child: Subject, decided: Decided, other_children: bool) -> Part:
        rng = self.rng
        s47 = decided.s47
        risks = rng.sample(scenario.risk_factors, rng.randint(1, len(scenario.risk_factors)))
        risks += rng.sample(GENERAL_RISK_FACTORS, rng.randint(0, 2))
        protective = rng.sample(scenario.protective_factors, rng.randint(1, len(scenario.protective_factors)))
        protective += rng.sample(GENERAL_PROTECTIVE_FACTORS, rng.randint(0, 1))
        others_at_risk = (s47 is True and self.chance(AT_RISK_IF_S47)) if other_children else None
        if decided.protect:
            safe_why = self.pick(texts.SAFE_AT_HOME_NO, child)
        elif child.unborn:
            safe_why = texts.SAFE_BEFORE_BIRTH
        else:
            safe_why = self.pick(texts.SAFE_AT_HOME_YES, child)
        return dict(
            significant_harm_suspected=s47,
            significant_harm_rationale=self.text(f"{scenario.harm_reason}: there is reasonable cause to suspect significant harm.", child)
            if s47
            else self.pick(texts.S47_NO_RATIONALES, child)
            if s47 is not None
            else "",
            risk_factors=[self.text(r, child) for r in risks],
            protective_factors=[self.text(p, child) for p in protective],
            safe_at_home=not decided.protect,
            safe_at_home_rationale=safe_why,
            other_children_at_risk=others_at_risk,
            other_children_notes=(
                "The other children live in the same household and are exposed to the same risks; they will be seen as part of the enquiry."
                if others_at_risk
                else "The other children are not exposed to the same risk; the agencies who see them will be told of the plan."
                if other_children
                else ""
            ),
        )

    # -- the plan and the actions ------------------------------------------------------------

    def plan(
        self,
        kind: DiscussionKind,
        scenario: Scenario,
        child: Subject,
        decided: Decided,
        participants: list[Part],
        social_worker: str,
        held_on: date,
    ) -> Part:
        rng = self.rng
        key_of = self._key_of()
        present = {key_of[p["agency"]]: f"{p['name']} ({p['agency']})" for p in participants}
        wanted = [(what, key) for what, key in INFORMATION_REQUESTS if key in present]
        requests = [
            dict(what=self.text(what, child), from_whom=present[key])
            for what, key in rng.sample(wanted, min(len(wanted), rng.randint(1, 3)))
        ]
        # No child to see before the birth; a network meeting plans no enquiry.
        seen = not (kind is DiscussionKind.NETWORK_MEETING or child.unborn)
        seen_on = self.add_working_days(held_on, 0 if decided.protect else rng.choice((0, 0, 1, 2))) if seen else None
        if child.unborn:
            contingency = texts.CONTINGENCY_BEFORE_BIRTH
        elif decided.medical and self.chance(0.5):
            contingency = texts.CONTINGENCY_MEDICAL
        elif EXPLOITATION in scenario.agencies:
            contingency = self.text("If {child} goes missing again, police to be informed at once and the discussion reconvened.", child)
        else:
            contingency = self.pick(texts.CONTINGENCIES, child)
        return dict(
            lead=social_worker,
            lead_agency=self.agency(CSC),
            child_seen_by=social_worker if seen else "",
            child_seen_on=seen_on,
            child_seen_at=time(rng.randrange(10, 17)) if seen and self.chance(0.3) else None,
            information_needed=requests,
            parents_spoken_to_by=social_worker,
            parents_spoken_to_on=self.add_working_days(held_on, rng.choice((0, 1, 2))),
            contingency=contingency,
            reconvene_on=self.add_working_days(held_on, rng.randint(5, 15)) if self.chance(0.7) else None,
        )

    def possible_actions(
        self,
        scenario: Scenario,
        child: Subject,
        decided: Decided,
        participants: list[Part],
        kind: DiscussionKind = DiscussionKind.STRATEGY_DISCUSSION,
    ) -> list[tuple[str, str]]:
        """(text, agency key) of every action that fits this discussion."""
        key_of = self._key_of()
        # In the order people are listed: a set's order changes from one process to the next.
        present = list(dict.fromkeys(key_of[p["agency"]] for p in participants))
        minutes = (
            "Send the notes of the network meeting to everyone who took part, the family included."
            if kind is DiscussionKind.NETWORK_MEETING
            else "Send the minutes of the {discussion} to every agency."
        )
        found: list[tuple[str, str]] = [
            (minutes, CSC),
            ("Speak to the parents and explain what happens next.", CSC),
        ]
        if child.old_enough(SEEN_ALONE_MONTHS):
            found.append(("See {child} alone and record their wishes and feelings.", CSC))
        elif not child.unborn:
            found.append(("See {child} at home and observe their care.", CSC))
        if not child.unborn:
            found.append(("Agree a written safety plan with the family.", CSC))
        if decided.s47:
            found.append(("Complete the {enquiry_visit}.", CSC))
            if self.nation == "scotland" and not child.unborn:
                found.append(("Refer {child} to the Children's Reporter.", CSC))
        if decided.legal:
            found.append(("Seek legal advice on {legal_step}.", CSC))
        if decided.joint:
            found.append(("Complete {police_checks} on the adults in the household.", POLICE))
            if child.old_enough(INTERVIEW_MONTHS):
                found.append(("Arrange {interview} with {child}.", POLICE))
        if decided.medical and scenario.medical is not None:
            examination = scenario.medical.examination_type
            found.append((f"Arrange the {examination[:1].lower()}{examination[1:]}.", PAEDIATRICS))
        found += [a for a in scenario.actions if a[1] in present]
        for key in present:
            found += [(text, key) for text in AGENCY_ACTIONS.get(key, ())]
        return found

    def actions(
        self,
        scenario: Scenario,
        child: Subject,
        decided: Decided,
        participants: list[Part],
        held_on: date,
        pins: tuple[int, ...],
        kind: DiscussionKind = DiscussionKind.STRATEGY_DISCUSSION,
    ) -> list[Part]:
        rng = self.rng
        key_of = self._key_of()
        # The first person listed for an agency owns its actions (the social worker, not the manager).
        people: dict[str, str] = {}
        for p in participants:
            people.setdefault(key_of[p["agency"]], p["name"])
        possible = self.possible_actions(scenario, child, decided, participants, kind)
        pool = rng.sample(possible, min(len(possible), max(len(pins), rng.randint(2, 8))))
        actions = []
        for n, (text, key) in enumerate(pool):
            owner = people.get(key) or self.person()
            pin = pins[n] if n < len(pins) else None
            due = self.due_date(held_on, pin)
            actions.append(
                self.action(self.text(text, child), owner, self.agency(key), due, held_on, keep_open=pin is not None)
            )
        return actions

    def due_date(self, held_on: date, pinned: int | None) -> date:
        """A due date on or after the discussion; the pinned ones guarantee a lively dashboard."""
        if pinned == 0:  # overdue
            return held_on
        if pinned == 1:  # due today
            return self.today
        if pinned == 2:  # due within the next three working days
            return self.add_working_days(self.today, self.rng.randint(1, 3))
        return self.add_working_days(held_on, self.rng.choice((0, 1, 1, 2, 3, 5, 5, 10, 15, 20)))

    def action(
        self,
        text: str,
        owner: str,
        agency: str,
        due: date,
        held_on: date,
        keep_open: bool = False,
        carried_from: str | None = None,
    ) -> Part:
        rng = self.rng
        overdue_days = (self.today - due).days
        if keep_open:
            close = False
        elif overdue_days > 0:
            # Old actions were nearly all closed; the last fortnight's are still being chased.
            close = self.chance(0.6 if overdue_days <= 14 else 0.9 if overdue_days <= 90 else 0.995)
        else:
            close = self.chance(0.2)
        if not close:
            return dict(id=self.new_id(), text=text, owner=owner, agency=agency, due=due, carried_from=carried_from)
        closed_on = self.working_day_on_or_before(due + timedelta(days=rng.randrange(-3, 3)))
        closed_on = min(self.today, max(held_on, closed_on))
        dropped = self.chance(0.06)
        return dict(
            id=self.new_id(),
            text=text,
            owner=owner,
            agency=agency,
            due=due,
            status=ActionStatus.DROPPED if dropped else ActionStatus.DONE,
            closed_on=closed_on,
            closed_by=owner,
            closing_note=rng.choice(texts.DROPPED_NOTES if dropped else texts.DONE_NOTES),
            carried_from=carried_from,
        )

    def carry_over(self, earlier: Discussion, held_on: date) -> list[Part]:
        """Copy the earlier discussion's open actions and close them there, as capture does.

        `carried_from` is the earlier action's id; the earlier copy becomes "carried over".
        """
        carried = []
        for old in earlier.open_actions():
            carried.append(
                self.action(old.text, old.owner, old.agency, old.due or held_on, held_on, carried_from=old.id)
            )
            earlier.close_action(
                old.id,
                ActionStatus.CARRIED_OVER,
                held_on,
                earlier.social_worker,
                f"Carried over to the discussion of {format_date(held_on)}",
            )
        return carried

    def milestones(
        self,
        kind: DiscussionKind,
        s47: bool | None,
        concern_date: date,
        held_on: date,
        referral: date,
        social_worker: str,
        decisions: Part,
        plan: Part,
    ) -> list[Part]:
        """The statutory steps already met, so that old records do not all show as overdue.

        Most deadlines that fell due long ago were met; recent ones are often still open.
        """
        done: list[Part] = []
        old = (self.today - held_on).days > 14

        def met(key: DeadlineKind, day: date, p_old: float, p_recent: float, note: str = "") -> None:
            if day <= self.today and self.chance(p_old if old else p_recent):
                done.append(dict(key=key.value, on=day, by=social_worker, note=note))

        minutes_day = self.add_working_days(held_on, self.rng.choice((0, 1, 1, 2)))
        met(DeadlineKind.MINUTES, minutes_day, 0.96, 0.55, "Sent to all attendees by secure email.")
        if plan["reconvene_on"] is not None:
            met(DeadlineKind.RECONVENE, plan["reconvene_on"], 0.95, 0.5)
        if kind is DiscussionKind.NETWORK_MEETING:
            return done
        if held_on > self.add_working_days(concern_date, 1):
            met(DeadlineKind.DISCUSSION, held_on, 0.95, 0.5, self.rng.choice(texts.LATE_REASONS))
        parents = decisions["inform_parents"]
        if parents["made"] is False:
            met(DeadlineKind.PARENTS_REVIEW, parents["review_date"], 0.95, 0.5, "Reviewed: parents now informed.")
        words = self.words.words
        if s47:
            conference = self.add_working_days(held_on, self.rng.randint(8, 15))
            met(DeadlineKind.CONFERENCE, conference, 0.95, 0.3, words["conference_held"])
        elif s47 is False:
            assessment = self.add_working_days(max(referral, held_on), self.rng.randint(20, 45))
            met(DeadlineKind.ASSESSMENT, assessment, 0.95, 0.3, words["assessment_done"])
        return done


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
