"""The minutes' later sections of a strategy discussion: the timescales its record is tracked
against, and what was recorded after it (the enquiry's and the conference's outcomes, the
milestones met, the addenda), in Markdown.
"""

from __future__ import annotations

from stratui.deadlines import DeadlineKind, pre_birth_limit
from stratui.minutes_discussion import _Setting
from stratui.minutes_markdown import _block, _datetime, _field, _inline, _yes_no
from stratui.models import Discussion, DiscussionKind, format_date
from stratui.nations import NationRules


def _milestone_labels(rules: NationRules) -> dict[str, str]:
    """Milestones name the deadline they meet, in the nation's words; any other key is shown as stored."""
    return {
        DeadlineKind.MINUTES: f"{_record_name(rules)} circulated to attendees",
        DeadlineKind.DISCUSSION: f"Timeliness of the {rules.discussion_name} accounted for",
        DeadlineKind.CONFERENCE: f"{_sentence(rules.conference_name)} held",
        DeadlineKind.RECONVENE: "Reconvened / reviewed",
        DeadlineKind.PARENTS_REVIEW: "Decision not to inform parents reviewed",
        DeadlineKind.ASSESSMENT: f"{_sentence(rules.assessment_name or 'assessment')} completed",
        DeadlineKind.FOLLOW_UP_MEETING: f"Follow-up {rules.meeting_name} held",
        DeadlineKind.CONFERENCE_RECORD: f"{_sentence(rules.conference_record or 'conference record')} circulated to attendees",
    }


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _record_name(rules: NationRules) -> str:
    """Scotland calls the IRD's minutes its record."""
    short = rules.discussion_short_name
    return f"{short} record" if short != rules.discussion_name else "Minutes"


def _outcomes(d: Discussion, rules: NationRules) -> list[str]:
    """What the enquiry and the conference concluded, once recorded (after the discussion)."""
    if d.enquiry_outcome is None and d.conference_outcome is None:
        return []
    parts = ["## Outcomes"]
    outcome = d.enquiry_outcome
    if outcome is not None:
        line = f"**Outcome of the {rules.enquiry_name}:** {_sentence(rules.outcome_label(outcome.outcome))}, recorded {format_date(outcome.on)}"
        if outcome.by.strip():
            line += f" by {_inline(outcome.by)}"
        parts.append(line)
        if outcome.reason.strip():
            parts.append(_field(rules.no_conference_reason_label if not outcome.outcome.needs_conference else "Notes", outcome.reason))
    conference = d.conference_outcome
    if conference is not None:
        name = _sentence(rules.conference_name)
        line = f"**{name}:** held {format_date(conference.held_on)}"
        if conference.by.strip():
            line += f", recorded by {_inline(conference.by)}"
        plan = _yes_no(conference.child_protection_plan)
        parts.append(line)
        parts.append(f"**{_sentence(rules.conference_plan)}:** {plan}")
        if conference.child_protection_plan:
            parts.append(f"**Category:** {_inline(conference.category)}")
        if conference.note.strip():
            parts.append(_field("Notes", conference.note))
    return parts


def _timescales(d: Discussion, w: _Setting) -> list[str]:
    """The statutory and local timescales the record is tracked against, each labelled so."""
    if w.timescales is None or d.kind is DiscussionKind.NETWORK_MEETING:
        return []
    rules, said = w.rules, w.timescales
    lines = [
        f"- **{_sentence(rules.discussion_name)} held within:** {said['discussion']}",
        f"- **{_record_name(rules)} circulated within:** {said['minutes']}",
    ]
    made = d.decisions.s47_enquiry.made
    if made:
        pre_birth = said.get("pre-birth") if d.unborn_due() is not None else None
        if pre_birth:
            lines.append(f"- **Pre-birth {rules.conference_name} within:** {pre_birth}")
            unborn_due = d.unborn_due()
            by = pre_birth_limit(unborn_due, w.pre_birth_week)
            if by is not None and unborn_due is not None:
                lines.append(
                    f"- **Week {w.pre_birth_week} of pregnancy reached on:** {format_date(by)} "
                    f"(expected date of delivery {format_date(unborn_due)})"
                )
        else:
            lines.append(f"- **{_sentence(rules.conference_name)} within:** {said['conference']}")
    if "conference-record" in said and (made or d.conference_held_on() is not None):
        lines.append(f"- **{_sentence(rules.conference_record)} circulated within:** {said['conference-record']}")
    if rules.has_timed_assessment and made is not None:
        if (made and rules.assessment_when == "s47") or (not made and rules.assessment_when == "no-s47"):
            lines.append(f"- **{_sentence(rules.assessment_name)} within:** {said['assessment']}")
    sources = "; ".join(rules.sources)
    return [
        "## Timescales",
        "\n".join(lines),
        f"Statutory guidance and local practice as the team's settings count them ({rules.label}: {sources}).",
    ]


def _milestones(d: Discussion, rules: NationRules) -> list[str]:
    if not d.milestones:
        return []
    labels = _milestone_labels(rules)
    lines = []
    for m in d.milestones:
        label = labels.get(m.key) or _inline(m.key)
        line = f"- **{label}:** {format_date(m.on)}"
        if m.by.strip():
            line += f", by {_inline(m.by)}"
        if m.note.strip():
            line += f" ({_inline(m.note)})"
        lines.append(line)
    return ["## Milestones", "\n".join(lines)]


def _addenda(d: Discussion) -> list[str]:
    parts = ["## Addenda"]
    if not d.addenda:
        parts.append("None recorded: the record has not been changed since it was written.")
    for n, addendum in enumerate(d.addenda, start=1):
        parts += [
            f"### Addendum {n}: {_inline(addendum.author)}, {_datetime(addendum.written_at)}",
            _field("Reason", addendum.reason),
            _block(addendum.text),
        ]
    return parts


def later_sections(d: Discussion, w: _Setting) -> list[str]:
    """The timescales, outcomes, milestones and addenda, after the record of the discussion itself."""
    parts = _timescales(d, w)
    parts += _outcomes(d, w.rules)
    parts += _milestones(d, w.rules)
    parts += _addenda(d)
    return parts
