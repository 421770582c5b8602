"""Where each discussion's audit entries are in the log, so one record's history reads only them.

`<db>/audit/by-record` holds one fixed-width line an entry, in log order: line N is entry N
(its `seq`): the discussion id, the entry's byte offset in `audit.jsonl` and its length. The
writer appends the lines for its entries under the store's lock, after the log and before the
head; a reader never writes it. It is a shortcut, never a source: every entry read through it
is read back from the log and checked to be that record's entry, numbered as the line says,
hashing to its own hash and following the entry before it in the chain. Anything else (a line
pointing elsewhere, an index from before a rollback, a damaged file) makes the reader scan the
log instead, `verify` name it, and the next writer (or `check --repair`) rebuild it. An index
shorter than the log (written by an older stratui, or a write that could not append to it) is
caught up from the log; lines past the log's recorded end (a write cut back) are ignored and
cut off by the next writer.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stratui.files import Access, apply_if_own, atomic_write

ID_WIDTH = 64
_SEQ, _OFFSET, _LENGTH = 10, 13, 10
LINE = ID_WIDTH + 1 + _SEQ + 1 + _OFFSET + 1 + _LENGTH + 1
_UNINDEXED = b"?"  # an id no stratui record has (too long, or with spaces): found by a scan
_ID_KEY = b'"discussion_id":"'
_READ = 8192 * LINE  # a whole number of lines a read


class IndexMismatch(Exception):
    """The index does not agree with the log: the caller reads the log instead."""


@dataclass(frozen=True)
class Place:
    seq: int
    offset: int
    length: int

    @property
    def end(self) -> int:
        return self.offset + self.length


def indexable(discussion_id: object) -> bool:
    return (
        isinstance(discussion_id, str)
        and 0 < len(discussion_id) <= ID_WIDTH
        and discussion_id.isascii()
        and all(c.isalnum() or c in "-_" for c in discussion_id)
    )


def line_for(discussion_id: object, seq: int, offset: int, length: int) -> bytes:
    key = discussion_id.encode("ascii") if indexable(discussion_id) else _UNINDEXED  # type: ignore[union-attr]
    return b"%s %0*d %0*d %0*d\n" % (key.ljust(ID_WIDTH), _SEQ, seq, _OFFSET, offset, _LENGTH, length)


def _parse(raw: bytes, seq: int) -> tuple[bytes, Place]:
    try:
        if len(raw) != LINE or raw[-1:] != b"\n":
            raise ValueError
        key = raw[:ID_WIDTH].rstrip(b" ")
        number, offset, length = raw[ID_WIDTH + 1 : -1].split(b" ")
        place = Place(int(number), int(offset), int(length))
    except ValueError:
        raise IndexMismatch(f"line {seq} of the audit index is damaged") from None
    if place.seq != seq or place.offset < 0 or place.length <= 0:
        raise IndexMismatch(f"line {seq} of the audit index does not name entry {seq}")
    return key, place


class AuditIndex:
    def __init__(self, folder: Path, log_path: Path, access: Access) -> None:
        self.path = folder / "by-record"
        self.log_path = log_path
        self.access = access

    # -- reading (no lock: the writer appends lines before it moves the log's recorded end) ----

    def lines(self) -> int:
        """How many whole lines the index holds."""
        try:
            return os.stat(self.path).st_size // LINE
        except FileNotFoundError:
            return 0

    def place(self, seq: int) -> tuple[bytes, Place]:
        with open(self.path, "rb") as index:
            index.seek((seq - 1) * LINE)
            return _parse(index.read(LINE), seq)

    def places(self, discussion_id: str, upto: int) -> Iterator[Place]:
        """The places of `discussion_id`'s entries among the first `upto`, oldest first (unchecked)."""
        wanted = discussion_id.encode("ascii").ljust(ID_WIDTH) + b" "
        for seq, line in self._lines_starting(wanted, upto, fold_case=False):
            yield _parse(line, seq)[1]

    def _lines_starting(self, wanted: bytes, upto: int, fold_case: bool) -> Iterator[tuple[int, bytes]]:
        """The lines among the first `upto` that start with `wanted` (with `fold_case`, in any
        case: `wanted` given in lower case), with their sequence numbers, oldest first: read a
        block at a time, so a long log is searched without reading it line by line."""
        try:
            index = open(self.path, "rb")
        except FileNotFoundError:
            return
        with index:
            start = 0
            while start < upto:
                block = index.read(min(_READ, (upto - start) * LINE))
                if not block:
                    return
                searched = block.lower() if fold_case else block
                at = searched.find(wanted)
                while at >= 0:
                    if at % LINE == 0:
                        yield start + at // LINE + 1, block[at : at + LINE]
                    at = searched.find(wanted, at + 1)
                start += len(block) // LINE

    def entries(self, discussion_id: str, count: int, size: int) -> tuple[list[dict[str, Any]], int]:
        """`discussion_id`'s entries the index vouches for, each checked against the log, and the
        log offset up to which the index covers the log (what is after it the caller scans).

        `count` and `size` are the log's recorded end. Raises IndexMismatch if anything the
        index says is not so.
        """
        covered = min(self.lines(), count)
        if covered == 0:
            return [], 0
        with open(self.log_path, "rb") as log:
            _, last = self.place(covered)
            if covered == count and last.end != size:
                raise IndexMismatch("the audit index does not end where the log's recorded end is")
            self._checked(log, last, None)
            found = []
            for place in self.places(discussion_id, covered):
                found.append(self._checked(log, place, discussion_id))
        return found, last.end

    def _checked(self, log: Any, place: Place, discussion_id: str | None) -> dict[str, Any]:
        """The entry at `place`, proved to be entry `place.seq` of the chain (and of `discussion_id`)."""
        from stratui.audit import GENESIS
        from stratui.audit_changes import entry_hash

        if place.seq == 1:
            start, prev_hash = 0, GENESIS
            if place.offset != 0:
                raise IndexMismatch("the audit index puts entry 1 elsewhere than at the start of the log")
        else:
            _, before = self.place(place.seq - 1)
            if before.end != place.offset:
                raise IndexMismatch(f"the audit index puts entry {place.seq} apart from entry {place.seq - 1}")
            start, prev_hash = before.offset, None
        log.seek(start)
        raw = log.read(place.end - start)
        lines = raw.split(b"\n")
        if len(lines) != (2 if place.seq == 1 else 3) or lines[-1] != b"":
            raise IndexMismatch(f"the audit index does not point at whole entries for entry {place.seq}")
        parsed = [_entry(line) for line in lines[:-1]]
        if prev_hash is None:
            earlier = parsed.pop(0)
            if earlier is None or earlier.get("seq") != place.seq - 1 or entry_hash(earlier) != earlier.get("hash"):
                raise IndexMismatch(f"entry {place.seq - 1} is not where the audit index says")
            prev_hash = earlier["hash"]
        entry = parsed[0]
        if (
            entry is None
            or entry.get("seq") != place.seq
            or entry.get("prev") != prev_hash
            or entry_hash(entry) != entry.get("hash")
            or (discussion_id is not None and entry.get("discussion_id") != discussion_id)
        ):
            raise IndexMismatch(f"entry {place.seq} is not what the audit index says it is")
        return entry

    def recorded_ids(self, prefix: str, upto: int) -> set[str]:
        """The ids of discussions with entries, among the first `upto`, that start with `prefix`
        (case-insensitive): what `stratui audit ID` matches a prefix against."""
        wanted = prefix.lower().encode("ascii")
        return {
            line[:ID_WIDTH].rstrip(b" ").decode("ascii")
            for _, line in self._lines_starting(wanted, upto, fold_case=True)
        }

    # -- writing (the caller holds the store's lock) -------------------------------------------

    def in_step(self, count: int, size: int | None, digest: str | None = None) -> bool:
        """Whether the index holds exactly the log's first `count` entries, the last checked:
        against the chain, or (given the head's `digest`, as a writer is) against the head."""
        if size is None:
            return False
        if count == 0:
            return self.lines() == 0
        if self.lines() < count:
            return False
        try:
            _, last = self.place(count)
            if last.end != size:
                return False
            with open(self.log_path, "rb") as log:
                if digest is None:
                    self._checked(log, last, None)
                    return True
                log.seek(last.offset)
                entry = _entry(log.read(last.length))
        except (IndexMismatch, OSError):
            return False
        return entry is not None and entry.get("seq") == count and entry.get("hash") == digest

    def bring_in_step(self, count: int, size: int | None, digest: str | None = None) -> None:
        """Make the index hold the log's first `count` entries (ending at `size`): lines past
        them cut off, missing ones caught up from the log, rebuilt if it cannot be trusted."""
        if size is None:
            return  # a head from before logs recorded their size: nothing to anchor lines to
        try:
            if os.stat(self.path).st_size > count * LINE:
                os.truncate(self.path, count * LINE)
        except FileNotFoundError:
            pass
        if self.in_step(count, size, digest):
            return
        covered, start = self.lines(), 0
        try:
            if not 0 < covered < count:
                raise IndexMismatch("not a start of the log's entries")
            _, last = self.place(covered)
            with open(self.log_path, "rb") as log:
                self._checked(log, last, None)
            start = last.end
        except (IndexMismatch, OSError):
            covered = 0
        lines = b"".join(line_for(i, seq, offset, length) for i, seq, offset, length in _scan(self.log_path, start, size, covered))
        if covered:
            self.append(lines)
        else:
            atomic_write(self.path, lines, self.access)

    def append(self, lines: bytes) -> None:
        """Add lines (not fsynced: a line lost to a power cut is caught up from the log)."""
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(self.path, flags, self.access.file_mode)
        try:
            apply_if_own(fd, self.access)
            view = memoryview(lines)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)

    def truncate(self, size: int) -> None:
        """Forget the entries at or after log offset `size` (the log is being cut back to it)."""
        try:
            lines = self.lines()
        except OSError:
            return
        low, high = 0, lines  # the first line whose entry starts at or after `size`
        while low < high:
            middle = (low + high) // 2
            try:
                starts = self.place(middle + 1)[1].offset
            except IndexMismatch:
                starts = size  # damaged from here: cut it too
            if starts >= size:
                high = middle
            else:
                low = middle + 1
        try:
            if os.stat(self.path).st_size > low * LINE:
                os.truncate(self.path, low * LINE)
        except OSError:
            pass

    def rebuild(self, count: int, size: int | None) -> None:
        """Write the index afresh from the log (`check --repair`)."""
        if size is None:
            return
        lines = b"".join(line_for(i, seq, offset, length) for i, seq, offset, length in _scan(self.log_path, 0, size, 0))
        atomic_write(self.path, lines, self.access)


def _entry(raw: bytes) -> dict[str, Any] | None:
    try:
        entry = json.loads(raw)
    except ValueError:
        return None
    return entry if isinstance(entry, dict) else None


def _scan(log_path: Path, start: int, end: int, seq: int) -> Iterator[tuple[object, int, int, int]]:
    """(discussion id, seq, offset, length) of each entry in the log between `start` and `end`."""
    try:
        log = open(log_path, "rb")
    except FileNotFoundError:
        return
    with log:
        log.seek(start)
        offset = start
        for raw in log:
            if offset >= end:
                return
            seq += 1
            yield id_of_line(raw), seq, offset, len(raw)
            offset += len(raw)


def id_of_line(raw: bytes) -> object:
    # The entry's own id is the first "discussion_id" of its line when stratui wrote it (the key
    # comes before "changes", and a quote inside a value is escaped); any other line is parsed.
    at = raw.find(_ID_KEY)
    if at >= 0:
        close = raw.find(b'"', at + len(_ID_KEY))
        return raw[at + len(_ID_KEY) : close].decode("utf-8", "replace")
    entry = _entry(raw)
    return entry.get("discussion_id") if entry is not None else None
