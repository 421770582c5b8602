"""The minutes of a network meeting, in Markdown: its own agenda, with no enquiry questions.

The previous meeting's actions come first, every one of them with the state the review left it
in; then what was shared, the risks and strengths, the coordination and care-plan items and the
actions. The phase names are the ones the screens show (stratui.phases).
"""

from __future__ import annotations

from stratui.minutes_afterwards import _addenda, _milestones
from stratui.minutes_discussion import (
    _Setting,
    _action_row,
    _children,
    _details,
    _information,
    _lead,
    _participants,
    _requests_and_contingency,
)
from stratui.minutes_family import family_sections
from stratui.minutes_markdown import NONE_RECORDED, _block, _bullets, _date, _inline, _table
from stratui.models import REVIEW_LABELS, Action, ActionCategory, Discussion, is_family
from stratui.phases import DECISIONS, INFORMATION, PLANNING, RISK, phase_name

ACTION_HEADERS = ["#", "Item", "Owner", "Agency", "Due", "Status"]


def network_sections(d: Discussion, w: _Setting) -> list[str]:
    """The record of a network meeting in its agenda's order, below the title."""
    kind = d.kind
    parts = _details(d, w)
    parts += ["## Purpose of the meeting", _block(d.network.purpose)]
    parts += _children(d)
    parts += family_sections(d)
    parts += _participants(d) + _family_members(d)
    parts += _review(d)
    parts += [f"## 2. {phase_name(INFORMATION, kind)}", *_information(d)[1:]]
    parts += _risks(d)
    parts += [f"## 4. {phase_name(DECISIONS, kind)}"]
    parts += _items("### Coordination items", d, ActionCategory.COORDINATION)
    parts += _items("### Care-plan items", d, ActionCategory.CARE_PLAN)
    parts += _next(d)
    parts += _milestones(d, w.rules)
    parts += _addenda(d)
    return parts


def _family_members(d: Discussion) -> list[str]:
    family = [p for p in d.participants if is_family(p)]
    lines = [
        f"- **{_inline(p.name)}** ({_inline(p.role, 'relationship not recorded')}): {p.attendance.label}" for p in family
    ]
    return ["### Family members", "\n".join(lines) or "No family member recorded."]


def _review(d: Discussion) -> list[str]:
    """Every action the previous meeting agreed, with the state this meeting's review left it in."""
    heading = "## 1. Review of the previous meeting's actions"
    if not d.previous_discussion_ids:
        return [heading, "The first meeting of the network: no earlier actions to review."]
    reviewed = d.network.previous_actions
    if not reviewed:
        return [heading, NONE_RECORDED]
    rows = (_reviewed_row(n, a) for n, a in enumerate(reviewed, start=1))
    return [heading, _table(["#", "Action", "Owner", "Agency", "Due", "State at this meeting"], rows)]


def _reviewed_row(number: int, action: Action) -> list[str]:
    state = REVIEW_LABELS[action.status].capitalize()
    if action.closed_on is not None:
        state += f" {_date(action.closed_on)}"
    if action.closing_note.strip():
        state += f": {_inline(action.closing_note)}"
    return [str(number), _inline(action.text), _inline(action.owner), _inline(action.agency), _date(action.due), state]


def _risks(d: Discussion) -> list[str]:
    return [
        f"## 3. {phase_name(RISK, d.kind)}",
        "### Risk factors",
        _bullets(d.risk.risk_factors),
        "### Protective factors",
        _bullets(d.risk.protective_factors),
    ]


def _items(heading: str, d: Discussion, category: ActionCategory) -> list[str]:
    items = [a for a in d.actions if a.category is category]
    if not items:
        return [heading, NONE_RECORDED]
    return [heading, _table(ACTION_HEADERS, (_action_row(n, a) for n, a in enumerate(items, start=1)))]


def _next(d: Discussion) -> list[str]:
    plan = d.plan
    lead = _lead(plan)
    parts = [
        f"## 5. {phase_name(PLANNING, d.kind)}",
        f"- **Lead professional:** {lead}\n- **Next meeting on:** {_date(plan.reconvene_on)}",
    ]
    parts += _items("### Actions", d, ActionCategory.ACTION)
    if any(a.carried_from for a in d.actions):
        parts.append("Items marked (Carried over) were agreed at the previous meeting and carried into this one.")
    parts += _requests_and_contingency(plan)
    return parts
