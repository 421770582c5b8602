"""The discussion store: TinyDB files in one folder, safe for several users at once.

Layout (see README, "Architecture"):

    <db>/stratui.json                  meta: schema version
    <db>/.lock                         serialises every write (filelock)
    <db>/discussions/<ab>/<id>.json    one TinyDB file per discussion (+ <id>.json.bak, .bak.2 ... .bak.N:
                                       the previous saves, N = settings `versions_kept`)
    <db>/index/<ab>.json               256 index shards of DiscussionSummary, by the id's first two hex digits
    <db>/journal/<id>                  a save in progress: the index is repaired from it after a crash
    <db>/audit/audit.jsonl, head       the audit trail (stratui.audit): every change, hash-chained

A save therefore rewrites one small discussion file and one index shard, whatever the size of
the database. Every write holds the lock, reads fresh data and checks the revision, so a
concurrent edit is refused as a conflict instead of silently overwriting.

A save is refused whole or done whole: the index shard is read (a damaged one refused) before
anything is written; then the discussion file, the index entry and last the audit entry are
written. If any of them fails, the discussion file and its versions are put back by renames
(which a full disk allows) and the index entry rewritten, so the user's retry is not a conflict
with their own half-save. A journal marker that cannot be settled (still a full disk, a damaged
shard) never stops the database opening: it is settled at a later open or by `check --repair`,
which also records in the audit trail a save killed between its file and its entry.

Speed at scale (README "Performance"; `python -m bench`):
- An index shard holds one summary a line (still a TinyDB file: the lines are JSON whitespace),
  so a save replaces its line as bytes instead of parsing and re-encoding the whole shard: the
  cost of a save does not grow with the database.
- `summaries()` keeps each shard's parsed summaries in this Store, keyed by the file's inode,
  size, mtime and ctime. Files are only ever replaced whole (a new inode), so another process's
  save is seen at the next call and only that shard is read again. A shard changed in the last
  `RACY_SECONDS` is read again at every call: two saves within one tick of a coarse filesystem
  clock could otherwise leave the same size and mtime (git's "racily clean" problem).
- The summaries returned are shared between calls: read them, never change them.
"""

from __future__ import annotations

import gc
import json
import os
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, NamedTuple

from filelock import FileLock, Timeout
from pydantic import BaseModel, ConfigDict, ValidationError
from tinydb.storages import Storage

from stratui import migrations
from stratui.audit import AuditError, AuditLog, Pending
from stratui.files import (
    PRIVATE,
    Access,
    Replacement,
    atomic_write,
    backup_path,
    backup_paths,
    ensure_folder,
)
from stratui.models import (
    SCHEMA_VERSION,
    ActionStatus,
    Discussion,
    DiscussionKind,
    DiscussionStatus,
    DiscussionSummary,
    MeetingFormat,
    explain_validation_error,
)

META_FILE = "stratui.json"
AUDIT_FOLDER = "audit"
# Previous versions kept beside each discussion file unless the settings say otherwise.
DEFAULT_VERSIONS_KEPT = 3
LOCK_TIMEOUT_SECONDS = 15
# A shard changed this recently is read again at every summaries() call (see the docstring):
# far above the timestamp granularity of any filesystem a database may live on.
RACY_SECONDS = 2.0
# Loading this many summaries at once (a start, or an index rebuild elsewhere) moves everything
# alive to the collector's permanent generation: see _current_shards.
FREEZE_AFTER_LOADING = 5_000


class IndexedAction(NamedTuple):
    """An action as the index keeps it: models.ActionSummary's fields, read-only and light."""

    id: str
    text: str
    owner: str
    agency: str
    due: date | None
    status: ActionStatus


class IndexedSummary(NamedTuple):
    """A discussion as the index keeps it: models.DiscussionSummary's fields, read-only and light.

    What `Store.summaries()` returns. At 20,000 discussions (100,000 actions) pydantic models
    cost ~190 MB and ~0.6 s to build; these cost a quarter of that. Shared between callers:
    never change the lists and dicts inside.
    """

    id: str
    revision: int
    kind: DiscussionKind
    status: DiscussionStatus
    case_ref: str
    children: list[str]
    social_worker: str
    concern_date: date
    referral_date: date | None
    held_on: date
    format: MeetingFormat
    s47_started: bool | None
    parents_informed: bool | None
    parents_review_date: date | None
    reconvene_on: date | None
    milestones: dict[str, date]
    actions: list[IndexedAction]
    previous_discussion_ids: list[str]
    updated_at: datetime | None

    @classmethod
    def of(cls, s: DiscussionSummary) -> IndexedSummary:
        return cls(
            s.id, s.revision, s.kind, s.status, s.case_ref, list(s.children), s.social_worker, s.concern_date,
            s.referral_date, s.held_on, s.format, s.s47_started, s.parents_informed, s.parents_review_date,
            s.reconvene_on, dict(s.milestones),
            [IndexedAction(a.id, a.text, a.owner, a.agency, a.due, a.status) for a in s.actions],
            list(s.previous_discussion_ids), s.updated_at,
        )  # fmt: skip


class StoreError(Exception):
    """Something the user must be told about; the message is one clear sentence or two."""


class DamagedFileError(StoreError):
    def __init__(self, path: Path, reason: str) -> None:
        backup = backup_path(path)
        older = backup_paths(path)[1:]
        if path.parent.name == "index":
            # The index holds nothing of its own: it is rebuilt from the discussion files.
            restore = "The index is rebuilt from the discussion files by running: stratui check --repair"
        elif backup.exists():
            kept = f" (older versions: {', '.join(str(p) for p in older)})" if older else ""
            restore = (
                f"The previous version is kept at {backup}{kept}: check it, then copy it over the damaged file."
            )
        else:
            restore = "There is no backup of this file beside it; restore it from your backups."
        super().__init__(f"{path} is damaged ({reason}). stratui has not changed it. {restore}")
        self.path = path
        self.backup = backup


class NotFoundError(StoreError):
    pass


class ConflictError(StoreError):
    """Someone else saved the discussion after this copy was read; `stored` is their version."""

    def __init__(self, stored: Discussion, attempted_revision: int) -> None:
        who = stored.updated_by or "another user"
        when = f" at {stored.updated_at:%H:%M on %d %b %Y}" if stored.updated_at else ""
        super().__init__(
            f"{who} saved this discussion{when} after you opened it (revision {stored.revision}, yours was "
            f"{attempted_revision}). Your changes were not saved over theirs."
        )
        self.stored = stored


class InvalidRecordError(StoreError):
    """The record cannot be stored (a wrong type, or signed off while breaking a rule); nothing was written."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("Not saved: " + "; ".join(problems))
        self.problems = problems


class LockedError(StoreError):
    """A signed-off record can only gain addenda and action updates."""


class AtomicJSONStorage(Storage):
    """TinyDB storage that never rewrites a file in place and never overwrites a damaged one."""

    def __init__(self, path: Path, access: Access = PRIVATE, keep_backup: bool = False) -> None:
        self.path = Path(path)
        self.access = access
        self.keep_backup = keep_backup

    def read(self) -> dict[str, dict[str, Any]] | None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        return parse_json_file(self.path, raw)

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        atomic_write(self.path, payload, self.access, keep_backup=self.keep_backup)

    def close(self) -> None:
        pass


def parse_json_file(path: Path, raw: bytes) -> dict[str, Any]:
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise DamagedFileError(path, f"not UTF-8 text at byte {exc.start}") from None
    except json.JSONDecodeError as exc:
        reason = "empty file" if not raw.strip() else f"not valid JSON at line {exc.lineno}, column {exc.colno}"
        raise DamagedFileError(path, reason) from None
    except ValueError:
        # int() refuses more than 4,300 digits; JSONDecodeError (a ValueError) is caught above.
        raise DamagedFileError(path, "it holds a number too long to be stratui's") from None
    except RecursionError:
        raise DamagedFileError(path, "nested too deeply to be stratui's") from None
    if not isinstance(data, dict):
        raise DamagedFileError(path, "not a TinyDB database")
    return data


class Store:
    """All reading and writing of discussions. Build one with `Store.open(path)`."""

    def __init__(
        self,
        root: Path,
        *,
        user: str = "",
        access: Access = PRIVATE,
        clock: Callable[[], datetime] | None = None,
        versions_kept: int = DEFAULT_VERSIONS_KEPT,
        os_user: str | None = None,
    ) -> None:
        self.root = Path(root)
        self.user = user
        self.access = access
        self.clock = clock or (lambda: datetime.now().astimezone())
        self.versions_kept = max(1, versions_kept)
        # Who the audit trail names: the operating-system account, whatever name the settings give.
        self.os_user = os_user if os_user is not None else _os_user()
        self.audit = AuditLog(self.root / AUDIT_FOLDER, access)
        self._lock = FileLock(str(self.root / ".lock"), timeout=LOCK_TIMEOUT_SECONDS, mode=access.file_mode)
        # Index shard file name -> its parsed summaries (see summaries()).
        self._shards: dict[str, _Shard] = {}
        self._cache_lock = threading.Lock()

    @classmethod
    def open(
        cls,
        root: Path,
        *,
        user: str = "",
        access: Access = PRIVATE,
        clock: Callable[[], datetime] | None = None,
        versions_kept: int = DEFAULT_VERSIONS_KEPT,
    ) -> Store:
        """Open (creating if new) the database at `root`, migrating an older one and repairing the index."""
        root = Path(root)
        if root.exists() and not root.is_dir():
            raise StoreError(f"{root} is a file, not a stratui database folder")
        try:
            ensure_folder(root, access)
        except PermissionError:
            raise StoreError(f"cannot create the database folder {root}: permission denied") from None
        store = cls(root, user=user, access=access, clock=clock, versions_kept=versions_kept)
        store._prepare()
        return store

    # -- reading (no lock: files are only ever replaced whole) ------------------------

    def get(self, discussion_id: str) -> Discussion:
        path = self._discussion_path(discussion_id)
        doc = self._read_discussion_doc(path)
        if doc is None:
            raise NotFoundError(f"no discussion with id {discussion_id}")
        return self._validate(path, doc)

    def exists(self, discussion_id: str) -> bool:
        return self._discussion_path(discussion_id).exists()

    def is_empty(self) -> bool:
        """No discussion recorded yet: stops at the first file found, whatever the size."""
        try:
            with os.scandir(self.root / "discussions") as folders:
                for folder in folders:
                    if folder.is_dir():
                        with os.scandir(folder.path) as files:
                            if any(f.name.endswith(".json") and not f.name.startswith(".") for f in files):
                                return False
        except FileNotFoundError:
            pass
        return True

    def summaries(self) -> list[IndexedSummary]:
        """Every discussion's summary, from the index (never the discussion files).

        Only shards changed since the last call are read (see the module docstring); the
        summaries are shared with other callers and must not be changed.
        """
        result: list[IndexedSummary] = []
        for shard in self._current_shards():
            result.extend(shard.summaries)
        return result

    def __len__(self) -> int:
        return sum(len(shard.summaries) for shard in self._current_shards())

    def discussions(self) -> Iterator[Discussion]:
        """Every discussion in full (export, checks): reads every file."""
        for path in sorted((self.root / "discussions").glob("*/*.json")):
            doc = self._read_discussion_doc(path)
            if doc is not None:
                yield self._validate(path, doc)

    # -- writing ------------------------------------------------------------------------

    def create(self, discussion: Discussion) -> Discussion:
        """Save a new discussion (revision 0 in memory becomes 1 on disk)."""
        with self._locked():
            if self._discussion_path(discussion.id).exists():
                raise StoreError(f"a discussion with id {discussion.id} already exists")
            if discussion.revision != 0:
                raise StoreError("a new discussion must start at revision 0")
            return self._write(discussion, stored=None)

    def save(self, discussion: Discussion) -> Discussion:
        """Save an edited discussion; refuses if someone saved it since this copy was read."""
        with self._locked():
            stored = self._get_fresh(discussion.id)
            if stored.revision != discussion.revision:
                raise ConflictError(stored, discussion.revision)
            return self._write(discussion, stored=stored)

    def update(self, discussion_id: str, change: Callable[[Discussion], None]) -> Discussion:
        """Apply `change` to the freshest copy under the lock (for small edits such as an action done)."""
        with self._locked():
            stored = self._get_fresh(discussion_id)
            edited = stored.model_copy(deep=True)
            change(edited)
            return self._write(edited, stored=stored)

    def save_all_new(self, discussions: list[Discussion]) -> int:
        """Create many discussions at once (import, demo); all or nothing if a write fails.

        Discussions whose id already exists with identical content are skipped; a different one
        with the same id is refused before anything is written. Returns how many were written.
        """
        # A discussion never saved before (revision 0) is written as revision 1, like create().
        discussions = [_revalidated(d if d.revision else d.model_copy(update={"revision": 1})) for d in discussions]
        with self._locked():
            fresh = []
            for discussion in discussions:
                if self._discussion_path(discussion.id).exists():
                    stored = self._get_fresh(discussion.id)
                    if stored.model_dump(mode="json") != discussion.model_dump(mode="json"):
                        raise StoreError(
                            f"discussion {discussion.id} ({discussion.title}) already exists with different "
                            "content; nothing was imported"
                        )
                    continue
                fresh.append(discussion)
            by_shard: dict[str, list[Discussion]] = {}
            for discussion in fresh:
                by_shard.setdefault(_shard_of(discussion.id), []).append(discussion)
            # Every shard is read (a damaged one refused) before anything is written.
            old_lines = {shard: self._read_shard_lines(shard) for shard in by_shard}
            existed = {shard: self._shard_path(shard).exists() for shard in by_shard}
            now = self.clock()
            written: list[Discussion] = []
            shards_written: list[str] = []
            docs: list[dict[str, Any]] = []
            try:
                for discussion in fresh:
                    path = self._discussion_path(discussion.id)
                    self._mark_in_progress(discussion.id)
                    ensure_folder(path.parent, self.access)
                    docs.append(discussion.model_dump(mode="json"))
                    self._write_discussion_doc(path, docs[-1])
                    written.append(discussion)
                for shard, batch in by_shard.items():
                    lines = dict(old_lines[shard])
                    for discussion in batch:
                        lines[discussion.id] = _summary_line(discussion.summary())
                    self._write_shard(shard, lines)
                    shards_written.append(shard)
                self.audit.append_many(
                    [
                        Pending("import", self.os_user, now, None, doc, self.user)
                        for doc in docs
                    ]
                )
            except (OSError, AuditError) as exc:
                self._roll_back_new(written, {shard: (old_lines[shard], existed[shard]) for shard in shards_written})
                raise StoreError(f"could not write the database ({_reason(exc)}); nothing was imported") from None
            for discussion in written:
                self._clear_in_progress_quietly(discussion.id)
            return len(written)

    # -- integrity ----------------------------------------------------------------------

    def rebuild_index(self) -> int:
        """Rebuild every index shard from the discussion files; returns the number indexed."""
        with self._locked():
            count = self._rebuild_index()
            # The index now matches the files: what interrupted saves left needs no other repair.
            self._repair_interrupted_saves()
            return count

    def check(self) -> list[str]:
        """Problems found reading every file; an empty list means the database is sound."""
        problems = []
        try:
            self._read_meta()
        except DamagedFileError as exc:
            problems.append(str(exc))
        indexed: dict[str, int] = {}
        for shard in sorted((self.root / "index").glob("*.json")):
            try:
                loaded = _load_shard(shard, validate=True)
            except DamagedFileError as exc:
                problems.append(str(exc))
                continue
            for summary in loaded.summaries if loaded else ():
                indexed[summary.id] = summary.revision
        seen = set()
        for path in sorted((self.root / "discussions").glob("*/*.json")):
            seen.add(path.stem)
            try:
                doc = self._read_discussion_doc(path)
                if doc is None:
                    continue
                discussion = self._validate(path, doc)
            except StoreError as exc:
                problems.append(str(exc))
                continue
            if indexed.get(discussion.id) != discussion.revision:
                problems.append(f"the index is out of date for {path.name} (stratui check --repair rebuilds it)")
        for missing in sorted(set(indexed) - seen):
            problems.append(f"the index lists {missing} but its file is missing")
        problems.extend(f"audit trail {self.audit.path}: {problem}" for problem in self.audit.verify())
        return problems

    # -- internals ----------------------------------------------------------------------

    def _prepare(self) -> None:
        version = self._schema_version(self._read_meta())
        for folder in ("discussions", "index", "journal"):
            ensure_folder(self.root / folder, self.access)
        if version is None:
            with self._locked():
                if self._schema_version(self._read_meta()) is None:
                    self._write_meta(SCHEMA_VERSION)
            return
        if version < SCHEMA_VERSION:
            with self._locked():
                self._migrate()
        if self.audit.needs_settling():
            try:
                with self._locked():
                    self.audit.settle()
            except (StoreError, AuditError, OSError):
                pass  # a save settles it again; `check` and `audit verify` report what is left
        if any((self.root / "journal").iterdir()):
            try:
                with self._locked():
                    self._repair_interrupted_saves()
            except StoreError:
                pass  # busy or locked out: the next open repairs; reading does not need it

    def _schema_version(self, meta: dict[str, Any] | None) -> int | None:
        """The database's schema version; None for a new, empty database (refused if it holds records)."""
        path = self.root / META_FILE
        if meta is None or "schema_version" not in meta:
            if self._has_discussions():
                # Taking it for a new database would stamp it current and skip an older one's migration.
                if meta is None:
                    raise StoreError(
                        f"{path} is missing, yet {self.root} holds discussions: restore it from your backups "
                        "(it says which version of stratui wrote them). stratui has not changed anything."
                    )
                raise DamagedFileError(path, "it names no schema version, yet the folder holds discussions")
            return None
        version = meta["schema_version"]
        if type(version) is not int or version < 1:
            raise DamagedFileError(path, "its schema version is not a whole number of 1 or more")
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.root} was written by a newer stratui (schema version {version}); upgrade stratui to open it"
            )
        return version

    def _has_discussions(self) -> bool:
        return next((self.root / "discussions").glob("*/*.json"), None) is not None

    def _read_meta(self) -> dict[str, Any] | None:
        """The meta entry ({} if the file holds none); None if there is no meta file."""
        path = self.root / META_FILE
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        table = parse_json_file(path, raw).get("meta", {})
        if not isinstance(table, dict) or not all(isinstance(doc, dict) for doc in table.values()):
            raise DamagedFileError(path, "not a stratui meta file")
        docs = list(table.values())
        return dict(docs[0]) if docs else {}

    def _write_meta(self, version: int) -> None:
        payload = json.dumps({"meta": {"1": {"schema_version": version}}}, separators=(",", ":"))
        atomic_write(self.root / META_FILE, payload.encode("utf-8"), self.access, keep_backup=True)

    def _migrate(self) -> None:
        meta = self._read_meta() or {}
        old = meta.get("schema_version", 1)
        if old == SCHEMA_VERSION:
            return  # another process migrated while we waited for the lock
        stamp = self.clock().strftime("%Y%m%d-%H%M%S")
        backup = self.root / "backups" / f"before-migration-v{old}-{stamp}"
        ensure_folder(backup.parent, self.access)
        shutil.copytree(
            self.root, backup, ignore=shutil.ignore_patterns("backups", ".lock", "*.tmp"), copy_function=shutil.copy2
        )
        for path in sorted((self.root / "discussions").glob("*/*.json")):
            doc = self._read_discussion_doc(path, migrate=False)
            if doc is None or not migrations.needs_migration(doc):
                continue
            try:
                migrated = migrations.migrate(doc)
            except migrations.MigrationError as exc:
                raise StoreError(f"{path}: {exc}") from None
            discussion = self._validate(path, migrated)
            new_doc = discussion.model_dump(mode="json")
            self._write_discussion_doc(path, new_doc)
            # The stored shape changed, not what was recorded; the trail still shows each field moved.
            try:
                self.audit.append(
                    action="migrate",
                    user=self.os_user,
                    at=self.clock(),
                    old=doc,
                    new=new_doc,
                    name=self.user,
                )
            except (OSError, AuditError) as exc:
                raise StoreError(f"could not record the upgrade of {path} in the audit trail ({_reason(exc)})") from None
        self._rebuild_index()
        self._write_meta(SCHEMA_VERSION)

    def _repair_interrupted_saves(self) -> None:
        for marker in list((self.root / "journal").iterdir()):
            discussion_id = marker.name
            if discussion_id.startswith(".") and discussion_id.endswith(".tmp"):
                # A writer killed inside atomic_write of its marker: the marker never existed,
                # so neither did the save it announced.
                marker.unlink(missing_ok=True)
                continue
            if not _is_safe_id(discussion_id):
                continue  # not ours: leave it for a person to look at
            try:
                self._settle_interrupted_save(discussion_id)
            except (OSError, StoreError, AuditError):
                # Still cannot be repaired (a full disk, a damaged file): the marker stays for the
                # next open, and opening goes on so the team can still read and run check --repair.
                continue
            marker.unlink(missing_ok=True)

    def _settle_interrupted_save(self, discussion_id: str) -> None:
        """Bring the index (and the audit trail) in line with the discussion file a save left."""
        path = self._discussion_path(discussion_id)
        shard = _shard_of(discussion_id)
        # Temp files of the killed writer (only writers holding the lock make them here, and we
        # hold it): a half-written copy, a backup link, or the oldest version it was retiring.
        for stray in [*path.parent.glob(f".{path.name}.*.tmp"), *(self.root / "index").glob(f".{shard}.json.*.tmp")]:
            stray.unlink(missing_ok=True)
        lines = self._read_shard_lines(shard)
        if path.exists():
            discussion = self._get_fresh(discussion_id)
            self._audit_recovered_save(path, discussion)
            line = _summary_line(discussion.summary())
            if lines.get(discussion_id) != line:
                lines[discussion_id] = line
                self._write_shard(shard, lines)
        elif lines.pop(discussion_id, None) is not None:
            self._write_shard(shard, lines)

    def _audit_recovered_save(self, path: Path, discussion: Discussion) -> None:
        """A save killed after its file was replaced but before its audit entry: record it now."""
        audited = max((e.get("revision", 0) for e in self.audit.history(discussion.id)), default=0)
        if audited >= discussion.revision:
            return
        try:
            old = self._read_discussion_doc(backup_path(path))
        except StoreError:
            old = None
        if old is not None and old.get("revision") != discussion.revision - 1:
            old = None
        self.audit.append(
            action="recovered-save",
            user=self.os_user,
            at=self.clock(),
            old=old,
            new=discussion.model_dump(mode="json"),
            name=f"saved by {discussion.updated_by or 'unknown'}; recorded when the database was next opened",
        )

    def _rebuild_index(self) -> int:
        by_shard: dict[str, list[DiscussionSummary]] = {}
        for discussion in self.discussions():
            by_shard.setdefault(_shard_of(discussion.id), []).append(discussion.summary())
        for shard_path in (self.root / "index").glob("*.json"):
            if shard_path.stem not in by_shard:
                shard_path.unlink()
                self._forget_shard(shard_path.name)
        for shard, summaries in by_shard.items():
            self._write_shard(shard, {s.id: _summary_line(s) for s in summaries})
        return sum(len(s) for s in by_shard.values())

    def _write(self, discussion: Discussion, stored: Discussion | None) -> Discussion:
        discussion = _revalidated(discussion)
        if stored is not None and stored.is_signed_off:
            _check_only_addenda_and_tracking_changed(stored, discussion)
        now = self.clock()
        saved = discussion.model_copy(
            update={
                "revision": discussion.revision + 1,
                "updated_at": now,
                "updated_by": self.user,
                "created_at": discussion.created_at or now,
                "created_by": discussion.created_by or self.user,
            }
        )
        path = self._discussion_path(saved.id)
        shard = _shard_of(saved.id)
        # The shard is read (a damaged one refused) before anything is written: a refused save
        # changes nothing.
        old_lines = self._read_shard_lines(shard)
        shard_existed = self._shard_path(shard).exists()
        try:
            ensure_folder(path.parent, self.access)
            self._mark_in_progress(saved.id)
        except OSError as exc:
            raise _save_failed(self.root, exc) from None
        replaced: Replacement | None = None
        index_written = False
        try:
            new_doc = saved.model_dump(mode="json")
            replaced = self._write_discussion_doc(path, new_doc, undoable=True)
            self._write_shard(shard, {**old_lines, saved.id: _summary_line(saved.summary())})
            index_written = True
            # Last: once the entry is in the log nothing can fail, so no save goes unrecorded
            # and no entry describes a save that was refused.
            self.audit.append(
                action="create" if stored is None else "edit",
                user=self.os_user,
                at=now,
                old=stored.model_dump(mode="json") if stored is not None else None,
                new=new_doc,
                name=self.user,
            )
        except (OSError, AuditError) as exc:
            self._roll_back_save(saved.id, replaced, shard, old_lines if index_written else None, shard_existed)
            raise _save_failed(self.root, exc) from None
        if replaced is not None:
            replaced.commit()
        self._clear_in_progress_quietly(saved.id)
        return saved

    def _roll_back_save(
        self,
        discussion_id: str,
        replaced: Replacement | None,
        shard: str,
        old_lines: dict[str, bytes] | None,
        shard_existed: bool,
    ) -> None:
        """Put back what a refused save changed, so it is refused whole and the retry works.

        The discussion file goes back by renames (which a full disk allows); if anything cannot
        be put back, the journal marker stays and the next open repairs the index from the file.
        """
        try:
            if replaced is not None:
                replaced.undo()
            if old_lines is not None:
                if shard_existed:
                    self._write_shard(shard, old_lines)
                else:
                    self._shard_path(shard).unlink(missing_ok=True)
                    self._forget_shard(f"{shard}.json")
        except OSError:
            return
        self._clear_in_progress_quietly(discussion_id)

    def _write_discussion_doc(self, path: Path, doc: dict[str, Any], undoable: bool = False) -> Replacement:
        # `doc` is the record's model_dump(mode="json"), made once by the caller, which logs the
        # same dict in the audit trail. The TinyDB layout ({"discussion": {"1": doc}}) written
        # whole: a replace, never a merge, so a field a migration removed is gone. Every caller
        # has read the old file first, so a damaged one has already been refused.
        payload = json.dumps({"discussion": {"1": doc}}, ensure_ascii=False, separators=(",", ":"))
        return atomic_write(path, payload.encode("utf-8"), self.access, keep_backup=self.versions_kept, undoable=undoable)

    def _read_discussion_doc(self, path: Path, migrate: bool = True) -> dict[str, Any] | None:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        table = parse_json_file(path, raw).get("discussion")
        if not table:
            raise DamagedFileError(path, "it holds no discussion")
        if not isinstance(table, dict) or not all(isinstance(doc, dict) for doc in table.values()):
            raise DamagedFileError(path, "not a TinyDB database")
        doc = dict(next(iter(table.values())))
        if migrate:
            try:
                doc = migrations.migrate(doc)
            except migrations.MigrationError as exc:
                raise StoreError(f"{path}: {exc}") from None
        return doc

    def _validate(self, path: Path, doc: dict[str, Any]) -> Discussion:
        try:
            discussion = Discussion.model_validate(doc)
        except ValidationError as exc:
            raise DamagedFileError(path, "; ".join(explain_validation_error(exc)[:3])) from None
        expected = path.name.split(".", 1)[0]
        if discussion.id != expected:
            # Taken for another record, it would be shown and saved under the wrong id.
            raise DamagedFileError(path, f"it holds the discussion with id {discussion.id}, not {expected}")
        return discussion

    def _get_fresh(self, discussion_id: str) -> Discussion:
        return self.get(discussion_id)

    # -- the index ------------------------------------------------------------------------

    def _current_shards(self) -> list[_Shard]:
        """Every index shard's summaries, reading only the shards changed since the last call."""
        folder = self.root / "index"
        with self._cache_lock:
            try:
                with os.scandir(folder) as listing:
                    names = sorted(e.name for e in listing if e.name.endswith(".json") and not e.name.startswith("."))
            except FileNotFoundError:
                self._shards.clear()
                return []
            current: dict[str, _Shard] = {}
            stale: list[tuple[str, _Shard | None]] = []
            for name in names:
                cached = self._shards.get(name)
                if cached is not None and cached.trusted:
                    try:
                        if _file_key(os.stat(folder / name)) == cached.key:
                            current[name] = cached
                            continue
                    except FileNotFoundError:
                        continue  # removed since the listing (an index rebuild)
                stale.append((name, cached))
            if stale:
                # Parsing builds hundreds of thousands of objects that all live on: the cycle
                # collector's passes over them would find nothing and double the time.
                with _collector_paused():
                    loaded_count = 0
                    shared = _Shared()
                    for name, cached in stale:
                        loaded = _load_shard(folder / name, shared=shared, previous=cached)
                        if loaded is not None:
                            current[name] = loaded
                            if cached is None or loaded.summaries is not cached.summaries:
                                loaded_count += len(loaded.summaries)
                    if loaded_count >= FREEZE_AFTER_LOADING:
                        # Otherwise the next full collection walks them all on the UI thread
                        # (~0.1-0.5 s at 20,000). Frozen objects are still freed when no longer
                        # referenced; only cycles among them would wait for gc.unfreeze().
                        gc.freeze()
            self._shards = current
            return [current[name] for name in names if name in current]

    def _forget_shard(self, name: str) -> None:
        with self._cache_lock:
            self._shards.pop(name, None)

    def _read_shard_lines(self, shard: str) -> dict[str, bytes]:
        """The shard's entries as {discussion id: its summary as a JSON line}, in file order."""
        path = self._shard_path(shard)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return {}
        return _shard_lines(path, raw)

    def _write_shard(self, shard: str, lines: dict[str, bytes]) -> None:
        body = b",\n".join(b'"%d":%s' % (n, line) for n, line in enumerate(lines.values(), start=1))
        atomic_write(self._shard_path(shard), _SHARD_HEAD + body + _SHARD_TAIL, self.access)
        self._forget_shard(f"{shard}.json")

    def _roll_back_new(self, written: list[Discussion], shards: dict[str, tuple[dict[str, bytes], bool]]) -> None:
        """Remove what a failed import wrote; markers stay for whatever could not be put back."""
        settled = True
        for shard, (lines, existed) in shards.items():
            try:
                if existed:
                    self._write_shard(shard, lines)
                else:
                    self._shard_path(shard).unlink(missing_ok=True)
                    self._forget_shard(f"{shard}.json")
            except OSError:
                settled = False
        for discussion in written:
            try:
                self._discussion_path(discussion.id).unlink(missing_ok=True)
            except OSError:
                settled = False
                continue
            if settled:
                self._clear_in_progress_quietly(discussion.id)

    def _mark_in_progress(self, discussion_id: str) -> None:
        atomic_write(self.root / "journal" / discussion_id, b"", self.access)

    def _clear_in_progress_quietly(self, discussion_id: str) -> None:
        try:
            (self.root / "journal" / discussion_id).unlink(missing_ok=True)
        except OSError:
            pass  # the marker stays; the next open finds the index already in line

    def _discussion_path(self, discussion_id: str) -> Path:
        if not _is_safe_id(discussion_id):
            raise NotFoundError(f"'{discussion_id}' is not a discussion id")
        return self.root / "discussions" / _shard_of(discussion_id) / f"{discussion_id}.json"

    def _shard_path(self, shard: str) -> Path:
        return self.root / "index" / f"{shard}.json"

    def _locked(self) -> FileLock:
        return _LockGuard(self._lock, self.root)  # type: ignore[return-value]


class _LockGuard:
    def __init__(self, lock: FileLock, root: Path) -> None:
        self.lock = lock
        self.root = root

    def __enter__(self) -> None:
        try:
            self.lock.acquire()
        except Timeout:
            raise StoreError(
                f"the database {self.root} is busy (another user is saving); try again in a moment"
            ) from None
        except PermissionError:
            raise StoreError(f"cannot lock the database {self.root}: permission denied") from None

    def __exit__(self, *exc: object) -> None:
        self.lock.release()


def _reason(exc: BaseException) -> str:
    return (exc.strerror if isinstance(exc, OSError) else None) or str(exc)


def _save_failed(root: Path, exc: BaseException) -> StoreError:
    return StoreError(f"could not save to {root} ({_reason(exc)}); your work is kept on screen, try again")


def _os_user() -> str:
    from stratui.settings import os_user

    return os_user()


def _revalidated(discussion: Discussion) -> Discussion:
    """Check the whole record again: fields may have been assigned one by one since it was built.

    Refused: a wrong type, a broken structure, a signed-off record breaking a rule between its
    fields. A draft breaking such a rule is saved: its rule_problems() say what to fix.
    """
    try:
        # warnings=False: a wrongly typed field is reported by the validation, not as a warning.
        return Discussion.model_validate(discussion.model_dump(warnings=False))
    except ValidationError as exc:
        raise InvalidRecordError(explain_validation_error(exc)) from None


# -- index shards -------------------------------------------------------------------------
# A shard is a TinyDB file with one table, "summaries", written one entry a line:
#     {"summaries":{
#     "1":{"id":"ab12...",...},
#     "2":{"id":"ab34...",...}
#     }}
# JSON never holds a raw newline inside a string, so each line is one entry. A shard written in
# another layout (an older stratui, TinyDB itself) is parsed in full and rewritten in this one.

_SHARD_HEAD = b'{"summaries":{\n'
_SHARD_TAIL = b"\n}}\n"
_SHARD_LINE = re.compile(rb'"\d+":(\{"id":"([0-9a-fA-F-]{2,64})".*\})')


class _IndexFile(BaseModel):
    """A shard, validated in full (`stratui check`, or a shard the fast reader cannot read)."""

    model_config = ConfigDict(extra="ignore")
    summaries: dict[str, DiscussionSummary] = {}


@dataclass(frozen=True, slots=True)
class _Shard:
    key: tuple[int, int, int, int]
    # False when the file changed too recently for its key to be sure to change with its content.
    trusted: bool
    summaries: tuple[IndexedSummary, ...]
    # Kept while not trusted: reading the same bytes again keeps the same summaries (and the
    # deadline engine's memory of them) instead of parsing the shard again.
    raw: bytes | None = None


def _file_key(st: os.stat_result) -> tuple[int, int, int, int]:
    return st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


def _load_shard(
    path: Path, validate: bool = False, shared: _Shared | None = None, previous: _Shard | None = None
) -> _Shard | None:
    """The shard's summaries; None if the file has gone (an index rebuild).

    The store wrote every entry from a validated record, so the fast reader only converts the
    values (a wrong date or a missing key still fails it); `validate` checks every field with
    pydantic, as `stratui check` does, and is used whenever the fast reader fails.
    """
    started = time.time_ns()
    try:
        with open(path, "rb") as file:
            # The key comes from the open file, so it always describes the bytes read.
            st = os.fstat(file.fileno())
            raw = file.read()
    except FileNotFoundError:
        return None
    settled = started - int(RACY_SECONDS * 1e9)
    trusted = st.st_mtime_ns < settled and st.st_ctime_ns < settled
    if previous is not None and previous.raw == raw and not validate:
        return _Shard(_file_key(st), trusted, previous.summaries, None if trusted else raw)
    summaries = None if validate else _read_summaries_fast(path, raw, shared or _Shared())
    if summaries is None:
        try:
            validated = _IndexFile.model_validate_json(raw).summaries.values()
        except ValidationError as exc:
            parse_json_file(path, raw)  # says where the JSON itself is broken
            raise DamagedFileError(path, "; ".join(explain_validation_error(exc)[:3])) from None
        summaries = tuple(IndexedSummary.of(s) for s in validated)
    return _Shard(_file_key(st), trusted, summaries, None if trusted else raw)


class _Days(dict[str | None, date | None]):
    """ISO date text -> date, each parsed once (a shard's 400 dates share a few dozen values)."""

    def __missing__(self, text: str | None) -> date | None:
        day = self[text] = None if text is None else date.fromisoformat(text)
        return day


class _Words(dict[str, str]):
    """One copy of each owner, agency and worker name instead of one per action."""

    def __missing__(self, text: str) -> str:
        self[text] = text
        return text


class _Shared:
    """Values repeated across shards, parsed or kept once per load."""

    def __init__(self) -> None:
        self.days = _Days()
        self.words = _Words()


_KINDS = {k.value: k for k in DiscussionKind}
_STATUSES = {s.value: s for s in DiscussionStatus}
_FORMATS = {f.value: f for f in MeetingFormat}
_ACTION_STATUSES = {s.value: s for s in ActionStatus}
_new_tuple = tuple.__new__


def _read_summaries_fast(path: Path, raw: bytes, shared: _Shared) -> tuple[IndexedSummary, ...] | None:
    """The shard's summaries built straight from its JSON; None if anything is not as written."""
    data = parse_json_file(path, raw)
    days, words, statuses = shared.days, shared.words, _ACTION_STATUSES
    try:
        table = data.get("summaries", {})
        if not all(_plain_entry(d) for d in table.values()):
            return None
        return tuple(
            _new_tuple(
                IndexedSummary,
                (
                    d["id"], d["revision"], _KINDS[d["kind"]], _STATUSES[d["status"]], d["case_ref"],
                    d["children"], words[d["social_worker"]], days[d["concern_date"]], days[d["referral_date"]],
                    days[d["held_on"]], _FORMATS[d["format"]], d["s47_started"], d["parents_informed"],
                    days[d["parents_review_date"]], days[d["reconvene_on"]],
                    {key: days[on] for key, on in d["milestones"].items()},
                    [
                        _new_tuple(
                            IndexedAction,
                            (a["id"], a["text"], words[a["owner"]], words[a["agency"]], days[a["due"]],
                             statuses[a["status"]]),
                        )
                        for a in d["actions"]
                    ],
                    d["previous_discussion_ids"],
                    datetime.fromisoformat(d["updated_at"]) if d["updated_at"] else None,
                ),
            )
            for d in table.values()
        )  # fmt: skip
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def _plain_entry(d: dict[str, Any]) -> bool:
    """The values the fast reader passes through unconverted have the types the index writes."""
    return (
        type(d["id"]) is str
        and type(d["revision"]) is int
        and type(d["case_ref"]) is str
        and type(d["social_worker"]) is str
        and type(d["children"]) is list
        and all(type(c) is str for c in d["children"])
        and (d["s47_started"] is None or type(d["s47_started"]) is bool)
        and (d["parents_informed"] is None or type(d["parents_informed"]) is bool)
        and type(d["milestones"]) is dict
        and type(d["previous_discussion_ids"]) is list
        and all(type(i) is str for i in d["previous_discussion_ids"])
        and type(d["actions"]) is list
        and all(
            type(a["id"]) is str and type(a["text"]) is str and type(a["owner"]) is str and type(a["agency"]) is str
            for a in d["actions"]
        )
    )


def _shard_lines(path: Path, raw: bytes) -> dict[str, bytes]:
    if raw.startswith(_SHARD_HEAD) and raw.endswith(_SHARD_TAIL):
        body = raw[len(_SHARD_HEAD) : -len(_SHARD_TAIL)]
        lines: dict[str, bytes] = {}
        for line in body.split(b",\n") if body else ():
            match = _SHARD_LINE.fullmatch(line)
            if match is None:
                break
            lines[match.group(2).decode("ascii")] = match.group(1)
        else:
            return lines
    table = parse_json_file(path, raw).get("summaries", {})
    if not isinstance(table, dict) or not all(isinstance(doc, dict) and "id" in doc for doc in table.values()):
        raise DamagedFileError(path, "not an index of discussions")
    return {doc["id"]: _json_line({"id": doc["id"], **doc}) for doc in table.values()}


def _summary_line(summary: DiscussionSummary) -> bytes:
    # model_dump keeps the fields in declaration order: "id" first, as _SHARD_LINE expects.
    return _json_line(summary.model_dump(mode="json"))


def _json_line(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@contextmanager
def _collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _shard_of(discussion_id: str) -> str:
    return discussion_id[:2].lower()


def _is_safe_id(discussion_id: str) -> bool:
    return 2 <= len(discussion_id) <= 64 and all(c in "0123456789abcdefABCDEF-" for c in discussion_id)


# What may still change once a manager has signed a record off: its addenda (appended only),
# milestones, and the tracking of its actions (done, dropped, reopened).
_TRACKING_FIELDS = {"status", "closed_on", "closed_by", "closing_note"}
_BOOKKEEPING_FIELDS = {"revision", "updated_at", "updated_by", "addenda", "milestones", "actions"}


def _check_only_addenda_and_tracking_changed(stored: Discussion, edited: Discussion) -> None:
    signed = stored.sign_off
    who = f"{signed.manager} on {signed.signed_at:%d %b %Y}" if signed else "a manager"
    refusal = f"This record was signed off by {who}: it cannot be changed. Add an addendum instead."
    if stored.model_dump(exclude=_BOOKKEEPING_FIELDS) != edited.model_dump(exclude=_BOOKKEEPING_FIELDS):
        raise LockedError(refusal)
    if edited.addenda[: len(stored.addenda)] != stored.addenda:
        raise LockedError("Addenda to a signed-off record can be added, never changed or removed.")
    if [a.id for a in stored.actions] != [a.id for a in edited.actions]:
        raise LockedError(refusal)
    for before, after in zip(stored.actions, edited.actions):
        if before.model_dump(exclude=_TRACKING_FIELDS) != after.model_dump(exclude=_TRACKING_FIELDS):
            raise LockedError(refusal)


def default_access(group: str) -> Access:
    return Access(group=group) if group else PRIVATE
