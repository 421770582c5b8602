"""Keeping a database sound: opening (schema version, migration), crash repair, check and rebuild.

    <db>/stratui.json    meta: the schema version (a TinyDB file, table "meta")

A journal marker that cannot be settled (still a full disk, a damaged shard) never stops the
database opening: it is settled at a later open or by `check --repair`, which also records in
the audit trail a save killed between its file and its entry. The batch of a bulk write killed
part-way is undone whole at the next open or write (`settle_bulk_write`). However
many saves were killed, repairing them reads the audit log once.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stratui import files, migrations
from stratui.audit import AuditError, Pending
from stratui.files import backup_path
from stratui.models import SCHEMA_VERSION, Discussion, DiscussionSummary
from stratui.store.errors import DamagedFileError, StoreError, reason
from stratui.store.index import _shard_lines as shard_lines
from stratui.store.index import summary_line
from stratui.store.lock import HOLDER_FILE, QUEUE_FOLDER
from stratui.store.records import is_safe_id, open_database, put_document, shard_of, validate

if TYPE_CHECKING:
    from stratui.store.store import Store

META_FILE = "stratui.json"
META_TABLE = "meta"
BACKUPS_FOLDER = "backups"
# Files an undone bulk write's removal waits on side by side (see _in_parallel).
UNDO_THREADS = 32


def prepare(store: Store, read_only: bool = False) -> None:
    """Make a new database, or bring an existing one up to date (migrate, settle, repair).

    `read_only` leaves settling the audit trail and repairing interrupted saves to the next
    writer (each save settles the trail first): a command that only reads must never truncate
    or rewrite a file, not even one it takes for a killed writer's leftovers. The one exception
    is a bulk write (import, demo) that was stopped before its commit: undone at any open.
    """
    refuse_planted_links(store)
    version = schema_version(store, read_meta(store))
    for folder in (store.records.folder, store.index.folder, store.journal.folder):
        files.ensure_folder(folder, store.access)
    if version is None:
        with store.lock:
            if schema_version(store, read_meta(store)) is None:
                write_meta(store, SCHEMA_VERSION)
        return
    if version < SCHEMA_VERSION:
        with store.lock:
            migrate(store)
    if store.journal.bulk_pending():
        # Before the audit is settled: that would adopt the write's unrecorded entries. Even a
        # command that only reads undoes it: it is no one's record, and left it would be shown
        # as if it were. Never waited for: a writer holding the lock is still writing it.
        try:
            with store.lock.patience(0), store.lock:
                note = settle_bulk_write(store)
            if note:
                store.journal.notes.append(note)
        except (StoreError, AuditError, OSError):
            pass  # under way, or cannot be undone yet: every write settles it first, and check names it
    if read_only:
        return
    if store.audit.needs_settling():
        try:
            with store.lock:
                store.audit.settle()
        except (StoreError, AuditError, OSError):
            pass  # a save settles it again; `check` and `audit verify` report what is left
    if store.journal.any():
        try:
            with store.lock:
                repair_interrupted_saves(store)
        except StoreError:
            pass  # busy or locked out: the next open repairs; reading does not need it


def schema_version(store: Store, meta: dict[str, Any] | None) -> int | None:
    """The database's schema version; None for a new, empty database (refused if it holds records)."""
    path = store.root / META_FILE
    if meta is None or "schema_version" not in meta:
        if store.records.any():
            # Taking it for a new database would stamp it current and skip an older one's migration.
            if meta is None:
                raise StoreError(
                    f"{path} is missing, yet {store.root} holds discussions: restore it from your backups "
                    "(it says which version of stratui wrote them). stratui has not changed anything."
                )
            raise DamagedFileError(path, "it names no schema version, yet the folder holds discussions")
        if meta is None:
            refuse_foreign_folder(store)
        return None
    version = meta["schema_version"]
    if type(version) is not int or version < 1:
        raise DamagedFileError(path, "its schema version is not a whole number of 1 or more")
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{store.root} was written by a newer stratui (schema version {version}); upgrade stratui to open it"
        )
    return version


# What a stratui database folder holds (see stratui.store): anything else in a folder with no
# meta file means it is some other folder, which stratui must not quietly turn into a database.
DATABASE_ENTRIES = {
    "stratui.json", ".lock", HOLDER_FILE, QUEUE_FOLDER, "discussions", "index", "journal", "audit", "drafts", BACKUPS_FOLDER, "lost+found",
}


def refuse_foreign_folder(store: Store) -> None:
    try:
        foreign = sorted(
            name for name in os.listdir(store.root) if name not in DATABASE_ENTRIES and not name.startswith((f".{META_FILE}.", f"{HOLDER_FILE}."))
        )
    except FileNotFoundError:
        return
    if foreign:
        shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
        raise StoreError(
            f"{store.root} is not a stratui database (it holds {shown} and no {META_FILE}); stratui has not changed "
            "it. To create a new database, give --db (or STRATUI_DB) a folder that does not exist yet or is empty."
        )


def refuse_planted_links(store: Store) -> None:
    """The lock file is opened for writing by every writer: a symbolic link there (which stratui
    never makes) could turn that into a write anywhere the user may write."""
    lock = store.root / ".lock"
    if lock.is_symlink():
        raise StoreError(
            f"{lock} is a symbolic link (to {os.readlink(lock)}), which stratui never makes: someone may have planted "
            f"it to make stratui write elsewhere. stratui has not used it. Check who made it, then remove it: rm '{lock}'"
        )


def read_meta(store: Store) -> dict[str, Any] | None:
    """The meta document ({} if the file holds none); None if there is no meta file."""
    db = open_database(store.root / META_FILE, store.access)
    if db.storage.read() is None:
        return None
    docs = db.table(META_TABLE, cache_size=0).all()
    return dict(docs[0]) if docs else {}


def write_meta(store: Store, version: int) -> None:
    db = open_database(store.root / META_FILE, store.access, versions_kept=1)
    put_document(db.table(META_TABLE, cache_size=0), {"schema_version": version})


def migrate(store: Store) -> None:
    meta = read_meta(store) or {}
    old = meta.get("schema_version", 1)
    if old == SCHEMA_VERSION:
        return  # another process migrated while we waited for the lock
    stamp = store.clock().strftime("%Y%m%d-%H%M%S")
    backup = store.root / BACKUPS_FOLDER / f"before-migration-v{old}-{stamp}"
    files.ensure_folder(backup.parent, store.access)
    shutil.copytree(
        store.root,
        backup,
        ignore=shutil.ignore_patterns(BACKUPS_FOLDER, ".lock", QUEUE_FOLDER, "*.tmp"),
        copy_function=shutil.copy2,
    )
    for path in store.records.paths():
        doc = store.records.read_doc(path, migrate=False)
        if doc is None or not migrations.needs_migration(doc):
            continue
        try:
            migrated = migrations.migrate(doc)
        except migrations.MigrationError as exc:
            raise StoreError(f"{path}: {exc}") from None
        new_doc = validate(path, migrated).model_dump(mode="json")
        store.records.write_doc(path, new_doc)
        # The stored shape changed, not what was recorded; the trail still shows each field moved.
        try:
            store.audit.append(action="migrate", user=store.os_user, at=store.clock(), old=doc, new=new_doc, name=store.user)
        except (OSError, AuditError) as exc:
            raise StoreError(f"could not record the upgrade of {path} in the audit trail ({reason(exc)})") from None
    rebuild_index(store)
    write_meta(store, SCHEMA_VERSION)


def rebuild_index(store: Store) -> int:
    """Every index shard rebuilt from the discussion files, and the audit trail's index of
    entries by record from its log (the caller holds the lock)."""
    by_shard: dict[str, list[DiscussionSummary]] = {}
    for discussion in store.records.discussions():
        by_shard.setdefault(shard_of(discussion.id), []).append(discussion.summary())
    store.index.rebuild(by_shard)
    try:
        store.audit.reindex()
    except (OSError, AuditError):
        pass  # a shortcut only: histories scan the log, and `check` names the trail's damage
    return sum(len(s) for s in by_shard.values())


def shard_from_files(store: Store, shard: str, only: set[str] | None = None) -> tuple[list[DiscussionSummary], list[str]]:
    """The summaries of a shard's discussions read from their files (or of the ids in `only`),
    and for each file that cannot be read, why: what an index shard that cannot be trusted
    is read or rebuilt from (see stratui.store.index)."""
    summaries, unreadable = [], []
    for path in sorted((store.records.folder / shard).glob("*.json")):
        if only is not None and path.stem not in only:
            continue
        try:
            doc = store.records.read_doc(path)
            if doc is not None:
                summaries.append(validate(path, doc).summary())
        except StoreError as exc:
            unreadable.append(str(exc))
    return summaries, unreadable


def settle_bulk_write(store: Store) -> str | None:
    """Undo the bulk write a kill left unfinished (the caller holds the lock): all of it, whatever
    its size, as it was never committed (its journal removed).

    Every record file it wrote goes (and any version or temp file beside it), each index shard it
    touched is rewritten once without them, and the audit log is cut back to where it ended when
    the write began, its recorded end (and this user's witness, never moved by it) true again.
    Reads the journal and the one audit entry it began after, never the whole log. Returns the
    line that tells the user (None if nothing was left).
    """
    path = store.journal.bulk_path
    try:
        state, ids = store.journal.bulk_state()
        audit = state["audit"]
        start = (str(audit["hash"]), int(audit["count"]), int(audit["size"]))
        head_existed, log_existed = bool(audit["head"]), bool(audit["log"])
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        ids = None
    if ids is None or not all(is_safe_id(i) for i in ids):
        # stratui writes it whole (atomic_write): only a hand can have made it so.
        raise StoreError(
            f"{path} does not describe a bulk write (changed by hand?): nothing is saved until a person has "
            "checked the discussions it names and moved it aside"
        )
    # First, as it refuses a journal naming an end the log no longer holds: nothing is touched.
    store.audit.check_holds(*start)
    written = set(ids)
    by_shard: dict[str, list[str]] = {}
    for discussion_id in ids:
        by_shard.setdefault(shard_of(discussion_id), []).append(discussion_id)
    removed = sum(_in_parallel(lambda shard: _undo_shard(store, shard, by_shard[shard], written), by_shard))
    store.audit.roll_back_to(*start, head_existed=head_existed, log_existed=log_existed)
    store.journal.end_bulk()
    return _bulk_note(state, removed)


def _undo_shard(store: Store, shard: str, ids: list[str], written: set[str]) -> int:
    """Remove the undone write's files in one folder and rewrite its index shard once without
    them; returns how many discussion files it removed."""
    _remove_strays(store, set(ids))  # one listing of the folder
    removed = 0
    folder = os.path.join(store.records.folder, shard)
    for discussion_id in ids:
        # Plain strings, not Paths: at 20,000 files building Paths costs more than removing them.
        record = os.path.join(folder, f"{discussion_id}.json")
        if os.path.lexists(record + ".bak"):  # a new file has no versions, unless written twice
            for version in files.backup_paths(Path(record)):
                version.unlink(missing_ok=True)
        try:
            os.unlink(record)
            removed += 1
        except FileNotFoundError:
            pass  # named in the journal, killed before its file was written
    for stray in store.index.strays(shard):
        stray.unlink(missing_ok=True)
    path = store.index.path(shard)
    try:
        # Read as written, never rebuilt from the folder (read_lines would: it disagrees with it
        # until this is done, and reading every file there is what must not happen at 20,000).
        lines = shard_lines(path, path.read_bytes())
    except FileNotFoundError:
        return removed
    except DamagedFileError:
        return removed  # `check --repair` rebuilds it from the files, as they are left here
    if not written.isdisjoint(lines):
        kept = {i: line for i, line in lines.items() if i not in written}
        store.index.put_back(shard, kept, existed=bool(kept))
    return removed


def _in_parallel(work: Callable[[str], int], items: Iterable[str]) -> list[int]:
    # Removing a file that was flushed to disk waits on the disk (~2 ms each on a loaded one):
    # waited for side by side, 20,000 of them take seconds, not a minute. The first error is raised.
    with ThreadPoolExecutor(max_workers=UNDO_THREADS) as pool:
        return list(pool.map(work, items))


def _bulk_note(state: dict[str, Any], removed: int) -> str:
    command = state.get("command") or "a bulk write (import or demo)"
    total = state.get("total")
    again = "import" if " import " in f" {command} " else "write"
    said = (
        f"{command} was stopped before it finished, so it has been undone: nothing of it is in the database "
        f"(the {removed} discussions it had written were removed, with their audit entries)"
    )
    if isinstance(total, int):
        return said + f". Run it again to {again} all {total} of them."
    return said + f". Run it again to {again} all of it."


def repair_interrupted_saves(store: Store) -> None:
    """Settle every single save's marker: the audit log is read once, whatever their number,
    and each index shard read and written once."""
    by_shard: dict[str, list[tuple[Path, str]]] = {}
    for marker in store.journal.markers():
        discussion_id = marker.name
        if discussion_id.startswith(".") and discussion_id.endswith(".tmp"):
            # A writer killed inside atomic_write of its marker: the marker never existed,
            # so neither did the save it announced.
            marker.unlink(missing_ok=True)
            continue
        if not is_safe_id(discussion_id):
            continue  # not ours: leave it for a person to look at
        by_shard.setdefault(shard_of(discussion_id), []).append((marker, discussion_id))
    if not by_shard:
        return
    ids = {i for markers in by_shard.values() for _, i in markers}
    try:
        audited: dict[str, int] | None = store.audit.latest_revisions(ids)
    except (OSError, AuditError):
        audited = None  # the index is still repaired; the markers stay until the log reads
    _remove_strays(store, ids)
    recovered: list[tuple[Path, Pending]] = []
    for shard, markers in by_shard.items():
        try:
            settled, unaudited = _settle_interrupted_saves(store, shard, [i for _, i in markers], audited)
        except (OSError, StoreError, AuditError):
            # Still cannot be repaired (a full disk, a damaged file): the markers stay for the
            # next open, and opening goes on so the team can still read and run check --repair.
            continue
        for marker, discussion_id in markers:
            if discussion_id in settled:
                marker.unlink(missing_ok=True)
            elif discussion_id in unaudited:
                recovered.append((marker, unaudited[discussion_id]))
    if not recovered:
        return
    try:
        # Last, as in a save: the index already holds what the entries describe.
        store.audit.append_many([pending for _, pending in recovered])
    except (OSError, AuditError):
        return
    for marker, _ in recovered:
        marker.unlink(missing_ok=True)


def _remove_strays(store: Store, ids: set[str]) -> None:
    """Temp files of killed writers (only writers holding the lock make them, and we hold it): a
    half-written copy, a backup link, or the oldest version it was retiring. One listing a folder."""
    for folder in {store.records.folder / shard_of(i) for i in ids}:  # ids checked safe by the caller
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    name = entry.name
                    if name.startswith(".") and name.endswith(".tmp") and name[1:].split(".", 1)[0] in ids:
                        os.unlink(entry.path)
        except FileNotFoundError:
            continue


def _settle_interrupted_saves(
    store: Store, shard: str, ids: list[str], audited: dict[str, int] | None
) -> tuple[set[str], dict[str, Pending]]:
    """Bring one index shard in line with the files the saves of `ids` left.

    Returns the ids settled, and the audit entries still to write for saves killed between their
    file and their entry. A record whose audit state could not be read, or whose file is
    damaged, is in neither: its marker stays.
    """
    for stray in store.index.strays(shard):
        stray.unlink(missing_ok=True)
    lines = store.index.read_lines(shard)
    changed = False
    settled: set[str] = set()
    unaudited: dict[str, Pending] = {}
    for discussion_id in ids:
        path = store.records.path(discussion_id)
        if not path.exists():
            changed |= lines.pop(discussion_id, None) is not None
            settled.add(discussion_id)
            continue
        try:
            discussion = store.records.get(discussion_id)
        except StoreError:
            continue
        line = summary_line(discussion.summary())
        changed |= lines.get(discussion_id) != line
        lines[discussion_id] = line
        if audited is None:
            continue
        if audited.get(discussion_id, 0) < discussion.revision:
            unaudited[discussion_id] = _recovered_save(store, path, discussion)
        else:
            settled.add(discussion_id)
    if changed:
        store.index.write(shard, lines)
    return settled, unaudited


def _recovered_save(store: Store, path: Path, discussion: Discussion) -> Pending:
    """A save killed after its file was replaced but before its audit entry: record it now."""
    try:
        old = store.records.read_doc(backup_path(path))
    except StoreError:
        old = None
    if old is not None and old.get("revision") != discussion.revision - 1:
        old = None
    return Pending(
        "recovered-save",
        store.os_user,
        store.clock(),
        old,
        discussion.model_dump(mode="json"),
        f"saved by {discussion.updated_by or 'unknown'}; recorded when the database was next opened",
    )


def check(store: Store) -> list[str]:
    """Problems found reading every file; an empty list means the database is sound."""
    problems = []
    try:
        read_meta(store)
    except DamagedFileError as exc:
        problems.append(str(exc))
    indexed: dict[str, int] = {}
    for _, entry in store.index.validated():
        if isinstance(entry, DamagedFileError):
            problems.append(str(entry))
        else:
            indexed[entry.id] = entry.revision
    seen = set()
    for path in store.records.paths():
        seen.add(path.stem)
        try:
            doc = store.records.read_doc(path)
            if doc is None:
                continue
            discussion = validate(path, doc)
        except StoreError as exc:
            problems.append(str(exc))
            continue
        if indexed.get(discussion.id) != discussion.revision:
            problems.append(f"the index is out of date for {path.name} (stratui check --repair rebuilds it)")
    for missing in sorted(set(indexed) - seen):
        problems.append(f"the index lists {missing} but its file is missing")
    problems.extend(f"audit trail {store.audit.path}: {problem}" for problem in store.audit.verify())
    problems.extend(
        f"a save of discussion {marker.name} was interrupted and is not settled yet ({marker}): it is read from its "
        "file meanwhile; `stratui check --repair` settles it (and so does any command that writes)"
        for marker in sorted(interrupted_saves(store))
    )
    if store.journal.bulk_pending():
        problems.append(
            f"a bulk write (import or demo) is under way, or was stopped and is not undone yet "
            f"({store.journal.bulk_path}): once no one holds the lock, the next stratui command undoes all of it"
        )
    # Derived from the index: checked (and written anew) by the code that computes the rows.
    from stratui.dashboard_read import first_screen_problems

    problems.extend(first_screen_problems(store))
    return problems


def interrupted_saves(store: Store) -> list[Path]:
    """The journal markers a read-only open left for the next writer to settle."""
    return [m for m in store.journal.markers() if is_safe_id(m.name)]
