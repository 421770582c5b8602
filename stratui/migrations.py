"""Upgrades of stored discussion documents from older schema versions, one step at a time.

Version 1 was the prototype's shape: children as plain names, participants with a boolean
`present`, and `minutes_circulated_on` instead of milestones. Version 2 had no enquiry or conference outcome
and no follow-up reason; version 3 no IRD decisions, network meeting shape or action
category. Each step takes a plain dict
of version N and returns one of version N+1; the store backs up before running them.
"""

from __future__ import annotations

from typing import Any, Callable

from stratui.models import SCHEMA_VERSION

Document = dict[str, Any]


class MigrationError(Exception):
    pass


def _v1_to_v2(doc: Document) -> Document:
    doc = dict(doc)
    doc["children"] = [{"name": c} if isinstance(c, str) else c for c in doc.get("children", [])]
    participants = []
    for p in doc.get("participants", []):
        p = dict(p)
        if "present" in p:
            present = p.pop("present")
            p["attendance"] = "present" if present else "absent"
        if "absent_reason" in p:
            p["absence_reason"] = p.pop("absent_reason")
        participants.append(p)
    doc["participants"] = participants
    circulated = doc.pop("minutes_circulated_on", None)
    milestones = list(doc.get("milestones", []))
    if circulated:
        milestones.append({"key": "minutes", "on": circulated, "by": "", "note": "migrated from version 1"})
    doc["milestones"] = milestones
    doc["schema_version"] = 2
    return doc


def _renumbered(doc: Document) -> Document:
    """The next version's document where nothing stored moves: only the version number does."""
    doc = dict(doc)
    doc["schema_version"] = doc["schema_version"] + 1
    return doc


STEPS: dict[int, Callable[[Document], Document]] = {
    1: _v1_to_v2,
    # Version 3 adds optional parts recorded after or around the discussion (the enquiry's
    # outcome, the conference's outcome, a follow-up's reason): absent means not recorded, so
    # nothing recorded moves. A conference recorded as a milestone stays one: it was held, and
    # no plan or category was recorded with it.
    2: _renumbered,
    # Version 4 adds optional parts with defaults: Scotland's IRD decisions (decisions.ird), a
    # network meeting's purpose and reviewed actions (network), an action's category. Nothing
    # stored moves; the number moves so that an older stratui refuses these records as "written
    # by a newer stratui" rather than as records with fields it does not know.
    3: _renumbered,
    # Version 5 is stored without the values equal to their defaults (stratui.stored_form) and a
    # new record's audit entry holds it packed (stratui.audit_record). What is recorded does not
    # change; the number moves so that an older stratui sharing the database refuses it as
    # "written by a newer stratui" instead of reporting every record saved since as changed by
    # hand, and reading new records' history as empty.
    4: _renumbered,
}


def migrate(doc: Document) -> Document:
    """Bring a stored document up to SCHEMA_VERSION (documents without a version are version 1)."""
    version = doc.get("schema_version", 1)
    if not isinstance(version, int) or version < 1:
        raise MigrationError(f"unknown schema version {version!r}")
    if version > SCHEMA_VERSION:
        raise MigrationError(
            f"written by a newer stratui (schema version {version}; this one reads up to {SCHEMA_VERSION}): upgrade stratui"
        )
    while version < SCHEMA_VERSION:
        doc = STEPS[version](doc)
        version = doc["schema_version"]
    return doc


def needs_migration(doc: Document) -> bool:
    return doc.get("schema_version", 1) != SCHEMA_VERSION
