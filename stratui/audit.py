"""The audit trail: every change to every record, appended, hash-chained so tampering shows.

One JSON line an entry in `<db>/audit/audit.jsonl`: who (the OS user), when, which record,
what kind of change, and each changed field with its old and new value. Each entry carries the
hash of the one before it, and `<db>/audit/head` holds the last hash and the count, so an edited,
removed or reordered entry, or a cut-off tail, is found by `verify`. Appends happen under the
store's lock; the log lives in the database folder with the records' own permissions.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from stratui.files import PRIVATE, Access, atomic_write, ensure_folder

GENESIS = "0" * 64
# Bookkeeping that changes on every save and says nothing about the record.
_IGNORED = {"revision", "updated_at", "updated_by"}


@dataclass(frozen=True)
class Change:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class Entry:
    seq: int
    at: str
    user: str
    action: str
    discussion_id: str
    revision: int
    changes: list[dict[str, Any]]
    prev: str
    hash: str


class AuditError(Exception):
    pass


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
    before = flatten(old) if old is not None else {}
    after = flatten(new)
    changes = []
    for field in sorted(set(before) | set(after)):
        if field.split(".", 1)[0] in _IGNORED:
            continue
        if before.get(field) != after.get(field):
            changes.append(Change(field, before.get(field), after.get(field)))
    return changes


def classify(old: dict[str, Any] | None, new: dict[str, Any], changes: list[Change], default: str) -> str:
    """Name the change the way a reviewer asks about it."""
    if old is None:
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


class AuditLog:
    def __init__(self, folder: Path, access: Access = PRIVATE) -> None:
        self.folder = folder
        self.access = access
        self.path = folder / "audit.jsonl"
        self.head_path = folder / "head"

    def append(
        self,
        *,
        action: str,
        user: str,
        at: datetime,
        old: dict[str, Any] | None,
        new: dict[str, Any],
    ) -> Entry | None:
        """Record a change (call with the store's lock held). Returns None when nothing changed."""
        changes = diff(old, new)
        if old is not None and not changes:
            return None
        ensure_folder(self.folder, self.access)
        prev, count = self._head()
        body = {
            "seq": count + 1,
            "at": at.isoformat(),
            "user": user,
            "action": classify(old, new, changes, action),
            "discussion_id": new["id"],
            "revision": new.get("revision", 0),
            "changes": [{"field": c.field, "old": c.old, "new": c.new} for c in changes],
            "prev": prev,
        }
        digest = _hash(body)
        line = json.dumps({**body, "hash": digest}, ensure_ascii=False, separators=(",", ":")) + "\n"
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, self.access.file_mode)
        try:
            os.write(fd, line.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        atomic_write(self.head_path, json.dumps({"hash": digest, "count": count + 1}).encode(), self.access)
        return Entry(**body, hash=digest)

    def entries(self) -> Iterator[dict[str, Any]]:
        if not self.path.exists():
            return
        with self.path.open("r", encoding="utf-8", errors="replace") as lines:
            for number, line in enumerate(lines, start=1):
                try:
                    yield json.loads(line)
                except json.JSONDecodeError:
                    raise AuditError(f"{self.path}: line {number} is not a valid entry") from None

    def history(self, discussion_id: str) -> list[dict[str, Any]]:
        return [entry for entry in self.entries() if entry.get("discussion_id") == discussion_id]

    def verify(self) -> list[str]:
        """Problems with the chain; an empty list means no entry was changed, removed or added."""
        problems: list[str] = []
        prev = GENESIS
        count = 0
        try:
            for entry in self.entries():
                count += 1
                claimed = entry.pop("hash", None)
                if entry.get("seq") != count:
                    problems.append(f"entry {count}: numbered {entry.get('seq')}: entries were removed or reordered")
                if entry.get("prev") != prev:
                    problems.append(f"entry {count}: does not follow the entry before it (removed or reordered)")
                if _hash(entry) != claimed:
                    problems.append(f"entry {count}: its content was changed after it was written")
                prev = claimed or ""
        except AuditError as exc:
            problems.append(str(exc))
        try:
            head_hash, head_count = self._head()
        except AuditError as exc:
            return problems + [str(exc)]
        if (head_hash, head_count) != (prev, count):
            problems.append(
                f"the log ends at entry {count} but {head_count} were written: entries at the end were removed"
                if count < head_count
                else "the log does not match its recorded end (entries added or changed by hand)"
            )
        return problems

    def _head(self) -> tuple[str, int]:
        try:
            head = json.loads(self.head_path.read_text("utf-8"))
            return str(head["hash"]), int(head["count"])
        except FileNotFoundError:
            return GENESIS, 0
        except (ValueError, KeyError, TypeError):
            raise AuditError(f"{self.head_path} is damaged; run `stratui audit verify`") from None


def _hash(body: dict[str, Any]) -> str:
    canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
