"""The minutes' section on the child and the family (stratui.family), in Markdown.

Shown only when something of it is recorded: a quick call's minutes stay as they were. Inside a
part that is shown, a child's profile lists what was recorded; the referrer, consent and the
adults say "Not recorded" where a line is blank, as the rest of the minutes do.
"""

from __future__ import annotations

from stratui.family import ChildProfile, ConsentToShare, Family, ParentsTold, Referrer
from stratui.minutes_markdown import NOT_RECORDED, _date, _field, _inline, _table, _yes_no
from stratui.models import Child, Discussion, format_date


def family_sections(d: Discussion) -> list[str]:
    """"## The child and the family" and its filled parts, or nothing when none is filled."""
    parts: list[str] = []
    for child in d.children + d.other_children:
        if not child.profile.is_blank:
            parts += _child(child)
    family = d.family
    if family.adults:
        parts += _adults(family)
    if not family.referrer.is_blank:
        parts += _referrer(family.referrer)
    if not family.consent.is_blank:
        parts += _consent(family.consent)
    if not family.parents_told.is_blank:
        parts += _parents_told(family.parents_told)
    return ["## The child and the family", *parts] if parts else []


def _child(child: Child) -> list[str]:
    p: ChildProfile = child.profile
    lines: list[str] = []

    def line(label: str, text: str) -> None:
        if text:
            lines.append(f"- **{label}:** {text}")

    line("Expected due date", format_date(p.due_date) if p.due_date else "")
    line("Gender", _inline(p.gender, ""))
    line("Ethnicity", _inline(p.ethnicity, ""))
    line("Religion", _inline(p.religion, ""))
    language = _inline(p.first_language, "")
    if p.interpreter_needed is not None:
        needed = "interpreter needed" if p.interpreter_needed else "no interpreter needed"
        language = f"{language or NOT_RECORDED}; {needed}"
    line("First language", language)
    line("Disability", _inline(p.disability, ""))
    line("Communication needs", _inline(p.communication_needs, ""))
    if p.seen is not None or p.seen_alone is not None or p.not_seen_alone_reason:
        seen = f"{_yes_no(p.seen)}; seen alone: {_yes_no(p.seen_alone)}"
        if p.not_seen_alone_reason:
            seen += f" ({_inline(p.not_seen_alone_reason)})"
        line("Seen", seen)
    parts = [f"### {_inline(child.name)}"]
    if lines:
        parts.append("\n".join(lines))
    if p.wishes_and_feelings.strip():
        parts.append(_field("The child's wishes and feelings", p.wishes_and_feelings))
    return parts


def _adults(family: Family) -> list[str]:
    rows = (
        [
            _inline(a.name),
            _inline(a.relationship),
            _yes_no(a.parental_responsibility),
            _inline(a.address),
            _yes_no(a.alleged_source_of_harm),
        ]
        for a in family.adults
    )
    headers = ["Name", "Relationship", "Parental responsibility", "Address", "Alleged source of harm"]
    return ["### Parents and carers", _table(headers, rows)]


def _referrer(r: Referrer) -> list[str]:
    if r.feedback_given is None:
        feedback = NOT_RECORDED
    elif r.feedback_given:
        feedback = f"Given, on {_date(r.feedback_on)}"
    else:
        feedback = "Not given"
    lines = [
        f"- **Name:** {_inline(r.name)}",
        f"- **Agency / role:** {_inline(r.agency_role)}",
        f"- **Relationship to the child:** {_inline(r.relationship)}",
        f"- **Feedback to the referrer:** {feedback}",
    ]
    return ["### The referrer", "\n".join(lines)]


def _consent(c: ConsentToShare) -> list[str]:
    if c.sought is None:
        sought = NOT_RECORDED
    elif c.sought:
        sought = "Yes: " + {True: "given", False: "refused", None: "answer not recorded"}[c.given]
    else:
        sought = f"No: {_inline(c.not_sought_reason, 'why not is not recorded')}"
    lines = [f"- **Consent sought:** {sought}", f"- **Legal basis for sharing:** {_inline(c.legal_basis)}"]
    return ["### Consent to share information", "\n".join(lines)]


def _parents_told(told: ParentsTold) -> list[str]:
    return ["### Parents/carers told", f"Told on {_date(told.on)} by {_inline(told.by)}."]
