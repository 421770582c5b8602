"""The index: every discussion's summary in 256 shards, for the dashboard, deadlines and search.

    <db>/index/<ab>.json    the summaries of the discussions whose id starts with <ab>

A shard is a TinyDB file with one table, "summaries", written one entry a line:
    {"summaries":{
    "1":{"id":"ab12...",...},
    "2":{"id":"ab34...",...}
    }}
JSON never holds a raw newline inside a string, so each line is one entry and a save replaces
its line as bytes instead of parsing and re-encoding the whole shard: the cost of a save does
not grow with the database. A shard written in another layout (an older stratui, TinyDB itself)
is parsed in full and rewritten in this one.

`summaries()` keeps each shard's parsed summaries, keyed by the file's inode, size, mtime and
ctime. Files are only ever replaced whole (a new inode), so another process's save is seen at
the next call and only that shard is read again. A shard changed in the last `RACY_SECONDS` is
read again at every call: two saves within one tick of a coarse filesystem clock could
otherwise leave the same size and mtime (git's "racily clean" problem). A shard read again
parses only the lines it had not read before (each line's digest is kept with the summary read
from it), so the summaries of the discussions a save left alone are the same objects. The
summaries returned are shared between calls: read them, never change them.

The discussion files are the truth; the index is only a faster way to read them. A shard that
cannot be read, or does not list exactly the discussion files of its folder, is never trusted:
reading uses the files themselves instead (and `damage()` names the shard and any discussion
that cannot be shown), and a writer, holding the lock, rebuilds the shard from them before it
changes it. A discussion with a journal marker is being saved, or its save was interrupted:
its file is read, whatever the shard says.

Over 500 lines on purpose: the shard's line format, its fast reader, the cache and the check
that a shard lists exactly its folder's files are one format; kept together, the writer and
the readers cannot drift apart.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import json
import os
import re
import threading
import time
from collections import namedtuple
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from itertools import chain
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from stratui import files
from stratui.files import Access
from stratui.models import (
    ActionStatus,
    ActionSummary,
    DiscussionKind,
    DiscussionStatus,
    DiscussionSummary,
    EnquiryOutcomeKind,
    MeetingFormat,
    explain_validation_error,
)
from stratui.store.errors import INDEX_FOLDER, DamagedFileError, StoreError, reason
from stratui.store.records import parse_json_file, shard_of

# A shard changed this recently is read again at every summaries() call (see the docstring):
# far above the timestamp granularity of any filesystem a database may live on.
RACY_SECONDS = 2.0
# Loading this many summaries at once (a start, or an index rebuild elsewhere) moves everything
# alive to the collector's permanent generation: see Index._current_shards.
FREEZE_AFTER_LOADING = 5_000


def _light(model: type[BaseModel]) -> Any:
    """A named tuple with the model's fields, in its order and with its defaults: the model is
    the one source of what a summary holds, this only its read-only, light shape."""
    fields = model.model_fields
    defaults = [f.default for f in fields.values() if not f.is_required()]
    return namedtuple(model.__name__, list(fields), defaults=defaults)


class IndexedAction(_light(ActionSummary)):  # type: ignore[misc]
    """An action as the index keeps it: models.ActionSummary's fields, read-only and light."""

    __slots__ = ()


class IndexedSummary(_light(DiscussionSummary)):  # type: ignore[misc]
    """A discussion as the index keeps it: models.DiscussionSummary's fields, read-only and light.

    What `Store.summaries()` returns. At 20,000 discussions (100,000 actions) pydantic models
    cost ~190 MB and ~0.6 s to build; these cost a quarter of that. Shared between callers:
    never change the lists and dicts inside.
    """

    __slots__ = ()

    @classmethod
    def of(cls, s: DiscussionSummary) -> IndexedSummary:
        return _summary_of_entry(s.model_dump(mode="json"), _Shared())


class SummariesById(Mapping[str, IndexedSummary]):
    """Every summary by discussion id, as one read of the index found them: read-only, over
    each shard's own dict (made when the shard was read), so handing it out copies nothing."""

    __slots__ = ("_count", "_shards")

    def __init__(self, shards: dict[str, dict[str, IndexedSummary]]) -> None:
        self._shards = shards  # shard name -> its summaries by id
        self._count = sum(map(len, shards.values()))

    def __getitem__(self, discussion_id: str) -> IndexedSummary:
        found = self._shards.get(shard_of(discussion_id))
        if found is not None and discussion_id in found:
            return found[discussion_id]
        for by_id in self._shards.values():  # a file put in another shard's folder by hand
            if discussion_id in by_id:
                return by_id[discussion_id]
        raise KeyError(discussion_id)

    def __contains__(self, discussion_id: object) -> bool:
        try:
            self[discussion_id]  # type: ignore[index]
        except (KeyError, TypeError):
            return False
        return True

    def __iter__(self) -> Iterator[str]:
        return chain.from_iterable(self._shards.values())

    def __len__(self) -> int:
        return self._count

    def values(self) -> Iterator[IndexedSummary]:  # type: ignore[override]
        return chain.from_iterable(by_id.values() for by_id in self._shards.values())


@dataclass(frozen=True)
class ByShard:
    """One read of the index (`Index.by_shard`): each shard's summaries, in the shards' order,
    and every summary by id."""

    shards: tuple[tuple[IndexedSummary, ...], ...]
    by_id: SummariesById


# What the dashboard compares to see whether anyone saved: each shard's name, mtime and size.
IndexStamp = tuple[tuple[str, int, int], ...]

# Reads a shard's discussions from their files (all of them, or only the ids given): their
# summaries, and a sentence for each file that could not be read.
ReadFiles = Callable[[str, "set[str] | None"], tuple[list[DiscussionSummary], list[str]]]


@dataclass(frozen=True)
class ShardDamage:
    """An index shard that was not used, why, and the discussions its folder could not show."""

    path: Path
    reason: str
    shown: int
    hidden: tuple[str, ...]

    def __str__(self) -> str:
        shown = _count(self.shown, "discussion")
        text = f"the index shard {self.path} is not used ({self.reason}): {shown} read from their files instead"
        if self.hidden:
            text += f"; {_count(len(self.hidden), 'discussion')} cannot be shown: " + "; ".join(
                h.rstrip(".") for h in self.hidden
            )
        return text + ". Run `stratui check --repair` to rebuild the index."


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


class Index:
    """The index shards of one database, with the parsed summaries of each kept between calls."""

    def __init__(self, root: Path, access: Access, read_files: ReadFiles, records: Path, journal: Path) -> None:
        self.folder = root / INDEX_FOLDER
        self.access = access
        self.read_files = read_files
        self.records = records
        self.journal = journal
        self._shards: dict[str, _Shard] = {}
        self._cache_lock = threading.Lock()

    # -- reading ------------------------------------------------------------------------

    def summaries(self) -> list[IndexedSummary]:
        result: list[IndexedSummary] = []
        for shard in self._current_shards().values():
            result.extend(shard.summaries)
        return result

    def by_shard(self) -> ByShard:
        """`summaries()` shard by shard, in the same order (each shard's tuple is the same object
        until that shard is read again, so a caller can keep what it worked out from each), and
        every summary by id."""
        shards = self._current_shards()
        by_id = SummariesById({name[:-5]: shard.by_id for name, shard in shards.items()})
        return ByShard(tuple(shard.summaries for shard in shards.values()), by_id)

    def __len__(self) -> int:
        return sum(len(shard.summaries) for shard in self._current_shards().values())

    def summaries_holding(self, words: list[str]) -> list[IndexedSummary]:
        """The summaries of every shard whose text holds each of `words` (casefolded), read and
        checked as `summaries()` reads them, and no other summary built: what naming one
        discussion needs at 100,000. A shard is passed over only when a word is nowhere in it
        and it lists exactly its folder's discussion files, none of them being saved."""
        markers = self._markers()
        # As the index writes them: a quote or backslash in a word is escaped in the shard too.
        needles = [json.dumps(word, ensure_ascii=False)[1:-1] for word in words]
        try:
            names = {n for n in os.listdir(self.folder) if n.endswith(".json") and not n.startswith(".")}
        except FileNotFoundError:
            names = set()
        names |= {f"{shard}.json" for shard in self._record_folders()}
        found: list[IndexedSummary] = []
        for name in sorted(names):
            try:
                raw = (self.folder / name).read_bytes()
            except FileNotFoundError:
                raw = b""
            if not self._lacks_one(name[:-5], raw, needles, markers):
                loaded = self._load(name, _Shared(), None, markers)
                found.extend(loaded.summaries if loaded else ())
        return found

    def _lacks_one(self, shard: str, raw: bytes, needles: list[str], markers: set[str]) -> bool:
        """Whether a needle is nowhere in the shard, written as this index writes shards and in
        step with its folder (so no discussion of it can hold them all); False if not sure."""
        if not (raw.startswith(_SHARD_HEAD) and raw.endswith(_SHARD_TAIL)):
            return False  # another layout: read as summaries() reads it
        try:
            text = raw.decode("utf-8").casefold()
        except UnicodeDecodeError:
            return False
        if all(needle in text for needle in needles) or "\\u" in text:
            return False  # it may hold them (a \u escape is text the needles would not find)
        # Each entry is a line that starts with its id (see summary_line).
        listed = {i.decode("ascii") for i in _SHARD_IDS.findall(raw, len(_SHARD_HEAD) - 1)}
        return listed == self._record_ids(shard) and not markers & listed

    def damage(self) -> list[ShardDamage]:
        """The shards not used at the last read (see the module's docstring), by name."""
        with self._cache_lock:
            return [shard.damage for _, shard in sorted(self._shards.items()) if shard.damage is not None]

    def stamp(self) -> IndexStamp:
        """A value that changes whenever a save changes the index (see `changed_since`)."""
        entries = []
        try:
            with os.scandir(self.folder) as scan:
                for entry in scan:
                    if entry.name.endswith(".json") and not entry.name.startswith("."):
                        st = entry.stat()
                        entries.append((entry.name, st.st_mtime_ns, st.st_size))
        except OSError:
            return ()
        return tuple(sorted(entries))

    def changed_since(self, stamp: IndexStamp | None) -> bool:
        """Whether any discussion was saved (here or by another user) since `stamp` was taken."""
        return self.stamp() != stamp

    def size_bytes(self) -> int:
        """The size of the index on disk: how long a first read will take."""
        return sum(size for _, _, size in self.stamp())

    def validated(self) -> Iterator[tuple[Path, IndexedSummary | DamagedFileError]]:
        """Every shard's summaries checked in full with pydantic (`stratui check`)."""
        for path in sorted(self.folder.glob("*.json")):
            try:
                loaded = load_shard(path, validate=True)
            except DamagedFileError as exc:
                yield path, exc
                continue
            for summary in loaded.summaries if loaded else ():
                yield path, summary

    # -- writing (callers hold the store's lock) ------------------------------------------

    def path(self, shard: str) -> Path:
        return self.folder / f"{shard}.json"

    def exists(self, shard: str) -> bool:
        return self.path(shard).exists()

    def read_lines(self, shard: str) -> dict[str, bytes]:
        """The shard's entries as {discussion id: its summary as a JSON line}, in file order.

        Called by writers holding the lock: a shard that is damaged or does not list its folder's
        discussion files is rebuilt from them here, so the write that follows mends it instead of
        being refused, or worse, writing a shard that drops what the damaged one had lost.
        """
        path = self.path(shard)
        try:
            lines = _shard_lines(path, path.read_bytes())
        except FileNotFoundError:
            lines = {}
        except DamagedFileError:
            lines = None
        if lines is None or self._disagreement(shard, set(lines), set()):
            summaries, _ = self.read_files(shard, None)
            lines = {s.id: summary_line(s) for s in summaries}
            try:
                # Written now: the caller may find nothing of its own to change in it.
                self.write(shard, lines)
            except OSError as exc:
                raise StoreError(
                    f"the index shard {path} is damaged and could not be rebuilt ({reason(exc)}); nothing was changed"
                ) from None
        return lines

    def before_save(self, shard: str, discussion_id: str) -> ShardBefore:
        """The shard as a save of `discussion_id` finds it (lock held), to write its line into
        (`write_saved`) and to put back if the save is refused (`put_back_before`).

        A shard in the line layout, every line whole, listing each discussion file of its folder
        once and this one among them, is kept as bytes: the save replaces its one line in them,
        checking the shard with one pass of a regular expression and one listing of the folder
        instead of parsing each of its lines (at 100,000 discussions a shard holds ~390: parsing
        them was most of what a save cost more than at 1,000). Any other is `read_lines`' (parsed,
        a damaged one rebuilt).
        """
        path = self.path(shard)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raw = b""
        if self._takes_line(shard, raw, discussion_id):
            return ShardBefore(shard, existed=True, lines=None, raw=raw)
        lines = self.read_lines(shard)
        return ShardBefore(shard, existed=self.exists(shard), lines=lines, raw=None)

    def _takes_line(self, shard: str, raw: bytes, discussion_id: str) -> bool:
        if not (raw.startswith(_SHARD_HEAD) and raw.endswith(_SHARD_TAIL)):
            return False
        body = raw[len(_SHARD_HEAD) : -len(_SHARD_TAIL)]
        ids = _WHOLE_LINE_IDS.findall(body)
        # One match a line: each is a whole line, so every line is one (as _shard_lines reads them).
        if len(ids) != body.count(b"\n") + 1:
            return False
        listed = {i.decode("ascii") for i in ids}
        return len(listed) == len(ids) and discussion_id in listed and self._disagreement(shard, listed, set()) is None

    def write_saved(self, before: ShardBefore, discussion_id: str, line: bytes) -> None:
        """Write the shard `before_save` found with `line` as the summary of `discussion_id`."""
        if before.raw is None:
            self.write(before.shard, {**(before.lines or {}), discussion_id: line})
            return
        raw = before.raw
        key = b'":{"id":"%s"' % discussion_id.encode("ascii")
        at = raw.find(key)
        while at >= 0 and not _starts_its_line(raw, at):  # `before_save` found it starting a line
            at = raw.find(key, at + 1)
        if at < 0:  # not reached: before_save read it there
            self.write(before.shard, {**_shard_lines(self.path(before.shard), raw), discussion_id: line})
            return
        end = raw.find(b",\n", at)
        if end < 0:
            end = len(raw) - len(_SHARD_TAIL)
        # The line keeps its number ("7":), followed by the new summary.
        self._write_raw(before.shard, raw[: at + 2] + line + raw[end:])

    def put_back_before(self, before: ShardBefore) -> None:
        """Restore the shard as `before_save` found it (a refused save)."""
        if before.raw is None:
            self.put_back(before.shard, before.lines or {}, before.existed)
        else:
            self._write_raw(before.shard, before.raw)

    def _write_raw(self, shard: str, data: bytes) -> None:
        # As _write_body: not flushed before its rename, the folder flushed after it.
        files.atomic_write(self.path(shard), data, self.access, sync_data=False, sync_folder=True)
        self._forget(shard)

    def write(self, shard: str, lines: dict[str, bytes], *, sync_folder: bool = True) -> None:
        """`sync_folder=False`: a bulk write, which puts everything on disk at once before its commit."""
        body = b",\n".join(b'"%d":%s' % (n, line) for n, line in enumerate(lines.values(), start=1))
        self._write_body(shard, body, sync_folder)

    def _write_body(self, shard: str, body: bytes, sync_folder: bool) -> None:
        # Not flushed before its rename: a shard a power cut leaves torn is never trusted (see above).
        files.atomic_write(
            self.path(shard), _SHARD_HEAD + body + _SHARD_TAIL, self.access, sync_data=False, sync_folder=sync_folder
        )
        self._forget(shard)

    def add_new(self, shard: str, new: dict[str, bytes], last: Appended | None, listed: dict[str, bytes]) -> Appended:
        """Add the lines of discussions the shard does not list yet (a bulk write's, lock held),
        without flushing; returns what to pass as `last` for the shard's next batch.

        The first batch gives the lines it read (`read_lines`, before writing its files) and the
        shard is written with them. A later one finds the shard as the last one left it (same
        inode, size and times) and appends its lines to the bytes as they are: parsing the
        shard again and listing its folder, every batch, made a 100,000-discussion build
        quadratic (half a second a batch by its end). A shard changed meanwhile (by hand: every
        writer takes the lock) stops the write.
        """
        path = self.path(shard)
        if last is None:
            lines = {**listed, **new}
            self.write(shard, lines, sync_folder=False)
            return Appended(len(lines), path.stat().st_size, _key_or_none(path))
        raw = path.read_bytes() if _key_or_none(path) == last.key else b""
        if len(raw) != last.size or not raw.startswith(_SHARD_HEAD) or not raw.endswith(_SHARD_TAIL):
            raise StoreError(f"the index shard {path} was changed by something else during the write")
        body = raw[len(_SHARD_HEAD) : -len(_SHARD_TAIL)]
        numbered = [b'"%d":%s' % (n, line) for n, line in enumerate(new.values(), start=last.count + 1)]
        self._write_body(shard, b",\n".join([body, *numbered] if body else numbered), sync_folder=False)
        return Appended(last.count + len(new), path.stat().st_size, _key_or_none(path))
    def put_back(self, shard: str, lines: dict[str, bytes], existed: bool) -> None:
        """Restore a shard as it was before a refused save (removed if it did not exist)."""
        if existed:
            self.write(shard, lines)
        else:
            self.path(shard).unlink(missing_ok=True)
            self._forget(shard)

    def rebuild(self, by_shard: dict[str, list[DiscussionSummary]]) -> None:
        """Replace every shard with these summaries (a shard with none is removed)."""
        for path in self.folder.glob("*.json"):
            if path.stem not in by_shard:
                path.unlink()
                self._forget(path.stem)
        for shard, summaries in by_shard.items():
            self.write(shard, {s.id: summary_line(s) for s in summaries})

    def strays(self, shard: str) -> list[Path]:
        """Temp files a writer killed inside atomic_write left for this shard."""
        return list(self.folder.glob(f".{shard}.json.*.tmp"))

    def _forget(self, shard: str) -> None:
        """The shard is read again at the next call; what was read of its lines is kept (their
        digests), so only the lines that changed are parsed."""
        with self._cache_lock:
            cached = self._shards.pop(f"{shard}.json", None)
            if cached is not None and cached.lines is not None and cached.damage is None:
                self._shards[f"{shard}.json"] = dataclasses.replace(cached, trusted=False, raw=None)

    def _current_shards(self) -> dict[str, _Shard]:
        """Every shard's summaries by file name, in name order, reading only the shards (or
        folders) changed since the last call."""
        folder = self.folder
        with self._cache_lock:
            try:
                with os.scandir(folder) as listing:
                    names = {e.name for e in listing if e.name.endswith(".json") and not e.name.startswith(".")}
            except FileNotFoundError:
                names = set()
            # A folder of discussion files with no shard is read too: its discussions exist.
            names |= {f"{shard}.json" for shard in self._record_folders()}
            current: dict[str, _Shard] = {}
            stale: list[tuple[str, _Shard | None]] = []
            # Paths as text: 512 Path objects made and stringified cost as much as the stats.
            shards_at, folders_at = os.fspath(folder) + os.sep, os.fspath(self.records) + os.sep
            for name in sorted(names):
                cached = self._shards.get(name)
                if cached is not None and cached.trusted:
                    try:
                        keys = (_key_or_none(shards_at + name), _key_or_none(folders_at + name[:-5]))
                        if keys == (cached.key, cached.folder_key):
                            current[name] = cached
                            continue
                    except FileNotFoundError:
                        pass
                stale.append((name, cached))
            if stale:
                markers = self._markers()
                # Parsing builds hundreds of thousands of objects that all live on: the cycle
                # collector's passes over them would find nothing and double the time.
                with collector_paused():
                    loaded_count = 0
                    shared = _Shared()
                    for name, cached in stale:
                        loaded = self._load(name, shared, cached, markers)
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
            return {name: current[name] for name in sorted(current)}

    def _load(self, name: str, shared: _Shared, cached: _Shard | None, markers: set[str]) -> _Shard | None:
        """One shard, checked against its folder of discussion files; None if neither holds any."""
        shard, path = name[:-5], self.folder / name
        # Taken before reading: a change made meanwhile shows as a different key next time.
        folder_key = self._folder_key(shard)
        # A folder changed within the racy window is looked at again, as a shard is (see above).
        folder_settled = folder_key is None or max(folder_key[2:]) < time.time_ns() - int(RACY_SECONDS * 1e9)
        on_disk = self._record_ids(shard)
        try:
            loaded = load_shard(path, shared=shared, previous=cached)
            listed = {s.id for s in loaded.summaries} if loaded is not None else set()
            problem = self._disagreement(shard, listed, markers, on_disk)
            if loaded is None and problem is not None:
                problem = "it is missing"
        except DamagedFileError as exc:
            loaded, listed, problem = None, set(), exc.reason
        if problem is not None:
            summaries, hidden = self.read_files(shard, None)
            return _Shard(
                loaded.key if loaded else _key_or_none(path),
                folder_settled and loaded is not None and loaded.trusted,
                tuple(IndexedSummary.of(s) for s in summaries),
                folder_key=folder_key,
                damage=ShardDamage(path, problem, len(summaries), tuple(hidden)),
            )
        if loaded is None:
            return None
        saving = markers & (on_disk | listed)
        if saving:
            # Being saved, or a save was killed and no writer has opened the database since:
            # the file says what was saved (a file that cannot be read keeps its entry).
            fresh = {s.id: IndexedSummary.of(s) for s in self.read_files(shard, saving)[0]}
            kept = [fresh.pop(s.id, s) for s in loaded.summaries if s.id in on_disk or s.id not in saving]
            # Looked at again at every read until the save is settled.
            return dataclasses.replace(
                loaded, summaries=(*kept, *fresh.values()), trusted=False, raw=None, folder_key=folder_key
            )
        return dataclasses.replace(loaded, trusted=loaded.trusted and folder_settled, folder_key=folder_key)

    def _disagreement(self, shard: str, listed: set[str], markers: set[str], on_disk: set[str] | None = None) -> str | None:
        """Why the shard cannot be trusted to list its folder's discussions; None if it can."""
        on_disk = self._record_ids(shard) if on_disk is None else on_disk
        unlisted, missing = on_disk - listed - markers, listed - on_disk - markers
        if not unlisted and not missing:
            return None
        parts = []
        if unlisted:
            files_there = _count(len(on_disk), "discussion file")
            parts.append(f"it leaves out {len(unlisted)} of the {files_there} in {self.records / shard}")
        if missing:
            parts.append(f"it lists {_count(len(missing), 'discussion')} with no file")
        return " and ".join(parts)

    def _record_ids(self, shard: str) -> set[str]:
        try:
            with os.scandir(self.records / shard) as entries:
                return {e.name[:-5] for e in entries if e.name.endswith(".json") and not e.name.startswith(".")}
        except (FileNotFoundError, NotADirectoryError):
            return set()

    def _record_folders(self) -> list[str]:
        try:
            with os.scandir(self.records) as listing:
                return [e.name for e in listing if len(e.name) == 2 and e.is_dir()]
        except FileNotFoundError:
            return []

    def _folder_key(self, shard: str) -> tuple[int, int, int, int] | None:
        return _key_or_none(self.records / shard)

    def _markers(self) -> set[str]:
        try:
            return {name for name in os.listdir(self.journal) if not name.startswith(".")}
        except FileNotFoundError:
            return set()


@dataclass(frozen=True)
class ShardBefore:
    """An index shard as a save found it under the lock (Index.before_save): its bytes, when the
    save's line is replaced in them as they are, else its lines as read_lines gave them."""

    shard: str
    existed: bool
    lines: dict[str, bytes] | None
    raw: bytes | None


def _starts_its_line(raw: bytes, at: int) -> bool:
    """Whether `at` is where a line's number ends ('"7"' then ':{"id":...'), not inside a line."""
    start = raw.rfind(b"\n", 0, at) + 1
    return at > start + 1 and raw[start : start + 1] == b'"' and raw[start + 1 : at].isdigit()


@dataclass(frozen=True)
class Appended:
    """A shard as a bulk write's batch left it (Index.add_new): its lines, size and file key."""

    count: int
    size: int
    key: tuple[int, int, int, int] | None


def _key_or_none(path: Path | str) -> tuple[int, int, int, int] | None:
    try:
        return _file_key(os.stat(path))
    except FileNotFoundError:
        return None


# What an index line leaves out when it is empty (None, "", [] or {}), and reads back as that:
# most discussions have no review date, no earlier discussion, and closed actions' words are
# not kept (models.DiscussionSummary.of). "id", "revision" and the others are always written.
_LEFT_OUT_WHEN_EMPTY: dict[str, Any] = {
    "referral_date": None, "s47_started": None, "parents_informed": None, "parents_review_date": None,
    "reconvene_on": None, "milestones": {}, "previous_discussion_ids": [], "updated_at": None,
    "enquiry_outcome": None, "unborn_due": None,
}  # fmt: skip
_ACTION_LEFT_OUT_WHEN_EMPTY: dict[str, Any] = {"text": "", "owner": "", "agency": "", "due": None}


def summary_line(summary: DiscussionSummary) -> bytes:
    # model_dump keeps the fields in declaration order: "id" first, as _SHARD_LINE expects.
    entry = summary.model_dump(mode="json")
    entry["actions"] = [_without_empty(a, _ACTION_LEFT_OUT_WHEN_EMPTY) for a in entry["actions"]]
    return _json_line(_without_empty(entry, _LEFT_OUT_WHEN_EMPTY))


def _without_empty(entry: dict[str, Any], left_out: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in entry.items() if key not in left_out or value not in (None, "", [], {})}


def _filled(entry: Any) -> Any:
    """An index line as the summary it stands for: what it left out put back (a copy)."""
    if not isinstance(entry, dict):
        return entry
    filled = {**{key: _fresh(value) for key, value in _LEFT_OUT_WHEN_EMPTY.items()}, **entry}
    actions = filled.get("actions")
    if isinstance(actions, list):
        filled["actions"] = [{**_ACTION_LEFT_OUT_WHEN_EMPTY, **a} if isinstance(a, dict) else a for a in actions]
    return filled


def _fresh(value: Any) -> Any:
    return type(value)() if isinstance(value, (list, dict)) else value


# -- the shard format and its fast reader ----------------------------------------------------

_SHARD_HEAD = b'{"summaries":{\n'
_SHARD_TAIL = b"\n}}\n"
_SHARD_LINE = re.compile(rb'"\d+":(\{"id":"([0-9a-fA-F-]{2,64})".*\})')
_SHARD_IDS = re.compile(rb'\n"\d+":\{"id":"([0-9a-fA-F-]{2,64})"')
# A whole line of a shard's body as _SHARD_LINE reads it, with its separator (",\n" or the end):
# one findall over the body checks every line and gives its id.
_WHOLE_LINE_IDS = re.compile(rb'^"\d+":\{"id":"([0-9a-fA-F-]{2,64})"[^\n]*\}(?:,$|\Z)', re.MULTILINE)


class _IndexFile(BaseModel):
    """A shard, validated in full (`stratui check`, or a shard the fast reader cannot read)."""

    model_config = ConfigDict(extra="ignore")
    summaries: dict[str, DiscussionSummary] = {}


@dataclass(frozen=True, slots=True)
class _Shard:
    key: tuple[int, int, int, int] | None
    # False when the file changed too recently for its key to be sure to change with its content.
    trusted: bool
    summaries: tuple[IndexedSummary, ...]
    # Kept while not trusted: reading the same bytes again keeps the same summaries (and the
    # deadline engine's memory of them) instead of parsing the shard again.
    raw: bytes | None = None
    # The folder of the shard's discussion files when it was read: a file added or removed there
    # (by hand, a restore) must be noticed even if the shard did not change.
    folder_key: tuple[int, int, int, int] | None = None
    # Set when the shard was not used and the summaries come from the files (see ShardDamage).
    damage: ShardDamage | None = None
    # Each entry's line (its digest) -> the summary read from it, in the line layout: a shard
    # read again after a save parses only the lines that changed (see _read_by_line).
    lines: dict[bytes, IndexedSummary] | None = None
    # The summaries by id (SummariesById looks discussions up in it), made once per shard read.
    by_id: dict[str, IndexedSummary] = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {s.id: s for s in self.summaries})


def _file_key(st: os.stat_result) -> tuple[int, int, int, int]:
    return st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


def load_shard(
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
        return _Shard(_file_key(st), trusted, previous.summaries, None if trusted else raw, lines=previous.lines)
    if not validate:
        by_line = _read_by_line(raw, shared or _Shared(), previous.lines if previous is not None else None)
        if by_line is not None:
            return _Shard(_file_key(st), trusted, by_line[0], None if trusted else raw, lines=by_line[1])
    summaries = None if validate else _read_summaries_fast(path, raw, shared or _Shared())
    if summaries is None:
        try:
            table = parse_json_file(path, raw).get("summaries")
            entries = {key: _filled(entry) for key, entry in table.items()} if isinstance(table, dict) else table
            validated = _IndexFile.model_validate({"summaries": entries}).summaries.values()
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
_OUTCOMES: dict[str | None, EnquiryOutcomeKind | None] = {None: None, **{o.value: o for o in EnquiryOutcomeKind}}
_new_tuple = tuple.__new__


def _summary_of_entry(d: dict[str, Any], shared: _Shared) -> IndexedSummary:
    """An index entry (a summary as JSON) as the light summary: the one place its fields are read."""
    days, words, statuses = shared.days, shared.words, _ACTION_STATUSES
    return _new_tuple(
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
            _OUTCOMES[d.get("enquiry_outcome")],
            days[d.get("unborn_due")],
        ),
    )  # fmt: skip


def _read_by_line(
    raw: bytes, shared: _Shared, before: dict[bytes, IndexedSummary] | None
) -> tuple[tuple[IndexedSummary, ...], dict[bytes, IndexedSummary]] | None:
    """A shard in the line layout, read a line at a time: a line read before (the same digest
    in `before`) keeps the summary read from it, the others are parsed as _read_summaries_fast
    parses them. Returns the summaries and each line's digest -> its summary; None if the shard
    is not exactly as the writer writes it (head, '"1":{...}', '"2":{...}'..., tail).

    Each line parsed (or parsed before) on its own is the JSON value the whole document holds
    under its number, so the summaries are those of a whole parse: after a save at 100,000
    discussions, one line of a 320 KB shard is parsed instead of 390 (~35 ms).
    """
    if not (raw.startswith(_SHARD_HEAD) and raw.endswith(_SHARD_TAIL)):
        return None
    body = raw[len(_SHARD_HEAD) : -len(_SHARD_TAIL)]
    summaries: list[IndexedSummary] = []
    lines: dict[bytes, IndexedSummary] = {}
    known = before or {}
    try:
        for n, line in enumerate(body.split(b",\n") if body else (), start=1):
            number = b'"%d":' % n
            if not line.startswith(number):
                return None
            entry = line[len(number) :]
            digest = _line_digest(entry)
            summary = known.get(digest)
            if summary is None:
                text = entry.decode("utf-8")
                value, end = _scan_json(text, 0)
                if end != len(text):
                    return None
                d = _filled(value)
                if not _plain_entry(d):
                    return None
                summary = _summary_of_entry(d, shared)
            summaries.append(summary)
            lines[digest] = summary
    except (KeyError, TypeError, ValueError, AttributeError, RecursionError, StopIteration):
        return None  # read as a whole, which says what is wrong
    return tuple(summaries), lines


# The JSON decoder's own scanner (what json.loads runs): one value from a position, and where it
# ends; raises StopIteration where no value starts.
_scan_json = json.JSONDecoder().scan_once


def _line_digest(entry: bytes) -> bytes:
    # A digest, not the line: keeping every line would hold the whole index (84 MB at 100,000) again.
    return hashlib.blake2b(entry, digest_size=16).digest()


def _read_summaries_fast(path: Path, raw: bytes, shared: _Shared) -> tuple[IndexedSummary, ...] | None:
    """The shard's summaries built straight from its JSON; None if anything is not as written."""
    data = parse_json_file(path, raw)
    try:
        table = data.get("summaries", {})
        entries = [_filled(d) for d in table.values()]
        if not all(_plain_entry(d) for d in entries):
            return None
        return tuple(_summary_of_entry(d, shared) for d in entries)
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


def _json_line(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection meanwhile: many containers made at once (a shard's summaries,
    the first screen's rows) would otherwise set off collections that walk every object alive."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
