"""The write path: every change under the lock, refused whole or done whole, then audited.

    <db>/.lock            serialises every write (stratui.store.lock)
    <db>/journal/<id>     a save in progress: the index is repaired from it after a crash

A save reads the index shard (a damaged one refused) before anything is written; then writes
the discussion file, the index entry and last the audit entry. If any of them fails, the
discussion file and its versions are put back by renames (which a full disk allows) and the
index entry rewritten, so the user's retry is not a conflict with their own half-save.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from stratui import files
from stratui.audit import AuditError, Pending
from stratui.files import Access, Replacement
from stratui.models import Discussion, explain_validation_error
from stratui.store.errors import ConflictError, InvalidRecordError, LockedError, StoreError, reason
from stratui.store.index import summary_line
from stratui.store.records import RecordFile, shard_of

if TYPE_CHECKING:
    from stratui.store.store import Store

JOURNAL_FOLDER = "journal"
class Journal:
    """One empty marker file per save in progress, named by the discussion's id."""

    def __init__(self, root: Path, access: Access) -> None:
        self.folder = root / JOURNAL_FOLDER
        self.access = access

    def mark(self, discussion_id: str) -> None:
        files.atomic_write(self.folder / discussion_id, b"", self.access)

    def clear_quietly(self, discussion_id: str) -> None:
        try:
            (self.folder / discussion_id).unlink(missing_ok=True)
        except OSError:
            pass  # the marker stays; the next open finds the index already in line

    def markers(self) -> list[Path]:
        return list(self.folder.iterdir())

    def any(self) -> bool:
        return any(self.folder.iterdir())


def create(store: Store, discussion: Discussion) -> Discussion:
    with store.lock:
        if store.records.exists(discussion.id):
            raise StoreError(f"a discussion with id {discussion.id} already exists")
        if discussion.revision != 0:
            raise StoreError("a new discussion must start at revision 0")
        return _write(store, store.records.open(store.records.path(discussion.id)), discussion, stored=None)


def save(store: Store, discussion: Discussion) -> Discussion:
    with store.lock:
        # The file is read through the TinyDB that writes it: parsed once, a damaged one refused.
        record, stored = store.records.load(discussion.id)
        if stored.revision != discussion.revision:
            raise ConflictError(stored, discussion.revision)
        return _write(store, record, discussion, stored=stored)


def update(store: Store, discussion_id: str, change: Callable[[Discussion], None]) -> Discussion:
    with store.lock:
        record, stored = store.records.load(discussion_id)
        edited = stored.model_copy(deep=True)
        change(edited)
        return _write(store, record, edited, stored=stored)


def save_all_new(store: Store, discussions: list[Discussion]) -> int:
    # A discussion never saved before (revision 0) is written as revision 1, like create().
    discussions = [revalidated(d if d.revision else d.model_copy(update={"revision": 1})) for d in discussions]
    records, index = store.records, store.index
    with store.lock:
        fresh = []
        for discussion in discussions:
            if records.exists(discussion.id):
                stored = records.get(discussion.id)
                if stored.model_dump(mode="json") != discussion.model_dump(mode="json"):
                    raise StoreError(
                        f"discussion {discussion.id} ({discussion.title}) already exists with different "
                        "content; nothing was imported"
                    )
                continue
            fresh.append(discussion)
        by_shard: dict[str, list[Discussion]] = {}
        for discussion in fresh:
            by_shard.setdefault(shard_of(discussion.id), []).append(discussion)
        # Every shard is read (a damaged one refused) before anything is written.
        old_lines = {shard: index.read_lines(shard) for shard in by_shard}
        existed = {shard: index.exists(shard) for shard in by_shard}
        now = store.clock()
        written: list[Discussion] = []
        shards_written: list[str] = []
        docs: list[dict[str, Any]] = []
        try:
            for discussion in fresh:
                store.journal.mark(discussion.id)
                docs.append(discussion.model_dump(mode="json"))
                records.write_doc(records.path(discussion.id), docs[-1])
                written.append(discussion)
            for shard, batch in by_shard.items():
                lines = dict(old_lines[shard])
                for discussion in batch:
                    lines[discussion.id] = summary_line(discussion.summary())
                index.write(shard, lines)
                shards_written.append(shard)
            store.audit.append_many([Pending("import", store.os_user, now, None, doc, store.user) for doc in docs])
        except (OSError, AuditError) as exc:
            _roll_back_new(store, written, {shard: (old_lines[shard], existed[shard]) for shard in shards_written})
            raise StoreError(f"could not write the database ({reason(exc)}); nothing was imported") from None
        for discussion in written:
            store.journal.clear_quietly(discussion.id)
        return len(written)


def _write(store: Store, record: RecordFile, discussion: Discussion, stored: Discussion | None) -> Discussion:
    """Write `discussion` over `stored`, which was read from `record` under the lock."""
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
    shard = shard_of(saved.id)
    # The shard is read (a damaged one refused) before anything is written: a refused save
    # changes nothing.
    old_lines = store.index.read_lines(shard)
    shard_existed = store.index.exists(shard)
    try:
        files.ensure_folder(record.path.parent, store.access)
        store.journal.mark(saved.id)
    except OSError as exc:
        raise save_failed(store.root, exc) from None
    replaced: Replacement | None = None
    index_written = False
    try:
        # Made once: the same dict is written and logged in the audit trail.
        new_doc = saved.model_dump(mode="json")
        replaced = record.write(new_doc, undoable=True)
        store.index.write(shard, {**old_lines, saved.id: summary_line(saved.summary())})
        index_written = True
        # Last: once the entry is in the log nothing can fail, so no save goes unrecorded
        # and no entry describes a save that was refused.
        store.audit.append(
            action="create" if stored is None else "edit",
            user=store.os_user,
            at=now,
            old=stored.model_dump(mode="json") if stored is not None else None,
            new=new_doc,
            name=store.user,
        )
    except (OSError, AuditError) as exc:
        _roll_back_save(store, saved.id, replaced, shard, old_lines if index_written else None, shard_existed)
        raise save_failed(store.root, exc) from None
    if replaced is not None:
        replaced.commit()
    store.journal.clear_quietly(saved.id)
    return saved


def _roll_back_save(
    store: Store,
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
            store.index.put_back(shard, old_lines, shard_existed)
    except OSError:
        return
    store.journal.clear_quietly(discussion_id)


def _roll_back_new(store: Store, written: list[Discussion], shards: dict[str, tuple[dict[str, bytes], bool]]) -> None:
    """Remove what a failed import wrote; markers stay for whatever could not be put back."""
    settled = True
    for shard, (lines, existed) in shards.items():
        try:
            store.index.put_back(shard, lines, existed)
        except OSError:
            settled = False
    for discussion in written:
        try:
            store.records.path(discussion.id).unlink(missing_ok=True)
        except OSError:
            settled = False
            continue
        if settled:
            store.journal.clear_quietly(discussion.id)


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
