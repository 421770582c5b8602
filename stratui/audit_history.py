"""A discussion's history from the audit trail (stratui.audit), as plain text: `stratui audit ID`
and the history screen (ctrl+t) show the same lines."""

from __future__ import annotations

import json
from datetime import datetime

from stratui.terminal import shorten
from stratui.text import escape


def history_text(discussion_id: str, history: list[dict[str, object]], full: bool = False) -> str:
    """A record's audit entries as plain text, oldest first (`stratui audit ID` and the TUI).

    Entries keep values as they were saved, from before text was neutralised too: every line is
    escaped (stratui.text) so an old value cannot command the terminal.
    """
    if not history:
        return f"No audit entries for discussion {discussion_id} (saved before the audit trail began).\n"
    count = f"{len(history)} entries" if len(history) != 1 else "1 entry"
    lines = [f"Audit trail of discussion {discussion_id}: {count}, oldest first", ""]
    for entry in history:
        who = str(entry.get("user", "?"))
        if entry.get("name"):
            who += f" ({entry['name']})"
        lines.append(
            f"{_when(entry.get('at'))}  #{entry.get('seq')}  {entry.get('action')}  by {who}  "
            f"(revision {entry.get('revision')})"
        )
        changes = entry.get("changes")
        changes = changes if isinstance(changes, list) else []
        created = entry.get("action") in ("create", "import")
        if entry.get("unreadable"):
            lines.append(f"    the record it holds cannot be shown: {entry['unreadable']} (`stratui audit verify` checks it)")
        elif created and not full:
            filled = [c for c in changes if isinstance(c, dict) and c.get("new") not in (None, "", [], {})]
            lines.append(f"    created with {len(filled)} fields filled in (--full lists them)")
        elif created:
            for change in changes:
                if isinstance(change, dict):
                    lines.append(f"    {change.get('field')} = {_shown(change.get('new'), full)}")
        else:
            for change in changes:
                if isinstance(change, dict) and "edit" in change and "new" not in change:
                    lines.append(f"    {change.get('field')}: {_edit_said(change.get('edit'))}")
                elif isinstance(change, dict):
                    old, new = _shown(change.get("old"), full), _shown(change.get("new"), full)
                    lines.append(f"    {change.get('field')}: {old} -> {new}")
        lines.append("")
    return escape("\n".join(lines))


def _edit_said(edit: object) -> str:
    """A long text's edit whose earlier text this trail does not hold (saved before it began)."""
    try:
        start, end, text = edit  # type: ignore[misc]
        return f"edited: characters {start + 1} to {end} became {_shown(text, False)} (earlier text not in the trail)"
    except (TypeError, ValueError):
        return "edited (the change is not readable)"


def _when(at: object) -> str:
    try:
        return datetime.fromisoformat(str(at)).strftime("%Y-%m-%d %H:%M:%S %z").strip()
    except ValueError:
        return str(at)


def _shown(value: object, full: bool, width: int = 70) -> str:
    if value is None:
        return "(empty)"
    text = json.dumps(value, ensure_ascii=False)
    return text if full else shorten(text, width)
