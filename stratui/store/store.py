"""The Store: the one object the app, the CLI and the tests read and write discussions through.

A thin facade over the package's seams: `records` (the TinyDB discussion files), `index` (the
summaries), `writes` (lock, journal, rollback, audit) and `integrity` (open, check, repair).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from stratui.audit import AuditLog
from stratui.files import PRIVATE, Access, ensure_folder
from stratui.models import Discussion
from stratui.store import integrity, writes
from stratui.store.errors import StoreError
from stratui.store.index import ByShard, Index, IndexedSummary, IndexStamp, ShardDamage
from stratui.store.lock import Lock
from stratui.store.records import RecordFiles

AUDIT_FOLDER = "audit"
# Previous versions kept beside each discussion file unless the settings say otherwise. One is
# what the promises need: a refused save is undone by renaming it back, and a file damaged on
# disk is named with it beside it. Every earlier audited version is rebuilt from the audit trail
# (a new record's entry holds it whole), so more only multiply each record's size on disk.
DEFAULT_VERSIONS_KEPT = 1


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
        self.records = RecordFiles(self.root, access, self.versions_kept)
        self.journal = writes.Journal(self.root, access)
        self.index = Index(
            self.root,
            access,
            read_files=lambda shard, only: integrity.shard_from_files(self, shard, only),
            records=self.records.folder,
            journal=self.journal.folder,
        )
        self.lock = Lock(self.root, access, name=lambda: self.user)

    @classmethod
    def open(
        cls,
        root: Path,
        *,
        user: str = "",
        access: Access = PRIVATE,
        clock: Callable[[], datetime] | None = None,
        versions_kept: int = DEFAULT_VERSIONS_KEPT,
        read_only: bool = False,
    ) -> Store:
        """Open (creating if new) the database at `root`, migrating an older one and repairing the index.

        `read_only` (the commands that only read, and the app until it saves): nothing already in
        the folder is repaired, settled or rewritten; what a repair would mend is read around instead.
        """
        root = Path(root)
        if root.exists() and not root.is_dir():
            raise StoreError(f"{root} is a file, not a stratui database folder")
        try:
            ensure_folder(root, access)
        except PermissionError:
            raise StoreError(f"cannot create the database folder {root}: permission denied") from None
        store = cls(root, user=user, access=access, clock=clock, versions_kept=versions_kept)
        integrity.prepare(store, read_only=read_only)
        return store

    # -- reading (no lock: files are only ever replaced whole) ------------------------

    def get(self, discussion_id: str) -> Discussion:
        return self.records.get(discussion_id)

    def exists(self, discussion_id: str) -> bool:
        return self.records.exists(discussion_id)

    def is_empty(self) -> bool:
        """No discussion recorded yet: stops at the first file found, whatever the size."""
        return not self.records.any()

    def summaries(self) -> list[IndexedSummary]:
        """Every discussion's summary, from the index (never the discussion files).

        Only shards changed since the last call are read; the summaries are shared with other
        callers and must not be changed.
        """
        return self.index.summaries()

    def summaries_by_shard(self) -> ByShard:
        """`summaries()` index shard by index shard, and by id: a shard's tuple is the same object
        until a save (here or elsewhere) changes that shard, so what was worked out from it can be kept."""
        return self.index.by_shard()

    def __len__(self) -> int:
        return len(self.index)

    def index_damage(self) -> list[ShardDamage]:
        """The index shards the last `summaries()` did not use, each with what is hidden and why."""
        return self.index.damage()

    def index_stamp(self) -> IndexStamp:
        """Pass it to `changed_since` later to learn whether anyone saved meanwhile."""
        return self.index.stamp()

    def changed_since(self, stamp: IndexStamp | None) -> bool:
        """Whether a discussion was saved (by anyone) since `index_stamp()` returned `stamp`."""
        return self.index.changed_since(stamp)

    def index_size(self) -> int:
        """The index's size in bytes: a large one is best first read off the UI thread."""
        return self.index.size_bytes()

    def discussions(self) -> Iterator[Discussion]:
        """Every discussion in full (export, checks): reads every file."""
        return self.records.discussions()

    # -- writing ------------------------------------------------------------------------

    def create(self, discussion: Discussion) -> Discussion:
        """Save a new discussion (revision 0 in memory becomes 1 on disk)."""
        return writes.create(self, discussion)

    def save(self, discussion: Discussion) -> Discussion:
        """Save an edited discussion; refuses if someone saved it since this copy was read."""
        return writes.save(self, discussion)

    def update(self, discussion_id: str, change: Callable[[Discussion], None]) -> Discussion:
        """Apply `change` to the freshest copy under the lock (for small edits such as an action done)."""
        return writes.update(self, discussion_id, change)

    def save_all_new(
        self,
        discussions: Iterable[Discussion | dict[str, Any] | bytes],
        *,
        command: str = "",
        total: int | None = None,
        workers: int | None = None,
    ) -> int:
        """Create many discussions at once (import, demo) as one operation, all or nothing at any
        size, even under kill -9 (the next open undoes a killed one: `recovered`); written in
        batches of writes.BULK_BATCH so memory stays bounded. Each is a Discussion, its JSON
        document (model_dump(mode="json")) or that document's JSON text, validated once either
        way, in `workers` processes beside this one (None: as `total` makes worth it; 0: here).

        Discussions whose id already exists with identical content are skipped; a different one
        with the same id is refused before its batch is written. Returns how many were written.
        `command` and `total` name the operation in what a later open says if it was killed.
        """
        return writes.save_all_new(self, discussions, command=command, total=total, workers=workers)

    def already_saved(self, discussion: Discussion) -> bool:
        """Whether an import would skip `discussion` (stored identically); StoreError if its id is
        stored with other content."""
        return writes.already_saved(self, discussion)

    @property
    def recovered(self) -> list[str]:
        """What opening (or a write) found a killed bulk write had left and did about it, a line each."""
        return self.journal.notes

    # -- integrity ----------------------------------------------------------------------

    def rebuild_index(self) -> int:
        """Rebuild every index shard from the discussion files; returns the number indexed."""
        with self.lock:
            writes.settle_killed_bulk_write(self)  # its undone records must not be indexed
            count = integrity.rebuild_index(self)
            # The index now matches the files: what interrupted saves left needs no other repair.
            integrity.repair_interrupted_saves(self)
            return count

    def interrupted_saves(self) -> list[str]:
        """The ids of saves killed part-way that no writer has settled yet (read-only opens leave them)."""
        return [marker.name for marker in integrity.interrupted_saves(self)]

    def check(self) -> list[str]:
        """Problems found reading every file; an empty list means the database is sound."""
        return integrity.check(self)


def _os_user() -> str:
    from stratui.settings import os_user

    return os_user()
