"""The discussion store: TinyDB files in one folder, safe for several users at once.

Layout (see README, "Architecture"):

    <db>/stratui.json                  meta: schema version
    <db>/.lock                         serialises every write (filelock)
    <db>/discussions/<ab>/<id>.json    one TinyDB file per discussion (+ <id>.json.bak, the previous save)
    <db>/index/<ab>.json               256 index shards of DiscussionSummary, by the id's first two hex digits
    <db>/journal/<id>                  a save in progress: the index is repaired from it after a crash

A save therefore rewrites one small discussion file and one small index shard, whatever the size
of the database. Every write holds the lock, reads fresh data and checks the revision, so a
concurrent edit is refused as a conflict instead of silently overwriting.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from pydantic import ValidationError
from tinydb import Query, TinyDB
from tinydb.storages import Storage
from tinydb.table import Document

from stratui import migrations
from stratui.files import PRIVATE, Access, atomic_write, backup_path, ensure_folder
from stratui.models import SCHEMA_VERSION, Discussion, DiscussionSummary, explain_validation_error

META_FILE = "stratui.json"
LOCK_TIMEOUT_SECONDS = 15


class StoreError(Exception):
    """Something the user must be told about; the message is one clear sentence or two."""


class DamagedFileError(StoreError):
    def __init__(self, path: Path, reason: str) -> None:
        backup = backup_path(path)
        if backup.exists():
            restore = f"The previous version is kept at {backup}: check it, then copy it over the damaged file."
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
    """The record breaks a rule of the model; nothing was written."""

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
    ) -> None:
        self.root = Path(root)
        self.user = user
        self.access = access
        self.clock = clock or (lambda: datetime.now().astimezone())
        self._lock = FileLock(str(self.root / ".lock"), timeout=LOCK_TIMEOUT_SECONDS, mode=access.file_mode)

    @classmethod
    def open(
        cls,
        root: Path,
        *,
        user: str = "",
        access: Access = PRIVATE,
        clock: Callable[[], datetime] | None = None,
    ) -> Store:
        """Open (creating if new) the database at `root`, migrating an older one and repairing the index."""
        root = Path(root)
        if root.exists() and not root.is_dir():
            raise StoreError(f"{root} is a file, not a stratui database folder")
        try:
            ensure_folder(root, access)
        except PermissionError:
            raise StoreError(f"cannot create the database folder {root}: permission denied") from None
        store = cls(root, user=user, access=access, clock=clock)
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

    def summaries(self) -> list[DiscussionSummary]:
        """Every discussion's summary, from the index (never the discussion files)."""
        result = []
        for shard in sorted((self.root / "index").glob("*.json")):
            for doc in self._shard_docs(shard):
                result.append(DiscussionSummary.model_validate(doc))
        return result

    def __len__(self) -> int:
        return sum(len(self._shard_docs(shard)) for shard in (self.root / "index").glob("*.json"))

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
            written: list[Discussion] = []
            try:
                by_shard: dict[str, list[DiscussionSummary]] = {}
                for discussion in fresh:
                    path = self._discussion_path(discussion.id)
                    self._mark_in_progress(discussion.id)
                    ensure_folder(path.parent, self.access)
                    self._write_discussion_doc(path, discussion)
                    written.append(discussion)
                    by_shard.setdefault(_shard_of(discussion.id), []).append(discussion.summary())
                for shard, summaries in by_shard.items():
                    self._write_index_entries(shard, summaries)
                for discussion in written:
                    self._clear_in_progress(discussion.id)
            except OSError as exc:
                self._roll_back_new(written)
                raise StoreError(f"could not write the database ({exc.strerror}); nothing was imported") from None
            return len(written)

    # -- integrity ----------------------------------------------------------------------

    def rebuild_index(self) -> int:
        """Rebuild every index shard from the discussion files; returns the number indexed."""
        with self._locked():
            return self._rebuild_index()

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
                for doc in self._shard_docs(shard):
                    indexed[doc["id"]] = doc["revision"]
            except DamagedFileError as exc:
                problems.append(f"{exc} (the index can be rebuilt: stratui check --repair)")
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
        return problems

    # -- internals ----------------------------------------------------------------------

    def _prepare(self) -> None:
        meta = self._read_meta()
        version = meta.get("schema_version", 1) if meta else SCHEMA_VERSION
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.root} was written by a newer stratui (schema version {version}); upgrade stratui to open it"
            )
        for folder in ("discussions", "index", "journal"):
            ensure_folder(self.root / folder, self.access)
        if meta is None:
            with self._locked():
                if self._read_meta() is None:
                    self._write_meta(SCHEMA_VERSION)
            return
        if version < SCHEMA_VERSION:
            with self._locked():
                self._migrate()
        if any((self.root / "journal").iterdir()):
            with self._locked():
                self._repair_interrupted_saves()

    def _read_meta(self) -> dict[str, Any] | None:
        with TinyDB(self.root / META_FILE, storage=AtomicJSONStorage, access=self.access) as db:
            docs = db.table("meta").all()
        return dict(docs[0]) if docs else None

    def _write_meta(self, version: int) -> None:
        with TinyDB(self.root / META_FILE, storage=AtomicJSONStorage, access=self.access, keep_backup=True) as db:
            db.table("meta").upsert(Document({"schema_version": version}, doc_id=1))

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
            self._write_discussion_doc(path, self._validate(path, migrated))
        self._rebuild_index()
        self._write_meta(SCHEMA_VERSION)

    def _repair_interrupted_saves(self) -> None:
        for marker in list((self.root / "journal").iterdir()):
            discussion_id = marker.name
            path = self._discussion_path(discussion_id)
            shard = _shard_of(discussion_id)
            if path.exists():
                discussion = self._get_fresh(discussion_id)
                self._write_index_entries(shard, [discussion.summary()])
            else:
                self._remove_index_entry(shard, discussion_id)
            marker.unlink()

    def _rebuild_index(self) -> int:
        by_shard: dict[str, list[DiscussionSummary]] = {}
        for discussion in self.discussions():
            by_shard.setdefault(_shard_of(discussion.id), []).append(discussion.summary())
        for shard_path in (self.root / "index").glob("*.json"):
            if shard_path.stem not in by_shard:
                shard_path.unlink()
        for shard, summaries in by_shard.items():
            docs = {str(i): s.model_dump(mode="json") for i, s in enumerate(summaries, start=1)}
            payload = json.dumps({"summaries": docs}, ensure_ascii=False).encode("utf-8")
            atomic_write(self._shard_path(shard), payload, self.access)
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
        try:
            ensure_folder(path.parent, self.access)
            self._mark_in_progress(saved.id)
            self._write_discussion_doc(path, saved)
            self._write_index_entries(_shard_of(saved.id), [saved.summary()])
            self._clear_in_progress(saved.id)
        except OSError as exc:
            raise StoreError(f"could not save to {self.root} ({exc.strerror}); your work is kept on screen, try again") from None
        return saved

    def _write_discussion_doc(self, path: Path, discussion: Discussion) -> None:
        doc = discussion.model_dump(mode="json")
        with TinyDB(path, storage=AtomicJSONStorage, access=self.access, keep_backup=True) as db:
            table = db.table("discussion")
            # Replace, not merge (TinyDB's update merges): a field a migration removed must go.
            if table.contains(doc_id=1):
                table.update(_replace_with(doc), doc_ids=[1])
            else:
                table.insert(Document(doc, doc_id=1))

    def _read_discussion_doc(self, path: Path, migrate: bool = True) -> dict[str, Any] | None:
        if not path.exists():
            return None
        with TinyDB(path, storage=AtomicJSONStorage, access=self.access) as db:
            docs = db.table("discussion").all()
        if not docs:
            raise DamagedFileError(path, "it holds no discussion")
        doc = dict(docs[0])
        if migrate:
            try:
                doc = migrations.migrate(doc)
            except migrations.MigrationError as exc:
                raise StoreError(f"{path}: {exc}") from None
        return doc

    def _validate(self, path: Path, doc: dict[str, Any]) -> Discussion:
        try:
            return Discussion.model_validate(doc)
        except ValidationError as exc:
            raise DamagedFileError(path, "; ".join(explain_validation_error(exc)[:3])) from None

    def _get_fresh(self, discussion_id: str) -> Discussion:
        return self.get(discussion_id)

    def _shard_docs(self, shard: Path) -> list[dict[str, Any]]:
        with TinyDB(shard, storage=AtomicJSONStorage, access=self.access) as db:
            return [dict(doc) for doc in db.table("summaries").all()]

    def _write_index_entries(self, shard: str, summaries: Iterable[DiscussionSummary]) -> None:
        entry = Query()
        with TinyDB(self._shard_path(shard), storage=AtomicJSONStorage, access=self.access) as db:
            table = db.table("summaries")
            indexed = {doc["id"] for doc in table.all()}
            docs = [summary.model_dump(mode="json") for summary in summaries]
            # A batch costs one write for the updates and one for the new entries, not one per entry.
            updates = [(_replace_with(doc), entry.id == doc["id"]) for doc in docs if doc["id"] in indexed]
            new = [doc for doc in docs if doc["id"] not in indexed]
            if updates:
                table.update_multiple(updates)
            if new:
                table.insert_multiple(new)

    def _remove_index_entry(self, shard: str, discussion_id: str) -> None:
        with TinyDB(self._shard_path(shard), storage=AtomicJSONStorage, access=self.access) as db:
            db.table("summaries").remove(Query().id == discussion_id)

    def _roll_back_new(self, written: list[Discussion]) -> None:
        for discussion in written:
            path = self._discussion_path(discussion.id)
            try:
                path.unlink(missing_ok=True)
                self._remove_index_entry(_shard_of(discussion.id), discussion.id)
                self._clear_in_progress(discussion.id)
            except OSError:
                pass  # the journal marker stays, and the next open repairs the index

    def _mark_in_progress(self, discussion_id: str) -> None:
        atomic_write(self.root / "journal" / discussion_id, b"", self.access)

    def _clear_in_progress(self, discussion_id: str) -> None:
        (self.root / "journal" / discussion_id).unlink(missing_ok=True)

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


def _revalidated(discussion: Discussion) -> Discussion:
    """Check the whole record again: fields may have been assigned one by one since it was built."""
    try:
        return Discussion.model_validate(discussion.model_dump())
    except ValidationError as exc:
        raise InvalidRecordError(explain_validation_error(exc)) from None


def _replace_with(new: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    def transform(doc: dict[str, Any]) -> None:
        doc.clear()
        doc.update(new)

    return transform


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
