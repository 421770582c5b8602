"""A bulk write's new records made ready to write: validated once, and every byte of their
files, index lines and audit entries worked out, here or in worker processes.

Preparing a record is most of a bulk write's CPU (its validation, its stored form, its packed
audit entry, its hashes) and needs nothing of the database, so a large write (demo, import)
hands it to `workers` processes of their own while its one writer (stratui.store.writes) holds
the lock and writes, in the order given. The workers share nothing with the writer but the
records sent and the bytes sent back, through their stdin and stdout: they hold no file of the
database (started afresh, not forked: the lock's descriptor is not theirs), and one whose
writer is gone finds its input ended and exits.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import pickle
import queue
import signal
import struct
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any, BinaryIO

from pydantic import ValidationError

from stratui.audit_changes import LEFT_OUT_OF_HASH, content_hash
from stratui.audit_record import pack_json
from stratui.models import Discussion, explain_validation_error
from stratui.store.errors import InvalidRecordError, StoreError
from stratui.store.index import summary_line
from stratui.store.records import document_json, file_bytes
from stratui.stored_form import stored

# A record as a bulk write takes it: a Discussion, its JSON document, or that document's JSON
# text (the demo's, as its generator holds it).
Item = Discussion | dict[str, Any] | bytes
# Records sent to a worker at a time; at most IN_FLIGHT_PER_WORKER lots per worker are out at
# once, so what waits to be written stays under two thousand records (~40 MB) whatever the
# write's size: enough for the workers to go on while the writer writes a batch.
LOT = 200
IN_FLIGHT_PER_WORKER = 4
# Lots of a producer's (produced_elsewhere) read ahead of what is taken.
PRODUCED_AHEAD = 5
# A worker costs ~0.5 s of CPU to start (it imports the record's models) and saves the writer
# ~0.8 ms a record: worth it from a couple of thousand. Two are enough: between them they
# prepare a record in about the time the writer takes to write one (~0.35 ms) and the demo's
# generator to make one (~0.6 ms, in a process of its own: `produced_elsewhere`).
PARALLEL_FROM = 2000
MAX_WORKERS = 2


def workers_for(total: int | None) -> int:
    """How many worker processes a bulk write of `total` records prepares them in (0: here)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cpus = os.cpu_count() or 1
    if total is None or total < PARALLEL_FROM or cpus < 2 or not sys.executable:
        return 0  # (no interpreter to start them with: Python embedded in something else)
    return min(cpus, MAX_WORKERS)


@dataclass(frozen=True)
class Prepared:
    """A new record as a bulk write writes it: its file's bytes, its index line, its packed
    audit entry and its content hash, all from the one validated document."""

    id: str
    revision: int
    title: str
    payload: bytes  # the discussion file, byte for byte (records.file_bytes)
    line: bytes  # its summary in the index (index.summary_line)
    packed: str  # its audit entry's record (audit_record.pack_json of the file's document)
    content: str  # content_hash of the document
    bookkeeping: tuple[Any, ...]  # what the hash leaves out (`bookkeeping`)


def as_new(item: Item) -> tuple[Discussion, dict[str, Any]]:
    """A discussion to write as new, validated once (InvalidRecordError), and its JSON document
    as it will be written.

    Validated from its JSON document, as every later read of its file validates it: what is
    written can be read back. A discussion never saved before (revision 0) is written as
    revision 1, like create().
    """
    if isinstance(item, bytes):
        item = json.loads(item)
    doc = item if isinstance(item, dict) else item.model_dump(mode="json", warnings=False)
    if not doc.get("revision"):
        doc = {**doc, "revision": 1}
    try:
        discussion = Discussion.model_validate(doc)
    except ValidationError as exc:
        raise InvalidRecordError(explain_validation_error(exc)) from None
    # Validating can change a value (a text neutralised, a name stripped): written as validated.
    return discussion, discussion.model_dump(mode="json")


def prepare(item: Item) -> Prepared:
    discussion, doc = as_new(item)
    payload = file_bytes(stored(doc))
    return Prepared(
        discussion.id,
        discussion.revision,
        discussion.title,
        payload,
        summary_line(discussion.summary()),
        pack_json(document_json(payload)),
        content_hash(doc),
        bookkeeping(doc),
    )


def bookkeeping(doc: dict[str, Any]) -> tuple[Any, ...]:
    """The fields of a document its content hash leaves out (audit_changes.content_hash)."""
    return tuple(doc.get(key) for key in LEFT_OUT_OF_HASH)


def prepared(items: Iterable[Item], workers: int = 0) -> Iterator[Prepared]:
    """Each item prepared, in order: in this process (workers=0) or in `workers` processes.

    A record refused is InvalidRecordError, as in this process; a worker that fails or is killed
    is a StoreError saying so. Nothing is left running once this is closed.
    """
    if workers <= 0:
        for item in items:
            yield prepare(item)
        return
    crew: list[_Worker] = []
    try:
        for _ in range(workers):
            crew.append(_Worker())
    except OSError:  # no process to be had (a limit reached): prepared here, more slowly
        for worker in crew:
            worker.close()
        yield from prepared(items, 0)
        return
    lot = LOT  # read now: a test makes it small
    try:
        source = iter(items)
        out = 0  # lots handed out; lot n goes to crew[n % workers], and comes back in that order
        back = 0
        while lot_items := list(islice(source, lot)):
            crew[out % workers].send(lot_items)
            out += 1
            del lot_items
            if out - back >= workers * IN_FLIGHT_PER_WORKER:
                yield from crew[back % workers].receive()
                back += 1
        while back < out:
            yield from crew[back % workers].receive()
            back += 1
    finally:
        for worker in crew:
            worker.close()


class _Child:
    """A process of this module's, run as `entry()` with the pipes of its stdin and stdout.

    Started with nothing of this process but its Python and its sys.path: no descriptor of the
    database (the lock's least of all), no arguments, no main module run again."""

    def __init__(self, entry: str, what: str) -> None:
        self.what = what  # what it does, for the sentence that says it stopped
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(path for path in sys.path if path)}
        self.process = subprocess.Popen(
            [sys.executable, "-P", "-c", f"from stratui.store.bulk_prepare import {entry}; {entry}()"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )

    def answer(self) -> tuple[Any, ...]:
        """Its next message, refused with a StoreError if it ended without one or failed."""
        assert self.process.stdout is not None
        try:
            answer = _read_message(self.process.stdout)
        except (OSError, ValueError, EOFError, pickle.UnpicklingError):
            answer = None
        if answer is None:
            raise StoreError(f"a process {self.what} stopped (killed, or out of memory)")
        if answer[0] == "failed":
            raise StoreError(f"a process {self.what} failed ({answer[1]})")
        return answer

    def close(self) -> None:
        """End it: its answers are no longer read (one on its way finds the pipe closed), and
        its input ends."""
        if self.process.stdout is not None:
            self.process.stdout.close()
        self._end_input()
        try:
            self.process.wait(5.0)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def _end_input(self) -> None:
        try:
            if self.process.stdin is not None:
                self.process.stdin.close()
        except OSError:
            pass


class _Worker(_Child):
    """A process that prepares the lots it is sent (`serve`), answered in order. Its input is
    fed by a thread, so that a lot on its way never waits for an answer not yet read."""

    def __init__(self) -> None:
        super().__init__("serve", "preparing the records")
        self.lots: queue.Queue[list[Item] | None] = queue.Queue()
        self.feeder = threading.Thread(target=self._feed, daemon=True)
        self.feeder.start()

    def send(self, lot: list[Item]) -> None:
        self.lots.put(lot)

    def receive(self) -> Iterator[Prepared]:
        kind, *rest = self.answer()
        # A lot refused part-way: the records before the one refused, then its refusal (remade
        # here: its message is its problems), in the order preparing them here would give.
        yield from rest[0]
        if kind == "refused":
            raise InvalidRecordError(rest[1])

    def _feed(self) -> None:
        assert self.process.stdin is not None
        try:
            while (lot := self.lots.get()) is not None:
                _write_message(self.process.stdin, lot)
        except (OSError, ValueError):  # the worker is gone, or closed: receive() says so
            pass
        finally:
            super()._end_input()

    def _end_input(self) -> None:
        self.lots.put(None)  # the feeder ends it, after the lots before


def produced_elsewhere(module: str, function: str, *args: Any) -> Iterator[Any]:
    """What `module.function(*args)` yields, made in a process of its own (`produce`), a lot at
    a time, up to PRODUCED_AHEAD lots ahead of what is taken (the demo's generator, beside the
    writer and its workers). A StoreError if that process fails or is killed; it is ended once
    this is closed."""
    try:
        child = _Child("produce", "generating the records")
    except OSError:  # no process to be had (a limit reached): made here
        yield from getattr(importlib.import_module(module), function)(*args)
        return
    # Read by a thread: the generator, slowest of the processes, goes on while the writer
    # writes a batch (~0.35 s) instead of waiting with a lot for it.
    answers: queue.Queue[tuple[Any, ...] | StoreError] = queue.Queue(PRODUCED_AHEAD)
    reader = threading.Thread(target=_read_answers, args=(child, answers), daemon=True)
    try:
        assert child.process.stdin is not None
        _write_message(child.process.stdin, (module, function, args, LOT))
        child.process.stdin.close()
        reader.start()
        while True:
            answer = answers.get()
            if isinstance(answer, StoreError):
                raise answer
            if answer[0] != "items":
                return
            yield from answer[1]
    finally:
        child.close()  # the reader's next read fails: it ends once it can put that
        while reader.is_alive():
            with contextlib.suppress(queue.Empty):
                answers.get(timeout=0.1)


def _read_answers(child: _Child, answers: queue.Queue[tuple[Any, ...] | StoreError]) -> None:
    while True:
        try:
            answer = child.answer()
        except StoreError as exc:
            answers.put(exc)
            return
        answers.put(answer)
        if answer[0] != "items":
            return


def produce() -> None:
    """A producer's side of `produced_elsewhere`: what it is asked to run, sent a lot at a
    time on stdout, then the end; it stops when that pipe is closed (the writer is gone)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    module, function, args, lot_size = _read_message(sys.stdin.buffer)
    out = sys.stdout.buffer
    try:
        items = iter(getattr(importlib.import_module(module), function)(*args))
        while lot := list(islice(items, lot_size)):
            _write_message(out, ("items", lot))
        _write_message(out, ("end",))
    except OSError:  # the writer is gone
        return
    except Exception as exc:  # noqa: BLE001 - reported by its type, as the CLI reports one
        with contextlib.suppress(OSError):
            _write_message(out, ("failed", type(exc).__name__))


def serve() -> None:
    """A worker's loop: each lot read from stdin prepared and sent back on stdout, until stdin
    ends (the writer closed it, or is gone). Ctrl+C is the writer's to handle."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    into, out = sys.stdin.buffer, sys.stdout.buffer
    while True:
        try:
            lot = _read_message(into)
        except (OSError, EOFError):
            return
        if lot is None:
            return
        try:
            _write_message(out, _answer(lot))
        except OSError:  # the writer is gone
            return


def _answer(lot: list[Item]) -> tuple[Any, ...]:
    done = []
    for item in lot:
        try:
            done.append(prepare(item))
        except InvalidRecordError as exc:
            return ("refused", done, exc.problems)
        except Exception as exc:  # noqa: BLE001 - reported by its type, as the CLI reports one
            return ("failed", type(exc).__name__)  # nothing of the record
    return ("done", done)


_LENGTH = struct.Struct(">Q")


def _write_message(stream: BinaryIO, message: object) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_LENGTH.pack(len(data)))
    stream.write(data)
    stream.flush()


def _read_message(stream: BinaryIO) -> Any:
    """The next message, or None at the end of the stream."""
    head = stream.read(_LENGTH.size)
    if not head:
        return None
    if len(head) != _LENGTH.size:
        raise EOFError("cut short")
    (size,) = _LENGTH.unpack(head)
    data = stream.read(size)
    if len(data) != size:
        raise EOFError("cut short")
    return pickle.loads(data)
