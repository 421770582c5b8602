"""The minutes' sections of a strategy discussion (or Scotland's IRD), in agenda order, in Markdown:
the details, the children, the participants, the four phases and the actions.

Every section is written out even when empty ("Not recorded"). The words are the nation's
(stratui.nations) and the timescales the team's settings (stratui.deadlines). What follows the
actions (timescales, outcomes, milestones, addenda) is stratui.minutes_afterwards; a network
meeting's own agenda is stratui.minutes_network; the document around them is stratui.minutes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, time

from stratui.deadlines import timescale_rules
from stratui.minutes_family import family_sections
from stratui.minutes_markdown import (
    NONE_RECORDED,
    NOT_RECORDED,
    _block,
    _bullets,
    _date,
    _datetime,
    _field,
    _inline,
    _item,
    _table,
    _time,
    _yes_no,
)
from stratui.models import (
    Action,
    ActionStatus,
    Attendance,
    Child,
    Decision,
    Discussion,
    DiscussionKind,
    DiscussionSummary,
    EnquiryPlan,
    MeetingFormat,
    Participant,
)
from stratui.nations import NationRules, earlier_discussion, rules_for
from stratui.settings import MinutesSettings, Settings

_FORMAT_LABELS = {
    MeetingFormat.PHONE: "Phone",
    MeetingFormat.VIDEO: "Video",
    MeetingFormat.IN_PERSON: "In person",
    MeetingFormat.MIXED: "Mixed (in person and remote)",
}

_STATUS_LABELS = {
    ActionStatus.OPEN: "Open",
    ActionStatus.DONE: "Done",
    ActionStatus.DROPPED: "Dropped",
    ActionStatus.CARRIED_OVER: "Carried over",
}

class _Setting:
    """What the minutes are written with: the nation's words, the team's marking and timescales,
    and the earlier discussions a follow-up names."""

    def __init__(
        self, settings: Settings | MinutesSettings | None, earlier: Iterable[DiscussionSummary] | None
    ) -> None:
        full = settings if isinstance(settings, Settings) else None
        self.minutes = full.minutes if full else (settings or MinutesSettings())
        self.rules = rules_for(full.nation if full else "england")
        self.timescales = timescale_rules(self.rules, full) if full else None
        # Scotland: the week of pregnancy a pre-birth conference is held by (0: none).
        self.pre_birth_week = getattr(full.timescales, self.rules.pre_birth_setting) if full and self.rules.pre_birth_setting else 0
        self.earlier = {s.id: s for s in earlier} if earlier is not None else {}

def _earlier(discussion_id: str, w: _Setting) -> str:
    """An earlier discussion as people know it: kind, date and case, never its file's id."""
    return _inline(earlier_discussion(w.earlier.get(discussion_id), w.rules))


def _details(d: Discussion, w: _Setting) -> list[str]:
    if d.sign_off is not None:
        status = f"Signed off by {_inline(d.sign_off.manager)} on {_datetime(d.sign_off.signed_at)}"
    else:
        status = "Draft (not signed off)"
    concern = _date(d.concern_date)
    if d.concern_source.strip():
        concern += f", raised by {_inline(d.concern_source)}"
    else:
        concern += f", source {NOT_RECORDED.lower()}"
    lines = [
        f"- **Case reference:** {_inline(d.case_ref)}",
        f"- **Date:** {_date(d.held_on)}",
        f"- **Time:** {_time(d.held_at)}",
        f"- **Format:** {_FORMAT_LABELS[d.format]}",
        f"- **Social worker:** {_inline(d.social_worker)}",
        f"- **Concern raised:** {concern}",
        f"- **Referral date:** {_date(d.referral_date)}",
        f"- **Status:** {status}",
    ]
    if d.previous_discussion_ids:
        lines.append(f"- **Follows:** {'; '.join(_earlier(i, w) for i in d.previous_discussion_ids)}")
        reason = d.follow_up_reason.label if d.follow_up_reason else NOT_RECORDED.lower()
        lines.append(f"- **Reason for this follow-up:** {reason}")
    lines.append(f"- **Record:** {_inline(d.id)}, revision {d.revision}")
    return ["\n".join(lines)]


def _child_line(child: Child) -> str:
    born = f" ({_inline(child.born)})" if child.born else " (date of birth or age not recorded)"
    line = f"**{_inline(child.name)}**{born}"
    if child.notes.strip():
        return _item(child.notes, lead=f"{line}: ")
    return f"- {line}"


def _children(d: Discussion) -> list[str]:
    children = "\n".join(_child_line(c) for c in d.children) or NOT_RECORDED
    others = "\n".join(_child_line(c) for c in d.other_children) or NONE_RECORDED
    return ["## Children", children, "### Other children in the household", others]


def _participants(d: Discussion) -> list[str]:
    if d.participants:
        table = _table(
            ["Name", "Role", "Agency", "Attendance"],
            (
                [_inline(p.name), _inline(p.role), _inline(p.agency), p.attendance.label.capitalize()]
                for p in d.participants
            ),
        )
    else:
        table = NOT_RECORDED
    absentees = d.absentees()
    if absentees:
        absent = "\n".join(_absentee(p) for p in absentees)
    elif d.participants:
        absent = "Everyone listed was present."
    else:
        absent = NONE_RECORDED
    return ["## Participants", table, "### Absent / written information", absent]


def _absentee(p: Participant) -> str:
    who = f"**{_inline(p.name)}** ({_inline(p.role, 'role not recorded')}, {_inline(p.agency, 'agency not recorded')})"
    if p.attendance is Attendance.TO_CONFIRM:
        return f"- {who}: attendance not confirmed."
    what = "sent written information" if p.attendance is Attendance.WRITTEN else "absent"
    return _item(p.absence_reason, "not recorded", lead=f"{who}: {what}. Reason: ")


def _information(d: Discussion) -> list[str]:
    info = d.information
    parts = [
        "## 1. Information sharing",
        "### Nature of the concerns",
        _block(info.concerns),
        "### How and when the concerns came to light",
        _block(info.how_concerns_came_to_light),
        "### What each agency shared",
    ]
    if info.agency_information:
        for shared in info.agency_information:
            by = f" (shared by {_inline(shared.shared_by)})" if shared.shared_by.strip() else ""
            parts += [f"#### {_inline(shared.agency)}{by}", _block(shared.summary)]
    else:
        parts.append(NONE_RECORDED)
    parts += [
        "### Family history and previous involvement",
        _block(info.family_history),
        "### Current circumstances",
        _block(info.current_circumstances),
        "### The child's daily lived experience",
        _block(info.lived_experience),
        "### Sources and their reliability",
        _block(info.source_reliability),
    ]
    if info.possibly_malicious:
        parts.append("**FLAG: some of this information may be malicious.** Weigh it against the other sources above.")
    else:
        parts.append("Not flagged as possibly malicious.")
    return parts


def _risk(d: Discussion) -> list[str]:
    risk = d.risk
    return [
        "## 2. Analysis of risk",
        f"**Reasonable cause to suspect significant harm:** {_yes_no(risk.significant_harm_suspected)}",
        _field("Rationale", risk.significant_harm_rationale),
        "### Risk factors",
        _bullets(risk.risk_factors),
        "### Protective factors",
        _bullets(risk.protective_factors),
        "### Is the child safe to remain at home?",
        f"**{_yes_no(risk.safe_at_home)}**",
        _field("Rationale", risk.safe_at_home_rationale),
        "### Are other children at risk?",
        f"**{_yes_no(risk.other_children_at_risk)}**",
        _field("Notes", risk.other_children_notes),
    ]


def _decision(title: str, decision: Decision) -> list[str]:
    return [
        f"### {title}",
        f"**Decision:** {_yes_no(decision.made, 'Not decided')}",
        _field("Rationale", decision.rationale),
        _field("Details", decision.details),
    ]


def _decisions(d: Discussion, rules: NationRules) -> list[str]:
    dec = d.decisions
    parts = ["## 3. Decisions"]
    parts += _decision(f"Start {rules.enquiries_name}", dec.s47_enquiry)
    if dec.s47_enquiry.made:
        parts.append(f"**Under:** {rules.enquiry_law}")
    if dec.s47_enquiry.made is False or dec.no_s47_next_steps.strip():
        parts.append(_field(f"Next steps without {rules.enquiries_name}", dec.no_s47_next_steps))
    parts += _decision("Immediate protective action", dec.immediate_protection)
    parts += _decision("Joint investigation with police", dec.joint_investigation)
    parts += _decision("Legal advice or legal action", dec.legal_advice)

    exam = dec.medical_examination
    parts += _decision("Medical examination", exam)
    for label, value in (
        ("Type of examination", exam.examination_type),
        ("Conducted by", exam.conducted_by),
        ("Consent", exam.consent),
        ("Timescale", exam.timescale),
    ):
        if exam.made or value.strip():
            parts.append(_field(label, value))

    parents = dec.inform_parents
    parts.append("### Informing parents/carers")
    if parents.made is False:
        parts += [
            "**Parents/carers NOT informed.**",
            _field("Rationale", parents.rationale),
            f"**Decision to be reviewed on:** {_date(parents.review_date)}",
        ]
    else:
        parts += [
            f"**Decision:** {'Parents/carers to be informed' if parents.made else 'Not decided'}",
            _field("Rationale", parents.rationale),
        ]
        if parents.made or parents.who_informs.strip() or parents.inform_by:
            parts.append(f"**Who informs them:** {_inline(parents.who_informs)}, by {_date(parents.inform_by)}")
    parts.append(_field("Details", parents.details))

    parts += _ird_decisions(d, rules)

    threshold = dec.threshold
    parts.append("### Disagreement about the threshold")
    if threshold.disagreement:
        escalated = (
            f"Yes, to {_inline(threshold.escalated_to, 'someone not recorded')}" if threshold.escalated else "No"
        )
        parts += [
            "**A disagreement about the threshold was recorded.**",
            _field("Details", threshold.details),
            _field("How it was resolved", threshold.resolution),
            f"**Escalated:** {escalated}",
        ]
    else:
        parts.append("No disagreement recorded.")
    return parts


def _ird_decisions(d: Discussion, rules: NationRules) -> list[str]:
    """Scotland's IRD: the joint investigative interview, the Reporter, the interim safety plan, the Named Person."""
    if not rules.has_ird_decisions or d.kind is DiscussionKind.NETWORK_MEETING:
        return []
    ird, words = d.decisions.ird, rules.ird_words
    jii, reporter = ird.joint_investigative_interview, ird.reporter_referral
    parts = [
        f"### {words['joint_investigative_interview']}",
        f"**Decision:** {_yes_no(jii.made, 'Not decided')}",
        _field("Reason", jii.rationale),
    ]
    if jii.details.strip():
        parts.append(_field("Details", jii.details))
    parts += [
        f"### {words['reporter_referral']}",
        f"**Decision:** {_yes_no(reporter.made, 'Not decided')}",
        _field("Reason", reporter.rationale),
    ]
    if reporter.made or reporter.referred_on is not None:
        parts.append(f"**{words['reporter_referred_on']}:** {_date(reporter.referred_on)}")
    parts += [f"### {words['interim_safety_plan']}", _block(ird.interim_safety_plan)]
    parts.append(f"**{words['named_person']}:** {_inline(ird.named_person)}")
    return parts


def _date_at(day: date | None, at: time | None) -> str:
    """A planned day, with its time when one was agreed: "Fri 4 Dec 2026 at 16:00"."""
    return f"{_date(day)} at {at:%H:%M}" if day is not None and at is not None else _date(day)


def _lead(plan: EnquiryPlan) -> str:
    """The lead professional, with their agency when one is recorded."""
    lead = _inline(plan.lead)
    if plan.lead_agency.strip():
        lead += f" ({_inline(plan.lead_agency)})"
    return lead


def _requests_and_contingency(plan: EnquiryPlan) -> list[str]:
    """The plan's closing sections, the same in every kind of minutes: who is to bring what, and the contingency."""
    requests = "\n".join(
        _item(r.what, lead=f"**From {_inline(r.from_whom, 'someone not recorded')}:** ")
        for r in plan.information_needed
    )
    return ["### Information needed", requests or NONE_RECORDED, "### Contingency", _block(plan.contingency)]


def _plan(d: Discussion, rules: NationRules) -> list[str]:
    plan = d.plan
    lead = _lead(plan)
    return [
        f"## 4. {rules.plan_heading}",
        "\n".join(
            [
                f"- **{rules.lead_label}:** {lead}",
                f"- **Child to be seen by:** {_inline(plan.child_seen_by)}, "
                f"on {_date_at(plan.child_seen_on, plan.child_seen_at)}",
                f"- **Parents/carers to be spoken to by:** {_inline(plan.parents_spoken_to_by)}, "
                f"on {_date_at(plan.parents_spoken_to_on, plan.parents_spoken_to_at)}",
                f"- **Reconvene / review on:** {_date(plan.reconvene_on)}",
            ]
        ),
        *_requests_and_contingency(plan),
    ]


def _action_row(number: int, action: Action) -> list[str]:
    text = _inline(action.text)
    if action.carried_from:
        text = f"(Carried over) {text}"
    if action.contingency.strip():
        text += f" / Contingency: {_inline(action.contingency)}"
    status = _STATUS_LABELS[action.status]
    if not action.is_open:
        status += f" {_date(action.closed_on)}"
        if action.closed_by.strip():
            status += f" by {_inline(action.closed_by)}"
        status += f": {_inline(action.closing_note, 'no note recorded')}"
    return [str(number), text, _inline(action.owner), _inline(action.agency), _date(action.due), status]


def _actions(d: Discussion) -> list[str]:
    if not d.actions:
        return ["## Actions", NONE_RECORDED]
    rows = (_action_row(n, a) for n, a in enumerate(d.actions, start=1))
    parts = ["## Actions", _table(["#", "Action", "Owner", "Agency", "Due", "Status"], rows)]
    if any(a.carried_from for a in d.actions):
        parts.append("Actions marked (Carried over) were agreed at an earlier discussion of this case.")
    return parts


def discussion_sections(d: Discussion, w: _Setting) -> list[str]:
    """The record of a strategy discussion (or meeting, or IRD), in agenda order, to its actions."""
    parts = _details(d, w)
    parts += _children(d)
    parts += family_sections(d)
    parts += _participants(d)
    parts += _information(d)
    parts += _risk(d)
    parts += _decisions(d, w.rules)
    parts += _plan(d, w.rules)
    parts += _actions(d)
    return parts
