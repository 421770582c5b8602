"""The first screen's files: the dashboard's rows kept beside the index, so a start reads no summary.

    <db>/first-screen/head.json     the first screenful: the first rows in the dashboard's own
                                    order, the counts above them, how many rows there are in all
    <db>/first-screen/rows.json     every one of the dashboard's rows (for one day and one set of
                                    timescales), read after the first screenful is drawn: a
                                    line each (read in a worker, it lets the screen's thread in
                                    between lines)
    <db>/first-screen/stamps.json   what both were derived from: each index shard's and each
                                    discussion folder's (inode, size, mtime_ns, ctime_ns), the
                                    day, the timescales, and the digests of head.json and rows.json

At 100,000 discussions reading every summary takes seconds; the dashboard's rows are a few
thousand. The rows are a pure function of the summaries, the day and the timescales (what
stratui.dashboard_rows computes), so they can stand in for a full read exactly when none of
those changed. That is what the stamps prove: a reader (holding no lock) uses the rows only if
every shard and folder has the stamp recorded, the day and timescales are its own, no save is in
progress (journal empty) and the file read hashes to its recorded digest. Anything else (a save the
stamps do not know of, another stratui version, a bulk write, a hand edit, a torn or damaged
file) makes the reader compute the rows from the index as before; it then writes both files
anew (under the lock, only if the stamps still hold: `save`). A file replaced by a save is a new
inode, and the inode of the file it replaced is still in use while the new one is made, so a
rewritten shard never keeps its stamp.

A save (writes.py, under the lock) that leaves the summary as the dashboard reads it (any edit
of the record's text: most autosaves) changes no row: it moves the stamps of its shard and
folder on (`after_save`), a small file, and the rows stay in step. Any other save leaves the
stamps behind, so the next reader recomputes.

The files are written whole (files.atomic_write, the database's access: group-readable in a
team database). In a team's folder they are another user's writing, so they are read as data:
never through a symbolic link, only regular files, each no larger than its limit; a file that
is not as written is simply not used. `check` recomputes the rows and names a file that is
damaged or does not match.

The stamps a save moves on are written without fsync (the records' own files are synced):
after a crash the stamps hold either the keys before the save or after it, or cannot be read.
Before-save keys name a shard file that was replaced (its inode gone), so they never match; the
after-save keys are right. Either way no stale row is shown.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from stratui import files
from stratui.store.errors import StoreError
from stratui.store.index import IndexedSummary

if TYPE_CHECKING:
    from stratui.models import Discussion
    from stratui.store.store import Store

FOLDER = "first-screen"
HEAD_FILE = "head.json"
ROWS_FILE = "rows.json"
STAMPS_FILE = "stamps.json"
FORMAT = 2
# How many rows the first screenful holds: a terminal taller than this scrolls into rows read
# a moment later.
HEAD_ROWS = 200
# rows.json is parsed this many lines at a time (see _loads_rows).
LOADS_LINES = 1000
# The most a file may hold before it is refused unread (read as data from a shared folder).
# At 100,000 discussions the rows are ~9 MB and the stamps ~30 KB; 200 rows of the longest
# titles are under 3 MB.
LIMITS = {HEAD_FILE: 16 << 20, ROWS_FILE: 512 << 20, STAMPS_FILE: 16 << 20}

FileKey = list[int]


@dataclass(frozen=True)
class Stamps:
    """Every index shard's and discussion folder's key, by name."""

    shards: dict[str, FileKey]
    folders: dict[str, FileKey]


@dataclass(frozen=True)
class Derived:
    """What the files hold: the rows' day and timescales ("key"), the rows and the first
    screenful as written."""

    key: dict[str, Any]
    payload: dict[str, Any]
    head: dict[str, Any]


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
    """Every row written for `key` ({"count", "rows", "held"}), if they are in step with the
    index now; None otherwise."""
    return _read_in_step(store, key, ROWS_FILE, "digest", _loads_rows)


def read_head(store: Store, key: dict[str, Any]) -> dict[str, Any] | None:
    """The first screenful written for `key` (`head_of`), if it is in step with the index now;
    None otherwise."""
    return _read_in_step(store, key, HEAD_FILE, "head_digest", json.loads)


def _read_in_step(
    store: Store, key: dict[str, Any], name: str, digest: str, loads: Callable[[bytes], Any]
) -> dict[str, Any] | None:
    try:
        recorded = json.loads(read_file(store, STAMPS_FILE))
        if not _stamps_hold(store, recorded, key):
            return None
        raw = read_file(store, name)
        if recorded.get(digest) != _digest(raw):
            return None
        payload = loads(raw)
    except (OSError, ValueError, TypeError, AttributeError, KeyError, IndexError):
        return None  # missing, torn, damaged or not a plain file: never shown
    return payload if isinstance(payload, dict) else None


def read_file(store: Store, name: str) -> bytes:
    """One of the files, read as data: not through a symbolic link (the folder's or the file's),
    a regular file, at most its limit; OSError otherwise."""
    nofollow = getattr(os, "O_NOFOLLOW", 0)
    where = os.open(folder(store), os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | nofollow)
    try:
        fd = os.open(name, os.O_RDONLY | nofollow | getattr(os, "O_NONBLOCK", 0), dir_fd=where)
    finally:
        os.close(where)
    try:
        info = os.fstat(fd)
        limit = LIMITS[name]
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            raise OSError(f"{name} is not a file of at most {limit} bytes")
        chunks, size = [], 0
        while chunk := os.read(fd, min(1 << 20, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise OSError(f"{name} grew past {limit} bytes")
        return b"".join(chunks)
    finally:
        os.close(fd)


def in_step(store: Store, key: dict[str, Any]) -> bool:
    """Whether the files hold the rows for `key` as the index is now (the stamps only)."""
    try:
        recorded = json.loads(read_file(store, STAMPS_FILE))
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
    """Write the files (the caller holds the lock and `now` is the index's stamps); the first
    screenful is the payload's first rows (`head_of`)."""
    raw = _dumps_rows(payload)
    head = _dumps(head_of(payload))
    _refuse_a_link(store)
    files.ensure_folder(folder(store), store.access)
    files.atomic_write(folder(store) / ROWS_FILE, raw, store.access)
    files.atomic_write(folder(store) / HEAD_FILE, head, store.access)
    recorded = {"format": FORMAT, "key": key, "digest": _digest(raw), "head_digest": _digest(head)}
    files.atomic_write(folder(store) / STAMPS_FILE, _dumps({**recorded, "shards": now.shards, "folders": now.folders}), store.access)


def head_of(payload: dict[str, Any]) -> dict[str, Any]:
    """The first screenful of a payload ({"count", "rows", "held"}, rows in the dashboard's
    order): its first HEAD_ROWS rows and their discussions, how many rows in all, and each
    state's count (the line above the rows)."""
    rows = payload["rows"][:HEAD_ROWS]
    held = {row[1]: payload["held"][row[1]] for row in rows if row[1] in payload["held"]}
    states: dict[str, int] = {}
    for row in payload["rows"]:
        state = row[-1] if isinstance(row[-1], str) else ""
        states[state] = states.get(state, 0) + 1
    return {"count": payload["count"], "total": len(payload["rows"]), "states": states, "rows": rows, "held": held}


def _refuse_a_link(store: Store) -> None:
    """Never write through a folder put there as a symbolic link (it could point anywhere)."""
    if os.path.islink(folder(store)):
        raise OSError(f"{folder(store)} is a symbolic link: the first screen's files are not written there")


def _dumps(document: object) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _dumps_rows(payload: dict[str, Any]) -> bytes:
    """rows.json: {"count": n}, then each row with its discussion's kind and date, a line each."""
    held = payload["held"]
    lines = [_dumps({"count": payload["count"]})]
    lines.extend(_dumps([row, held.get(row[1])]) for row in payload["rows"])
    return b"\n".join(lines) + b"\n"


def _loads_rows(raw: bytes) -> dict[str, Any]:
    """The payload `_dumps_rows` wrote (ValueError, TypeError, KeyError, IndexError otherwise).

    Parsed LOADS_LINES lines at a time: one call per line is slow, one for the whole file holds
    the interpreter lock (a worker's read would stall the screen's keys). By orjson: the same
    values as json.loads from the JSON this module writes, a fifth faster here (an error is a
    ValueError: orjson.JSONDecodeError)."""
    lines = raw.split(b"\n")
    if lines.pop() != b"":
        raise ValueError("rows.json does not end with a whole line")
    count = orjson.loads(lines[0])["count"]
    rows, held = [], {}
    for start in range(1, len(lines), LOADS_LINES):
        for row, discussion in orjson.loads(b"[" + b",".join(lines[start : start + LOADS_LINES]) + b"]"):
            rows.append(row)
            if discussion is not None:
                held[row[1]] = discussion
    return {"count": count, "rows": rows, "held": held}


def _replace_unsynced(store: Store, name: str, data: bytes) -> None:
    """A new version of one of the files, whole (a temporary file renamed over it) but not
    synced: only for the stamps a save moves on (see the module's docstring)."""
    _refuse_a_link(store)
    path = folder(store) / name
    tmp = path.with_name(f".{name}.{os.getpid()}.{threading.get_ident()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), store.access.file_mode)
    try:
        try:
            files.apply_if_own(fd, store.access)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# -- the write path (writes.py, lock held) -------------------------------------------------------


def before_save(store: Store, shard: str) -> tuple[FileKey | None, FileKey | None]:
    """The keys of the shard and discussion folder a save is about to change."""
    return _key(store.index.path(shard)), _key(store.records.folder / shard)


def after_save(store: Store, shard: str, before: tuple[FileKey | None, FileKey | None]) -> None:
    """Keep the rows in step after a save that changed nothing they are made of (the caller
    knows: `same_for_dashboard`; any other save leaves the stamps behind, out of step).

    Never fails the save: if the stamps cannot be moved on, the rows are out of step and the
    next reader recomputes them.
    """
    try:
        raw = read_file(store, STAMPS_FILE)
    except OSError:
        return  # never written (or removed, or not a plain file): nothing to keep in step
    try:
        recorded = json.loads(raw)
        if [recorded["shards"].get(shard), recorded["folders"].get(shard)] != list(before):
            return  # already out of step: nothing to keep
        recorded["shards"][shard] = _key(store.index.path(shard))
        recorded["folders"][shard] = _key(store.records.folder / shard)
        _replace_unsynced(store, STAMPS_FILE, _dumps(recorded))
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
    """What the files hold, or why they cannot be used (None, None: there are none, or they
    are an earlier version's, which a start simply writes anew)."""
    if not any(os.path.lexists(folder(store) / name) for name in LIMITS):
        return None, None
    try:
        recorded = json.loads(read_file(store, STAMPS_FILE))
        if isinstance(recorded, dict) and isinstance(recorded.get("format"), int) and recorded["format"] < FORMAT:
            return None, None
        if not isinstance(recorded, dict) or recorded.get("format") != FORMAT or not isinstance(recorded.get("key"), dict):
            return None, "its stamps are not in this version's layout"
        documents = []
        for name, digest, loads in ((ROWS_FILE, "digest", _loads_rows), (HEAD_FILE, "head_digest", json.loads)):
            raw = read_file(store, name)
            if recorded.get(digest) != _digest(raw):
                return None, f"{name} does not match the digest its stamps recorded"
            documents.append(loads(raw))
            if not isinstance(documents[-1], dict):
                return None, f"{name} is not an object"
    except FileNotFoundError as exc:
        return None, f"{Path(exc.filename or '').name} is missing"
    except (OSError, ValueError, TypeError, KeyError, IndexError) as exc:
        return None, f"it cannot be read ({exc})"
    return Derived(recorded["key"], documents[0], documents[1]), None


def recorded_key(store: Store) -> dict[str, Any]:
    """The day and timescales the stamps name, even when the rows cannot be used."""
    key = json.loads(read_file(store, STAMPS_FILE))["key"]
    if not isinstance(key, dict):
        raise TypeError("not a key")
    return key


def remove(store: Store) -> None:
    if os.path.islink(folder(store)):
        os.unlink(folder(store))  # the link itself, never what it points to
        return
    for name in (STAMPS_FILE, HEAD_FILE, ROWS_FILE):
        (folder(store) / name).unlink(missing_ok=True)
