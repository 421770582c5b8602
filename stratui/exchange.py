"""The JSON export/import format: a full backup, or one discussion, that `stratui import` reads back.

Import is validated whole before anything is written, so a bad file changes nothing. A file is
written (`export_text`) and read (`scan_file`, then `ExportFile.discussions`) as a stream, one
discussion at a time, so its size never decides the memory an export or an import takes.
"""

from __future__ import annotations

import codecs
import io
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from pydantic import ValidationError

from stratui import migrations
from stratui.json_text import indented
from stratui.models import SCHEMA_VERSION, Discussion, explain_validation_error
from stratui.text import holds_unsafe

FORMAT = "stratui-export"
MAX_REPORTED_PROBLEMS = 5
# Read this much of a file at a time (more while one discussion is longer).
CHUNK_BYTES = 1 << 20


class ImportFileError(Exception):
    """The file cannot be imported; the message says where and why. Nothing was written."""


@dataclass(frozen=True)
class Imported:
    discussions: list[Discussion]
    # Text fields that held control or bidi characters, kept with visible stand-ins in their
    # place (stratui.text): counted for the person importing, never quoted.
    neutralised_fields: int


@dataclass(frozen=True)
class ExportFile:
    """An export file that was read whole and found valid: its discussions are read again, one
    at a time, by `discussions()` (which refuses the file if it changed meanwhile)."""

    path: Path
    count: int
    neutralised_fields: int
    ids: list[str] = field(repr=False)
    stamp: tuple[int, int, int]

    def discussions(self) -> Iterator[Discussion]:
        for doc in self.documents():
            try:
                yield Discussion.model_validate(doc)
            except ValidationError:
                raise self._changed() from None

    def documents(self) -> Iterator[dict[str, Any]]:
        """Each discussion's document as read again, migrated but not validated again: the store
        validates what it writes (`Store.save_all_new`), so an import validates each record
        twice, the whole file first and then as it is written, not three times."""
        with _open(self.path) as binary:
            if _stamp(binary) != self.stamp:
                raise self._changed()
            number = 0
            for number, doc in enumerate(_documents(_Text(binary, str(self.path)), {}), start=1):
                if not isinstance(doc, dict):
                    raise self._changed()
                try:
                    migrated = migrations.migrate(doc)
                except (migrations.MigrationError, TypeError, ValueError):
                    raise self._changed() from None
                if number > self.count or migrated.get("id") != self.ids[number - 1]:
                    raise self._changed()
                yield migrated
            if number != self.count:
                raise self._changed()

    def _changed(self) -> ImportFileError:
        return ImportFileError(
            f"{self.path} changed while it was being imported: nothing of it was imported (what was written "
            "before the change was undone); import it again"
        )


def export_text(discussions: Iterable[Discussion]) -> Iterator[str]:
    """The export of `discussions` in pieces, one discussion a piece (the first with the head
    before it, then the tail), holding one at a time: joined, they are exactly

        json.dumps({"format": ..., "schema_version": ..., "discussions": [...]}, indent=1, ensure_ascii=False)

    so a backup of 100,000 discussions takes the memory of one."""
    head, tail = json.dumps({"format": FORMAT, "schema_version": SCHEMA_VERSION, "discussions": []}, indent=1).split("[]")
    written = False
    for discussion in discussions:
        # At indent=1 the list's items sit two levels deep: each of their lines gains two spaces.
        yield (",\n  " if written else head + "[\n  ") + indented(discussion.model_dump(mode="json"), 1, "  ")
        written = True
    yield ("\n ]" if written else head + "[]") + tail


def dump_all(discussions: Iterable[Discussion]) -> str:
    return "".join(export_text(discussions))


def dump_one(discussion: Discussion) -> str:
    return dump_all([discussion])


def load_file(path: Path) -> list[Discussion]:
    return read_file(path).discussions


def parse_export(raw: bytes, name: str = "the file") -> list[Discussion]:
    return read_export(raw, name).discussions


def read_file(path: Path) -> Imported:
    """The whole file's discussions in memory (small files, tests); an import uses `scan_file`."""
    with _open(path) as binary:
        return _read(binary, str(path))


def read_export(raw: bytes, name: str = "the file") -> Imported:
    return _read(io.BytesIO(raw), name)


def scan_file(path: Path, each: Callable[[Discussion], object] = lambda d: None) -> ExportFile:
    """Read and validate the whole file without keeping its discussions; `each` sees every valid one
    (the store refuses an id it holds with other content). Raises ImportFileError, naming every
    problem, before anything is written."""
    with _open(path) as binary:
        stamp = _stamp(binary)
        ids: list[str] = []
        neutralised = _validate(binary, str(path), lambda d: (ids.append(d.id), each(d)))
    return ExportFile(path, len(ids), neutralised, ids, stamp)


def _read(binary: BinaryIO, name: str) -> Imported:
    discussions: list[Discussion] = []
    neutralised = _validate(binary, name, discussions.append)
    return Imported(discussions, neutralised)


def _open(path: Path) -> BinaryIO:
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise ImportFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ImportFileError(f"{path} is a folder, not an export file") from None
    except OSError as exc:
        raise ImportFileError(f"{path} cannot be read: {exc.strerror}") from None


def _stamp(binary: BinaryIO) -> tuple[int, int, int]:
    st = os.fstat(binary.fileno())
    return st.st_ino, st.st_size, st.st_mtime_ns


def _validate(binary: BinaryIO, name: str, each: Callable[[Discussion], object]) -> int:
    """Validate every discussion of the export in `binary`, passing each to `each`; returns how many
    text fields held unsafe characters. Raises ImportFileError for the first problem of the file
    itself, or listing the invalid discussions."""
    found: dict[str, Any] = {}
    problems: list[str] = []
    seen: set[str] = set()
    twice: str | None = None
    neutralised = 0
    number = 0
    try:
        for number, doc in enumerate(_documents(_Text(binary, name), found), start=1):
            try:
                discussion = _discussion(doc)
            except (ValidationError, migrations.MigrationError, TypeError, ValueError) as exc:
                label = f"discussion {number}"
                if isinstance(doc, dict) and isinstance(doc.get("id"), str):
                    label += f" (id {doc['id'][:12]})"
                reasons = explain_validation_error(exc) if isinstance(exc, ValidationError) else [str(exc)]
                problems.append(f"{label}: {'; '.join(reasons[:3])}")
                continue
            if discussion.id in seen:
                twice = twice or discussion.id
                continue
            seen.add(discussion.id)
            neutralised += _unsafe_texts(doc)
            if not problems and twice is None:
                each(discussion)
    except OSError as exc:
        raise ImportFileError(f"{name} cannot be read: {exc.strerror}") from None
    _check_top(found, name)
    if problems:
        more = len(problems) - MAX_REPORTED_PROBLEMS
        listed = " | ".join(problems[:MAX_REPORTED_PROBLEMS]) + (f" | and {more} more" if more > 0 else "")
        raise ImportFileError(f"{name}: {len(problems)} of {number} discussions are not valid, nothing was imported: {listed}")
    if twice is not None:
        raise ImportFileError(f"{name}: discussion id {twice} appears twice; nothing was imported")
    return neutralised


_STREAMED = object()  # the "discussions" list, read an element at a time
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def _check_top(found: dict[str, Any], name: str) -> None:
    if found.get("format") != FORMAT:
        raise ImportFileError(f"{name} is not a stratui export (written by `stratui export --format json`)")
    if found.get("discussions") is not _STREAMED:
        raise ImportFileError(f"{name}: 'discussions' must be a list")


def _documents(text: _Text, found: dict[str, Any]) -> Iterator[Any]:
    """Each element of the top-level object's "discussions" list, as it is read; the object's other
    keys go into `found`. Anything that is not one JSON object is refused."""
    if text.peek() != "{":
        text.value()  # refused as JSON, or it is some other value
        raise ImportFileError(f"{text.name} is not a stratui export (written by `stratui export --format json`)")
    text.pos += 1
    if text.peek() == "}":
        text.pos += 1
    else:
        while True:
            if text.peek() != '"':
                raise text.invalid("Expecting property name enclosed in double quotes")
            key = text.value()
            text.take(":")
            if key == "discussions" and text.peek() == "[":
                if "format" in found:
                    _check_top({**found, "discussions": _STREAMED}, text.name)  # refused early
                found[key] = _STREAMED
                text.pos += 1
                if text.peek() == "]":
                    text.pos += 1
                else:
                    while True:
                        yield text.value()
                        if text.peek() == "]":
                            text.pos += 1
                            break
                        text.take(",")
            else:
                found[key] = text.value()
            if text.peek() == "}":
                text.pos += 1
                break
            text.take(",")
    if text.peek():
        raise text.invalid("Extra data")


class _Text:
    """A UTF-8 file decoded a chunk at a time, for json's raw_decode, knowing line and column."""

    def __init__(self, binary: BinaryIO, name: str) -> None:
        self.binary = binary
        self.name = name
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.buf = ""
        self.pos = 0
        self.eof = False
        self.bytes_read = 0
        # Where the buffer starts in the file: lines before it, and columns before it on its line.
        self.line = 1
        self.column = 0

    def more(self) -> bool:
        """Read on (at least as much as is buffered, so a long value is not parsed over and over)."""
        if self.eof:
            return False
        raw = self.binary.read(max(CHUNK_BYTES, len(self.buf) - self.pos))
        pending = len(self.decoder.getstate()[0])
        try:
            decoded = self.decoder.decode(raw, final=not raw)
        except UnicodeDecodeError as exc:
            at = self.bytes_read - pending + exc.start
            raise ImportFileError(f"{self.name} is not UTF-8 text (bad byte at position {at})") from None
        self.bytes_read += len(raw)
        self.eof = not raw
        done = self.buf[: self.pos]
        newlines = done.count("\n")
        self.line += newlines
        self.column = len(done) - done.rfind("\n") - 1 if newlines else self.column + len(done)
        self.buf = self.buf[self.pos :] + decoded
        self.pos = 0
        return True

    def peek(self) -> str:
        """The next character after whitespace ("" at the end of the file)."""
        while True:
            self.pos = _WHITESPACE.match(self.buf, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.buf) or not self.more():
                return self.buf[self.pos : self.pos + 1]

    def take(self, char: str) -> None:
        if self.peek() != char:
            raise self.invalid(f"Expecting '{char}' delimiter")
        self.pos += 1

    def value(self) -> Any:
        self.peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                if self.more():
                    continue
                raise self.invalid(exc.msg, exc.pos) from None
            except RecursionError:
                raise ImportFileError(f"{self.name} is nested too deeply to be a stratui export") from None
            except ValueError:
                # int() refuses more than 4,300 digits; JSONDecodeError (a ValueError) is caught above.
                raise ImportFileError(
                    f"{self.name} holds a number too long to be stratui's; nothing was imported"
                ) from None
            if end == len(self.buf) and self.more():
                continue  # a number may go on in the next chunk
            self.pos = end
            return value

    def invalid(self, message: str, at: int | None = None) -> ImportFileError:
        at = self.pos if at is None else at
        before = self.buf[:at]
        newlines = before.count("\n")
        column = at - before.rfind("\n") if newlines else self.column + at + 1
        return ImportFileError(f"{self.name} is not valid JSON (line {self.line + newlines}, column {column}: {message})")


def _unsafe_texts(node: Any) -> int:
    """How many strings in a document hold characters that neutralising replaces."""
    if isinstance(node, str):
        return int(holds_unsafe(node))
    if isinstance(node, dict):
        return sum(_unsafe_texts(value) for value in node.values())
    if isinstance(node, list):
        return sum(_unsafe_texts(value) for value in node)
    return 0


def _discussion(doc: Any) -> Discussion:
    if not isinstance(doc, dict):
        raise ValueError("not a discussion object")
    return Discussion.model_validate(migrations.migrate(doc))
