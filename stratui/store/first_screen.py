"""The first screen's file: the dashboard's rows kept beside the index, so a start reads no summary.

    <db>/first-screen/rows.json     the dashboard's rows for one day and one set of timescales
    <db>/first-screen/stamps.json   what the rows were derived from: each index shard's and each
                                    discussion folder's (inode, size, mtime_ns, ctime_ns), the
                                    day, the timescales, and the digest of rows.json

At 100,000 discussions reading every summary takes seconds; the dashboard's rows are a few
thousand. The rows are a pure function of the summaries, the day and the timescales (what
stratui.dashboard_rows computes), so they can stand in for a full read exactly when none of
those changed. That is what the stamps prove: a reader (holding no lock) uses the rows only if
every shard and folder has the stamp recorded, the day and timescales are its own, no save is in
progress (journal empty) and rows.json hashes to the recorded digest. Anything else (a save the
stamps do not know of, another stratui version, a bulk write, a hand edit, a torn or damaged
file) makes the reader compute the rows from the index as before; it then writes both files
anew (under the lock, only if the stamps still hold: `save`). A file replaced by a save is a new
inode, and the inode of the file it replaced is still in use while the new one is made, so a
rewritten shard never keeps its stamp.

A save (writes.py, under the lock) that leaves the summary as the dashboard reads it (any edit
of the record's text: most autosaves) changes no row: it moves the stamps of its shard and
folder on (`after_save`), a small file, and the rows stay in step. Any other save leaves the
stamps behind, so the next reader recomputes.

Both files are written whole (files.atomic_write, the database's access: group-readable in a
team database). `check` recomputes the rows and names a file that is damaged or does not match.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stratui import files
from stratui.store.errors import StoreError
from stratui.store.index import IndexedSummary

if TYPE_CHECKING:
    from stratui.models import Discussion
    from stratui.store.store import Store

FOLDER = "first-screen"
ROWS_FILE = "rows.json"
STAMPS_FILE = "stamps.json"
FORMAT = 1

FileKey = list[int]


@dataclass(frozen=True)
class Stamps:
    """Every index shard's and discussion folder's key, by name."""

    shards: dict[str, FileKey]
    folders: dict[str, FileKey]


@dataclass(frozen=True)
class Derived:
    """What the files hold: the rows' day and timescales ("key") and the rows as written."""

    key: dict[str, Any]
    payload: dict[str, Any]


def folder(store: Store) -> Path:
    return store.root / FOLDER


def stamps(store: Store) -> Stamps:
    """The key of every index shard and discussion folder now (two listings, ~500 stats)."""
    return Stamps(_keys(store.index.folder, _is_shard, ".json"), _keys(store.records.folder, _is_record_folder, ""))


def _is_shard(entry: os.DirEntry[str]) -> bool:
    return entry.name.endswith(".json") and not entry.name.startswith(".")


def _is_record_folder(entry: os.DirEntry[str]) -> bool:
    return len(entry.name) == 2 and entry.is_dir(follow_symlinks=False)


def _keys(where: Path, wanted: Callable[[os.DirEntry[str]], bool], suffix: str) -> dict[str, FileKey]:
    keys = {}
    try:
        with os.scandir(where) as listing:
            for entry in listing:
                if wanted(entry):
                    st = entry.stat(follow_symlinks=False)
                    keys[entry.name.removesuffix(suffix)] = [st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]
    except FileNotFoundError:
        pass
    return keys


def _saving(store: Store) -> bool:
    """A save or bulk write in progress (or killed): the index may not say what the files do."""
    try:
        return any(not name.startswith(".") for name in os.listdir(store.journal.folder))
    except FileNotFoundError:
        return False


# -- reading -----------------------------------------------------------------------------------


def read(store: Store, key: dict[str, Any]) -> dict[str, Any] | None:
    """The rows written for `key`, if they are in step with the index now; None otherwise."""
    try:
        recorded = json.loads((folder(store) / STAMPS_FILE).read_bytes())
        if not _stamps_hold(store, recorded, key):
            return None
        raw = (folder(store) / ROWS_FILE).read_bytes()
        if recorded.get("digest") != _digest(raw):
            return None
        payload = json.loads(raw)
    except (OSError, ValueError, TypeError, AttributeError):
        return None  # missing, torn or damaged: never shown
    return payload if isinstance(payload, dict) else None


def in_step(store: Store, key: dict[str, Any]) -> bool:
    """Whether the files hold the rows for `key` as the index is now (the stamps only)."""
    try:
        recorded = json.loads((folder(store) / STAMPS_FILE).read_bytes())
        return _stamps_hold(store, recorded, key)
    except (OSError, ValueError, TypeError, AttributeError):
        return False


def _stamps_hold(store: Store, recorded: Any, key: dict[str, Any]) -> bool:
    if not isinstance(recorded, dict) or recorded.get("format") != FORMAT or recorded.get("key") != key:
        return False
    if _saving(store):
        return False
    now = stamps(store)
    return recorded.get("shards") == now.shards and recorded.get("folders") == now.folders


def _digest(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


# -- writing -----------------------------------------------------------------------------------


def save(store: Store, key: dict[str, Any], payload: dict[str, Any], before: Stamps) -> bool:
    """Write the rows computed from a read that began at `before`, if nothing changed since.

    Takes the lock without waiting (a writer busy now will change the index anyway); any
    refusal (lock busy, read-only folder, full disk) leaves the files as they were: readers then
    compute the rows themselves. Returns whether they were written.
    """
    try:
        with store.lock.patience(0), store.lock:
            if _saving(store) or stamps(store) != before:
                return False
            write(store, key, payload, before)
            return True
    except (StoreError, OSError):
        return False


def write(store: Store, key: dict[str, Any], payload: dict[str, Any], now: Stamps) -> None:
    """Write both files (the caller holds the lock and `now` is the index's stamps)."""
    raw = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    files.ensure_folder(folder(store), store.access)
    files.atomic_write(folder(store) / ROWS_FILE, raw, store.access)
    _write_stamps(store, {"format": FORMAT, "key": key, "digest": _digest(raw), "shards": now.shards, "folders": now.folders})


def _write_stamps(store: Store, recorded: dict[str, Any]) -> None:
    data = json.dumps(recorded, separators=(",", ":")).encode("utf-8")
    files.atomic_write(folder(store) / STAMPS_FILE, data, store.access)


# -- the write path (writes.py, lock held) -------------------------------------------------------


def before_save(store: Store, shard: str) -> tuple[FileKey | None, FileKey | None]:
    """The keys of the shard and discussion folder a save is about to change."""
    return _key(store.index.path(shard)), _key(store.records.folder / shard)


def after_save(
    store: Store, shard: str, before: tuple[FileKey | None, FileKey | None], stored: Discussion | None, saved: Discussion
) -> None:
    """Keep the rows in step after a save that changed nothing they are made of.

    Never fails the save: if the stamps cannot be moved on, the rows are out of step and the
    next reader recomputes them.
    """
    if stored is None or not same_for_dashboard(stored, saved):
        return  # the stamps stay behind: out of step
    path = folder(store) / STAMPS_FILE
    if not os.path.exists(path):
        return  # never written (or removed): nothing to keep in step
    try:
        recorded = json.loads(path.read_bytes())
        if [recorded["shards"].get(shard), recorded["folders"].get(shard)] != list(before):
            return  # already out of step: nothing to keep
        recorded["shards"][shard] = _key(store.index.path(shard))
        recorded["folders"][shard] = _key(store.records.folder / shard)
        _write_stamps(store, recorded)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return


def same_for_dashboard(stored: Discussion, saved: Discussion) -> bool:
    """Whether the two versions give the same summary, revision and save time aside: what the
    deadlines, the rows and their details are computed from (stratui.store.index.IndexedSummary)."""
    return _as_read(stored) == _as_read(saved)


def _as_read(discussion: Discussion) -> IndexedSummary:
    return IndexedSummary.of(discussion.summary())._replace(revision=0, updated_at=None)


def _key(path: Path) -> FileKey | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return [st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


# -- check ---------------------------------------------------------------------------------------


def recorded(store: Store) -> tuple[Derived | None, str | None]:
    """What the files hold, or why they cannot be used (None, None: there are none)."""
    stamps_path, rows_path = folder(store) / STAMPS_FILE, folder(store) / ROWS_FILE
    if not stamps_path.exists() and not rows_path.exists():
        return None, None
    try:
        recorded = json.loads(stamps_path.read_bytes())
        raw = rows_path.read_bytes()
        if not isinstance(recorded, dict) or recorded.get("format") != FORMAT or not isinstance(recorded.get("key"), dict):
            return None, "its stamps are not in this version's layout"
        if recorded.get("digest") != _digest(raw):
            return None, "rows.json does not match the digest its stamps recorded"
        payload = json.loads(raw)
        if not isinstance(payload, dict):
            return None, "rows.json is not an object"
    except FileNotFoundError as exc:
        return None, f"{Path(exc.filename or '').name} is missing"
    except (OSError, ValueError) as exc:
        return None, f"it cannot be read ({exc})"
    return Derived(recorded["key"], payload), None


def recorded_key(store: Store) -> dict[str, Any]:
    """The day and timescales the stamps name, even when the rows cannot be used."""
    key = json.loads((folder(store) / STAMPS_FILE).read_bytes())["key"]
    if not isinstance(key, dict):
        raise TypeError("not a key")
    return key


def remove(store: Store) -> None:
    for name in (STAMPS_FILE, ROWS_FILE):
        (folder(store) / name).unlink(missing_ok=True)
