"""The write path: every change under the lock, refused whole or done whole, then audited.

    <db>/.lock            serialises every write (stratui.store.lock)
    <db>/journal/<id>     a save in progress: the index is repaired from it after a crash
    <db>/journal/bulk-write.json
                          a bulk write (import, demo) in progress: where the audit log ended when
                          it began and every id it has written; removed once all of it is in.
                          Left by a kill, the write is undone whole (stratui.store.integrity)

A save is worked out before the lock is taken: the record validated and encoded, its summary,
its audit entry (the changed fields, the content hash) made from the file as read then. Under
the lock it is written only if that file still holds the very bytes it was worked out from (the
same revision, the same old values for its entry) and it waited under STAMPED_AHEAD_SECONDS for
the lock (its time is its record's updated_at and its entry's); otherwise it is worked out again
under the lock, from the file as it is then, and a copy someone saved meanwhile is refused as a
conflict. Only the writing is done holding the lock.

A save reads the index shard (a damaged one refused) before anything is written; then writes
the discussion file, the index entry and last the audit entry. If any of them fails, the
discussion file and its versions are put back by renames (which a full disk allows) and the
index entry rewritten, so the user's retry is not a conflict with their own half-save.

A killed process loses nothing it gave the kernel; the fsyncs are for a power cut. A save makes
six, each ordering a step before the next, and returns only once its record and audit entry
would survive one:

    1. the journal folder      the marker is on disk before any file of the save can be: a save
                               a power cut caught part-way is always found at the next open
    2. the record's temp file  its bytes before its name: never a torn record
    3. the record's folder     its new name (and its .bak rotation, renames in that folder) before
                               the audit entry: no entry describes a save the disk took back
    4. the index folder        the shard's new name before the marker goes: a stale shard with
                               no marker would be trusted
    5. the audit log           the entry before the marker goes: a record that landed always
                               has its entry (with the marker there, the next open writes it)
    6. the head's temp file    never a torn head, which would stop every save until repaired

3 and 4 are not ordered between themselves: the record's folder is flushed in a helper thread
while the shard is written and its folder flushed, so the save waits for the disk once for both.
Likewise 5 and 6: the head's bytes are written and flushed while the log's are, and the head is
renamed only once the log's flush is over. Four waits for the disk in a row, not six.

Left to the kernel: the marker's bytes (it has none: made whole, no temp file), the shard's
bytes (a torn shard is never trusted: read from the files, rebuilt by the next writer), the
head's rename (a head a power cut takes back is behind whole entries, which `settle` moves it
past, as after a kill between the two) and the marker's removal (a marker that comes back finds
its save whole at the next open). It was nine: every file and its folder, the empty marker too.

A bulk write (save_all_new) is undone whole unless it is committed, so it flushes only what
the undoing needs and, once, everything before its commit: its journal's first line and each
batch's list of ids before that batch's files (a file the undoing does not know of would stay),
then one sync(2) of everything after the last batch, then the journal's removal (a write
reported done stays done). Its files, index shards, audit log and head are left to that sync.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from stratui import files
from stratui.audit import AuditError, Created, Pending, entry_body
from stratui.audit_changes import content_hash
from stratui.files import Access, Replacement
from stratui.models import Discussion, explain_validation_error
from stratui.store import first_screen
from stratui.store.bulk_prepare import Item, Prepared, as_new, bookkeeping, prepared, workers_for
from stratui.store.errors import ConflictError, InvalidRecordError, LockedError, StoreError, reason
from stratui.store.index import Appended, ShardBefore, summary_line
from stratui.store.records import RecordFile, shard_of
from stratui.stored_form import stored as stored_form

if TYPE_CHECKING:
    from stratui.store.store import Store

JOURNAL_FOLDER = "journal"
BULK_FILE = "bulk-write.json"
# Discussions a bulk write writes, indexes and audits at a time. The whole write is all or
# nothing whatever its size (see `save_all_new`); the batch bounds the memory: only one batch of
# records and audit entries is held at a time.
BULK_BATCH = 1000
# A save worked out before it took the lock is written with the time it was worked out unless it
# waited longer than this for the lock: then it is worked out again, with the time it has it.
STAMPED_AHEAD_SECONDS = 1.0


class Journal:
    """One empty marker file per save in progress, named by the discussion's id, and the one
    bulk write in progress (`BULK_FILE`).

    The bulk write's file is a first line (JSON: the command, and where the audit log ended when
    it began) written whole, then the id of every discussion it writes, a line each, appended
    and flushed to disk before that batch's files are written. Removing it is the commit.
    """

    def __init__(self, root: Path, access: Access) -> None:
        self.folder = root / JOURNAL_FOLDER
        self.access = access
        self.bulk_path = self.folder / BULK_FILE
        # What settling a killed bulk write did, one line each, for the user (Store.recovered).
        self.notes: list[str] = []

    def mark(self, discussion_id: str) -> None:
        files.create_empty(self.folder / discussion_id, self.access)  # one left by a killed save says the same
        files.fsync_folder(self.folder)

    def clear_quietly(self, discussion_id: str) -> None:
        try:
            (self.folder / discussion_id).unlink(missing_ok=True)
        except OSError:
            pass  # the marker stays; the next open finds the index already in line

    def markers(self) -> list[Path]:
        """The single saves' markers (and the temp files of killed marker writes)."""
        return [path for path in self.folder.iterdir() if path.name != BULK_FILE]

    def begin_bulk(self, state: dict[str, Any]) -> None:
        # Written whole (atomic_write) before the first record: a kill at any later point
        # leaves a complete description of where the audit log is to be cut back to.
        line = json.dumps(state).encode("utf-8") + b"\n"
        files.atomic_write(self.bulk_path, line, self.access)

    def add_bulk_ids(self, ids: list[str]) -> None:
        """Name a batch's discussions before any of their files is written (flushed to disk: a
        file the undoing does not know of would stay)."""
        fd = os.open(self.bulk_path, os.O_WRONLY | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0))
        try:
            view = memoryview("".join(f"{i}\n" for i in ids).encode("ascii"))
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)

    def bulk_pending(self) -> bool:
        return os.path.lexists(self.bulk_path)

    def bulk_state(self) -> tuple[dict[str, Any], list[str]]:
        """The bulk write's first line, and the ids it names (a line cut short by a kill named
        a batch none of whose files was written yet: left out). ValueError if not ours."""
        with open(self.bulk_path, "rb") as journal:
            first = journal.readline()
            if not first.endswith(b"\n"):
                raise ValueError("no first line")
            state = json.loads(first)
            if not isinstance(state, dict):
                raise ValueError("not an object")
            ids = [line[:-1].decode("ascii") for line in journal if line.endswith(b"\n")]
        return state, ids

    def end_bulk(self) -> None:
        self.bulk_path.unlink(missing_ok=True)

    def any(self) -> bool:
        return any(self.folder.iterdir())


@contextmanager
def _locked(store: Store) -> Iterator[list[Callable[[], None]]]:
    """The store's lock, for one write; what the block leaves in the list is done once it is let
    go (moving this user's audit witness: no other writer needs to wait for it)."""
    after: list[Callable[[], None]] = []
    with store.lock:
        yield after
    for step in after:
        step()


def create(store: Store, discussion: Discussion) -> Discussion:
    with _locked(store) as after:
        settle_killed_bulk_write(store)
        if store.records.exists(discussion.id):
            raise StoreError(f"a discussion with id {discussion.id} already exists")
        if discussion.revision != 0:
            raise StoreError("a new discussion must start at revision 0")
        return _write(store, store.records.open(store.records.path(discussion.id)), discussion, None, after)


def save(store: Store, discussion: Discussion) -> Discussion:
    # Worked out before the lock is taken (validated, encoded, its summary and audit entry made),
    # from the file as read then: while other writers hold the lock, this one is not holding it.
    ahead = _prepared_ahead(store, discussion)
    with _locked(store) as after:
        settle_killed_bulk_write(store)
        if ahead is not None and _still_current(store, ahead):
            return _commit(store, ahead, after)
        # Someone saved it meanwhile (or it could not be worked out ahead): all of it again,
        # under the lock, from the file as it is now.
        # The file is read through the TinyDB that writes it: parsed once, a damaged one refused.
        record, stored = store.records.load(discussion.id)
        if stored.revision != discussion.revision:
            raise ConflictError(stored, discussion.revision)
        return _write(store, record, discussion, stored, after)


def _prepared_ahead(store: Store, discussion: Discussion) -> _Prepared | None:
    """The save of `discussion` worked out without the lock, against the file as it is now;
    None if the locked path must decide (a conflict, a refusal, a file that cannot be read: it
    reads the file again and says why, as if nothing had been tried ahead)."""
    try:
        record, stored = store.records.load(discussion.id)
        if stored.revision != discussion.revision:
            return None
        return _prepare(store, record, discussion, stored)
    except Exception:
        return None


def _still_current(store: Store, prepared: _Prepared) -> bool:
    """Whether a save worked out before the lock can be written as it is (lock held): its
    record's file holds the very bytes it was worked out from (so the same revision, the same
    old values in its audit entry), and it waited too little for its time to need taking again."""
    waited = abs((store.clock() - prepared.at).total_seconds())
    return waited <= STAMPED_AHEAD_SECONDS and prepared.record.unchanged()


def update(store: Store, discussion_id: str, change: Callable[[Discussion], None]) -> Discussion:
    with _locked(store) as after:
        settle_killed_bulk_write(store)
        record, stored = store.records.load(discussion_id)
        edited = stored.model_copy(deep=True)
        change(edited)
        return _write(store, record, edited, stored, after)


def settle_killed_bulk_write(store: Store) -> None:
    """Undo or finish a bulk write killed part-way, before anything else is written (lock held).

    Every write takes this step, so no save (which would adopt the killed batch's unrecorded audit
    entries) ever lands on top of it, even in an app that opened the database before the kill.
    """
    if store.journal.bulk_pending():
        from stratui.store.integrity import settle_bulk_write

        try:
            note = settle_bulk_write(store)
        except (OSError, AuditError) as exc:
            raise StoreError(
                f"could not first settle the bulk write (import or demo) killed earlier in {store.root} "
                f"({reason(exc)}); nothing was written, try again"
            ) from None
        if note:
            store.journal.notes.append(note)


def already_saved(store: Store, discussion: Discussion) -> bool:
    """Whether `discussion` is stored with this very content (an import run again); refused if
    its id is stored with other content."""
    # Only a stored one is compared (validated again, as it would be written): most are new.
    if not store.records.exists(discussion.id):
        return False
    new, doc = as_new(discussion)
    return _stored_as(store, new.id, new.title, (content_hash(doc), bookkeeping(doc)))


def _stored_as(store: Store, discussion_id: str, title: str, content: tuple[str, tuple[Any, ...]]) -> bool:
    """Whether the discussion is stored with this very `content` (its content hash, and the
    bookkeeping fields the hash leaves out: every field); refused if its id is stored with other
    content."""
    if not store.records.exists(discussion_id):
        return False
    doc = store.records.get(discussion_id).model_dump(mode="json")
    if (content_hash(doc), bookkeeping(doc)) != content:
        raise StoreError(
            f"discussion {discussion_id} ({title}) already exists with different content; "
            "nothing was imported"
        )
    return True


def save_all_new(
    store: Store,
    discussions: Iterable[Item],
    *,
    command: str = "",
    total: int | None = None,
    workers: int | None = None,
) -> int:
    """Write discussions not stored yet as one operation, all or nothing at any size.

    Each is a Discussion, its JSON document (as read from an export) or that document's JSON
    text (as the demo holds it), validated once here either way, and made ready to write
    (bulk_prepare) in this process or in `workers` processes of their own while this one
    writes, the same bytes in the same order (None: as many as `total` makes worth it,
    bulk_prepare.workers_for). Written `BULK_BATCH` at a time; `discussions` is
    consumed as it goes (a generator keeps memory bounded: one batch of discussions, the few
    lots on their way to the workers, and one shard of the index are held at a time; what spans
    the whole write is the set of ids seen, ~110 bytes each). The journal holds where the audit log ended and every id
    written; only once the last batch is in is it removed. Killed before that, the next open (or
    write) undoes all of it (integrity.settle_bulk_write); refused part-way, it is undone here at
    once. `command` (what the user ran) and `total` are what the next open tells the user if it
    is killed.

    Nothing of a batch is flushed to disk but the journal's list of its ids (a power cut would
    otherwise leave a file the undoing does not know of): the write is undone whole unless it is
    committed, so its files need to be on disk only by then, and they are put there at once
    (files.flush_everything) before the journal goes; the journal's removal is flushed too, so
    that a write reported done stays done.
    """
    seen: set[str] = set()
    with store.lock:
        settle_killed_bulk_write(store)
        batches = _Batches(store, command, total)
        try:
            fresh: list[Prepared] = []
            # Checked one at a time as they come, in order: the first problem met is the one told.
            with closing(prepared(discussions, workers_for(total) if workers is None else workers)) as ready:
                for taken, new in enumerate(ready, start=1):
                    if new.id in seen:
                        raise StoreError(f"discussion id {new.id} appears twice")
                    seen.add(new.id)
                    if not _stored_as(store, new.id, new.title, (new.content, new.bookkeeping)):  # a run again
                        fresh.append(new)
                    if taken % BULK_BATCH == 0:
                        batches.write(fresh)
            batches.write(fresh)
            if batches.start is not None:
                files.flush_everything()
                store.journal.end_bulk()  # the commit
                files.fsync_folder(store.journal.folder)
        except (OSError, AuditError) as exc:
            raise _stopped(f"could not write the database ({reason(exc)})", _undone(store, batches.start)) from None
        except StoreError as exc:
            raise _stopped(str(exc).removesuffix("; nothing was imported"), _undone(store, batches.start)) from None
        except BaseException:
            _undone(store, batches.start)  # interrupted (Ctrl+C) or the file could not be read again
            raise
        if batches.start is not None:
            # After the commit: a witness moved before it would be ahead of a log an undoing cut back.
            store.audit.witness_own_bulk_write(batches.start)
    return batches.done


class _Batches:
    """One bulk write's batches as they are written: journalled at the first that has new ones."""

    def __init__(self, store: Store, command: str, total: int | None) -> None:
        self.store, self.command, self.total = store, command, total
        self.start: tuple[str, int, int] | None = None  # where the audit log ended, once journalled
        self.done = 0
        self.shards: dict[str, Appended] = {}  # how the last batch left each index shard

    def write(self, fresh: list[Prepared]) -> None:
        """Write a batch's new discussions, emptying `fresh`."""
        if fresh:
            if self.start is None:
                self.start = _begin_bulk(self.store, self.command, self.total)
            _write_batch(self.store, fresh, self.shards)
            self.done += len(fresh)
            fresh.clear()


def _begin_bulk(store: Store, command: str, total: int | None) -> tuple[str, int, int]:
    """Journal where the audit log ends now (first adopting what a killed save appended)."""
    prev, count = store.audit.settle()
    log_existed = store.audit.path.exists()
    size = store.audit.path.stat().st_size if log_existed else 0
    audit = {"hash": prev, "count": count, "size": size, "log": log_existed, "head": store.audit.head_path.exists()}
    store.journal.begin_bulk({"command": command, "total": total, "audit": audit})
    return prev, count, size


def _undone(store: Store, start: tuple[str, int, int] | None) -> bool:
    """Undo the bulk write at once (nothing journalled: nothing to undo); False if some of it is
    left for the next open to remove."""
    if start is None:
        return True
    from stratui.store.integrity import settle_bulk_write

    try:
        settle_bulk_write(store)
    except (OSError, AuditError, StoreError):
        return False
    return True


def _stopped(why: str, undone: bool) -> StoreError:
    if undone:
        return StoreError(f"{why}; nothing was imported")
    return StoreError(
        f"{why}; nothing of it is kept, but what it wrote could not all be removed yet: the next stratui "
        "command removes it (run `stratui check --repair`)"
    )


def _write_batch(store: Store, fresh: list[Prepared], shards: dict[str, Appended]) -> None:
    """Write one batch of new discussions: named in the journal, then their files and the index
    a shard at a time, and last their audit entries. A failure leaves the whole write for the
    caller to undo."""
    store.journal.add_bulk_ids([new.id for new in fresh])
    by_shard: dict[str, list[Prepared]] = {}
    for new in fresh:
        by_shard.setdefault(shard_of(new.id), []).append(new)
    # Written in this thread: with no file flushed there is no wait on the disk for other
    # threads to overlap, only their contention for the interpreter (slower with 2 or 16).
    for shard, batch in by_shard.items():
        _write_shard(store, shard, batch, shards)
    entries = [Created(new.id, new.revision, new.packed, new.content) for new in fresh]
    store.audit.append_created("import", store.os_user, store.clock(), entries, name=store.user, flush=False)


def _write_shard(store: Store, shard: str, batch: list[Prepared], shards: dict[str, Appended]) -> None:
    """One shard's part of a batch: its files, then their lines added to its index shard
    (Index.add_new; `shards` keeps how each batch left each shard). One shard's lines at a
    time: the whole index is never held."""
    records = store.records
    # Read (a damaged one rebuilt from its folder) before its first files are written.
    listed = store.index.read_lines(shard) if shard not in shards else {}
    files.ensure_folder(records.folder / shard, store.access)
    for new in batch:
        records.write_new(new.id, new.payload)
    shards[shard] = store.index.add_new(shard, {new.id: new.line for new in batch}, shards.get(shard), listed)


@dataclass
class _Prepared:
    """A save worked out ahead of its write (`_prepare`): everything it writes and logs, made
    from `stored`, the copy read from `record`'s file."""

    record: RecordFile
    stored: Discussion | None
    saved: Discussion
    at: datetime  # the save's time: the record's updated_at and its audit entry's
    doc: dict[str, Any]  # the record's stored form (stratui.stored_form), as its file holds it
    line: bytes  # its summary in the index (index.summary_line)
    entry: dict[str, Any] | None  # its audit entry but its place in the chain; None: nothing changed
    same_for_dashboard: bool  # its summary gives the first screen's rows as the stored one did


def _write(
    store: Store, record: RecordFile, discussion: Discussion, stored: Discussion | None, after: list[Callable[[], None]]
) -> Discussion:
    """Write `discussion` over `stored`, which was read from `record` under the lock."""
    return _commit(store, _prepare(store, record, discussion, stored), after)


def _prepare(store: Store, record: RecordFile, discussion: Discussion, stored: Discussion | None) -> _Prepared:
    """Everything a save of `discussion` over `stored` writes, worked out from the two alone
    (nothing is read or written): refused here (InvalidRecordError, LockedError), nothing is."""
    discussion = revalidated(discussion)
    if stored is not None and stored.is_signed_off:
        check_only_addenda_and_tracking_changed(stored, discussion)
    now = store.clock()
    saved = discussion.model_copy(
        update={
            "revision": discussion.revision + 1,
            "updated_at": now,
            "updated_by": store.user,
            "created_at": discussion.created_at or now,
            "created_by": discussion.created_by or store.user,
        }
    )
    # Made once: the same dict is written and logged in the audit trail.
    new_doc = saved.model_dump(mode="json")
    old_doc = stored.model_dump(mode="json") if stored is not None else None
    action = "create" if stored is None else "edit"
    entry = entry_body(Pending(action=action, user=store.os_user, at=now, old=old_doc, new=new_doc, name=store.user))
    return _Prepared(
        record=record,
        stored=stored,
        saved=saved,
        at=now,
        doc=stored_form(new_doc),
        line=summary_line(saved.summary()),
        entry=entry,
        same_for_dashboard=stored is not None and first_screen.same_for_dashboard(stored, saved),
    )


def _commit(store: Store, prepared: _Prepared, after: list[Callable[[], None]]) -> Discussion:
    """Write a prepared save (lock held, its record's file as it was prepared from); `after`
    gets what is done once the lock is let go (`_locked`)."""
    record, saved = prepared.record, prepared.saved
    shard = shard_of(saved.id)
    # The shard is read (a damaged one refused) before anything is written: a refused save
    # changes nothing.
    shard_before = store.index.before_save(shard, saved.id)
    first_screen_before = first_screen.before_save(store, shard)
    try:
        files.ensure_folder(record.path.parent, store.access)
        store.journal.mark(saved.id)
    except OSError as exc:
        raise save_failed(store.root, exc) from None
    replaced: Replacement | None = None
    index_written = False
    try:
        replaced = record.write_stored(prepared.doc, undoable=True, sync_folder=False)
        # The record's new name is flushed while the index shard is written and its folder
        # flushed: the first must be on disk before the audit entry, the second before the
        # marker goes, and neither before the other.
        record_folder = files.flushing(record.path.parent)
        try:
            store.index.write_saved(shard_before, saved.id, prepared.line)
        finally:
            record_folder.wait()
        index_written = True
        # Last: once the entry is in the log nothing can fail, so no save goes unrecorded
        # and no entry describes a save that was refused.
        if prepared.entry is not None:
            store.audit.append_bodies([prepared.entry], witness_after=after)
    except (OSError, AuditError) as exc:
        _roll_back_save(store, saved.id, replaced, shard_before if index_written else None)
        raise save_failed(store.root, exc) from None
    if replaced is not None:
        replaced.commit()
    store.journal.clear_quietly(saved.id)
    # Last, after the marker is gone: the dashboard's rows stay in step if this save left them as they were.
    if prepared.same_for_dashboard:
        first_screen.after_save(store, shard, first_screen_before)
    return saved


def _roll_back_save(store: Store, discussion_id: str, replaced: Replacement | None, shard: ShardBefore | None) -> None:
    """Put back what a refused save changed, so it is refused whole and the retry works.

    The discussion file goes back by renames (which a full disk allows); if anything cannot
    be put back, the journal marker stays and the next open repairs the index from the file.
    """
    try:
        if replaced is not None:
            replaced.undo()
        if shard is not None:
            store.index.put_back_before(shard)
    except OSError:
        return
    store.journal.clear_quietly(discussion_id)


def save_failed(root: Path, exc: BaseException) -> StoreError:
    return StoreError(f"could not save to {root} ({reason(exc)}); your work is kept on screen, try again")


def revalidated(discussion: Discussion) -> Discussion:
    """Check the whole record again: fields may have been assigned one by one since it was built.

    Refused: a wrong type, a broken structure, a signed-off record breaking a rule between its
    fields. A draft breaking such a rule is saved: its rule_problems() say what to fix.
    """
    try:
        # warnings=False: a wrongly typed field is reported by the validation, not as a warning.
        return Discussion.model_validate(discussion.model_dump(warnings=False))
    except ValidationError as exc:
        raise InvalidRecordError(explain_validation_error(exc)) from None


# What may still change once a manager has signed a record off: its addenda (appended only),
# milestones and the outcomes recorded after the discussion, and the tracking of its actions
# (done, dropped, reopened).
_TRACKING_FIELDS = {"status", "closed_on", "closed_by", "closing_note"}
_BOOKKEEPING_FIELDS = {
    "revision", "updated_at", "updated_by", "addenda", "milestones", "actions", "enquiry_outcome", "conference_outcome"
}


def check_only_addenda_and_tracking_changed(stored: Discussion, edited: Discussion) -> None:
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
