"""The audit trail: every change to every record, appended, hash-chained so tampering shows.

One JSON line an entry in `<db>/audit/audit.jsonl`: who (the OS user), when, which record,
what kind of change, and each changed field with its old and new value (a new record: the record
itself, once, packed; see stratui.audit_record). Each entry carries the
hash of the one before it, and `<db>/audit/head` holds the last hash and the count, so an edited,
removed or reordered entry, or a cut-off tail, is found by `verify`. Appends happen under the
store's lock; the log lives in the database folder with the records' own permissions.
What an entry says a change was (the diff, a long text's stretch, its replay, the hashes) is
stratui.audit_changes'; this module is the log file: appending, reading, verifying, witnessing.
Over 500 lines on purpose: appending, settling, rolling back, verifying and witnessing are one
protocol over one file and its head; each step's safety depends on the order of the others.

Each entry also carries `content`, the hash of the record it produced (`content_hash`), so a
record file changed outside stratui no longer matches its last entry (stratui.integrity checks).
Whoever can write the audit folder could still rebuild the whole chain with fresh hashes, so
each user keeps a *witness* outside the database (stratui.locations.audit_witness_file): the
count and hash of the last chain end they wrote or verified. A chain that is shorter than that,
or whose entry at that count has another hash, was rewritten (`witness_problems`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from stratui import locations
from stratui.audit_changes import _hash, classify, content_hash, diff, resolved, stored_change
from stratui.audit_record import pack
from stratui.audit_index import LINE, AuditIndex, IndexMismatch, id_of_line, indexable, line_for
from stratui.files import PRIVATE, Access, Flushing, apply_if_own, atomic_write, ensure_folder, flushing_file
from stratui.stored_form import stored

GENESIS = "0" * 64
_ID_KEY = b'"discussion_id":"'
_REPLACED_ON_PURPOSE = "if the database was replaced on purpose, from a backup, remove that file"


@dataclass(frozen=True)
class Entry:
    seq: int
    at: str
    user: str
    action: str
    discussion_id: str
    revision: int
    prev: str
    hash: str
    changes: list[dict[str, Any]] = field(default_factory=list)
    record: str = ""  # a new record's content, packed (stratui.audit_record), instead of changes
    name: str = ""
    content: str = ""  # content_hash of the record this entry produced


class AuditError(Exception):
    pass


@dataclass(frozen=True)
class Pending:
    """A change to record: the record before (None for a new one) and after, as JSON-ready dicts."""

    action: str
    user: str
    at: datetime
    old: dict[str, Any] | None
    new: dict[str, Any]
    name: str = ""


@dataclass(frozen=True)
class Created:
    """A new record's entry made ahead of its append: what `append_many` makes of a Pending with
    no `old` (a bulk write makes it from the JSON it writes the record's file with)."""

    discussion_id: str
    revision: int
    record: str  # stratui.audit_record.pack of the record as stored
    content: str  # content_hash of the whole record


class AuditLog:
    def __init__(self, folder: Path, access: Access = PRIVATE, witness: Path | None = None) -> None:
        self.folder = folder
        self.access = access
        self.path = folder / "audit.jsonl"
        self.head_path = folder / "head"
        self.witness_path = witness or locations.audit_witness_file(folder.parent)
        self.index = AuditIndex(folder, self.path, access)

    def append(
        self,
        *,
        action: str,
        user: str,
        at: datetime,
        old: dict[str, Any] | None,
        new: dict[str, Any],
        name: str = "",
    ) -> Entry | None:
        """Record a change (call with the store's lock held). Returns None when nothing changed."""
        entries = self.append_many([Pending(action, user, at, old, new, name)])
        return entries[0] if entries else None

    def append_many(self, changes: list[Pending], *, witnessed: bool = True) -> list[Entry]:
        """Record several changes as one write: either all their entries are in the log or none is.

        Raises OSError (or AuditError for a damaged head) with the log as it was before the call.
        `witnessed=False` (a bulk write's batches) leaves the witness where it was until the
        whole write is in (`witness_own_bulk_write`): one undone leaves it still true.
        """
        bodies = [body for body in map(entry_body, changes) if body is not None]
        return self._append_bodies(bodies, witnessed=witnessed)

    def append_bodies(
        self, bodies: list[dict[str, Any]], *, witness_after: list[Callable[[], None]] | None = None
    ) -> list[Entry]:
        """`append_many` of entries made ahead by `entry_body` (a save makes its entry before it
        takes the lock: only the chain's place, hash and line are made here), all or none.

        With `witness_after`, moving this user's witness past them is left in it, for the caller
        to do once it has let go of the lock: it reads and writes only the witness, outside the
        database, and entries the log already holds, which no later append changes."""
        return self._append_bodies(bodies, witnessed=True, witness_after=witness_after)

    def append_created(
        self, action: str, user: str, at: datetime, created: list[Created], *, name: str = "", flush: bool = True
    ) -> list[Entry]:
        """`append_many` of new records whose entries were made ahead (`Created`), all or none.

        `flush=False` (a bulk write's batches, which flushes everything once before its commit)
        leaves the log's and the head's bytes to the kernel; the witness stays where it was
        (`witness_own_bulk_write`), as with `witnessed=False`.
        """
        who = (at, user, name)
        bodies = [
            _body(who, action, new.discussion_id, new.revision, {"record": new.record, "content": new.content})
            for new in created
        ]
        return self._append_bodies(bodies, witnessed=False, flush=flush)

    def _append_bodies(
        self,
        bodies: list[dict[str, Any]],
        *,
        witnessed: bool,
        flush: bool = True,
        witness_after: list[Callable[[], None]] | None = None,
    ) -> list[Entry]:
        if not bodies:
            return []
        ensure_folder(self.folder, self.access)
        prev, count = self.settle()
        start = (prev, count, self._recorded_size())
        self._index_in_step(count, start[2], prev)
        entries = []
        lines = []
        for body in bodies:
            count += 1
            body["seq"], body["prev"] = count, prev
            prev = _hash(body)
            entries.append(Entry(**body, hash=prev))
            lines.append(
                (json.dumps({**body, "hash": prev}, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
            )
        data = b"".join(lines)
        log_flushing = self._append_lines(data, flush)
        self._index_appended(entries, lines)
        try:
            # Its rename not flushed: a head a power cut takes back is behind whole entries, which
            # `settle` moves it past at the next write (as after a kill right here). Its bytes are
            # written and flushed while the log's are; it is renamed only once they are on disk:
            # a head never counts entries a power cut could take back.
            self._write_head(
                prev,
                count,
                self._size + len(data),
                sync_folder=False,
                sync_data=flush,
                before_rename=log_flushing.wait if log_flushing is not None else None,
            )
        except BaseException:
            self._cut_back(flushing=log_flushing)
            raise
        if witnessed:
            end = (prev, count, self._size + len(data))
            if witness_after is None:
                self._witness_own_write(start, end)
            else:
                witness_after.append(lambda: self._witness_own_write(start, end))
        return entries

    def _append_lines(self, data: bytes, flush: bool = True) -> Flushing | None:
        """Append `data` to the log; with `flush`, its bytes are put on disk in a helper thread
        (wait for the Flushing returned before anything counts them)."""
        self._created, self._size = not os.path.lexists(self.path), 0
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(self.path, flags, self.access.file_mode)
        try:
            self._size = os.fstat(fd).st_size
            # The log is as private as the records (umask could widen or narrow the create mode);
            # a log another team member created keeps the mode and group it was given then.
            apply_if_own(fd, self.access)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        except BaseException:
            # A full disk can take half a line: cut it off so the log stays whole.
            self._cut_back(fd)
            os.close(fd)
            raise
        if not flush:
            os.close(fd)
            return None
        return flushing_file(fd)  # closes fd once flushed

    def _index_in_step(self, count: int, size: int | None, digest: str) -> None:
        try:
            self.index.bring_in_step(count, size, digest)
        except OSError:
            pass  # a shortcut only: readers scan the log, and the next write tries again

    def _index_appended(self, entries: list[Entry], lines: list[bytes]) -> None:
        if self.index.lines() != entries[0].seq - 1:
            return  # not in step (it could not be brought there): the next write rebuilds it
        offset, placed = self._size, []
        for entry, line in zip(entries, lines):
            placed.append(line_for(entry.discussion_id, entry.seq, offset, len(line)))
            offset += len(line)
        try:
            self.index.append(b"".join(placed))
        except OSError:
            self.index.truncate(self._size)  # a torn line: the next write catches up from the log

    def _cut_back(self, fd: int | None = None, flushing: Flushing | None = None) -> None:
        """Remove what the last _append_lines added (part of it, or its head, could not be written);
        after its flush (`flushing`) is over, whatever it gave."""
        if flushing is not None:
            try:
                flushing.wait()
            except OSError:
                pass  # the entries are removed all the same
        self.index.truncate(self._size)
        try:
            if self._created:
                os.unlink(self.path)
            elif fd is not None:
                os.ftruncate(fd, self._size)
            else:
                os.truncate(self.path, self._size)
        except OSError:
            pass

    def entries(self) -> Iterator[dict[str, Any]]:
        if not self.path.exists():
            return
        with self.path.open("r", encoding="utf-8", errors="replace") as lines:
            for number, line in enumerate(lines, start=1):
                try:
                    yield json.loads(line)
                except json.JSONDecodeError:
                    raise AuditError(f"{self.path}: line {number} is not a valid entry") from None

    def latest_revisions(self, ids: set[str]) -> dict[str, int]:
        """The highest audited revision of each of `ids` that has an entry: one pass over the log,
        parsing only the lines about them (crash repair settles thousands of records at once)."""
        found: dict[str, int] = {}
        if not ids or not self.path.exists():
            return found
        wanted = {i.encode("ascii", "replace") for i in ids}
        with self.path.open("rb") as lines:
            for number, line in enumerate(lines, start=1):
                # The entry's own id is the first "discussion_id" in its line (the key comes before
                # "changes", and a quote inside a value is escaped); a line without it is parsed.
                at = line.find(_ID_KEY)
                if at >= 0 and line[at + len(_ID_KEY) : line.find(b'"', at + len(_ID_KEY))] not in wanted:
                    continue
                try:
                    entry = json.loads(line)
                except ValueError:
                    raise AuditError(f"{self.path}: line {number} is not a valid entry") from None
                discussion_id, revision = entry.get("discussion_id"), entry.get("revision", 0)
                if discussion_id in ids and isinstance(revision, int) and revision > found.get(discussion_id, 0):
                    found[discussion_id] = revision
        return found

    def history(self, discussion_id: str) -> list[dict[str, Any]]:
        """One discussion's entries, oldest first, long texts' edits given their values again
        (`resolved`): found through the index (stratui.audit_index), each checked against the
        log, then any entries after what the index covers; the whole log is read only when the
        index cannot be trusted (or there is none yet)."""
        return resolved(self._entries_of(discussion_id))

    def _entries_of(self, discussion_id: str) -> list[dict[str, Any]]:
        _, count, size = self._read_head()
        if size is None or not indexable(discussion_id) or not self.path.exists():
            return self._scanned_history(discussion_id, 0, 0)
        try:
            found, covered = self.index.entries(discussion_id, count, size)
        except (IndexMismatch, OSError):
            return self._scanned_history(discussion_id, 0, 0)
        return found + self._scanned_history(discussion_id, covered, min(self.index.lines(), count))

    def _scanned_history(self, discussion_id: str, offset: int, before: int) -> list[dict[str, Any]]:
        """`discussion_id`'s entries in the log from `offset` on (entry `before` + 1): only the
        lines about it are parsed, and any line without an id (a damaged one) is refused."""
        found: list[dict[str, Any]] = []
        if not self.path.exists():
            return found
        wanted = discussion_id.encode("utf-8", "replace")
        with self.path.open("rb") as lines:
            lines.seek(offset)
            for number, line in enumerate(lines, start=before + 1):
                at = line.find(_ID_KEY)
                if at >= 0 and line[at + len(_ID_KEY) : line.find(b'"', at + len(_ID_KEY))] != wanted:
                    continue
                try:
                    entry = json.loads(line)
                except ValueError:
                    raise AuditError(f"{self.path}: line {number} is not a valid entry") from None
                if isinstance(entry, dict) and entry.get("discussion_id") == discussion_id:
                    found.append(entry)
        return found

    def last_contents(self) -> dict[str, object]:
        """The `content` (record hash) of each record's last entry, None if it carries none: what
        `check` compares each file with. One pass over the log, holding one hash a record."""
        last: dict[str, object] = {}
        for entry in self.entries():
            if isinstance(entry.get("discussion_id"), str):
                last[entry["discussion_id"]] = entry.get("content")
        return last

    def recorded_ids(self, prefix: str) -> set[str]:
        """Ids with entries that start with `prefix` (case-insensitive), without parsing the log
        where the index covers it: what a discussion known only to the trail is named by."""
        if not indexable(prefix):
            return set()  # no id has that form: nothing to read
        _, count, size = self._read_head()
        covered = min(self.index.lines(), count) if size is not None else 0
        try:
            offset = self.index.place(covered)[1].end if covered else 0
        except (IndexMismatch, OSError):
            covered, offset = 0, 0
        found = self.index.recorded_ids(prefix, covered)
        wanted = prefix.casefold()
        if self.path.exists():
            with self.path.open("rb") as lines:
                lines.seek(offset)
                for line in lines:
                    discussion_id = id_of_line(line)
                    if isinstance(discussion_id, str) and discussion_id.casefold().startswith(wanted):
                        found.add(discussion_id)
        return found

    def reindex(self) -> None:
        """Rebuild the per-record index from the log (call with the store's lock held)."""
        _, count, size = self._read_head()
        self.index.rebuild(count, size)

    def verify(self) -> list[str]:
        """Problems with the chain; an empty list means no entry was changed, removed or added.

        One pass over the log, one entry in memory at a time. With the chain intact, the
        per-record index is checked against it too (a damaged chain is what to mend first).
        """
        problems: list[str] = []
        prev = GENESIS
        count = 0
        try:
            head_count: int | None = self._read_head()[1]
        except AuditError:
            head_count = None
        index = _IndexCheck(self.index, head_count or 0)
        try:
            for offset, raw, entry in self._lines():
                count += 1
                index.see(count, entry, offset, len(raw))
                claimed = entry.pop("hash", None)
                if entry.get("seq") != count:
                    problems.append(f"entry {count}: numbered {entry.get('seq')}: entries were removed or reordered")
                if entry.get("prev") != prev:
                    problems.append(f"entry {count}: does not follow the entry before it (removed or reordered)")
                if _hash(entry) != claimed:
                    problems.append(f"entry {count}: its content was changed after it was written")
                prev = claimed or ""
        except AuditError as exc:
            problems.append(str(exc))
        finally:
            index.close()
        try:
            head_hash, head_count = self._head()
        except AuditError as exc:
            return problems + [str(exc)]
        if (head_hash, head_count) != (prev, count):
            problems.append(
                f"the log ends at entry {count} but {head_count} were written: entries at the end were removed"
                if count < head_count
                else "the log does not match its recorded end (entries added or changed by hand)"
            )
        if not problems and index.wrong:
            problems.append(
                f"its index of entries by discussion ({self.index.path}) does not match the log at entry {index.wrong} "
                "(damaged, or changed by hand): histories are read from the whole log meanwhile; "
                "`stratui check --repair` rebuilds it"
            )
        return problems

    def _lines(self) -> Iterator[tuple[int, bytes, dict[str, Any]]]:
        """Each entry with its byte offset and raw line, in order, one at a time."""
        if not self.path.exists():
            return
        offset = 0
        with self.path.open("rb") as lines:
            for number, raw in enumerate(lines, start=1):
                try:
                    entry = json.loads(raw.decode("utf-8", errors="replace"))
                except json.JSONDecodeError:
                    raise AuditError(f"{self.path}: line {number} is not a valid entry") from None
                if not isinstance(entry, dict):
                    raise AuditError(f"{self.path}: line {number} is not a valid entry")
                yield offset, raw, entry
                offset += len(raw)

    # -- the witness: this user's own copy of the chain end, outside the database ----------

    def witness_problems(self) -> list[str]:
        """How the chain differs from the end this user last witnessed ([] if it still holds it)."""
        seen = self._read_witness()
        if seen is None:
            return []
        seen_hash, seen_count = seen["hash"], seen["count"]
        found = None
        count = 0
        try:
            for entry in self.entries():
                count += 1
                if count == seen_count:
                    found = entry.get("hash")
        except AuditError:
            return []  # verify names the damaged line; the witness cannot add to it
        when = f" on {seen['at']}" if seen.get("at") else ""
        if count < seen_count:
            return [
                f"the audit log has {count} entries, but you saw {seen_count}{when}: entries were removed "
                f"or the log replaced (your witness: {self.witness_path}; {_REPLACED_ON_PURPOSE})"
            ]
        if found != seen_hash:
            return [
                f"entry {seen_count} is not the one you saw{when}: the chain up to it was rewritten and its "
                f"hashes recomputed (your witness: {self.witness_path}; {_REPLACED_ON_PURPOSE})"
            ]
        return []

    def witness(self, at: datetime) -> None:
        """Record the chain's current end as seen by this user (call after it verified clean)."""
        try:
            digest, count, size = self._read_head()
        except AuditError:
            return
        self._write_witness(digest, count, size, at.isoformat())

    def _witness_own_write(self, start: tuple[str, int, int | None], end: tuple[str, int, int]) -> None:
        """Move the witness on past this user's own append, unless what it saw is gone.

        Only the entry the witness names is read (at its recorded offset), so a save stays as fast
        at any size. A witness the chain no longer holds is kept: it is the evidence `verify` needs.
        """
        seen = self._read_witness()
        if seen is not None and not self._holds(seen, start):
            return
        self._write_witness(*end, datetime.now().astimezone().isoformat())

    def _holds(self, seen: dict[str, Any], start: tuple[str, int, int | None]) -> bool:
        prev, count, _ = start
        if seen["count"] > count:
            return False
        if seen["count"] == count:
            return seen["hash"] == prev
        size = seen.get("size")
        if type(size) is not int or size <= 0:
            return False
        entry = self._entry_ending_at(size)
        return entry is not None and entry.get("seq") == seen["count"] and entry.get("hash") == seen["hash"]

    def _entry_ending_at(self, size: int) -> dict[str, Any] | None:
        try:
            with open(self.path, "rb") as log:
                end = size - 1
                log.seek(end)
                if log.read(1) != b"\n":
                    return None
                start, chunk = end, 4096
                while start > 0:
                    step = min(chunk, start)
                    log.seek(start - step)
                    block = log.read(step)
                    cut = block.rfind(b"\n")
                    if cut >= 0:
                        start = start - step + cut + 1
                        break
                    start -= step
                log.seek(start)
                entry = json.loads(log.read(end - start))
        except (OSError, ValueError):
            return None
        return entry if isinstance(entry, dict) else None

    def _read_witness(self) -> dict[str, Any] | None:
        try:
            seen = json.loads(self.witness_path.read_text("utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(seen, dict) or type(seen.get("count")) is not int or not isinstance(seen.get("hash"), str):
            return None
        return seen if seen["count"] > 0 else None

    def _write_witness(self, digest: str, count: int, size: int | None, at: str) -> None:
        record = {"database": os.path.realpath(self.folder.parent), "hash": digest, "count": count, "size": size, "at": at}
        data = json.dumps(record).encode("utf-8")
        tmp = self.witness_path.with_name(f".{self.witness_path.name}.{os.getpid()}.tmp")
        try:
            ensure_folder(self.witness_path.parent, PRIVATE)
            # Replaced whole but not fsynced: it is written at every save, and a witness lost to a
            # power cut only weakens the check (it is renewed at the next save or verify).
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600)
            try:
                os.fchmod(fd, 0o600)
                os.write(fd, data)
            finally:
                os.close(fd)
            os.replace(tmp, self.witness_path)
        except (OSError, ValueError):
            try:
                os.unlink(tmp)
            except OSError:
                pass  # the witness is extra protection: a save never fails for want of it

    def _recorded_size(self) -> int | None:
        try:
            return self._read_head()[2]
        except AuditError:
            return None

    def needs_settling(self) -> bool:
        """Whether a writer was killed between appending its entries and recording the new end."""
        try:
            _, _, size = self._read_head()
            return size is not None and os.stat(self.path).st_size != size
        except FileNotFoundError:
            return False
        except AuditError:
            return False  # verify reports it; nothing here can mend it

    def settle(self) -> tuple[str, int]:
        """The chain's end (last hash, count), first adopting what a killed writer appended.

        Call with the store's lock held. Whole entries after the recorded end that continue the
        chain were written by a save killed before it recorded them (its record was already
        saved): the head is moved past them. A line cut short by the kill is removed. Anything
        else after the end is left as it is and refused: `verify` names it.
        """
        prev, count, size = self._read_head()
        try:
            actual = os.stat(self.path).st_size
        except FileNotFoundError:
            actual = 0
        if size is None or actual == size:
            return prev, count
        if actual < size:
            raise AuditError(f"{self.path} is shorter than its recorded end (entries removed); run `stratui audit verify`")
        with open(self.path, "rb") as log:
            log.seek(size)
            tail = log.read()
        *complete, cut_short = tail.split(b"\n")
        end = size
        for raw in complete:
            try:
                entry = json.loads(raw)
            except ValueError:
                entry = None
            claimed = entry.pop("hash", None) if isinstance(entry, dict) else None
            if not isinstance(entry, dict) or entry.get("seq") != count + 1 or entry.get("prev") != prev or (
                _hash(entry) != claimed
            ):
                raise AuditError(
                    f"{self.path}: entry {count + 1} does not follow the recorded end; run `stratui audit verify`"
                )
            prev, count, end = str(claimed), count + 1, end + len(raw) + 1
        if cut_short:
            os.truncate(self.path, end)
        self._write_head(prev, count, end)
        return prev, count

    def witness_own_bulk_write(self, start: tuple[str, int, int]) -> None:
        """Move the witness past a whole bulk write that began with the chain ending at `start`."""
        self._witness_own_write(start, self._read_head())  # type: ignore[arg-type]

    def roll_back_to(self, digest: str, count: int, size: int, *, head_existed: bool, log_existed: bool) -> None:
        """Cut the log back to where it ended when a bulk write began (`digest`, `count` entries,
        `size` bytes), removing every entry the write appended, recorded or not, and record that
        end again (call with the store's lock held: the write is being undone)."""
        self.check_holds(digest, count, size)
        if not log_existed:
            self.path.unlink(missing_ok=True)
        elif self.path.exists() and self.path.stat().st_size > size:
            os.truncate(self.path, size)
        if head_existed:
            self._write_head(digest, count, size)
        else:
            self.head_path.unlink(missing_ok=True)

    def check_holds(self, digest: str, count: int, size: int) -> None:
        """Refused (AuditError) unless the log still ends, or goes on from, entry `count` (hash
        `digest`) at `size` bytes: a journal naming another end never cuts off entries it did not
        add. Reads only the entry ending there."""
        try:
            actual = os.stat(self.path).st_size
        except FileNotFoundError:
            actual = 0
        if actual < size or (count and size and not self._ends_with(size, digest, count)):
            raise AuditError(
                f"{self.path} no longer holds entry {count} where the interrupted bulk write began; "
                "run `stratui audit verify`"
            )

    def _ends_with(self, size: int, digest: str, count: int) -> bool:
        entry = self._entry_ending_at(size)
        return entry is not None and entry.get("seq") == count and entry.get("hash") == digest

    def _write_head(
        self,
        digest: str,
        count: int,
        size: int,
        sync_folder: bool = True,
        sync_data: bool = True,
        before_rename: Callable[[], None] | None = None,
    ) -> None:
        head = {"hash": digest, "count": count, "size": size}
        data = json.dumps(head).encode()
        atomic_write(
            self.head_path, data, self.access, sync_data=sync_data, sync_folder=sync_folder, before_rename=before_rename
        )

    def _head(self) -> tuple[str, int]:
        digest, count, _ = self._read_head()
        return digest, count

    def _read_head(self) -> tuple[str, int, int | None]:
        try:
            head = json.loads(self.head_path.read_text("utf-8"))
            size = head.get("size")
            return str(head["hash"]), int(head["count"]), size if type(size) is int else None
        except FileNotFoundError:
            return GENESIS, 0, None
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
            raise AuditError(f"{self.head_path} is damaged; run `stratui audit verify`") from None


def entry_body(change: Pending) -> dict[str, Any] | None:
    """What the entry of `change` holds but its place in the chain (seq, prev: set as it is
    appended); None when nothing changed. Made from the two records alone, so it can be made
    before the lock is taken, while the record it was made from is still the one on disk."""
    diffs = diff(change.old, change.new) if change.old is not None else []
    if change.old is not None and not diffs:
        return None
    if change.old is None:
        # A new record is held once, as stored and packed, not field by field (`created`).
        held: dict[str, Any] = {"record": pack(stored(change.new))}
    else:
        held = {"changes": [stored_change(c) for c in diffs]}
    held["content"] = content_hash(change.new)
    action = classify(change.old, change.new, diffs, change.action)
    who = (change.at, change.user, change.name)
    return _body(who, action, change.new["id"], change.new.get("revision", 0), held)


def _body(
    who: tuple[datetime, str, str], action: str, discussion_id: str, revision: int, held: dict[str, Any]
) -> dict[str, Any]:
    """An entry's fields in the order every entry has them: `who` is when, the login and the name
    the user gave, `held` the record or its changes and the content hash; seq and prev are set
    as it is appended."""
    at, user, name = who
    body: dict[str, Any] = {
        "seq": 0, "at": at.isoformat(), "user": user, "action": action, "discussion_id": discussion_id,
        "revision": revision, **held, "prev": "",
    }
    if name and name != user:
        body["name"] = name  # the name the user gave in settings, if not their login
    return body


class _IndexCheck:
    """The index's lines read beside the log in `verify`: the first that does not say where
    that entry is, and whose it is, is remembered (lines past the recorded end are ignored)."""

    def __init__(self, index: AuditIndex, recorded: int) -> None:
        self.wrong = 0
        self.upto = min(index.lines(), recorded)
        try:
            self.file = open(index.path, "rb") if self.upto else None
        except OSError:
            self.file = None

    def see(self, seq: int, entry: dict[str, Any], offset: int, length: int) -> None:
        if self.file is None or self.wrong or seq > self.upto:
            return
        if self.file.read(LINE) != line_for(entry.get("discussion_id"), seq, offset, length):
            self.wrong = seq

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
