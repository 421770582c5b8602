"""The JSON export/import format: a full backup, or one discussion, that `stratui import` reads back.

Import is validated whole before anything is written, so a bad file changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from stratui import migrations
from stratui.models import SCHEMA_VERSION, Discussion, explain_validation_error
from stratui.text import holds_unsafe

FORMAT = "stratui-export"
MAX_REPORTED_PROBLEMS = 5


class ImportFileError(Exception):
    """The file cannot be imported; the message says where and why. Nothing was written."""


@dataclass(frozen=True)
class Imported:
    discussions: list[Discussion]
    # Text fields that held control or bidi characters, kept with visible stand-ins in their
    # place (stratui.text): counted for the person importing, never quoted.
    neutralised_fields: int


def dump_all(discussions: Iterable[Discussion]) -> str:
    docs = [d.model_dump(mode="json") for d in discussions]
    return json.dumps({"format": FORMAT, "schema_version": SCHEMA_VERSION, "discussions": docs}, indent=1, ensure_ascii=False)


def dump_one(discussion: Discussion) -> str:
    return dump_all([discussion])


def load_file(path: Path) -> list[Discussion]:
    return read_file(path).discussions


def parse_export(raw: bytes, name: str = "the file") -> list[Discussion]:
    return read_export(raw, name).discussions


def read_file(path: Path) -> Imported:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ImportFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ImportFileError(f"{path} is a folder, not an export file") from None
    except OSError as exc:
        raise ImportFileError(f"{path} cannot be read: {exc.strerror}") from None
    return read_export(raw, str(path))


def read_export(raw: bytes, name: str = "the file") -> Imported:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"{name} is not UTF-8 text (bad byte at position {exc.start})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFileError(f"{name} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except RecursionError:
        raise ImportFileError(f"{name} is nested too deeply to be a stratui export") from None
    except ValueError:
        # int() refuses more than 4,300 digits; JSONDecodeError (a ValueError) is caught above.
        raise ImportFileError(f"{name} holds a number too long to be stratui's; nothing was imported") from None
    docs = _discussion_docs(data, name)
    discussions: list[Discussion] = []
    problems: list[str] = []
    for number, doc in enumerate(docs, start=1):
        try:
            discussions.append(_discussion(doc))
        except (ValidationError, migrations.MigrationError, TypeError, ValueError) as exc:
            label = f"discussion {number}"
            if isinstance(doc, dict) and isinstance(doc.get("id"), str):
                label += f" (id {doc['id'][:12]})"
            reasons = explain_validation_error(exc) if isinstance(exc, ValidationError) else [str(exc)]
            problems.append(f"{label}: {'; '.join(reasons[:3])}")
    if problems:
        more = len(problems) - MAX_REPORTED_PROBLEMS
        listed = " | ".join(problems[:MAX_REPORTED_PROBLEMS]) + (f" | and {more} more" if more > 0 else "")
        raise ImportFileError(f"{name}: {len(problems)} of {len(docs)} discussions are not valid, nothing was imported: {listed}")
    seen: set[str] = set()
    for discussion in discussions:
        if discussion.id in seen:
            raise ImportFileError(f"{name}: discussion id {discussion.id} appears twice; nothing was imported")
        seen.add(discussion.id)
    return Imported(discussions, sum(_unsafe_texts(doc) for doc in docs))


def _discussion_docs(data: Any, name: str) -> list[Any]:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ImportFileError(f"{name} is not a stratui export (written by `stratui export --format json`)")
    docs = data.get("discussions")
    if not isinstance(docs, list):
        raise ImportFileError(f"{name}: 'discussions' must be a list")
    return docs


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
