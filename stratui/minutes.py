"""The minutes of a discussion: Markdown to review and send to attendees, HTML to print, JSON to keep.

The minutes are a legal record: every section is written out even when empty ("Not recorded"),
and nothing typed by a user can change the document's structure. They are ready to send: the
protective marking at the top and bottom, DRAFT until a manager signs them off, and (printed)
the marking, the case reference and "Page N of M" on every page.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from datetime import date, datetime, time

from markdown_it import MarkdownIt

from stratui.deadlines import DeadlineKind, pre_birth_limit, timescale_rules
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
    format_date,
)
from stratui.nations import NationRules, earlier_discussion, rules_for
from stratui.settings import MinutesSettings, Settings
from stratui.text import escape, escape_json, one_line

NOT_RECORDED = "Not recorded"
NONE_RECORDED = "None recorded."

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

# Characters that can start or end Markdown structure anywhere in a line. `&` starts an entity
# reference (`&lt;` would otherwise display as `<`).
_SPECIALS = re.compile(r"([\\`*_\[\]<>#|~!&])")
# Line starts that make a list item, a setext underline or a table delimiter row.
_LEADING_MARKER = re.compile(r"^([-+=:])")
_ORDERED_MARKER = re.compile(r"^(\d{1,9})([.)])")


def escape_markdown(text: str) -> str:
    """Make user-typed text literal in Markdown: no headings, lists, links, tables, HTML or emphasis,
    and no control or bidi characters (stratui.text: they reach whoever prints or views it).

    Line breaks are kept; leading indentation is dropped (four spaces would make a code block).
    """
    return "\n".join(_escape_line(line) for line in escape(text).splitlines())


def _escape_line(line: str) -> str:
    line = _SPECIALS.sub(r"\\\1", line.strip())
    line = _LEADING_MARKER.sub(r"\\\1", line)
    return _ORDERED_MARKER.sub(r"\1\\\2", line)


def _inline(text: str, empty: str = NOT_RECORDED) -> str:
    """User text on one line (a table cell, a heading, a list label): line breaks become " / "."""
    lines = [line for line in escape_markdown(text).split("\n") if line]
    return " / ".join(lines) or empty


def _block(text: str, empty: str = NOT_RECORDED) -> str:
    """User text as paragraphs: blank lines separate paragraphs, single line breaks are kept."""
    paragraphs: list[list[str]] = [[]]
    for line in escape_markdown(text).split("\n"):
        if line:
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    # Two spaces at the end of a line are CommonMark's hard line break; unlike the other one (a
    # backslash) they do not show when the Markdown is read as plain text, in an email say.
    rendered = ["  \n".join(lines) for lines in paragraphs if lines]
    return "\n\n".join(rendered) or empty


def _item(text: str, empty: str = NOT_RECORDED, lead: str = "") -> str:
    """A bullet whose text may run to several paragraphs, all kept inside the bullet.

    `lead` is Markdown of ours (a bold label, say) put before the user's text.
    """
    lines = (lead + _block(text, empty)).split("\n")
    return "- " + "\n".join([lines[0]] + [f"  {line}" if line else "" for line in lines[1:]])


def _field(label: str, text: str, empty: str = NOT_RECORDED) -> str:
    return f"**{label}:** {_block(text, empty)}"


def _date(day: date | None) -> str:
    return format_date(day) if day is not None else NOT_RECORDED


def _time(moment: time | None) -> str:
    return f"{moment:%H:%M}" if moment is not None else NOT_RECORDED


def _datetime(moment: datetime | None) -> str:
    return f"{format_date(moment.date())} at {moment:%H:%M}" if moment is not None else NOT_RECORDED


def _yes_no(value: bool | None, unknown: str = NOT_RECORDED) -> str:
    return unknown if value is None else ("Yes" if value else "No")


def _table(headers: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    headers = list(headers)
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _bullets(items: Iterable[str], empty: str = NONE_RECORDED) -> str:
    rendered = [_item(text) for text in items if text.strip()]
    return "\n".join(rendered) if rendered else empty


# -- sections, in agenda order ---------------------------------------------------------------


def _title(d: Discussion, rules: NationRules) -> str:
    return f"{rules.kind_label(d.kind)}: {d.case_ref or 'no case ref'}, {format_date(d.held_on)}"


def _heading(d: Discussion, rules: NationRules) -> str:
    """The document's title: a draft says so first, where a list of files or an inbox shows it."""
    return _title(d, rules) if d.sign_off is not None else f"DRAFT - {_title(d, rules)}"


DRAFT_NOTICE = "DRAFT: not signed off by a manager."
DRAFT_REASON = "These minutes may still change: do not rely on them until they are signed off."


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


# -- public ----------------------------------------------------------------------------------


def _sections(d: Discussion, w: _Setting) -> list[str]:
    """The record itself, in agenda order (Markdown), below the title."""
    # Imported here: stratui.minutes_family builds on this module's helpers.
    from stratui.minutes_family import family_sections
    from stratui.minutes_network import network_sections

    if d.kind is DiscussionKind.NETWORK_MEETING:
        # Its own agenda: the previous actions first, coordination and care plan, no enquiry.
        return network_sections(d, w)
    parts = _details(d, w)
    parts += _children(d)
    parts += family_sections(d)
    parts += _participants(d)
    parts += _information(d)
    parts += _risk(d)
    parts += _decisions(d, w.rules)
    parts += _plan(d, w.rules)
    parts += _actions(d)
    parts += _timescales(d, w)
    parts += _outcomes(d, w.rules)
    parts += _milestones(d, w.rules)
    parts += _addenda(d)
    return parts


def render_markdown(
    discussion: Discussion,
    settings: Settings | MinutesSettings | None = None,
    earlier: Iterable[DiscussionSummary] | None = None,
) -> str:
    """The minutes as Markdown, between the protective marking at the top and at the bottom.

    With the team's whole `settings`, in its nation's words with its timescales (with only the
    minutes settings, England's words); `earlier`: summaries the follow-ups are named from.
    """
    d, w = discussion, _Setting(settings, earlier)
    settings = w.minutes
    marking = f"**{_inline(settings.protective_marking)}**"
    parts = [marking]
    if settings.organisation:
        parts.append(_inline(settings.organisation))
    parts.append(f"# {_inline(_heading(d, w.rules))}")
    if d.sign_off is None:
        parts.append(f"**{DRAFT_NOTICE}** {DRAFT_REASON}")
    parts += _sections(d, w)
    parts.append(marking)
    return "\n\n".join(parts) + "\n"


_CSS = """
body { font-family: Arial, Helvetica, sans-serif; font-size: 11pt; line-height: 1.4;
       max-width: 48em; margin: 1.5em auto; padding: 0 1em; color: #000; background: #fff; }
h1 { font-size: 16pt; border-bottom: 2px solid #000; padding-bottom: 0.2em; }
h2 { font-size: 13pt; border-bottom: 1px solid #666; margin-top: 1.6em; }
h3 { font-size: 11.5pt; margin-bottom: 0.3em; }
h4 { font-size: 11pt; font-style: italic; margin-bottom: 0.2em; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0; }
th, td { border: 1px solid #666; padding: 0.25em 0.4em; text-align: left; vertical-align: top; }
th { background: #eee; }
.marking { text-align: center; font-weight: bold; letter-spacing: 0.05em; margin: 0.3em 0; }
.organisation { font-size: 12pt; margin: 0.6em 0 0; }
.draft { border: 2px solid #000; padding: 0.4em 0.6em; font-size: 12pt; }
.watermark { display: none; }
@media print {
  body { margin: 0; max-width: none; padding: 0; }
  h1, h2, h3, h4 { page-break-after: avoid; break-after: avoid; }
  tr, li { page-break-inside: avoid; break-inside: avoid; }
  th { background: none; }
  /* A fixed element is printed on every page: the draft's watermark, behind the text. */
  .watermark { display: block; position: fixed; top: 40%; left: 0; right: 0; z-index: -1;
               text-align: center; font-size: 110pt; font-weight: bold; color: #e6e6e6;
               transform: rotate(-35deg); }
}
"""


def _css_string(text: str) -> str:
    """Text as a CSS string: anything but letters, digits and spaces as a hex escape, so nothing
    typed can end the string, the rule or the style element."""
    kept = "".join(c if (c.isascii() and c.isalnum()) or c == " " else f"\\{ord(c):x} " for c in one_line(text))
    return f'"{kept}"'


def _page_css(d: Discussion, settings: MinutesSettings, rules: NationRules) -> str:
    """Every printed page's margins (browsers that print margin boxes: Chromium from 131): the
    marking top and bottom, the council, the record and its status, and the page number. They
    also take the place of the browser's own header and footer (print time, file:// address)."""
    status = f"Signed off {format_date(d.sign_off.signed_at.date())}" if d.sign_off else "DRAFT - not signed off"
    marking = _css_string(settings.protective_marking)
    strong = "font-weight: bold; font-size: 10pt; white-space: nowrap;"
    small = "font-size: 8.5pt;"
    # The record on two lines: a long case reference must not push the marking off centre.
    kind_and_date = _css_string(f"{rules.kind_label(d.kind)}, {format_date(d.held_on)}")
    record = f'{_css_string(d.case_ref or "no case ref")} "\\a " {kind_and_date}'
    status_style = strong if d.sign_off is None else small
    boxes = [
        f"@top-center {{ content: {marking}; {strong} }}",
        f"@top-right {{ content: {_css_string(status)}; {status_style} text-align: right; }}",
        f"@bottom-left {{ content: {record}; {small} white-space: pre-wrap; }}",
        f"@bottom-center {{ content: {marking}; {strong} }}",
        f'@bottom-right {{ content: "Page " counter(page) " of " counter(pages); {small} text-align: right; }}',
    ]
    if settings.organisation:
        boxes.insert(0, f"@top-left {{ content: {_css_string(settings.organisation)}; {small} }}")
    inner = "\n  ".join(boxes)
    # Page 1 opens with the same marking and council as its letterhead: not twice over.
    first = "@page :first { @top-left { content: none; } @top-center { content: none; } }\n"
    return f"@page {{ size: A4; margin: 2cm 1.8cm; font-family: Arial, Helvetica, sans-serif;\n  {inner}\n}}\n{first}"


def _markdown_parser() -> MarkdownIt:
    # Raw HTML off: anything HTML-like that slipped past escaping is shown, never run.
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def _html_text(text: str) -> str:
    return html.escape(one_line(text))


def render_html(
    discussion: Discussion,
    settings: Settings | MinutesSettings | None = None,
    earlier: Iterable[DiscussionSummary] | None = None,
) -> str:
    """The minutes as a standalone, printable HTML document (no fonts, scripts or images to fetch)."""
    d, w = discussion, _Setting(settings, earlier)
    settings = w.minutes
    marking = _html_text(settings.protective_marking)
    head = [f'<p class="marking">{marking}</p>']
    if settings.organisation:
        head.append(f'<p class="organisation">{_html_text(settings.organisation)}</p>')
    head.append(f"<h1>{_html_text(_heading(d, w.rules))}</h1>")
    if d.sign_off is None:
        head.insert(0, '<div class="watermark" aria-hidden="true">DRAFT</div>')
        head.append(f'<p class="draft"><strong>{DRAFT_NOTICE}</strong> {DRAFT_REASON}</p>')
    body = _markdown_parser().render("\n\n".join(_sections(d, w)))
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_html_text(_heading(d, w.rules))}</title>\n"
        f"<style>{_CSS}{_page_css(d, settings, w.rules)}</style>\n</head>\n<body>\n" + "\n".join(head)
        + f"\n{body}<p class=\"marking\">{marking}</p>\n</body>\n</html>\n"
    )


def render_json(discussion: Discussion) -> str:
    """The full record as JSON, exactly as stored (control and bidi characters as \\u escapes)."""
    return escape_json(discussion.model_dump_json(indent=2))
