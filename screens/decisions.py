"""Phase 3, decisions: each yes/no decision with its rationale, and the deadlines that follow.

A one-key choice (y/n/u) then why, then the details the decision needs. The statutory deadline
a decision sets (ICPC or assessment) shows live under the s47 choice; a decision not to inform
parents is flagged until it has a rationale and a review date (DOMAIN.md "Decisions").
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from textual.app import ComposeResult
from textual.widgets import Static

from stratui.models import Discussion, DiscussionKind, format_date
from stratui.nations import medical_reason_wanted, rules_for
from stratui.phases import DECISIONS
from stratui.screens.date_fields import DateField
from stratui.screens.phase import PhaseScreen
from stratui.screens.widgets import (
    YES_NO,
    ChoiceField,
    Field,
    LongTextField,
    TextField,
    get_path,
)
from stratui.settings import Settings

PARENTS_WARNING = "A decision not to inform parents needs a rationale and a review date"

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def day_text(day: date) -> str:
    return f"{_WEEKDAYS[day.weekday()]} {format_date(day)}"


def s47_deadline_line(discussion: Discussion, settings: Settings) -> str:
    """The deadline the s47 decision sets, as the dashboard will count it; "" when none."""
    if discussion.kind is DiscussionKind.NETWORK_MEETING:
        return ""
    made = discussion.decisions.s47_enquiry.made
    t = settings.timescales
    if made is True:
        rules = rules_for(settings.nation)
        name = rules.conference_short_name
        held = discussion.milestone("conference")
        if held is not None:
            return f"{name} held on {day_text(held.on)}"
        source = "this IRD" if rules.discussion_short_name != rules.discussion_name else "this discussion"
        if rules.conference_in_calendar_days:
            days = t.scotland_planning_meeting_calendar_days
            due = discussion.held_on + timedelta(days=days)
            return f"{name} due by {day_text(due)} ({days} calendar days from {source})"
        days = t.conference_working_days
        due = settings.calendar().add_working_days(discussion.held_on, days)
        return f"{name} due by {day_text(due)} ({days} working days from {source})"
    if made is False:
        held = discussion.milestone("assessment")
        if held is not None:
            return f"Child and family assessment completed on {day_text(held.on)}"
        days = t.assessment_working_days
        start, source = (
            (discussion.referral_date, "referral")
            if discussion.referral_date
            else (discussion.concern_date, "the concern")
        )
        due = settings.calendar().add_working_days(start, days)
        return f"Child and family assessment due by {day_text(due)} ({days} working days from {source})"
    return ""


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
}


class DecisionsScreen(PhaseScreen):
    PHASE = DECISIONS
    CSS_PATH = "decisions.tcss"

    def compose_form(self) -> ComposeResult:
        context = self.editor.context
        calendar = context.settings.calendar()
        today = context.today
        people = self._people()

        yield ChoiceField("decisions.s47_enquiry.made", "Start s47 enquiries")
        yield Static(id="s47-deadline", classes="hint", markup=False)
        yield LongTextField("decisions.s47_enquiry.rationale", "Rationale")
        yield LongTextField("decisions.no_s47_next_steps", "If no s47: next steps")

        yield ChoiceField("decisions.immediate_protection.made", "Immediate protection")
        yield LongTextField("decisions.immediate_protection.rationale", "Rationale")
        yield TextField(
            "decisions.immediate_protection.details", "What action", placeholder="e.g. stays with grandmother"
        )

        yield ChoiceField("decisions.joint_investigation.made", "Joint investigation")
        yield LongTextField("decisions.joint_investigation.rationale", "Rationale")
        yield TextField(
            "decisions.joint_investigation.details",
            "Evidence/interviews",
            placeholder="protect evidence, avoid repeated interviews",
        )

        yield ChoiceField("decisions.legal_advice.made", "Legal advice/action")
        yield LongTextField("decisions.legal_advice.rationale", "Rationale")
        yield TextField("decisions.legal_advice.details", "Legal details", placeholder="e.g. legal planning meeting")

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

    def _people(self) -> list[str]:
        discussion = self.editor.discussion
        names = [p.name for p in discussion.participants] + [discussion.social_worker]
        return list(dict.fromkeys(name for name in names if name))

    def show_lists(self) -> None:
        self.show_hints()

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
        for widget_id, text in (
            ("#s47-deadline", s47_deadline_line(discussion, self.editor.context.settings)),
            ("#parents-warning", parents_warning(discussion)),
        ):
            hint = self.query_one(widget_id, Static)
            hint.update(("-> " if widget_id == "#s47-deadline" and text else "") + text)
            hint.set_class(bool(text), "shown")
