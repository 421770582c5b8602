"""Phase 3, decisions: each yes/no decision with its rationale, and the deadlines that follow.

A one-key choice (y/n/u) then why, then the details the decision needs. The statutory deadline
a decision sets (conference or assessment) shows live under the enquiry choice, asked of the
deadline engine for the whole case; a decision not to inform
parents is flagged until it has a rationale and a review date (DOMAIN.md "Decisions").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from textual.app import ComposeResult
from textual.widgets import Input, Static

from stratui.deadlines import Deadline, DeadlineKind, case_deadlines
from stratui.models import ActionCategory, Discussion, DiscussionKind, DiscussionSummary, format_date, people_present
from stratui.nations import NationRules, medical_reason_wanted, rules_for
from stratui.phases import COORDINATION_FORM, DECISIONS, asks
from stratui.screens.date_fields import DateField
from stratui.screens.phase import PhaseScreen
from stratui.screens.rows import RowList
from stratui.screens.shape import shaped
from stratui.screens.widgets import (
    YES_NO,
    ChoiceField,
    Field,
    LongTextField,
    TextField,
    get_path,
    show_note,
)
from stratui.settings import Settings

PARENTS_WARNING = "A decision not to inform parents needs a rationale and a review date"

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def day_text(day: date) -> str:
    return f"{_WEEKDAYS[day.weekday()]} {format_date(day)}"


def s47_deadline_lines(
    discussion: Discussion, case: Iterable[DiscussionSummary], today: date, settings: Settings
) -> list[str]:
    """The deadlines the enquiry decision sets, as the dashboard's engine counts them for the
    whole case (a follow-up's conference counts from the discussion that started the enquiry).

    `case`: the stored summaries (the case's other discussions among them). [] when none.
    """
    if discussion.kind is DiscussionKind.NETWORK_MEETING or discussion.decisions.s47_enquiry.made is None:
        return []
    rules = rules_for(settings.nation)
    summary = discussion.summary()
    case = list(case)
    found = case_deadlines(summary, case, today, settings)
    members = [summary] + [s for s in case if s.id != summary.id and summary.case_ref and s.case_ref == summary.case_ref]
    lines = []
    for deadline in found:
        # The engine's own name for the conference ("Pre-birth CPPM" where an unborn child is in the case).
        name = deadline.title.partition(" due (")[0] if deadline.kind is DeadlineKind.CONFERENCE else rules.assessment_name
        lines.append(f"{_sentence(name)} due by {day_text(deadline.due)} ({deadline.rule}): {_counted_from(deadline, summary, members, rules)}")
    if discussion.decisions.s47_enquiry.made and not any(d.kind is DeadlineKind.CONFERENCE for d in found):
        lines.insert(0, _conference_closed(members, rules))
    if not found and not lines and rules.has_timed_assessment:
        done = [s.milestones["assessment"] for s in members if "assessment" in s.milestones]
        if done:
            lines.append(f"{_sentence(rules.assessment_name)} completed on {day_text(min(done))}")
    return lines


def _counted_from(deadline: Deadline, summary: DiscussionSummary, members: list[DiscussionSummary], rules: NationRules) -> str:
    base = next(s for s in members if s.id == deadline.discussion_id)
    if deadline.kind is DeadlineKind.ASSESSMENT and rules.assessment_from == "referral":
        if base.referral_date is not None:
            return f"counted from the referral on {format_date(base.referral_date)}"
        return f"counted from the concern on {format_date(base.concern_date)} (no referral date)"
    if base.id == summary.id:
        return f"counted from this {rules.discussion_short_name}"
    return f"counted from the {rules.kind_label(base.kind).lower()} of {format_date(base.held_on)}"


def _conference_closed(members: list[DiscussionSummary], rules: NationRules) -> str:
    """Why an enquiry started has no conference deadline: held, or an outcome needing none."""
    name = rules.conference_short_name
    held = [s.milestones["conference"] for s in members if "conference" in s.milestones]
    if held:
        return f"{name} held on {day_text(min(held))}"
    outcome = next((s.enquiry_outcome for s in members if s.enquiry_outcome is not None), None)
    if outcome is not None:
        return f"No {name} needed: outcome of the {rules.enquiry_name}: {rules.outcome_label(outcome)}"
    return f"No {name} deadline"


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def parents_warning(discussion: Discussion) -> str:
    """The warning while parents are not to be told without a rationale and a review date."""
    decision = discussion.decisions.inform_parents
    if decision.made is not False:
        return ""
    missing = [
        what
        for what, lacking in (
            ("rationale", not decision.rationale.strip()),
            ("review date", decision.review_date is None),
        )
        if lacking
    ]
    return f"!! {PARENTS_WARNING} (missing: {', '.join(missing)})" if missing else ""


def not_before_discussion(screen: PhaseScreen, what: str) -> Callable[[date], str]:
    """A DateField check: `what` may not fall before the discussion. The date is still recorded
    (a draft keeps what was typed); sign-off refuses it until it is fixed."""

    def check(day: date) -> str:
        held_on = screen.editor.discussion.held_on
        if day >= held_on:
            return ""
        return f"{what} is before the discussion on {format_date(held_on)}: fix before sign-off"

    return check


def _made(path: str, wanted: bool) -> Callable[[Discussion, Settings], bool]:
    return lambda discussion, _settings: get_path(discussion, path) is wanted


# Fields that only matter after a given answer: hidden until then (unless they hold something),
# so the usual answers need one key, Tab, the rationale and Tab, and the phase fits 80x24.
SHOWN_WHEN: dict[str, Callable[[Discussion, Settings], bool]] = {
    "decisions.no_s47_next_steps": _made("decisions.s47_enquiry.made", False),
    "decisions.immediate_protection.details": _made("decisions.immediate_protection.made", True),
    "decisions.joint_investigation.details": _made("decisions.joint_investigation.made", True),
    "decisions.legal_advice.details": _made("decisions.legal_advice.made", True),
    **{
        f"decisions.medical_examination.{name}": _made("decisions.medical_examination.made", True)
        for name in ("examination_type", "conducted_by", "consent", "timescale", "details")
    },
    # The attendance check asks for a medical professional or this reason (nations.attendance_gaps).
    "decisions.medical_examination.no_medical_professional_reason": medical_reason_wanted,
    "decisions.inform_parents.who_informs": _made("decisions.inform_parents.made", True),
    "decisions.inform_parents.inform_by": _made("decisions.inform_parents.made", True),
    "decisions.inform_parents.review_date": _made("decisions.inform_parents.made", False),
    "decisions.threshold.details": _made("decisions.threshold.disagreement", True),
    "decisions.threshold.resolution": _made("decisions.threshold.disagreement", True),
    "decisions.threshold.escalated": _made("decisions.threshold.disagreement", True),
    "decisions.threshold.escalated_to": _made("decisions.threshold.escalated", True),
    # Scotland's IRD decisions: the reason once answered, the date once the child is referred.
    "decisions.ird.joint_investigative_interview.rationale": lambda d, _s: d.decisions.ird.joint_investigative_interview.made is not None,
    "decisions.ird.reporter_referral.rationale": lambda d, _s: d.decisions.ird.reporter_referral.made is not None,
    "decisions.ird.reporter_referral.referred_on": _made("decisions.ird.reporter_referral.made", True),
}


class DecisionsScreen(PhaseScreen):
    PHASE = DECISIONS
    CSS_PATH = "decisions.tcss"

    def compose_form(self) -> ComposeResult:
        # A network meeting decides no enquiry: its coordination and care-plan items take this
        # phase instead (stratui.phases names what each kind asks).
        kind = self.editor.discussion.kind
        yield from shaped(kind, self._network_items())
        yield from shaped(kind, self._decisions())

    def _network_items(self) -> ComposeResult:
        # Here, not at the top: the planning screen imports this module's date check.
        from stratui.screens.planning import ActionRows

        context = self.editor.context
        calendar = context.settings.calendar()
        for category in (ActionCategory.COORDINATION, ActionCategory.CARE_PLAN):
            rows = ActionRows(lambda: self.editor.discussion, context.today, calendar, category)
            kind = rows.kind(people_present(self.editor.discussion), context.settings.lists.agencies)
            yield RowList(kind, lambda: self.editor.discussion, self.editor.locked)

    def _decisions(self) -> ComposeResult:
        context = self.editor.context
        calendar = context.settings.calendar()
        today = context.today
        people = people_present(self.editor.discussion)
        rules = rules_for(context.settings.nation)

        yield ChoiceField("decisions.s47_enquiry.made", rules.enquiry_decision_label)
        yield Static(id="s47-deadline", classes="hint", markup=False)
        yield LongTextField("decisions.s47_enquiry.rationale", "Rationale")
        yield LongTextField("decisions.no_s47_next_steps", f"If no {rules.enquiry_short}: next steps")

        yield ChoiceField("decisions.immediate_protection.made", "Immediate protection")
        yield LongTextField("decisions.immediate_protection.rationale", "Rationale")
        yield TextField(
            "decisions.immediate_protection.details", "What action", placeholder="e.g. stays with grandmother"
        )
        if rules.has_ird_decisions:
            yield LongTextField("decisions.ird.interim_safety_plan", rules.ird_words["interim_safety_plan"])

        yield ChoiceField("decisions.joint_investigation.made", "Joint investigation")
        yield LongTextField("decisions.joint_investigation.rationale", "Rationale")
        yield TextField(
            "decisions.joint_investigation.details",
            "Evidence/interviews",
            placeholder="protect evidence, avoid repeated interviews",
        )
        if rules.has_ird_decisions:
            yield ChoiceField(
                "decisions.ird.joint_investigative_interview.made", rules.ird_words["joint_investigative_interview"]
            )
            yield LongTextField("decisions.ird.joint_investigative_interview.rationale", "Reason")

        yield ChoiceField("decisions.legal_advice.made", "Legal advice/action")
        yield LongTextField("decisions.legal_advice.rationale", "Rationale")
        yield TextField("decisions.legal_advice.details", "Legal details", placeholder="e.g. legal planning meeting")
        if rules.has_ird_decisions:
            yield ChoiceField("decisions.ird.reporter_referral.made", rules.ird_words["reporter_referral"])
            yield LongTextField("decisions.ird.reporter_referral.rationale", "Reason")
            yield DateField(
                "decisions.ird.reporter_referral.referred_on",
                rules.ird_words["reporter_referred_on"],
                today=today,
                calendar=calendar,
                due=True,
            )

        yield ChoiceField("decisions.medical_examination.made", "Medical examination")
        yield LongTextField("decisions.medical_examination.rationale", "Rationale")
        yield TextField(
            "decisions.medical_examination.examination_type", "Type", placeholder="e.g. child protection medical"
        )
        yield TextField("decisions.medical_examination.conducted_by", "Conducted by", suggestions=people)
        yield TextField("decisions.medical_examination.consent", "How consent obtained")
        yield TextField("decisions.medical_examination.timescale", "Timescale", placeholder="e.g. today by 4pm")
        yield TextField("decisions.medical_examination.details", "Medical notes")
        yield LongTextField(
            "decisions.medical_examination.no_medical_professional_reason", "Why no medical professional"
        )

        yield ChoiceField("decisions.inform_parents.made", "Inform parents/carers")
        yield LongTextField("decisions.inform_parents.rationale", "Rationale")
        yield TextField("decisions.inform_parents.who_informs", "Who informs", suggestions=people)
        yield DateField("decisions.inform_parents.inform_by", "Inform by", today=today, calendar=calendar, due=True)
        yield DateField(
            "decisions.inform_parents.review_date",
            "Review date (if no)",
            today=today,
            calendar=calendar,
            due=True,
            check=not_before_discussion(self, "The review date"),
        )
        yield Static(id="parents-warning", classes="hint", markup=False)

        yield ChoiceField("decisions.threshold.disagreement", "Threshold disagreed", YES_NO[:2])
        yield TextField("decisions.threshold.details", "Disagreement")
        yield LongTextField("decisions.threshold.resolution", "How resolved")
        yield ChoiceField("decisions.threshold.escalated", "Escalated", YES_NO[:2])
        yield TextField("decisions.threshold.escalated_to", "Escalated to", placeholder="e.g. service manager")

    def show_lists(self) -> None:
        for row_list in self.query(RowList):
            row_list.show_rows()
        self.show_hints()

    def focus_first(self) -> None:
        if asks(self.editor.discussion.kind, COORDINATION_FORM.id) and not self.editor.locked:
            # At once (not Widget.focus(), deferred): keys typed ahead must find it focused.
            self.set_focus(self.query_one(f"#{COORDINATION_FORM.id} Input", Input))
            return
        super().focus_first()

    def on_mount(self) -> None:
        super().on_mount()
        self.show_hints()

    def record_changed(self) -> None:
        super().record_changed()
        self.show_hints()

    def show_hints(self) -> None:
        """The live deadline line, the parents warning and the fields the answers call for."""
        discussion = self.editor.discussion
        settings = self.editor.context.settings
        for field in self.query(Field):
            wanted = SHOWN_WHEN.get(field.path)
            if wanted is not None:
                value = get_path(discussion, field.path)
                field.display = wanted(discussion, settings) or bool(value)
        context = self.editor.context
        deadlines = "\n".join(
            f"-> {line}" for line in s47_deadline_lines(discussion, context.store.summaries(), context.today, settings)
        )
        for widget_id, text in (("#s47-deadline", deadlines), ("#parents-warning", parents_warning(discussion))):
            show_note(self.query_one(widget_id, Static), text)
