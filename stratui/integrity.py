"""The records against their audit trail: a record file changed outside stratui is found and named.

Every save's audit entry carries the hash of the record it wrote (stratui.audit_changes.content_hash),
so each discussion file must hash to the `content` of its *last* entry. A file that does not was
written by something other than stratui (an editor, a script, a restored copy): `stratui check`
names it, `check --repair` never adopts it, and `check --restore ID` writes back the last
version the trail vouches for (from the record's kept versions), with an entry saying so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from stratui.audit import AuditError, AuditLog
from stratui.audit_changes import content_hash
from stratui.files import Access, atomic_write, backup_paths

LOCK_TIMEOUT_SECONDS = 15


@dataclass(frozen=True)
class Tampered:
    """A discussion file whose content its last audit entry does not vouch for."""

    discussion_id: str
    case_ref: str
    path: Path
    last_entry: dict[str, Any]
    # The last audited version, rebuilt from a kept version (.bak) and the entries after it,
    # and proved by its hash; None if no kept version leads to it.
    audited: dict[str, Any] | None
    base: Path | None  # the kept version (or the audit log) it was rebuilt from
    # The earlier entry whose version the file holds (a kept version copied back by hand), if any.
    earlier: dict[str, Any] | None = None

    def describe(self, root: Path) -> str:
        entry = self.last_entry
        where = _relative(self.path, root)
        if self.earlier is not None:
            return (
                f"discussion {self.case_ref or '(no case reference)'} (id {self.discussion_id}): {where} holds an "
                f"earlier audited version (entry #{self.earlier.get('seq')}, revision {self.earlier.get('revision')}), "
                f"not its last (#{entry.get('seq')}, revision {entry.get('revision')}): a kept version was copied "
                "back by hand. `stratui check --repair` records that in the audit trail; "
                f"`stratui check --restore {self.discussion_id}` writes back the last audited version instead."
            )
        said = (
            f"discussion {self.case_ref or '(no case reference)'} (id {self.discussion_id}): {where} was changed "
            f"outside stratui: it is not the version its last audit entry (#{entry.get('seq')}, revision "
            f"{entry.get('revision')}, {entry.get('action')} by {entry.get('user')} at {entry.get('at')}) recorded. "
            "Not adopted: a person must decide. "
        )
        if self.audited is not None and self.base is not None:
            return said + (
                f"Its last audited version is in {_audited_source(self.base, root)}: "
                f"`stratui check --restore {self.discussion_id}` writes it back, with an audit entry."
            )
        return said + (
            "No kept version is the last audited one; the audited values are in "
            f"`stratui audit {self.discussion_id} --full`."
        )


@dataclass
class Report:
    tampered: list[Tampered] = field(default_factory=list)
    verified: int = 0
    # Vouched for by an entry written before entries carried a content hash: nothing to compare.
    unverified: list[str] = field(default_factory=list)
    # No entry at all: saved before the audit trail began, or put in the folder by hand.
    unaudited: list[str] = field(default_factory=list)
    trail: list[str] = field(default_factory=list)  # the trail itself missing, emptied or rewritten
    files: int = 0  # the discussion files looked at

    def lines(self, root: Path) -> list[str]:
        out = list(self.trail)
        out.extend(t.describe(root) for t in self.tampered)
        return out

    def notes(self) -> list[str]:
        """What is counted but not failed."""
        out = []
        if self.unverified:
            out.append(
                f"{len(self.unverified)} discussions unverified (last saved before audit entries carried content "
                "hashes): their next save makes them checkable"
            )
        if self.unaudited and not self.trail:
            out.append(
                f"{len(self.unaudited)} discussions have no audit entry (saved before the audit trail began, or put "
                f"here outside stratui): {', '.join(self.unaudited[:10])}{' ...' if len(self.unaudited) > 10 else ''}"
            )
        return out


def trail_problems(log: AuditLog, discussions: int) -> list[str]:
    """The audit trail as a whole: missing or emptied while records exist, or rewritten since this user saw it."""
    problems = []
    if discussions and _entry_count(log) == 0:
        state = "is missing" if not log.path.exists() else "is empty"
        problems.append(
            f"the audit log {log.path} {state}, yet the database holds {discussions} discussions: it was deleted "
            "or emptied; restore the audit folder from your backups"
        )
    problems.extend(log.witness_problems())
    return problems


def check_records(root: Path, log: AuditLog, trail: list[str] | None = None) -> Report:
    """Every discussion file against its last audit entry (reads the log once, keeping only the
    hash each record's last entry vouches for; a changed record's history is read after).
    `trail`: the trail's own problems when the caller has just looked (each look reads the log)."""
    files = discussion_files(root)
    report = Report(trail=trail_problems(log, len(files)) if trail is None else trail, files=len(files))
    try:
        vouched = log.last_contents()
    except AuditError:
        return report  # the chain check names the damaged line; nothing here can be compared
    for path in files:
        doc = read_doc(path)
        if doc is None:
            continue  # damaged: the store's own check names it
        discussion_id = str(doc.get("id") or path.name.split(".", 1)[0])
        if discussion_id not in vouched:
            report.unaudited.append(discussion_id)
        elif not isinstance(vouched[discussion_id], str):
            report.unverified.append(discussion_id)
        elif vouched[discussion_id] == content_hash(doc):
            report.verified += 1
        else:
            try:
                history = log.history(discussion_id)  # through the index: this record's entries only
            except AuditError:
                return report
            if not history:
                continue  # the log changed since it was read: the next check compares again
            entry, digest = history[-1], content_hash(doc)
            if entry.get("content") == digest:
                report.verified += 1  # saved again since the log was read: it matches now
                continue
            earlier = next((e for e in reversed(history) if e.get("content") == digest), None)
            audited, base = last_audited_version(path, history, log.path)
            report.tampered.append(
                Tampered(discussion_id, str(doc.get("case_ref") or ""), path, entry, audited, base, earlier)
            )
    return report


class RestoreError(Exception):
    pass


def restore(
    root: Path, log: AuditLog, discussion_id: str, *, user: str, name: str, access: Access, at: datetime, versions_kept: int
) -> Path:
    """Write the last audited version of a discussion back over a file changed outside stratui.

    The restore is itself an audit entry (old: the file as found; new: the audited version), so
    the hand edit and its undoing both stay visible. Returns the kept version used.
    """
    lock = FileLock(str(root / ".lock"), timeout=LOCK_TIMEOUT_SECONDS, mode=access.file_mode)
    try:
        with lock:
            found = next((t for t in check_records(root, log).tampered if t.discussion_id == discussion_id), None)
            if found is None:
                raise RestoreError(f"discussion {discussion_id} matches its audit trail: there is nothing to restore")
            if found.audited is None or found.base is None:
                raise RestoreError(
                    f"no kept version of {discussion_id} is the one its audit trail last recorded; "
                    f"the audited values are in `stratui audit {discussion_id} --full`"
                )
            current, audited = read_doc(found.path), found.audited
            assert current is not None  # it was just read and hashed
            payload = json.dumps({"discussion": {"1": audited}}, ensure_ascii=False, separators=(",", ":"))
            atomic_write(found.path, payload.encode("utf-8"), access, keep_backup=max(1, versions_kept))
            log.append(
                action="restore",
                user=user,
                at=at,
                old=current,
                new=audited,
                name=name,
            )
            return found.base
    except Timeout:
        raise RestoreError(f"the database is busy (another save holds {root / '.lock'}); try again") from None
    except (OSError, AuditError) as exc:
        raise RestoreError(f"could not restore {discussion_id}: {exc}") from None


def record_copied_back(
    root: Path, log: AuditLog, *, user: str, name: str, access: Access, at: datetime
) -> list[Tampered]:
    """For `check --repair`: record in the trail each kept version a person copied back by hand.

    The trail vouches for that content (an earlier entry), so it is adopted, visibly: the entry
    shows every field that went back. Content the trail never vouched for is left alone.
    """
    lock = FileLock(str(root / ".lock"), timeout=LOCK_TIMEOUT_SECONDS, mode=access.file_mode)
    try:
        with lock:
            recorded = []
            for found in check_records(root, log).tampered:
                current = read_doc(found.path)
                if found.earlier is None or current is None:
                    continue
                log.append(
                    action="copied-back",
                    user=user,
                    at=at,
                    old=found.audited,
                    new=current,
                    name=name or user,
                )
                recorded.append(found)
            return recorded
    except Timeout:
        raise RestoreError(f"the database is busy (another save holds {root / '.lock'}); try again") from None
    except (OSError, AuditError) as exc:
        raise RestoreError(f"could not record the versions copied back: {exc}") from None


def discussion_files(root: Path) -> list[Path]:
    return sorted(p for p in (root / "discussions").glob("*/*.json") if not p.name.startswith("."))


def read_doc(path: Path) -> dict[str, Any] | None:
    """The stored document of a discussion file, exactly as written (None if unreadable)."""
    try:
        data = json.loads(path.read_bytes())
        table = data["discussion"]
        doc = next(iter(table.values()))
    except (OSError, ValueError, KeyError, TypeError, AttributeError, StopIteration):
        return None
    return doc if isinstance(doc, dict) else None


def last_audited_version(
    path: Path, history: list[dict[str, Any]], log_path: Path
) -> tuple[dict[str, Any] | None, Path | None]:
    """The version the last entry vouches for, and the kept version it was rebuilt from.

    A hand edit overwrites the current file, so the last audited version is usually in no file:
    it is the newest kept version that an entry vouches for with the later entries' changes
    replayed on it (or, for a record created in the log, every entry replayed from nothing). Field paths cannot say whether a value became null or went away, so both
    readings are tried; the content hash proves which (if either) is the audited version.
    """
    target = history[-1].get("content")
    bases: list[tuple[dict[str, Any], Path, int]] = []
    for kept in backup_paths(path):
        doc = read_doc(kept)
        digest = content_hash(doc) if doc is not None else None
        start = next((i for i in range(len(history) - 1, -1, -1) if history[i].get("content") == digest), None)
        if doc is not None and start is not None:
            bases.append((doc, kept, start + 1))
    if history[0].get("action") in ("create", "import"):
        # Its first entry lists every field it was created with: the audit log alone rebuilds it.
        bases.append(({}, log_path, 0))
    for doc, kept, start in bases:
        for removes in (False, True):
            rebuilt = _replayed(doc, history[start:], removes)
            if rebuilt is None:
                continue
            last = history[-1]
            rebuilt.update(
                revision=last.get("revision", rebuilt.get("revision")),
                updated_at=last.get("at", rebuilt.get("updated_at")),
                updated_by=last.get("name") or last.get("user") or rebuilt.get("updated_by"),
            )
            # Empty and null fields leave no trace in a diff: the model puts them back.
            for candidate in (rebuilt, _as_stored(rebuilt)):
                if candidate is not None and content_hash(candidate) == target:
                    return candidate, kept
    return None, None


def _as_stored(doc: dict[str, Any]) -> dict[str, Any] | None:
    from pydantic import ValidationError

    from stratui.models import Discussion

    try:
        return Discussion.model_validate(doc).model_dump(mode="json")
    except (ValidationError, ValueError, TypeError):
        return None


def _replayed(doc: dict[str, Any], entries: list[dict[str, Any]], removes: bool) -> dict[str, Any] | None:
    rebuilt: Any = json.loads(json.dumps(doc))
    try:
        for entry in entries:
            changes = entry.get("changes") or []
            # Set values before removing, deepest removals first, so list items go from the end.
            sets = [c for c in changes if c.get("new") is not None or not removes]
            gone = sorted((c for c in changes if c.get("new") is None and removes), key=lambda c: _key(c["field"]))
            for change in sets:
                _set(rebuilt, str(change["field"]).split("."), change.get("new"))
            for change in reversed(gone):
                _remove(rebuilt, str(change["field"]).split("."))
    except (KeyError, IndexError, TypeError, ValueError, AttributeError):
        return None
    return rebuilt if isinstance(rebuilt, dict) else None


def _key(field: str) -> list[tuple[int, Any]]:
    return [(0, int(part)) if part.isdigit() else (1, part) for part in field.split(".")]


def _set(target: Any, parts: list[str], value: Any) -> None:
    for index, part in enumerate(parts[:-1]):
        following = [] if parts[index + 1].isdigit() else {}
        if isinstance(target, list):
            position = int(part)
            while len(target) <= position:
                target.append({})
            if not isinstance(target[position], (dict, list)):
                target[position] = following
            target = target[position]
        else:
            if not isinstance(target.get(part), (dict, list)):
                target[part] = following
            target = target[part]
    last = parts[-1]
    if isinstance(target, list):
        position = int(last)
        while len(target) <= position:
            target.append(None)
        target[position] = value
    else:
        target[last] = value


def _remove(target: Any, parts: list[str]) -> None:
    trail = []
    for part in parts[:-1]:
        trail.append(target)
        target = target[int(part)] if isinstance(target, list) else target[part]
    if isinstance(target, list):
        del target[int(parts[-1])]
    else:
        target.pop(parts[-1], None)
    # An item of a list whose every field went is itself gone (a removed action, say).
    for container, part in zip(reversed(trail), reversed(parts[:-1])):
        item = container[int(part)] if isinstance(container, list) else container.get(part)
        if isinstance(container, list) and item in ({}, []):
            del container[int(part)]
        else:
            break


def entries_in(log: AuditLog) -> int:
    """How many entries the log holds, once its chain is verified (every line an entry): its
    lines counted, a megabyte at a time, instead of parsing them all a second time."""
    count, last = 0, b"\n"
    try:
        with log.path.open("rb") as file:
            while chunk := file.read(1 << 20):
                count, last = count + chunk.count(b"\n"), chunk[-1:]
    except FileNotFoundError:
        return 0
    return count + (last != b"\n")  # a last line without its newline is an entry too


def _entry_count(log: AuditLog) -> int:
    try:
        return next((1 for _ in log.entries()), 0)  # only whether there is one
    except AuditError:
        return -1  # damaged, not empty: the chain check names it


def _audited_source(base: Path, root: Path) -> str:
    if base.name.endswith(".jsonl"):
        return f"the audit log ({_relative(base, root)})"
    return f"the audit log and {_relative(base, root)}"


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)
