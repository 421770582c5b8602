"""What an audit entry says a change was: the fields that differ between a record before and
after, as an entry stores them (a long text by the stretch that changed), replayed back into the
records they describe, and the hashes that chain entries and vouch for a record's content.

Plain functions over JSON-ready dicts; the log file itself, its chain, index and witness are
stratui.audit's.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from stratui.audit_record import UnreadableRecord, unpack
from stratui.stored_form import whole

# Bookkeeping that changes on every save and says nothing about the record.
_IGNORED = {"revision", "updated_at", "updated_by"}
# The bookkeeping fields content_hash leaves out (a bulk write compares them beside the hash).
LEFT_OUT_OF_HASH = tuple(sorted(_IGNORED))


@dataclass(frozen=True)
class Change:
    field: str
    old: Any
    new: Any


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """A record as field path -> value ("actions.2.status"); lists of models by index."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        out = {}
        for index, item in enumerate(value):
            out.update(flatten(item, f"{prefix}.{index}"))
        return out
    return {prefix: value}


def diff(old: dict[str, Any] | None, new: dict[str, Any]) -> list[Change]:
    """The fields that differ, each record taken whole (a value left out of a stored record
    because it is its default is that default, not a change)."""
    before = flatten(whole(old)) if old is not None else {}
    after = flatten(whole(new))
    changes = []
    for field in sorted(set(before) | set(after)):
        if field.split(".", 1)[0] in _IGNORED:
            continue
        if before.get(field) != after.get(field):
            changes.append(Change(field, before.get(field), after.get(field)))
    return changes


# A text field longer than this is recorded by what changed in it (`edit`), not both whole values:
# 1,000 autosaves of a long field would otherwise store it 2,000 times.
LONG_TEXT = 200


def stored_change(change: Change) -> dict[str, Any]:
    """A change as its entry records it: old and new, or for a long text, the one stretch that
    changed ([start, end, text]: old[start:end] became text) and the new text's hash."""
    old, new = change.old, change.new
    if not (isinstance(old, str) and isinstance(new, str) and max(len(old), len(new)) > LONG_TEXT):
        return {"field": change.field, "old": old, "new": new}
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    return {"field": change.field, "edit": [start, len(old) - end, new[start : len(new) - end]], "new_hash": _text_hash(new)}


def resolved(history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A record's entries, oldest first, with each `edit` of a long text given its old and new
    values again, replayed from the values the entries before it recorded (copies; the entries
    as stored are what the chain hashes). An edit whose earlier text is not in the history (the
    record was saved before the trail began) stays as it is."""
    values: dict[str, Any] = {}
    out = []
    for entry in history:
        if "record" in entry and "changes" not in entry:
            entry = created(entry)
        changes = entry.get("changes")
        if not isinstance(changes, list) or not any(isinstance(c, dict) and "edit" in c for c in changes):
            for change in changes if isinstance(changes, list) else []:
                if isinstance(change, dict) and isinstance(change.get("field"), str):
                    values[change["field"]] = change.get("new")
            out.append(entry)
            continue
        shown = []
        for change in changes:
            if isinstance(change, dict) and "edit" in change:
                change = _replayed_edit(change, values.get(change.get("field")))
            if isinstance(change, dict) and isinstance(change.get("field"), str):
                values[change["field"]] = change.get("new")
            shown.append(change)
        out.append({**entry, "changes": shown})
    return out


def created(entry: dict[str, Any]) -> dict[str, Any]:
    """An entry that holds a new record packed, given the changes an entry listed before records
    were packed: every field, whole, from nothing (a copy; `unreadable` says why there are none)."""
    try:
        record = whole(unpack(entry["record"]))
    except UnreadableRecord as exc:
        return {**entry, "changes": [], "unreadable": str(exc)}
    changes = [
        {"field": path, "old": None, "new": value}
        for path, value in sorted(flatten(record).items())
        if path.split(".", 1)[0] not in _IGNORED
    ]
    return {**entry, "changes": changes}


def _replayed_edit(change: dict[str, Any], old: Any) -> dict[str, Any]:
    try:
        start, end, text = change["edit"]
        if isinstance(old, str) and isinstance(text, str) and 0 <= start <= end <= len(old):
            new = old[:start] + text + old[end:]
            if _text_hash(new) == change.get("new_hash"):
                return {"field": change["field"], "old": old, "new": new}
    except (TypeError, ValueError, KeyError):
        pass
    return change


def _text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def classify(old: dict[str, Any] | None, new: dict[str, Any], changes: list[Change], default: str) -> str:
    """Name an edit the way a reviewer asks about it; other kinds (create, migrate...) keep their name."""
    if old is None or default != "edit":
        return default
    if old.get("status") != new.get("status") and new.get("status") == "signed-off":
        return "sign-off"
    if len(new.get("addenda", [])) > len(old.get("addenda", [])):
        return "addendum"
    statuses = [c for c in changes if c.field.startswith("actions.") and c.field.endswith(".status")]
    if statuses:
        if all(c.new == "open" for c in statuses):
            return "action-reopened"
        if all(c.new in ("done", "dropped", "carried-over") for c in statuses):
            return f"action-{statuses[0].new}"
    return default


def content_hash(doc: dict[str, Any]) -> str:
    """The hash of a stored record (its JSON document) that its audit entry vouches for.

    The bookkeeping fields are left out, as the audit diff leaves them out: a save that changes
    nothing else writes no entry, yet bumps them. Any other field changed by hand shows. It is
    the hash of the record whole (stratui.stored_form): a record stored without its defaults
    hashes as the same record written whole, as stratui wrote them before.
    """
    kept = {key: value for key, value in whole(doc).items() if key not in _IGNORED}
    return _hash(kept)



def entry_hash(entry: dict[str, Any]) -> str:
    """The hash an entry (as read, with its "hash") was written with, if unchanged."""
    return _hash({key: value for key, value in entry.items() if key != "hash"})


def _hash(body: dict[str, Any]) -> str:
    canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
